// SPDY/3.1 framing (the draft-3 wire format Kubernetes' spdystream speaks):
// the 8-byte frame header of control and data frames, an incremental parser,
// the typed control-frame payloads and their encoders. Pure: no sockets.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace cricket::cri::wire {

inline constexpr uint16_t kSpdyVersion = 3;
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
inline constexpr uint8_t kSpdyFlagFin = 0x01;
inline constexpr uint8_t kSpdyFlagUnidirectional = 0x02;
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
inline constexpr uint32_t kSettingsInitialWindowSize = 7;
inline constexpr int32_t kSpdyDefaultWindow = 64 * 1024;
// No peer (spdystream, the kubelet, cricket) frames more than 32 KiB of data;
// 4 MiB refuses a hostile 24-bit length before it is buffered.
inline constexpr uint32_t kSpdyMaxFrameLength = 4 * 1024 * 1024;

struct SpdyFrame {
  bool control = false;
  uint16_t type = 0;       // control frames
  uint32_t stream_id = 0;  // data frames
  uint8_t flags = 0;
  std::string payload;  // everything after the 8-byte header
};

// One frame from the front of buf: nullopt (and *consumed = 0) while the frame
// is incomplete; InvalidArgument for a frame no peer may send (a control frame
// of another version, a length over kSpdyMaxFrameLength).
absl::StatusOr<std::optional<SpdyFrame>> ParseSpdyFrame(std::string_view buf, size_t* consumed);
std::string EncodeSpdyData(uint32_t stream_id, uint8_t flags, std::string_view data);
std::string EncodeSpdyControl(uint16_t type, uint8_t flags, std::string_view payload);

// Big-endian 32-bit read at `at` (the caller checked the length), and append.
uint32_t ReadBe32(std::string_view b, size_t at);
void AppendBe32(std::string& out, uint32_t v);

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
// RST_STREAM, GOAWAY and WINDOW_UPDATE: two 32-bit words (the first without
// its reserved top bit).
absl::StatusOr<std::pair<uint32_t, uint32_t>> ParseTwoWords(std::string_view payload);
std::string TwoWordsPayload(uint32_t a, uint32_t b);
// SETTINGS: (id, value) pairs.
absl::StatusOr<std::vector<std::pair<uint32_t, uint32_t>>> ParseSettings(std::string_view payload);
std::string SettingsPayload(const std::vector<std::pair<uint32_t, uint32_t>>& s);

// Whole control frames.
std::string SpdySynStream(uint32_t stream_id, uint8_t flags, std::string_view compressed_headers);
std::string SpdySynReply(uint32_t stream_id, uint8_t flags, std::string_view compressed_headers);
std::string SpdyRstStream(uint32_t stream_id, uint32_t status);
std::string SpdyPing(uint32_t id);
std::string SpdyWindowUpdate(uint32_t stream_id, uint32_t delta);
std::string SpdyGoAway(uint32_t last_good_stream, uint32_t status);

}  // namespace cricket::cri::wire
