// runc's JSON for a container's state, keys in runc's order.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "oci/runtime.h"

namespace cricket::oci::cli {

// {"ociVersion","id","pid","status","bundle","rootfs","created","owner"[,"annotations"]}
nlohmann::ordered_json StateToJson(const ContainerState& s);

}  // namespace cricket::oci::cli
