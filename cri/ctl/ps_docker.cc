// See ps_docker.h.
#include "cri/ctl/ps_docker.h"

#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "cri/client/text_table.h"
#include "cri/ctl/cmd_common.h"
#include "nlohmann/json.hpp"

namespace cricket::cri::ctl {
namespace {

constexpr size_t kCommandWidth = 20;  // docker truncates COMMAND too

// The process's argv from the verbose info's runtime spec, quoted as docker
// shows it; "" when the runtime gives none.
std::string CommandLine(const v1::ContainerStatusResponse& resp, const Flags& f) {
  auto it = resp.info().find("info");
  if (it == resp.info().end()) return "";
  nlohmann::json info = nlohmann::json::parse(it->second, nullptr, false);
  const nlohmann::json* args = nullptr;
  if (info.is_object() && info.contains("runtimeSpec")) {
    args = &info["runtimeSpec"]["process"]["args"];
  }
  if (args == nullptr || !args->is_array()) return "";
  std::vector<std::string> words;
  for (const auto& a : *args) words.push_back(a.is_string() ? a.get<std::string>() : "");
  std::string cmd = absl::StrJoin(words, " ");
  if (!f.On("no-trunc") && cmd.size() > kCommandWidth) cmd = cmd.substr(0, kCommandWidth - 1) + "…";
  return "\"" + cmd + "\"";
}

// docker's STATUS: "Created", "Up 5 minutes", "Exited (0) 2 minutes ago".
std::string Status(const v1::ContainerStatus& st, int64_t now) {
  switch (st.state()) {
    case v1::CONTAINER_CREATED:
      return "Created";
    case v1::CONTAINER_RUNNING:
      return "Up " + client::HumanDuration(st.started_at(), now);
    case v1::CONTAINER_EXITED:
      return absl::StrCat("Exited (", st.exit_code(), ") ",
                          client::HumanAgo(st.finished_at(), now));
    default:
      return "Unknown";
  }
}

}  // namespace

absl::Status PrintDockerPs(client::Client& c, const std::vector<v1::Container>& cts,
                           const Flags& f) {
  int64_t now = absl::ToUnixNanos(absl::Now());
  std::vector<std::vector<std::string>> rows = {
      {"CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "NAMES"}};
  for (const auto& ct : cts) {
    v1::ContainerStatusRequest req;
    req.set_container_id(ct.id());
    req.set_verbose(true);
    auto resp =
        c.Call(c.runtime(), &v1::RuntimeService::Stub::ContainerStatus, req, "ContainerStatus");
    if (absl::IsNotFound(resp.status())) continue;  // removed since the list
    if (!resp.ok()) return resp.status();
    rows.push_back({TableId(ct.id(), f), ct.image().image(), CommandLine(*resp, f),
                    client::HumanAgo(ct.created_at(), now), Status(resp->status(), now),
                    ct.metadata().name()});
  }
  std::cout << client::FormatTable(rows);
  return absl::OkStatus();
}

}  // namespace cricket::cri::ctl
