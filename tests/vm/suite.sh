#!/usr/bin/env bash
# ctest's vm_suite: builds the busybox test image into a registry directory
# on the host, boots one guest with contrib/vm/run.sh (the source tree and
# the results dir shared), and runs guest-suite.sh there, which runs every
# check and leaves RESULTS/<check>.status and .log for result.sh.
# Skips (77) with the reason where no guest can boot here: no qemu, or (not
# under CI=true) no mmdebstrap, qemu-img, cpack or the tools that make the
# test image. Under CI=true only a missing qemu skips: setup.sh installs the
# rest, so a missing one there is a broken lane.
# Usage: suite.sh BUILD_DIR RESULTS_DIR
set -uo pipefail
build=$1 results=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$results"
mkdir -p "$results"
skip() {
  echo "$*" > "$results/skipped"
  echo "vm_suite skipped: $*"
  exit 77
}
need() {  # need TOOL...: skip outside CI, fail under it
  local t
  for t in "$@"; do
    command -v "$t" >/dev/null && continue
    [ "${CI:-}" = true ] && { echo "vm_suite: $t is not installed (contrib/setup.sh installs it)"; exit 1; }
    skip "$t is not installed (contrib/setup.sh installs it)"
  done
}
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 is not installed (package qemu-system-x86)"
need qemu-img mmdebstrap docker-registry skopeo python3 curl cpack

# The test image, pushed once on the host into a registry directory that the
# guest's own docker-registry then serves on its loopback.
reg_pid=""
trap '[ -n "$reg_pid" ] && kill "$reg_pid" 2>/dev/null' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'version: 0.1\nstorage: {filesystem: {rootdirectory: %s}}\nhttp: {addr: 127.0.0.1:%s}\nlog: {level: error}\n' \
  "$results/registry" "$port" > "$results/host-registry.yml"
docker-registry serve "$results/host-registry.yml" > "$results/host-registry.log" 2>&1 &
reg_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
python3 "$src/contrib/demo-image.py" "$results/layout" 1.0 &&
  skopeo copy --quiet --dest-tls-verify=false "oci:$results/layout:1.0" \
    "docker://127.0.0.1:$port/vm/busybox:1.0" ||
  { echo "vm_suite: building the test image failed"; cat "$results/host-registry.log"; exit 1; }
kill "$reg_pid"; wait "$reg_pid" 2>/dev/null; reg_pid=""
rm -rf "$results/layout"

# What the checks take from the host's environment (the guest has its own).
echo "VM_OOM_RUNS=${VM_OOM_RUNS:-3}" > "$results/env"
start=$SECONDS
bash "$src/contrib/vm/run.sh" --build-dir "$build" --share "$src" --share "$results" -- \
  bash "$src/tests/vm/guest-suite.sh" "$results"
status=$?
echo "vm_suite: run.sh exited $status after $((SECONDS - start)) s"
[ -f "$results/times" ] && cat "$results/times"
# 125: no guest came up (or the lane inside failed); the checks' own failures
# are their tests' business.
[ "$status" = 125 ] && exit 1
ls "$results"/*.status >/dev/null 2>&1 || { echo "vm_suite: no check ran"; exit 1; }
exit 0
