// V2Manager: executes PlanV2Writes in the unified hierarchy; devices via eBPF,
// freezing via cgroup.freeze, killing via cgroup.kill where the kernel has it.
#include "oci/cgroup/v2.h"

#include <chrono>
#include <csignal>
#include <thread>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "oci/cgroup/bpf_devices.h"
#include "oci/cgroup/cgroup_fs.h"
#include "oci/cgroup/plan.h"
#include "oci/cgroup/stats_parse.h"
#include "oci/cgroup/stats_read.h"
#include "oci/sys/fs.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"

namespace cricket::oci::cgroup {

V2Manager::V2Manager(V2Layout layout)
    : layout_(std::move(layout)), dir_(layout_.root + CleanPath(layout_.path)) {
  if (dir_.size() > 1 && dir_.back() == '/') dir_.pop_back();
}

// Makes every controller the parent offers available to its children. Written
// in one go; if the kernel refuses the set (e.g. a controller busy in a
// threaded subtree), fall back to one at a time and skip the refused ones (runc).
absl::Status V2Manager::EnableControllers(const std::string& parent) {
  ASSIGN_OR_RETURN(std::string avail, ReadCgroupFile(parent, "cgroup.controllers"));
  std::vector<std::string> plus;
  for (absl::string_view c : absl::StrSplit(avail, absl::ByAnyChar(" \n"), absl::SkipEmpty())) {
    plus.push_back(absl::StrCat("+", c));
  }
  if (plus.empty()) return absl::OkStatus();
  if (WriteCgroupFile(parent, "cgroup.subtree_control", absl::StrJoin(plus, " ")).ok()) {
    return absl::OkStatus();
  }
  for (const auto& p : plus) (void)WriteCgroupFile(parent, "cgroup.subtree_control", p);
  return absl::OkStatus();
}

absl::Status V2Manager::Create() {
  std::string cur = layout_.root;
  for (absl::string_view part :
       absl::StrSplit(CleanPath(layout_.path), '/', absl::SkipEmpty())) {
    RETURN_IF_ERROR(sys::Annotate(EnableControllers(cur), "create cgroup %s", layout_.path));
    cur += "/" + std::string(part);
    RETURN_IF_ERROR(sys::Annotate(sys::MkdirAll(cur), "create cgroup %s", layout_.path));
  }
  return absl::OkStatus();
}

absl::Status V2Manager::AddProcess(pid_t pid) {
  return sys::Annotate(WriteCgroupFile(dir_, "cgroup.procs", absl::StrCat(pid)),
                       "add pid %d to cgroup %s", pid, layout_.path);
}

absl::Status V2Manager::Set(const Resources& r) {
  ASSIGN_OR_RETURN(Plan plan, PlanV2Writes(r));
  if (r.memory && (r.memory->kernel.value_or(0) != 0 || r.memory->kernel_tcp.value_or(0) != 0)) {
    // No v2 file holds them (kernel memory is charged to memory.max): say so, as runc does.
    sys::LogWarn("kernel memory settings are ignored on cgroup v2", {{"cgroup", layout_.path}});
  }
  for (const auto& [file, value] : plan) {
    RETURN_IF_ERROR(sys::Annotate(WriteCgroupFile(dir_, file, value), "set cgroup %s",
                                  layout_.path));
  }
  if (!r.devices.empty() && layout_.device_bpf) {
    ASSIGN_OR_RETURN(std::vector<bpf_insn> prog, DeviceFilterProgram(r.devices));
    RETURN_IF_ERROR(sys::Annotate(AttachDeviceFilter(dir_, prog), "set devices of cgroup %s",
                                  layout_.path));
  }
  return absl::OkStatus();
}

absl::Status V2Manager::SetFrozen(bool frozen) {
  RETURN_IF_ERROR(WriteCgroupFile(dir_, "cgroup.freeze", frozen ? "1" : "0"));
  // The write returns before all tasks stop; cgroup.events says when they have.
  for (int i = 0; i < 1000; ++i) {
    ASSIGN_OR_RETURN(std::string text, ReadCgroupFile(dir_, "cgroup.events"));
    ASSIGN_OR_RETURN(auto ev, ParseFlatKeyed(text));
    if ((ev["frozen"] == 1) == frozen) return absl::OkStatus();
    std::this_thread::sleep_for(std::chrono::milliseconds(i < 10 ? 1 : 5));
  }
  if (frozen) (void)WriteCgroupFile(dir_, "cgroup.freeze", "0");
  return absl::DeadlineExceededError(absl::StrFormat("cgroup %s did not %s", layout_.path,
                                                     frozen ? "freeze" : "thaw"));
}

absl::Status V2Manager::Freeze() { return SetFrozen(true); }
absl::Status V2Manager::Thaw() { return SetFrozen(false); }

absl::StatusOr<Stats> V2Manager::GetStats() {
  absl::StatusOr<Stats> s = ReadStatsV2(dir_);
  return s.ok() ? s : sys::Annotate(s.status(), "stats of cgroup %s", layout_.path);
}

absl::StatusOr<std::vector<pid_t>> V2Manager::Pids() { return PidsUnder(dir_); }

absl::Status V2Manager::KillAll(int sig) {
  // cgroup.kill (Linux 5.14) kills the whole subtree atomically, forks included.
  if (sig == SIGKILL && CgroupFileExists(dir_, "cgroup.kill")) {
    return sys::Annotate(WriteCgroupFile(dir_, "cgroup.kill", "1"), "kill cgroup %s",
                         layout_.path);
  }
  RETURN_IF_ERROR(Freeze());
  absl::StatusOr<std::vector<pid_t>> pids = Pids();
  absl::Status st = pids.ok() ? SignalPids(*pids, sig) : pids.status();
  absl::Status thaw = Thaw();
  return sys::Annotate(st.ok() ? thaw : st, "kill tasks of cgroup %s", layout_.path);
}

absl::Status V2Manager::Destroy() {
  absl::StatusOr<std::vector<pid_t>> pids = Pids();
  if (pids.ok() && !pids->empty()) {
    RETURN_IF_ERROR(KillAll(SIGKILL));
    RETURN_IF_ERROR(WaitEmpty(dir_));
  }
  return sys::Annotate(RemoveCgroupTree(dir_), "destroy cgroup %s", layout_.path);
}

bool V2Manager::OomKilled() { return ReadKeyedValue(dir_, "memory.events", "oom_kill") > 0; }

}  // namespace cricket::oci::cgroup
