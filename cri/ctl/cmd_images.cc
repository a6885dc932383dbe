// Image commands as crictl has them: pull, images, inspecti, rmi, imagefsinfo.
#include <iostream>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cri/client/id_prefix.h"
#include "cri/ctl/cmd_common.h"
#include "cri/ctl/output.h"
#include "cri/ctl/pull_stream.h"
#include "nlohmann/json.hpp"
#include "oci/sys/status.h"

namespace cricket::cri::ctl {
namespace {

absl::StatusOr<v1::PullImageRequest> PullRequest(const Flags& f) {
  v1::PullImageRequest req;
  req.mutable_image()->set_image(f.args[0]);
  auto* auth = req.mutable_auth();
  if (f.Has("creds")) {
    std::string creds = f.Get("creds");
    size_t colon = creds.find(':');
    auth->set_username(creds.substr(0, colon));
    if (colon != std::string::npos) auth->set_password(creds.substr(colon + 1));
  }
  if (f.Has("username")) auth->set_username(f.Get("username"));
  if (f.Has("auth")) auth->set_auth(f.Get("auth"));
  if (auth->ByteSizeLong() == 0) req.clear_auth();
  if (f.Has("pod-config")) {
    RETURN_IF_ERROR(
        ReadConfigFile(f.Get("pod-config"), req.mutable_sandbox_config(), "pod sandbox config"));
  }
  return req;
}

// "repo:tag" → {repo, tag}; "repo@sha256:..." → {repo, <none>}.
std::pair<std::string, std::string> SplitTag(const std::string& name) {
  size_t at = name.find('@');
  if (at != std::string::npos) return {name.substr(0, at), "<none>"};
  size_t colon = name.rfind(':');
  if (colon == std::string::npos || name.find('/', colon) != std::string::npos) {
    return {name, "<none>"};
  }
  return {name.substr(0, colon), name.substr(colon + 1)};
}

std::string DigestFor(const v1::Image& img, const std::string& repo) {
  for (const auto& d : img.repo_digests()) {
    size_t at = d.find('@');
    if (at != std::string::npos && d.substr(0, at) == repo) return client::ShortId(d.substr(at + 1));
  }
  return "<none>";
}

std::string ImageVerbose(const v1::Image& img) {
  std::string user = img.has_uid() ? std::to_string(img.uid().value()) : img.username();
  return absl::StrCat("ID: ", img.id(), "\nRepoTags: ", absl::StrJoin(img.repo_tags(), " "),
                      "\nRepoDigests: ", absl::StrJoin(img.repo_digests(), " "),
                      "\nSize: ", img.size(), "\nUsername: ", user,
                      "\nPinned: ", img.pinned() ? "true" : "false", "\n\n");
}

void PrintImageTable(const v1::ListImagesResponse& resp, const Flags& f) {
  bool digests = f.On("digests");
  std::vector<std::string> header = {"IMAGE", "TAG"};
  if (digests) header.push_back("DIGEST");
  for (const char* h : {"IMAGE ID", "SIZE"}) header.push_back(h);
  std::vector<std::vector<std::string>> rows = {header};
  for (const auto& img : resp.images()) {
    std::vector<std::string> names(img.repo_tags().begin(), img.repo_tags().end());
    if (names.empty()) names.assign(img.repo_digests().begin(), img.repo_digests().end());
    if (names.empty()) names.push_back("<none>");
    for (const auto& name : names) {
      auto [repo, tag] = SplitTag(name);
      std::vector<std::string> row = {repo, tag};
      if (digests) row.push_back(DigestFor(img, repo));
      row.push_back(TableId(img.id(), f));
      row.push_back(client::HumanSize(static_cast<double>(img.size())));
      rows.push_back(std::move(row));
    }
  }
  std::cout << FormatTable(rows);
}

// Ids of images no container (in any state) was created from.
absl::StatusOr<std::vector<std::string>> UnusedImages(client::Client& c,
                                                      const v1::ListImagesResponse& images) {
  ASSIGN_OR_RETURN(auto cts, c.Call(c.runtime(), &v1::RuntimeService::Stub::ListContainers,
                                    v1::ListContainersRequest(), "ListContainers"));
  std::set<std::string> used;
  for (const auto& ct : cts.containers()) {
    used.insert({ct.image_ref(), ct.image_id(), ct.image().image()});
  }
  std::vector<std::string> out;
  for (const auto& img : images.images()) {
    bool in_use = used.count(img.id()) > 0;
    for (const auto& n : img.repo_tags()) in_use = in_use || used.count(n) > 0;
    for (const auto& n : img.repo_digests()) in_use = in_use || used.count(n) > 0;
    if (!in_use) out.push_back(img.id());
  }
  return out;
}

absl::StatusOr<v1::ImageStatusResponse> ImageStatus(client::Client& c, const std::string& ref) {
  v1::ImageStatusRequest req;
  req.mutable_image()->set_image(ref);
  req.set_verbose(true);
  return c.Call(c.images(), &v1::ImageService::Stub::ImageStatus, req, "ImageStatus");
}

}  // namespace

absl::Status RunPull(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(Flags f, ParseFlags("pull", args));
  if (f.args.size() != 1) return UsageError("pull", "give one image reference");
  ASSIGN_OR_RETURN(v1::PullImageRequest req, PullRequest(f));
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  return PullAndReport(*c, req, f.On("quiet"));
}

absl::Status RunImages(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(Flags f, ParseFlags("images", args));
  if (f.args.size() > 1) return UsageError("images", "give at most one image name");
  ASSIGN_OR_RETURN(OutputOptions out, OutputFrom(f, Format::kTable));
  v1::ListImagesRequest req;
  if (!f.args.empty()) req.mutable_filter()->mutable_image()->set_image(f.args[0]);
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  ASSIGN_OR_RETURN(auto resp,
                   c->Call(c->images(), &v1::ImageService::Stub::ListImages, req, "ListImages"));
  if (f.On("quiet")) {
    for (const auto& i : resp.images()) std::cout << i.id() << "\n";
  } else if (out.format != Format::kTable) {
    return PrintMessage(resp, out);
  } else if (f.On("verbose")) {
    for (const auto& i : resp.images()) std::cout << ImageVerbose(i);
  } else {
    PrintImageTable(resp, f);
  }
  return absl::OkStatus();
}

absl::Status RunInspecti(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(Flags f, ParseFlags("inspecti", args));
  ASSIGN_OR_RETURN(OutputOptions out, OutputFrom(f, Format::kJson, /*table_ok=*/false));
  if (f.args.empty()) return UsageError("inspecti", "give at least one image");
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  for (const auto& ref : f.args) {
    ASSIGN_OR_RETURN(std::string id, client::ResolveImage(*c, ref));
    ASSIGN_OR_RETURN(auto resp, ImageStatus(*c, id));
    if (!resp.has_image()) return absl::NotFoundError(absl::StrCat("no such image ", ref));
    ASSIGN_OR_RETURN(nlohmann::json tree, VerboseTree(resp, resp.info()));
    // crictl prints the image under "status", next to "info".
    tree["status"] = std::move(tree["image"]);
    tree.erase("image");
    RETURN_IF_ERROR(PrintTree(tree, out));
  }
  return absl::OkStatus();
}

absl::Status RunRmi(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(Flags f, ParseFlags("rmi", args));
  bool all = f.On("all"), prune = f.On("prune");
  if (f.args.empty() && !all && !prune) return UsageError("rmi", "give images, -a or --prune");
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  std::vector<std::string> refs;
  for (const auto& ref : f.args) {
    // A tag the runtime knows is removed as a tag (other tags stay); anything
    // else is an id prefix.
    auto st = ImageStatus(*c, ref);
    if (st.ok() && st->has_image()) {
      refs.push_back(ref);
    } else {
      ASSIGN_OR_RETURN(std::string id, client::ResolveImage(*c, ref));
      refs.push_back(id);
    }
  }
  if (all || prune) {
    ASSIGN_OR_RETURN(auto list, c->Call(c->images(), &v1::ImageService::Stub::ListImages,
                                        v1::ListImagesRequest(), "ListImages"));
    if (all) {
      for (const auto& img : list.images()) refs.push_back(img.id());
    } else {
      ASSIGN_OR_RETURN(auto unused, UnusedImages(*c, list));
      refs.insert(refs.end(), unused.begin(), unused.end());
    }
  }
  for (const auto& ref : refs) {
    v1::RemoveImageRequest req;
    req.mutable_image()->set_image(ref);
    RETURN_IF_ERROR(
        c->Call(c->images(), &v1::ImageService::Stub::RemoveImage, req, "RemoveImage").status());
    std::cout << "Deleted: " << ref << "\n";
  }
  return absl::OkStatus();
}

absl::Status RunImagefsinfo(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(Flags f, ParseFlags("imagefsinfo", args));
  if (!f.args.empty()) return UsageError("imagefsinfo", "unexpected argument " + f.args[0]);
  ASSIGN_OR_RETURN(OutputOptions out, OutputFrom(f, Format::kJson, /*table_ok=*/false));
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  ASSIGN_OR_RETURN(auto resp, c->Call(c->images(), &v1::ImageService::Stub::ImageFsInfo,
                                      v1::ImageFsInfoRequest(), "ImageFsInfo"));
  ASSIGN_OR_RETURN(nlohmann::json tree, MessageToJson(resp));
  // crictl prints the response under "status".
  return PrintTree(nlohmann::json{{"status", tree}}, out);
}

}  // namespace cricket::cri::ctl
