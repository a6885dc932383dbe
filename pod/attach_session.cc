// AttachSession: up to four connections to the monitor's attach socket.
#include "pod/attach_session.h"

#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "oci/sys/status.h"
#include "pod/monitor/protocol/attach_protocol.h"
#include "pod/stream_fds.h"

namespace cricket::pod {
namespace {

class AttachSession : public StreamSession {
 public:
  explicit AttachSession(const AttachRequest& r) : r_(r) {}
  ~AttachSession() override { Close(); }

  absl::Status Connect();
  int in_fd() const override { return in_.get(); }
  int out_fd() const override { return out_.get(); }
  int err_fd() const override { return err_.get(); }
  absl::Status CloseStdin() override;
  absl::Status Resize(uint16_t width, uint16_t height) override;
  absl::StatusOr<int> Wait() override;
  void Close() override;

 private:
  absl::StatusOr<sys::UniqueFd> Open(char kind);
  std::string What() const { return absl::StrCat("attach to container ", r_.id); }

  const AttachRequest r_;
  sys::UniqueFd control_, in_, out_, err_;
  std::atomic<bool> closed_{false};
  absl::Mutex wait_mu_;
  std::string pending_ ABSL_GUARDED_BY(wait_mu_);
  std::optional<int> exit_code_ ABSL_GUARDED_BY(wait_mu_);
};

absl::StatusOr<sys::UniqueFd> AttachSession::Open(char kind) {
  absl::StatusOr<sys::UniqueFd> fd = ConnectUnixIn(r_.attach_dir, kAttachSocketName);
  if (!fd.ok()) {
    if (absl::IsNotFound(fd.status()) || absl::IsUnavailable(fd.status())) {
      return absl::FailedPreconditionError(absl::StrCat(
          What(), ": its monitor has no attach socket (", fd.status().message(), ")"));
    }
    return sys::Annotate(fd.status(), "%s", What());
  }
  RETURN_IF_ERROR(sys::Annotate(WriteAll(fd->get(), std::string(1, kind)), "%s", What()));
  return fd;
}

absl::Status AttachSession::Connect() {
  if (r_.opts.stdin && !r_.container_stdin) {
    return absl::FailedPreconditionError(What() + ": the container was created without stdin");
  }
  // Control first: its "exit" line is what Wait reads.
  ASSIGN_OR_RETURN(control_, Open(kAttachControl));
  if (r_.opts.stdout) {
    ASSIGN_OR_RETURN(out_, Open(kAttachStdout));
  }
  if (r_.opts.stderr && !r_.container_tty) {
    ASSIGN_OR_RETURN(err_, Open(kAttachStderr));
  }
  if (r_.opts.stdin) {
    ASSIGN_OR_RETURN(in_, Open(kAttachStdin));
  }
  return absl::OkStatus();
}

absl::Status AttachSession::CloseStdin() {
  if (!in_) return absl::FailedPreconditionError(What() + ": no stdin");
  if (::shutdown(in_.get(), SHUT_WR) != 0 && errno != ENOTCONN) {
    return sys::ErrnoStatus(errno, "%s: close stdin", What());
  }
  return absl::OkStatus();
}

absl::Status AttachSession::Resize(uint16_t width, uint16_t height) {
  if (!r_.container_tty) return absl::FailedPreconditionError(What() + ": no tty to resize");
  unsigned char rec[kAttachResizeSize];
  EncodeAttachResize(width, height, rec);
  std::string msg(reinterpret_cast<const char*>(rec), sizeof(rec));
  return sys::Annotate(WriteAll(control_.get(), msg), "%s: resize", What());
}

absl::StatusOr<int> AttachSession::Wait() {
  absl::MutexLock l(&wait_mu_);
  while (!exit_code_) {
    size_t nl = pending_.find('\n');
    if (nl != std::string::npos) {
      std::string line = pending_.substr(0, nl);
      pending_.erase(0, nl + 1);
      int code;
      if (line.rfind("exit ", 0) == 0 && absl::SimpleAtoi(line.substr(5), &code)) {
        exit_code_ = code;
      }
      continue;
    }
    char buf[256];
    ssize_t n = ::read(control_.get(), buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n > 0) {
      pending_.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (closed_) return absl::CancelledError(What() + ": detached");
    if (n < 0) return sys::ErrnoStatus(errno, "%s: read control connection", What());
    return absl::UnavailableError(What() + ": the monitor closed the connection");
  }
  return *exit_code_;
}

void AttachSession::Close() {
  if (closed_.exchange(true)) return;
  for (auto* fd : {&control_, &in_, &out_, &err_}) {
    if (*fd) ::shutdown(fd->get(), SHUT_RDWR);
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<StreamSession>> AttachToMonitor(const AttachRequest& r) {
  auto s = std::make_unique<AttachSession>(r);
  RETURN_IF_ERROR(s->Connect());
  return s;
}

}  // namespace cricket::pod
