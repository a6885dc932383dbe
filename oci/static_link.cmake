# cricket_link_engine_statically(<program>): links a program built on the
# engine (cricket_oci) with the engine's third-party libraries taken from their
# static archives where Debian ships them (absl, libseccomp, libcap), and with
# libstdc++/libgcc static, so that the program maps libc and little else.
#
# Why: cricket-oci runs once per verb and its start-up plus resident memory
# were dominated by ~40 shared objects (30 of them absl), their relocations
# and the pages each one touches (tests/bench/oci_bench.sh). cricketd must keep
# the shared absl that gRPC shares with it, so only engine programs use this.
#
# How: the archives go in one --start-group before the shared libraries that
# cricket_oci's usage requirements still add; every symbol is then found in an
# archive first, and --as-needed leaves the unneeded .so files out of the
# program (no DT_NEEDED). A package without an archive stays shared.
function(cricket_link_engine_statically program)
  set(archives)
  get_target_property(absl_base absl::base LOCATION)
  get_filename_component(absl_dir "${absl_base}" DIRECTORY)
  file(GLOB absl_archives "${absl_dir}/libabsl_*.a")
  list(APPEND archives ${absl_archives})
  foreach(pkg SECCOMP LIBCAP)
    foreach(so ${${pkg}_LINK_LIBRARIES})
      string(REGEX REPLACE "\\.so(\\.[0-9.]+)?$" ".a" archive "${so}")
      if(NOT archive STREQUAL so AND EXISTS "${archive}")
        list(APPEND archives "${archive}")
      endif()
    endforeach()
  endforeach()
  target_link_libraries(${program} PRIVATE
    -Wl,--start-group cricket_oci cricket_sys ${archives} -Wl,--end-group)
  # -O1: optimised hash tables for the few dynamic symbols left;
  # --gc-sections drops what the archives' objects carry but nothing calls.
  target_link_options(${program} PRIVATE
    -static-libstdc++ -static-libgcc LINKER:-O1,--as-needed,--gc-sections)
  # DT_RELR (glibc >= 2.36): the ~2,700 relative relocations of a PIE with
  # static C++ libraries shrink from 64 KiB of .rela.dyn, read at every
  # start, to a few hundred bytes.
  include(CheckLinkerFlag)
  check_linker_flag(CXX "LINKER:-z,pack-relative-relocs" CRICKET_HAVE_RELR)
  if(CRICKET_HAVE_RELR)
    target_link_options(${program} PRIVATE LINKER:-z,pack-relative-relocs)
  endif()
endfunction()
