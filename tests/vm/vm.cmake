# The VM lane (ctest label vm): one Debian 12 guest per suite run (systemd as
# PID 1, cgroup v2, AppArmor), booted by contrib/vm/run.sh. The test
# vm_suite boots it and runs every check in tests/vm/checks/ inside; each
# check is then its own test (vm.<check>) that reports that check's result
# and log. Without qemu the suite skips with the reason (see suite.sh).
set(vm_results ${CMAKE_BINARY_DIR}/tests/vm-results)
add_test(NAME vm_suite
  COMMAND bash ${CMAKE_SOURCE_DIR}/tests/vm/suite.sh ${CMAKE_BINARY_DIR} ${vm_results})
set_tests_properties(vm_suite PROPERTIES LABELS vm FIXTURES_SETUP vm_guest
  SKIP_RETURN_CODE 77 TIMEOUT 1500)
file(GLOB vm_checks CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/vm/checks/*.sh)
foreach(c ${vm_checks})
  get_filename_component(name ${c} NAME_WE)
  add_test(NAME vm.${name}
    COMMAND bash ${CMAKE_SOURCE_DIR}/tests/vm/result.sh ${vm_results} ${name})
  set_tests_properties(vm.${name} PROPERTIES LABELS vm FIXTURES_REQUIRED vm_guest
    SKIP_RETURN_CODE 77 TIMEOUT 30)
endforeach()
