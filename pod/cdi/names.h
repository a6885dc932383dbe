// CDI device names: "vendor.com/class=name", as a container asks for them
// (ContainerConfig.CDI_devices and the kubelet's cdi.k8s.io/* annotations).
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cri/api/api.h"

namespace cricket::pod::cdi {

// The annotation prefix device plugins use to pass CDI devices through the
// kubelet: any key under it holds a comma-separated list of device names.
inline constexpr absl::string_view kAnnotationPrefix = "cdi.k8s.io/";

struct QualifiedName {
  std::string vendor, cls, name;
  std::string Kind() const { return vendor + "/" + cls; }
  std::string str() const { return Kind() + "=" + name; }
};

// Each says what is wrong with the name ("" parts, a bad first, last or
// middle character), or OK. The rules are the CDI reference's: vendor and
// class start with a letter, a device name with a letter or digit; all end
// with a letter or digit; in between letters, digits and - _ . (and : in a
// device name).
absl::Status ValidateVendor(absl::string_view vendor);
absl::Status ValidateClass(absl::string_view cls);
absl::Status ValidateDeviceName(absl::string_view name);
// "vendor.com/class".
absl::Status ValidateKind(absl::string_view kind);

absl::StatusOr<QualifiedName> ParseQualifiedName(absl::string_view qualified);

// The CDI devices a container asks for, in order, each once: the
// CDI_devices field first, then the cdi.k8s.io/* annotations by key.
// InvalidArgument naming the field or annotation for a malformed name.
absl::StatusOr<std::vector<QualifiedName>> RequestedDevices(
    const runtime::v1::ContainerConfig& config);

}  // namespace cricket::pod::cdi
