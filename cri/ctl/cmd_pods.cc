// Pod commands as crictl has them: runp, pods (filters), inspectp, stopp, rmp.
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cri/client/id_prefix.h"
#include "cri/ctl/cmd_common.h"
#include "cri/ctl/output.h"
#include "nlohmann/json.hpp"
#include "oci/sys/status.h"

namespace cricket::cri::ctl {
namespace {

absl::StatusOr<v1::ListPodSandboxRequest> PodFilter(const Flags& f) {
  v1::ListPodSandboxRequest req;
  auto* filter = req.mutable_filter();
  if (f.Has("state")) {
    std::string s = absl::AsciiStrToLower(f.Get("state"));
    if (s == "ready" || s == "sandbox_ready") {
      filter->mutable_state()->set_state(v1::SANDBOX_READY);
    } else if (s == "notready" || s == "sandbox_notready") {
      filter->mutable_state()->set_state(v1::SANDBOX_NOTREADY);
    } else {
      return absl::InvalidArgumentError(absl::StrCat("--state ", s, ": ready or notready"));
    }
  }
  ASSIGN_OR_RETURN(auto labels, LabelsFrom(f));
  filter->mutable_label_selector()->insert(labels.begin(), labels.end());
  return req;
}

std::string PodVerbose(const v1::PodSandbox& p) {
  return absl::StrCat("ID: ", p.id(), "\nName: ", p.metadata().name(), "\nUID: ", p.metadata().uid(),
                      "\nNamespace: ", p.metadata().namespace_(), "\nAttempt: ",
                      p.metadata().attempt(), "\nStatus: ", v1::PodSandboxState_Name(p.state()),
                      "\nCreated: ", absl::FormatTime(absl::FromUnixNanos(p.created_at())),
                      "\nLabels:\n", MapLines(p.labels()), "Annotations:\n",
                      MapLines(p.annotations()), "\n");
}

absl::Status PrintPods(const std::vector<v1::PodSandbox>& pods, const Flags& f,
                       const OutputOptions& out) {
  if (f.On("quiet")) {
    for (const auto& p : pods) std::cout << p.id() << "\n";
    return absl::OkStatus();
  }
  if (out.format != Format::kTable) {
    v1::ListPodSandboxResponse resp;
    for (const auto& p : pods) *resp.add_items() = p;
    return PrintMessage(resp, out);
  }
  if (f.On("verbose")) {
    for (const auto& p : pods) std::cout << PodVerbose(p);
    return absl::OkStatus();
  }
  int64_t now = absl::ToUnixNanos(absl::Now());
  std::vector<std::vector<std::string>> rows = {
      {"POD ID", "CREATED", "STATE", "NAME", "NAMESPACE", "ATTEMPT", "RUNTIME"}};
  for (const auto& p : pods) {
    rows.push_back({TableId(p.id(), f), client::HumanAgo(p.created_at(), now),
                    p.state() == v1::SANDBOX_READY ? "Ready" : "NotReady", p.metadata().name(),
                    p.metadata().namespace_(), std::to_string(p.metadata().attempt()),
                    p.runtime_handler().empty() ? "(default)" : p.runtime_handler()});
  }
  std::cout << FormatTable(rows);
  return absl::OkStatus();
}

absl::StatusOr<v1::PodSandboxStatusResponse> PodStatus(client::Client& c, const std::string& id) {
  v1::PodSandboxStatusRequest req;
  req.set_pod_sandbox_id(id);
  req.set_verbose(true);
  return c.Call(c.runtime(), &v1::RuntimeService::Stub::PodSandboxStatus, req, "PodSandboxStatus");
}

}  // namespace

absl::Status RunRunp(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(Flags f, ParseFlags("runp", args));
  if (f.args.size() != 1) return UsageError("runp", "give one pod config file (JSON or YAML)");
  v1::RunPodSandboxRequest req;
  RETURN_IF_ERROR(ReadConfigFile(f.args[0], req.mutable_config(), "pod sandbox config"));
  req.set_runtime_handler(f.Get("runtime"));
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  ASSIGN_OR_RETURN(auto resp, c->Call(c->runtime(), &v1::RuntimeService::Stub::RunPodSandbox, req,
                                      "RunPodSandbox"));
  std::cout << resp.pod_sandbox_id() << "\n";
  return absl::OkStatus();
}

absl::Status RunPods(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(Flags f, ParseFlags("pods", args));
  if (!f.args.empty()) return UsageError("pods", "unexpected argument " + f.args[0]);
  ASSIGN_OR_RETURN(OutputOptions out, OutputFrom(f, Format::kTable));
  ASSIGN_OR_RETURN(v1::ListPodSandboxRequest req, PodFilter(f));
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  ASSIGN_OR_RETURN(auto resp, c->Call(c->runtime(), &v1::RuntimeService::Stub::ListPodSandbox,
                                      req, "ListPodSandbox"));
  std::vector<v1::PodSandbox> pods;
  for (const auto& p : resp.items()) {
    if (f.Has("id") && p.id().rfind(f.Get("id"), 0) != 0) continue;
    if (!NameMatches(f.Get("name"), p.metadata().name())) continue;
    if (!NameMatches(f.Get("namespace"), p.metadata().namespace_())) continue;
    pods.push_back(p);
  }
  RETURN_IF_ERROR(NewestFirst(pods, f));
  return PrintPods(pods, f, out);
}

absl::Status RunInspectp(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(Flags f, ParseFlags("inspectp", args));
  ASSIGN_OR_RETURN(OutputOptions out, OutputFrom(f, Format::kJson, /*table_ok=*/false));
  if (f.args.empty()) return UsageError("inspectp", "give at least one pod id");
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  for (const auto& prefix : f.args) {
    ASSIGN_OR_RETURN(std::string id, client::ResolvePodId(*c, prefix));
    ASSIGN_OR_RETURN(auto resp, PodStatus(*c, id));
    ASSIGN_OR_RETURN(nlohmann::json tree, VerboseTree(resp, resp.info()));
    RETURN_IF_ERROR(PrintTree(tree, out));
  }
  return absl::OkStatus();
}

absl::Status RunStopp(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(Flags f, ParseFlags("stopp", args));
  if (f.args.empty()) return UsageError("stopp", "give at least one pod id");
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  return ForEachResolved(*c, f.args, client::ResolvePodId, [&](const std::string& id) {
    v1::StopPodSandboxRequest r;
    r.set_pod_sandbox_id(id);
    return c->Call(c->runtime(), &v1::RuntimeService::Stub::StopPodSandbox, r, "StopPodSandbox")
        .status();
  });
}

absl::Status RunRmp(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(Flags f, ParseFlags("rmp", args));
  bool all = f.On("all"), force = f.On("force");
  if (f.args.empty() && !all) return UsageError("rmp", "give pod ids or -a");
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  std::vector<std::string> ids = f.args;
  if (all) {
    ASSIGN_OR_RETURN(auto list, c->Call(c->runtime(), &v1::RuntimeService::Stub::ListPodSandbox,
                                        v1::ListPodSandboxRequest(), "ListPodSandbox"));
    for (const auto& p : list.items()) ids.push_back(p.id());
  }
  return ForEachResolved(*c, ids, client::ResolvePodId, [&](const std::string& id) {
    ASSIGN_OR_RETURN(auto st, PodStatus(*c, id));
    if (st.status().state() == v1::SANDBOX_READY) {
      if (!force) {
        return absl::FailedPreconditionError(absl::StrCat(
            "pod sandbox ", id, " is running: stop it first (cricketctl stopp) or use -f"));
      }
      v1::StopPodSandboxRequest stop;
      stop.set_pod_sandbox_id(id);
      RETURN_IF_ERROR(
          c->Call(c->runtime(), &v1::RuntimeService::Stub::StopPodSandbox, stop, "StopPodSandbox")
              .status());
    }
    v1::RemovePodSandboxRequest r;
    r.set_pod_sandbox_id(id);
    return c->Call(c->runtime(), &v1::RuntimeService::Stub::RemovePodSandbox, r,
                   "RemovePodSandbox")
        .status();
  });
}

}  // namespace cricket::cri::ctl
