// See pull_stream.h. On a terminal, bars redrawn in place on stdout, as
// ctr's. Otherwise stdout carries only crictl's result line (scripts parse
// it) and the progress, one line per layer state change, and the digest go
// to stderr. Ctrl-C ends the
// process, which closes the stream: cricketd then cancels the pull as it
// does a PullImage whose deadline passed.
#include "cri/ctl/pull_stream.h"

#include <unistd.h>

#include <chrono>
#include <iostream>

#include "cri/client/pull_progress_view.h"
#include "cri/ctl/pull_progress.h"
#include "oci/sys/status.h"

namespace cricket::cri::ctl {
namespace {

double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void PrintResult(const std::string& id, const std::string& digest, bool quiet,
                 std::ostream& side) {
  if (quiet) {
    std::cout << id << "\n";
    return;
  }
  std::cout << "Image is up to date for " << id << "\n";
  if (!digest.empty()) side << "Digest: " << digest << "\n";
}

// Another runtime (containerd, CRI-O): CRI's pull, which reports nothing
// until it ends, so a spinner on a terminal's stderr.
absl::Status PlainPull(client::Client& c, const v1::PullImageRequest& req, bool quiet) {
  std::cerr << "cricketctl: " << c.endpoint()
            << " does not offer cricket's pull progress (cricket.v1.Images/"
               "PullImageWithProgress); pulling through CRI, progress is not available\n";
  absl::StatusOr<v1::PullImageResponse> resp;
  {
    PullProgress spinner("Pulling", req.image().image());
    resp = c.Call(c.images(), &v1::ImageService::Stub::PullImage, req, "PullImage");
  }
  if (!resp.ok()) return resp.status();
  PrintResult(resp->image_ref(), "", quiet, std::cout);
  return absl::OkStatus();
}

}  // namespace

absl::Status PullAndReport(client::Client& c, const v1::PullImageRequest& req, bool quiet) {
  const auto start = std::chrono::steady_clock::now();
  const bool terminal = ::isatty(STDOUT_FILENO) == 1;
  std::ostream& progress = terminal ? std::cout : std::cerr;
  client::PullProgressView view(terminal);
  auto ctx = c.NewContext();  // the same per-call deadline as PullImage
  auto reader = c.cricket_images().PullImageWithProgress(ctx.get(), req);
  ::cricket::v1::PullImageProgress msg, last;
  while (reader->Read(&msg)) {
    if (!msg.image_ref().empty()) {
      last = msg;
    } else if (!quiet) {
      progress << view.Update(msg, Since(start)) << std::flush;
    }
  }
  grpc::Status st = reader->Finish();
  if (client::ProgressRpcMissing(st)) return PlainPull(c, req, quiet);
  RETURN_IF_ERROR(client::FromGrpcStatus(st, "PullImageWithProgress"));
  if (last.image_ref().empty()) {
    return absl::InternalError("PullImageWithProgress ended without naming the image");
  }
  if (!quiet) progress << view.Finish(Since(start));
  PrintResult(last.image_ref(), last.repo_digest(), quiet, progress);
  return absl::OkStatus();
}

}  // namespace cricket::cri::ctl
