#!/usr/bin/env bash
# The whole test suite, from a clean clone, as root: installs dependencies,
# builds, and runs every ctest label (unit, integration, e2e). Integration and
# e2e tests run one at a time (they share the kernel); extra args go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash contrib/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure -j"$(nproc)" "$@"
