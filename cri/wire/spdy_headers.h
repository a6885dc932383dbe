// SPDY/3 header blocks: the name/value block format (32-bit counts and
// lengths, lower-case names, NUL-joined repeated values) and the per-session
// zlib streams that compress them with the SPDY/3 dictionary.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace cricket::cri::wire {

// Name/value pairs; a name may repeat (each value its own entry).
using SpdyHeaders = std::vector<std::pair<std::string, std::string>>;
// The first value of a header, names compared without case; "" if absent.
std::string SpdyHeaderValue(const SpdyHeaders& h, std::string_view name);

// Header blocks are a handful of short headers; 256 KiB inflated bounds what a
// compressed block (a zlib bomb) may make us hold.
inline constexpr size_t kSpdyMaxHeaderBlock = 256 * 1024;

// The uncompressed block: names lower-cased, repeated names joined into one
// entry with NUL-separated values, as SPDY/3 requires.
std::string EncodeHeaderBlock(const SpdyHeaders& headers);
// The reverse: NUL-joined values come back as separate entries.
// InvalidArgument naming the problem for a truncated block or an empty name.
absl::StatusOr<SpdyHeaders> DecodeHeaderBlock(std::string_view block);

// The SPDY/3 compression dictionary (draft 3, section 2.6.10.1), byte-exact.
const std::string& SpdyDictionary();

// One per connection and direction: every block goes through the same zlib
// stream, each ended with a sync flush (the peer inflates them in order).
// A zlib stream that failed to initialise fails every call.
class SpdyHeaderCompressor {
 public:
  SpdyHeaderCompressor();
  ~SpdyHeaderCompressor();
  absl::StatusOr<std::string> Compress(const SpdyHeaders& headers);

 private:
  struct Z;
  std::unique_ptr<Z> z_;
};

class SpdyHeaderDecompressor {
 public:
  SpdyHeaderDecompressor();
  ~SpdyHeaderDecompressor();
  // InvalidArgument for data that does not inflate (the stream is then broken
  // for good) or that inflates past kSpdyMaxHeaderBlock or to a bad block.
  absl::StatusOr<SpdyHeaders> Decompress(std::string_view block);

 private:
  struct Z;
  std::unique_ptr<Z> z_;
};

}  // namespace cricket::cri::wire
