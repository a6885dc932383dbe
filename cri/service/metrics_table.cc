// The metrics table: names and help as cAdvisor and the peers publish them.
// Values are integers (the CRI Metric carries a UInt64): seconds are whole
// seconds, as CRI-O reports them.
#include "cri/service/metrics_table.h"

#include "pod/stats_memory.h"

namespace cricket::cri {
namespace {

using S = pod::ContainerSample;
constexpr uint64_t kNsPerSec = 1'000'000'000;

uint64_t Mem(const S& s, uint64_t pod::MemoryFigures::*field) {
  return pod::ComputeMemory(s.cgroup).*field;
}

}  // namespace

const std::vector<ContainerMetricDef>& ContainerMetricDefs() {
  static const auto* defs = new std::vector<ContainerMetricDef>{
      {"container_cpu_usage_seconds_total", "Cumulative cpu time consumed in seconds.",
       runtime::v1::COUNTER, MetricLabels::kBase,
       [](const S& s) { return s.cgroup.cpu.usage.total / kNsPerSec; }},
      {"container_cpu_user_seconds_total", "Cumulative user cpu time consumed in seconds.",
       runtime::v1::COUNTER, MetricLabels::kBase,
       [](const S& s) { return s.cgroup.cpu.usage.user / kNsPerSec; }},
      {"container_cpu_system_seconds_total", "Cumulative system cpu time consumed in seconds.",
       runtime::v1::COUNTER, MetricLabels::kBase,
       [](const S& s) { return s.cgroup.cpu.usage.kernel / kNsPerSec; }},
      {"container_cpu_cfs_periods_total", "Number of elapsed enforcement period intervals.",
       runtime::v1::COUNTER, MetricLabels::kBase,
       [](const S& s) { return s.cgroup.cpu.throttling.periods; }},
      {"container_cpu_cfs_throttled_periods_total", "Number of throttled period intervals.",
       runtime::v1::COUNTER, MetricLabels::kBase,
       [](const S& s) { return s.cgroup.cpu.throttling.throttled_periods; }},
      {"container_cpu_cfs_throttled_seconds_total",
       "Total time duration the container has been throttled.", runtime::v1::COUNTER,
       MetricLabels::kBase,
       [](const S& s) { return s.cgroup.cpu.throttling.throttled_time / kNsPerSec; }},
      {"container_memory_usage_bytes",
       "Current memory usage in bytes, including all memory regardless of when it was accessed",
       runtime::v1::GAUGE, MetricLabels::kBase,
       [](const S& s) { return Mem(s, &pod::MemoryFigures::usage); }},
      {"container_memory_working_set_bytes", "Current working set in bytes.", runtime::v1::GAUGE,
       MetricLabels::kBase, [](const S& s) { return Mem(s, &pod::MemoryFigures::working_set); }},
      {"container_memory_rss", "Size of RSS in bytes.", runtime::v1::GAUGE, MetricLabels::kBase,
       [](const S& s) { return Mem(s, &pod::MemoryFigures::rss); }},
      {"container_memory_cache", "Number of bytes of page cache memory.", runtime::v1::GAUGE,
       MetricLabels::kBase, [](const S& s) { return Mem(s, &pod::MemoryFigures::cache); }},
      {"container_memory_mapped_file", "Size of memory mapped files in bytes.", runtime::v1::GAUGE,
       MetricLabels::kBase,
       [](const S& s) { return pod::MemStat(s.cgroup, "total_mapped_file", "file_mapped"); }},
      {"container_memory_max_usage_bytes", "Maximum memory usage recorded in bytes",
       runtime::v1::GAUGE, MetricLabels::kBase,
       [](const S& s) { return s.cgroup.memory.usage.max; }},
      {"container_memory_failcnt", "Number of memory usage hits limits", runtime::v1::COUNTER,
       MetricLabels::kBase, [](const S& s) { return s.cgroup.memory.usage.failcnt; }},
      {"container_memory_total_inactive_file_bytes", "Current total inactive file in bytes.",
       runtime::v1::GAUGE, MetricLabels::kBase,
       [](const S& s) { return pod::MemStat(s.cgroup, "total_inactive_file", "inactive_file"); }},
      {"container_memory_total_active_file_bytes", "Current total active file in bytes.",
       runtime::v1::GAUGE, MetricLabels::kBase,
       [](const S& s) { return pod::MemStat(s.cgroup, "total_active_file", "active_file"); }},
      {"container_oom_events_total", "Count of out of memory events observed for the container",
       runtime::v1::COUNTER, MetricLabels::kBase, [](const S& s) { return s.cgroup.oom_kill; }},
      {"container_processes", "Number of processes running inside the container.",
       runtime::v1::GAUGE, MetricLabels::kBase, [](const S& s) { return s.cgroup.pids.current; }},
      {"container_fs_usage_bytes",
       "Number of bytes that are consumed by the container on this filesystem.",
       runtime::v1::GAUGE, MetricLabels::kDevice,
       [](const S& s) { return s.writable_layer ? s.writable_layer->bytes : 0; }},
      {"container_fs_inodes_used", "Number of inodes used by the container on this filesystem.",
       runtime::v1::GAUGE, MetricLabels::kDevice,
       [](const S& s) { return s.writable_layer ? s.writable_layer->inodes : 0; }},
      {"container_start_time_seconds", "Start time of the container since unix epoch in seconds.",
       runtime::v1::GAUGE, MetricLabels::kBase,
       [](const S& s) { return static_cast<uint64_t>(s.container.started_at_ns) / kNsPerSec; }},
  };
  return *defs;
}

const std::vector<NetworkMetricDef>& NetworkMetricDefs() {
  static const auto* defs = new std::vector<NetworkMetricDef>{
      {"container_network_receive_bytes_total", "Cumulative count of bytes received",
       [](const pod::InterfaceStats& i) { return i.rx_bytes; }},
      {"container_network_receive_errors_total",
       "Cumulative count of errors encountered while receiving",
       [](const pod::InterfaceStats& i) { return i.rx_errors; }},
      {"container_network_transmit_bytes_total", "Cumulative count of bytes transmitted",
       [](const pod::InterfaceStats& i) { return i.tx_bytes; }},
      {"container_network_transmit_errors_total",
       "Cumulative count of errors encountered while transmitting",
       [](const pod::InterfaceStats& i) { return i.tx_errors; }},
  };
  return *defs;
}

std::vector<std::string> LabelKeys(MetricLabels l) {
  std::vector<std::string> keys = {"id", "name", "image"};
  if (l == MetricLabels::kInterface) keys.push_back("interface");
  if (l == MetricLabels::kDevice) keys.push_back("device");
  return keys;
}

std::vector<runtime::v1::MetricDescriptor> AllMetricDescriptors() {
  std::vector<runtime::v1::MetricDescriptor> out;
  auto add = [&out](const char* name, const char* help, MetricLabels l) {
    runtime::v1::MetricDescriptor d;
    d.set_name(name);
    d.set_help(help);
    for (const std::string& k : LabelKeys(l)) d.add_label_keys(k);
    out.push_back(std::move(d));
  };
  for (const auto& d : ContainerMetricDefs()) add(d.name, d.help, d.labels);
  for (const auto& d : NetworkMetricDefs()) add(d.name, d.help, MetricLabels::kInterface);
  return out;
}

namespace {

void AddMetric(const char* name, runtime::v1::MetricType type, int64_t ts,
               const std::vector<std::string>& labels, uint64_t value,
               google::protobuf::RepeatedPtrField<runtime::v1::Metric>* out) {
  runtime::v1::Metric* m = out->Add();
  m->set_name(name);
  m->set_timestamp(ts);
  m->set_metric_type(type);
  for (const std::string& l : labels) m->add_label_values(l);
  m->mutable_value()->set_value(value);
}

}  // namespace

void FillPodSandboxMetrics(const pod::PodSample& p, runtime::v1::PodSandboxMetrics* out) {
  out->set_pod_sandbox_id(p.sandbox.id);
  for (const pod::InterfaceStats& i : p.interfaces) {
    std::vector<std::string> labels = {p.sandbox.id, "POD", "", i.name};
    for (const auto& d : NetworkMetricDefs()) {
      AddMetric(d.name, runtime::v1::COUNTER, p.timestamp_ns, labels, d.value(i),
                out->mutable_metrics());
    }
  }
  for (const pod::ContainerSample& s : p.containers) {
    runtime::v1::ContainerMetrics* cm = out->add_container_metrics();
    cm->set_container_id(s.container.id);
    std::vector<std::string> base = {s.container.id, s.container.name, s.container.image};
    for (const auto& d : ContainerMetricDefs()) {
      std::vector<std::string> labels = base;
      if (d.labels == MetricLabels::kDevice) {
        if (!s.writable_layer) continue;
        labels.push_back(s.writable_layer->mountpoint);
      }
      AddMetric(d.name, d.type, s.timestamp_ns, labels, d.value(s), cm->mutable_metrics());
    }
  }
}

}  // namespace cricket::cri
