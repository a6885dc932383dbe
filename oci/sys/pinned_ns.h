// A pod namespace (net, ipc or uts) kept alive without a process by
// bind-mounting /proc/thread-self/ns/<type> onto a file; the handle unmounts
// and unlinks the file when it dies, unless Release()d.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "oci/sys/unique_fd.h"

namespace cricket::sys {

enum class NamespaceType { kNet, kIpc, kUts };

std::string_view NamespaceTypeName(NamespaceType type);  // "net", "ipc", "uts"
// "net" | "network", "ipc", "uts" → the type; InvalidArgument otherwise.
absl::StatusOr<NamespaceType> ParseNamespaceType(std::string_view name);

class PinnedNamespace {
 public:
  // Runs inside the new namespace before it is pinned (e.g. sethostname for
  // uts). It runs on a short-lived thread of ours, so it must not block.
  using InitFn = std::function<absl::Status()>;

  // Makes a new namespace of `type` and pins it at <dir>/<name> (dir is
  // created). AlreadyExists when the file is there already. Safe to call from
  // a multi-threaded daemon, concurrently.
  static absl::StatusOr<PinnedNamespace> Create(NamespaceType type, const std::string& dir,
                                                const std::string& name, InitFn init = nullptr);
  // Takes ownership of a pin made earlier (recovery after a restart).
  // NotFound when the file is missing, FailedPrecondition when it is not a
  // mounted namespace (a stale file left by a crash between steps).
  static absl::StatusOr<PinnedNamespace> Adopt(NamespaceType type, const std::string& path);

  PinnedNamespace() = default;
  PinnedNamespace(PinnedNamespace&& o) noexcept
      : type_(o.type_), path_(std::exchange(o.path_, std::string())) {}
  PinnedNamespace& operator=(PinnedNamespace&& o) noexcept;
  PinnedNamespace(const PinnedNamespace&) = delete;
  PinnedNamespace& operator=(const PinnedNamespace&) = delete;
  ~PinnedNamespace();

  NamespaceType type() const { return type_; }
  const std::string& path() const { return path_; }  // "" once released or removed
  bool valid() const { return !path_.empty(); }
  // An fd for setns(2) (O_RDONLY | O_CLOEXEC).
  absl::StatusOr<UniqueFd> Open() const;
  // Keeps the pin on destruction; returns its path (to persist and Adopt later).
  std::string Release() { return std::exchange(path_, std::string()); }
  // Unpins now (unmount + unlink), reporting failure. Idempotent.
  absl::Status Remove();

 private:
  PinnedNamespace(NamespaceType type, std::string path) : type_(type), path_(std::move(path)) {}
  NamespaceType type_ = NamespaceType::kNet;
  std::string path_;
};

// Pins an existing namespace (e.g. /proc/<pid>/ns/user of a helper) at
// <dir>/<name> by bind mount (dir is created); AlreadyExists when the file is
// there. Returns the pin's path; RemovePinnedNamespace undoes it.
absl::StatusOr<std::string> PinNamespaceFile(const std::string& source, const std::string& dir,
                                             const std::string& name);

// Unpins a namespace file by path (unmount if mounted, then unlink). A
// missing file is OK, so this finishes a half-done removal after a crash.
absl::Status RemovePinnedNamespace(const std::string& path);
// True when a namespace is mounted at path (nsfs), as a pin leaves it.
bool IsPinnedNamespace(const std::string& path);

}  // namespace cricket::sys
