// process.terminal: a pty from the container's own devpts whose master goes
// to the --console-socket with SCM_RIGHTS (as runc sends it), and whose
// slave becomes the process' controlling terminal and stdio.
#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "oci/spec.h"
#include "oci/sys/unique_fd.h"

namespace cricket::oci::linux {

// Parent side, before clone: connects to the unix socket at `path`.
absl::StatusOr<sys::UniqueFd> ConnectConsoleSocket(const std::string& path);

// Sends fd over a unix socket with `name` as the message data.
absl::Status SendFd(int sock, int fd, const std::string& name);

// Child side, after pivot_root: opens /dev/ptmx, sends the master to
// console_fd, and makes the slave the controlling tty and stdin/out/err.
absl::Status SetupTerminal(int console_fd, const std::optional<ConsoleSize>& size);

}  // namespace cricket::oci::linux
