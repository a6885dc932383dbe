// `cricketctl stats` and `statsp`: resource use of containers and pods. As in
// crictl, CPU % comes from two samples a second apart (--watch keeps
// sampling every second), and a table or the raw response is printed.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "cri/client/id_prefix.h"
#include "cri/ctl/cmd_common.h"
#include "cri/ctl/output.h"
#include "oci/sys/status.h"

namespace cricket::cri::ctl {
namespace {

constexpr auto kSampleGap = std::chrono::seconds(1);

std::string CpuPercent(const v1::CpuUsage* before, const v1::CpuUsage& now) {
  double perc = 0;
  if (before != nullptr && now.timestamp() > before->timestamp()) {
    double used = static_cast<double>(now.usage_core_nano_seconds().value()) -
                  static_cast<double>(before->usage_core_nano_seconds().value());
    perc = used / static_cast<double>(now.timestamp() - before->timestamp()) * 100;
  } else if (now.has_usage_nano_cores()) {
    perc = static_cast<double>(now.usage_nano_cores().value()) / 1e9 * 100;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", perc < 0 ? 0 : perc);
  return buf;
}

std::string Bytes(uint64_t v) { return client::HumanSize(static_cast<double>(v)); }

// Takes samples until interrupted (--watch) or twice; `print` gets the
// previous sample's CPU (null on the first) and the current one.
template <typename Resp>
absl::Status Sample(const Flags& f, const std::function<absl::StatusOr<Resp>()>& fetch,
                    const std::function<absl::Status(const Resp* prev, const Resp& now)>& print) {
  ASSIGN_OR_RETURN(Resp prev, fetch());
  while (true) {
    std::this_thread::sleep_for(kSampleGap);
    ASSIGN_OR_RETURN(Resp now, fetch());
    RETURN_IF_ERROR(print(&prev, now));
    if (!f.On("watch")) return absl::OkStatus();
    std::cout << "\n" << std::flush;
    prev = std::move(now);
  }
}

absl::StatusOr<v1::ListContainerStatsRequest> StatsFilter(client::Client& c, const Flags& f,
                                                          const std::string& id) {
  v1::ListContainerStatsRequest req;
  if (!id.empty()) {
    ASSIGN_OR_RETURN(std::string full, client::ResolveContainerId(c, id));
    req.mutable_filter()->set_id(full);
  }
  if (f.Has("pod")) {
    ASSIGN_OR_RETURN(std::string pod, client::ResolvePodId(c, f.Get("pod")));
    req.mutable_filter()->set_pod_sandbox_id(pod);
  }
  ASSIGN_OR_RETURN(auto labels, LabelsFrom(f));
  req.mutable_filter()->mutable_label_selector()->insert(labels.begin(), labels.end());
  return req;
}

absl::StatusOr<std::set<std::string>> RunningIds(client::Client& c) {
  v1::ListContainersRequest req;
  req.mutable_filter()->mutable_state()->set_state(v1::CONTAINER_RUNNING);
  ASSIGN_OR_RETURN(auto resp, c.Call(c.runtime(), &v1::RuntimeService::Stub::ListContainers, req,
                                     "ListContainers"));
  std::set<std::string> out;
  for (const auto& ct : resp.containers()) out.insert(ct.id());
  return out;
}

}  // namespace

absl::Status RunStats(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(Flags f, ParseFlags("stats", args));
  if (f.args.size() > 1) return UsageError("stats", "give at most one container id");
  const std::string id = f.Get("id", f.args.empty() ? "" : f.args[0]);
  ASSIGN_OR_RETURN(OutputOptions out, OutputFrom(f, Format::kTable));
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  ASSIGN_OR_RETURN(v1::ListContainerStatsRequest req, StatsFilter(*c, f, id));
  using Resp = v1::ListContainerStatsResponse;
  std::function<absl::StatusOr<Resp>()> fetch = [&]() -> absl::StatusOr<Resp> {
    ASSIGN_OR_RETURN(Resp resp, c->Call(c->runtime(), &v1::RuntimeService::Stub::ListContainerStats,
                                        req, "ListContainerStats"));
    if (f.On("all") || !id.empty()) return resp;
    ASSIGN_OR_RETURN(auto running, RunningIds(*c));
    Resp kept;
    for (const auto& s : resp.stats()) {
      if (running.count(s.attributes().id())) *kept.add_stats() = s;
    }
    return kept;
  };
  if (out.format != Format::kTable) {
    ASSIGN_OR_RETURN(Resp resp, fetch());
    return PrintMessage(resp, out);
  }
  return Sample<Resp>(f, fetch, [&](const Resp* prev, const Resp& now) {
    std::map<std::string, const v1::CpuUsage*> before;
    for (const auto& s : prev->stats()) before[s.attributes().id()] = &s.cpu();
    std::vector<std::vector<std::string>> rows = {
        {"CONTAINER", "NAME", "CPU %", "MEM", "DISK", "INODES"}};
    for (const auto& s : now.stats()) {
      rows.push_back({client::ShortId(s.attributes().id()), s.attributes().metadata().name(),
                      CpuPercent(before[s.attributes().id()], s.cpu()),
                      Bytes(s.memory().working_set_bytes().value()),
                      Bytes(s.writable_layer().used_bytes().value()),
                      std::to_string(s.writable_layer().inodes_used().value())});
    }
    std::cout << FormatTable(rows) << std::flush;
    return absl::OkStatus();
  });
}

absl::Status RunStatsp(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(Flags f, ParseFlags("statsp", args));
  if (f.args.size() > 1) return UsageError("statsp", "give at most one pod id");
  const std::string pod_id = f.Get("id", f.args.empty() ? "" : f.args[0]);
  ASSIGN_OR_RETURN(OutputOptions out, OutputFrom(f, Format::kTable));
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  v1::ListPodSandboxStatsRequest req;
  if (!pod_id.empty()) {
    ASSIGN_OR_RETURN(std::string full, client::ResolvePodId(*c, pod_id));
    req.mutable_filter()->set_id(full);
  }
  ASSIGN_OR_RETURN(auto labels, LabelsFrom(f));
  req.mutable_filter()->mutable_label_selector()->insert(labels.begin(), labels.end());
  using Resp = v1::ListPodSandboxStatsResponse;
  std::function<absl::StatusOr<Resp>()> fetch = [&] {
    return c->Call(c->runtime(), &v1::RuntimeService::Stub::ListPodSandboxStats, req,
                   "ListPodSandboxStats");
  };
  if (out.format != Format::kTable) {
    ASSIGN_OR_RETURN(Resp resp, fetch());
    return PrintMessage(resp, out);
  }
  return Sample<Resp>(f, fetch, [&](const Resp* prev, const Resp& now) {
    std::map<std::string, const v1::CpuUsage*> before;
    for (const auto& s : prev->stats()) before[s.attributes().id()] = &s.linux().cpu();
    std::vector<std::vector<std::string>> rows = {{"POD", "POD ID", "CPU %", "MEM"}};
    for (const auto& s : now.stats()) {
      rows.push_back({s.attributes().metadata().name(), client::ShortId(s.attributes().id()),
                      CpuPercent(before[s.attributes().id()], s.linux().cpu()),
                      Bytes(s.linux().memory().working_set_bytes().value())});
    }
    std::cout << FormatTable(rows) << std::flush;
    return absl::OkStatus();
  });
}

}  // namespace cricket::cri::ctl
