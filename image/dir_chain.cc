// DirChain: one openat(O_NOFOLLOW | O_DIRECTORY) per new component below a
// dir already open. That is as confined as openat2(RESOLVE_IN_ROOT): names
// hold no "..", the kernel refuses to follow a symlink at any step, and the
// open dirs stay inside the root because the unpacker never renames and
// drops the chain whenever it removes something.
#include "image/dir_chain.h"

#include <fcntl.h>
#include <sys/stat.h>

#include "oci/sys/safe_path.h"
#include "oci/sys/status.h"

namespace cricket::image {

absl::StatusOr<bool> DirChain::Step(const std::string& name, size_t depth) {
  // Cleaned names hold no "..", but a walk by fd must never climb: the
  // confined walk takes it.
  if (name == "..") return false;
  const int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
  int fd = ::openat(Deepest(), name.c_str(), flags);
  if (fd < 0 && errno == ENOENT) {
    if (::mkdirat(Deepest(), name.c_str(), 0755) != 0 && errno != EEXIST) {
      return sys::ErrnoStatus(errno, "mkdir %s inside root", name);
    }
    fd = ::openat(Deepest(), name.c_str(), flags);
  }
  if (fd < 0) {
    // ELOOP: a symlink; ENOTDIR: a file. ENOENT now: a dangling symlink.
    if (errno == ELOOP || errno == ENOTDIR || errno == ENOENT) return false;
    return sys::ErrnoStatus(errno, "open dir %s inside root", name);
  }
  links_.push_back({depth, sys::UniqueFd(fd)});
  return true;
}

absl::StatusOr<int> DirChain::Open(const std::string& rel) {
  if (stale_) {
    links_.clear();
    parts_.clear();
    stale_ = false;
  }
  std::vector<std::string> parts = sys::SplitPath(rel);
  size_t common = 0;
  while (common < parts.size() && common < parts_.size() && parts[common] == parts_[common]) {
    ++common;
  }
  while (!links_.empty() && links_.back().depth > common) links_.pop_back();
  parts_ = std::move(parts);
  for (size_t depth = links_.empty() ? 0 : links_.back().depth; depth < parts_.size(); ++depth) {
    ASSIGN_OR_RETURN(bool plain, Step(parts_[depth], depth + 1));
    if (plain) continue;
    // Symlinked or odd components are rare: the confined walk from the root
    // follows symlinks inside it (creating missing targets) or refuses.
    ASSIGN_OR_RETURN(sys::UniqueFd fd, sys::MkdirAllInRoot(root_, rel, 0755));
    links_.clear();
    links_.push_back({parts_.size(), std::move(fd)});
    break;
  }
  return Deepest();
}

}  // namespace cricket::image
