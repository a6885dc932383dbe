// Command running and file lists for the packaging tests.
#include "tests/integration/packaging/packaging_helpers.h"

#include <filesystem>
#include <sstream>

namespace cricket::testing {

absl::StatusOr<sys::CommandResult> RunProgram(const std::vector<std::string>& argv) {
  sys::SpawnOptions so;
  so.argv = argv;
  return sys::RunCommand(so, "", std::chrono::minutes(3));
}

std::set<std::string> FilesUnder(const std::string& root) {
  namespace fs = std::filesystem;
  std::set<std::string> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_directory(ec) || it->is_symlink(ec)) {
      out.insert(it->path().string().substr(root.size()));
    }
  }
  return out;
}

std::set<std::string> DebFiles(const std::string& listing) {
  // "-rw-r--r-- root/root 871 2026-11-25 07:24
  // ./lib/systemd/system/cricket.service"
  std::set<std::string> out;
  std::istringstream in(listing);
  std::string mode, owner, size, date, time, path;
  while (in >> mode >> owner >> size >> date >> time >> path) {
    std::string rest;
    std::getline(in, rest);  // " -> target" of a symlink
    if (mode[0] != 'd') out.insert(path.substr(1));
  }
  return out;
}

const std::set<std::string>& ExpectedInstalledFiles() {
  static const auto* const files = new std::set<std::string>{
      "/usr/bin/cricketd",
      "/usr/bin/cricketctl",
      "/usr/bin/cricket-oci",
      "/usr/bin/cricket-monitor",
      "/usr/bin/cricket-monitor-supervise",
      "/usr/bin/cricket-pause",
      "/lib/systemd/system/cricket.service",
      "/etc/cricket/cricket.yaml",
      "/usr/share/doc/cricket-runtime/examples/10-cricket-bridge.conflist",
      "/usr/share/man/man8/cricketd.8.gz",
      "/usr/share/man/man1/cricketctl.1.gz",
      "/usr/share/man/man8/cricket-oci.8.gz",
      "/usr/share/man/man8/cricket-monitor.8.gz",
      "/usr/share/man/man8/cricket-monitor-supervise.8.gz",
      "/usr/share/man/man8/cricket-pause.8.gz",
      "/usr/share/bash-completion/completions/cricketctl",
      "/usr/share/bash-completion/completions/cricket-oci",
  };
  return *files;
}

}  // namespace cricket::testing
