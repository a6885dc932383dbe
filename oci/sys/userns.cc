// The helper is a fork of the caller, which may be multi-threaded: after
// fork it only calls unshare, sethostname, read, write and _exit.
//
// Protocol over two pipes: the helper reports "unshared" (or an errno), waits
// for the parent's go byte (maps written), unshares the owned namespaces,
// reports again, then blocks until the go pipe closes.
#include "oci/sys/userns.h"

#include <fcntl.h>
#include <linux/mount.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "absl/strings/str_cat.h"
#include "oci/sys/fds.h"
#include "oci/sys/status.h"

namespace cricket::sys {
namespace {

struct Report {
  int32_t step;  // 0: user namespace, 1: owned namespaces, 2: hostname
  int32_t err;   // 0 on success
};

constexpr const char* kSteps[] = {"unshare user namespace", "unshare owned namespaces",
                                  "sethostname"};

[[noreturn]] void Helper(int report_fd, int go_fd, int owned_flags, const char* host,
                         size_t host_len) {
  auto send = [&](int step, int err) {
    Report r{step, err};
    ssize_t n = write(report_fd, &r, sizeof r);
    (void)n;
  };
  if (unshare(CLONE_NEWUSER) != 0) send(0, errno), _exit(1);
  send(0, 0);
  char b;
  if (read(go_fd, &b, 1) != 1) _exit(1);  // the parent gave up
  if (owned_flags != 0 && unshare(owned_flags) != 0) send(1, errno), _exit(1);
  if (host_len > 0 && sethostname(host, host_len) != 0) send(2, errno), _exit(1);
  send(1, 0);
  while (read(go_fd, &b, 1) > 0) {
  }
  _exit(0);
}

absl::Status ReadReport(int fd, int want_step) {
  Report r{};
  ssize_t n;
  while ((n = read(fd, &r, sizeof r)) < 0 && errno == EINTR) {
  }
  if (n != static_cast<ssize_t>(sizeof r)) {
    return absl::InternalError("user namespace helper exited without a report");
  }
  if (r.err != 0) {
    return ErrnoStatus(r.err, "user namespace helper: %s", kSteps[r.step >= 0 && r.step <= 2 ? r.step : 0]);
  }
  if (r.step != want_step) return absl::InternalError("user namespace helper: out of step");
  return absl::OkStatus();
}

absl::Status WriteMap(pid_t pid, const char* name, const std::string& text) {
  std::string path = absl::StrCat("/proc/", pid, "/", name);
  ASSIGN_OR_RETURN(UniqueFd fd, Open(path, O_WRONLY));
  if (::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
    return ErrnoStatus(errno, "write %s \"%s\"", path, text);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<UserNamespaceHolder> UserNamespaceHolder::Start(const std::string& uid_map,
                                                               const std::string& gid_map,
                                                               int owned_flags,
                                                               const std::string& hostname) {
  ASSIGN_OR_RETURN(PipeFds report, Pipe("user namespace report"));
  ASSIGN_OR_RETURN(PipeFds go, Pipe("user namespace go"));
  pid_t pid = ::fork();
  if (pid < 0) return ErrnoStatus(errno, "fork user namespace helper");
  if (pid == 0) {
    Helper(report.write.get(), go.read.get(), owned_flags, hostname.data(), hostname.size());
  }
  UserNamespaceHolder h;
  h.pid_ = pid;
  h.go_ = std::move(go.write);
  report.write.Reset();
  go.read.Reset();
  RETURN_IF_ERROR(ReadReport(report.read.get(), 0));
  RETURN_IF_ERROR(WriteMap(pid, "uid_map", uid_map));
  RETURN_IF_ERROR(WriteMap(pid, "gid_map", gid_map));
  if (::write(h.go_.get(), "g", 1) != 1) return ErrnoStatus(errno, "signal user namespace helper");
  RETURN_IF_ERROR(ReadReport(report.read.get(), 1));
  return h;
}

UserNamespaceHolder& UserNamespaceHolder::operator=(UserNamespaceHolder&& o) noexcept {
  if (this != &o) {
    Stop();
    pid_ = std::exchange(o.pid_, -1);
    go_ = std::move(o.go_);
  }
  return *this;
}

UserNamespaceHolder::~UserNamespaceHolder() { Stop(); }

void UserNamespaceHolder::Stop() {
  if (pid_ <= 0) return;
  go_.Reset();
  ::kill(pid_, SIGKILL);  // our own unreaped child: the pid cannot be reused yet
  while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
}

std::string UserNamespaceHolder::NsPath(std::string_view name) const {
  return absl::StrCat("/proc/", pid_, "/ns/", std::string(name));
}

absl::StatusOr<UniqueFd> UserNamespaceHolder::OpenUserNs() const {
  return Open(NsPath("user"), O_RDONLY);
}

absl::Status IdmappedBind(const std::string& source, const std::string& target, int userns_fd,
                          bool recursive, bool recursive_idmap) {
  UniqueFd tree(static_cast<int>(::syscall(SYS_open_tree, AT_FDCWD, source.c_str(),
                                           OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
                                               (recursive ? AT_RECURSIVE : 0))));
  if (!tree) return ErrnoStatus(errno, "open_tree %s", source);
  struct mount_attr attr = {};
  attr.attr_set = MOUNT_ATTR_IDMAP;
  attr.userns_fd = static_cast<uint64_t>(userns_fd);
  unsigned flags = AT_EMPTY_PATH | (recursive_idmap ? AT_RECURSIVE : 0);
  if (::syscall(SYS_mount_setattr, tree.get(), "", flags, &attr, sizeof attr) != 0) {
    return ErrnoStatus(errno, "id-map mount of %s (mount_setattr MOUNT_ATTR_IDMAP)", source);
  }
  // T_SYMLINKS: the engine's targets are /proc/self/fd/N magic links.
  if (::syscall(SYS_move_mount, tree.get(), "", AT_FDCWD, target.c_str(),
                MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_SYMLINKS) != 0) {
    return ErrnoStatus(errno, "move id-mapped mount of %s to %s", source, target);
  }
  return absl::OkStatus();
}

}  // namespace cricket::sys
