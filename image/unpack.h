// Layer tar → directory: our own decompressor (decompress.h: gzip, zstd or
// plain, told apart by magic bytes, hashed for the diff_id) feeds libarchive's
// tar reader, and every create is done by us through
// openat2(RESOLVE_IN_ROOT)-confined handles: no entry can touch anything
// outside the target directory. OCI whiteouts become overlayfs whiteouts.
#pragma once

#include <string>
#include <string_view>

#include <unistd.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "image/decompress.h"

namespace cricket::image {

struct UnpackOptions {
  bool allow_devices = true;      // false: a char/block device entry fails the unpack
  bool chown = ::geteuid() == 0;  // set owners from the tar (needs root)
  // The caller compares the returned diff_id with a trusted one (LayerStore
  // does), so gzip's own CRC adds nothing and is skipped.
  bool diff_id_checked = false;
  // Caps on one layer (conf image.max_layer_entries / max_layer_bytes; the
  // same defaults): past them the unpack fails with ResourceExhausted.
  int64_t max_entries = 1 << 20;
  int64_t max_bytes = int64_t{32} << 30;  // uncompressed tar stream
};

// Unpacks the archive read from `fd` into the existing directory `dir` and
// returns the diff_id: "sha256:<hex>" of the uncompressed tar stream.
// Refused (InvalidArgument naming the entry): names that are absolute or climb
// out with "..", hard links whose target climbs out, whiteouts of "." or "..",
// devices when not allowed. ENOSPC → ResourceExhausted. On error, `dir` holds
// a partial tree; the caller removes it (LayerStore does).
absl::StatusOr<std::string> UnpackTar(int fd, const std::string& dir, const UnpackOptions& opts);
// The same from any byte source (a download in progress).
absl::StatusOr<std::string> UnpackStream(PlainReader::Source source, const std::string& dir,
                                         const UnpackOptions& opts);

// Lexical clean of an entry name: "./a//b/" → "a/b", "" for the root.
// InvalidArgument when absolute (unless allow_absolute, then taken as inside
// the root) or when ".." climbs above the root.
absl::StatusOr<std::string> CleanEntryName(std::string_view name, bool allow_absolute);

}  // namespace cricket::image
