// Findings of the layers' CheckHost() and the writable-dir check they share.
#include "oci/sys/host_check.h"

#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace cricket::sys {
namespace {

std::string Parent(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
}

}  // namespace

CheckResult CheckOk(std::string name, std::string detail) {
  return {CheckLevel::kOk, std::move(name), std::move(detail)};
}
CheckResult CheckWarn(std::string name, std::string detail) {
  return {CheckLevel::kWarn, std::move(name), std::move(detail)};
}
CheckResult CheckFail(std::string name, std::string detail) {
  return {CheckLevel::kFail, std::move(name), std::move(detail)};
}

CheckResult CheckWritableDir(const std::string& name, const std::string& path) {
  std::string existing = path;
  struct stat st {};
  while (::stat(existing.c_str(), &st) != 0 && existing != "/") existing = Parent(existing);
  if (existing == path && !S_ISDIR(st.st_mode)) {
    return CheckFail(name, absl::StrCat(path, " exists and is not a directory"));
  }
  if (::access(existing.c_str(), W_OK) != 0) {
    return CheckFail(name, absl::StrCat(existing, " is not writable: ", std::strerror(errno)));
  }
  struct statvfs vfs {};
  if (::statvfs(existing.c_str(), &vfs) == 0 && (vfs.f_flag & ST_RDONLY) != 0) {
    return CheckFail(name, absl::StrCat(existing, " is on a read-only file system"));
  }
  if (existing != path) {
    return CheckOk(name, absl::StrCat(path, " (created at start in ", existing, ")"));
  }
  return CheckOk(name, absl::StrCat(path, " writable"));
}

}  // namespace cricket::sys
