// SPDY/3 name/value blocks and their dictionary-primed zlib streams.
#include "cri/wire/spdy_headers.h"

#include <zlib.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "cri/wire/spdy_frame.h"

namespace cricket::cri::wire {
namespace {

absl::Status Bad(const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat("bad SPDY header block: ", what));
}

bool TakeString(std::string_view& in, std::string* s) {
  if (in.size() < 4) return false;
  uint32_t n = ReadBe32(in, 0);
  in.remove_prefix(4);
  if (n > in.size()) return false;
  s->assign(in.substr(0, n));
  in.remove_prefix(n);
  return true;
}

const Bytef* DictBytes() { return reinterpret_cast<const Bytef*>(SpdyDictionary().data()); }
uInt DictSize() { return static_cast<uInt>(SpdyDictionary().size()); }

}  // namespace

std::string SpdyHeaderValue(const SpdyHeaders& h, std::string_view name) {
  for (const auto& [k, v] : h) {
    if (absl::EqualsIgnoreCase(k, absl::string_view(name.data(), name.size()))) return v;
  }
  return "";
}

std::string EncodeHeaderBlock(const SpdyHeaders& headers) {
  SpdyHeaders merged;
  for (const auto& [name, value] : headers) {
    std::string lower = absl::AsciiStrToLower(name);
    auto it =
        std::find_if(merged.begin(), merged.end(), [&](const auto& e) { return e.first == lower; });
    if (it == merged.end()) {
      merged.emplace_back(lower, value);
    } else {
      it->second += '\0';
      it->second += value;
    }
  }
  std::string out;
  AppendBe32(out, static_cast<uint32_t>(merged.size()));
  for (const auto& [name, value] : merged) {
    AppendBe32(out, static_cast<uint32_t>(name.size()));
    out += name;
    AppendBe32(out, static_cast<uint32_t>(value.size()));
    out += value;
  }
  return out;
}

absl::StatusOr<SpdyHeaders> DecodeHeaderBlock(std::string_view block) {
  if (block.size() < 4) return Bad("shorter than its count");
  uint32_t count = ReadBe32(block, 0);
  block.remove_prefix(4);
  if (count > block.size() / 8) {
    return Bad(absl::StrCat(count, " entries cannot fit in ", block.size(), " bytes"));
  }
  SpdyHeaders out;
  for (uint32_t i = 0; i < count; i++) {
    std::string name, value;
    if (!TakeString(block, &name) || !TakeString(block, &value)) {
      return Bad(absl::StrCat("entry ", i, " truncated"));
    }
    if (name.empty()) return Bad("empty header name");
    for (auto v : absl::StrSplit(value, '\0')) out.emplace_back(name, std::string(v));
  }
  return out;
}

struct SpdyHeaderCompressor::Z {
  z_stream s{};
  bool ok = false;
};

SpdyHeaderCompressor::SpdyHeaderCompressor() : z_(std::make_unique<Z>()) {
  z_->ok = deflateInit(&z_->s, Z_DEFAULT_COMPRESSION) == Z_OK &&
           deflateSetDictionary(&z_->s, DictBytes(), DictSize()) == Z_OK;
}

SpdyHeaderCompressor::~SpdyHeaderCompressor() { deflateEnd(&z_->s); }

absl::StatusOr<std::string> SpdyHeaderCompressor::Compress(const SpdyHeaders& headers) {
  if (!z_->ok) return absl::InternalError("SPDY header compressor failed to initialise");
  std::string plain = EncodeHeaderBlock(headers);
  std::string out;
  z_->s.next_in = reinterpret_cast<Bytef*>(plain.data());
  z_->s.avail_in = static_cast<uInt>(plain.size());
  char chunk[4096];
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

absl::StatusOr<SpdyHeaders> SpdyHeaderDecompressor::Decompress(std::string_view block) {
  if (!z_->ok) return Bad("the connection's zlib stream is broken");
  std::string plain;
  z_->s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(block.data()));
  z_->s.avail_in = static_cast<uInt>(block.size());
  char chunk[4096];
  for (;;) {
    z_->s.next_out = reinterpret_cast<Bytef*>(chunk);
    z_->s.avail_out = sizeof(chunk);
    int rc = inflate(&z_->s, Z_SYNC_FLUSH);
    if (rc == Z_NEED_DICT) {
      // The peer primed its deflate with the SPDY dictionary (zlib header DICTID).
      if (inflateSetDictionary(&z_->s, DictBytes(), DictSize()) != Z_OK) {
        z_->ok = false;
        return Bad("compressed with another dictionary");
      }
      continue;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR && rc != Z_STREAM_END) {
      z_->ok = false;  // the shared zlib stream is broken for good
      return Bad(absl::StrCat("does not inflate: ", z_->s.msg ? z_->s.msg : "zlib error"));
    }
    plain.append(chunk, sizeof(chunk) - z_->s.avail_out);
    if (plain.size() > kSpdyMaxHeaderBlock) return Bad("too large");
    if (rc == Z_STREAM_END || z_->s.avail_out != 0) break;  // input used up
  }
  return DecodeHeaderBlock(plain);
}

}  // namespace cricket::cri::wire
