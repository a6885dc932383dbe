// Internal to pod/cdi: which cdiVersions cricket reads, and the oldest
// version that allows the fields a spec file uses.
#pragma once

#include "absl/status/status.h"
#include "pod/cdi/spec_file.h"

namespace cricket::pod::cdi {

// OK when s.version is a known CDI spec version (0.3.0 to 1.1.x, any patch
// level, an optional leading "v") no older than the features the file uses
// need: mount type 0.4.0; a device node's hostPath or a device name starting
// with a digit 0.5.0; annotations or a dot in the kind's class 0.6.0;
// intelRdt or additionalGIDs 0.7.0; netDevices 1.1.0.
absl::Status CheckVersion(const SpecFile& s, bool has_annotations);

}  // namespace cricket::pod::cdi
