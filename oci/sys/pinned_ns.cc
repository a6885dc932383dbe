// Pinned namespaces. The new namespace is made by unshare(2) on a dedicated,
// short-lived thread, which then bind-mounts its own /proc/thread-self/ns/<type>.
//
// Why a thread and not a forked child: net, ipc and uts namespaces belong to
// a task, not a process, and unshare(2) of those three is allowed in a
// multi-threaded process (only CLONE_NEWUSER demands a single thread). The
// thread dies right after the mount, so no other code ever runs in the new
// namespace, and there is no fork of a large threaded daemon (no copied page
// tables, no async-signal-safety limits, no child to reap). The bind mount,
// not the thread, keeps the namespace alive.
#include "oci/sys/pinned_ns.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <thread>

#include "oci/sys/fs.h"
#include "oci/sys/log.h"
#include "oci/sys/fds.h"
#include "oci/sys/status.h"

namespace cricket::sys {
namespace {

constexpr long kNsfsMagic = 0x6e736673;  // NSFS_MAGIC from linux/magic.h

int CloneFlag(NamespaceType type) {
  switch (type) {
    case NamespaceType::kNet:
      return CLONE_NEWNET;
    case NamespaceType::kIpc:
      return CLONE_NEWIPC;
    case NamespaceType::kUts:
      return CLONE_NEWUTS;
  }
  return 0;
}

// Body of the pinning thread: new namespace, optional init, bind mount.
absl::Status UnshareAndPin(NamespaceType type, const std::string& target,
                           const PinnedNamespace::InitFn& init) {
  std::string name(NamespaceTypeName(type));
  if (::unshare(CloneFlag(type)) != 0) return ErrnoStatus(errno, "unshare %s namespace", name);
  if (init) RETURN_IF_ERROR(Annotate(init(), "initialise new %s namespace", name));
  std::string source = "/proc/thread-self/ns/" + name;
  if (::mount(source.c_str(), target.c_str(), nullptr, MS_BIND, nullptr) != 0) {
    return ErrnoStatus(errno, "bind-mount %s on %s", source, target);
  }
  return absl::OkStatus();
}

bool IsNsfs(const std::string& path) {
  struct statfs fs;
  return ::statfs(path.c_str(), &fs) == 0 && static_cast<long>(fs.f_type) == kNsfsMagic;
}

}  // namespace

std::string_view NamespaceTypeName(NamespaceType type) {
  switch (type) {
    case NamespaceType::kNet:
      return "net";
    case NamespaceType::kIpc:
      return "ipc";
    case NamespaceType::kUts:
      return "uts";
  }
  return "?";
}

absl::StatusOr<NamespaceType> ParseNamespaceType(std::string_view name) {
  if (name == "net" || name == "network") return NamespaceType::kNet;
  if (name == "ipc") return NamespaceType::kIpc;
  if (name == "uts") return NamespaceType::kUts;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown namespace type \"", std::string(name), "\" (want net, ipc or uts)"));
}

absl::StatusOr<PinnedNamespace> PinnedNamespace::Create(NamespaceType type,
                                                        const std::string& dir,
                                                        const std::string& name, InitFn init) {
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..") {
    return absl::InvalidArgumentError(absl::StrCat("bad namespace pin name \"", name, "\""));
  }
  RETURN_IF_ERROR(MkdirAll(dir, 0711));
  std::string path = dir + "/" + name;
  // The mount point: an empty file, made exclusively so two creators of the
  // same name cannot both think they own it.
  RETURN_IF_ERROR(Annotate(sys::Open(path, O_WRONLY | O_CREAT | O_EXCL, 0444).status(),
                           "namespace pin file"));
  absl::Status st;
  std::thread pinner([&] { st = UnshareAndPin(type, path, init); });
  pinner.join();
  if (!st.ok()) {
    ::unlink(path.c_str());
    return Annotate(st, "pin %s namespace at %s", std::string(NamespaceTypeName(type)), path);
  }
  return PinnedNamespace(type, path);
}

absl::StatusOr<PinnedNamespace> PinnedNamespace::Adopt(NamespaceType type,
                                                       const std::string& path) {
  if (!PathExists(path)) {
    return absl::NotFoundError(absl::StrCat("namespace pin ", path, " does not exist"));
  }
  if (!IsNsfs(path)) {
    return absl::FailedPreconditionError(
        absl::StrCat("namespace pin ", path, " is not a mounted namespace"));
  }
  return PinnedNamespace(type, path);
}

PinnedNamespace& PinnedNamespace::operator=(PinnedNamespace&& o) noexcept {
  if (this != &o) {
    PinnedNamespace old(std::move(*this));
    type_ = o.type_;
    path_ = std::exchange(o.path_, std::string());
  }
  return *this;
}

PinnedNamespace::~PinnedNamespace() {
  absl::Status st = Remove();
  if (!st.ok()) LogWarn("unpin namespace failed", {{"error", st.ToString()}});
}

absl::StatusOr<UniqueFd> PinnedNamespace::Open() const {
  if (path_.empty()) return absl::FailedPreconditionError("namespace pin was released");
  absl::StatusOr<UniqueFd> fd = sys::Open(path_, O_RDONLY);
  if (!fd.ok()) return Annotate(fd.status(), "namespace");
  return fd;
}

absl::Status PinnedNamespace::Remove() {
  if (path_.empty()) return absl::OkStatus();
  absl::Status st = RemovePinnedNamespace(path_);
  if (st.ok()) path_.clear();
  return st;
}

bool IsPinnedNamespace(const std::string& path) { return IsNsfs(path); }

absl::StatusOr<std::string> PinNamespaceFile(const std::string& source, const std::string& dir,
                                             const std::string& name) {
  RETURN_IF_ERROR(MkdirAll(dir, 0711));
  std::string path = dir + "/" + name;
  RETURN_IF_ERROR(Annotate(sys::Open(path, O_WRONLY | O_CREAT | O_EXCL, 0444).status(),
                           "namespace pin file"));
  if (::mount(source.c_str(), path.c_str(), nullptr, MS_BIND, nullptr) != 0) {
    absl::Status st = ErrnoStatus(errno, "bind-mount %s on %s", source, path);
    ::unlink(path.c_str());
    return st;
  }
  return path;
}

absl::Status RemovePinnedNamespace(const std::string& path) {
  // MNT_DETACH: a process still inside the namespace keeps it alive, but the
  // pin itself must go now. Loop: a pin mounted twice (a crash between mount
  // and record) needs two unmounts. EINVAL means "not a mount point" (done).
  for (int i = 0; i < 8 && IsNsfs(path); ++i) {
    if (::umount2(path.c_str(), MNT_DETACH) != 0 && errno != EINVAL && errno != ENOENT) {
      return ErrnoStatus(errno, "unmount namespace pin %s", path);
    }
  }
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return ErrnoStatus(errno, "remove namespace pin %s", path);
  }
  return absl::OkStatus();
}

}  // namespace cricket::sys
