// Metric descriptors and values, and list streaming in chunks.
#include <set>

#include <gtest/gtest.h>

#include "cri/service/container_stats_convert.h"
#include "cri/service/metrics_table.h"
#include "cri/service/stream_chunks.h"

namespace cricket::cri {
namespace {

namespace v1 = ::runtime::v1;

pod::PodSample SamplePod() {
  pod::PodSample p;
  p.sandbox.id = "pod1";
  p.sandbox.config.mutable_metadata()->set_name("web");
  (*p.sandbox.config.mutable_labels())["app"] = "web";
  p.timestamp_ns = 42;
  p.has_network = true;
  p.interfaces = {{"eth0", 1000, 1, 2000, 2}, {"net1", 5, 0, 6, 0}};
  p.cgroup.pids.current = 3;
  p.cgroup.cpu.usage.total = 7'000'000'000;
  p.nano_cores = 250'000'000;
  pod::ContainerSample c;
  c.container.id = "c1";
  c.container.name = "app";
  c.container.image = "busybox:latest";
  c.container.started_at_ns = 5'000'000'000;
  c.timestamp_ns = 42;
  c.cgroup.cpu.usage.total = 3'500'000'000;
  c.cgroup.memory.usage.usage = 4096;
  c.cgroup.memory.raw = {{"inactive_file", 1024}, {"anon", 2048}};
  c.cgroup.pids.current = 2;
  c.writable_layer = pod::FsUsageSample{"/var/lib/cricket/containers", 8192, 4, 40};
  p.containers.push_back(c);
  return p;
}

TEST(Metrics, DescriptorsAreUniqueAndIncludeTheKubeletSet) {
  std::set<std::string> names;
  for (const auto& d : AllMetricDescriptors()) {
    EXPECT_TRUE(names.insert(d.name()).second) << d.name();
    EXPECT_FALSE(d.help().empty());
    ASSERT_GE(d.label_keys_size(), 3);
    EXPECT_EQ(d.label_keys(0), "id");
  }
  for (const char* want :
       {"container_cpu_usage_seconds_total", "container_memory_working_set_bytes",
        "container_memory_usage_bytes", "container_memory_rss",
        "container_network_receive_bytes_total", "container_network_transmit_bytes_total",
        "container_fs_usage_bytes", "container_processes", "container_start_time_seconds"}) {
    EXPECT_TRUE(names.count(want)) << want;
  }
}

TEST(Metrics, ValuesMatchTheirDescriptorLabels) {
  std::map<std::string, int> keys;
  for (const auto& d : AllMetricDescriptors()) keys[d.name()] = d.label_keys_size();
  v1::PodSandboxMetrics m;
  FillPodSandboxMetrics(SamplePod(), &m);
  EXPECT_EQ(m.pod_sandbox_id(), "pod1");
  EXPECT_EQ(m.metrics_size(), 2 * 4);  // two interfaces, four network metrics
  std::map<std::string, uint64_t> pod_values;
  for (const auto& x : m.metrics()) {
    EXPECT_EQ(x.label_values_size(), keys[x.name()]) << x.name();
    if (x.label_values(3) == "eth0") pod_values[x.name()] = x.value().value();
  }
  EXPECT_EQ(pod_values["container_network_receive_bytes_total"], 1000u);
  EXPECT_EQ(pod_values["container_network_transmit_errors_total"], 2u);
  ASSERT_EQ(m.container_metrics_size(), 1);
  std::map<std::string, uint64_t> values;
  for (const auto& x : m.container_metrics(0).metrics()) {
    EXPECT_EQ(x.label_values_size(), keys[x.name()]) << x.name();
    EXPECT_EQ(x.label_values(0), "c1");
    EXPECT_EQ(x.label_values(1), "app");
    EXPECT_EQ(x.timestamp(), 42);
    values[x.name()] = x.value().value();
  }
  EXPECT_EQ(values["container_cpu_usage_seconds_total"], 3u);
  EXPECT_EQ(values["container_memory_working_set_bytes"], 3072u);
  EXPECT_EQ(values["container_memory_rss"], 2048u);
  EXPECT_EQ(values["container_processes"], 2u);
  EXPECT_EQ(values["container_fs_usage_bytes"], 8192u);
  EXPECT_EQ(values["container_start_time_seconds"], 5u);
}

TEST(PodSandboxStats, FromASample) {
  v1::PodSandboxStats s;
  FillPodSandboxStats(SamplePod(), &s);
  EXPECT_EQ(s.attributes().id(), "pod1");
  EXPECT_EQ(s.attributes().labels().at("app"), "web");
  EXPECT_EQ(s.linux().cpu().usage_core_nano_seconds().value(), 7'000'000'000u);
  EXPECT_EQ(s.linux().cpu().usage_nano_cores().value(), 250'000'000u);
  EXPECT_EQ(s.linux().process().process_count().value(), 3u);
  EXPECT_EQ(s.linux().network().default_interface().name(), "eth0");
  EXPECT_EQ(s.linux().network().interfaces_size(), 2);
  ASSERT_EQ(s.linux().containers_size(), 1);
  const auto& c = s.linux().containers(0);
  EXPECT_EQ(c.writable_layer().used_bytes().value(), 8192u);
  EXPECT_EQ(c.writable_layer().inodes_used().value(), 4u);
  EXPECT_EQ(c.writable_layer().fs_id().mountpoint(), "/var/lib/cricket/containers");
  EXPECT_FALSE(c.cpu().has_usage_nano_cores());  // first sample: left to the kubelet
  EXPECT_EQ(c.memory().working_set_bytes().value(), 3072u);
}

TEST(PodSandboxStats, HostNetworkPodHasNoNetwork) {
  pod::PodSample p = SamplePod();
  p.has_network = false;
  p.interfaces.clear();
  v1::PodSandboxStats s;
  FillPodSandboxStats(p, &s);
  EXPECT_FALSE(s.linux().has_network());
}

TEST(SendInChunks, SplitsAndStopsWhenTheClientGoes) {
  std::vector<int> items(250);
  std::vector<size_t> sizes;
  Sink<v1::StreamContainersResponse> sink = [&](const v1::StreamContainersResponse& r) {
    sizes.push_back(r.containers_size());
    return true;
  };
  auto fill = [](v1::StreamContainersResponse& r, int) { r.add_containers(); };
  ASSERT_TRUE(SendInChunks(items, fill, sink).ok());
  EXPECT_EQ(sizes, (std::vector<size_t>{100, 100, 50}));
  sizes.clear();
  ASSERT_TRUE(SendInChunks(std::vector<int>{}, fill, sink).ok());
  EXPECT_EQ(sizes, (std::vector<size_t>{0}));  // an empty list still answers once
  int calls = 0;
  Sink<v1::StreamContainersResponse> gone = [&](const v1::StreamContainersResponse&) {
    ++calls;
    return false;
  };
  ASSERT_TRUE(SendInChunks(items, fill, gone).ok());
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace cricket::cri
