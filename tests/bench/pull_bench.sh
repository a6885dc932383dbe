#!/bin/bash
# Cold pull+unpack benchmark: cricket (ImageService via cricket-pull-bench)
# vs skopeo copy + umoci unpack vs Debian's containerd (ctr image pull, a
# private instance with its own root/state/socket, overlayfs), and the floor
# (curl of the blobs + gunzip). A local docker-registry on 127.0.0.1 serves
# images generated here: small (busybox), medium (~60 MB of many small files
# from /usr/share), large (~600 MB in five layers, mostly incompressible).
# Prints median seconds, peak RSS and ratios to cricket. Needs root.
#   usage: tests/bench/pull_bench.sh [build dir]
#   env RUNS=3 IMAGES="small medium large" SCRATCH=host|loop PULL_BENCH_PHASES=1
#       BASE_TOOL=<another cricket-pull-bench> (adds a cricket_base row: before/after)
# floor: curl + gzip -dc to /dev/null (no files, no hashing, no store, GNU
# gzip is slower than zlib); floor_untar: the same piped into tar -x, so
# the files are written too (still no hashing, store or sync).
# SCRATCH=loop (default): every run (and floor_untar) writes to a fresh ext4
# with a journal on a loop device (direct I/O), mkfs'd before the run and not
# timed, as a node's /var/lib would be. SCRATCH=host writes under /var/tmp,
# where other people's dirty pages (flushed by syncfs) and, on an ext4 without
# a journal, the scan past recently deleted inodes at every create (the
# previous runs were just deleted) land in the figures: the same unpack took
# 0.7, 2.1 and 5.7 s in three consecutive runs there.
set -euo pipefail
BUILD=${1:-/work/build-image-registry}
RUNS=${RUNS:-3}
IMAGES=${IMAGES:-"small medium large"}
SCRATCH=${SCRATCH:-loop}
TOOL=$BUILD/tests/cricket-pull-bench
[ -x "$TOOL" ] || { echo "build cricket-pull-bench first (cmake --build $BUILD --target cricket-pull-bench)"; exit 1; }
for p in docker-registry skopeo umoci containerd ctr curl jq mkfs.ext4 losetup; do
  command -v $p >/dev/null || { echo "missing $p (contrib/setup.sh)"; exit 1; }
done

WORK=$(mktemp -d /var/tmp/cricket-pull-bench.XXXXXX)
PIDS=()
LOOPDEV=
unmount_under() {  # containerd's overlay snapshots (and a scratch fs) left mounted under $1
  { grep -o " $1[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do umount -l "$m" || true; done
}
# scratch_up <dir> / scratch_down <dir>: the dir a run writes to (see SCRATCH).
scratch_up() {
  rm -rf "$1"; mkdir -p "$1"
  [ "$SCRATCH" = loop ] || return 0
  truncate -s 16G "$WORK/scratch.img"
  mkfs.ext4 -q -F "$WORK/scratch.img"
  LOOPDEV=$(losetup -f --show --direct-io=on "$WORK/scratch.img")
  # noinit_itable: no background zeroing of inode tables racing the run.
  mount -o noinit_itable "$LOOPDEV" "$1"
}
scratch_down() {
  unmount_under "$1"
  if [ -n "$LOOPDEV" ]; then losetup -d "$LOOPDEV"; LOOPDEV=; rm -f "$WORK/scratch.img"; fi
  rm -rf "$1"
}
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  unmount_under "$WORK"
  if [ -n "$LOOPDEV" ]; then losetup -d "$LOOPDEV" || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
REG=127.0.0.1:$PORT
cat > "$WORK/registry.yml" <<YAML
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $WORK/registry}}
http: {addr: $REG}
YAML
docker-registry serve "$WORK/registry.yml" 2>/dev/null &
PIDS+=($!)
for _ in $(seq 100); do curl -sf "http://$REG/v2/" >/dev/null && break; sleep 0.1; done

# make_layer <dir> <layout>: gzip a tree into the layout; prints "digest size diffid".
make_layer() {
  local tarf="$WORK/layer.tar"
  tar --sort=name --numeric-owner -C "$1" -cf "$tarf" .
  local diff; diff=$(sha256sum "$tarf" | cut -d' ' -f1)
  gzip -6 -c "$tarf" > "$tarf.gz"
  local dig; dig=$(sha256sum "$tarf.gz" | cut -d' ' -f1)
  mkdir -p "$2/blobs/sha256"
  mv "$tarf.gz" "$2/blobs/sha256/$dig"
  echo "$dig $(stat -c %s "$2/blobs/sha256/$dig") $diff"
  rm -f "$tarf"
}

# build_image <name> <layer dirs...>: OCI layout → registry as bench/<name>:v1.
build_image() {
  local name=$1; shift
  local L="$WORK/layouts/$name"; mkdir -p "$L/blobs/sha256"
  local layers="[]" diffs="[]"
  for d in "$@"; do
    read -r dig size diff < <(make_layer "$d" "$L")
    layers=$(jq -c ". + [{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:$dig\",\"size\":$size}]" <<<"$layers")
    diffs=$(jq -c ". + [\"sha256:$diff\"]" <<<"$diffs")
  done
  local cfg; cfg=$(jq -nc --argjson d "$diffs" '{architecture:"amd64",os:"linux",config:{Cmd:["/bin/sh"]},rootfs:{type:"layers",diff_ids:$d}}')
  local cdig; cdig=$(printf %s "$cfg" | sha256sum | cut -d' ' -f1)
  printf %s "$cfg" > "$L/blobs/sha256/$cdig"
  local man; man=$(jq -nc --argjson l "$layers" --arg c "sha256:$cdig" --argjson s ${#cfg} \
    '{schemaVersion:2,mediaType:"application/vnd.oci.image.manifest.v1+json",config:{mediaType:"application/vnd.oci.image.config.v1+json",digest:$c,size:$s},layers:$l}')
  local mdig; mdig=$(printf %s "$man" | sha256sum | cut -d' ' -f1)
  printf %s "$man" > "$L/blobs/sha256/$mdig"
  echo '{"imageLayoutVersion":"1.0.0"}' > "$L/oci-layout"
  jq -nc --arg d "sha256:$mdig" --argjson s ${#man} \
    '{schemaVersion:2,manifests:[{mediaType:"application/vnd.oci.image.manifest.v1+json",digest:$d,size:$s,annotations:{"org.opencontainers.image.ref.name":"v1"}}]}' > "$L/index.json"
  skopeo copy --quiet --insecure-policy --preserve-digests --dest-tls-verify=false \
    "oci:$L:v1" "docker://$REG/bench/$name:v1"
}

gen_small() {
  local d="$WORK/src/small"; mkdir -p "$d/bin" "$d/etc"
  cp /bin/busybox "$d/bin/"; for a in $(/bin/busybox --list); do ln -sf busybox "$d/bin/$a"; done
  echo "root:x:0:0:root:/root:/bin/sh" > "$d/etc/passwd"
  build_image small "$d"
}
gen_medium() {
  local d="$WORK/src/medium/usr/share"; mkdir -p "$d"
  for s in /usr/share/*; do
    cp -a "$s" "$d/" 2>/dev/null || true
    [ "$(du -sm "$WORK/src/medium" | cut -f1)" -ge 60 ] && break
  done
  build_image medium "$WORK/src/medium"
}
gen_large() {
  local dirs=()
  for i in 1 2 3 4 5; do
    local d="$WORK/src/large$i"; mkdir -p "$d/data"
    head -c $((100 << 20)) /dev/urandom > "$d/data/random.bin"
    local n=0
    for s in /usr/share/*; do
      n=$((n + 1)); [ $(( (n + i) % 5 )) -eq 0 ] || continue
      cp -a "$s" "$d/data/" 2>/dev/null || true
      [ "$(du -sm "$d" | cut -f1)" -ge 120 ] && break
    done
    dirs+=("$d")
  done
  build_image large "${dirs[@]}"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# timed <label-file> cmd...: appends "seconds maxrss_kb" of one run.
timed() { local out=$1; shift; /usr/bin/time -f "%e %M" -o "$WORK/t" "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; return 1; }; cat "$WORK/t" >> "$out"; }

run_cricket() {
  local r="$WORK/run/c"; scratch_up "$r"
  timed "$2" "$TOOL" "$r" "$REG/bench/$1:v1"
  [ "${PULL_BENCH_PHASES:-}" != 1 ] || sed -n 's/.*msg="layer unpacked"//p' "$WORK/err" >&2
  scratch_down "$r"
}
run_cricket_base() {
  local r="$WORK/run/c"; scratch_up "$r"
  timed "$2" "$BASE_TOOL" "$r" "$REG/bench/$1:v1"
  scratch_down "$r"
}
run_skopeo_umoci() {
  local r="$WORK/run/s"; scratch_up "$r"
  timed "$2" sh -c "skopeo copy --quiet --insecure-policy --src-tls-verify=false docker://$REG/bench/$1:v1 oci:$r/l:v1 && umoci unpack --image $r/l:v1 $r/b"
  scratch_down "$r"
}
run_containerd() {
  local r="$WORK/run/ctd"; scratch_up "$r"
  printf 'version = 2\nroot = "%s/root"\nstate = "%s/state"\n[grpc]\n  address = "%s/sock"\n[plugins."io.containerd.grpc.v1.cri"]\n  disable_cri = true\n' "$r" "$r" "$r" > "$r/config.toml"
  containerd -c "$r/config.toml" >/dev/null 2>&1 &
  local pid=$!; PIDS+=($pid)
  for _ in $(seq 100); do [ -S "$r/sock" ] && break; sleep 0.1; done
  timed "$2" ctr -a "$r/sock" -n bench image pull --plain-http --snapshotter overlayfs "$REG/bench/$1:v1"
  kill $pid; wait $pid 2>/dev/null || true
  scratch_down "$r"
}
layer_digests() {
  local L="$WORK/layouts/$1"
  local man; man=$(jq -r '.manifests[0].digest' "$L/index.json")
  jq -r '.layers[].digest' "$L/blobs/sha256/${man#sha256:}" | tr '\n' ' '
}
run_floor() {
  timed "$2" sh -c "for d in $(layer_digests "$1"); do curl -sf http://$REG/v2/bench/$1/blobs/\$d | gzip -dc > /dev/null; done"
}
run_floor_untar() {
  local r="$WORK/run/f"; scratch_up "$r"
  timed "$2" sh -c "for d in $(layer_digests "$1"); do curl -sf http://$REG/v2/bench/$1/blobs/\$d | gzip -dc | tar -x -C $r; done"
  scratch_down "$r"
}
TOOLS="cricket ${BASE_TOOL:+cricket_base }skopeo_umoci containerd floor floor_untar"

printf "%-7s %-14s %9s %10s %8s\n" image tool median_s peak_rss_mb ratio
for img in $IMAGES; do
  gen_$img >/dev/null
  for tool in $TOOLS; do
    : > "$WORK/res.$tool"
    for _ in $(seq "$RUNS"); do run_$tool "$img" "$WORK/res.$tool"; done
  done
  base=$(cut -d' ' -f1 "$WORK/res.cricket" | median)
  for tool in $TOOLS; do
    med=$(cut -d' ' -f1 "$WORK/res.$tool" | median)
    rss=$(cut -d' ' -f2 "$WORK/res.$tool" | sort -n | tail -1)
    printf "%-7s %-14s %9.2f %10.1f %7.2fx\n" "$img" "$tool" "$med" "$(echo "$rss/1024" | bc -l)" \
      "$(echo "$med/$base" | bc -l)"
  done
  rm -rf "$WORK/src"
done
echo "ratio = tool median / cricket median (cricket < 1/2 of containerd is the target)"
echo "scratch: $SCRATCH; floor = curl + gzip -dc to /dev/null, floor_untar = the same into tar -x"
