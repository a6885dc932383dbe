// Small fd plumbing of the streaming sessions (exec, attach): a received pty master (fd_passing.h), terminal size, and unix
// sockets addressed through a directory fd (paths can pass 108 bytes).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "oci/sys/unique_fd.h"
#include "pod/monitor/protocol/fd_passing.h"  // ReceiveFd

namespace cricket::pod {

// TIOCSWINSZ on a pty master.
absl::Status SetTerminalSize(int master, uint16_t width, uint16_t height);
// Connects a SOCK_STREAM socket to <dir>/<name>, going through an O_PATH fd
// of dir so the length of dir does not matter.
absl::StatusOr<sys::UniqueFd> ConnectUnixIn(const std::string& dir, const std::string& name);
// Writes all of data (blocking fd), retrying EINTR and short writes.
absl::Status WriteAll(int fd, const std::string& data);

}  // namespace cricket::pod
