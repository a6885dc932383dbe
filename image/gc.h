// Garbage collection: blobs and layer dirs that no image record references
// (and no pull in progress holds) are deleted.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "image/content_store.h"
#include "image/image_store.h"
#include "image/layer_store.h"

namespace cricket::image {

struct GcResult {
  int blobs_removed = 0;
  int layers_removed = 0;
};

// `leased` holds digests and chain IDs that running pulls, and container
// rootfs being prepared or mounted (their snapshots' lower layers), still need.
absl::StatusOr<GcResult> CollectGarbage(const std::vector<ImageRecord>& live,
                                        const std::set<std::string>& leased,
                                        ContentStore& blobs, LayerStore& layers);

}  // namespace cricket::image
