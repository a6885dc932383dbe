// The CDI devices a node offers: every spec file directly in the configured
// spec dirs, read when a container asks for CDI devices (device plugins
// write their files at any time, so nothing is cached between requests).
// Later dirs override earlier ones for the same device, as the CDI spec
// says; the same device in two files of one dir is a conflict.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "pod/cdi/names.h"
#include "pod/cdi/spec_file.h"

namespace cricket::pod::cdi {

// One spec file, parsed, and the index of the dir it came from.
struct LoadedSpec {
  std::string path;
  int priority = 0;
  SpecFile spec;
};

// Edits to apply, in order, and where they come from (for messages).
struct EditSet {
  std::string origin;  // "CDI device vendor.com/class=name" or "CDI spec file <path>"
  ContainerEdits edits;
};

class Registry {
 public:
  // Reads every *.json and *.yaml file directly in each dir (in name order;
  // a missing dir is fine, subdirs and other files are skipped). A file that
  // cannot be read or parsed is an error naming it: a device plugin's broken
  // file would otherwise silently take its devices away.
  static absl::StatusOr<Registry> Load(const std::vector<std::string>& dirs);
  // The same from files already parsed (pure; tests use it).
  static Registry FromSpecs(std::vector<LoadedSpec> specs, std::vector<std::string> dirs);

  // The edits of the named devices in the order the reference runtime
  // applies them: per device, first (once per spec file) the file's
  // spec-wide edits, then the device's. NotFound names an unknown device and
  // the dirs searched; FailedPrecondition a device two files of one dir define.
  absl::StatusOr<std::vector<EditSet>> Resolve(const std::vector<QualifiedName>& names) const;

 private:
  struct Entry {
    size_t spec = 0;    // index into specs_
    size_t device = 0;  // index into specs_[spec].spec.devices
    std::string conflict;  // another file of the same dir defining it
  };
  std::vector<LoadedSpec> specs_;
  std::vector<std::string> dirs_;
  std::map<std::string, Entry> devices_;  // by qualified name
};

}  // namespace cricket::pod::cdi
