# cricket-oci --systemd-cgroup, as a kubelet-less user runs it (runc's
# interface): `spec`, `run -d` of a busybox bundle with cgroupsPath
# "system.slice:cricket-oci:<id>" makes the scope cricket-oci-<id>.scope in
# system.slice, `update --memory` sets the unit's MemoryMax and memory.max,
# `kill` and `delete` stop the scope and its cgroup.
. "$(dirname "$0")/../lib.sh"
id=vmoci
scope=cricket-oci-$id.scope
b=/tmp/oci-bundle
cleanup() { cricket-oci --systemd-cgroup delete -f "$id" >/dev/null 2>&1; rm -rf "$b"; }
trap cleanup EXIT
mkdir -p "$b/rootfs/bin" && cp /bin/busybox "$b/rootfs/bin/" &&
  for t in sh sleep; do ln -s busybox "$b/rootfs/bin/$t"; done
(cd "$b" && cricket-oci spec) || bad "cricket-oci spec"
sed -i -e 's/"terminal": true/"terminal": false/' -e 's/^\(\t*\)"sh"$/\1"sleep", "1000"/' \
  -e 's/^\(\t*\)"linux": {$/&\n\1\t"cgroupsPath": "system.slice:cricket-oci:'"$id"'",/' "$b/config.json"
# Not through $(...): the container's stdio would hold the pipe open.
cricket-oci --systemd-cgroup run -d -b "$b" "$id" < /dev/null > /tmp/oci-run.log 2>&1 ||
  bad "run -d: $(cat /tmp/oci-run.log)"
expect_eq "state" running "$(cricket-oci state "$id" 2>&1 | sed -n 's/.*"status": *"\([a-z]*\)".*/\1/p')"
expect_eq "scope active" active "$(systemctl is-active "$scope" 2>&1)"
expect_eq "scope's slice" "Slice=system.slice" "$(systemctl show -p Slice "$scope")"
dir=/sys/fs/cgroup/system.slice/$scope
pid=$(cricket-oci state "$id" 2>&1 | sed -n 's/.*"pid": *\([0-9]*\).*/\1/p')
expect_eq "init's cgroup" "0::/system.slice/$scope" "$(cat "/proc/$pid/cgroup" 2>&1)"
out=$(cricket-oci --systemd-cgroup update --memory 67108864 "$id" 2>&1) || bad "update: $out"
expect_eq "memory.max after update" 67108864 "$(cat "$dir/memory.max" 2>&1)"
expect_eq "scope's MemoryMax after update" MemoryMax=67108864 "$(systemctl show -p MemoryMax "$scope")"
cricket-oci --systemd-cgroup kill "$id" KILL >/dev/null 2>&1
for _ in $(seq 50); do
  cricket-oci state "$id" 2>&1 | grep -q '"stopped"' && break
  sleep 0.2
done
out=$(cricket-oci --systemd-cgroup delete "$id" 2>&1) || bad "delete: $out"
expect_match "scope after delete" "^(inactive|unknown)$" "$(systemctl is-active "$scope" 2>&1)"
expect_eq "cgroup dir after delete" no "$([ -d "$dir" ] && echo yes || echo no)"
finish
