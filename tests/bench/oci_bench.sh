#!/usr/bin/env bash
# Benchmark of cricket-oci against Debian's runc and crun on one busybox
# bundle, interleaved round by round: `run` of /bin/true (full lifecycle),
# create/start/delete timed separately, peak RSS of `run`, and `list` with
# 100 containers. Prints medians and the ratios cricket/crun, cricket/runc.
# crun refuses this host's hybrid cgroup layout, so crun AND cricket-oci run
# in a private mount namespace without /sys/fs/cgroup/unified; runc runs as is.
#
# usage (as root): tests/bench/oci_bench.sh [build-dir]   (env: N=30 rounds, LIST_N=100)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build}
cricket=$(cd "$build" && pwd)/oci/cricket-oci
N=${N:-30}
LIST_N=${LIST_N:-100}
step=$here/oci_bench_step.sh

die() { echo "oci_bench: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root"
[ -x "$cricket" ] || die "$cricket not built (cmake --build <dir> --target cricket-oci)"
for p in runc crun busybox unshare python3; do
  command -v $p >/dev/null || die "$p missing: run contrib/setup.sh"
done
[ -x /usr/bin/time ] || die "/usr/bin/time missing: run contrib/setup.sh (package time)"

names=(cricket crun runc)
declare -A bin=([cricket]=$cricket [crun]=$(command -v crun) [runc]=$(command -v runc))
declare -A wrap=([cricket]=unshare [crun]=unshare [runc]=)

work=$(mktemp -d /tmp/cricket-oci-bench.XXXXXX)
export ERRLOG=$work/errors.log
each() {  # each <name> <op> <id> [count]: one step for one runtime
  local n=$1; shift
  if [ -n "${wrap[$n]}" ]; then
    WRAP=unshare unshare -m "$step" "${bin[$n]}" "$work/root-$n" "$work/bundle" "$@"
  else
    "$step" "${bin[$n]}" "$work/root-$n" "$work/bundle" "$@"
  fi
}
cleanup() {
  for n in "${names[@]}"; do each "$n" delete-all x >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# The bundle: busybox-static rootfs, runc's default config running /bin/true.
mkdir -p "$work/bundle/rootfs"/{bin,proc,sys,dev,tmp,etc}
cp "$(command -v busybox)" "$work/bundle/rootfs/bin/busybox"
for a in sh true sleep; do ln -s busybox "$work/bundle/rootfs/bin/$a"; done
(cd "$work/bundle" && runc spec)
python3 - "$work/bundle/config.json" <<'PY'
import json, sys
p = sys.argv[1]; c = json.load(open(p))
c["process"]["terminal"] = False
c["process"]["args"] = ["/bin/true"]
json.dump(c, open(p, "w"), indent=1)
PY
for n in "${names[@]}"; do mkdir -p "$work/root-$n"; done

record() {  # record <name> < "metric value" lines
  local n=$1 m v
  while read -r m v; do echo "$v" >> "$work/$n.$m"; done
}

echo "oci_bench: $N interleaved rounds (run, create/start/delete) ..." >&2
for i in $(seq 1 "$N"); do
  # Rotate the order each round so no runtime always goes first.
  for k in 0 1 2; do
    n=${names[$(( (i + k) % 3 ))]}
    each "$n" run "r$i" | record "$n"
    each "$n" csd "c$i" | record "$n"
  done
done
echo "oci_bench: peak RSS ..." >&2
for i in $(seq 1 10); do
  for n in "${names[@]}"; do each "$n" rss "m$i" | record "$n"; done
done
echo "oci_bench: list with $LIST_N containers ..." >&2
# Every runtime holds its containers at once, and the lists interleave like
# the rounds above, so a change in the machine's load hits all three alike.
for n in "${names[@]}"; do each "$n" create-many l "$LIST_N"; done
for i in $(seq 1 "$N"); do
  for k in 0 1 2; do
    n=${names[$(( (i + k) % 3 ))]}
    each "$n" list x | record "$n"
  done
done
for n in "${names[@]}"; do each "$n" delete-all x; done

median() {  # median of the numbers in a file
  sort -n "$1" |
    awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'
}
printf '\n%-22s %12s %12s %12s %14s %14s\n' metric cricket-oci crun runc cricket/crun cricket/runc
for m in run create start delete rss list; do
  declare -A med=()
  for n in "${names[@]}"; do med[$n]=$(median "$work/$n.$m"); done
  unit=ms; scale=1000
  if [ "$m" = rss ]; then unit=KiB; scale=1; fi
  label="$m ($unit)"
  [ "$m" = run ] && label="run /bin/true (ms)"
  [ "$m" = rss ] && label="peak RSS run (KiB)"
  [ "$m" = list ] && label="list x$LIST_N (ms)"
  awk -v l="$label" -v c="${med[cricket]}" -v cr="${med[crun]}" -v r="${med[runc]}" -v s="$scale" \
    'BEGIN {printf "%-22s %12.2f %12.2f %12.2f %13.2fx %13.2fx\n", l, c/s, cr/s, r/s, c/cr, c/r}'
done
echo "(medians of $N rounds; RSS of 10; host: $(nproc) cores, $(uname -r))"
