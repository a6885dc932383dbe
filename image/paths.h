// Where the image layer keeps things under <root_dir>/images.
#pragma once

#include <string>

namespace cricket::image {

struct Paths {
  explicit Paths(const std::string& root_dir) : root(root_dir + "/images") {}
  std::string root;
  std::string blobs() const { return root + "/blobs/sha256"; }
  std::string ingest() const { return root + "/ingest"; }        // partial downloads
  std::string layers() const { return root + "/layers"; }        // <chain hex>/fs
  std::string records() const { return root + "/records"; }      // <image id hex>.json
  std::string containers() const { return root + "/containers"; }  // <id>/{upper,work,merged}
};

// "sha256:ab.." → "ab.."; other strings are returned unchanged.
inline std::string DigestHex(const std::string& digest) {
  return digest.rfind("sha256:", 0) == 0 ? digest.substr(7) : digest;
}

}  // namespace cricket::image
