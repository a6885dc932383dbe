// Pod commands as crictl has them: runp, pods, inspectp, stopp, rmp.
#include <google/protobuf/util/json_util.h>

#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cri/ctl/command.h"
#include "cri/ctl/output.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/status.h"

namespace cricket::cri::ctl {
namespace {

std::string Ago(int64_t ns) {
  int64_t secs = (absl::ToUnixNanos(absl::Now()) - ns) / 1000000000;
  if (secs < 60) return absl::StrCat(secs, " seconds ago");
  if (secs < 3600) return absl::StrCat(secs / 60, " minutes ago");
  return absl::StrCat(secs / 3600, " hours ago");
}

}  // namespace

absl::Status RunRunp(const CommandContext& ctx, std::vector<std::string> args) {
  if (args.size() != 1) return UsageError("runp", "give one pod config file (JSON)");
  ASSIGN_OR_RETURN(std::string text, sys::ReadFile(args[0]));
  v1::RunPodSandboxRequest req;
  auto parsed = google::protobuf::util::JsonStringToMessage(text, req.mutable_config());
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(args[0], ": not a pod sandbox config: ",
                                                   parsed.ToString()));
  }
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  ASSIGN_OR_RETURN(auto resp, c->Call(c->runtime(), &v1::RuntimeService::Stub::RunPodSandbox, req,
                                      "RunPodSandbox"));
  std::cout << resp.pod_sandbox_id() << "\n";
  return absl::OkStatus();
}

absl::Status RunPods(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(Format format, TakeFormatFlag(args, Format::kTable));
  bool quiet = false;
  for (const auto& a : args) {
    if (a == "-q" || a == "--quiet") {
      quiet = true;
    } else {
      return UsageError("pods", "unexpected argument " + a);
    }
  }
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  ASSIGN_OR_RETURN(auto resp, c->Call(c->runtime(), &v1::RuntimeService::Stub::ListPodSandbox,
                                      v1::ListPodSandboxRequest(), "ListPodSandbox"));
  if (quiet) {
    for (const auto& p : resp.items()) std::cout << p.id() << "\n";
    return absl::OkStatus();
  }
  if (format != Format::kTable) {
    ASSIGN_OR_RETURN(nlohmann::json tree, MessageToJson(resp));
    std::cout << (format == Format::kJson ? JsonText(tree) : YamlText(tree));
    return absl::OkStatus();
  }
  std::vector<std::vector<std::string>> rows = {
      {"POD ID", "CREATED", "STATE", "NAME", "NAMESPACE", "ATTEMPT", "RUNTIME"}};
  for (const auto& p : resp.items()) {
    rows.push_back({p.id().substr(0, 13), Ago(p.created_at()), v1::PodSandboxState_Name(p.state()),
                    p.metadata().name(), p.metadata().namespace_(),
                    std::to_string(p.metadata().attempt()),
                    p.runtime_handler().empty() ? "(default)" : p.runtime_handler()});
  }
  std::cout << FormatTable(rows);
  return absl::OkStatus();
}

absl::Status RunInspectp(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(Format format, TakeFormatFlag(args, Format::kJson));
  if (args.size() != 1) return UsageError("inspectp", "give one pod id");
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  v1::PodSandboxStatusRequest req;
  req.set_pod_sandbox_id(args[0]);
  req.set_verbose(true);
  ASSIGN_OR_RETURN(auto resp, c->Call(c->runtime(), &v1::RuntimeService::Stub::PodSandboxStatus,
                                      req, "PodSandboxStatus"));
  ASSIGN_OR_RETURN(nlohmann::json tree, MessageToJson(resp));
  std::cout << (format == Format::kYaml ? YamlText(tree) : JsonText(tree));
  return absl::OkStatus();
}

absl::Status RunStopp(const CommandContext& ctx, std::vector<std::string> args) {
  return ForEachId(ctx, "stopp", std::move(args), [](client::Client& c, const std::string& id) {
    v1::StopPodSandboxRequest r;
    r.set_pod_sandbox_id(id);
    return c.Call(c.runtime(), &v1::RuntimeService::Stub::StopPodSandbox, r, "StopPodSandbox")
        .status();
  });
}

absl::Status RunRmp(const CommandContext& ctx, std::vector<std::string> args) {
  return ForEachId(ctx, "rmp", std::move(args), [](client::Client& c, const std::string& id) {
    v1::RemovePodSandboxRequest r;
    r.set_pod_sandbox_id(id);
    return c.Call(c.runtime(), &v1::RuntimeService::Stub::RemovePodSandbox, r, "RemovePodSandbox")
        .status();
  });
}

}  // namespace cricket::cri::ctl
