#!/usr/bin/env bash
# CRI benchmark of issues 5 and 6: cricketd vs Debian's containerd (its CRI plugin, runc
# shims), both private instances on one CNI config (own bridge, host-local IPAM on a free
# 10.199.x.0/24, loopback; no masquerade, no route out) and one busybox image from a local
# docker-registry on 127.0.0.1, driven by the same CRI client code (cricket-cri-bench),
# interleaved round by round. containerd's sandbox image is built here from the project's
# own static cricket-pause and imported with ctr. Prints p50/p99, memory with 110 pods and
# with 100 running containers (sum of RSS and of PSS from /proc), and the ratios against
# the issues' targets. Cleans up everything it made, also on failure or Ctrl-C, and shows
# that the machine is clean afterwards. Needs root.
#
# usage: tests/bench/cri_bench.sh [build dir]
#   env: N=30 (sequential rounds per latency metric), BURST=110 (pods at once),
#        FILL=100 (running containers for memory), MEM_RUNS=1 (burst/fill rounds),
#        LOG_LEVEL=warn (cricketd's), LOGS=<dir> (keep the daemons' logs there)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "${1:-$here/../../build}" && pwd)
N=${N:-30}
BURST=${BURST:-110}
FILL=${FILL:-100}
MEM_RUNS=${MEM_RUNS:-1}
TOOL=$BUILD/tests/cricket-cri-bench
CRICKETD=$BUILD/cri/cricketd
PAUSE=$BUILD/pod/cricket-pause

die() { echo "cri_bench: $*" >&2; exit 1; }
say() { echo "cri_bench: $*" >&2; }
[ "$(id -u)" = 0 ] || die "needs root"
for b in "$TOOL" "$CRICKETD" "$BUILD/pod/cricket-monitor" "$PAUSE"; do
  [ -x "$b" ] || die "$b not built (cmake --build $BUILD --target cricketd cricket-monitor cricket-pause cricket-cri-bench)"
done
for p in containerd containerd-shim-runc-v2 runc ctr docker-registry skopeo python3 curl iptables; do
  command -v $p >/dev/null || die "missing $p (contrib/setup.sh)"
done
for p in bridge host-local loopback; do [ -x /usr/lib/cni/$p ] || die "missing /usr/lib/cni/$p"; done

W=$(mktemp -d /var/tmp/cri-bench.XXXXXX)
chmod 755 "$W"
CG=/cricket-cri-bench-$$                # cgroup parent of every pod, both runtimes
BR=crb$$; BR=${BR:0:15}                 # the CNI bridge
CTD_SOCK=$W/ctd/containerd.sock
CRK_SOCK=$W/crk/cricket.sock
PAUSE_REF=cricket.local/pause:bench
declare -A PID=()                       # registry, cricketd, containerd
forward_before=$(cat /proc/sys/net/ipv4/ip_forward)
links_before=$(ip -o link | wc -l)
netns_before=$(ip netns list | wc -l)
ipt_before=$( (iptables -S; iptables -t nat -S) | grep -c CNI || true)
shimsock_before=$(find /run/containerd/s -mindepth 1 2>/dev/null || true)
# containerd's CRI keeps CNI results in /var/lib/cni (go-cni's fixed cache dir).
cni_cache_before=$(find /var/lib/cni -maxdepth 1 2>/dev/null || true)

# Processes of this run, by pid: those whose command line or cgroup names our dirs.
our_pids() {
  local p
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    [ "$p" = $$ ] || [ "$p" = "$BASHPID" ] && continue
    if tr "\0" " " 2>/dev/null <"/proc/$p/cmdline" | grep -q -- "$W" ||
       grep -q -- "$CG/" "/proc/$p/cgroup" 2>/dev/null; then echo "$p"; fi
  done
}
cleanup() {
  set +e
  trap - EXIT INT TERM
  say "cleaning up"
  # Ask each runtime to stop and remove its pods first (that is the runtime's job).
  for rt in crk ctd; do
    local pid=${PID[$rt]:-}
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && timeout 300 "$TOOL" --rt "$(rt_spec $rt)" \
      --timeout-s 60 --image x --cgroup-parent "$CG" --log-dir "$W/logs" teardown >/dev/null
  done
  for k in "${!PID[@]}"; do kill "${PID[$k]}" 2>/dev/null; wait "${PID[$k]}" 2>/dev/null; done
  if [ -n "${LOGS:-}" ]; then
    mkdir -p "$LOGS" && cp "$W/crk/log" "$LOGS/cricketd.log" && cp "$W/ctd/log" "$LOGS/containerd.log"
  fi
  local left; left=$(our_pids)
  if [ -n "$left" ]; then
    say "leftover processes (killed by pid): ${left//$'\n'/ }"
    for p in $left; do kill -9 "$p" 2>/dev/null; done
    sleep 1
  fi
  grep -o " ${W}[^ ]*" /proc/mounts | sort -r | while read -r m; do umount -l "$m"; done
  ip link del "$BR" 2>/dev/null
  echo "$forward_before" >/proc/sys/net/ipv4/ip_forward
  for s in /run/containerd/s/*; do   # shim sockets of our containerd
    [ -e "$s" ] && ! grep -qx "$s" <<<"$shimsock_before" && rm -f "$s"
  done
  rmdir /run/containerd/s /run/containerd 2>/dev/null
  grep -l -r "cribench-$$" /var/lib/cni 2>/dev/null | xargs -r rm -f
  for d in /var/lib/cni/results /var/lib/cni; do
    grep -qx "$d" <<<"$cni_cache_before" || rmdir "$d" 2>/dev/null
  done
  for d in /sys/fs/cgroup/*"$CG" /sys/fs/cgroup/*/*"$CG"; do
    [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
  done
  rm -rf "$W"
  # Show that the machine is as we found it.
  echo "after cleanup: mounts under $W: $(grep -c " $W" /proc/mounts)," \
    "links: $(ip -o link | wc -l) (before $links_before), bridge $BR: $(ip link show "$BR" 2>/dev/null | wc -l)," \
    "netns: $(ip netns list | wc -l) (before $netns_before)," \
    "CNI iptables rules: $( (iptables -S; iptables -t nat -S) | grep -c CNI) (before $ipt_before)," \
    "our processes: $(our_pids | wc -w), cgroups: $(ls -d /sys/fs/cgroup/*"$CG" /sys/fs/cgroup/*/*"$CG" 2>/dev/null | wc -l)," \
    "ip_forward: $(cat /proc/sys/net/ipv4/ip_forward) (before $forward_before)," \
    "CNI results of ours in /var/lib/cni: $(grep -l -r "cribench-$$" /var/lib/cni 2>/dev/null | wc -l)" >&2
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rt_spec() { if [ "$1" = crk ]; then echo "cricketd=unix://$CRK_SOCK"; else echo "containerd=unix://$CTD_SOCK"; fi; }
mkdir -p "$W"/{logs,net.d,ipam,crk,ctd,registry,res}

say "local registry and the busybox image"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
REG=127.0.0.1:$PORT
cat >"$W/registry.yml" <<YML
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $W/registry}}
http: {addr: $REG}
YML
setsid docker-registry serve "$W/registry.yml" >"$W/registry.log" 2>&1 &
PID[registry]=$!
for _ in $(seq 100); do curl -sf "http://$REG/v2/" >/dev/null && break; sleep 0.1; done
python3 "$here/../../contrib/demo-image.py" "$W/busybox" 1.0
skopeo copy --quiet --insecure-policy --dest-tls-verify=false "oci:$W/busybox:1.0" \
  "docker://$REG/bench/busybox:1.0"
IMAGE=$REG/bench/busybox:1.0

say "pause image from $PAUSE"
python3 - "$PAUSE" "$W/pause.tar" "$PAUSE_REF" <<'PY'
# One layer holding /cricket-pause, Entrypoint ["/cricket-pause"], as an OCI archive.
import gzip, hashlib, io, json, sys, tarfile
binary, out, ref = sys.argv[1:]
raw = io.BytesIO()
with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as t:
    data = open(binary, "rb").read()
    info = tarfile.TarInfo("cricket-pause"); info.size = len(data); info.mode = 0o755
    t.addfile(info, io.BytesIO(data))
layer = gzip.compress(raw.getvalue(), mtime=0)
blobs = {}
def blob(b):
    d = hashlib.sha256(b).hexdigest(); blobs[d] = b
    return {"digest": "sha256:" + d, "size": len(b)}
cfg = blob(json.dumps({"architecture": "amd64", "os": "linux",
    "config": {"Entrypoint": ["/cricket-pause"], "User": "65535:65535"},
    "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(raw.getvalue()).hexdigest()]}}).encode())
man = blob(json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", **cfg},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", **blob(layer)}]}).encode())
index = {"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
    **man, "annotations": {"io.containerd.image.name": ref, "org.opencontainers.image.ref.name": ref.split(":")[1]}}]}
with tarfile.open(out, "w") as t:
    def add(name, b):
        i = tarfile.TarInfo(name); i.size = len(b); t.addfile(i, io.BytesIO(b))
    add("oci-layout", b'{"imageLayoutVersion":"1.0.0"}')
    add("index.json", json.dumps(index).encode())
    for d, b in blobs.items(): add("blobs/sha256/" + d, b)
PY

say "CNI network: bridge $BR"
used=$( (ip -o -4 addr; ip -o -4 route) || true)
SUBNET=""
for x in $(seq $((($$ % 200) + 20)) 254) $(seq 20 254); do
  grep -q "10\.199\.$x\." <<<"$used" || { SUBNET=10.199.$x; break; }
done
[ -n "$SUBNET" ] || die "no free 10.199.x.0/24"
cat >"$W/net.d/10-cribench.conflist" <<JSON
{"cniVersion": "1.0.0", "name": "cribench-$$", "plugins": [
  {"type": "bridge", "bridge": "$BR", "isGateway": true, "ipMasq": false,
   "ipam": {"type": "host-local", "dataDir": "$W/ipam",
            "ranges": [[{"subnet": "$SUBNET.0/24", "gateway": "$SUBNET.1"}]]}},
  {"type": "loopback"}]}
JSON

say "cricketd"
cat >"$W/crk/cricket.yaml" <<YML
socket_path: $CRK_SOCK
root_dir: $W/crk/root
state_dir: $W/crk/state
log_level: ${LOG_LEVEL:-warn}
cni:
  conf_dir: $W/net.d
  bin_dirs: [/usr/lib/cni]
  cache_dir: $W/crk/cni-cache
runtime:
  restrict_oom_score_adj: true
YML
setsid "$CRICKETD" --config "$W/crk/cricket.yaml" --config-dir "$W/crk/cricket.d" >"$W/crk/log" 2>&1 &
PID[crk]=$!

say "containerd $(containerd --version | awk '{print $3}')"
mkdir -p "$W/ctd/hosts/$REG"
cat >"$W/ctd/hosts/$REG/hosts.toml" <<TOML
server = "http://$REG"
[host."http://$REG"]
  capabilities = ["pull", "resolve"]
TOML
cri='plugins."io.containerd.grpc.v1.cri"'
cat >"$W/ctd/config.toml" <<TOML
version = 2
root = "$W/ctd/root"
state = "$W/ctd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.native", "io.containerd.internal.v1.opt",
  "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "$CTD_SOCK"
[ttrpc]
  address = "$CTD_SOCK.ttrpc"
[$cri]
  sandbox_image = "$PAUSE_REF"
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  [$cri.containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [$cri.containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [$cri.containerd.runtimes.runc.options]
        Root = "$W/ctd/runc"
  [$cri.cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$W/net.d"
  [$cri.registry]
    config_path = "$W/ctd/hosts"
TOML
setsid containerd --config "$W/ctd/config.toml" >"$W/ctd/log" 2>&1 &
PID[ctd]=$!

for _ in $(seq 200); do [ -S "$CRK_SOCK" ] && [ -S "$CTD_SOCK" ] && break; sleep 0.1; done
kill -0 "${PID[crk]}" 2>/dev/null || { cat "$W/crk/log"; die "cricketd exited"; }
kill -0 "${PID[ctd]}" 2>/dev/null || { tail "$W/ctd/log"; die "containerd exited"; }
ps -o comm= -p "${PID[crk]}" "${PID[ctd]}" "${PID[registry]}" | tr "\n" " " >&2; echo >&2
ctr -a "$CTD_SOCK" -n k8s.io images import --all-platforms "$W/pause.tar" >/dev/null

BOTH="$(rt_spec crk) $(rt_spec ctd)"
bench() {  # bench "<NAME=ENDPOINT...>" <phase> [count]: samples go to $W/res/<metric>.<rt>
  local flags=() r metric rt ms
  for r in $1; do flags+=(--rt "$r"); done
  shift
  if ! "$TOOL" "${flags[@]}" --image "$IMAGE" --cgroup-parent "$CG" --log-dir "$W/logs" "$@" >"$W/out"; then
    tail -n 5 "$W/crk/log" "$W/ctd/log" >&2
    die "phase $* failed"
  fi
  while read -r metric rt ms; do echo "$ms" >>"$W/res/$metric.$rt"; done <"$W/out"
}

# mem <rt>: "rss_kib pss_kib nproc" of the daemon plus its per-pod/container processes
# (cricket-monitor and infra processes; containerd-shim-runc-v2 and pause), without the
# containers' own workloads.
mem() {
  local p pids=${PID[$1]}
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    local comm; comm=$(cat "/proc/$p/comm" 2>/dev/null) || continue
    case $comm in
      cricket-monitor) [ "$1" = crk ] && tr '\0' ' ' <"/proc/$p/cmdline" | grep -q -- "$W/crk" && pids+=" $p" ;;
      containerd-shim) [ "$1" = ctd ] && tr '\0' ' ' <"/proc/$p/cmdline" | grep -q -- "$CTD_SOCK" && pids+=" $p" ;;
      cricket-pause) grep -q -- "$CG/" "/proc/$p/cgroup" 2>/dev/null && {
        local pp; pp=$(awk '{print $4}' "/proc/$p/stat")
        local pc; pc=$(cat "/proc/$pp/comm" 2>/dev/null)
        { [ "$1" = ctd ] && [ "$pc" = containerd-shim ]; } ||
          { [ "$1" = crk ] && [ "$pc" = cricket-monitor ]; } && pids+=" $p"; } ;;
    esac
  done
  local rss=0 pss=0 uss=0 n=0 r s u drss=0
  for p in $pids; do
    r=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null) || continue
    read -r s u < <(awk '/^Pss:/ {p = $2} /^Private_(Clean|Dirty):/ {u += $2} END {print p + 0, u + 0}' \
      "/proc/$p/smaps_rollup" 2>/dev/null) || continue
    rss=$((rss + ${r:-0})); pss=$((pss + ${s:-0})); uss=$((uss + ${u:-0})); n=$((n + 1))
    [ "$p" = "${PID[$1]}" ] && drss=${r:-0}
  done
  echo "$rss $pss $uss $n $drss"
}
record_mem() {  # record_mem <label> <rt>
  local rt=$2 name; name=$([ "$rt" = crk ] && echo cricketd || echo containerd)
  local rss pss uss n drss
  read -r rss pss uss n drss < <(mem "$rt")
  echo "$rss" >>"$W/res/$1_rss.$name"; echo "$pss" >>"$W/res/$1_pss.$name"
  echo "$uss" >>"$W/res/$1_uss.$name"
  awk -v n="$name" -v l="$1" -v r="$rss" -v p="$pss" -v u="$uss" -v c="$n" -v d="$drss" 'BEGIN {
    printf "cri_bench:   %s with %s: %d processes, RSS %.1f MiB (daemon %.1f MiB, others %.2f MiB" \
      " each), PSS %.1f MiB, USS %.1f MiB\n", n, l, c, r / 1024, d / 1024,
      (c > 1 ? (r - d) / (c - 1) / 1024 : 0), p / 1024, u / 1024 }' >&2
}

# The floor under RunPodSandbox: a fresh netns plus the same CNI ADD (bridge, loopback) run
# straight from here, then DEL; what no runtime can go below with this network config.
python3 - "$W/net.d/10-cribench.conflist" "$W/floor" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
for p in c["plugins"]:
    json.dump({"cniVersion": c["cniVersion"], "name": c["name"], **p}, open(f"{sys.argv[2]}-{p['type']}.json", "w"))
PY
cni() {  # cni <ADD|DEL> <container id> <netns path>
  local p
  for p in bridge loopback; do
    CNI_COMMAND=$1 CNI_CONTAINERID=$2 CNI_NETNS=$3 CNI_IFNAME=$([ $p = bridge ] && echo eth0 || echo lo) \
      CNI_PATH=/usr/lib/cni /usr/lib/cni/$p <"$W/floor-$p.json" >/dev/null || return 1
  done
}
cni_floor() {  # cni_floor <rounds>: netns + ADD timed, into $W/res/cni_floor.floor
  local i ns=$W/floor-ns t0
  for i in $(seq "$1"); do
    t0=$(date +%s%N)
    touch "$ns" && unshare --net="$ns" true && cni ADD "floor$i" "$ns" || die "CNI ADD (floor) failed"
    echo $(( ($(date +%s%N) - t0) / 1000 )) | awk '{print $1 / 1000}' >>"$W/res/cni_floor.floor"
    cni DEL "floor$i" "$ns"; umount "$ns"; rm -f "$ns"
  done
}

say "pull (each runtime through CRI)"
bench "$BOTH" pull
record_mem idle crk; record_mem idle ctd
say "$N CNI ADD straight from the plugins (floor)"
cni_floor "$N"
say "$N sequential RunPodSandbox per runtime (interleaved)"
bench "$BOTH" sandbox "$N"
say "$N CreateContainer+StartContainer per runtime (interleaved)"
bench "$BOTH" container "$N"
say "$N full pod+container+stop+remove cycles per runtime (interleaved)"
bench "$BOTH" cycle "$N"
for i in $(seq "$MEM_RUNS"); do
  order="crk ctd"; [ $((i % 2)) = 0 ] && order="ctd crk"
  for rt in $order; do
    say "$BURST pods at once ($rt)"
    bench "$(rt_spec $rt)" burst "$BURST"
    sleep 2
    record_mem pods$BURST $rt
    bench "$(rt_spec $rt)" teardown
  done
  for rt in $order; do
    say "$FILL pods with a running container each ($rt)"
    bench "$(rt_spec $rt)" fill "$FILL"
    sleep 2
    record_mem ctrs$FILL $rt
    bench "$(rt_spec $rt)" teardown
  done
done

# q <file> <p>: the p-quantile (nearest rank) of the numbers in a file.
q() { sort -n "$1" | awk -v p="$2" '{a[NR]=$1} END {i=int(p*NR+0.999999); if(i<1)i=1; print a[i]}'; }
row() {  # row <label> <metric> <quantile> <target ratio or "-"> [divisor]
  local c=$W/res/$2.cricketd d=$W/res/$2.containerd
  [ -s "$c" ] && [ -s "$d" ] || return 0
  local a b; a=$(q "$c" "$3"); b=$(q "$d" "$3")
  awk -v l="$1" -v a="$a" -v b="$b" -v t="$4" -v k="${5:-1}" 'BEGIN {
    a /= k; b /= k
    r = (b > 0) ? a / b : 0
    verdict = (t == "-") ? "" : ((r <= t) ? sprintf("<= %.2f met", t) : sprintf("> %.2f MISSED", t))
    printf "%-38s %10.1f %10.1f %7.3f  %s\n", l, a, b, r, verdict }'
}
echo
echo "cri_bench: cricketd vs containerd $(containerd --version | awk '{print $3}') (runc $(runc --version | awk 'NR==1 {print $3}')), $N rounds, host $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-38s %10s %10s %7s  %s\n" metric cricketd containerd ratio "target (issue)"
row "RunPodSandbox p50 (ms)" runp 0.5 0.3333
row "RunPodSandbox p99 (ms)" runp 0.99 -
row "Stop+RemovePodSandbox p50 (ms)" stopp_rmp 0.5 -
row "  StopPodSandbox p50 (ms)" stopp 0.5 -
row "  RemovePodSandbox p50 (ms)" rmp 0.5 -
row "$BURST pods at once, total (ms)" burst 0.5 0.5
row "RSS with $BURST pods (MiB)" pods${BURST}_rss 0.5 0.25 1024
row "PSS with $BURST pods (MiB)" pods${BURST}_pss 0.5 - 1024
row "USS with $BURST pods (MiB)" pods${BURST}_uss 0.5 - 1024
row "CreateContainer p50 (ms)" create 0.5 -
row "StartContainer p50 (ms)" start 0.5 -
row "Create+StartContainer p50 (ms)" create_start 0.5 0.3333
row "Create+StartContainer p99 (ms)" create_start 0.99 0.3333
row "Stop+RemoveContainer p50 (ms)" stop_rm 0.5 -
row "  StopContainer (timeout 0) p50 (ms)" stop 0.5 -
row "  RemoveContainer p50 (ms)" rm 0.5 -
row "pod+ctr+stop+remove p50 (ms)" cycle 0.5 0.3333
row "pod+ctr+stop+remove p99 (ms)" cycle 0.99 -
row "$FILL pods+ctrs, 4 at a time (ms)" fill 0.5 -
row "RSS with $FILL containers (MiB)" ctrs${FILL}_rss 0.5 0.2 1024
row "PSS with $FILL containers (MiB)" ctrs${FILL}_pss 0.5 0.2 1024
row "USS with $FILL containers (MiB)" ctrs${FILL}_uss 0.5 0.2 1024
row "RSS idle daemon (MiB)" idle_rss 0.5 - 1024
fl=$(q "$W/res/cni_floor.floor" 0.5)
fr=$(awk -v f="$fl" -v c="$(q "$W/res/runp.containerd" 0.5)" 'BEGIN {printf "%.2f", f / c}')
echo "floor: a netns + CNI ADD (bridge, loopback) run directly: p50 $fl ms = $fr of containerd's RunPodSandbox p50"
echo "(memory: daemon + cricket-monitor/infra processes vs daemon + containerd-shim-runc-v2 + pause;"
echo " RSS = sum of VmRSS, counts shared pages once per process; PSS = sum of smaps_rollup Pss;"
echo " USS = sum of Private_Clean+Private_Dirty, what each process has alone;"
echo " the containers' own workloads are not counted. Machine shared with other jobs: noisy.)"
