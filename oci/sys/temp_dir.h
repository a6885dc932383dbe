// A temporary directory removed (recursively) when the handle dies.
#pragma once

#include <string>
#include <utility>

#include "absl/status/statusor.h"

namespace cricket::sys {

class TempDir {
 public:
  // Makes <base>/<prefix>XXXXXX (base defaults to $TMPDIR or /tmp).
  static absl::StatusOr<TempDir> Make(const std::string& prefix = "cricket-",
                                      const std::string& base = "");
  TempDir() = default;  // empty: owns nothing
  TempDir(TempDir&& o) noexcept : path_(std::move(o.path_)) { o.path_.clear(); }
  TempDir& operator=(TempDir&& o) noexcept;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();

  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }
  // Keeps the directory on destruction.
  std::string Release() { return std::exchange(path_, std::string()); }

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace cricket::sys
