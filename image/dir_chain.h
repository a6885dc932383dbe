// Parent directories of tar entries, opened once and kept: the fds of the
// current directory chain (a, a/b, a/b/c) inside a layer root. Tar streams
// list a directory's entries together, so most entries reuse the open parent
// and a new one costs one openat per new component instead of a confined
// walk from the root per entry.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "oci/sys/unique_fd.h"

namespace cricket::image {

class DirChain {
 public:
  explicit DirChain(int root_fd) : root_(root_fd) {}

  // The directory `rel` ("" is the root; no "." or ".." components, as
  // CleanEntryName leaves them), created (mode 0755) where missing. A
  // component that is not a plain directory (a symlink, a file) is resolved
  // by sys::MkdirAllInRoot instead, confined to the root like every lookup.
  // The fd stays valid until the next call.
  absl::StatusOr<int> Open(const std::string& rel);
  // The next Open() walks from the root again. Called whenever an entry
  // removes something: only ever a child of the last dir opened, never one of
  // the chain, but starting afresh costs little and needs no such argument.
  // The fd Open() returned stays valid for the entry in hand.
  void Forget() { stale_ = true; }

 private:
  struct Link {
    size_t depth;  // components of parts_ this fd stands for
    sys::UniqueFd fd;
  };
  // One component below the deepest link; false when it is not a plain
  // directory (then the confined walk decides).
  absl::StatusOr<bool> Step(const std::string& name, size_t depth);
  int Deepest() const { return links_.empty() ? root_ : links_.back().fd.get(); }

  int root_;
  std::vector<std::string> parts_;  // components of the deepest dir in links_
  std::vector<Link> links_;         // increasing depth, a prefix chain of parts_
  bool stale_ = false;
};

}  // namespace cricket::image
