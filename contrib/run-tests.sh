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
# Two parts run and print but do not gate yet: the VM lane (README "VM
# lane": green since its OOM fix, to stay so for a while first;
# CRICKET_VM_GATES=1 makes it gate) and the crash soak (e2e_crash SoakTest,
# README "Crash safety": it found a pod cgroup parent left after a kill -9,
# which is open; CRICKET_SOAK_GATES=1 makes it gate).
soak='\.SoakTest\.'
if [ "${CRICKET_VM_GATES:-0}" = 1 ] && [ "${CRICKET_SOAK_GATES:-0}" = 1 ]; then
  ctest --test-dir build --output-on-failure -j"$(nproc)" "$@"
else
  gated=(-E "$soak")
  [ "${CRICKET_SOAK_GATES:-0}" = 1 ] && gated=()
  [ "${CRICKET_VM_GATES:-0}" = 1 ] || gated+=(-LE '^vm$')
  ctest --test-dir build --output-on-failure -j"$(nproc)" "${gated[@]}" "$@"
  if [ "${CRICKET_VM_GATES:-0}" != 1 ]; then
    ctest --test-dir build --output-on-failure -L '^vm$' ||
      echo "run-tests: the VM lane failed (not gating yet, see above and README)" >&2
  fi
  if [ "${CRICKET_SOAK_GATES:-0}" != 1 ]; then
    ctest --test-dir build --output-on-failure -R "$soak" ||
      echo "run-tests: the crash soak failed (not gating yet, see above and README)" >&2
  fi
fi
bash contrib/run-sanitizers.sh
