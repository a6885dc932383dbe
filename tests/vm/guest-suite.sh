#!/usr/bin/env bash
# Inside the VM lane's guest (cricket-runtime installed and started by
# contrib/vm/run.sh): serves the test image from the shared registry dir on
# the guest's loopback, pulls it once, then runs each check in checks/,
# writing RESULTS/<check>.status, .log and a line in RESULTS/times.
# Usage: guest-suite.sh RESULTS_DIR
set -u
results=$1
here=$(cd "$(dirname "$0")" && pwd)
export IMAGE=127.0.0.1:5000/vm/busybox:1.0
# Knobs suite.sh passed from the host (VM_OOM_RUNS).
if [ -f "$results/env" ]; then set -a; . "$results/env"; set +a; fi
uptime_s() { cut -d' ' -f1 /proc/uptime; }
now() { awk '{print $1}' /proc/uptime; }

printf 'version: 0.1\nstorage: {filesystem: {rootdirectory: %s}}\nhttp: {addr: 127.0.0.1:5000}\nlog: {level: error}\n' \
  "$results/registry" > /tmp/registry.yml
docker-registry serve /tmp/registry.yml > /tmp/registry.log 2>&1 &
for _ in $(seq 100); do busybox wget -q -O /dev/null http://127.0.0.1:5000/v2/ && break; sleep 0.2; done
setup_log=$results/suite-setup.log
# The node's pids limit the cgroup check reads back.
printf 'runtime:\n  pids_limit: 99\n' > /etc/cricket/cricket.d/60-vm-suite.yaml
systemctl restart cricket >> "$setup_log" 2>&1
t0=$(now)
if ! cricketctl pull "$IMAGE" > "$setup_log" 2>&1; then
  cat /tmp/registry.log >> "$setup_log"
fi
echo "guest: pull $(awk -v a="$t0" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}') s" >> "$results/times"

for check in "$here"/checks/*.sh; do
  name=$(basename "$check" .sh)
  t0=$(now)
  # A hung check becomes a named failure with what cricketd was doing, not a
  # lane stalled until run.sh's timeout.
  (cd /tmp && timeout --kill-after=10 "${CHECK_TIMEOUT:-240}" bash "$check") \
    > "$results/$name.log" 2>&1 < /dev/null
  status=$?
  if [ "$status" = 124 ] || [ "$status" = 137 ]; then
    { echo "FAIL - $name did not finish in ${CHECK_TIMEOUT:-240} s; cricketd's journal and the processes:"
      journalctl -u cricket --no-pager -n 80; ps -eo pid,ppid,stat,etime,wchan:24,cmd; } \
      >> "$results/$name.log" 2>&1
  fi
  t=$(awk -v a="$t0" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}')
  echo "($t s in the guest)" >> "$results/$name.log"
  echo "$status" > "$results/$name.status"
  echo "guest: $name exit $status, $t s" >> "$results/times"
done
echo "guest: uptime at the end $(uptime_s) s" >> "$results/times"
kill %1 2>/dev/null
exit 0
