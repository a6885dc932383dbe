// Image manifests (Docker schema2, OCI), manifest lists / OCI indexes with
// platform selection, and the image config (the runtime's view of an image).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace cricket::image {

inline constexpr char kMediaDockerManifest[] =
    "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr char kMediaDockerList[] =
    "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr char kMediaOciManifest[] = "application/vnd.oci.image.manifest.v1+json";
inline constexpr char kMediaOciIndex[] = "application/vnd.oci.image.index.v1+json";
inline constexpr char kMediaDockerConfig[] = "application/vnd.docker.container.image.v1+json";
inline constexpr char kMediaOciConfig[] = "application/vnd.oci.image.config.v1+json";

struct Platform {
  std::string os;            // "linux"
  std::string architecture;  // GOARCH spelling: amd64, arm64, arm, 386, ppc64le, s390x
  std::string variant;       // "v7", "v8" or ""
  bool operator==(const Platform&) const = default;
};

// This node's platform from uname(2), in Go's spelling (x86_64 → amd64).
Platform HostPlatform();
// uname machine → GOARCH + variant ("aarch64" → arm64/v8, "armv7l" → arm/v7).
Platform PlatformFromMachine(const std::string& machine);

struct Descriptor {
  std::string media_type;
  std::string digest;
  int64_t size = 0;
  Platform platform;  // index entries only
  std::map<std::string, std::string> annotations;
};

enum class ManifestKind { kImage, kIndex };

// Decides from the media type (falling back to the body's mediaType, then its
// shape) whether this is an image manifest or an index. Docker schema1 and
// unknown types are InvalidArgument with a clear message.
absl::StatusOr<ManifestKind> ClassifyManifest(const std::string& media_type, const std::string& body);

struct ImageManifest {
  std::string media_type;
  Descriptor config;
  std::vector<Descriptor> layers;  // bottom first
};
absl::StatusOr<ImageManifest> ParseImageManifest(const std::string& body);

struct Index {
  std::string media_type;
  std::vector<Descriptor> manifests;
};
absl::StatusOr<Index> ParseIndex(const std::string& body);

// The best entry for `want`: same os and architecture, then the exact variant,
// else (arm64) an entry without a variant. NotFound lists what is offered.
absl::StatusOr<Descriptor> SelectPlatform(const Index& index, const Platform& want);

struct HistoryEntry {
  std::string created, created_by, comment;
  bool empty_layer = false;
};

// The parts of the image config JSON a runtime uses.
struct ImageConfig {
  Platform platform;
  std::string created;
  std::string user, working_dir, stop_signal;
  std::vector<std::string> entrypoint, cmd, env;
  std::vector<std::string> exposed_ports, volumes;  // keys of the JSON objects
  std::map<std::string, std::string> labels;
  std::vector<std::string> diff_ids;  // rootfs.diff_ids, bottom first
  std::vector<HistoryEntry> history;
};
absl::StatusOr<ImageConfig> ParseImageConfig(const std::string& body);

}  // namespace cricket::image
