// IDs given as unique prefixes, resolved on the client side from a List call,
// so it works against any CRI runtime (cricketd, containerd, CRI-O).
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cri/client/client.h"

namespace cricket::cri::client {

// The id in `ids` equal to `prefix`, else the only one starting with it.
// NotFound "no <kind> matches ..." when none; InvalidArgument listing the
// matches when several do. `kind` is "pod sandbox", "container", ...
absl::StatusOr<std::string> MatchIdPrefix(const std::string& kind, const std::string& prefix,
                                          const std::vector<std::string>& ids);

absl::StatusOr<std::string> ResolvePodId(Client& c, const std::string& prefix);
absl::StatusOr<std::string> ResolveContainerId(Client& c, const std::string& prefix);

// The image id of a reference the runtime knows (ImageStatus finds it), else
// of an id prefix ("sha256:" optional) resolved against ListImages.
absl::StatusOr<std::string> ResolveImage(Client& c, const std::string& ref_or_prefix);

}  // namespace cricket::cri::client
