#!/usr/bin/env bash
# mmdebstrap's customize hook for the VM lane's guest: $1 is the guest's root.
# Root logs in without a password on the serial console (the guest has no
# network device, so only the host reaches it); at boot a unit mounts the
# host's control share (9p tag "ctl") and runs its guest-run.sh, so the
# image need not change when the lane's in-guest steps do.
set -euo pipefail
root=$1

echo cricket-vm > "$root/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 cricket-vm\n::1 localhost\n' > "$root/etc/hosts"
# The initramfs mounts the root disk read-write; nothing else to mount (no
# udev, so no /dev/disk/by-* links a unit could wait for).
echo '# the root disk is mounted by the initramfs' > "$root/etc/fstab"
chroot "$root" passwd -d root >/dev/null

mkdir -p "$root/etc/systemd/system/serial-getty@ttyS0.service.d"
cat > "$root/etc/systemd/system/serial-getty@ttyS0.service.d/autologin.conf" <<'UNIT'
[Service]
ExecStart=
ExecStart=-/sbin/agetty --autologin root --keep-baud 115200,57600,38400,9600 %I $TERM
UNIT

cat > "$root/usr/local/sbin/cricket-vm-boot" <<'SH'
#!/bin/sh
# Mounts the host's control share and hands over to its guest-run.sh.
modprobe 9pnet_virtio 2>/dev/null
mkdir -p /vmctl
if ! mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=mmap ctl /vmctl; then
  echo "cricket-vm-boot: no control share; nothing to run" >&2
  exit 0
fi
exec /bin/bash /vmctl/guest-run.sh
SH
chmod 755 "$root/usr/local/sbin/cricket-vm-boot"
cat > "$root/etc/systemd/system/cricket-vm-run.service" <<'UNIT'
[Unit]
Description=cricket VM lane: the host's command
After=local-fs.target systemd-journald.socket dbus.socket
Wants=dbus.socket

[Service]
Type=simple
ExecStart=/usr/local/sbin/cricket-vm-boot
StandardOutput=journal+console
StandardError=journal+console

[Install]
WantedBy=multi-user.target
UNIT
ln -sf /etc/systemd/system/cricket-vm-run.service \
  "$root/etc/systemd/system/multi-user.target.wants/cricket-vm-run.service"

# Boot time under TCG: nothing that a test node does not need. The checks
# start their own registry.
for u in apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer e2scrub_reap.service \
         fstrim.timer man-db.timer dpkg-db-backup.timer getty@tty1.service \
         docker-registry.service systemd-timesyncd.service; do
  ln -sf /dev/null "$root/etc/systemd/system/$u"
done
mkdir -p "$root/etc/systemd/journald.conf.d"
printf '[Journal]\nStorage=volatile\n' > "$root/etc/systemd/journald.conf.d/volatile.conf"
# Package scripts in the guest (dpkg -i of cricket-runtime) may start services.
rm -f "$root/usr/sbin/policy-rc.d"
# The build skipped docs and man pages (--dpkgopt); packages installed later
# (cricket-runtime's example CNI config is a doc) keep all their files.
rm -f "$root/etc/dpkg/dpkg.cfg.d/99mmdebstrap"
