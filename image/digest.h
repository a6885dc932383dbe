// Content digests: "sha256:<64 hex>" parsing, streaming sha256 (OpenSSL EVP),
// a verifier that checks digest and size of a byte stream, and chain IDs.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace cricket::image {

struct Digest {
  std::string algorithm;  // only "sha256" is accepted
  std::string hex;        // 64 lowercase hex chars
  std::string String() const { return algorithm + ":" + hex; }
  bool operator==(const Digest&) const = default;
};

// InvalidArgument naming the digest and the reason.
absl::StatusOr<Digest> ParseDigest(std::string_view s);

// Streaming sha256. Copyable state is not needed: one object per stream.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(const void* data, size_t len);
  // "sha256:<hex>"; the object must not be updated afterwards.
  std::string Finish();

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

std::string Sha256String(std::string_view data);  // "sha256:<hex>"

// Hashes bytes as they pass and checks them against an expected digest and
// size: DataLoss when the stream is longer than promised (caught early) or
// when the final digest or size differs.
class DigestVerifier {
 public:
  DigestVerifier(std::string expected_digest, int64_t expected_size)
      : expected_(std::move(expected_digest)), expected_size_(expected_size) {}
  absl::Status Update(const char* data, size_t len);
  absl::Status Verify();  // once, at the end
  int64_t written() const { return written_; }

 private:
  std::string expected_;
  int64_t expected_size_;
  int64_t written_ = 0;
  Sha256 sha_;
};

// Entries of a dir named by digest hex (blobs/sha256, layers), as
// "sha256:<hex>"; other names (temp files) are skipped.
absl::StatusOr<std::vector<std::string>> ListDigestDir(const std::string& dir);

// Chain IDs of a layer stack (bottom first): chain[0] = diff[0],
// chain[n] = sha256(chain[n-1] + " " + diff[n]).
std::vector<std::string> ChainIds(const std::vector<std::string>& diff_ids);

}  // namespace cricket::image
