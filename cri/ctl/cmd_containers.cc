// Container commands as crictl has them: create, start, ps, inspect, exec
// (non-interactive, through ExecSync), logs, stop, rm.
#include <google/protobuf/util/json_util.h>

#include <iostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "cri/ctl/command.h"
#include "cri/ctl/output.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/status.h"

namespace cricket::cri::ctl {
namespace {

template <typename M>
absl::Status ReadJson(const std::string& path, M* msg, const char* what) {
  ASSIGN_OR_RETURN(std::string text, sys::ReadFile(path));
  auto st = google::protobuf::util::JsonStringToMessage(text, msg);
  if (!st.ok()) return absl::InvalidArgumentError(absl::StrCat(path, ": not a ", what, ": ", st.ToString()));
  return absl::OkStatus();
}

absl::StatusOr<v1::ContainerStatusResponse> Inspect(client::Client& c, const std::string& id) {
  v1::ContainerStatusRequest req;
  req.set_container_id(id);
  req.set_verbose(true);
  return c.Call(c.runtime(), &v1::RuntimeService::Stub::ContainerStatus, req, "ContainerStatus");
}

}  // namespace

absl::Status RunCreate(const CommandContext& ctx, std::vector<std::string> args) {
  if (args.size() != 3) return UsageError("create", "give POD_ID CONTAINER_CONFIG POD_CONFIG");
  v1::CreateContainerRequest req;
  req.set_pod_sandbox_id(args[0]);
  RETURN_IF_ERROR(ReadJson(args[1], req.mutable_config(), "container config"));
  RETURN_IF_ERROR(ReadJson(args[2], req.mutable_sandbox_config(), "pod sandbox config"));
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  ASSIGN_OR_RETURN(auto resp, c->Call(c->runtime(), &v1::RuntimeService::Stub::CreateContainer, req,
                                      "CreateContainer"));
  std::cout << resp.container_id() << "\n";
  return absl::OkStatus();
}

absl::Status RunStart(const CommandContext& ctx, std::vector<std::string> args) {
  return ForEachId(ctx, "start", args, [](client::Client& c, const std::string& id) {
    v1::StartContainerRequest req;
    req.set_container_id(id);
    return c.Call(c.runtime(), &v1::RuntimeService::Stub::StartContainer, req, "StartContainer")
        .status();
  });
}

absl::Status RunPs(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(Format format, TakeFormatFlag(args, Format::kTable));
  bool all = false, quiet = false;
  for (const auto& a : args) {
    if (a == "-a" || a == "--all") {
      all = true;
    } else if (a == "-q" || a == "--quiet") {
      quiet = true;
    } else {
      return UsageError("ps", "unexpected argument " + a);
    }
  }
  v1::ListContainersRequest req;
  if (!all) req.mutable_filter()->mutable_state()->set_state(v1::CONTAINER_RUNNING);
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  ASSIGN_OR_RETURN(auto resp, c->Call(c->runtime(), &v1::RuntimeService::Stub::ListContainers, req,
                                      "ListContainers"));
  if (quiet) {
    for (const auto& ct : resp.containers()) std::cout << ct.id() << "\n";
    return absl::OkStatus();
  }
  if (format != Format::kTable) {
    ASSIGN_OR_RETURN(nlohmann::json tree, MessageToJson(resp));
    std::cout << (format == Format::kJson ? JsonText(tree) : YamlText(tree));
    return absl::OkStatus();
  }
  std::vector<std::vector<std::string>> rows = {{"CONTAINER", "IMAGE", "STATE", "NAME", "ATTEMPT", "POD ID"}};
  for (const auto& ct : resp.containers()) {
    rows.push_back({ct.id().substr(0, 13), ct.image().image(), v1::ContainerState_Name(ct.state()),
                    ct.metadata().name(), std::to_string(ct.metadata().attempt()),
                    ct.pod_sandbox_id().substr(0, 13)});
  }
  std::cout << FormatTable(rows);
  return absl::OkStatus();
}

absl::Status RunInspect(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(Format format, TakeFormatFlag(args, Format::kJson));
  if (args.size() != 1) return UsageError("inspect", "give one container id");
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  ASSIGN_OR_RETURN(auto resp, Inspect(*c, args[0]));
  ASSIGN_OR_RETURN(nlohmann::json tree, MessageToJson(resp));
  std::cout << (format == Format::kYaml ? YamlText(tree) : JsonText(tree));
  return absl::OkStatus();
}

absl::Status RunExec(const CommandContext& ctx, std::vector<std::string> args) {
  int64_t timeout = 0;
  if (args.size() > 1 && args[0] == "--timeout" && absl::SimpleAtoi(args[1], &timeout)) {
    args.erase(args.begin(), args.begin() + 2);
  }
  if (args.size() < 2) return UsageError("exec", "give CONTAINER_ID COMMAND [ARG...]");
  v1::ExecSyncRequest req;
  req.set_container_id(args[0]);
  for (size_t i = 1; i < args.size(); i++) req.add_cmd(args[i]);
  req.set_timeout(timeout);
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  ASSIGN_OR_RETURN(auto resp, c->Call(c->runtime(), &v1::RuntimeService::Stub::ExecSync, req, "ExecSync"));
  std::cout << resp.stdout();
  std::cerr << resp.stderr();
  if (resp.exit_code() != 0) {
    return absl::UnknownError(absl::StrCat("command exited with code ", resp.exit_code()));
  }
  return absl::OkStatus();
}

absl::Status RunLogs(const CommandContext& ctx, std::vector<std::string> args) {
  if (args.size() != 1) return UsageError("logs", "give one container id");
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  ASSIGN_OR_RETURN(auto resp, Inspect(*c, args[0]));
  ASSIGN_OR_RETURN(std::string text, sys::ReadFile(resp.status().log_path()));
  // "<time> <stream> <P|F> <content>": print the content, joining P pieces.
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string line = text.substr(pos, nl - pos);
    pos = nl + 1;
    size_t a = line.find(' '), b = a == std::string::npos ? a : line.find(' ', a + 1);
    if (b == std::string::npos || b + 2 > line.size()) continue;
    bool partial = line[b + 1] == 'P';
    std::ostream& out = line.compare(a + 1, 6, "stderr") == 0 ? std::cerr : std::cout;
    out << (b + 3 <= line.size() ? line.substr(b + 3) : "") << (partial ? "" : "\n");
  }
  return absl::OkStatus();
}

absl::Status RunStop(const CommandContext& ctx, std::vector<std::string> args) {
  int64_t timeout = 10;
  if (args.size() > 1 && (args[0] == "-t" || args[0] == "--timeout") &&
      absl::SimpleAtoi(args[1], &timeout)) {
    args.erase(args.begin(), args.begin() + 2);
  }
  return ForEachId(ctx, "stop", args, [timeout](client::Client& c, const std::string& id) {
    v1::StopContainerRequest req;
    req.set_container_id(id);
    req.set_timeout(timeout);
    return c.Call(c.runtime(), &v1::RuntimeService::Stub::StopContainer, req, "StopContainer")
        .status();
  });
}

absl::Status RunRm(const CommandContext& ctx, std::vector<std::string> args) {
  return ForEachId(ctx, "rm", args, [](client::Client& c, const std::string& id) {
    v1::RemoveContainerRequest req;
    req.set_container_id(id);
    return c.Call(c.runtime(), &v1::RuntimeService::Stub::RemoveContainer, req, "RemoveContainer")
        .status();
  });
}

}  // namespace cricket::cri::ctl
