#!/usr/bin/env bash
# The VM lane: boots a fresh Debian 12 guest (systemd as PID 1, cgroup v2,
# AppArmor; built and cached by build-image.sh) from a qcow2 overlay of the
# cached image, installs the cricket-runtime .deb that cpack makes from this
# tree, starts it with `systemctl start cricket`, runs COMMAND as root inside
# with each DIR shared at the same path (9p), prints its output and exits
# with its status.
#
#   run.sh [--share DIR]... [--driver systemd|cgroupfs] [--build-dir DIR]
#          [--timeout SECONDS] -- COMMAND...
#   run.sh --interactive SOCKET [--share DIR]... [--driver ...]
#       keeps the guest up with its serial console (root, no password) on the
#       unix socket SOCKET (`socat -,raw,echo=0 UNIX-CONNECT:SOCKET`) until
#       it powers off (`poweroff` inside) or run.sh is interrupted.
# The guest has no network device; registries run on its loopback.
# KVM is used when the host's /dev/kvm can run Debian's kernel (a CPU with
# vmx or svm); otherwise TCG. CRICKET_VM_ACCEL=kvm|tcg overrides.
# Exit status 125: the lane failed (no guest, or no status from it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$top/build
shares=()
driver=systemd
timeout=900
interactive=""
while [ $# -gt 0 ]; do
  case "$1" in
    --share)
      [ -d "$2" ] || { echo "run.sh: --share $2: not a directory" >&2; exit 2; }
      shares+=("$(realpath "$2")"); shift 2 ;;
    --driver) driver=$2; shift 2 ;;
    --build-dir) build=$(realpath "$2"); shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --interactive) interactive=$(realpath -m "$2"); shift 2 ;;
    --) shift; break ;;
    *) echo "run.sh: unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
case "$driver" in systemd|cgroupfs) ;; *) echo "run.sh: --driver systemd|cgroupfs" >&2; exit 2 ;; esac
if [ -z "$interactive" ] && [ $# -eq 0 ]; then
  echo "run.sh: no COMMAND (or --interactive SOCKET)" >&2; exit 2
fi
command -v qemu-system-x86_64 >/dev/null || { echo "run.sh: qemu-system-x86_64 is not installed" >&2; exit 125; }

tmp=$(mktemp -d /tmp/cricket-vm.XXXXXX)
qemu_pid=""
tail_pid=""
cleanup() {
  [ -n "$tail_pid" ] && kill "$tail_pid" 2>/dev/null
  if [ -n "$qemu_pid" ] && kill -0 "$qemu_pid" 2>/dev/null; then
    kill "$qemu_pid"; wait "$qemu_pid" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir "$tmp/ctl"
ctl=$tmp/ctl

# The package from this tree (cpack packages what is built: build it first).
cmake --build "$build" --target cricket-programs man completions >"$tmp/build.log" 2>&1 ||
  { cat "$tmp/build.log" >&2; echo "run.sh: building cricket in $build failed" >&2; exit 125; }
(cd "$tmp" && cpack --config "$build/CPackConfig.cmake" -G DEB -B "$tmp/deb") >"$tmp/cpack.log" 2>&1 ||
  { cat "$tmp/cpack.log" >&2; echo "run.sh: cpack failed" >&2; exit 125; }
deb=$(ls "$tmp"/deb/cricket-runtime_*.deb | head -1)
mv "$deb" "$ctl/cricket-runtime.deb"
# CRICKET_VM_IMAGE: a guest dir made before (development), instead of the cache's.
image=${CRICKET_VM_IMAGE:-}
[ -n "$image" ] || image=$(bash "$here/build-image.sh" --deb "$ctl/cricket-runtime.deb") || exit 125

qemu-img create -q -f qcow2 -F qcow2 -b "$image/root.qcow2" "$tmp/overlay.qcow2"
cp "$here/guest-run.sh" "$ctl/guest-run.sh"
echo "$driver" > "$ctl/driver"
: > "$ctl/shares"; : > "$ctl/out"; : > "$ctl/lane.log"
args=()
i=0
for d in "${shares[@]}"; do
  args+=(-virtfs "local,path=$d,mount_tag=s$i,security_model=passthrough,id=s$i")
  echo "s$i $d" >> "$ctl/shares"
  i=$((i + 1))
done
if [ -n "$interactive" ]; then
  touch "$ctl/interactive"; : > "$ctl/cmd"
  [ $# -gt 0 ] && printf '%q ' "$@" > "$ctl/cmd"
  args+=(-serial "unix:$interactive,server=on,wait=off")
else
  printf '%q ' "$@" > "$ctl/cmd"; echo >> "$ctl/cmd"
  args+=(-serial "file:$tmp/console.log")
fi
pwd > "$ctl/cwd"

accel=${CRICKET_VM_ACCEL:-}
if [ -z "$accel" ]; then
  accel=tcg
  [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo && accel=kvm
fi
if [ "$accel" = kvm ]; then accel_args=(-accel kvm -cpu host); else accel_args=(-accel tcg,thread=multi -cpu max); fi

start=$SECONDS
qemu-system-x86_64 "${accel_args[@]}" -smp 2 -m 2048 -nic none -display none -no-reboot \
  -kernel "$image/kernel" -initrd "$image/initrd.img" \
  -append "console=ttyS0 root=/dev/vda rw quiet panic=-1 systemd.unified_cgroup_hierarchy=1 apparmor=1 security=apparmor systemd.show_status=0" \
  -drive "file=$tmp/overlay.qcow2,if=virtio,format=qcow2,cache=unsafe" \
  -virtfs "local,path=$ctl,mount_tag=ctl,security_model=passthrough,id=ctl" \
  "${args[@]}" </dev/null >"$tmp/qemu.log" 2>&1 &
qemu_pid=$!
if [ -n "$interactive" ]; then
  echo "run.sh: guest booting ($accel); console: socat -,raw,echo=0 UNIX-CONNECT:$interactive" >&2
  wait "$qemu_pid" || true
  qemu_pid=""
  exit 0
fi
tail -n +1 -f --pid="$qemu_pid" "$ctl/out" &
tail_pid=$!
# The guest powers off after the command; a hung guest is stopped.
waited=0
while kill -0 "$qemu_pid" 2>/dev/null && [ "$waited" -lt "$timeout" ]; do
  sleep 1; waited=$((waited + 1))
done
if kill -0 "$qemu_pid" 2>/dev/null; then
  echo "run.sh: guest still running after ${timeout} s; stopped" >&2
  kill "$qemu_pid"
fi
wait "$qemu_pid" 2>/dev/null || true
qemu_pid=""
wait "$tail_pid" 2>/dev/null || true
tail_pid=""
if [ ! -s "$ctl/status" ]; then
  echo "run.sh: the guest gave no status ($accel, $((SECONDS - start)) s); its console and lane log:" >&2
  tail -n 40 "$tmp/console.log" "$tmp/qemu.log" "$ctl/lane.log" >&2 2>/dev/null
  exit 125
fi
[ -n "${CRICKET_VM_VERBOSE:-}" ] && cat "$ctl/lane.log" >&2
echo "run.sh: guest ran ${accel}, $((SECONDS - start)) s from qemu start to power-off" >&2
exit "$(cat "$ctl/status")"
