// AppArmor on the node: cricket's RuntimeDefault profile (cricket-default,
// modelled on containerd's and CRI-O's default) and loading it at start.
#pragma once

#include <string>

#include "absl/status/status.h"

namespace cricket::pod {

inline constexpr char kAppArmorDefaultProfile[] = "cricket-default";

// Whether the kernel enforces AppArmor (/sys/module/apparmor/parameters/enabled).
bool AppArmorEnabled();

// The policy text of cricket-default.
std::string AppArmorDefaultPolicy();

// Loads (or replaces) cricket-default with `parser` (apparmor_parser).
absl::Status LoadAppArmorDefaultProfile(const std::string& parser = "apparmor_parser");

}  // namespace cricket::pod
