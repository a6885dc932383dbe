// SPDY/3 frame encode/decode and zlib header blocks (draft 3, sections 2.2-2.6).
#include "cri/streaming/spdy_frame.h"

#include <zlib.h>

#include "absl/strings/str_cat.h"

namespace cricket::cri::streaming {
namespace {

absl::Status Bad(const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat("bad SPDY frame: ", what));
}

// Header blocks are tiny; anything past this is an attack or a bug.
constexpr size_t kMaxHeaderBlock = 256 * 1024;

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

std::string SpdyHeaderValue(const SpdyHeaders& h, std::string_view name) {
  for (const auto& [k, v] : h) {
    if (k.size() != name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < k.size() && same; i++) {
      same = (k[i] | 0x20) == (name[i] | 0x20);
    }
    if (same) return v.substr(0, v.find('\0'));
  }
  return "";
}

struct SpdyHeaderCompressor::Z {
  z_stream s{};
  bool ok = false;
};

SpdyHeaderCompressor::SpdyHeaderCompressor() : z_(std::make_unique<Z>()) {
  const std::string& d = SpdyDictionary();
  z_->ok = deflateInit(&z_->s, Z_DEFAULT_COMPRESSION) == Z_OK &&
           deflateSetDictionary(&z_->s, reinterpret_cast<const Bytef*>(d.data()),
                                static_cast<uInt>(d.size())) == Z_OK;
}

SpdyHeaderCompressor::~SpdyHeaderCompressor() { deflateEnd(&z_->s); }

absl::StatusOr<std::string> SpdyHeaderCompressor::Compress(const SpdyHeaders& headers) {
  if (!z_->ok) return absl::InternalError("SPDY header compressor failed to initialise");
  std::string plain;
  AppendBe32(plain, static_cast<uint32_t>(headers.size()));
  for (const auto& [k, v] : headers) {
    AppendBe32(plain, static_cast<uint32_t>(k.size()));
    plain += k;
    AppendBe32(plain, static_cast<uint32_t>(v.size()));
    plain += v;
  }
  std::string out;
  z_->s.next_in = reinterpret_cast<Bytef*>(plain.data());
  z_->s.avail_in = static_cast<uInt>(plain.size());
  char chunk[1024];
  do {
    z_->s.next_out = reinterpret_cast<Bytef*>(chunk);
    z_->s.avail_out = sizeof(chunk);
    int rc = deflate(&z_->s, Z_SYNC_FLUSH);
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      return absl::InternalError(absl::StrCat("SPDY header compression: zlib error ", rc));
    }
    out.append(chunk, sizeof(chunk) - z_->s.avail_out);
  } while (z_->s.avail_out == 0);
  return out;
}

struct SpdyHeaderDecompressor::Z {
  z_stream s{};
  bool ok = false;
};

SpdyHeaderDecompressor::SpdyHeaderDecompressor() : z_(std::make_unique<Z>()) {
  z_->ok = inflateInit(&z_->s) == Z_OK;
}

SpdyHeaderDecompressor::~SpdyHeaderDecompressor() { inflateEnd(&z_->s); }

namespace {

absl::StatusOr<SpdyHeaders> ParseNameValueBlock(std::string_view b) {
  if (b.size() < 4) return Bad("header block shorter than its count");
  uint32_t n = ReadBe32(b, 0);
  size_t at = 4;
  SpdyHeaders out;
  auto field = [&](std::string& dst) -> bool {
    if (b.size() - at < 4) return false;
    uint32_t len = ReadBe32(b, at);
    at += 4;
    if (b.size() - at < len) return false;
    dst = std::string(b.substr(at, len));
    at += len;
    return true;
  };
  for (uint32_t i = 0; i < n; i++) {
    std::string k, v;
    if (!field(k) || !field(v)) return Bad("header block truncated");
    if (k.empty()) return Bad("empty header name");
    out.emplace_back(std::move(k), std::move(v));
  }
  return out;
}

}  // namespace

absl::StatusOr<SpdyHeaders> SpdyHeaderDecompressor::Decompress(std::string_view block) {
  if (!z_->ok) return absl::InternalError("SPDY header decompressor failed to initialise");
  std::string plain;
  z_->s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(block.data()));
  z_->s.avail_in = static_cast<uInt>(block.size());
  char chunk[4096];
  for (;;) {
    z_->s.next_out = reinterpret_cast<Bytef*>(chunk);
    z_->s.avail_out = sizeof(chunk);
    int rc = inflate(&z_->s, Z_SYNC_FLUSH);
    if (rc == Z_NEED_DICT) {
      const std::string& d = SpdyDictionary();
      rc = inflateSetDictionary(&z_->s, reinterpret_cast<const Bytef*>(d.data()),
                                static_cast<uInt>(d.size()));
      if (rc != Z_OK) return Bad("header block asks for an unknown dictionary");
      continue;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      z_->ok = false;  // the shared zlib stream is broken for good
      return Bad(absl::StrCat("header block does not inflate (zlib ", rc, ")"));
    }
    plain.append(chunk, sizeof(chunk) - z_->s.avail_out);
    if (plain.size() > kMaxHeaderBlock) return Bad("header block too large");
    if (z_->s.avail_out != 0) break;  // input used up
  }
  return ParseNameValueBlock(plain);
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
  AppendBe32(out, s.stream_id);
  AppendBe32(out, s.associated_id);
  out.push_back(static_cast<char>(s.priority << 5));
  out.push_back('\0');
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

}  // namespace cricket::cri::streaming
