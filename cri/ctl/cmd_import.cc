// `cricketctl import FILE [--name REF]`: an OCI layout or docker-archive
// tarball (or directory) loaded by cricketd through cricket's own
// cricket.v1.Images/ImportImage, since CRI has no import RPC.
#include <stdlib.h>

#include <iostream>

#include "absl/strings/str_cat.h"
#include "cri/ctl/flags.h"
#include "cri/ctl/command.h"
#include "cri/ctl/pull_progress.h"
#include "oci/sys/status.h"

namespace cricket::cri::ctl {
namespace {

// Imports unpack every layer: allow far longer than one ordinary call.
constexpr auto kImportTimeout = std::chrono::minutes(30);

// The daemon reads the file itself, from its own working directory: send an
// absolute path. NotFound naming the file when it does not exist here.
absl::StatusOr<std::string> AbsolutePath(const std::string& path) {
  char* real = ::realpath(path.c_str(), nullptr);
  if (real == nullptr) return sys::ErrnoStatus(errno, "import %s", path);
  std::string out(real);
  ::free(real);
  return out;
}

}  // namespace

absl::Status RunImport(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(Flags f, ParseFlags("import", args));
  if (f.args.size() != 1) return UsageError("import", "give one file (OCI layout or docker-archive)");
  ::cricket::v1::ImportImageRequest req;
  ASSIGN_OR_RETURN(std::string path, AbsolutePath(f.args[0]));
  req.set_path(path);
  req.set_name(f.Get("name"));
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  ::cricket::v1::ImportImageResponse resp;
  grpc::Status st;
  {
    PullProgress progress("Importing", f.args[0]);
    grpc::ClientContext call;
    call.set_deadline(std::chrono::system_clock::now() + kImportTimeout);
    st = c->cricket_images().ImportImage(&call, req, &resp);
  }
  if (st.error_code() == grpc::StatusCode::UNIMPLEMENTED) {
    return absl::UnimplementedError(absl::StrCat(
        "import: the endpoint ", c->endpoint(),
        " does not offer cricket's import service (cricket.v1.Images); ", st.error_message()));
  }
  RETURN_IF_ERROR(client::FromGrpcStatus(st, "ImportImage"));
  std::cout << "Imported " << resp.image_ref() << "\n";
  for (const auto& tag : resp.repo_tags()) std::cout << "Tagged " << tag << "\n";
  return absl::OkStatus();
}

}  // namespace cricket::cri::ctl
