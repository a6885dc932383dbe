#!/usr/bin/env bash
# Builds the VM lane's guest (a Debian 12 node: systemd as PID 1 on cgroup v2,
# AppArmor, the CNI plugins, docker-registry, busybox-static, runc, crun and
# the libraries cricket-runtime's .deb depends on) from Debian's packages with
# mmdebstrap, and caches it outside the repo keyed by its inputs: this
# script, the package list and the apt sources. A cached guest is reused at
# once. Prints the cache dir, which holds:
#   kernel      Debian's kernel, decompressed when it has a PVH entry (qemu
#               then skips the bzImage's own decompression, slow under TCG)
#   initrd.img  busybox and the modules that mount the root disk, nothing else
#   root.qcow2  the root file system (ext4); runs boot a qcow2 overlay of it
# Usage: build-image.sh [--deb FILE]   (FILE's Depends join the package list)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache_root=${CRICKET_VM_CACHE:-/var/cache/cricket-runtime/vm}
deb=""
while [ $# -gt 0 ]; do
  case "$1" in
    --deb) deb=$2; shift 2 ;;
    *) echo "build-image.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

packages=(
  systemd systemd-sysv dbus kmod linux-image-amd64 apparmor
  containernetworking-plugins docker-registry busybox-static runc crun
  iptables iproute2 procps ca-certificates
)
# The .deb's Depends ("libfoo (>= 1), libbar | libbaz"): the first of each
# alternative, without versions, so dpkg -i in the guest finds them present.
if [ -n "$deb" ]; then
  mapfile -t deps < <(dpkg-deb -f "$deb" Depends | tr ',' '\n' |
    sed -E 's/\|.*//; s/\(.*\)//; s/[[:space:]]//g' | grep -v '^$')
  packages+=("${deps[@]}")
fi
mapfile -t packages < <(printf '%s\n' "${packages[@]}" | sort -u)

# The host's Debian sources (deb822 stanzas whose URIs hold /debian); other
# repositories a host may list are no part of the guest.
sources=$(mktemp /tmp/cricket-vm-sources.XXXXXX)
: > "$sources.list"
work=""
cleanup() {
  rm -f "$sources" "$sources.list"
  if [ -n "$work" ] && [ -d "$work" ]; then
    # mmdebstrap mounts /proc, /sys and /dev into the root while it runs: a
    # build stopped half way must not delete through them.
    grep -o " $work/[^ ]*" /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l
    rm -rf --one-file-system "$work"
  fi
}
trap cleanup EXIT
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  awk -v RS= -v ORS='\n\n' '/URIs:[^\n]*\/debian/ && !/Enabled: *no/' "$f" >> "$sources"
done
if [ -f /etc/apt/sources.list ]; then
  grep -E '^deb [^#]*/debian' /etc/apt/sources.list > "$sources.list" || true
fi
if [ ! -s "$sources" ] && [ ! -s "$sources.list" ]; then
  echo "build-image.sh: no Debian apt sources on this host" >&2; exit 1
fi

key=$( { cat "$here"/build-image.sh "$here"/guest-setup.sh "$here"/make-initrd.sh \
  "$here"/extract-kernel.py; printf '%s\n' "${packages[@]}"; cat "$sources"; cat "$sources.list"; } |
  sha256sum | cut -c1-16)
dir=$cache_root/$key
if [ -f "$dir/ok" ]; then echo "$dir"; exit 0; fi

mkdir -p "$cache_root"
exec 9>"$cache_root/.lock"
flock 9  # one build at a time; a waiter then finds the finished guest
if [ -f "$dir/ok" ]; then echo "$dir"; exit 0; fi
for t in mmdebstrap mke2fs qemu-img; do
  command -v $t >/dev/null || { echo "build-image.sh: $t is not installed" >&2; exit 1; }
done

work=$(mktemp -d "$cache_root/.build.XXXXXX")
mirrors=()
[ -s "$sources" ] && { mv "$sources" "$work/debian.sources"; mirrors+=("$work/debian.sources"); }
[ -s "$sources.list" ] && { mv "$sources.list" "$work/debian.list"; mirrors+=("$work/debian.list"); }
start=$SECONDS
echo "build-image.sh: building guest $key (${#packages[@]} packages)" >&2
# INITRD=No: the kernel's postinst hooks skip update-initramfs; the lane
# makes its own small initramfs below.
# The downloaded .debs stay in the cache (archives/) for the next build.
mkdir -p "$cache_root/archives"
INITRD=No mmdebstrap --variant=apt --mode=root --quiet \
  --setup-hook='mkdir -p "$1"/var/cache/apt/archives' \
  --setup-hook="sync-in $cache_root/archives /var/cache/apt/archives" \
  --customize-hook="sync-out /var/cache/apt/archives $cache_root/archives" \
  --aptopt='Acquire::Check-Valid-Until "false"' \
  --aptopt='APT::Install-Recommends "false"' \
  --dpkgopt='path-exclude=/usr/share/{doc,man,locale,info}/*' \
  --include="$(IFS=,; echo "${packages[*]}")" \
  --customize-hook="$here/guest-setup.sh \"\$1\"" \
  bookworm "$work/root" "${mirrors[@]}" >&2

kver=$(basename "$(ls -d "$work"/root/lib/modules/* | head -1)")
bash "$here/make-initrd.sh" "$work/root" "$kver" "$work/initrd.img"
python3 "$here/extract-kernel.py" "$work/root/boot/vmlinuz-$kver" "$work/kernel"
# The kernel and its initramfs live outside the disk: qemu loads them.
rm -rf "$work"/root/boot/*
mke2fs -q -t ext4 -L cricket-vm -d "$work/root" "$work/root.raw" 4G >&2
qemu-img convert -O qcow2 "$work/root.raw" "$work/root.qcow2" >&2
rm -rf "$work/root" "$work/root.raw" "$work/debian.sources" "$work/debian.list"
printf '%s\n' "${packages[@]}" > "$work/packages"
touch "$work/ok"
rm -rf "$dir"
mv "$work" "$dir"
work=""
# Keep the three newest guests (other trees may key theirs differently).
ls -dt "$cache_root"/*/ 2>/dev/null | grep -v '/archives/$' | tail -n +4 | xargs -r rm -rf
echo "build-image.sh: guest $key built in $((SECONDS - start)) s" >&2
echo "$dir"
