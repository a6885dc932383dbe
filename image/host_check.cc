// overlayfs and the auth file, for `cricketd check`.
#include "image/host_check.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"

namespace cricket::image {
namespace {

using sys::CheckFail;
using sys::CheckOk;
using sys::CheckResult;
using sys::CheckWarn;

CheckResult CheckOverlay(const HostCheckInput& in) {
  const std::string file = in.proc + "/filesystems";
  auto fs = sys::ReadFile(file);
  if (!fs.ok()) {
    return CheckFail("overlayfs", absl::StrCat("cannot read ", file, ": ", fs.status().message()));
  }
  for (absl::string_view line : absl::StrSplit(*fs, '\n')) {
    if (absl::StripAsciiWhitespace(line.substr(line.find('\t') + 1)) == "overlay") {
      return CheckOk("overlayfs", absl::StrCat("overlay in ", file));
    }
  }
  // Not registered yet: mount(2) makes the kernel load the module, if there is
  // one.
  utsname u{};
  ::uname(&u);
  const std::string mod_dir = absl::StrCat(in.modules, "/", u.release, "/kernel/fs/overlayfs");
  if (sys::PathExists(mod_dir)) {
    return CheckWarn("overlayfs", absl::StrCat("module not loaded yet (", mod_dir,
                                               "); the first mount loads it (or: modprobe overlay)"));
  }
  return CheckFail("overlayfs", absl::StrCat("no overlay in ", file, " and no module in ", mod_dir,
                                             ": image layers cannot be mounted"));
}

}  // namespace

std::vector<CheckResult> CheckHost(const HostCheckInput& in) {
  std::vector<CheckResult> out = {CheckOverlay(in)};
  if (!in.auth_file.empty() && ::access(in.auth_file.c_str(), R_OK) != 0) {
    out.push_back(CheckWarn("registries.auth_file",
                            absl::StrCat(in.auth_file, ": ", std::strerror(errno),
                                         "; pulls go without stored credentials")));
  }
  return out;
}

}  // namespace cricket::image
