// SPDY/3.1 frame header parsing and the client's frame encoders.
#include "cri/client/spdy_frame.h"

#include "absl/strings/str_cat.h"

namespace cricket::cri::client {
void SpdyPut32(std::string& out, uint32_t v) {
  out += static_cast<char>(v >> 24);
  out += static_cast<char>(v >> 16);
  out += static_cast<char>(v >> 8);
  out += static_cast<char>(v);
}

namespace {

std::string Header(uint32_t first_word, uint8_t flags, size_t length) {
  std::string h;
  SpdyPut32(h, first_word);
  SpdyPut32(h, static_cast<uint32_t>(flags) << 24 | static_cast<uint32_t>(length));
  return h;
}

}  // namespace

uint32_t SpdyRead32(std::string_view s, size_t at) {
  auto b = [&](size_t i) { return static_cast<uint32_t>(static_cast<uint8_t>(s[at + i])); };
  return b(0) << 24 | b(1) << 16 | b(2) << 8 | b(3);
}

absl::StatusOr<std::optional<SpdyFrame>> ParseSpdyFrame(std::string_view in, size_t* consumed) {
  *consumed = 0;
  if (in.size() < 8) return std::nullopt;
  uint32_t first = SpdyRead32(in, 0), second = SpdyRead32(in, 4);
  SpdyFrame f;
  f.control = (first & 0x80000000u) != 0;
  f.flags = static_cast<uint8_t>(second >> 24);
  uint32_t length = second & 0xffffff;
  if (f.control) {
    uint16_t version = (first >> 16) & 0x7fff;
    if (version != kSpdyVersion) {
      return absl::InvalidArgumentError(
          absl::StrCat("spdy: control frame of version ", version, ", want 3"));
    }
    f.type = first & 0xffff;
  } else {
    f.stream_id = first & 0x7fffffff;
    if (f.stream_id == 0) return absl::InvalidArgumentError("spdy: data frame on stream 0");
  }
  if (in.size() < 8 + static_cast<size_t>(length)) return std::nullopt;
  f.payload.assign(in.substr(8, length));
  *consumed = 8 + length;
  return f;
}

std::string EncodeSpdyData(uint32_t stream_id, uint8_t flags, std::string_view data) {
  std::string out = Header(stream_id & 0x7fffffff, flags, data.size());
  out.append(data);
  return out;
}

std::string EncodeSpdyControl(SpdyType type, uint8_t flags, std::string_view body) {
  uint32_t first =
      0x80000000u | static_cast<uint32_t>(kSpdyVersion) << 16 | static_cast<uint16_t>(type);
  std::string out = Header(first, flags, body.size());
  out.append(body);
  return out;
}

std::string SpdySynStream(uint32_t stream_id, uint8_t flags, std::string_view compressed_headers) {
  std::string body;
  SpdyPut32(body, stream_id & 0x7fffffff);
  SpdyPut32(body, 0);  // associated-to stream: none
  body += '\0';        // priority 0 (highest) in the top 3 bits
  body += '\0';        // slot
  body.append(compressed_headers);
  return EncodeSpdyControl(SpdyType::kSynStream, flags, body);
}

std::string SpdyRstStream(uint32_t stream_id, uint32_t status) {
  std::string body;
  SpdyPut32(body, stream_id & 0x7fffffff);
  SpdyPut32(body, status);
  return EncodeSpdyControl(SpdyType::kRstStream, 0, body);
}

std::string SpdyPing(uint32_t id) {
  std::string body;
  SpdyPut32(body, id);
  return EncodeSpdyControl(SpdyType::kPing, 0, body);
}

std::string SpdyWindowUpdate(uint32_t stream_id, uint32_t delta) {
  std::string body;
  SpdyPut32(body, stream_id & 0x7fffffff);
  SpdyPut32(body, delta & 0x7fffffff);
  return EncodeSpdyControl(SpdyType::kWindowUpdate, 0, body);
}

std::string SpdyGoAway(uint32_t last_good_stream, uint32_t status) {
  std::string body;
  SpdyPut32(body, last_good_stream & 0x7fffffff);
  SpdyPut32(body, status);
  return EncodeSpdyControl(SpdyType::kGoAway, 0, body);
}

}  // namespace cricket::cri::client
