// Image commands as crictl has them: pull, images, rmi.
#include <iostream>

#include "cri/ctl/command.h"
#include "cri/ctl/output.h"
#include "oci/sys/status.h"

namespace cricket::cri::ctl {

absl::Status RunPull(const CommandContext& ctx, std::vector<std::string> args) {
  v1::PullImageRequest req;
  std::vector<std::string> rest;
  for (size_t i = 0; i < args.size(); i++) {
    if (args[i] == "--creds" && i + 1 < args.size()) {
      std::string creds = args[++i];
      auto colon = creds.find(':');
      req.mutable_auth()->set_username(creds.substr(0, colon));
      if (colon != std::string::npos) req.mutable_auth()->set_password(creds.substr(colon + 1));
    } else if (args[i] == "--auth" && i + 1 < args.size()) {
      req.mutable_auth()->set_auth(args[++i]);
    } else {
      rest.push_back(args[i]);
    }
  }
  if (rest.size() != 1) return UsageError("pull", "give one image reference");
  req.mutable_image()->set_image(rest[0]);
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  ASSIGN_OR_RETURN(auto resp, c->Call(c->images(), &v1::ImageService::Stub::PullImage, req, "PullImage"));
  std::cout << "Image is up to date for " << resp.image_ref() << "\n";
  return absl::OkStatus();
}

absl::Status RunImages(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(Format format, TakeFormatFlag(args, Format::kTable));
  bool quiet = false;
  for (const auto& a : args) {
    if (a != "-q" && a != "--quiet") return UsageError("images", "unexpected argument " + a);
    quiet = true;
  }
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  ASSIGN_OR_RETURN(auto resp, c->Call(c->images(), &v1::ImageService::Stub::ListImages,
                                      v1::ListImagesRequest(), "ListImages"));
  if (quiet || format != Format::kTable) {
    if (quiet) {
      for (const auto& i : resp.images()) std::cout << i.id() << "\n";
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(nlohmann::json tree, MessageToJson(resp));
    std::cout << (format == Format::kJson ? JsonText(tree) : YamlText(tree));
    return absl::OkStatus();
  }
  std::vector<std::vector<std::string>> rows = {{"IMAGE", "TAG", "IMAGE ID", "SIZE"}};
  for (const auto& i : resp.images()) {
    std::string id = i.id().substr(i.id().find(':') + 1, 13);
    std::string size = std::to_string(i.size() / 1000) + "kB";
    if (i.repo_tags().empty()) rows.push_back({"<none>", "<none>", id, size});
    for (const auto& t : i.repo_tags()) {
      auto colon = t.rfind(':');
      rows.push_back({t.substr(0, colon), t.substr(colon + 1), id, size});
    }
  }
  std::cout << FormatTable(rows);
  return absl::OkStatus();
}

absl::Status RunRmi(const CommandContext& ctx, std::vector<std::string> args) {
  if (args.empty()) return UsageError("rmi", "give image references or ids");
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  for (const auto& ref : args) {
    v1::RemoveImageRequest req;
    req.mutable_image()->set_image(ref);
    RETURN_IF_ERROR(c->Call(c->images(), &v1::ImageService::Stub::RemoveImage, req, "RemoveImage")
                        .status());
    std::cout << "Deleted: " << ref << "\n";
  }
  return absl::OkStatus();
}

}  // namespace cricket::cri::ctl
