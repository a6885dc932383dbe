#!/usr/bin/env bash
# The whole test suite, from a clean clone, as root: installs dependencies,
# builds, and runs every ctest label (unit, integration, e2e, and vm: one
# Debian 12 guest booted with qemu for the checks that need systemd as PID 1,
# cgroup v2 and AppArmor, see tests/vm/). Integration and e2e tests run one
# at a time (they share the kernel); extra args go to ctest.
# Then the fuzz, ASan+UBSan and TSan lanes (contrib/run-sanitizers.sh), each a
# clang build of only the targets it needs in its own dir.
set -euo pipefail
cd "$(dirname "$0")/.."
bash contrib/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure -j"$(nproc)" "$@"
bash contrib/run-sanitizers.sh
