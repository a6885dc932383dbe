// What `exec`/`attach` share with `run`: streaming a remote command's stdio
// from the URL an Exec or Attach RPC returned.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "cri/client/stream_mux.h"

namespace cricket::cri::ctl {

// Raw mode and resizes with a tty; returns OK, ExitWith(code) for a non-zero
// exit (128+signal when interrupted), or the stream's error.
absl::Status StreamRemoteCommand(const std::string& url, bool in, bool tty,
                                 client::StreamTransport transport);

}  // namespace cricket::cri::ctl
