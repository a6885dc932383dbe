# The systemd cgroup driver for real: the pod's parent is the slice the
# kubelet's systemd driver names (kubepods-burstable-pod<uid>.slice), each
# container gets its own scope unit under it (cricket-<id>.scope, Delegate=yes),
# the limits, also updated ones, survive a `systemctl daemon-reload` (systemd
# rewrites a unit's cgroup files from its properties then), and removing the container stops
# the scope and its cgroup dir.
. "$(dirname "$0")/../lib.sh"
trap remove_pods EXIT

expect_match "cricketd's driver" 'driver: "?systemd' "$(cricketd config 2>&1 | grep -A3 '^cgroup:')"
pod=$(new_pod sd vm-sd)
ctr=$(new_ctr "$pod" sd scoped '["sleep", "1000"]' \
  '"resources": {"cpu_quota": 50000, "cpu_period": 100000, "memory_limit_in_bytes": 67108864}')
scope=cricket-$ctr.scope
want_dir=$(pod_slice_dir vm-sd)/$scope
expect_eq "container's cgroup" "$want_dir" "$(ctr_cgroup "$ctr")"
expect_eq "scope active" active "$(systemctl is-active "$scope")"
expect_eq "scope's slice" "Slice=$(pod_slice vm-sd)" "$(systemctl show -p Slice "$scope")"
expect_eq "scope delegated" "Delegate=yes" "$(systemctl show -p Delegate "$scope")"
pid=$(cfield "$ctr" .info.info.pid)
expect_match "systemd knows the container's init" "$scope" "$(systemctl status --no-pager "$pid" 2>&1 | head -1)"

systemctl daemon-reload
expect_eq "memory.max after daemon-reload" 67108864 "$(cat "$want_dir/memory.max" 2>&1)"
expect_eq "cpu.max after daemon-reload" "50000 100000" "$(cat "$want_dir/cpu.max" 2>&1)"

# An update goes to the unit's properties too: the next reload keeps it.
out=$(cricketctl update --memory 100663296 "$ctr" 2>&1) || bad "update: $out"
expect_eq "scope's MemoryMax after update" "MemoryMax=100663296" "$(systemctl show -p MemoryMax "$scope")"
systemctl daemon-reload
expect_eq "memory.max after update and daemon-reload" 100663296 "$(cat "$want_dir/memory.max" 2>&1)"

cricketctl stop -t 1 "$ctr" >/dev/null
cricketctl rm "$ctr" >/dev/null
expect_match "scope gone after rm" "^(inactive|unknown)$" "$(systemctl is-active "$scope")"
if [ -d "$want_dir" ]; then bad "scope dir $want_dir left"; else ok "scope dir removed"; fi
finish
