// SPDY/3.1 framing (the draft-3 wire format Kubernetes' spdystream speaks):
// frame split/encode, typed control-frame payloads, and the zlib name/value
// header blocks with the SPDY/3 dictionary. Pure: no sockets.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace cricket::cri::streaming {

constexpr uint16_t kSpdyVersion = 3;
enum SpdyType : uint16_t {
  kSynStream = 1,
  kSynReply = 2,
  kRstStream = 3,
  kSettings = 4,
  kPing = 6,
  kGoAway = 7,
  kHeaders = 8,
  kWindowUpdate = 9,
};
constexpr uint8_t kSpdyFlagFin = 0x01;
constexpr uint8_t kSpdyFlagUnidirectional = 0x02;
// RST_STREAM status codes.
enum SpdyRst : uint32_t {
  kRstProtocolError = 1,
  kRstInvalidStream = 2,
  kRstRefusedStream = 3,
  kRstCancel = 5,
  kRstInternalError = 6,
  kRstFlowControlError = 7,
  kRstStreamInUse = 8,
  kRstStreamAlreadyClosed = 9,
};
constexpr uint32_t kSettingsInitialWindowSize = 7;
constexpr int32_t kSpdyDefaultWindow = 64 * 1024;
// Larger frames are refused: spdystream never sends more than 32 KiB of data.
constexpr uint32_t kSpdyMaxFrameLength = 4 * 1024 * 1024;

struct SpdyFrame {
  bool control = false;
  uint16_t type = 0;        // control frames
  uint32_t stream_id = 0;   // data frames
  uint8_t flags = 0;
  std::string payload;
};

// One frame from the front of buf: nullopt while incomplete; InvalidArgument
// for a frame no peer may send (bad version, oversized).
absl::StatusOr<std::optional<SpdyFrame>> ParseSpdyFrame(std::string_view buf, size_t* consumed);
std::string EncodeSpdyData(uint32_t stream_id, uint8_t flags, std::string_view data);
std::string EncodeSpdyControl(uint16_t type, uint8_t flags, std::string_view payload);

// Big-endian helpers shared by the payload parsers.
uint32_t ReadBe32(std::string_view b, size_t at);
void AppendBe32(std::string& out, uint32_t v);

// Name/value pairs of a header block; a value may hold several values joined
// by NUL bytes. Names are lower case on the wire.
using SpdyHeaders = std::vector<std::pair<std::string, std::string>>;
std::string SpdyHeaderValue(const SpdyHeaders& h, std::string_view name);

// The SPDY/3 compression dictionary (draft 3, section 2.6.10.1).
const std::string& SpdyDictionary();

// One per connection and direction: zlib keeps its window across blocks.
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
  absl::StatusOr<SpdyHeaders> Decompress(std::string_view block);

 private:
  struct Z;
  std::unique_ptr<Z> z_;
};

// Typed control payloads.
struct SynStream {
  uint32_t stream_id = 0;
  uint32_t associated_id = 0;
  uint8_t priority = 0;
  std::string header_block;  // compressed
};
absl::StatusOr<SynStream> ParseSynStream(std::string_view payload);
std::string SynStreamPayload(const SynStream& s);
// SYN_REPLY and HEADERS: stream id then a compressed header block.
absl::StatusOr<std::pair<uint32_t, std::string>> ParseStreamHeaders(std::string_view payload);
std::string StreamHeadersPayload(uint32_t stream_id, std::string_view block);
// RST_STREAM, GOAWAY and WINDOW_UPDATE: two 32-bit words.
absl::StatusOr<std::pair<uint32_t, uint32_t>> ParseTwoWords(std::string_view payload);
std::string TwoWordsPayload(uint32_t a, uint32_t b);
// SETTINGS: (id, value) pairs.
absl::StatusOr<std::vector<std::pair<uint32_t, uint32_t>>> ParseSettings(std::string_view payload);
std::string SettingsPayload(const std::vector<std::pair<uint32_t, uint32_t>>& s);

}  // namespace cricket::cri::streaming
