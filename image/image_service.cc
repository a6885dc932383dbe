// ImageService: opening and recovery, records (status, list, remove + GC),
// filesystem usage and container rootfs snapshots. Pull and Import live in
// image_pull.cc and image_import.cc.
#include "image/image_service.h"

#include <ftw.h>
#include <sys/stat.h>
#include <time.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "image/digest.h"
#include "image/gc.h"
#include "image/pinned.h"
#include "oci/sys/failpoint.h"
#include "oci/sys/fs.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"

namespace cricket::image {
namespace {

// RemoveImage: the record is gone, its blobs and layers not yet collected.
CRICKET_DEFINE_FAILPOINT(kRemoveRecordDeleted, "image.remove.record_deleted");
// CreateContainer: the image's layers are leased, the snapshot not yet made
// (the window a racing RemoveImage must not delete them in).
CRICKET_DEFINE_FAILPOINT(kRootfsLayersLeased, "container.create.rootfs_layers_leased");

void AddUnique(std::vector<std::string>& v, const std::vector<std::string>& add) {
  for (const std::string& s : add) {
    if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
  }
}

// nftw has no user pointer; each walk runs under walk_mu with these set.
std::mutex walk_mu;
FsUsage* walk_usage = nullptr;
std::set<std::pair<dev_t, ino_t>>* walk_seen = nullptr;

int CountEntry(const char*, const struct stat* st, int, struct FTW*) {
  if (st->st_nlink > 1 && !S_ISDIR(st->st_mode) &&
      !walk_seen->insert({st->st_dev, st->st_ino}).second) {
    return 0;  // a hard link already counted
  }
  walk_usage->bytes += static_cast<int64_t>(st->st_blocks) * 512;
  walk_usage->inodes += 1;
  return 0;
}

// Disk bytes and inodes under dirs, staying on their filesystem (so a
// container's mounted rootfs is not counted again).
FsUsage Measure(const std::string& label, const std::vector<std::string>& dirs) {
  FsUsage u;
  u.path = label;
  std::set<std::pair<dev_t, ino_t>> seen;
  std::lock_guard lock(walk_mu);
  walk_usage = &u;
  walk_seen = &seen;
  for (const std::string& d : dirs) {
    if (sys::PathExists(d)) ::nftw(d.c_str(), CountEntry, 32, FTW_PHYS | FTW_MOUNT);
  }
  return u;
}

}  // namespace

ImageService::Lease::~Lease() {
  std::lock_guard lock(s_->mu_);
  for (const std::string& k : keys_) {
    auto it = s_->leases_.find(k);
    if (it != s_->leases_.end()) s_->leases_.erase(it);
  }
}

void ImageService::Lease::Add(const std::vector<std::string>& keys) {
  std::lock_guard lock(s_->mu_);
  AddLocked(keys);
}

void ImageService::Lease::AddLocked(const std::vector<std::string>& keys) {
  for (const std::string& k : keys) {
    s_->leases_.insert(k);
    keys_.push_back(k);
  }
}

ImageService::ImageService(const conf::Config& config, Options opts)
    : config_(config),
      live_registries_(config.registries),
      live_pinned_(config.image.pinned_images),
      opts_(std::move(opts)),
      paths_(config.root_dir),
      blobs_(paths_.blobs(), paths_.ingest()),
      layers_(paths_.layers()),
      records_(paths_.records()),
      snapshots_(paths_.containers()) {
  // The configured caps hold for every layer, pulled or imported.
  opts_.unpack.max_entries = config.image.max_layer_entries;
  opts_.unpack.max_bytes = config.image.max_layer_bytes;
}

absl::StatusOr<std::unique_ptr<ImageService>> ImageService::Open(const conf::Config& config,
                                                                 Options opts) {
  std::unique_ptr<ImageService> s(new ImageService(config, std::move(opts)));
  // 0700 down the whole tree (blobs, unpacked layers, containers' upper dirs
  // and mounted rootfs): a host user who could walk in would find the
  // images' setuid binaries (containerd's CVE-2021-41103). Existing dirs of
  // an older install get the mode here too.
  RETURN_IF_ERROR(sys::MkdirAllWithMode(s->paths_.root, 0700));
  RETURN_IF_ERROR(s->blobs_.Init());
  RETURN_IF_ERROR(s->layers_.Init());
  RETURN_IF_ERROR(s->snapshots_.Init());
  RETURN_IF_ERROR(s->records_.Load());
  RETURN_IF_ERROR(s->Recover());
  RETURN_IF_ERROR(s->SetSignaturePolicy(config.image.signature_policy));
  return s;
}

absl::Status ImageService::Recover() {
  // Half-unpacked layers never got their real name; partial blob ingests are
  // kept, so the next pull resumes them (and verifies them in full).
  RETURN_IF_ERROR(layers_.DropTemps());
  for (const ImageRecord& r : records_.List()) {
    bool complete = blobs_.Has(r.id);
    for (const std::string& c : r.chain_ids) complete = complete && layers_.Has(c);
    if (complete) continue;
    sys::LogWarn("dropping image record with missing content", {{"id", r.id}});
    RETURN_IF_ERROR(records_.Delete(r.id));
  }
  return absl::OkStatus();
}

ImageRecord ImageService::BuildRecord(const Resolved& res, const std::vector<std::string>& chain_ids,
                                      std::vector<std::string> tags,
                                      std::vector<std::string> digests) {
  ImageRecord r;
  r.id = res.manifest.config.digest;
  r.repo_tags = std::move(tags);
  r.repo_digests = std::move(digests);
  r.manifest_digest = res.digest;
  r.manifest_media_type = res.media_type;
  r.config_size = res.manifest.config.size;
  r.size = static_cast<int64_t>(res.body.size()) + r.config_size;
  for (const Descriptor& d : res.manifest.layers) {
    r.layer_digests.push_back(d.digest);
    r.layer_sizes.push_back(d.size);
    r.size += d.size;
  }
  r.chain_ids = chain_ids;
  r.pulled_unix = ::time(nullptr);
  return r;
}

absl::StatusOr<std::string> ImageService::Commit(ImageRecord r) {
  std::lock_guard lock(mu_);
  if (auto old = records_.Get(r.id)) {
    AddUnique(r.repo_tags, old->repo_tags);
    AddUnique(r.repo_digests, old->repo_digests);
    r.pinned = r.pinned || old->pinned;
  }
  RETURN_IF_ERROR(records_.Put(r));
  return r.id;
}

bool ImageService::AddNamesIfPresent(const std::string& id, const std::vector<std::string>& tags,
                                     const std::vector<std::string>& digests) {
  std::lock_guard lock(mu_);
  std::optional<ImageRecord> r = records_.Get(id);
  if (!r) return false;
  for (const std::string& c : r->chain_ids) {
    if (!layers_.Has(c)) return false;
  }
  AddUnique(r->repo_tags, tags);
  AddUnique(r->repo_digests, digests);
  return records_.Put(*r).ok();
}

absl::StatusOr<Image> ImageService::Load(const ImageRecord& r) const {
  ASSIGN_OR_RETURN(std::string json, blobs_.Read(r.id, config_.image.max_config_bytes));
  ASSIGN_OR_RETURN(ImageConfig cfg, ParseImageConfig(json));
  return Image{r, std::move(cfg)};
}

void ImageService::SetRegistries(const conf::Config::Registries& registries) {
  std::lock_guard lock(live_mu_);
  live_registries_ = registries;
}

void ImageService::SetPinnedImages(std::vector<std::string> patterns) {
  std::lock_guard lock(live_mu_);
  live_pinned_ = std::move(patterns);
}

conf::Config ImageService::PullConfig() const {
  conf::Config c = config_;
  std::lock_guard lock(live_mu_);
  c.registries = live_registries_;
  return c;
}

Image ImageService::WithPinned(Image img) const {
  std::lock_guard lock(live_mu_);
  img.record.pinned = IsPinned(live_pinned_, img.record);
  return img;
}

absl::StatusOr<Image> ImageService::Status(const std::string& ref_or_id) const {
  ASSIGN_OR_RETURN(ImageRecord r, records_.Resolve(ref_or_id));
  auto img = Load(r);
  if (!img.ok()) return sys::Annotate(img.status(), "image %s", r.id);
  return WithPinned(std::move(*img));
}

absl::StatusOr<std::vector<Image>> ImageService::List() const {
  std::vector<Image> out;
  for (const ImageRecord& r : records_.List()) {
    auto img = Load(r);
    if (!img.ok()) return sys::Annotate(img.status(), "image %s", r.id);
    out.push_back(WithPinned(std::move(*img)));
  }
  return out;
}

absl::Status ImageService::Remove(const std::string& ref_or_id, const InUse& in_use) {
  ASSIGN_OR_RETURN(ImageRecord r, records_.Resolve(ref_or_id));
  auto ref = ParseReference(ref_or_id);
  bool by_id = DigestHex(r.id).rfind(DigestHex(ref_or_id), 0) == 0;
  bool by_tag = !by_id && ref.ok() && ref->digest.empty();
  auto tag_it = by_tag ? std::find(r.repo_tags.begin(), r.repo_tags.end(), ref->String())
                       : r.repo_tags.end();
  if (tag_it != r.repo_tags.end() && r.repo_tags.size() > 1) {
    r.repo_tags.erase(tag_it);
    std::lock_guard lock(mu_);
    return records_.Put(r);
  }
  if (auto it = in_use.find(r.id); it != in_use.end()) {
    return absl::FailedPreconditionError(absl::StrCat("image ", ref_or_id, " (", r.id,
                                                      ") is in use by container ", it->second));
  }
  std::lock_guard lock(mu_);
  RETURN_IF_ERROR(records_.Delete(r.id));
  RETURN_IF_ERROR(sys::Failpoint(kRemoveRecordDeleted));
  auto gc = CollectLocked();
  if (!gc.ok()) return sys::Annotate(gc.status(), "remove image %s: garbage collection", r.id);
  sys::LogInfo("removed image", {{"id", r.id},
                                 {"blobs_removed", std::to_string(gc->blobs_removed)},
                                 {"layers_removed", std::to_string(gc->layers_removed)}});
  return absl::OkStatus();
}

absl::StatusOr<GcResult> ImageService::CollectLocked() {
  std::set<std::string> keep(leases_.begin(), leases_.end());
  // Lower layers of mounted (or half-made) snapshots: an image removed while
  // its containers live keeps its layers until the last snapshot goes.
  const std::string prefix = layers_.dir() + "/";
  for (const std::string& lower : snapshots_.LowerDirsInUse()) {
    if (lower.rfind(prefix, 0) != 0) continue;
    keep.insert("sha256:" + lower.substr(prefix.size(), lower.find('/', prefix.size()) -
                                                            prefix.size()));
  }
  return CollectGarbage(records_.List(), keep, blobs_, layers_);
}

absl::Status ImageService::SweepOrphans(const std::set<std::string>& live) {
  ASSIGN_OR_RETURN(std::vector<std::string> snaps, snapshots_.List());
  for (const std::string& id : snaps) {
    if (live.count(id)) continue;
    sys::LogInfo("removing snapshot of a container that has no record", {{"container", id}});
    RETURN_IF_ERROR(RemoveRootfs(id));
  }
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(GcResult gc, CollectLocked());
  if (gc.blobs_removed + gc.layers_removed > 0) {
    sys::LogInfo("start-up image GC", {{"blobs_removed", std::to_string(gc.blobs_removed)},
                                        {"layers_removed", std::to_string(gc.layers_removed)}});
  }
  return absl::OkStatus();
}

absl::StatusOr<ImageFsUsage> ImageService::FsInfo() const {
  ImageFsUsage u;
  struct timespec now;
  ::clock_gettime(CLOCK_REALTIME, &now);
  u.timestamp_ns = static_cast<int64_t>(now.tv_sec) * 1000000000 + now.tv_nsec;
  u.images = Measure(paths_.root, {paths_.blobs(), paths_.ingest(), paths_.layers(),
                                   paths_.records()});
  u.containers = Measure(paths_.containers(), {paths_.containers()});
  return u;
}

absl::StatusOr<std::vector<std::string>> ImageService::LeaseLayers(const std::string& image_id,
                                                                   Lease& lease) {
  std::vector<std::string> lowers;
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(ImageRecord r, records_.Resolve(image_id));
  for (const std::string& c : r.chain_ids) {
    if (!layers_.Has(c)) {
      return absl::FailedPreconditionError(
          absl::StrCat("layer ", c, " of image ", r.id, " is missing; pull the image again"));
    }
    lowers.push_back(layers_.FsPath(c));
  }
  lease.AddLocked(r.chain_ids);
  return lowers;
}

absl::StatusOr<std::string> ImageService::PrepareRootfs(const std::string& container_id,
                                                        const std::string& image_id,
                                                        const RootfsIdMap* idmap) {
  auto annotate = [&](const absl::Status& st) {
    return sys::Annotate(st, "prepare rootfs of container %s", container_id);
  };
  // The layers are leased from the lookup until the snapshot links them (from
  // then on GC sees them in use): a RemoveImage racing this create cannot
  // delete a lower layer under the overlay.
  Lease lease(this);
  auto lowers = LeaseLayers(image_id, lease);
  if (!lowers.ok()) return annotate(lowers.status());
  RETURN_IF_ERROR(annotate(sys::Failpoint(kRootfsLayersLeased)));
  auto rootfs = snapshots_.Prepare(container_id, *lowers, idmap);
  if (!rootfs.ok()) return annotate(rootfs.status());
  return rootfs;
}

absl::StatusOr<std::string> ImageService::PrepareVolume(const std::string& container_id,
                                                        size_t index,
                                                        const std::string& image_id) {
  Lease lease(this);  // as in PrepareRootfs
  auto lowers = LeaseLayers(image_id, lease);
  if (lowers.ok()) {
    auto mnt = snapshots_.PrepareVolume(container_id, index, *lowers);
    if (mnt.ok()) return mnt;
    lowers = mnt.status();
  }
  return sys::Annotate(lowers.status(), "prepare image volume %d (image %s) of container %s",
                       index, image_id, container_id);
}

absl::Status ImageService::RemoveRootfs(const std::string& container_id) {
  return sys::Annotate(snapshots_.Remove(container_id), "remove rootfs of container %s",
                       container_id);
}

}  // namespace cricket::image
