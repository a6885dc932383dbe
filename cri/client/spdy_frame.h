// SPDY/3.1 framing: the 8-byte frame header of control and data frames, an
// incremental parser, and encoders for the frames a client sends.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace cricket::cri::client {

inline constexpr uint16_t kSpdyVersion = 3;
inline constexpr uint8_t kSpdyFlagFin = 0x01;
inline constexpr uint32_t kSpdyMaxFrameLength = 0xffffff;  // 24-bit length field

enum class SpdyType : uint16_t {
  kSynStream = 1,
  kSynReply = 2,
  kRstStream = 3,
  kSettings = 4,
  kPing = 6,
  kGoAway = 7,
  kHeaders = 8,
  kWindowUpdate = 9,
};

// RST_STREAM status codes used here.
inline constexpr uint32_t kSpdyProtocolError = 1;
inline constexpr uint32_t kSpdyCancel = 5;

struct SpdyFrame {
  bool control = false;
  uint16_t type = 0;  // control frames
  uint8_t flags = 0;
  uint32_t stream_id = 0;  // data frames
  std::string payload;     // everything after the 8-byte header
};

// One frame from the front of `in`; nullopt (and *consumed = 0) while the
// frame is incomplete. InvalidArgument for a frame no SPDY/3 peer sends.
absl::StatusOr<std::optional<SpdyFrame>> ParseSpdyFrame(std::string_view in, size_t* consumed);

std::string EncodeSpdyData(uint32_t stream_id, uint8_t flags, std::string_view data);
std::string EncodeSpdyControl(SpdyType type, uint8_t flags, std::string_view body);

std::string SpdySynStream(uint32_t stream_id, uint8_t flags, std::string_view compressed_headers);
std::string SpdyRstStream(uint32_t stream_id, uint32_t status);
std::string SpdyPing(uint32_t id);
std::string SpdyWindowUpdate(uint32_t stream_id, uint32_t delta);
std::string SpdyGoAway(uint32_t last_good_stream, uint32_t status);

// Big-endian 32-bit read at `at` (the caller checked the length), and append.
uint32_t SpdyRead32(std::string_view s, size_t at);
void SpdyPut32(std::string& out, uint32_t v);

}  // namespace cricket::cri::client
