#!/usr/bin/env bash
# Runs one libFuzzer program for SECONDS (default 600) from its seed corpus:
#   contrib/fuzz.sh TARGET [SECONDS] [--no-build] [libFuzzer flags...]
# TARGET is a name from tests/fuzz/<name>_fuzz.cc (unpack_tar, http_request,
# ...). New inputs go to a scratch corpus under the build dir, not to the
# repo; a crash, leak or timeout leaves its input in build-asan/fuzz/artifacts/
# and fails. Copy a finding into tests/fuzz/corpus/<name>/ with the fix.
set -euo pipefail
cd "$(dirname "$0")/.."
source contrib/sanitizer-lanes.sh
name=${1:?usage: contrib/fuzz.sh TARGET [SECONDS] [--no-build] [libFuzzer flags...]}
seconds=${2:-600}
shift $(($# < 2 ? $# : 2))
if [ "${1:-}" = --no-build ]; then shift; else lane_build "$ASAN_DIR" ASAN_ARGS "fuzz_$name"; fi
prog=$ASAN_DIR/fuzz/fuzz_$name
seeds=tests/fuzz/corpus/$name
[ -x "$prog" ] || { echo "fuzz: no program $prog (tests/fuzz/${name}_fuzz.cc)" >&2; exit 2; }
[ -d "$seeds" ] || { echo "fuzz: no seed corpus $seeds" >&2; exit 2; }
work=$ASAN_DIR/fuzz/corpus/$name
artifacts=$ASAN_DIR/fuzz/artifacts/$name/
mkdir -p "$work" "$artifacts"
# -timeout: one input taking seconds is a hang worth a report; -rss_limit_mb:
# libFuzzer's default (2 GB) with ASan's overhead; the leak check at exit is
# kept (detect_leaks) but one slow input must not turn into minutes.
echo "fuzz: $name for ${seconds}s"
timeout $((seconds + 300)) "$prog" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$artifacts" "$@" "$work" "$seeds" 2>"$ASAN_DIR/fuzz/$name.log" ||
  { tail -60 "$ASAN_DIR/fuzz/$name.log"; echo "fuzz: $name failed; input in $artifacts" >&2; exit 1; }
grep -E '^Done' "$ASAN_DIR/fuzz/$name.log" | sed "s/^/fuzz: $name: /"
