// What the pull e2e tests share: cricketd's registry config and the kubelet's
// AuthConfig for each registry variant, a large test image, and a checker
// that compares the tree a running container sees (walked with busybox
// find/stat/sha256sum through ExecSync) with what the source layers describe.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cri/api/api.h"
#include "tests/fixtures/image_builder.h"
#include "tests/fixtures/registry_fixture.h"

namespace cricket::testing {

// The registries: section cricketd needs for `registry`: its CA for the TLS
// variant (so the certificate is verified, not waved through as loopback
// would be), insecure (plain http) for the others.
std::string RegistryConfigYaml(const RegistryFixture& registry);

// The AuthConfig a kubelet sends from a dockerconfigjson secret: username and
// password for `server_address`. Empty for the plain registry.
::runtime::v1::AuthConfig KubeletAuth(const RegistryFixture& registry,
                                      const std::string& password = RegistryFixture::kPassword);

// Builds `spec` into a temp OCI layout and pushes it as <repo>:<tag>; returns
// the reference to pull and sets *manifest_digest.
absl::StatusOr<std::string> PushSpec(const RegistryFixture& registry, const TestImageSpec& spec,
                                     const std::string& repo, const std::string& tag,
                                     std::string* manifest_digest);

// Busybox plus an uncompressed layer holding big/blob (`bytes` of
// incompressible data), so that a pull takes long enough to be interrupted.
absl::StatusOr<TestImageSpec> BigImage(size_t bytes);

// Puts cricketd's image store (under `root_dir`, its --root) in the state a
// kill -9 leaves between each blob's last write and its rename: every blob
// back in ingest/ whole, no unpacked layers, no image records. The daemon
// must be idle and is killed right after.
absl::Status RewindToCompletePartials(const std::string& root_dir);

// One path as busybox stat sees it inside the container.
struct SeenEntry {
  mode_t mode = 0;  // file type and permission bits (st_mode)
  uid_t uid = 0;
  gid_t gid = 0;
  int64_t size = 0;
  uint64_t inode = 0;
  uint64_t nlink = 0;
  std::string link;    // symlink target
  std::string sha256;  // regular files: "sha256:<hex>"
};

struct ContainerTree {
  std::map<std::string, SeenEntry> entries;  // relative paths, "/" left out
  std::vector<std::string> mounts;           // mount points inside the container
};

// Runs a command in the container and returns its stdout (non-zero exit is an error).
using ExecFn = std::function<absl::StatusOr<std::string>(const std::vector<std::string>&)>;

// Walks the container's root filesystem (not the runtime's mounts on it).
absl::StatusOr<ContainerTree> ReadContainerTree(const ExecFn& exec);

struct TreeComparison {
  int compared = 0;                   // expected paths checked attribute by attribute
  std::vector<std::string> masked;    // expected paths hidden by a runtime mount
  std::vector<std::string> problems;  // one line per difference; empty when equal
};

// Every path the layers describe (whiteouts applied) against what the
// container sees: type, mode incl. setuid, owner, size, content hash, symlink
// target, hard-link identity and count; and nothing the layers did not put
// there, except under the runtime's mounts (/proc, /dev, /etc/hosts, ...).
TreeComparison CompareTree(const TestImageSpec& spec, const ContainerTree& seen);

}  // namespace cricket::testing
