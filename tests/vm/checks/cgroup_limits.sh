# The v2 limits vm.cgroup_v2 does not cover, read back from the container's
# cgroup files: cpuset (cpus, mems), memory.swap.max (CRI's swap is
# memory+swap), hugetlb.2MB.max, and the unified map the kubelet fills
# (memory.oom.group per container, io.max on the guest's disk), cpuset and
# memory.oom.group again after a daemon-reload; and the eBPF
# device filter enforced: a block device the container may not use cannot be
# opened from inside, /dev/null made the same way can.
. "$(dirname "$0")/../lib.sh"
trap remove_pods EXIT

disk=$(stat -c '%t:%T' /dev/vda 2>/dev/null) || disk=$(stat -c '%t:%T' "$(findmnt -no SOURCE /)")
disk=$((0x${disk%:*})):$((0x${disk#*:}))
echo "the guest's disk: $disk"
pod=$(new_pod lim vm-lim)
# Inside (with CAP_MKNOD, not in the default set): mknod is allowed by the
# default rules (as runc's), opening is not for anything outside the allow-list.
probe='if mknod /tmp/disk b '"${disk%:*} ${disk#*:}"'; then head -c 1 /tmp/disk >/dev/null 2>&1 && echo disk opened || echo disk denied; else echo disk mknod denied; fi; mknod /tmp/null c 1 3 && echo x > /tmp/null && echo null opened; sleep 1000'
ctr=$(new_ctr "$pod" lim limits "[\"sh\", \"-c\", \"$probe\"]" \
  '"resources": {"cpuset_cpus": "1", "cpuset_mems": "0", "memory_limit_in_bytes": 67108864,
   "memory_swap_limit_in_bytes": 100663296, "hugepage_limits": [{"page_size": "2MB", "limit": 4194304}],
   "unified": {"memory.oom.group": "1", "io.max": "'"$disk"' rbps=1048576 wbps=2097152"}},
  "security_context": {"capabilities": {"add_capabilities": ["MKNOD"]}}')
dir=$(ctr_cgroup "$ctr")
echo "container cgroup: $dir"
expect_eq "cpuset.cpus" 1 "$(cat "$dir/cpuset.cpus" 2>&1)"
expect_eq "cpuset.mems" 0 "$(cat "$dir/cpuset.mems" 2>&1)"
expect_eq "memory.swap.max (memory+swap less memory)" 33554432 "$(cat "$dir/memory.swap.max" 2>&1)"
expect_eq "hugetlb.2MB.max" 4194304 "$(cat "$dir/hugetlb.2MB.max" 2>&1)"
expect_eq "memory.oom.group" 1 "$(cat "$dir/memory.oom.group" 2>&1)"
expect_match "io.max" "^$disk rbps=1048576 wbps=2097152 riops=max wiops=max$" "$(cat "$dir/io.max" 2>&1)"
# systemd rewrites cpuset.* and memory.oom.group from the unit's properties
# (AllowedCPUs, AllowedMemoryNodes, OOMPolicy) whenever it realizes the
# cgroup: written only to the files they fell back to "" and 0 here.
systemctl daemon-reload
expect_eq "cpuset.cpus after daemon-reload" 1 "$(cat "$dir/cpuset.cpus" 2>&1)"
expect_eq "memory.oom.group after daemon-reload" 1 "$(cat "$dir/memory.oom.group" 2>&1)"

for _ in $(seq 50); do
  log=$(cricketctl logs "$ctr" 2>&1)
  case "$log" in *"null opened"*) break ;; esac
  sleep 0.2
done
expect_match "the disk ($disk) from inside" "disk (mknod )?denied" "$log"
expect_match "/dev/null's numbers from inside" "null opened" "$log"
finish
