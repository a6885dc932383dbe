// SPDY/3 header blocks: the name/value block format (32-bit counts and
// lengths, lower-case names, NUL-joined repeated values) and the per-session
// zlib streams that compress them with the SPDY dictionary.
#pragma once

#include <zlib.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace cricket::cri::client {

using SpdyHeaders = std::vector<std::pair<std::string, std::string>>;

// The uncompressed block. Names are lower-cased as SPDY/3 requires.
std::string EncodeHeaderBlock(const SpdyHeaders& headers);
// InvalidArgument naming the problem for a truncated or oversized block.
absl::StatusOr<SpdyHeaders> DecodeHeaderBlock(std::string_view block);

// One direction of a session: every block goes through the same deflate
// stream, each ended with a sync flush (the peer inflates them in order).
class SpdyHeaderCompressor {
 public:
  static absl::StatusOr<std::unique_ptr<SpdyHeaderCompressor>> Make();
  ~SpdyHeaderCompressor();
  absl::StatusOr<std::string> Compress(const SpdyHeaders& headers);

 private:
  SpdyHeaderCompressor() = default;
  z_stream z_{};
};

class SpdyHeaderDecompressor {
 public:
  static absl::StatusOr<std::unique_ptr<SpdyHeaderDecompressor>> Make();
  ~SpdyHeaderDecompressor();
  absl::StatusOr<SpdyHeaders> Decompress(std::string_view compressed);

 private:
  SpdyHeaderDecompressor() = default;
  z_stream z_{};
};

}  // namespace cricket::cri::client
