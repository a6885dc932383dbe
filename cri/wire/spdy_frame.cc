// SPDY/3 frame encode/decode (draft 3, sections 2.2-2.6).
#include "cri/wire/spdy_frame.h"

#include "absl/strings/str_cat.h"

namespace cricket::cri::wire {
namespace {

absl::Status Bad(const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat("bad SPDY frame: ", what));
}

std::string TwoWordsFrame(uint16_t type, uint32_t a, uint32_t b) {
  return EncodeSpdyControl(type, 0, TwoWordsPayload(a, b));
}

}  // namespace

uint32_t ReadBe32(std::string_view b, size_t at) {
  return (uint32_t(uint8_t(b[at])) << 24) | (uint32_t(uint8_t(b[at + 1])) << 16) |
         (uint32_t(uint8_t(b[at + 2])) << 8) | uint32_t(uint8_t(b[at + 3]));
}

void AppendBe32(std::string& out, uint32_t v) {
  out.push_back(static_cast<char>(v >> 24));
  out.push_back(static_cast<char>(v >> 16));
  out.push_back(static_cast<char>(v >> 8));
  out.push_back(static_cast<char>(v));
}

absl::StatusOr<std::optional<SpdyFrame>> ParseSpdyFrame(std::string_view buf, size_t* consumed) {
  *consumed = 0;
  if (buf.size() < 8) return std::optional<SpdyFrame>();
  uint32_t w0 = ReadBe32(buf, 0);
  uint32_t w1 = ReadBe32(buf, 4);
  uint32_t len = w1 & 0xffffff;
  if (len > kSpdyMaxFrameLength) return Bad(absl::StrCat("frame of ", len, " bytes is too long"));
  SpdyFrame f;
  f.control = (w0 & 0x80000000u) != 0;
  f.flags = static_cast<uint8_t>(w1 >> 24);
  if (f.control) {
    uint16_t version = (w0 >> 16) & 0x7fff;
    if (version != kSpdyVersion) return Bad(absl::StrCat("unsupported version ", version));
    f.type = static_cast<uint16_t>(w0 & 0xffff);
  } else {
    f.stream_id = w0 & 0x7fffffff;
  }
  if (buf.size() < 8 + size_t{len}) return std::optional<SpdyFrame>();
  f.payload = std::string(buf.substr(8, len));
  *consumed = 8 + len;
  return std::optional<SpdyFrame>(std::move(f));
}

std::string EncodeSpdyData(uint32_t stream_id, uint8_t flags, std::string_view data) {
  std::string out;
  out.reserve(8 + data.size());
  AppendBe32(out, stream_id & 0x7fffffff);
  AppendBe32(out, (uint32_t{flags} << 24) | static_cast<uint32_t>(data.size()));
  out.append(data);
  return out;
}

std::string EncodeSpdyControl(uint16_t type, uint8_t flags, std::string_view payload) {
  std::string out;
  out.reserve(8 + payload.size());
  AppendBe32(out, 0x80000000u | (uint32_t{kSpdyVersion} << 16) | type);
  AppendBe32(out, (uint32_t{flags} << 24) | static_cast<uint32_t>(payload.size()));
  out.append(payload);
  return out;
}

absl::StatusOr<SynStream> ParseSynStream(std::string_view p) {
  if (p.size() < 10) return Bad("SYN_STREAM shorter than 10 bytes");
  SynStream s;
  s.stream_id = ReadBe32(p, 0) & 0x7fffffff;
  s.associated_id = ReadBe32(p, 4) & 0x7fffffff;
  s.priority = static_cast<uint8_t>(uint8_t(p[8]) >> 5);
  s.header_block = std::string(p.substr(10));
  if (s.stream_id == 0) return Bad("SYN_STREAM for stream 0");
  return s;
}

std::string SynStreamPayload(const SynStream& s) {
  std::string out;
  AppendBe32(out, s.stream_id & 0x7fffffff);
  AppendBe32(out, s.associated_id & 0x7fffffff);
  out.push_back(static_cast<char>(s.priority << 5));
  out.push_back('\0');  // slot
  out += s.header_block;
  return out;
}

absl::StatusOr<std::pair<uint32_t, std::string>> ParseStreamHeaders(std::string_view p) {
  if (p.size() < 4) return Bad("SYN_REPLY/HEADERS shorter than 4 bytes");
  return std::make_pair(ReadBe32(p, 0) & 0x7fffffff, std::string(p.substr(4)));
}

std::string StreamHeadersPayload(uint32_t stream_id, std::string_view block) {
  std::string out;
  AppendBe32(out, stream_id & 0x7fffffff);
  out.append(block);
  return out;
}

absl::StatusOr<std::pair<uint32_t, uint32_t>> ParseTwoWords(std::string_view p) {
  if (p.size() != 8) return Bad(absl::StrCat("control payload of ", p.size(), " bytes, want 8"));
  return std::make_pair(ReadBe32(p, 0) & 0x7fffffff, ReadBe32(p, 4));
}

std::string TwoWordsPayload(uint32_t a, uint32_t b) {
  std::string out;
  AppendBe32(out, a);
  AppendBe32(out, b);
  return out;
}

absl::StatusOr<std::vector<std::pair<uint32_t, uint32_t>>> ParseSettings(std::string_view p) {
  if (p.size() < 4) return Bad("SETTINGS shorter than 4 bytes");
  uint32_t n = ReadBe32(p, 0);
  if (n > (p.size() - 4) / 8 || p.size() != 4 + size_t{n} * 8) return Bad("SETTINGS count");
  std::vector<std::pair<uint32_t, uint32_t>> out;
  for (uint32_t i = 0; i < n; i++) {
    out.emplace_back(ReadBe32(p, 4 + i * 8) & 0xffffff, ReadBe32(p, 8 + i * 8));
  }
  return out;
}

std::string SettingsPayload(const std::vector<std::pair<uint32_t, uint32_t>>& s) {
  std::string out;
  AppendBe32(out, static_cast<uint32_t>(s.size()));
  for (const auto& [id, v] : s) {
    AppendBe32(out, id & 0xffffff);
    AppendBe32(out, v);
  }
  return out;
}

std::string SpdySynStream(uint32_t stream_id, uint8_t flags, std::string_view compressed_headers) {
  SynStream s;
  s.stream_id = stream_id;  // associated-to stream: none; priority 0 (highest)
  s.header_block = std::string(compressed_headers);
  return EncodeSpdyControl(kSynStream, flags, SynStreamPayload(s));
}

std::string SpdySynReply(uint32_t stream_id, uint8_t flags, std::string_view compressed_headers) {
  return EncodeSpdyControl(kSynReply, flags, StreamHeadersPayload(stream_id, compressed_headers));
}

std::string SpdyRstStream(uint32_t stream_id, uint32_t status) {
  return TwoWordsFrame(kRstStream, stream_id & 0x7fffffff, status);
}

std::string SpdyPing(uint32_t id) {
  std::string body;
  AppendBe32(body, id);
  return EncodeSpdyControl(kPing, 0, body);
}

std::string SpdyWindowUpdate(uint32_t stream_id, uint32_t delta) {
  return TwoWordsFrame(kWindowUpdate, stream_id & 0x7fffffff, delta & 0x7fffffff);
}

std::string SpdyGoAway(uint32_t last_good_stream, uint32_t status) {
  return TwoWordsFrame(kGoAway, last_good_stream & 0x7fffffff, status);
}

}  // namespace cricket::cri::wire
