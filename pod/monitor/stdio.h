// The container's stdio as the monitor owns it: pipes for stdout/stderr (or a
// pty master received over a console socket pair), and stdin from /dev/null or a
// FIFO in the attach dir that attach sessions write into.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "oci/sys/unique_fd.h"
#include "pod/monitor/args.h"

namespace cricket::pod::monitor {

struct Stdio {
  // The container's ends, closed by the monitor once Create returned.
  sys::UniqueFd child_in, child_out, child_err;
  // The monitor's ends.
  sys::UniqueFd out, err;   // read ends (out is the pty master with a tty)
  sys::UniqueFd in_keep;    // a writer kept on the stdin FIFO so init never sees EOF early
  // With a tty: a socket pair (no path, so no 108-byte limit on the bundle
  // dir); the engine sends the pty master through console_child.
  sys::UniqueFd console, console_child;
};

absl::StatusOr<Stdio> MakeStdio(const RunArgs& args);

// After Create: takes the pty master the engine sent to the console socket.
absl::Status AcceptConsole(Stdio& s);

}  // namespace cricket::pod::monitor
