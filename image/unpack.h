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
// Every entry name is taken as relative to the layer root, as containerd and
// CRI-O take it: "/bin/sh", "./bin/sh" and "bin/sh" are one path, and the
// root entry ("/", "./") sets the metadata of `dir` itself. Hard-link targets
// and whiteouts follow the same rule. Refused (InvalidArgument naming the
// entry), because they would write outside the layer: names and hard-link
// targets whose ".." climbs above the root, whiteouts of "." or "..";
// also devices when not allowed. A stream that ends right after the last
// file's data, without padding or end-of-archive blocks (umoci 0.4 writes
// those), ends the layer as it does for Go's tar reader. ENOSPC →
// ResourceExhausted. On error, `dir` holds a partial tree; the caller removes
// it (LayerStore does).
absl::StatusOr<std::string> UnpackTar(int fd, const std::string& dir, const UnpackOptions& opts);
// The same from any byte source (a download in progress).
absl::StatusOr<std::string> UnpackStream(PlainReader::Source source, const std::string& dir,
                                         const UnpackOptions& opts);

// Lexical clean of an entry name, relative to the layer root: "./a//b/",
// "/a/b" and "a/b" → "a/b"; "" for the root ("/", "./", "."). InvalidArgument
// when ".." climbs above the root ("../x", "/../x", "a/../../x").
absl::StatusOr<std::string> CleanEntryName(std::string_view name);

}  // namespace cricket::image
