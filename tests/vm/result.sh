#!/usr/bin/env bash
# One check of the VM lane, as ctest sees it: prints what the check printed
# in the guest and exits with its status (77: the suite was skipped).
# Usage: result.sh RESULTS_DIR CHECK
set -u
results=$1 name=$2
if [ -f "$results/skipped" ]; then
  echo "skipped: $(cat "$results/skipped")"; exit 77
fi
if [ ! -f "$results/$name.status" ]; then
  echo "vm.$name: no result from the guest (did vm_suite run? see its output)"; exit 1
fi
cat "$results/$name.log"
exit "$(cat "$results/$name.status")"
