// Mark (from records and leases) and sweep (blobs, layers, stale ingests).
#include "image/gc.h"

#include "oci/sys/failpoint.h"
#include "oci/sys/status.h"

namespace cricket::image {
namespace {

// After each blob and each layer removed (a GC cut short resumes at the next).
CRICKET_DEFINE_FAILPOINT(kBlobRemoved, "image.gc.blob_removed");
CRICKET_DEFINE_FAILPOINT(kLayerRemoved, "image.gc.layer_removed");

}  // namespace

absl::StatusOr<GcResult> CollectGarbage(const std::vector<ImageRecord>& live,
                                        const std::set<std::string>& leased,
                                        ContentStore& blobs, LayerStore& layers) {
  std::set<std::string> keep = leased;
  for (const ImageRecord& r : live) {
    keep.insert(r.id);
    keep.insert(r.manifest_digest);
    keep.insert(r.layer_digests.begin(), r.layer_digests.end());
    keep.insert(r.chain_ids.begin(), r.chain_ids.end());
  }
  GcResult res;
  ASSIGN_OR_RETURN(std::vector<std::string> digests, blobs.List());
  for (const std::string& d : digests) {
    if (keep.count(d)) continue;
    RETURN_IF_ERROR(blobs.Remove(d));
    ++res.blobs_removed;
    RETURN_IF_ERROR(sys::Failpoint(kBlobRemoved));
  }
  ASSIGN_OR_RETURN(std::vector<std::string> chains, layers.List());
  for (const std::string& c : chains) {
    if (keep.count(c)) continue;
    RETURN_IF_ERROR(layers.Remove(c));
    ++res.layers_removed;
    RETURN_IF_ERROR(sys::Failpoint(kLayerRemoved));
  }
  RETURN_IF_ERROR(blobs.DropIngests([&](const std::string& d) { return keep.count(d) > 0; }));
  return res;
}

}  // namespace cricket::image
