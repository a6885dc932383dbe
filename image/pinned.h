// Pinned images (issue 19): which images the runtime reports as pinned, so
// that the kubelet's image GC leaves them alone. Patterns as CRI-O's
// pinned_images: an exact name, a prefix ending in "*", or a keyword
// between two "*". Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "image/image_store.h"

namespace cricket::image {

// True when `name` (a normalised reference such as
// "docker.io/library/busybox:latest", a repo digest or an image id) matches
// `pattern`. An exact pattern is normalised first, so "busybox" matches
// "docker.io/library/busybox:latest" as a pull of "busybox" would.
bool MatchesPinnedPattern(std::string_view pattern, std::string_view name);

// True when any of the record's names (tags, repo digests, id) matches any pattern.
bool IsPinned(const std::vector<std::string>& patterns, const ImageRecord& record);

}  // namespace cricket::image
