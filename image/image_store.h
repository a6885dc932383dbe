// Image records: id (config digest) → tags, repo digests, manifest, layers.
// One JSON file per image in records/, written atomically and only after all
// of the image's layers are unpacked, so a crash never leaves a half image.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace cricket::image {

struct ImageRecord {
  std::string id;                         // "sha256:<hex>" of the config blob
  std::vector<std::string> repo_tags;     // "docker.io/library/busybox:latest"
  std::vector<std::string> repo_digests;  // "docker.io/library/busybox@sha256:..."
  std::string manifest_digest;
  std::string manifest_media_type;
  int64_t config_size = 0;
  std::vector<std::string> layer_digests;  // compressed blobs, bottom first
  std::vector<int64_t> layer_sizes;
  std::vector<std::string> chain_ids;  // bottom first
  int64_t size = 0;                    // manifest + config + layer blobs, as containerd counts
  bool pinned = false;
  int64_t pulled_unix = 0;
  // When the record was last written (ns): a tag found on two images after a
  // crash mid-move stays with the newer write (see ImageStore::Put).
  int64_t written_ns = 0;
};

absl::StatusOr<ImageRecord> RecordFromJson(const std::string& json);
std::string RecordToJson(const ImageRecord& r);

class ImageStore {
 public:
  explicit ImageStore(std::string records_dir) : dir_(std::move(records_dir)) {}
  // Creates the dir and loads every record (unreadable ones are logged and skipped).
  absl::Status Load();

  // Adds or replaces the record; its tags are taken away from other images
  // (a tag names one image). Persisted before it is visible. The new holder
  // of a moved tag is written first and the old ones after: a crash in
  // between leaves the tag on both, which Load settles for the newer write,
  // so the tag is never lost.
  absl::Status Put(const ImageRecord& r);
  absl::Status Delete(const std::string& id);
  std::optional<ImageRecord> Get(const std::string& id) const;
  std::vector<ImageRecord> List() const;
  // By id ("sha256:<hex>", bare hex, or an unambiguous hex prefix of 12+),
  // by a reference with a digest (repo digest) or with a tag (repo tag).
  absl::StatusOr<ImageRecord> Resolve(const std::string& ref_or_id) const;

 private:
  absl::Status Write(ImageRecord& r);
  // A tag on several records (a crash mid-move) stays on the newest write.
  absl::Status SettleDuplicateTags();
  std::string dir_;
  mutable std::mutex mu_;
  std::map<std::string, ImageRecord> records_;  // by id
};

}  // namespace cricket::image
