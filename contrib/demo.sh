#!/usr/bin/env bash
# README command 1: installs dependencies, builds, and shows cricket working
# on this node, everything through cricketd's CRI socket with cricketctl:
#   a busybox image (made from Debian's busybox-static, pushed to a local
#   docker-registry on 127.0.0.1) is pulled; a pod gets its own network from
#   the standard CNI bridge plugin; a container runs in it under
#   cricket-monitor with cricket's own OCI engine; logs, exec, stop, remove.
# cricketd runs with its built-in defaults except the paths, which point into
# a temp dir so the demo leaves the node as it found it. Everything it starts
# is stopped and removed at the end, also on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
build=${CRICKET_BUILD_DIR:-$top/build}  # another build dir, for development
bash contrib/setup.sh
if [ -z "${CRICKET_BUILD_DIR:-}" ]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build build -j"$(nproc)" --target cricket-programs
fi

work=$(mktemp -d /tmp/cricket-demo.XXXXXX)
bridge=crkdemo$$
bridge=${bridge:0:15}
cgroup_parent=/cricket-demo-$$
daemon_pid=""; registry_pid=""
forward=$(cat /proc/sys/net/ipv4/ip_forward)
cleanup() {
  set +e
  [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
  [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null && wait "$registry_pid" 2>/dev/null
  ip link del "$bridge" 2>/dev/null
  for d in /sys/fs/cgroup/*"$cgroup_parent" /sys/fs/cgroup/*/*"$cgroup_parent"; do
    [ -d "$d" ] && rmdir "$d" 2>/dev/null
  done
  echo "$forward" > /proc/sys/net/ipv4/ip_forward
  for m in $(grep -o "$work[^ ]*" /proc/self/mountinfo | sort -r); do umount -l "$m" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
say() { printf '\n== %s\n' "$*"; }
ctl() { "$build/cri/cricketctl" --runtime-endpoint "unix://$work/cricket.sock" "$@"; }

say "a local registry with a busybox image built from Debian's busybox-static"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/registry.yml" <<YML
version: 0.1
storage: {filesystem: {rootdirectory: $work/registry}}
http: {addr: 127.0.0.1:$port}
log: {level: error}
YML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
python3 contrib/demo-image.py "$work/layout" 1.0
skopeo copy --quiet --dest-tls-verify=false "oci:$work/layout:1.0" \
  "docker://127.0.0.1:$port/demo/busybox:1.0"
image=127.0.0.1:$port/demo/busybox:1.0

say "cricketd (built-in defaults; paths and a CNI network of its own for the demo)"
mkdir -p "$work/net.d" "$work/conf.d" "$work/logs"
cat > "$work/net.d/10-demo.conflist" <<JSON
{"cniVersion": "1.0.0", "name": "demo", "plugins": [
  {"type": "bridge", "bridge": "$bridge", "isGateway": true, "ipMasq": false,
   "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.199.250.0/24"}]],
            "dataDir": "$work/ipam"}},
  {"type": "portmap", "capabilities": {"portMappings": true}}]}
JSON
cat > "$work/conf.d/10-demo.yaml" <<YML
socket_path: $work/cricket.sock
root_dir: $work/root
state_dir: $work/state
cni:
  conf_dir: $work/net.d
  cache_dir: $work/cni-cache
YML
"$build/cri/cricketd" --config-dir "$work/conf.d" 2>"$work/cricketd.log" &
daemon_pid=$!
for _ in $(seq 100); do [ -S "$work/cricket.sock" ] && break; sleep 0.1; done
ctl version
ctl info -o json | python3 -c 'import json,sys; s=json.load(sys.stdin)["status"]; print("conditions:", [(c["type"], c.get("status", False)) for c in s["conditions"]])'

say "pull $image"
ctl pull "$image"
ctl images

say "a pod with its own network namespace and IP"
cat > "$work/pod.json" <<JSON
{"metadata": {"name": "demo", "namespace": "default", "uid": "demo-uid"},
 "hostname": "demo-pod", "log_directory": "$work/logs",
 "linux": {"cgroup_parent": "$cgroup_parent",
           "security_context": {"namespace_options": {"pid": "CONTAINER"}}}}
JSON
pod=$(ctl runp "$work/pod.json")
ctl pods
ip=$(ctl inspectp "$pod" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"]["network"]["ip"])')
echo "pod IP: $ip"; /bin/busybox ping -c1 -W2 "$ip" | sed -n 1,2p  # sed reads it all: no SIGPIPE under pipefail

say "a container in the pod, from the pulled image"
cat > "$work/ctr.json" <<JSON
{"metadata": {"name": "hello"}, "image": {"image": "$image"}, "log_path": "hello.log",
 "command": ["sh", "-c", "echo hello from \$(hostname), uid \$(id -u); while true; do sleep 1; done"],
 "linux": {"security_context": {"namespace_options": {"pid": "CONTAINER"}}}}
JSON
ctr=$(ctl create "$pod" "$work/ctr.json" "$work/pod.json")
ctl start "$ctr"
ctl ps
sleep 1
say "its log"
ctl logs "$ctr"
say "exec in it: its network and capabilities"
ctl exec "$ctr" sh -c 'ip -4 -o addr show eth0; grep CapEff /proc/self/status'

say "stop and remove everything"
ctl stop -t 2 "$ctr"
ctl rm "$ctr"
ctl stopp "$pod"
ctl rmp "$pod"
ctl pods
kill "$daemon_pid"; wait "$daemon_pid" && echo "cricketd exited 0"; daemon_pid=""
