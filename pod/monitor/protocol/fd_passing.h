// Receiving an fd sent with SCM_RIGHTS (the engine's console socket protocol:
// the pty master). Header-only: cricket-monitor links no pod library.
#pragma once

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "absl/status/statusor.h"
#include "oci/sys/status.h"
#include "oci/sys/unique_fd.h"

namespace cricket::pod {

// Waits up to timeout for the message on sock; DeadlineExceeded when none.
inline absl::StatusOr<sys::UniqueFd> ReceiveFd(int sock, std::chrono::milliseconds timeout) {
  struct pollfd p = {sock, POLLIN, 0};
  int n;
  do {
    n = ::poll(&p, 1, static_cast<int>(timeout.count()));
  } while (n < 0 && errno == EINTR);
  if (n < 0) return sys::ErrnoStatus(errno, "poll console socket");
  if (n == 0) return absl::DeadlineExceededError("no pty master received in time");
  char data[256];
  char ctrl[CMSG_SPACE(sizeof(int))] = {};
  struct iovec iov = {data, sizeof(data)};
  struct msghdr msg = {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = ctrl;
  msg.msg_controllen = sizeof(ctrl);
  ssize_t r;
  do {
    r = ::recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
  } while (r < 0 && errno == EINTR);
  if (r < 0) return sys::ErrnoStatus(errno, "receive pty master");
  struct cmsghdr* c = CMSG_FIRSTHDR(&msg);
  if (c == nullptr || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) {
    return absl::InternalError("no pty master received");
  }
  int fd;
  std::memcpy(&fd, CMSG_DATA(c), sizeof(fd));
  return sys::UniqueFd(fd);
}

}  // namespace cricket::pod
