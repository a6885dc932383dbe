// What `cricketd check` prints, one line per finding. Each layer checks the
// host facts it owns with its own CheckHost() (oci: privileges, namespaces,
// seccomp, pivot_root, cgroups; image: overlayfs and the auth file; network:
// CNI; pod: the monitor and the seccomp profile) and the daemon prints what
// they report. Checks only read; they never create anything.
#pragma once

#include <string>
#include <vector>

namespace cricket::sys {

// kFail: the node cannot run pods (or cricketd cannot start) until fixed.
// kWarn: works, but something an operator should know.
enum class CheckLevel { kOk, kWarn, kFail };

struct CheckResult {
  CheckLevel level = CheckLevel::kOk;
  std::string name;    // "overlayfs", "cni.plugins", ...
  std::string detail;  // what was found, or why it fails and what to do
};

CheckResult CheckOk(std::string name, std::string detail);
CheckResult CheckWarn(std::string name, std::string detail);
CheckResult CheckFail(std::string name, std::string detail);

// A dir cricketd writes to: fine when it, or the dir it will be created in,
// is writable (and not on a read-only file system).
CheckResult CheckWritableDir(const std::string& name, const std::string& path);

}  // namespace cricket::sys
