# Helpers for the VM lane's checks (sourced inside the guest). A check prints
# one line per expectation ("ok" or "FAIL") and ends with `finish`, which
# exits 1 when any failed. Pods use the host network (no CNI ADD: the checks
# are about cgroups, systemd and AppArmor, and each process costs ~35x the
# host's under TCG) and the kubelet's systemd-driver slice as cgroup parent.
set -u
fails=0
ok() { echo "ok   - $*"; }
bad() { echo "FAIL - $*"; fails=$((fails + 1)); }
expect_eq() {  # WHAT WANT GOT
  if [ "$2" = "$3" ]; then ok "$1: $3"; else bad "$1: want '$2', got '$3'"; fi
}
expect_match() {  # WHAT ERE GOT
  if printf '%s' "$3" | grep -Eq -- "$2"; then ok "$1: $3"; else bad "$1: want /$2/, got '$3'"; fi
}
finish() {
  if [ "$fails" = 0 ]; then echo "all passed"; exit 0; fi
  echo "$fails failed"; exit 1
}
ctl() { cricketctl "$@"; }
# cfield CONTAINER TEMPLATE_PATH: one field of `inspect` (".status.state",
# ".info.info.pid": crictl's verbose info, as cricketd gives it).
cfield() { cricketctl inspect -o go-template --template "{{$2}}" "$1" 2>&1; }

# The slice the kubelet's systemd driver gives a burstable pod (dashes of the
# uid become underscores) and its cgroup dir.
pod_slice() { echo "kubepods-burstable-pod${1//-/_}.slice"; }
pod_slice_dir() { echo "/sys/fs/cgroup/kubepods.slice/kubepods-burstable.slice/$(pod_slice "$1")"; }

# new_pod NAME UID [LINUX_SECURITY_CONTEXT_EXTRA]: runs a pod, prints its id.
new_pod() {
  local f=/tmp/pod-$1.json
  cat > "$f" <<JSON
{"metadata": {"name": "$1", "namespace": "vm", "uid": "$2"},
 "log_directory": "/tmp/logs-$1",
 "linux": {"cgroup_parent": "$(pod_slice "$2")",
           "security_context": {"namespace_options": {"network": 2}${3:+, $3}}}}
JSON
  cricketctl runp "$f"
}
# new_ctr POD POD_NAME NAME COMMAND_JSON [LINUX_JSON_EXTRA]: creates and starts
# a container, prints its id.
new_ctr() {
  local f=/tmp/ctr-$3.json id
  cat > "$f" <<JSON
{"metadata": {"name": "$3"}, "image": {"image": "$IMAGE"}, "log_path": "$3.log",
 "command": $4, "linux": {${5:-}}}
JSON
  id=$(cricketctl create "$1" "$f" "/tmp/pod-$2.json") || { echo "$id"; return 1; }
  cricketctl start "$id" >/dev/null || return 1
  echo "$id"
}
# The cgroup dir of a running container's init.
ctr_cgroup() {
  local pid
  pid=$(cfield "$1" .info.info.pid)
  echo "/sys/fs/cgroup$(sed -n 's/^0:://p' "/proc/$pid/cgroup")"
}
# wait_state CONTAINER STATE [SECONDS]
wait_state() {
  local end=$((SECONDS + ${3:-60}))
  while [ "$SECONDS" -lt "$end" ]; do
    [ "$(cfield "$1" .status.state)" = "$2" ] && return 0
    sleep 0.2
  done
  return 1
}
remove_pods() { cricketctl rmp -a -f >/dev/null 2>&1; }
