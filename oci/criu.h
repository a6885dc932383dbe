// CRIU, the checkpoint/restore tool the engine drives for `checkpoint` and
// `restore` (as runc does). CRIU is an external program the operator
// installs (Debian's criu package); cricket runs its command line and turns
// its log's "Error" lines into the status, so a failure says CRIU's own
// reason (e.g. a kernel it cannot work on) instead of only an exit code.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "oci/sys/host_check.h"

namespace cricket::oci {

// The criu binary: `configured` when it has a '/', else that name (default
// "criu") looked up in PATH. FailedPrecondition naming what was looked for
// when it is not there.
absl::StatusOr<std::string> FindCriu(const std::string& configured);

// The distinct messages of a CRIU log's "Error (file:line): msg" lines, in
// order, joined by "; " (at most `max` of them). "" when there are none.
std::string CriuLogErrors(const std::string& log_text, size_t max = 4);

struct CriuCall {
  std::string binary;              // from FindCriu
  std::string action;              // dump | pre-dump | restore | check
  std::vector<std::string> args;   // after the action
  std::string log_file;            // --log-file (absolute), read back on failure
  std::vector<int> keep_fds;       // fds criu must inherit (--inherit-fd, ns fds)
  int stdin_fd = -1, stdout_fd = -1, stderr_fd = -1;
};

// Runs `criu <action> -v4 --log-file <log> <args...>`. On failure:
// FailedPrecondition "criu <action> failed (exit N): <CriuLogErrors>; see <log>".
absl::Status RunCriu(const CriuCall& call);

// `criu check`: OK when CRIU can work on this host, else FailedPrecondition
// with CRIU's own reason ("criu check: vdso: Unexpected rt vDSO area bounds; ...").
absl::Status CriuCheck(const std::string& binary);

// `cricketd check`'s line: ok when criu works, a warning (checkpoints are
// optional) naming why not: criu missing, or criu check's reason.
sys::CheckResult CheckCriu(const std::string& configured);

}  // namespace cricket::oci
