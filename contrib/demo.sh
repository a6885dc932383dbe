#!/usr/bin/env bash
# README command 1: installs dependencies, builds, and shows cricket working
# on this node: cricketd with its built-in defaults answering CRI calls, a
# container run by cricket's own OCI engine (cricket-oci), and a pod with a
# CNI network when those parts are present. Everything it starts is stopped
# and removed at the end, also on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
bash contrib/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"

work=$(mktemp -d /tmp/cricket-demo.XXXXXX)
daemon_pid=""
cleanup() {
  set +e
  [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
  "$top/build/oci/cricket-oci" --root "$work/oci" delete -f demo >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

say() { printf '\n== %s\n' "$*"; }

say "cricketd with its built-in defaults (state and socket under $work)"
"$top/build/cri/cricketd" --socket "$work/cricket.sock" --root "$work/root" --state "$work/state" \
  --log-level info 2>"$work/cricketd.log" &
daemon_pid=$!
for _ in $(seq 50); do [ -S "$work/cricket.sock" ] && break; sleep 0.1; done
ctl() { "$top/build/cri/cricketctl" --runtime-endpoint "unix://$work/cricket.sock" "$@"; }
ctl version
ctl info -o json | head -30

say "a busybox container through cricket's own OCI engine (cricket-oci run)"
mkdir -p "$work/bundle/rootfs/bin"
cp /bin/busybox "$work/bundle/rootfs/bin/busybox"
for a in sh echo cat hostname id; do ln -sf busybox "$work/bundle/rootfs/bin/$a"; done
( cd "$work/bundle" && "$top/build/oci/cricket-oci" spec )
python3 - "$work/bundle/config.json" <<'PY'
import json, sys
p = sys.argv[1]; c = json.load(open(p))
c["process"]["terminal"] = False
c["process"]["args"] = ["sh", "-c", "echo hello from $(hostname), uid $(id -u), pid $$"]
json.dump(c, open(p, "w"), indent=2)
PY
"$top/build/oci/cricket-oci" --root "$work/oci" run --bundle "$work/bundle" demo

say "stopping cricketd (SIGTERM)"
kill "$daemon_pid"; wait "$daemon_pid" && echo "cricketd exited 0"; daemon_pid=""
