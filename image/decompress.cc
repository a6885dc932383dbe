// Streaming gzip/zstd/plain readers over an fd, hashing what they return.
#include "image/decompress.h"

#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"
#include "oci/sys/status.h"

namespace cricket::image {
namespace {

constexpr size_t kInBuf = 1 << 20;

// Compressed input from the source, starting with the bytes sniffed already.
// The buffer is allocated once: resizing a string per read would zero a
// megabyte for every few kilobytes a download hands over.
class Input {
 public:
  Input(PlainReader::Source src, std::string head)
      : src_(std::move(src)), buf_(new char[kInBuf]), len_(head.size()) {
    std::memcpy(buf_.get(), head.data(), head.size());
  }
  // Makes input available; false at EOF.
  absl::StatusOr<bool> Fill() {
    if (pos_ < len_) return true;
    pos_ = 0;
    ASSIGN_OR_RETURN(len_, src_(buf_.get(), kInBuf));
    return len_ > 0;
  }
  const char* data() const { return buf_.get() + pos_; }
  size_t size() const { return len_ - pos_; }
  void Consume(size_t n) { pos_ += n; }

 private:
  PlainReader::Source src_;
  std::unique_ptr<char[]> buf_;
  size_t len_, pos_ = 0;
};

class Plain : public PlainReader {
 public:
  Plain(Source fd, std::string head) : PlainReader(Kind::kNone), in_(std::move(fd), std::move(head)) {}
  absl::StatusOr<size_t> Read(char* buf, size_t len) override {
    ASSIGN_OR_RETURN(bool more, in_.Fill());
    if (!more) return 0;
    size_t n = std::min(len, in_.size());
    std::memcpy(buf, in_.data(), n);
    in_.Consume(n);
    sha_.Update(buf, n);
    return n;
  }

 private:
  Input in_;
};

class Gzip : public PlainReader {
 public:
  Gzip(Source fd, std::string head, bool check_crc)
      : PlainReader(Kind::kGzip), in_(std::move(fd), std::move(head)), check_crc_(check_crc) {
    // 15 + 16: gzip framing only. Allocation failure is fatal (STYLE).
    if (inflateInit2(&zs_, 15 + 16) != Z_OK) abort();
    SkipCrc();
  }
  ~Gzip() override { inflateEnd(&zs_); }
  absl::StatusOr<size_t> Read(char* buf, size_t len) override {
    for (;;) {
      ASSIGN_OR_RETURN(bool more, in_.Fill());
      if (!more && !member_started_) return 0;
      // With no input left, inflate may still hold output for a full buffer.
      zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(more ? in_.data() : nullptr));
      zs_.avail_in = more ? static_cast<uInt>(in_.size()) : 0;
      zs_.next_out = reinterpret_cast<Bytef*>(buf);
      zs_.avail_out = static_cast<uInt>(len);
      int r = inflate(&zs_, Z_NO_FLUSH);
      if (more) in_.Consume(in_.size() - zs_.avail_in);
      size_t out = len - zs_.avail_out;
      if (r == Z_STREAM_END) {
        inflateReset(&zs_);  // another gzip member may follow (pigz, concatenation)
        SkipCrc();
        member_started_ = false;
      } else if (r == Z_OK || r == Z_BUF_ERROR) {
        member_started_ = true;
      } else {
        return absl::DataLossError(absl::StrCat("corrupt gzip layer: ", zs_.msg ? zs_.msg : "error"));
      }
      sha_.Update(buf, out);
      if (out > 0) return out;
      if (!more) return absl::DataLossError("gzip layer is truncated");
    }
  }

 private:
  // For a layer the trailer (CRC-32 and length) guards nothing the digests do
  // not: the compressed bytes match the layer digest and the plain stream's
  // hash is compared with the diff_id, both before the layer is committed.
  // Skipping the CRC saves a pass over every plain byte.
  void SkipCrc() {
    if (!check_crc_) inflateValidate(&zs_, 0);
  }

  Input in_;
  bool check_crc_;
  z_stream zs_{};
  bool member_started_ = false;
};

class Zstd : public PlainReader {
 public:
  Zstd(Source fd, std::string head) : PlainReader(Kind::kZstd), in_(std::move(fd), std::move(head)) {
    dctx_ = ZSTD_createDCtx();
    if (dctx_ == nullptr) abort();
  }
  ~Zstd() override { ZSTD_freeDCtx(dctx_); }
  absl::StatusOr<size_t> Read(char* buf, size_t len) override {
    for (;;) {
      ASSIGN_OR_RETURN(bool more, in_.Fill());
      if (!more && !frame_open_) return 0;
      ZSTD_inBuffer in = {more ? in_.data() : nullptr, more ? in_.size() : 0, 0};
      ZSTD_outBuffer out = {buf, len, 0};
      size_t r = ZSTD_decompressStream(dctx_, &out, &in);
      in_.Consume(in.pos);
      if (ZSTD_isError(r)) {
        return absl::DataLossError(absl::StrCat("corrupt zstd layer: ", ZSTD_getErrorName(r)));
      }
      frame_open_ = r != 0;
      sha_.Update(buf, out.pos);
      if (out.pos > 0) return out.pos;
      if (!more) return absl::DataLossError("zstd layer is truncated");
    }
  }

 private:
  Input in_;
  ZSTD_DCtx* dctx_;
  bool frame_open_ = false;
};

}  // namespace

PlainReader::Source FdSource(int fd) {
  return [fd](char* buf, size_t len) -> absl::StatusOr<size_t> {
    for (;;) {
      ssize_t n = ::read(fd, buf, len);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return sys::ErrnoStatus(errno, "read layer blob");
      return static_cast<size_t>(n);
    }
  };
}

absl::StatusOr<std::unique_ptr<PlainReader>> PlainReader::Open(int fd, bool check_crc) {
  return Open(FdSource(fd), check_crc);
}

absl::StatusOr<std::unique_ptr<PlainReader>> PlainReader::Open(Source src, bool check_crc) {
  std::string head(4, '\0');
  size_t got = 0;
  while (got < head.size()) {
    ASSIGN_OR_RETURN(size_t n, src(head.data() + got, head.size() - got));
    if (n == 0) break;
    got += n;
  }
  head.resize(got);
  auto starts = [&](std::string_view magic) { return head.compare(0, magic.size(), magic) == 0; };
  if (got >= 2 && starts("\x1f\x8b")) {
    return std::unique_ptr<PlainReader>(new Gzip(std::move(src), head, check_crc));
  }
  if (got >= 4 && starts("\x28\xb5\x2f\xfd")) {
    return std::unique_ptr<PlainReader>(new Zstd(std::move(src), head));
  }
  return std::unique_ptr<PlainReader>(new Plain(std::move(src), head));
}

absl::StatusOr<std::string> PlainReader::DrainAndDigest() {
  std::vector<char> buf(1 << 16);
  for (;;) {
    ASSIGN_OR_RETURN(size_t n, Read(buf.data(), buf.size()));
    if (n == 0) break;
  }
  return sha_.Finish();
}

}  // namespace cricket::image
