// The plain-stream reader (gzip members, zstd, plain, truncation) and the
// download→unpack pipe.
#include "image/decompress.h"

#include <zlib.h>

#include <thread>

#include "gtest/gtest.h"
#include "image/byte_pipe.h"
#include "image/digest.h"
#include "tests/fixtures/layer_tar.h"

namespace cricket::image {
namespace {

std::string Gzip(const std::string& in) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, in.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

// A reader over a string, handing out at most `chunk` bytes per call.
absl::StatusOr<std::string> ReadAll(const std::string& data, std::string* digest,
                                    size_t chunk = 7, bool check_crc = true) {
  size_t pos = 0;
  auto r = PlainReader::Open(
      [&](char* buf, size_t len) -> absl::StatusOr<size_t> {
        size_t n = std::min({len, chunk, data.size() - pos});
        std::memcpy(buf, data.data() + pos, n);
        pos += n;
        return n;
      },
      check_crc);
  if (!r.ok()) return r.status();
  std::string out;
  char buf[333];
  for (;;) {
    auto n = (*r)->Read(buf, sizeof buf);
    if (!n.ok()) return n.status();
    if (*n == 0) break;
    out.append(buf, *n);
  }
  auto d = (*r)->DrainAndDigest();
  if (!d.ok()) return d.status();
  *digest = *d;
  return out;
}

TEST(DecompressTest, EveryKindGivesThePlainStreamAndItsDigest) {
  std::string plain = *testing::MakeTar({testing::File("a", std::string(200000, 'a')),
                                         testing::File("b", "bee")});
  for (auto c : {testing::TarCompression::kNone, testing::TarCompression::kGzip,
                 testing::TarCompression::kZstd}) {
    std::string digest;
    auto out = ReadAll(*testing::MakeTar({testing::File("a", std::string(200000, 'a')),
                                          testing::File("b", "bee")}, c),
                       &digest);
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_EQ(*out, plain);
    EXPECT_EQ(digest, Sha256String(plain));
  }
}

TEST(DecompressTest, GzipMembersAreConcatenated) {
  std::string plain(100000, 'x');
  std::string two = Gzip(plain.substr(0, 30000)) + Gzip(plain.substr(30000));
  std::string digest;
  auto out = ReadAll(two, &digest, 1000);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, plain);
}

TEST(DecompressTest, TruncatedAndCorruptAreDataLoss) {
  std::string plain(100000, 'y');
  std::string gz = Gzip(plain);
  std::string zst = *testing::MakeTar({testing::File("z", plain)}, testing::TarCompression::kZstd);
  std::string digest;
  EXPECT_EQ(ReadAll(gz.substr(0, gz.size() - 10), &digest).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(ReadAll(zst.substr(0, zst.size() / 2), &digest).status().code(),
            absl::StatusCode::kDataLoss);
  std::string bad = gz;
  bad[20] ^= 0x55;
  bad[21] ^= 0x55;
  EXPECT_EQ(ReadAll(bad, &digest).status().code(), absl::StatusCode::kDataLoss);
}

// Layers skip gzip's trailer check (their diff_id is checked instead);
// everyone else keeps it.
TEST(DecompressTest, CrcIsCheckedUnlessTheCallerChecksTheDigest) {
  std::string plain(50000, 'q');
  std::string gz = Gzip(plain);
  std::string bad_crc = gz;
  bad_crc[gz.size() - 8] ^= 0x01;
  std::string digest;
  EXPECT_EQ(ReadAll(bad_crc, &digest).status().code(), absl::StatusCode::kDataLoss);
  auto out = ReadAll(bad_crc, &digest, 4096, /*check_crc=*/false);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, plain);
  EXPECT_EQ(digest, Sha256String(plain));  // what LayerStore compares with the diff_id
}

TEST(BytePipeTest, CarriesEverythingInOrder) {
  std::string data;
  for (int i = 0; i < 200000; ++i) data += static_cast<char>(i * 7);
  BytePipe pipe(1000);
  std::thread producer([&] {
    for (size_t off = 0; off < data.size(); off += 777) {
      pipe.Push(data.data() + off, std::min<size_t>(777, data.size() - off));
    }
    pipe.Close(absl::OkStatus());
  });
  std::string got;
  char buf[500];
  for (;;) {
    auto n = pipe.Read(buf, sizeof buf);
    ASSERT_TRUE(n.ok());
    if (*n == 0) break;
    got.append(buf, *n);
  }
  producer.join();
  EXPECT_EQ(got, data);
}

TEST(BytePipeTest, ErrorsAbandonAndAGoneReader) {
  BytePipe failed(10);
  failed.Push("abc", 3);
  failed.Close(absl::UnavailableError("reset"));
  char buf[8];
  EXPECT_EQ(*failed.Read(buf, sizeof buf), 3u);
  EXPECT_EQ(failed.Read(buf, sizeof buf).status().code(), absl::StatusCode::kUnavailable);
  BytePipe abandoned(10);
  abandoned.Push("abc", 3);
  abandoned.Abandon();
  EXPECT_EQ(abandoned.Read(buf, sizeof buf).status().code(), absl::StatusCode::kAborted);
  BytePipe gone(4);
  gone.CloseReader();
  gone.Push("more than four bytes", 20);  // must not block
  gone.Close(absl::OkStatus());
}

}  // namespace
}  // namespace cricket::image
