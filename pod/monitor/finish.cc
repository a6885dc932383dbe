// Supervise, then the exit file (no fsync: pod/runtime_file.h), then attach.
#include "pod/monitor/finish.h"

#include <sys/wait.h>

#include <optional>

#include "oci/sys/log.h"
#include "pod/monitor/protocol/exit_file.h"
#include "pod/monitor/oom_counter.h"
#include "pod/monitor/supervise.h"
#include "pod/monitor/wait_status.h"
#include "pod/monitor/protocol/runtime_file.h"

namespace cricket::pod::monitor {
namespace {

absl::Status WriteExit(const Supervised& s, int status, bool oom_seen) {
  ExitRecord r;
  r.exit_code = ExitCodeOf(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  r.finished_at_ns = RealtimeNs();
  OomEvidence e{.own = oom_seen ? std::optional<uint64_t>(1) : ReadOomKillCount(s.oom_fd),
                 .parent = ReadOomKillCount(s.oom_parent_fd),
                 .parent_base = s.oom_parent_base};
  if (!e.own && !e.parent && s.oom_fd >= 0 && r.exit_code == 137) {
    // Visible rather than silent: the kill may have been an OOM kill.
    sys::LogWarn("the container's OOM counter was gone before its exit was read; reporting Error",
                 {{"id", s.id}});
  }
  bool oom = OomKilledAtExit(e, r.exit_code);
  if (oom && !e.own) {
    sys::LogInfo("OOM kill counted in the pod cgroup (the container's cgroup was removed)",
                 {{"id", s.id}});
  }
  r.reason = ExitReason(r.exit_code, oom);
  return WriteRuntimeFile(s.exit_file, ExitRecordToJson(r), 0644);
}

}  // namespace

int SuperviseToExit(const Supervised& s, Stdio& stdio, LogWriter& log, AttachServer& attach) {
  absl::Status st = BlockSignals();
  OomWatch oom{.fd = s.oom_fd};
  absl::StatusOr<int> status =
      st.ok() ? Supervise(s.init_pid, stdio, log, attach, oom) : absl::StatusOr<int>(st);
  if (!status.ok()) {
    sys::LogError("supervise failed",
                  {{"id", s.id}, {"error", std::string(status.status().message())}});
    return 1;
  }
  st = WriteExit(s, *status, oom.seen);
  if (!st.ok()) {
    sys::LogError("write exit file failed", {{"id", s.id}, {"error", std::string(st.message())}});
    return 1;
  }
  attach.Finish(ExitCodeOf(*status));  // after the exit file: attached Waits see it
  return 0;
}

int SuperviseInherited(const SuperviseArgs& a) {
  Stdio stdio;
  stdio.out.Reset(a.out_fd);
  stdio.err.Reset(a.err_fd);
  LogWriter log(a.log_path, a.log_size_max);
  log.Adopt(sys::UniqueFd(a.log_fd));
  AttachServer attach;
  attach.Adopt(sys::UniqueFd(a.attach_dir_fd), sys::UniqueFd(a.attach_fd));
  attach.SetContainerIo(a.tty ? a.out_fd : -1, sys::UniqueFd(a.stdin_fd), a.stdin, a.stdin_once);
  sys::UniqueFd oom(a.oom_fd), oom_parent(a.oom_parent_fd);
  Supervised s{a.id, a.exit_file, a.init_pid, oom.get(), oom_parent.get(),
               static_cast<uint64_t>(a.oom_parent_base)};
  return SuperviseToExit(s, stdio, log, attach);
}

}  // namespace cricket::pod::monitor
