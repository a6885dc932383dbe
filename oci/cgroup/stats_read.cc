// Stats readers for v1 and v2 cgroup files, mapped the way runc maps them.
#include "oci/cgroup/stats_read.h"

#include <unistd.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "oci/cgroup/cgroup_fs.h"
#include "oci/cgroup/stats_parse.h"
#include "oci/sys/fs.h"
#include "oci/sys/status.h"

namespace cricket::oci::cgroup {
namespace {

using KeyMap = std::map<std::string, uint64_t>;

// Reads and parses dir/file; absent file → `fallback` (missing controllers
// and kernel-version differences are normal).
template <typename T, typename Fn>
absl::StatusOr<T> ReadOpt(const std::string& dir, const std::string& file, Fn parse,
                          T fallback = T()) {
  if (dir.empty() || !CgroupFileExists(dir, file)) return fallback;
  ASSIGN_OR_RETURN(std::string text, ReadCgroupFile(dir, file));
  absl::StatusOr<T> v = parse(text);
  if (!v.ok()) return sys::Annotate(v.status(), "%s/%s", dir, file);
  return v;
}

absl::StatusOr<uint64_t> Num(const std::string& dir, const std::string& file) {
  return ReadOpt<uint64_t>(dir, file, ParseUint);
}
absl::StatusOr<KeyMap> Keys(const std::string& dir, const std::string& file) {
  return ReadOpt<KeyMap>(dir, file, ParseFlatKeyed);
}

uint64_t Get(const KeyMap& m, const char* key) {
  auto it = m.find(key);
  return it == m.end() ? 0 : it->second;
}

std::string DirOf(const std::map<std::string, std::string>& dirs, const char* c) {
  auto it = dirs.find(c);
  return it == dirs.end() ? std::string() : it->second;
}

// The hugetlb page sizes a dir offers, from its "hugetlb.<size>.<suffix>" files.
std::vector<std::string> HugeSizes(const std::string& dir, const std::string& suffix) {
  std::vector<std::string> sizes;
  absl::StatusOr<std::vector<std::string>> names = sys::ListDir(dir);
  if (dir.empty() || !names.ok()) return sizes;
  for (const auto& n : *names) {
    if (absl::StartsWith(n, "hugetlb.") && absl::EndsWith(n, suffix) && n.size() > 8 + suffix.size()) {
      sizes.push_back(n.substr(8, n.size() - 8 - suffix.size()));
    }
  }
  return sizes;
}

absl::Status CpuV1(const std::string& acct, const std::string& cpu, CpuStats& c) {
  ASSIGN_OR_RETURN(c.usage.total, Num(acct, "cpuacct.usage"));
  ASSIGN_OR_RETURN(c.usage.percpu, ReadOpt<std::vector<uint64_t>>(acct, "cpuacct.usage_percpu",
                                                                  ParseUintList));
  ASSIGN_OR_RETURN(KeyMap st, Keys(acct, "cpuacct.stat"));
  // cpuacct.stat counts USER_HZ ticks; runc reports nanoseconds.
  const uint64_t hz = static_cast<uint64_t>(::sysconf(_SC_CLK_TCK));
  c.usage.user = Get(st, "user") * 1000000000ULL / hz;
  c.usage.kernel = Get(st, "system") * 1000000000ULL / hz;
  ASSIGN_OR_RETURN(KeyMap t, Keys(cpu, "cpu.stat"));
  c.throttling = {Get(t, "nr_periods"), Get(t, "nr_throttled"), Get(t, "throttled_time")};
  return absl::OkStatus();
}

absl::Status MemEntryV1(const std::string& dir, const std::string& prefix, MemoryEntry& e) {
  ASSIGN_OR_RETURN(e.usage, Num(dir, prefix + ".usage_in_bytes"));
  ASSIGN_OR_RETURN(e.max, Num(dir, prefix + ".max_usage_in_bytes"));
  ASSIGN_OR_RETURN(e.limit, Num(dir, prefix + ".limit_in_bytes"));
  ASSIGN_OR_RETURN(e.failcnt, Num(dir, prefix + ".failcnt"));
  return absl::OkStatus();
}

absl::Status MemoryV1(const std::string& dir, Stats& s) {
  MemoryStats& m = s.memory;
  RETURN_IF_ERROR(MemEntryV1(dir, "memory", m.usage));
  RETURN_IF_ERROR(MemEntryV1(dir, "memory.memsw", m.swap));
  RETURN_IF_ERROR(MemEntryV1(dir, "memory.kmem", m.kernel));
  RETURN_IF_ERROR(MemEntryV1(dir, "memory.kmem.tcp", m.kernel_tcp));
  ASSIGN_OR_RETURN(m.raw, Keys(dir, "memory.stat"));
  m.cache = Get(m.raw, "total_cache");
  ASSIGN_OR_RETURN(uint64_t hier, Num(dir, "memory.use_hierarchy"));
  m.use_hierarchy = hier == 1;
  ASSIGN_OR_RETURN(KeyMap oom, Keys(dir, "memory.oom_control"));
  s.oom_kill = Get(oom, "oom_kill");
  return absl::OkStatus();
}

absl::Status BlkioV1(const std::string& dir, BlkioStats& b) {
  // The CFQ/BFQ recursive files are the full picture; without an IO scheduler
  // that provides them, the throttle files are what runc falls back to.
  auto list = [&dir](const char* f) {
    return ReadOpt<std::vector<BlkioEntry>>(dir, f, ParseBlkioV1);
  };
  ASSIGN_OR_RETURN(b.io_service_bytes_recursive, list("blkio.io_service_bytes_recursive"));
  ASSIGN_OR_RETURN(b.io_serviced_recursive, list("blkio.io_serviced_recursive"));
  if (b.io_service_bytes_recursive.empty()) {
    ASSIGN_OR_RETURN(b.io_service_bytes_recursive, list("blkio.throttle.io_service_bytes"));
  }
  if (b.io_serviced_recursive.empty()) {
    ASSIGN_OR_RETURN(b.io_serviced_recursive, list("blkio.throttle.io_serviced"));
  }
  return absl::OkStatus();
}

absl::Status PidsCommon(const std::string& dir, PidsStats& p) {
  ASSIGN_OR_RETURN(p.current, Num(dir, "pids.current"));
  ASSIGN_OR_RETURN(p.limit, Num(dir, "pids.max"));
  if (p.limit == kMaxValue) p.limit = 0;  // runc reports "max" as 0
  return absl::OkStatus();
}

absl::Status HugetlbV1(const std::string& dir, std::map<std::string, HugetlbStats>& out) {
  for (const auto& size : HugeSizes(dir, ".usage_in_bytes")) {
    HugetlbStats h;
    const std::string p = "hugetlb." + size;
    ASSIGN_OR_RETURN(h.usage, Num(dir, p + ".usage_in_bytes"));
    ASSIGN_OR_RETURN(h.max, Num(dir, p + ".max_usage_in_bytes"));
    ASSIGN_OR_RETURN(h.failcnt, Num(dir, p + ".failcnt"));
    out[size] = h;
  }
  return absl::OkStatus();
}

absl::Status MemoryV2(const std::string& dir, Stats& s) {
  MemoryStats& m = s.memory;
  ASSIGN_OR_RETURN(m.raw, Keys(dir, "memory.stat"));
  m.cache = Get(m.raw, "file");
  ASSIGN_OR_RETURN(m.usage.usage, Num(dir, "memory.current"));
  ASSIGN_OR_RETURN(m.usage.limit, Num(dir, "memory.max"));
  ASSIGN_OR_RETURN(m.usage.max, Num(dir, "memory.peak"));
  ASSIGN_OR_RETURN(KeyMap ev, Keys(dir, "memory.events"));
  m.usage.failcnt = Get(ev, "max");
  s.oom_kill = Get(ev, "oom_kill");
  ASSIGN_OR_RETURN(m.swap.usage, Num(dir, "memory.swap.current"));
  ASSIGN_OR_RETURN(m.swap.limit, Num(dir, "memory.swap.max"));
  // v1 reports swap as memory+swap; runc keeps that meaning on v2.
  m.swap.usage += m.usage.usage;
  if (m.swap.limit != kMaxValue && m.usage.limit != kMaxValue) m.swap.limit += m.usage.limit;
  m.use_hierarchy = true;
  return absl::OkStatus();
}

absl::Status CpuV2(const std::string& dir, CpuStats& c) {
  ASSIGN_OR_RETURN(KeyMap t, Keys(dir, "cpu.stat"));
  c.usage.total = Get(t, "usage_usec") * 1000;
  c.usage.user = Get(t, "user_usec") * 1000;
  c.usage.kernel = Get(t, "system_usec") * 1000;
  c.throttling = {Get(t, "nr_periods"), Get(t, "nr_throttled"), Get(t, "throttled_usec") * 1000};
  return absl::OkStatus();
}

absl::Status HugetlbV2(const std::string& dir, std::map<std::string, HugetlbStats>& out) {
  for (const auto& size : HugeSizes(dir, ".current")) {
    HugetlbStats h;
    ASSIGN_OR_RETURN(h.usage, Num(dir, "hugetlb." + size + ".current"));
    ASSIGN_OR_RETURN(KeyMap ev, Keys(dir, "hugetlb." + size + ".events"));
    h.failcnt = Get(ev, "max");
    out[size] = h;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Stats> ReadStatsV1(const std::map<std::string, std::string>& dirs) {
  Stats s;
  RETURN_IF_ERROR(CpuV1(DirOf(dirs, "cpuacct"), DirOf(dirs, "cpu"), s.cpu));
  RETURN_IF_ERROR(MemoryV1(DirOf(dirs, "memory"), s));
  RETURN_IF_ERROR(PidsCommon(DirOf(dirs, "pids"), s.pids));
  RETURN_IF_ERROR(BlkioV1(DirOf(dirs, "blkio"), s.blkio));
  RETURN_IF_ERROR(HugetlbV1(DirOf(dirs, "hugetlb"), s.hugetlb));
  return s;
}

absl::StatusOr<Stats> ReadStatsV2(const std::string& dir) {
  Stats s;
  RETURN_IF_ERROR(CpuV2(dir, s.cpu));
  RETURN_IF_ERROR(MemoryV2(dir, s));
  RETURN_IF_ERROR(PidsCommon(dir, s.pids));
  ASSIGN_OR_RETURN(s.blkio, ReadOpt<BlkioStats>(dir, "io.stat", ParseIoStatV2));
  RETURN_IF_ERROR(HugetlbV2(dir, s.hugetlb));
  return s;
}

}  // namespace cricket::oci::cgroup
