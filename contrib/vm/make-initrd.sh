#!/usr/bin/env bash
# A small initramfs for the VM lane's guest: busybox plus the modules that
# mount the root disk (virtio-blk, ext4 and its crc32c), then switch_root to systemd.
# Debian's initramfs-tools image is ten times larger and slower under TCG.
# Usage: make-initrd.sh GUEST_ROOT KERNEL_VERSION OUT
set -euo pipefail
root=$1 kver=$2 out=$3
mods=$root/lib/modules/$kver
tmp=$(mktemp -d /tmp/cricket-vm-initrd.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/lib"
cp "$root/bin/busybox" "$tmp/bin/busybox"

# Each wanted module after its dependencies (modules.dep), builtins skipped.
order=()
add() {
  local path
  path=$(grep -E "(^|/)$1\.ko(\.[a-z]+)?:" "$mods/modules.dep" | head -1 | cut -d: -f1)
  if [ -z "$path" ]; then
    grep -qE "(^|/)$1\.ko$" "$mods/modules.builtin" && return 0
    echo "make-initrd.sh: module $1 not found for $kver" >&2; exit 1
  fi
  local dep
  for dep in $(grep -E "^$path:" "$mods/modules.dep" | cut -d: -f2); do
    add "$(basename "$dep" | sed -E 's/\.ko(\.[a-z]+)?$//')"
  done
  case " ${order[*]:-} " in *" $path "*) return 0 ;; esac
  order+=("$path")
}
# ext4 asks the crypto API for crc32c at mount time (no modules.dep entry).
for m in virtio_pci virtio_blk crc32c_generic ext4; do add "$m"; done
for p in "${order[@]}"; do
  name=$(basename "$p")
  case "$name" in
    *.xz) xz -dc "$mods/$p" > "$tmp/lib/${name%.xz}"; name=${name%.xz} ;;
    *.zst) zstd -qdc "$mods/$p" > "$tmp/lib/${name%.zst}"; name=${name%.zst} ;;
    *) cp "$mods/$p" "$tmp/lib/$name" ;;
  esac
  echo "$name" >> "$tmp/modules"
done

cat > "$tmp/init" <<'SH'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mkdir -p /proc /sys /dev /newroot
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in $(cat /modules); do insmod /lib/$m; done
i=0
while [ ! -b /dev/vda ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
if ! mount -t ext4 -o rw /dev/vda /newroot; then
  echo "initrd: cannot mount /dev/vda"; exec sh
fi
mount --move /dev /newroot/dev
umount /proc /sys
exec switch_root /newroot /sbin/init
SH
chmod 755 "$tmp/init"
# The guest's own (static) busybox writes the archive: no cpio on the host.
(cd "$tmp" && find . | "$tmp/bin/busybox" cpio -o -H newc 2>/dev/null) | gzip -1 > "$out"
