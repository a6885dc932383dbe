// The monitor binary and the seccomp profile, for `cricketd check`.
#include "pod/host_check.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace cricket::pod {

std::vector<sys::CheckResult> CheckHost(const conf::Config& config,
                                        const std::string& monitor_path) {
  std::vector<sys::CheckResult> out;
  if (::access(monitor_path.c_str(), X_OK) == 0) {
    out.push_back(sys::CheckOk("monitor", monitor_path));
  } else {
    out.push_back(sys::CheckFail("monitor", absl::StrCat(monitor_path, ": ", std::strerror(errno),
                                                         " (set runtime.monitor_path)")));
  }
  const std::string& profile = config.runtime.seccomp_profile;
  if (!profile.empty() && ::access(profile.c_str(), R_OK) != 0) {
    out.push_back(
        sys::CheckFail("seccomp_profile", absl::StrCat(profile, ": ", std::strerror(errno))));
  }
  return out;
}

}  // namespace cricket::pod
