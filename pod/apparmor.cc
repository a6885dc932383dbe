// cricket-default: containerd's default profile with cricket's name (what
// the RuntimeDefault of a kubelet gets on an AppArmor node).
#include "pod/apparmor.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "oci/sys/child_process.h"
#include "oci/sys/atomic_file.h"

namespace cricket::pod {

bool AppArmorEnabled() {
  auto v = sys::ReadFile("/sys/module/apparmor/parameters/enabled");
  return v.ok() && absl::StartsWith(*v, "Y");
}

std::string AppArmorDefaultPolicy() {
  const std::string n = kAppArmorDefaultProfile;
  return absl::StrCat(R"(#include <tunables/global>

profile )", n, R"( flags=(attach_disconnected,mediate_deleted) {
  #include <abstractions/base>

  network,
  capability,
  file,
  umount,
  # Host processes (unconfined) and the container's own may signal it.
  signal (receive) peer=unconfined,
  signal (send,receive) peer=)", n, R"(,

  deny @{PROC}/* w,   # files directly in /proc
  # anything but /proc/<pid>/** and /proc/sys/**
  deny @{PROC}/{[^1-9],[^1-9][^0-9],[^1-9s][^0-9y][^0-9s],[^1-9][^0-9][^0-9][^0-9/]*}/** w,
  deny @{PROC}/sys/[^k]** w,  # /proc/sys but /proc/sys/kernel
  deny @{PROC}/sys/kernel/{?,??,[^s][^h][^m]**} w,  # /proc/sys/kernel but shm*
  deny @{PROC}/sysrq-trigger rwklx,
  deny @{PROC}/kcore rwklx,

  deny mount,

  deny /sys/[^f]*/** wklx,
  deny /sys/f[^s]*/** wklx,
  deny /sys/fs/[^c]*/** wklx,
  deny /sys/fs/c[^g]*/** wklx,
  deny /sys/fs/cg[^r]*/** wklx,
  deny /sys/firmware/** rwklx,
  deny /sys/devices/virtual/powercap/** rwklx,
  deny /sys/kernel/security/** rwklx,

  # ps inside the container.
  ptrace (trace,read,tracedby,readby) peer=)", n, R"(,
}
)");
}

absl::Status LoadAppArmorDefaultProfile(const std::string& parser) {
  sys::SpawnOptions o;
  // -K: no cache to write in /etc or /var; -r: replace a loaded one (an upgrade).
  o.argv = {parser, "-K", "-r"};
  auto r = sys::RunCommand(o, AppArmorDefaultPolicy());
  if (!r.ok()) return r.status();
  if (r->exit.code() != 0) {
    return absl::InternalError(absl::StrCat("load AppArmor profile ", kAppArmorDefaultProfile,
                                            " with ", parser, ": exit ", r->exit.code(), ": ",
                                            absl::StripAsciiWhitespace(r->err)));
  }
  return absl::OkStatus();
}

}  // namespace cricket::pod
