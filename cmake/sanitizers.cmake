# Sanitizer and fuzzing builds (contrib/run-sanitizers.sh drives them; each is
# its own build dir and builds only the targets it names, not the whole tree).
#   -DCRICKET_SANITIZE=address,undefined   (or thread): every object and link
#   -DCRICKET_FUZZ=ON (clang): libraries get libFuzzer's coverage hooks
#     (fuzzer-no-link) and tests/fuzz adds one libFuzzer program per parser.
# The same objects serve the fuzz targets and the unit tests: a test binary
# links the ASan runtime, which has default coverage callbacks.
set(CRICKET_SANITIZE "" CACHE STRING "sanitizers for every target: address,undefined | thread")
option(CRICKET_FUZZ "build the libFuzzer targets in tests/fuzz (clang only)" OFF)
if(CRICKET_SANITIZE)
  add_compile_options(-fsanitize=${CRICKET_SANITIZE} -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${CRICKET_SANITIZE})
endif()
if(CRICKET_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "CRICKET_FUZZ needs clang (CXX=clang++; apt-get install clang libclang-rt-14-dev)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

# TSan: Debian's libabsl is not instrumented, so absl::Mutex is invisible to
# TSan; test binaries wrap the Mutex calls cricket makes with annotations
# (tests/tsan/absl_mutex_annotations.cc). cricket_add_test calls this.
function(cricket_sanitize_test target)
  if(NOT CRICKET_SANITIZE MATCHES "thread")
    return()
  endif()
  target_sources(${target} PRIVATE ${CMAKE_SOURCE_DIR}/tests/tsan/absl_mutex_annotations.cc)
  foreach(sym _ZN4absl7debian35Mutex4LockEv _ZN4absl7debian35Mutex6UnlockEv
              _ZN4absl7debian35Mutex7TryLockEv
              _ZN4absl7debian35Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE)
    target_link_options(${target} PRIVATE -Wl,--wrap=${sym})
  endforeach()
endfunction()
