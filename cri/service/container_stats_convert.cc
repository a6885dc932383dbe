// The memory rule (working set = usage - inactive file) lives in
// pod/stats_memory; here only the mapping onto CRI messages.
#include "cri/service/container_stats_convert.h"

#include "pod/stats_memory.h"

namespace cricket::cri {

void FillCpu(const oci::cgroup::Stats& s, std::optional<uint64_t> nano_cores, int64_t now_ns,
             runtime::v1::CpuUsage* out) {
  out->set_timestamp(now_ns);
  out->mutable_usage_core_nano_seconds()->set_value(s.cpu.usage.total);
  // Unset on a first sample: the kubelet then derives the rate from its own cache.
  if (nano_cores) out->mutable_usage_nano_cores()->set_value(*nano_cores);
}

void FillMemory(const oci::cgroup::Stats& s, int64_t now_ns, runtime::v1::MemoryUsage* out) {
  pod::MemoryFigures m = pod::ComputeMemory(s);
  out->set_timestamp(now_ns);
  out->mutable_usage_bytes()->set_value(m.usage);
  out->mutable_working_set_bytes()->set_value(m.working_set);
  out->mutable_rss_bytes()->set_value(m.rss);
  out->mutable_page_faults()->set_value(m.page_faults);
  out->mutable_major_page_faults()->set_value(m.major_page_faults);
  if (m.available) out->mutable_available_bytes()->set_value(*m.available);
}

void FillContainerStats(const pod::ContainerSample& s, runtime::v1::ContainerStats* out) {
  const pod::Container& c = s.container;
  auto* a = out->mutable_attributes();
  a->set_id(c.id);
  *a->mutable_metadata() = c.config.metadata();
  a->mutable_labels()->insert(c.labels.begin(), c.labels.end());
  a->mutable_annotations()->insert(c.annotations.begin(), c.annotations.end());
  FillCpu(s.cgroup, s.nano_cores, s.timestamp_ns, out->mutable_cpu());
  FillMemory(s.cgroup, s.timestamp_ns, out->mutable_memory());
  if (s.writable_layer) {
    auto* w = out->mutable_writable_layer();
    w->set_timestamp(s.writable_layer->timestamp_ns);
    w->mutable_fs_id()->set_mountpoint(s.writable_layer->mountpoint);
    w->mutable_used_bytes()->set_value(s.writable_layer->bytes);
    w->mutable_inodes_used()->set_value(s.writable_layer->inodes);
  }
}

void FillPodSandboxStats(const pod::PodSample& p, runtime::v1::PodSandboxStats* out) {
  const pod::Sandbox& sb = p.sandbox;
  auto* a = out->mutable_attributes();
  a->set_id(sb.id);
  *a->mutable_metadata() = sb.config.metadata();
  a->mutable_labels()->insert(sb.config.labels().begin(), sb.config.labels().end());
  a->mutable_annotations()->insert(sb.config.annotations().begin(), sb.config.annotations().end());
  auto* l = out->mutable_linux();
  FillCpu(p.cgroup, p.nano_cores, p.timestamp_ns, l->mutable_cpu());
  FillMemory(p.cgroup, p.timestamp_ns, l->mutable_memory());
  if (p.has_network) {
    auto* n = l->mutable_network();
    n->set_timestamp(p.timestamp_ns);
    for (const pod::InterfaceStats& i : p.interfaces) {
      auto* u = n->add_interfaces();
      u->set_name(i.name);
      u->mutable_rx_bytes()->set_value(i.rx_bytes);
      u->mutable_rx_errors()->set_value(i.rx_errors);
      u->mutable_tx_bytes()->set_value(i.tx_bytes);
      u->mutable_tx_errors()->set_value(i.tx_errors);
      // The kubelet's default interface is eth0, as CNI names the pod's end.
      if (i.name == "eth0") *n->mutable_default_interface() = *u;
    }
  }
  l->mutable_process()->set_timestamp(p.timestamp_ns);
  l->mutable_process()->mutable_process_count()->set_value(p.cgroup.pids.current);
  for (const pod::ContainerSample& c : p.containers) FillContainerStats(c, l->add_containers());
}

}  // namespace cricket::cri
