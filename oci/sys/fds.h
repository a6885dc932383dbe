// Opening fds as StatusOr<UniqueFd>: every fd is close-on-exec, and the error
// names what was opened, so call sites need no `if (!fd) return ErrnoStatus`.
// They allocate (the error text): not for code between fork and exec.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "oci/sys/unique_fd.h"

namespace cricket::sys {

struct PipeFds {
  UniqueFd read, write;
};

// pipe2(O_CLOEXEC | flags). Errors read "create <what> pipe: EMFILE (...)".
absl::StatusOr<PipeFds> Pipe(std::string_view what, int flags = 0);

struct SocketPairFds {
  UniqueFd first, second;
};

// socketpair(AF_UNIX, type | SOCK_CLOEXEC). Errors read
// "create <what> socket pair: EMFILE (...)".
absl::StatusOr<SocketPairFds> SocketPair(int type, std::string_view what);

// open(path, flags | O_CLOEXEC, mode). Errors read "open <path>: ENOENT (...)",
// or "create <path>: ..." with O_CREAT; the code follows errno (ENOENT →
// NotFound, EEXIST → AlreadyExists, ...).
absl::StatusOr<UniqueFd> Open(const std::string& path, int flags, mode_t mode = 0);

}  // namespace cricket::sys
