// inotify IN_MOVED_TO catches the rename that publishes an exit file (and
// IN_CLOSE_WRITE a plain write); an eventfd stops the thread.
#include "pod/exit_watcher.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>

#include "oci/sys/fs.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"

namespace cricket::pod {

std::string ExitWatcher::IdFromName(const std::string& name) {
  constexpr std::string_view kExt = ".json";
  if (name.size() <= kExt.size() || name[0] == '.') return "";
  if (name.compare(name.size() - kExt.size(), kExt.size(), kExt) != 0) return "";
  return name.substr(0, name.size() - kExt.size());
}

absl::Status ExitWatcher::Start(Callback cb) {
  if (thread_.joinable()) return absl::FailedPreconditionError("exit watcher already started");
  RETURN_IF_ERROR(sys::MkdirAll(dir_, 0700));
  inotify_.Reset(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK));
  if (!inotify_) return sys::ErrnoStatus(errno, "inotify_init1");
  if (::inotify_add_watch(inotify_.get(), dir_.c_str(), IN_MOVED_TO | IN_CLOSE_WRITE) < 0) {
    return sys::ErrnoStatus(errno, "watch %s", dir_);
  }
  wake_.Reset(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!wake_) return sys::ErrnoStatus(errno, "eventfd");
  cb_ = std::move(cb);
  thread_ = std::thread([this] { Loop(); });
  return absl::OkStatus();
}

void ExitWatcher::Stop() {
  if (!thread_.joinable()) return;
  uint64_t one = 1;
  ssize_t n = ::write(wake_.get(), &one, sizeof(one));
  (void)n;
  thread_.join();
}

void ExitWatcher::Loop() {
  alignas(struct inotify_event) char buf[16 * 1024];
  for (;;) {
    struct pollfd p[2] = {{inotify_.get(), POLLIN, 0}, {wake_.get(), POLLIN, 0}};
    if (::poll(p, 2, -1) < 0 && errno != EINTR) {
      sys::LogError("exit watcher poll failed", {{"dir", dir_}});
      return;
    }
    if (p[1].revents) return;
    ssize_t n = ::read(inotify_.get(), buf, sizeof(buf));
    for (ssize_t off = 0; n > 0 && off < n;) {
      auto* ev = reinterpret_cast<struct inotify_event*>(buf + off);
      off += static_cast<ssize_t>(sizeof(struct inotify_event) + ev->len);
      std::string id = ev->len > 0 ? IdFromName(ev->name) : "";
      if (!id.empty()) cb_(id);
    }
  }
}

absl::StatusOr<std::vector<std::string>> ExitWatcher::Scan() const {
  absl::StatusOr<std::vector<std::string>> names = sys::ListDir(dir_);
  if (!names.ok() && absl::IsNotFound(names.status())) return std::vector<std::string>{};
  if (!names.ok()) return names.status();
  std::vector<std::string> ids;
  for (const auto& n : *names) {
    std::string id = IdFromName(n);
    if (!id.empty()) ids.push_back(id);
  }
  return ids;
}

}  // namespace cricket::pod
