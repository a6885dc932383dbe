// Container cgroup statistics as `runc events --stats` reports them, and the
// runc-compatible JSON ("data" object of a stats event).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace cricket::oci::cgroup {

struct Throttling {
  uint64_t periods = 0;
  uint64_t throttled_periods = 0;
  uint64_t throttled_time = 0;  // ns
};

struct CpuUsage {
  uint64_t total = 0;  // ns
  std::vector<uint64_t> percpu;
  std::vector<uint64_t> percpu_kernel;
  std::vector<uint64_t> percpu_user;
  uint64_t kernel = 0;  // ns
  uint64_t user = 0;    // ns
};

struct CpuStats {
  CpuUsage usage;
  Throttling throttling;
};

// runc's MemoryEntry.
struct MemoryEntry {
  uint64_t limit = 0;
  uint64_t usage = 0;
  uint64_t max = 0;  // max_usage
  uint64_t failcnt = 0;
};

struct MemoryStats {
  uint64_t cache = 0;
  MemoryEntry usage;
  MemoryEntry swap;
  MemoryEntry kernel;
  MemoryEntry kernel_tcp;
  // memory.stat verbatim: working set = usage - total_inactive_file (v1) /
  // usage - inactive_file (v2), computed by consumers from these.
  std::map<std::string, uint64_t> raw;
  bool use_hierarchy = false;
};

struct PidsStats {
  uint64_t current = 0;
  uint64_t limit = 0;  // 0 = unlimited ("max")
};

// runc's BlkioStatEntry: one line of a blkio / io.stat file.
struct BlkioEntry {
  uint64_t major = 0;
  uint64_t minor = 0;
  std::string op;  // "Read", "Write", "Sync", "Async", "Discard", "Total"
  uint64_t value = 0;
};

struct BlkioStats {
  std::vector<BlkioEntry> io_service_bytes_recursive;
  std::vector<BlkioEntry> io_serviced_recursive;
};

struct HugetlbStats {
  uint64_t usage = 0;
  uint64_t max = 0;
  uint64_t failcnt = 0;
};

struct Stats {
  CpuStats cpu;
  MemoryStats memory;
  PidsStats pids;
  BlkioStats blkio;
  std::map<std::string, HugetlbStats> hugetlb;  // key: page size "2MB"
  uint64_t oom_kill = 0;  // memory.events oom_kill (v2) / memory.oom_control (v1)
};

// runc's types.Stats JSON: {"cpu":{"usage":{"total":..,"percpu":[..],"kernel":..,
// "user":..},"throttling":{..}},"memory":{..,"raw":{..}},"pids":{..},"blkio":{..},
// "hugetlb":{..}}.
nlohmann::json StatsToJson(const Stats& s);

}  // namespace cricket::oci::cgroup
