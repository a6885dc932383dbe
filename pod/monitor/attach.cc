// Attach clients of the monitor; see attach.h and pod/attach_protocol.h.
#include "pod/monitor/attach.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "oci/sys/fds.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"
#include "pod/monitor/protocol/attach_protocol.h"

namespace cricket::pod::monitor {
namespace {

constexpr size_t kMaxClients = 128;
// Stdin clients are not read while this much waits for the container.
constexpr size_t kStdinHighWater = 64 << 10;

void SetNonBlocking(int fd) {
  int fl = ::fcntl(fd, F_GETFL);
  if (fl >= 0) ::fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

int64_t NowMs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

}  // namespace

absl::Status AttachServer::Listen(const std::string& dir) {
  absl::StatusOr<sys::UniqueFd> dir_fd = sys::Open(dir, O_PATH | O_DIRECTORY);
  if (!dir_fd.ok()) return sys::Annotate(dir_fd.status(), "attach dir");
  dir_ = std::move(*dir_fd);
  std::string path = absl::StrCat("/proc/self/fd/", dir_.get(), "/", kAttachSocketName);
  struct sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  if (::unlinkat(dir_.get(), kAttachSocketName, 0) != 0 && errno != ENOENT) {
    return sys::ErrnoStatus(errno, "remove stale attach socket in %s", dir);
  }
  listener_.Reset(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!listener_) return sys::ErrnoStatus(errno, "attach socket");
  if (::bind(listener_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::fchmodat(dir_.get(), kAttachSocketName, 0600, 0) != 0 ||
      ::listen(listener_.get(), 16) != 0) {
    return sys::ErrnoStatus(errno, "listen on %s/%s", dir, kAttachSocketName);
  }
  return absl::OkStatus();
}

void AttachServer::Adopt(sys::UniqueFd dir, sys::UniqueFd listener) {
  dir_ = std::move(dir);
  listener_ = std::move(listener);
}

void AttachServer::SetContainerIo(int pty_master, sys::UniqueFd fifo_writer, bool stdin,
                                  bool stdin_once) {
  fifo_ = std::move(fifo_writer);
  master_ = pty_master;
  if (!stdin || StdinFd() < 0) return;
  SetNonBlocking(StdinFd());
  stdin_open_ = true;
  stdin_once_ = stdin_once;
}

void AttachServer::AddPollFds(std::vector<struct pollfd>* p) {
  clients_.erase(std::remove_if(clients_.begin(), clients_.end(),
                                [](const auto& c) { return !c->fd; }),
                 clients_.end());
  first_ = p->size();
  p->push_back({listener_.get(), POLLIN, 0});
  for (const auto& c : clients_) {
    short ev = POLLIN;
    if (c->kind == kAttachStdin && stdin_pending_.size() >= kStdinHighWater) ev = 0;
    if (!c->pending.empty()) ev |= POLLOUT;
    p->push_back({c->fd.get(), ev, 0});
  }
  polled_clients_ = clients_.size();
  polled_stdin_ = stdin_open_ && !stdin_pending_.empty();
  if (polled_stdin_) p->push_back({StdinFd(), POLLOUT, 0});
}

void AttachServer::Handle(const std::vector<struct pollfd>& p) {
  if (first_ >= p.size()) return;
  bool incoming = p[first_].revents & POLLIN;
  for (size_t k = 0; k < polled_clients_ && first_ + 1 + k < p.size(); ++k) {
    Client& c = *clients_[k];
    short rev = p[first_ + 1 + k].revents;
    if (!c.fd || rev == 0) continue;
    bool keep = true;
    if (rev & (POLLIN | POLLHUP | POLLERR)) keep = OnReadable(c);
    if (keep && (rev & POLLOUT)) keep = Flush(c);
    if (!keep) c.fd.Reset();
  }
  if (polled_stdin_) WriteStdin();
  if (incoming) Accept();
}

void AttachServer::Accept() {
  for (;;) {
    sys::UniqueFd fd(::accept4(listener_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
    if (!fd) return;  // EAGAIN: all taken; other errors: the client is gone
    if (clients_.size() >= kMaxClients) continue;  // refused: closed at once
    auto c = std::make_unique<Client>();
    c->fd = std::move(fd);
    clients_.push_back(std::move(c));
  }
}

bool AttachServer::OnReadable(Client& c) {
  char buf[32 * 1024];
  ssize_t n = ::recv(c.fd.get(), buf, sizeof(buf), 0);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  if (n <= 0) {  // the client went away or closed its side
    if (c.kind == kAttachStdin && stdin_once_) CloseStdin();
    return false;
  }
  std::string_view data(buf, static_cast<size_t>(n));
  if (c.kind == 0) {
    c.kind = data[0];
    data.remove_prefix(1);
    if (c.kind != kAttachStdout && c.kind != kAttachStderr && c.kind != kAttachStdin &&
        c.kind != kAttachControl) {
      return false;
    }
    if (c.kind == kAttachStdin && !stdin_open_) return false;  // no stdin (any more)
  }
  if (c.kind == kAttachStdin && stdin_open_ && !stdin_eof_) {
    stdin_pending_.append(data);
    WriteStdin();
  } else if (c.kind == kAttachControl) {
    c.partial.append(data);
    while (c.partial.size() >= kAttachResizeSize) {
      Resize(reinterpret_cast<const unsigned char*>(c.partial.data()));
      c.partial.erase(0, kAttachResizeSize);
    }
  }
  return true;
}

bool AttachServer::Flush(Client& c) {
  while (!c.pending.empty()) {
    ssize_t n = ::send(c.fd.get(), c.pending.data(), c.pending.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return true;
    if (n <= 0) return false;  // EPIPE and friends: the client vanished
    c.pending.erase(0, static_cast<size_t>(n));
  }
  return true;
}

void AttachServer::Output(bool is_stderr, std::string_view chunk) {
  char kind = is_stderr ? kAttachStderr : kAttachStdout;
  for (auto& c : clients_) {
    if (!c->fd || c->kind != kind) continue;
    if (c->pending.size() + chunk.size() > kMaxPending) {
      sys::LogWarn("attach client too slow, dropped", {});
      c->fd.Reset();
      continue;
    }
    c->pending.append(chunk);
    if (!Flush(*c)) c->fd.Reset();
  }
}

void AttachServer::WriteStdin() {
  while (stdin_open_ && !stdin_pending_.empty()) {
    ssize_t n = ::write(StdinFd(), stdin_pending_.data(), stdin_pending_.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return;
    if (n <= 0) {  // EIO on a terminal whose other side is gone
      stdin_pending_.clear();
      break;
    }
    stdin_pending_.erase(0, static_cast<size_t>(n));
  }
  if (!stdin_open_ || !stdin_eof_ || !stdin_pending_.empty()) return;
  stdin_open_ = false;
  if (fifo_) {
    fifo_.Reset();  // the last writer: the container reads EOF
  } else {
    ssize_t n = ::write(master_, "\x04", 1);  // EOF on a terminal in canonical mode
    (void)n;
  }
}

void AttachServer::CloseStdin() {
  stdin_eof_ = true;
  WriteStdin();
}

void AttachServer::Resize(const unsigned char* rec) {
  uint16_t w, h;
  DecodeAttachResize(rec, &w, &h);
  if (master_ < 0 || w == 0 || h == 0) return;
  struct winsize ws = {};
  ws.ws_col = w;
  ws.ws_row = h;
  if (::ioctl(master_, TIOCSWINSZ, &ws) != 0) sys::LogWarn("resize terminal failed", {});
}

// Sends what clients of `kind` (0: all) still have pending, until deadline.
void AttachServer::FlushAll(char kind, int64_t deadline) {
  for (;;) {
    std::vector<struct pollfd> p;
    std::vector<Client*> who;
    for (auto& c : clients_) {
      if (c->fd && !c->pending.empty() && (kind == 0 || c->kind == kind)) {
        p.push_back({c->fd.get(), POLLOUT, 0});
        who.push_back(c.get());
      }
    }
    int64_t left = deadline - NowMs();
    if (p.empty() || left <= 0) return;
    if (::poll(p.data(), p.size(), static_cast<int>(left)) < 0 && errno != EINTR) return;
    for (size_t i = 0; i < p.size(); ++i) {
      if (p[i].revents && !Flush(*who[i])) who[i]->fd.Reset();
    }
  }
}

void AttachServer::Finish(int exit_code) {
  listener_.Reset();
  if (dir_) (void)::unlinkat(dir_.get(), kAttachSocketName, 0);
  int64_t deadline = NowMs() + 2000;
  // Output first, then EOF on it, and only then the exit line: a client that
  // stops reading once Wait returned has had all of the output.
  FlushAll(kAttachStdout, deadline);
  FlushAll(kAttachStderr, deadline);
  for (auto& c : clients_) {
    if (c->kind != kAttachControl) c->fd.Reset();
  }
  for (auto& c : clients_) {
    if (c->fd) c->pending = absl::StrCat("exit ", exit_code, "\n");
  }
  FlushAll(kAttachControl, deadline);
  clients_.clear();
}

}  // namespace cricket::pod::monitor
