// `cricketctl pull`'s pull: through cricketd's cricket.v1 PullImageWithProgress
// with ctr-style per-layer progress (pull_progress_view.h), or, on a runtime
// without it, CRI's PullImage with a note that progress is not available.
#pragma once

#include "absl/status/status.h"
#include "cri/ctl/command.h"

namespace cricket::cri::ctl {

// Pulls and prints the progress, then the image id and the digest the
// reference resolved to; `quiet`: only the image id.
absl::Status PullAndReport(client::Client& c, const v1::PullImageRequest& req, bool quiet);

}  // namespace cricket::cri::ctl
