#!/usr/bin/env bash
# One timed step of oci_bench.sh, printed as "<metric> <value>" lines (times in
# microseconds, RSS in KiB). With WRAP=unshare it runs in a private mount
# namespace without /sys/fs/cgroup/unified, the only layout crun accepts on a
# hybrid cgroup host; the wrapper's own cost stays outside the timings.
# usage: oci_bench_step.sh <runtime-binary> <root> <bundle> <op> <id> [count]
set -euo pipefail
bin=$1 root=$2 bundle=$3 op=$4 id=$5 count=${6:-1}

if [ "${WRAP:-}" = unshare ] && mountpoint -q /sys/fs/cgroup/unified; then
  umount /sys/fs/cgroup/unified
fi

now() { local t=${EPOCHREALTIME/./}; echo "$t"; }
# Runs the runtime; its stderr goes to $ERRLOG, and a failure stops the bench.
rt() {
  if ! "$bin" --root "$root" "$@" </dev/null >/dev/null 2>>"${ERRLOG:-/dev/null}"; then
    echo "oci_bench: $bin $* failed (stderr in ${ERRLOG:-/dev/null})" >&2
    return 1
  fi
}

wait_stopped() {
  local i
  for i in $(seq 1 500); do
    "$bin" --root "$root" state "$1" 2>/dev/null | grep -q '"stopped"' && return 0
    sleep 0.01
  done
  echo "oci_bench: $bin: $1 did not stop" >&2
  return 1
}

case $op in
  run)
    t0=$(now); rt run --bundle "$bundle" "$id"; t1=$(now)
    echo "run $((t1 - t0))" ;;
  csd)
    t0=$(now); rt create --bundle "$bundle" "$id"; t1=$(now)
    rt start "$id"; t2=$(now)
    wait_stopped "$id"
    t3=$(now); rt delete "$id"; t4=$(now)
    echo "create $((t1 - t0))"; echo "start $((t2 - t1))"; echo "delete $((t4 - t3))" ;;
  rss)
    kb=$(/usr/bin/time -f %M "$bin" --root "$root" run --bundle "$bundle" "$id" \
           2>&1 >/dev/null </dev/null | tail -n 1)
    echo "rss $kb" ;;
  create-many)
    for i in $(seq 1 "$count"); do rt create --bundle "$bundle" "$id-$i"; done ;;
  list)
    t0=$(now); rt list; t1=$(now)
    echo "list $((t1 - t0))" ;;
  delete-all)
    for c in $("$bin" --root "$root" list -q 2>/dev/null); do rt delete -f "$c" || true; done ;;
  *) echo "oci_bench_step: unknown op $op" >&2; exit 2 ;;
esac
