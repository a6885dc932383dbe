// The pod's own user namespace (hostUsers: false): the kubelet sends
// NamespaceOption.userns_options with mode POD and the uid/gid mappings it
// allocated. Pure checks and the map texts the kernel takes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "cri/api/api.h"

namespace cricket::pod {

struct UsernsMaps {
  std::string uid_map, gid_map;  // /proc/<pid>/uid_map text: "<container> <host> <length>\n"...
  uint32_t root_uid = 0, root_gid = 0;  // host ids of the container's uid and gid 0
};

// Checks one mapping list: 1 to 340 entries (the kernel's limit), each of
// non-zero length without overflowing 32 bits, no two overlapping on either
// side, the container's id 0 mapped (the runtime sets the container up as
// its root), and host id 0 not mapped (host root must stay outside the pod).
absl::Status ValidateIdMappings(
    const google::protobuf::RepeatedPtrField<runtime::v1::IDMapping>& m, const std::string& what);

// nullopt when the pod uses the host's user namespace (userns_options unset
// or mode NODE); the maps for mode POD. InvalidArgument for bad mappings, for
// mappings given with NODE, and for POD with the host's network, pid or IPC
// namespace (the kubelet forbids hostUsers: false with those too);
// Unimplemented for CONTAINER and TARGET, which no kubelet sends.
absl::StatusOr<std::optional<UsernsMaps>> PodUserns(const runtime::v1::NamespaceOption& opts);

// A container's userns_options must be the pod's (or unset): all of a pod's
// containers share its user namespace.
absl::Status CheckContainerUserns(const runtime::v1::NamespaceOption& pod,
                                  const runtime::v1::NamespaceOption& container);

}  // namespace cricket::pod
