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
# The VM lane runs and prints but does not gate yet (README "VM lane": its
# OOM report is being proven over many runs; CRICKET_VM_GATES=1 makes it
# gate).
if [ "${CRICKET_VM_GATES:-0}" = 1 ]; then
  ctest --test-dir build --output-on-failure -j"$(nproc)" "$@"
else
  ctest --test-dir build --output-on-failure -j"$(nproc)" -LE '^vm$' "$@"
  ctest --test-dir build --output-on-failure -L '^vm$' ||
    echo "run-tests: the VM lane failed (not gating yet, see above and README)" >&2
fi
bash contrib/run-sanitizers.sh
