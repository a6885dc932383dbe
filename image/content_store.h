// Blobs by sha256 under blobs/sha256/<hex>: hashed while written to
// ingest/<hex>, fsynced, verified (digest and size), renamed into place and
// the directory fsynced. Interrupted ingests resume from their offset, and
// concurrent ingests of one digest share one download.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "image/single_flight.h"

namespace cricket::image {

// Receives blob bytes in order; an error aborts the transfer.
using ByteSink = std::function<absl::Status(const char* data, size_t len)>;
// Produces the blob's bytes from `offset` on into the sink.
using BlobFetch = std::function<absl::Status(int64_t offset, const ByteSink& sink)>;

class ContentStore {
 public:
  // blobs_dir = .../blobs/sha256, ingest_dir = .../ingest (created by Init).
  ContentStore(std::string blobs_dir, std::string ingest_dir)
      : blobs_(std::move(blobs_dir)), ingest_(std::move(ingest_dir)) {}
  absl::Status Init();

  std::string BlobPath(const std::string& digest) const;
  // True when the blob is present with this size (size < 0: any size).
  bool Has(const std::string& digest, int64_t size = -1) const;

  // Makes the blob present: a no-op when it is, otherwise fetches it (resuming
  // a partial ingest), verifies digest and size (DataLoss otherwise) and
  // commits it. A concurrent Ingest of the same digest waits for this one.
  absl::Status Ingest(const std::string& digest, int64_t size, const BlobFetch& fetch);
  // Copies a local file in (import).
  absl::Status IngestFile(const std::string& digest, int64_t size, const std::string& path);

  // Whole blob, InvalidArgument when larger than max_bytes.
  absl::StatusOr<std::string> Read(const std::string& digest, int64_t max_bytes) const;
  absl::Status Remove(const std::string& digest);
  // Every stored digest ("sha256:<hex>").
  absl::StatusOr<std::vector<std::string>> List() const;
  // Drops partial ingests (after a GC, when no pull holds them).
  absl::Status DropIngests(const std::function<bool(const std::string& digest)>& keep);

 private:
  absl::Status IngestOnce(const std::string& digest, int64_t size, const BlobFetch& fetch,
                          bool resume);
  std::string blobs_, ingest_;
  SingleFlight flights_;
};

}  // namespace cricket::image
