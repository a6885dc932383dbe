// Layer bytes → plain tar bytes: gzip (zlib), zstd (libzstd) or none, told
// apart by magic bytes, hashing the plain stream as it passes so the layer's
// diff_id (sha256 of the uncompressed tar) can be checked against the image
// config. Without that check a crafted image could plant any content under a
// chain ID that another image trusts.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "image/digest.h"

namespace cricket::image {

class PlainReader {
 public:
  enum class Kind { kNone, kGzip, kZstd };
  // Where compressed bytes come from: up to len bytes, 0 at the end.
  using Source = std::function<absl::StatusOr<size_t>(char* buf, size_t len)>;
  // Sniffs the first bytes of the source. check_crc = false skips gzip's
  // trailer check (CRC-32, length), for callers that check the plain
  // stream's digest anyway.
  static absl::StatusOr<std::unique_ptr<PlainReader>> Open(Source source, bool check_crc = true);
  // Reads from fd (not owned).
  static absl::StatusOr<std::unique_ptr<PlainReader>> Open(int fd, bool check_crc = true);
  virtual ~PlainReader() = default;

  // Up to len plain bytes into buf; 0 at the end of the stream.
  virtual absl::StatusOr<size_t> Read(char* buf, size_t len) = 0;
  Kind kind() const { return kind_; }
  // Reads what is left (tar padding after the end-of-archive blocks counts
  // towards the diff_id) and returns "sha256:<hex>" of the whole plain stream.
  absl::StatusOr<std::string> DrainAndDigest();

 protected:
  explicit PlainReader(Kind k) : kind_(k) {}
  Sha256 sha_;

 private:
  Kind kind_;
};

// A Source reading an fd (not owned) to its end.
PlainReader::Source FdSource(int fd);

}  // namespace cricket::image
