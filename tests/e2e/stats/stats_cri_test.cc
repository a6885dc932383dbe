// Stats, metrics, list streaming and pod resize over cricketd's CRI socket:
// a busy container shows a CPU rate on its second sample, a written file
// grows its writable layer, the pod's network counters move after a ping
// from the host, the metrics carry the kubelet's names, and filters apply.
#include <chrono>
#include <thread>

#include "tests/e2e/stats/stats_e2e_helpers.h"

namespace cricket::testing {
namespace {

using Clock = std::chrono::steady_clock;

TEST_F(StatsCriTest, ContainerStatsCpuRateAndWritableLayer) {
  ASSERT_NO_FATAL_FAILURE(PullBusybox());
  auto pod_req = PodRequest("stats");
  auto pod = Call(&v1::RuntimeService::Stub::RunPodSandbox, pod_req, "RunPodSandbox");
  ASSERT_TRUE(pod.ok()) << pod.status();
  std::string busy = StartContainer(pod->pod_sandbox_id(), pod_req, "busy",
                                    {"sh", "-c", "while :; do :; done"}, {{"role", "busy"}});
  ASSERT_FALSE(busy.empty());

  auto first = ContainerStats(busy);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->attributes().labels().at("role"), "busy");
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  auto second = ContainerStats(busy);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_TRUE(second->cpu().has_usage_nano_cores());
  EXPECT_GT(second->cpu().usage_nano_cores().value(), 0u);
  EXPECT_GT(second->cpu().usage_core_nano_seconds().value(),
            first->cpu().usage_core_nano_seconds().value());
  EXPECT_GT(second->memory().usage_bytes().value(), 0u);
  ASSERT_TRUE(second->has_writable_layer());
  EXPECT_FALSE(second->writable_layer().fs_id().mountpoint().empty());
  const uint64_t layer0 = second->writable_layer().used_bytes().value();

  v1::ExecSyncRequest write;
  write.set_container_id(busy);
  for (const char* a : {"dd", "if=/dev/zero", "of=/grow.bin", "bs=1024", "count=1024"}) {
    write.add_cmd(a);
  }
  write.set_timeout(20);
  auto wrote = Call(&v1::RuntimeService::Stub::ExecSync, write, "ExecSync");
  ASSERT_TRUE(wrote.ok()) << wrote.status();
  ASSERT_EQ(wrote->exit_code(), 0) << wrote->stderr();
  // The walk is cached a few seconds per container: poll past that.
  uint64_t layer1 = layer0;
  for (auto end = Clock::now() + std::chrono::seconds(15); Clock::now() < end;) {
    auto s = ContainerStats(busy);
    ASSERT_TRUE(s.ok()) << s.status();
    layer1 = s->writable_layer().used_bytes().value();
    if (layer1 >= layer0 + 1024 * 1024) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  EXPECT_GE(layer1, layer0 + 1024 * 1024);

  // Filters: id prefix, pod, labels.
  v1::ListContainerStatsRequest list;
  list.mutable_filter()->set_id(busy.substr(0, 8));
  EXPECT_EQ(ListContainerStats(list).stats_size(), 1);
  (*list.mutable_filter()->mutable_label_selector())["role"] = "other";
  EXPECT_EQ(ListContainerStats(list).stats_size(), 0);
  list.Clear();
  list.mutable_filter()->set_pod_sandbox_id(pod->pod_sandbox_id());
  (*list.mutable_filter()->mutable_label_selector())["role"] = "busy";
  EXPECT_EQ(ListContainerStats(list).stats_size(), 1);

  ASSERT_TRUE(RemovePod(pod->pod_sandbox_id()).ok());
  v1::ContainerStatsRequest gone;
  gone.set_container_id(busy);
  EXPECT_EQ(Call(&v1::RuntimeService::Stub::ContainerStats, gone, "ContainerStats").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(StatsCriTest, PodSandboxStatsNetworkAndFilters) {
  ASSERT_NO_FATAL_FAILURE(PullBusybox());
  auto pod_req = PodRequest("podstats");
  auto pod = Call(&v1::RuntimeService::Stub::RunPodSandbox, pod_req, "RunPodSandbox");
  ASSERT_TRUE(pod.ok()) << pod.status();
  const std::string pod_id = pod->pod_sandbox_id();
  ASSERT_FALSE(StartContainer(pod_id, pod_req, "a", {"sleep", "1000"}).empty());
  ASSERT_FALSE(StartContainer(pod_id, pod_req, "b", {"sleep", "1000"}).empty());
  auto status = PodStatus(pod_id);
  ASSERT_TRUE(status.ok()) << status.status();
  const std::string ip = status->status().network().ip();
  ASSERT_FALSE(ip.empty());

  auto before = PodStats(pod_id);
  ASSERT_TRUE(before.ok()) << before.status();
  auto ping = CniFixture::RunOnHost({"/usr/bin/busybox", "ping", "-c", "3", "-W", "2", ip});
  ASSERT_TRUE(ping.ok()) << ping.status();
  auto after = PodStats(pod_id);
  ASSERT_TRUE(after.ok()) << after.status();

  const auto& l = after->linux();
  EXPECT_EQ(after->attributes().id(), pod_id);
  EXPECT_EQ(after->attributes().metadata().name(), "podstats");
  EXPECT_EQ(after->attributes().labels().at("app"), "podstats");
  EXPECT_GT(l.cpu().usage_core_nano_seconds().value(), 0u);
  EXPECT_GT(l.memory().usage_bytes().value(), 0u);
  EXPECT_GE(l.process().process_count().value(), 2u);
  EXPECT_EQ(l.containers_size(), 2);
  ASSERT_TRUE(l.has_network());
  EXPECT_EQ(l.network().default_interface().name(), "eth0");
  EXPECT_GT(l.network().default_interface().rx_bytes().value(),
            before->linux().network().default_interface().rx_bytes().value());
  EXPECT_GT(l.network().default_interface().tx_bytes().value(), 0u);

  v1::ListPodSandboxStatsRequest list;
  list.mutable_filter()->set_id(pod_id.substr(0, 10));
  auto listed = Call(&v1::RuntimeService::Stub::ListPodSandboxStats, list, "ListPodSandboxStats");
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->stats_size(), 1);
  EXPECT_EQ(listed->stats(0).linux().containers_size(), 2);
  (*list.mutable_filter()->mutable_label_selector())["app"] = "nope";
  listed = Call(&v1::RuntimeService::Stub::ListPodSandboxStats, list, "ListPodSandboxStats");
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->stats_size(), 0);

  // Pod resize: accepted for a known pod, NotFound for an unknown one.
  v1::UpdatePodSandboxResourcesRequest resize;
  resize.set_pod_sandbox_id(pod_id);
  resize.mutable_resources()->set_cpu_shares(512);
  EXPECT_TRUE(Call(&v1::RuntimeService::Stub::UpdatePodSandboxResources, resize,
                   "UpdatePodSandboxResources").ok());
  resize.set_pod_sandbox_id("0000dead");
  EXPECT_EQ(Call(&v1::RuntimeService::Stub::UpdatePodSandboxResources, resize,
                 "UpdatePodSandboxResources").status().code(),
            absl::StatusCode::kNotFound);
  ASSERT_TRUE(RemovePod(pod_id).ok());
}

TEST_F(StatsCriTest, MetricsDescriptorsAndValues) {
  ASSERT_NO_FATAL_FAILURE(PullBusybox());
  auto pod_req = PodRequest("metrics");
  auto pod = Call(&v1::RuntimeService::Stub::RunPodSandbox, pod_req, "RunPodSandbox");
  ASSERT_TRUE(pod.ok()) << pod.status();
  std::string id = StartContainer(pod->pod_sandbox_id(), pod_req, "m", {"sleep", "1000"});
  ASSERT_FALSE(id.empty());

  auto desc = Call(&v1::RuntimeService::Stub::ListMetricDescriptors,
                   v1::ListMetricDescriptorsRequest(), "ListMetricDescriptors");
  ASSERT_TRUE(desc.ok()) << desc.status();
  std::map<std::string, int> keys;
  for (const auto& d : desc->descriptors()) keys[d.name()] = d.label_keys_size();
  for (const char* want : {"container_cpu_usage_seconds_total", "container_memory_working_set_bytes",
                           "container_memory_rss", "container_network_receive_bytes_total",
                           "container_fs_usage_bytes", "container_processes"}) {
    EXPECT_TRUE(keys.count(want)) << want;
  }

  auto metrics = Call(&v1::RuntimeService::Stub::ListPodSandboxMetrics,
                      v1::ListPodSandboxMetricsRequest(), "ListPodSandboxMetrics");
  ASSERT_TRUE(metrics.ok()) << metrics.status();
  ASSERT_EQ(metrics->pod_metrics_size(), 1);
  const auto& pm = metrics->pod_metrics(0);
  EXPECT_EQ(pm.pod_sandbox_id(), pod->pod_sandbox_id());
  bool rx = false;
  for (const auto& m : pm.metrics()) rx = rx || m.name() == "container_network_receive_bytes_total";
  EXPECT_TRUE(rx);
  ASSERT_EQ(pm.container_metrics_size(), 1);
  EXPECT_EQ(pm.container_metrics(0).container_id(), id);
  std::map<std::string, uint64_t> values;
  for (const auto& m : pm.container_metrics(0).metrics()) {
    EXPECT_EQ(m.label_values_size(), keys[m.name()]) << m.name();
    values[m.name()] = m.value().value();
  }
  EXPECT_GT(values["container_memory_usage_bytes"], 0u);
  EXPECT_GE(values["container_processes"], 1u);
  EXPECT_GT(values["container_start_time_seconds"], 0u);
  ASSERT_TRUE(RemovePod(pod->pod_sandbox_id()).ok());
}

TEST_F(StatsCriTest, ListStreamsAnswerInChunks) {
  ASSERT_NO_FATAL_FAILURE(PullBusybox());
  auto pod_req = PodRequest("streams");
  auto pod = Call(&v1::RuntimeService::Stub::RunPodSandbox, pod_req, "RunPodSandbox");
  ASSERT_TRUE(pod.ok()) << pod.status();
  ASSERT_FALSE(StartContainer(pod->pod_sandbox_id(), pod_req, "s", {"sleep", "1000"}).empty());
  auto& stub = client_->runtime();

  int pods = 0, containers = 0, cstats = 0, pstats = 0, pmetrics = 0;
  ASSERT_TRUE(ReadAll<v1::StreamPodSandboxesResponse>(
      [&](grpc::ClientContext* c) { return stub.StreamPodSandboxes(c, {}); },
      [&](const auto& r) { pods += r.pod_sandboxes_size(); }));
  ASSERT_TRUE(ReadAll<v1::StreamContainersResponse>(
      [&](grpc::ClientContext* c) { return stub.StreamContainers(c, {}); },
      [&](const auto& r) { containers += r.containers_size(); }));
  ASSERT_TRUE(ReadAll<v1::StreamContainerStatsResponse>(
      [&](grpc::ClientContext* c) { return stub.StreamContainerStats(c, {}); },
      [&](const auto& r) { cstats += r.container_stats_size(); }));
  ASSERT_TRUE(ReadAll<v1::StreamPodSandboxStatsResponse>(
      [&](grpc::ClientContext* c) { return stub.StreamPodSandboxStats(c, {}); },
      [&](const auto& r) { pstats += r.pod_sandbox_stats_size(); }));
  ASSERT_TRUE(ReadAll<v1::StreamPodSandboxMetricsResponse>(
      [&](grpc::ClientContext* c) { return stub.StreamPodSandboxMetrics(c, {}); },
      [&](const auto& r) { pmetrics += r.pod_sandbox_metrics_size(); }));
  EXPECT_EQ(pods, 1);
  EXPECT_EQ(containers, 1);
  EXPECT_EQ(cstats, 1);
  EXPECT_EQ(pstats, 1);
  EXPECT_EQ(pmetrics, 1);
  ASSERT_TRUE(RemovePod(pod->pod_sandbox_id()).ok());
}

}  // namespace
}  // namespace cricket::testing
