#!/bin/bash
# Runs inside the VM lane's guest at boot (started by cricket-vm-run.service
# from the control share /vmctl that run.sh fills): mounts the shares,
# installs cricket-runtime, starts it, runs the command, hands back its output
# and status, powers off. Status 125 means the lane itself failed.
set -u
ctl=/vmctl
out=$ctl/out
lane() { echo "cricket-vm: $*" >> "$ctl/lane.log"; }
finish() {
  echo "$1" > "$ctl/status.tmp" && mv "$ctl/status.tmp" "$ctl/status"
  sync
  [ -f "$ctl/interactive" ] && return 0  # the user powers it off
  systemctl poweroff --force --force
}
fail() {
  lane "$*"
  { echo "cricket-vm: $*"; journalctl -b --no-pager -n 60 -u cricket; } >> "$out" 2>&1
  finish 125
  exit 0
}

lane "booted in $(cut -d' ' -f1 /proc/uptime) s"
while read -r tag path; do
  mkdir -p "$path"
  mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=mmap "$tag" "$path" ||
    fail "cannot mount share $tag at $path"
done < "$ctl/shares"

# The cgroup driver, as kubeadm configures it (systemd) unless asked otherwise;
# in place before the package's postinst starts cricketd.
mkdir -p /etc/cricket/cricket.d
printf 'cgroup:\n  driver: %s\n' "$(cat "$ctl/driver")" > /etc/cricket/cricket.d/50-vm-lane.yaml
dpkg -i "$ctl/cricket-runtime.deb" >> "$ctl/lane.log" 2>&1 || fail "dpkg -i cricket-runtime failed"
# The package's example pod network (a bridge on the guest; no device leads out).
mkdir -p /etc/cni/net.d
cp /usr/share/doc/cricket-runtime/examples/10-cricket-bridge.conflist /etc/cni/net.d/ ||
  fail "no example CNI config in the package"
systemctl start cricket || fail "systemctl start cricket failed"
lane "cricket started at $(cut -d' ' -f1 /proc/uptime) s"

if [ ! -s "$ctl/cmd" ]; then  # interactive: keep the guest up
  finish 0
  exit 0
fi
cd "$(cat "$ctl/cwd")" 2>/dev/null || cd /
bash "$ctl/cmd" >> "$out" 2>&1 < /dev/null
status=$?
lane "command exited $status at $(cut -d' ' -f1 /proc/uptime) s"
finish "$status"
