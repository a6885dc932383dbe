#!/usr/bin/env bash
# Times a clean build of one commit, without ccache, in a scratch worktree:
#   contrib/build-time.sh [commit [target]]   # HEAD and the default target
#                                             # (product + tests) by default
# Prints wall seconds, user+sys CPU seconds and the load average around it.
# CPU seconds compare fairly on a shared machine; wall time only on an idle one.
set -euo pipefail
commit=${1:-HEAD}
target=${2:-}
top=$(git rev-parse --show-toplevel)
scratch=$(mktemp -d /tmp/cricket-build-time.XXXXXX)
cleanup() { git -C "$top" worktree remove --force "$scratch/src" 2>/dev/null || true; rm -rf "$scratch"; }
trap cleanup EXIT
git -C "$top" worktree add --detach "$scratch/src" "$commit" >/dev/null 2>&1
export CCACHE_DISABLE=1
cmake -S "$scratch/src" -B "$scratch/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
if ! /usr/bin/time -f '%e %U %S' -o "$scratch/time" \
    cmake --build "$scratch/build" -j"${JOBS:-2}" ${target:+--target "$target"} >"$scratch/log" 2>&1; then
  tail -20 "$scratch/log"
  exit 1
fi
read -r wall user sys <"$scratch/time"
printf 'commit %s, target %s: wall %ss, cpu %ss (user %s, sys %s), load %s -> %s\n' \
  "$(git -C "$top" rev-parse --short "$commit")" "${target:-all}" "$wall" \
  "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" "$user" "$sys" \
  "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)"
