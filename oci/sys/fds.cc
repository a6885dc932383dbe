// pipe2, socketpair and open with O_CLOEXEC and errors naming the object.
#include "oci/sys/fds.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "oci/sys/status.h"

namespace cricket::sys {

absl::StatusOr<PipeFds> Pipe(std::string_view what, int flags) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC | flags) != 0) return ErrnoStatus(errno, "create %s pipe", what);
  return PipeFds{UniqueFd(p[0]), UniqueFd(p[1])};
}

absl::StatusOr<SocketPairFds> SocketPair(int type, std::string_view what) {
  int sv[2];
  if (::socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv) != 0) {
    return ErrnoStatus(errno, "create %s socket pair", what);
  }
  return SocketPairFds{UniqueFd(sv[0]), UniqueFd(sv[1])};
}

absl::StatusOr<UniqueFd> Open(const std::string& path, int flags, mode_t mode) {
  UniqueFd fd(::open(path.c_str(), flags | O_CLOEXEC, mode));
  if (!fd) return ErrnoStatus(errno, "%s %s", (flags & O_CREAT) ? "create" : "open", path);
  return fd;
}

}  // namespace cricket::sys
