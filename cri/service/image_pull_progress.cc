// PullImageWithProgress (cricket.v1): the CRI pull (same handler, so the same
// checks, credentials and metrics) on the RPC's thread, where its caller
// scope is, with a writer thread that streams the batched progress; the last
// message names the image and the digest the reference resolved to.
#include <atomic>
#include <thread>

#include "cri/service/image_handlers.h"
#include "cri/service/image_import.h"
#include "cri/service/instrumented.h"
#include "cri/service/pull_progress_batch.h"
#include "image/reference.h"
#include "oci/sys/status.h"

namespace cricket::cri {
namespace {

constexpr std::chrono::milliseconds kInterval(100);  // at most ten messages a second

// "repo@sha256:..." of the pulled reference's repository, from the record.
std::string RepoDigest(const image::ImageService& images, const std::string& ref,
                       const std::string& id) {
  auto img = images.Status(id);
  if (!img.ok() || img->record.repo_digests.empty()) return "";
  auto parsed = image::ParseReference(ref);
  for (const std::string& d : img->record.repo_digests) {
    if (parsed.ok() && d.rfind(parsed->Repository() + "@", 0) == 0) return d;
  }
  return img->record.repo_digests.front();
}

}  // namespace

grpc::Status GrpcCricketImages::PullImageWithProgress(
    grpc::ServerContext* ctx, const ::runtime::v1::PullImageRequest* req,
    grpc::ServerWriter<::cricket::v1::PullImageProgress>* w) {
  return Instrumented("PullImageWithProgress", ctx,
                      [&] { return PullWithProgress(ctx, *req, w); });
}

absl::Status GrpcCricketImages::PullWithProgress(
    grpc::ServerContext* ctx, const ::runtime::v1::PullImageRequest& req,
    grpc::ServerWriter<::cricket::v1::PullImageProgress>* w) {
  ProgressBatch batch;
  std::atomic<bool> gone{false};  // a write failed: the caller went away
  std::thread writer([&] {
    for (;;) {
      ProgressBatch::Taken t = batch.Take(kInterval);
      if (!t.layers.empty() && !gone) {
        ::cricket::v1::PullImageProgress msg;
        for (auto& l : t.layers) *msg.add_layers() = std::move(l);
        if (!w->Write(msg)) gone = true;
      }
      if (t.finished) return;
    }
  });
  ImageHandlers handlers(ctx_);
  ::runtime::v1::PullImageResponse resp;
  absl::Status st = handlers.PullImage(
      req, &resp, [&] { return gone || ctx->IsCancelled(); },
      [&](const image::PullProgress& p) { batch.Add(p); });
  batch.Finish();
  writer.join();
  RETURN_IF_ERROR(st);
  ::cricket::v1::PullImageProgress last;
  last.set_image_ref(resp.image_ref());
  last.set_repo_digest(RepoDigest(*ctx_->images, req.image().image(), resp.image_ref()));
  if (!w->Write(last)) return absl::CancelledError("the caller went away before the last message");
  return absl::OkStatus();
}

}  // namespace cricket::cri
