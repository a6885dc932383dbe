// The image layer's front door, used by pod/ (rootfs for containers) and
// cri/ (the CRI ImageService): pull, list, status, remove, fs usage, import,
// and container rootfs snapshots. Thread-safe; one instance per daemon.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "conf/config.h"
#include "image/content_store.h"
#include "image/gc.h"
#include "image/image_store.h"
#include "image/layer_store.h"
#include "image/manifest.h"
#include "image/paths.h"
#include "image/reference.h"
#include "image/registry/client.h"
#include "image/signature/load.h"
#include "image/snapshot.h"
#include "image/unpack.h"

namespace cricket::image {

// Where one layer of a pull is (`cricketctl pull` draws it):
//   waiting ─► downloading ─► unpacking ─► done
//      └────► unpacking (blob already stored) ─► done
//   already exists (unpacked before this pull; nothing to fetch)
enum class LayerState { kWaiting, kDownloading, kUnpacking, kDone, kAlreadyExists };

struct PullProgress {
  std::string digest;  // the layer's blob
  int64_t done = 0;    // bytes fetched so far (from this pull's registry)
  int64_t total = 0;   // its size
  LayerState state = LayerState::kDownloading;
};
// Called from the pull's threads, one call at a time: first once per layer
// (waiting or already exists, in the manifest's order), then on every state
// change and as bytes arrive. Only kDownloading reports count fetched bytes.
using ProgressFn = std::function<void(const PullProgress&)>;
// True once the pull's caller went away (a gRPC deadline or cancel). Polled
// from the pull's threads about once a second.
using CancelledFn = std::function<bool()>;

using ClientFactory = std::function<absl::StatusOr<std::unique_ptr<registry::Client>>(
    const Reference&, const registry::Credentials&)>;

// An image as CRI ImageStatus / ListImages need it.
struct Image {
  ImageRecord record;   // id, repo_tags, repo_digests, size, pinned, ...
  ImageConfig config;   // user, env, entrypoint, cmd, working dir, volumes, ...
};

struct FsUsage {
  std::string path;  // the directory measured (for CRI's FilesystemIdentifier.mountpoint)
  int64_t bytes = 0;
  int64_t inodes = 0;
};
struct ImageFsUsage {
  int64_t timestamp_ns = 0;
  FsUsage images;      // blobs, layers, records, ingest
  FsUsage containers;  // writable layers (containers/<id>/upper)
};

// image id → one container that uses it (for the error message).
using InUse = std::map<std::string, std::string>;

class ImageService {
 public:
  struct Options {
    UnpackOptions unpack;
    Platform platform = HostPlatform();
    ClientFactory client_factory;  // empty = registry::NewClient with the config
  };
  // Creates <root_dir>/images/..., loads records and recovers from a crash
  // (drops temp dirs of half-unpacked layers and records whose layers are gone).
  static absl::StatusOr<std::unique_ptr<ImageService>> Open(const conf::Config& config,
                                                            Options opts);
  static absl::StatusOr<std::unique_ptr<ImageService>> Open(const conf::Config& config) {
    return Open(config, Options());
  }

  // Pulls and unpacks; returns the image id ("sha256:<config hex>"). An image
  // already present costs one manifest request. Manifests with more than
  // image.max_layers layers are refused. Once `cancelled` says so, downloads
  // stop and the pull fails with Cancelled, leaving no partial download, temp
  // dir or record; complete, verified blobs stay in the content store.
  absl::StatusOr<std::string> Pull(const std::string& ref, const registry::Credentials& creds = {},
                                   const ProgressFn& progress = {},
                                   const CancelledFn& cancelled = {});
  // By id (full, bare hex or 12+ hex prefix), tag or digest reference. NotFound.
  absl::StatusOr<Image> Status(const std::string& ref_or_id) const;
  absl::StatusOr<std::vector<Image>> List() const;
  // A tag reference removes that tag while the image keeps other tags; the
  // last name, an id or a digest removes the image and its unshared layers.
  // FailedPrecondition naming the container when the image is in `in_use`;
  // NotFound when there is no such image (CRI callers treat that as success).
  absl::Status Remove(const std::string& ref_or_id, const InUse& in_use = {});
  absl::StatusOr<ImageFsUsage> FsInfo() const;
  // Mounts the container's overlay rootfs (idempotent) and returns its path.
  // With `idmap`, presented through a user namespace (see RootfsIdMap).
  absl::StatusOr<std::string> PrepareRootfs(const std::string& container_id,
                                            const std::string& image_id,
                                            const RootfsIdMap* idmap = nullptr);
  // An image volume (CRI Mount.image) of the container: the image's layers
  // mounted read-only, nosuid, nodev (see SnapshotManager::PrepareVolume);
  // idempotent. RemoveRootfs removes it with the rootfs.
  absl::StatusOr<std::string> PrepareVolume(const std::string& container_id, size_t index,
                                            const std::string& image_id);
  absl::Status RemoveRootfs(const std::string& container_id);
  // At start-up, after the containers are recovered: removes the snapshots
  // of containers not in `live` (a crash between a snapshot and its
  // container's record), then collects what no image, pull or snapshot uses
  // (layers freed so, ingests of pulls that died with the last daemon).
  absl::Status SweepOrphans(const std::set<std::string>& live);
  // An OCI image layout or a `docker save` archive, as a dir or a tarball → image id.
  // `tag` (a reference) names it; otherwise the archive's own names are used.
  absl::StatusOr<std::string> Import(const std::string& path, const std::string& tag = "");

  const Paths& paths() const { return paths_; }

  // Signed images: (re)loads the containers-policy.json file at `path` (a
  // missing file accepts every image); on an error the policy in use stays.
  // Open loads image.signature_policy. Pulls check it before any blob.
  absl::Status SetSignaturePolicy(const std::string& path);
  // Live settings (issue 19: reload on SIGHUP). Registries (mirrors, auth
  // file, TLS, timeouts) apply from the next pull; pinned-image patterns
  // from the next Status/List. Pulls in flight keep what they started with.
  void SetRegistries(const conf::Config::Registries& registries);
  void SetPinnedImages(std::vector<std::string> patterns);

 private:
  // A platform manifest, and the digest the reference resolved to (an index's
  // digest when it went through one): that is what repo digests name.
  struct Resolved {
    ImageManifest manifest;
    std::string body, digest, media_type, top_digest;
  };
  // Keys (digests, chain IDs) a pull still needs; GC leaves them alone.
  class Lease {
   public:
    explicit Lease(ImageService* s) : s_(s) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();
    void Add(const std::vector<std::string>& keys);
    void AddLocked(const std::vector<std::string>& keys);  // with s->mu_ held

   private:
    ImageService* s_;
    std::vector<std::string> keys_;
  };
  ImageService(const conf::Config& config, Options opts);
  absl::Status Recover();
  // The layer dirs of an image (bottom first), leased to `lease`.
  absl::StatusOr<std::vector<std::string>> LeaseLayers(const std::string& image_id, Lease& lease);
  // GC under mu_: keeps leases and every layer a snapshot links.
  absl::StatusOr<GcResult> CollectLocked();
  absl::StatusOr<Image> Load(const ImageRecord& r) const;
  // Pull steps (image_pull.cc).
  absl::StatusOr<Resolved> ResolveManifest(registry::Client& c, const Reference& ref);
  // PermissionDenied naming the scope and reason when the policy rejects
  // the image whose (top) manifest has this digest (image_signature.cc).
  absl::Status CheckSignaturePolicy(registry::Client& c, const Reference& ref,
                                    const std::string& manifest_digest);
  absl::StatusOr<std::string> FetchConfig(registry::Client& c, const Reference& ref,
                                          const Descriptor& d);
  // `stored` runs once the blob is stored and verified, while the unpack may still run.
  absl::Status FetchAndUnpack(const BlobFetch& fetch, const Descriptor& d,
                              const std::string& chain_id, const std::string& diff_id,
                              const std::function<void()>& stored);
  absl::Status FetchLayers(registry::Client& c, const Reference& ref, const ImageManifest& m,
                           const std::vector<std::string>& diff_ids, const ProgressFn& progress,
                           const CancelledFn& cancelled);
  // Shared by Pull and Import.
  static ImageRecord BuildRecord(const Resolved& res, const std::vector<std::string>& chain_ids,
                                 std::vector<std::string> tags, std::vector<std::string> digests);
  // Writes the record once every layer is in place (merging names with an
  // existing record of the same id).
  absl::StatusOr<std::string> Commit(ImageRecord r);
  bool AddNamesIfPresent(const std::string& id, const std::vector<std::string>& tags,
                         const std::vector<std::string>& digests);
  // Import steps (image_import.cc).
  absl::StatusOr<std::string> ImportDir(const std::string& dir, const std::string& tag);
  absl::StatusOr<std::string> ImportLayout(const std::string& dir, const std::string& tag);
  absl::StatusOr<std::string> ImportDockerArchive(const std::string& dir, const std::string& tag);
  // Ingests manifest, config and layers from files (file_for(digest) names
  // the file), unpacks and commits.
  absl::StatusOr<std::string> ImportManifest(
      const std::string& manifest_body, const std::function<std::string(const std::string&)>& file_for,
      std::vector<std::string> tags);

  // The config as at Open; its registries and image.pinned_images are
  // stale after a reload: read them through the live_ copy below.
  conf::Config config_;
  mutable std::mutex live_mu_;
  conf::Config::Registries live_registries_;   // guarded by live_mu_
  std::vector<std::string> live_pinned_;       // guarded by live_mu_
  // config_ with the live registries, for one pull.
  conf::Config PullConfig() const;
  // The record as reported: pinned when a live pattern names it.
  Image WithPinned(Image img) const;
  Options opts_;
  Paths paths_;
  ContentStore blobs_;
  LayerStore layers_;
  ImageStore records_;
  SnapshotManager snapshots_;
  // Guards leases_ and makes GC atomic with respect to record commits.
  mutable std::mutex mu_;
  std::multiset<std::string> leases_;
  std::shared_ptr<const signature::LoadedPolicy> policy_;  // null: no policy file; under mu_
};

}  // namespace cricket::image
