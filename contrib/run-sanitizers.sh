#!/usr/bin/env bash
# The fuzz and sanitizer lanes, each in its own build dir with clang (see
# contrib/sanitizer-lanes.sh for what each builds):
#   fuzz  every libFuzzer program in tests/fuzz for FUZZ_SECONDS (default 10)
#         from its seed corpus (tests/fuzz/corpus/<name>), in the asan build
#   asan  the parser, unpacker and streaming-server tests under ASan + UBSan
#   tsan  the daemon's concurrency tests under TSan
# Usage: contrib/run-sanitizers.sh [fuzz] [asan] [tsan]   (default: all three)
# contrib/run-tests.sh runs it after the main suite; contrib/fuzz.sh runs one
# fuzz program for longer.
set -euo pipefail
cd "$(dirname "$0")/.."
source contrib/sanitizer-lanes.sh
lanes=("$@")
[ ${#lanes[@]} -gt 0 ] || lanes=(fuzz asan tsan)
for lane in "${lanes[@]}"; do
  case $lane in
    fuzz)
      lane_build "$ASAN_DIR" ASAN_ARGS fuzz_targets
      for prog in "$ASAN_DIR"/fuzz/fuzz_*; do
        bash contrib/fuzz.sh "${prog##*/fuzz_}" "${FUZZ_SECONDS:-10}" --no-build
      done ;;
    asan)
      lane_build "$ASAN_DIR" ASAN_ARGS "${ASAN_TARGETS[@]}"
      regex="^($(IFS='|'; echo "${ASAN_TESTS[*]}"))\\."
      ctest --test-dir "$ASAN_DIR" --output-on-failure -j"$(nproc)" -R "$regex" ;;
    tsan)
      lane_build "$TSAN_DIR" TSAN_ARGS "${TSAN_TARGETS[@]}"
      ctest --test-dir "$TSAN_DIR" --output-on-failure -j"$(nproc)" -R "$TSAN_TESTS" ;;
    *) echo "run-sanitizers: unknown lane $lane (fuzz, asan, tsan)" >&2; exit 2 ;;
  esac
done
