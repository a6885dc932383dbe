// V1Manager: executes PlanV1Writes across the v1 hierarchies, with the v1
// quirks runc handles (cpuset inheritance, memory/memsw ordering, freezer).
#include "oci/cgroup/v1.h"

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "oci/cgroup/cgroup_fs.h"
#include "oci/cgroup/stats_parse.h"
#include "oci/cgroup/stats_read.h"
#include "oci/sys/fs.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"

namespace cricket::oci::cgroup {
namespace {

// Files the kernel may lack within a mounted controller (no swap accounting,
// kmem removed in newer kernels); runc skips them rather than failing.
bool OptionalFile(const std::string& f) {
  return f.rfind("memory.memsw.", 0) == 0 || f.rfind("memory.kmem.", 0) == 0;
}

bool IsKmem(const std::string& f) { return f.rfind("memory.kmem.", 0) == 0; }

// Kernels since 5.16 keep memory.kmem.*limit_in_bytes but ignore writes to it,
// and newer ones drop the files: runc ignores the setting with a warning. We
// apply it, and warn when the kernel did not (the page-rounded value reads back
// otherwise), so a limit is never silently absent.
void WarnIfKmemNotApplied(const std::string& dir, const std::string& file,
                          const std::string& value, bool exists) {
  int64_t want = 0;
  if (!absl::SimpleAtoi(value, &want) || want <= 0) return;
  const int64_t page = ::sysconf(_SC_PAGESIZE);
  if (exists) {
    absl::StatusOr<std::string> text = ReadCgroupFile(dir, file);
    absl::StatusOr<uint64_t> got =
        text.ok() ? ParseUint(*text) : absl::StatusOr<uint64_t>(text.status());
    if (got.ok() && *got == static_cast<uint64_t>(want / page * page)) return;
  }
  // runc's words (runc 1.1 never applies the limit and always says so).
  sys::LogWarn("Kernel memory settings are ignored and will be removed",
               {{"file", file}, {"limit", value}, {"cgroup", dir}});
}

bool IsEmpty(const absl::StatusOr<std::string>& v) {
  return v.ok() && absl::StripAsciiWhitespace(*v).empty();
}

}  // namespace

V1Manager::V1Manager(V1Layout layout) : layout_(std::move(layout)) {}

std::string V1Manager::Dir(const std::string& controller) const {
  auto it = layout_.dirs.find(controller);
  return it == layout_.dirs.end() ? std::string() : it->second;
}

std::set<std::string> V1Manager::AllDirs() const {
  std::set<std::string> out;
  for (const auto& [c, d] : layout_.dirs) out.insert(d);
  return out;
}

// A new v1 cpuset dir starts with empty cpus/mems and refuses tasks until
// they are set, so each level copies its parent's values (runc's ensureParent).
absl::Status V1Manager::MakeCpusetDir(const std::string& mount, const std::string& dir) {
  std::string cur = mount;
  for (absl::string_view part : absl::StrSplit(dir.substr(mount.size()), '/', absl::SkipEmpty())) {
    std::string parent = cur;
    cur += "/" + std::string(part);
    RETURN_IF_ERROR(sys::MkdirAll(cur));
    for (const char* f : {"cpuset.cpus", "cpuset.mems"}) {
      if (!IsEmpty(ReadCgroupFile(cur, f))) continue;
      ASSIGN_OR_RETURN(std::string v, ReadCgroupFile(parent, f));
      RETURN_IF_ERROR(WriteCgroupFile(cur, f, std::string(absl::StripAsciiWhitespace(v))));
    }
  }
  return absl::OkStatus();
}

absl::Status V1Manager::Create() {
  for (const auto& [controller, dir] : layout_.dirs) {
    absl::Status st = controller == "cpuset" ? MakeCpusetDir(layout_.mounts.at(controller), dir)
                                             : sys::MkdirAll(dir);
    RETURN_IF_ERROR(sys::Annotate(st, "create cgroup %s (%s)", layout_.path, controller));
  }
  if (!layout_.unified_dir.empty()) {
    RETURN_IF_ERROR(sys::Annotate(sys::MkdirAll(layout_.unified_dir), "create cgroup %s (unified)",
                                  layout_.path));
  }
  return absl::OkStatus();
}

absl::Status V1Manager::AddProcess(pid_t pid) {
  std::set<std::string> dirs = AllDirs();
  if (!layout_.unified_dir.empty()) dirs.insert(layout_.unified_dir);
  for (const auto& dir : dirs) {
    RETURN_IF_ERROR(sys::Annotate(WriteCgroupFile(dir, "cgroup.procs", absl::StrCat(pid)),
                                  "add pid %d to cgroup", pid));
  }
  return absl::OkStatus();
}

std::vector<std::string> V1Manager::SelfJoinDirs() const {
  if (!layout_.unified_dir.empty()) return {};
  std::set<std::string> dirs = AllDirs();
  return {dirs.begin(), dirs.end()};
}

absl::Status V1Manager::Write(const std::string& file, const std::string& value) {
  const std::string controller = ControllerOfFile(file);
  const std::string dir = Dir(controller);
  if (dir.empty()) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "cannot set %s for cgroup %s: the %s controller is not mounted", file, layout_.path,
        controller));
  }
  if (OptionalFile(file) && !CgroupFileExists(dir, file)) {
    if (IsKmem(file)) WarnIfKmemNotApplied(dir, file, value, false);
    return absl::OkStatus();
  }
  RETURN_IF_ERROR(WriteCgroupFile(dir, file, value));
  if (IsKmem(file)) WarnIfKmemNotApplied(dir, file, value, true);
  return absl::OkStatus();
}

// memory.limit_in_bytes must stay <= memory.memsw.limit_in_bytes after each
// write, so when raising both the memsw write has to go first. Try runc's order
// (limit first); on EINVAL write memsw and retry.
absl::Status V1Manager::WriteMemoryLimits(const Plan& plan, size_t& i) {
  const bool next_is_memsw = i + 1 < plan.size() && plan[i + 1].first == "memory.memsw.limit_in_bytes";
  absl::Status st = Write(plan[i].first, plan[i].second);
  if (st.ok() || !next_is_memsw || !absl::IsInvalidArgument(st)) return st;
  RETURN_IF_ERROR(Write(plan[i + 1].first, plan[i + 1].second));
  RETURN_IF_ERROR(Write(plan[i].first, plan[i].second));
  ++i;
  return absl::OkStatus();
}

absl::Status V1Manager::CheckBeforeUpdate(const Resources& r) {
  if (!r.memory || !r.memory->check_before_update.value_or(false) || !r.memory->limit) {
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(std::string text, ReadCgroupFile(Dir("memory"), "memory.usage_in_bytes"));
  ASSIGN_OR_RETURN(uint64_t usage, ParseUint(text));
  if (*r.memory->limit > 0 && static_cast<uint64_t>(*r.memory->limit) < usage) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "memory limit %d is below the current usage %d of cgroup %s", *r.memory->limit, usage,
        layout_.path));
  }
  return absl::OkStatus();
}

absl::Status V1Manager::Set(const Resources& r) {
  ASSIGN_OR_RETURN(Plan plan, PlanV1Writes(r));
  RETURN_IF_ERROR(CheckBeforeUpdate(r));
  for (size_t i = 0; i < plan.size(); ++i) {
    absl::Status st = plan[i].first == "memory.limit_in_bytes" ? WriteMemoryLimits(plan, i)
                                                              : Write(plan[i].first, plan[i].second);
    RETURN_IF_ERROR(sys::Annotate(st, "set cgroup %s", layout_.path));
  }
  return absl::OkStatus();
}

// Writes the state and waits until the kernel reports it: FREEZING can linger
// while tasks are in uninterruptible sleep, so re-request periodically (runc).
absl::Status V1Manager::SetFreezer(const std::string& state) {
  const std::string dir = Dir("freezer");
  if (dir.empty()) {
    return absl::FailedPreconditionError("freezer controller is not mounted for " + layout_.path);
  }
  for (int i = 0; i < 1000; ++i) {
    if (i % 25 == 0) RETURN_IF_ERROR(WriteCgroupFile(dir, "freezer.state", state));
    ASSIGN_OR_RETURN(std::string now, ReadCgroupFile(dir, "freezer.state"));
    if (absl::StripAsciiWhitespace(now) == state) return absl::OkStatus();
    std::this_thread::sleep_for(std::chrono::milliseconds(i < 10 ? 1 : 5));
  }
  if (state == "FROZEN") (void)WriteCgroupFile(dir, "freezer.state", "THAWED");
  return absl::DeadlineExceededError(
      absl::StrFormat("cgroup %s did not reach %s", layout_.path, state));
}

absl::Status V1Manager::Freeze() { return SetFreezer("FROZEN"); }
absl::Status V1Manager::Thaw() { return SetFreezer("THAWED"); }

absl::StatusOr<Stats> V1Manager::GetStats() {
  absl::StatusOr<Stats> s = ReadStatsV1(layout_.dirs);
  return s.ok() ? s : sys::Annotate(s.status(), "stats of cgroup %s", layout_.path);
}

absl::StatusOr<std::vector<pid_t>> V1Manager::Pids() {
  // Every task is in every hierarchy; pids (or freezer) is the one runc reads.
  for (const char* c : {"pids", "freezer", "memory", "cpu"}) {
    if (!Dir(c).empty()) return PidsUnder(Dir(c));
  }
  if (layout_.dirs.empty()) return absl::FailedPreconditionError("no cgroup v1 hierarchy mounted");
  return PidsUnder(layout_.dirs.begin()->second);
}

absl::Status V1Manager::KillAll(int sig) {
  // Freeze first so no task can fork between listing and signalling.
  const bool freeze = !Dir("freezer").empty();
  if (freeze) RETURN_IF_ERROR(Freeze());
  absl::StatusOr<std::vector<pid_t>> pids = Pids();
  absl::Status st = pids.ok() ? SignalPids(*pids, sig) : pids.status();
  if (freeze) {
    absl::Status thaw = Thaw();
    if (st.ok()) st = thaw;
  }
  return sys::Annotate(st, "kill tasks of cgroup %s", layout_.path);
}

absl::Status V1Manager::Destroy() {
  absl::StatusOr<std::vector<pid_t>> pids = Pids();
  if (pids.ok() && !pids->empty()) {
    RETURN_IF_ERROR(KillAll(SIGKILL));
    RETURN_IF_ERROR(WaitEmpty(Dir("pids").empty() ? *AllDirs().begin() : Dir("pids")));
  }
  absl::Status result;
  std::set<std::string> dirs = AllDirs();
  if (!layout_.unified_dir.empty()) dirs.insert(layout_.unified_dir);
  for (const auto& dir : dirs) {
    absl::Status st = RemoveCgroupTree(dir);
    if (result.ok()) result = st;  // keep going: remove as much as possible
  }
  return sys::Annotate(result, "destroy cgroup %s", layout_.path);
}

bool V1Manager::OomKilled() {
  return ReadKeyedValue(Dir("memory"), "memory.oom_control", "oom_kill") > 0;
}

}  // namespace cricket::oci::cgroup
