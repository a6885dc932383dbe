// SPDY/3 name/value blocks and their dictionary-primed zlib streams.
#include "cri/client/spdy_header_codec.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "cri/client/spdy_dictionary.h"
#include "cri/client/spdy_frame.h"

namespace cricket::cri::client {
namespace {

constexpr size_t kMaxBlock = 1 << 20;  // a header block larger than this is hostile

bool Get32(std::string_view& in, uint32_t* v) {
  if (in.size() < 4) return false;
  *v = SpdyRead32(in, 0);
  in.remove_prefix(4);
  return true;
}

bool GetString(std::string_view& in, std::string* s) {
  uint32_t n = 0;
  if (!Get32(in, &n) || n > in.size()) return false;
  s->assign(in.substr(0, n));
  in.remove_prefix(n);
  return true;
}

const Bytef* DictBytes() { return reinterpret_cast<const Bytef*>(SpdyDictionary().data()); }

}  // namespace

std::string EncodeHeaderBlock(const SpdyHeaders& headers) {
  // Repeated names are joined with NUL into one entry, as SPDY/3 requires.
  std::vector<std::pair<std::string, std::string>> merged;
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
  SpdyPut32(out, merged.size());
  for (const auto& [name, value] : merged) {
    SpdyPut32(out, name.size());
    out += name;
    SpdyPut32(out, value.size());
    out += value;
  }
  return out;
}

absl::StatusOr<SpdyHeaders> DecodeHeaderBlock(std::string_view block) {
  uint32_t count = 0;
  if (!Get32(block, &count))
    return absl::InvalidArgumentError("spdy header block: truncated count");
  if (count > block.size() / 8) {
    return absl::InvalidArgumentError(absl::StrCat(
        "spdy header block: ", count, " entries cannot fit in ", block.size(), " bytes"));
  }
  SpdyHeaders out;
  for (uint32_t i = 0; i < count; i++) {
    std::string name, value;
    if (!GetString(block, &name) || !GetString(block, &value)) {
      return absl::InvalidArgumentError(absl::StrCat("spdy header block: entry ", i, " truncated"));
    }
    if (name.empty()) return absl::InvalidArgumentError("spdy header block: empty header name");
    for (auto v : absl::StrSplit(value, '\0')) out.emplace_back(name, std::string(v));
  }
  return out;
}

absl::StatusOr<std::unique_ptr<SpdyHeaderCompressor>> SpdyHeaderCompressor::Make() {
  std::unique_ptr<SpdyHeaderCompressor> c(new SpdyHeaderCompressor());
  if (deflateInit(&c->z_, Z_DEFAULT_COMPRESSION) != Z_OK) {
    return absl::ResourceExhaustedError("spdy: deflateInit failed");
  }
  if (deflateSetDictionary(&c->z_, DictBytes(), SpdyDictionary().size()) != Z_OK) {
    return absl::InternalError("spdy: deflateSetDictionary failed");
  }
  return c;
}

SpdyHeaderCompressor::~SpdyHeaderCompressor() { deflateEnd(&z_); }

absl::StatusOr<std::string> SpdyHeaderCompressor::Compress(const SpdyHeaders& headers) {
  std::string in = EncodeHeaderBlock(headers);
  std::string out;
  z_.next_in = reinterpret_cast<Bytef*>(in.data());
  z_.avail_in = in.size();
  char buf[4096];
  do {
    z_.next_out = reinterpret_cast<Bytef*>(buf);
    z_.avail_out = sizeof(buf);
    int rc = deflate(&z_, Z_SYNC_FLUSH);
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      return absl::InternalError(absl::StrCat("spdy: deflate failed: ", rc));
    }
    out.append(buf, sizeof(buf) - z_.avail_out);
  } while (z_.avail_out == 0);
  return out;
}

absl::StatusOr<std::unique_ptr<SpdyHeaderDecompressor>> SpdyHeaderDecompressor::Make() {
  std::unique_ptr<SpdyHeaderDecompressor> d(new SpdyHeaderDecompressor());
  if (inflateInit(&d->z_) != Z_OK) return absl::ResourceExhaustedError("spdy: inflateInit failed");
  return d;
}

SpdyHeaderDecompressor::~SpdyHeaderDecompressor() { inflateEnd(&z_); }

absl::StatusOr<SpdyHeaders> SpdyHeaderDecompressor::Decompress(std::string_view compressed) {
  std::string out;
  z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  z_.avail_in = compressed.size();
  char buf[4096];
  do {
    z_.next_out = reinterpret_cast<Bytef*>(buf);
    z_.avail_out = sizeof(buf);
    int rc = inflate(&z_, Z_SYNC_FLUSH);
    if (rc == Z_NEED_DICT) {
      // The peer primed its deflate with the SPDY dictionary (zlib header DICTID).
      if (inflateSetDictionary(&z_, DictBytes(), SpdyDictionary().size()) != Z_OK) {
        return absl::InvalidArgumentError("spdy header block: compressed with another dictionary");
      }
      rc = Z_OK;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR && rc != Z_STREAM_END) {
      return absl::InvalidArgumentError(
          absl::StrCat("spdy header block: bad zlib data: ", z_.msg ? z_.msg : "error"));
    }
    out.append(buf, sizeof(buf) - z_.avail_out);
    if (out.size() > kMaxBlock) return absl::InvalidArgumentError("spdy header block: too large");
    if (rc == Z_BUF_ERROR && z_.avail_out != 0) break;  // no progress possible
    if (rc == Z_STREAM_END) break;
  } while (z_.avail_in > 0 || z_.avail_out == 0);
  return DecodeHeaderBlock(out);
}

}  // namespace cricket::cri::client
