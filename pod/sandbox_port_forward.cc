// PortForward's connection inside a pod's network namespace. Only a
// short-lived thread enters the pinned netns (setns changes the calling
// thread alone); a socket stays in the namespace it was made in, so the fd
// it returns works from any thread of cricketd.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "absl/strings/str_cat.h"
#include "oci/sys/fds.h"
#include "oci/sys/status.h"
#include "pod/sandbox_manager.h"

namespace cricket::pod {
namespace {

// 127.0.0.1:port, then [::1]:port; on failure *err is IPv4's errno (the
// pod may have no IPv6 at all, whose errors would hide the useful one).
sys::UniqueFd ConnectLoopback(uint16_t port, int* err) {
  struct sockaddr_in v4 = {};
  v4.sin_family = AF_INET;
  v4.sin_port = htons(port);
  v4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  struct sockaddr_in6 v6 = {};
  v6.sin6_family = AF_INET6;
  v6.sin6_port = htons(port);
  v6.sin6_addr = in6addr_loopback;
  const std::pair<int, std::pair<const sockaddr*, socklen_t>> kTargets[] = {
      {AF_INET, {reinterpret_cast<const sockaddr*>(&v4), sizeof(v4)}},
      {AF_INET6, {reinterpret_cast<const sockaddr*>(&v6), sizeof(v6)}}};
  *err = 0;
  for (const auto& [family, addr] : kTargets) {
    sys::UniqueFd fd(::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0));
    int rc = fd ? 0 : -1;
    while (fd && (rc = ::connect(fd.get(), addr.first, addr.second)) != 0 && errno == EINTR) {
    }
    if (rc == 0) return fd;
    if (*err == 0) *err = errno;
  }
  return sys::UniqueFd();
}

// Runs ConnectLoopback on a thread that joined netns_path's namespace.
absl::StatusOr<sys::UniqueFd> ConnectInNetns(const std::string& netns_path, uint16_t port,
                                             int* err) {
  absl::StatusOr<sys::UniqueFd> ns_fd = sys::Open(netns_path, O_RDONLY);
  if (!ns_fd.ok()) return sys::Annotate(ns_fd.status(), "network namespace");
  sys::UniqueFd ns = std::move(*ns_fd);
  sys::UniqueFd result;
  int setns_err = 0;
  std::thread t([&] {
    if (::setns(ns.get(), CLONE_NEWNET) != 0) {
      setns_err = errno;
      return;
    }
    result = ConnectLoopback(port, err);
  });
  t.join();
  if (setns_err != 0) return sys::ErrnoStatus(setns_err, "enter network namespace %s", netns_path);
  return result;
}

}  // namespace

absl::StatusOr<sys::UniqueFd> SandboxManager::PortForwardConnect(const PodId& id, uint16_t port) {
  ASSIGN_OR_RETURN(Sandbox sb, Get(id));
  std::string what = absl::StrCat("port forward to pod ", sb.id, " port ", port);
  if (sb.state() != SandboxState::kReady) {
    return absl::FailedPreconditionError(
        absl::StrCat(what, ": pod is ", std::string(Name(sb.state()))));
  }
  if (port == 0) return absl::InvalidArgumentError(what + ": port 0");
  int err = 0;
  sys::UniqueFd fd;
  if (sb.host_network() || sb.netns_path.empty()) {
    fd = ConnectLoopback(port, &err);
  } else {
    absl::StatusOr<sys::UniqueFd> in_ns = ConnectInNetns(sb.netns_path, port, &err);
    if (!in_ns.ok()) return sys::Annotate(in_ns.status(), "%s", what);
    fd = std::move(*in_ns);
  }
  if (!fd) {
    return sys::ErrnoStatus(err, "%s: connect to 127.0.0.1 and [::1] in the pod", what);
  }
  return fd;
}

}  // namespace cricket::pod
