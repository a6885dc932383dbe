// mkdtemp with recursive removal on destruction.
#include "oci/sys/temp_dir.h"

#include <stdlib.h>

#include <vector>

#include "oci/sys/fs.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"

namespace cricket::sys {

absl::StatusOr<TempDir> TempDir::Make(const std::string& prefix, const std::string& base) {
  std::string dir = base;
  if (dir.empty()) {
    const char* env = getenv("TMPDIR");
    dir = env && *env ? env : "/tmp";
  }
  std::string templ = dir + "/" + prefix + "XXXXXX";
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr) return ErrnoStatus(errno, "mkdtemp %s", templ);
  return TempDir(std::string(buf.data()));
}

TempDir& TempDir::operator=(TempDir&& o) noexcept {
  if (this != &o) {
    TempDir old(std::move(*this));
    path_ = std::exchange(o.path_, std::string());
  }
  return *this;
}

TempDir::~TempDir() {
  if (path_.empty()) return;
  absl::Status st = RemoveAll(path_);
  if (!st.ok()) LogWarn("temp dir not removed", {{"path", path_}, {"error", st.ToString()}});
}

}  // namespace cricket::sys
