// Switching to the process spec's user inside the container.
#include "oci/linux/users.h"

#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/read_in_root.h"
#include "oci/sys/status.h"

namespace cricket::oci::linux {

absl::Status SetupUser(const User& user) {
  auto sg = sys::ReadFile("/proc/self/setgroups");
  bool groups_allowed = !sg.ok() || sg->find("deny") == std::string::npos;
  if (groups_allowed) {
    std::vector<gid_t> gids(user.additional_gids.begin(), user.additional_gids.end());
    if (::setgroups(gids.size(), gids.data()) != 0) {
      return sys::ErrnoStatus(errno, "setgroups for uid %d", user.uid);
    }
  }
  if (::setresgid(user.gid, user.gid, user.gid) != 0) {
    return sys::ErrnoStatus(errno, "setgid %d", user.gid);
  }
  if (::setresuid(user.uid, user.uid, user.uid) != 0) {
    return sys::ErrnoStatus(errno, "setuid %d", user.uid);
  }
  if (user.umask) ::umask(*user.umask & 0777);
  return absl::OkStatus();
}

std::string HomeFromPasswd(const std::string& passwd, uint32_t uid) {
  for (absl::string_view line : absl::StrSplit(passwd, '\n', absl::SkipEmpty())) {
    std::vector<std::string> f = absl::StrSplit(line, ':');
    uint32_t u = 0;
    if (f.size() >= 6 && absl::SimpleAtoi(f[2], &u) && u == uid && !f[5].empty()) return f[5];
  }
  return "/";
}

void AddHomeEnv(std::vector<std::string>* env, uint32_t uid) {
  for (const std::string& e : *env) {
    if (e.rfind("HOME=", 0) == 0) return;
  }
  // The container's file, read by its init before exec: a FIFO there must not
  // hang the start, nor a device node be opened.
  auto passwd = sys::ReadRegularFileInRoot("/", "/etc/passwd", 4u << 20);
  env->push_back("HOME=" + HomeFromPasswd(passwd.ok() ? *passwd : "", uid));
}

}  // namespace cricket::oci::linux
