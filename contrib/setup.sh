#!/usr/bin/env bash
# Installs every build, test and runtime dependency of cricket from Debian's
# packages. Idempotent and non-interactive; CI and the README both call it.
set -euo pipefail

build_deps=(
  cmake g++ make pkg-config git
  protobuf-compiler protobuf-compiler-grpc libprotobuf-dev libgrpc++-dev libabsl-dev
  libyaml-cpp-dev nlohmann-json3-dev libsystemd-dev libseccomp-dev libcap-dev
  libarchive-dev libcurl4-openssl-dev libssl-dev libzstd-dev zlib1g-dev
  libgtest-dev libgmock-dev
  # Man pages from --help (help2man) and the Debian package (cpack -G DEB:
  # dpkg-shlibdeps from dpkg-dev, file).
  help2man dpkg-dev file
)
# Real partners for tests and opponents for benchmarks; never parts of the product.
test_deps=(
  busybox-static runc crun containerd conmon skopeo umoci docker-registry
  containernetworking-plugins iptables iproute2 apache2-utils openssl
  python3 python3-websocket procps util-linux time jq bc curl
  # A static 32-bit checker: RuntimeDefault seccomp must let i386 programs run.
  gcc-multilib
  # systemd-analyze verify of the unit (systemd need not be init).
  systemd
  # CRIU, which checkpoint/restore drive (an operator's install on a node).
  criu
  # The VM lane (contrib/vm/, ctest label vm): a Debian 12 guest built with
  # mmdebstrap (its root disk by mke2fs -d) and booted with qemu.
  qemu-system-x86 qemu-utils mmdebstrap e2fsprogs
  # The fuzz and sanitizer lanes (contrib/run-sanitizers.sh): clang with its
  # libFuzzer and sanitizer runtimes, ccache for their separate build dirs.
  clang libclang-rt-14-dev ccache
)

missing=()
for p in "${build_deps[@]}" "${test_deps[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all dependencies present"
  exit 0
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Package scripts must not start services (docker-registry, containerd) on the node.
policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; made_policy=1
fi
trap '[ $made_policy = 1 ] && rm -f "$policy"' EXIT
apt-get update -qq || apt-get update
apt-get install -y -qq --no-install-recommends "${missing[@]}"
