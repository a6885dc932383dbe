// Unpacked layers by chain ID: layers/<chain hex>/fs. A layer appears only
// complete (unpacked into layers/.tmp-*, synced, renamed), each chain ID is
// unpacked once even when several pulls need it at the same time, and a
// failed unpack leaves nothing behind.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "image/single_flight.h"
#include "image/unpack.h"

namespace cricket::image {

class LayerStore {
 public:
  explicit LayerStore(std::string layers_dir) : dir_(std::move(layers_dir)) {}
  absl::Status Init();

  const std::string& dir() const { return dir_; }
  std::string FsPath(const std::string& chain_id) const;  // .../<hex>/fs
  bool Has(const std::string& chain_id) const;

  // Unpacks the (compressed or plain) tar at blob_path as this chain ID,
  // unless it is there already, and checks that the uncompressed stream
  // hashes to diff_id (DataLoss otherwise; nothing is kept). Errors name the layer.
  absl::Status Ensure(const std::string& chain_id, const std::string& diff_id,
                      const std::string& blob_path, const UnpackOptions& opts);
  // The same from bytes still arriving (a download), outside the per-layer
  // de-duplication: when another unpack of this chain ID wins the final
  // rename, this one is dropped. Used only with a fallback to Ensure.
  absl::Status UnpackStreamed(const std::string& chain_id, const std::string& diff_id,
                              PlainReader::Source source, const UnpackOptions& opts);
  absl::Status Remove(const std::string& chain_id);
  // Chain IDs present ("sha256:<hex>").
  absl::StatusOr<std::vector<std::string>> List() const;
  // Removes .tmp-* dirs left by a crash mid-unpack.
  absl::Status DropTemps();

 private:
  absl::Status Unpack(const std::string& chain_id, const std::string& diff_id,
                      PlainReader::Source source, const UnpackOptions& opts);
  std::string dir_;
  SingleFlight flights_;
};

}  // namespace cricket::image
