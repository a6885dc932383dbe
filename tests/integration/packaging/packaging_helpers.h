// What the packaging tests share: running a command to completion, and the
// file list of an install tree or a .deb.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "oci/sys/child_process.h"

namespace cricket::testing {

// Runs argv (stdout and stderr captured) with a generous deadline.
absl::StatusOr<sys::CommandResult> RunProgram(const std::vector<std::string>& argv);

// Every file and symlink below root, as absolute paths inside it
// ("/usr/bin/x").
std::set<std::string> FilesUnder(const std::string& root);

// The non-directory entries of `dpkg-deb -c`, as "/usr/bin/x".
std::set<std::string> DebFiles(const std::string& listing);

// What `cmake --install --prefix /usr` and the package must hold.
const std::set<std::string>& ExpectedInstalledFiles();

}  // namespace cricket::testing
