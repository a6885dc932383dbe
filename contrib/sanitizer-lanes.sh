# Sourced by contrib/run-sanitizers.sh and contrib/fuzz.sh: how each lane's
# build dir is configured and which targets it builds. A lane builds only the
# libraries and tests that matter for it, never the whole tree (a second full
# build per sanitizer would double CI's time).
# -O0 and line tables only: reports keep file:line, and the lanes compile in
# two thirds of the time -O1 takes (measured on a test and a pod file); the
# tests they run are short, so slower code costs CI less than compiling does.
LANE_CMAKE_ARGS=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang
  -DCMAKE_CXX_COMPILER=clang++
  "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O0 -gline-tables-only -DNDEBUG"
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O0 -gline-tables-only -DNDEBUG")
if command -v ccache >/dev/null; then
  LANE_CMAKE_ARGS+=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi

# asan: ASan + UBSan, and libFuzzer's coverage hooks so that the same objects
# serve the fuzz programs. Tests: the parsers (conf, image, network, pod's CRI
# log and spec code), the unpacker (integration_image) and the streaming
# server (unit_streaming).
ASAN_DIR=build-asan
ASAN_ARGS=(-DCRICKET_SANITIZE=address,undefined -DCRICKET_FUZZ=ON)
ASAN_TESTS=(unit_sys unit_conf unit_image unit_network unit_pod unit_streaming integration_image)
ASAN_TARGETS=(fuzz_targets "${ASAN_TESTS[@]}")

# tsan: the daemon's concurrency: one image pulled by many callers at once
# (unit_image, whole), thirty pods created and removed at once through the
# pod layer (integration_pod) and through CNI (integration_network). Not the
# streaming server's fifty concurrent execs: unit_streaming needs the whole
# cri layer built a third time, which CI's time does not allow.
TSAN_DIR=build-tsan
TSAN_ARGS=(-DCRICKET_SANITIZE=thread)
TSAN_TARGETS=(unit_image integration_pod integration_network)
# ctest -R over the built binaries: only the concurrency tests of the
# integration suites (the others start containers through the monitor, which
# the TSan lane does not build).
TSAN_TESTS='^unit_image\.|^integration_pod\.SandboxTest\.ThirtyPodsAtOnce$|^integration_network\.(CniFailureTest\.ThirtyPodsSetUpAndTornDownConcurrently|PinnedNamespaceTest\.ConcurrentCreationFromManyThreads)$'

# Sanitizer reports fail the test (the build has -fno-sanitize-recover).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/tests/tsan/suppressions.txt}

lane_build() {  # lane_build DIR "ARGS..." TARGETS...
  local dir=$1; shift
  local -n args=$1; shift
  cmake -S . -B "$dir" "${LANE_CMAKE_ARGS[@]}" "${args[@]}" >/dev/null
  cmake --build "$dir" -j"$(nproc)" --target "$@"
}
