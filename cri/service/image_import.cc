// ImportImage (cricket.v1): an OCI layout or docker-archive the daemon reads
// from its own filesystem becomes an image record, as if it had been pulled.
#include "cri/service/image_import.h"

#include "absl/strings/str_cat.h"
#include "cri/service/instrumented.h"
#include "oci/sys/status.h"

namespace cricket::cri {

grpc::Status GrpcCricketImages::ImportImage(grpc::ServerContext*,
                                            const ::cricket::v1::ImportImageRequest* req,
                                            ::cricket::v1::ImportImageResponse* resp) {
  return Instrumented("ImportImage", [&] { return Import(*req, resp); });
}

absl::Status GrpcCricketImages::Import(const ::cricket::v1::ImportImageRequest& req,
                                       ::cricket::v1::ImportImageResponse* resp) {
  // The daemon's working directory means nothing to the caller.
  if (req.path().empty() || req.path()[0] != '/') {
    return absl::InvalidArgumentError(
        absl::StrCat("import: path \"", req.path(), "\" must be absolute"));
  }
  // Import's errors already name the file.
  ASSIGN_OR_RETURN(std::string id, ctx_->images->Import(req.path(), req.name()));
  resp->set_image_ref(id);
  auto img = ctx_->images->Status(id);
  if (img.ok()) {
    for (const auto& t : img->record.repo_tags) resp->add_repo_tags(t);
  }
  return absl::OkStatus();
}

}  // namespace cricket::cri
