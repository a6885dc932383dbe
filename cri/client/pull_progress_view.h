// The text `cricketctl pull` shows for cricket.v1 PullImageWithProgress, as
// ctr shows a pull: on a terminal, one bar per layer with its state and
// sizes plus an elapsed/total/speed line, redrawn in place (ANSI cursor-up);
// elsewhere (a pipe, a log file), one line per layer state change, so logs
// stay readable. Pure text in, text out: no I/O, so it is unit-tested.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cri/api/cricket.pb.h"
#include "grpcpp/support/status.h"

namespace cricket::cri::client {

// Whether a failed PullImageWithProgress means "this runtime has no such
// RPC" (containerd, CRI-O, an older cricketd), so that the caller falls
// back to CRI's PullImage, rather than a failed pull.
bool ProgressRpcMissing(const grpc::Status& st);

// "1.5 MiB", "512 B": ctr's binary units.
std::string IecSize(double bytes);

class PullProgressView {
 public:
  explicit PullProgressView(bool terminal) : terminal_(terminal) {}

  // Applies one message; the text to write (a redrawn frame, or the lines
  // of the state changes it brings).
  std::string Update(const ::cricket::v1::PullImageProgress& msg, double elapsed_seconds);
  // The closing text: the last frame (terminal) and the totals line.
  std::string Finish(double elapsed_seconds);

  int64_t fetched() const;  // bytes downloaded by this pull (layers already here excluded)

 private:
  struct Layer {
    std::string digest;
    int64_t total = 0, done = 0;
    int64_t fetched = 0;  // bytes seen while downloading (not a stored blob's)
    ::cricket::v1::LayerState state = ::cricket::v1::LAYER_WAITING;
  };
  Layer* Find(const std::string& digest);  // nullptr: not seen yet
  std::string Frame(double elapsed_seconds);
  std::string TotalsLine(double elapsed_seconds) const;

  bool terminal_;
  std::vector<Layer> layers_;  // in the order first seen (the manifest's)
  int drawn_lines_ = 0;        // lines of the last frame, to move up over
};

}  // namespace cricket::cri::client
