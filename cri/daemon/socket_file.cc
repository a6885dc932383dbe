// Socket file handling for cricketd (see socket_file.h).
#include "cri/daemon/socket_file.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "oci/sys/fs.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"
#include "oci/sys/unique_fd.h"

namespace cricket::cri {
namespace {

// connect(2) to the unix socket; returns 0 or the errno.
int ConnectErrno(const std::string& path) {
  sockaddr_un addr{};
  if (path.size() >= sizeof(addr.sun_path)) return ENAMETOOLONG;
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.data(), path.size());
  sys::UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return errno;
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) return errno;
  return 0;
}

}  // namespace

bool SocketAnswers(const std::string& path) { return ConnectErrno(path) == 0; }

absl::Status PrepareSocketPath(const std::string& path) {
  const std::string parent = std::filesystem::path(path).parent_path().string();
  if (!parent.empty()) {
    RETURN_IF_ERROR(sys::Annotate(sys::MkdirAll(parent, 0755), "socket %s", path));
  }
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return absl::OkStatus();
    return sys::ErrnoStatus(errno, "stat socket %s", path);
  }
  if (!S_ISSOCK(st.st_mode)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "socket path ", path, " exists and is not a socket; remove it or choose ", "another path"));
  }
  const int err = ConnectErrno(path);
  if (err == 0) {
    return absl::AlreadyExistsError(
        absl::StrCat("another daemon is already serving on ", path, "; stop it first"));
  }
  if (err != ECONNREFUSED) return sys::ErrnoStatus(err, "probe socket %s", path);
  sys::LogInfo("removing stale socket", {{"path", path}});
  return RemoveSocket(path);
}

absl::Status SecureSocket(const std::string& path) {
  if (::chmod(path.c_str(), 0660) != 0) return sys::ErrnoStatus(errno, "chmod 0660 %s", path);
  if (::geteuid() == 0 && ::chown(path.c_str(), 0, 0) != 0) {
    return sys::ErrnoStatus(errno, "chown root:root %s", path);
  }
  return absl::OkStatus();
}

absl::Status RemoveSocket(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return sys::ErrnoStatus(errno, "remove socket %s", path);
  }
  return absl::OkStatus();
}

}  // namespace cricket::cri
