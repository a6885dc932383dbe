// Flag parsing for cricket-monitor (no flag library: the monitor stays tiny).
#include "pod/monitor/args.h"

#include <algorithm>
#include <cstdlib>
#include <map>

#include "absl/strings/str_cat.h"

namespace cricket::pod::monitor {
namespace {

using Flags = std::map<std::string, std::string>;

// The one flag given once per value.
constexpr char kRuntimeOption[] = "--runtime-option=";

// Collects --k=v / --k up to "--"; returns the index after "--" (or argc).
absl::StatusOr<int> CollectFlags(int argc, char** argv, Flags* flags,
                                 std::vector<std::string>* runtime_options) {
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--") return i + 1;
    if (a.rfind(kRuntimeOption, 0) == 0) {
      runtime_options->push_back(a.substr(sizeof(kRuntimeOption) - 1));
      continue;
    }
    if (a.rfind("--", 0) != 0) return absl::InvalidArgumentError(absl::StrCat("unexpected argument ", a));
    size_t eq = a.find('=');
    if (eq == std::string::npos) {
      (*flags)[a.substr(2)] = "true";
    } else {
      (*flags)[a.substr(2, eq - 2)] = a.substr(eq + 1);
    }
  }
  return argc;
}

std::string Take(Flags& f, const std::string& k) {
  auto it = f.find(k);
  if (it == f.end()) return "";
  std::string v = it->second;
  f.erase(it);
  return v;
}

int FdFlag(Flags& f, const std::string& k) {
  std::string v = Take(f, k);
  return v.empty() ? -1 : std::atoi(v.c_str());
}

// --log-size-max: bytes; absent or not a number = no cap.
int64_t SizeFlag(Flags& f, const std::string& k) {
  std::string v = Take(f, k);
  return v.empty() ? -1 : std::strtoll(v.c_str(), nullptr, 10);
}

absl::Status Leftovers(const Flags& f) {
  if (f.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("unknown flag --", f.begin()->first));
}

absl::StatusOr<RunArgs> ParseRun(Flags f) {
  RunArgs r;
  r.id = Take(f, "id");
  r.bundle = Take(f, "bundle");
  r.oci_root = Take(f, "root");
  r.log_path = Take(f, "log");
  r.exit_file = Take(f, "exit-file");
  r.pid_file = Take(f, "pid-file");
  r.attach_dir = Take(f, "attach-dir");
  r.sync_fd = FdFlag(f, "sync-fd");
  r.go_fd = FdFlag(f, "go-fd");
  r.tty = Take(f, "tty") == "true";
  r.stdin = Take(f, "stdin") == "true";
  r.stdin_once = Take(f, "stdin-once") == "true";
  r.systemd_cgroup = Take(f, "systemd-cgroup") == "true";
  r.runtime = Take(f, "runtime");
  r.log_size_max = SizeFlag(f, "log-size-max");
  if (absl::Status st = Leftovers(f); !st.ok()) return st;
  if (r.id.empty() || r.bundle.empty() || r.oci_root.empty() || r.exit_file.empty()) {
    return absl::InvalidArgumentError("run needs --id, --bundle, --root and --exit-file");
  }
  return r;
}

absl::StatusOr<ExecArgs> ParseExec(Flags f, std::vector<std::string> cmd) {
  ExecArgs e;
  e.id = Take(f, "id");
  e.oci_root = Take(f, "root");
  e.systemd_cgroup = Take(f, "systemd-cgroup") == "true";
  std::string t = Take(f, "timeout-ms");
  e.timeout_ms = t.empty() ? 0 : std::atol(t.c_str());
  std::string m = Take(f, "max-output");
  if (!m.empty()) e.max_output = std::strtoull(m.c_str(), nullptr, 10);
  e.stream = Take(f, "stream") == "true";
  e.tty = Take(f, "tty") == "true";
  e.control_fd = FdFlag(f, "control-fd");
  e.console_fd = FdFlag(f, "console-fd");
  e.console_width = std::max(0, FdFlag(f, "console-width"));
  e.console_height = std::max(0, FdFlag(f, "console-height"));
  e.stdio_fds[0] = FdFlag(f, "stdin-fd");
  e.stdio_fds[1] = FdFlag(f, "stdout-fd");
  e.stdio_fds[2] = FdFlag(f, "stderr-fd");
  e.runtime = Take(f, "runtime");
  if (absl::Status st = Leftovers(f); !st.ok()) return st;
  if (e.stream && e.control_fd < 0) {
    return absl::InvalidArgumentError("exec --stream needs --control-fd");
  }
  e.cmd = std::move(cmd);
  if (e.id.empty() || e.oci_root.empty() || e.cmd.empty()) {
    return absl::InvalidArgumentError("exec needs --id, --root and a command after --");
  }
  return e;
}

absl::StatusOr<SuperviseArgs> ParseSupervise(Flags f) {
  SuperviseArgs s;
  s.id = Take(f, "id");
  s.exit_file = Take(f, "exit-file");
  s.log_path = Take(f, "log");
  s.init_pid = static_cast<pid_t>(FdFlag(f, "init-pid"));
  s.log_fd = FdFlag(f, "log-fd");
  s.out_fd = FdFlag(f, "out-fd");
  s.err_fd = FdFlag(f, "err-fd");
  s.attach_dir_fd = FdFlag(f, "attach-dir-fd");
  s.attach_fd = FdFlag(f, "attach-fd");
  s.stdin_fd = FdFlag(f, "stdin-fd");
  s.oom_fd = FdFlag(f, "oom-fd");
  s.oom_parent_fd = FdFlag(f, "oom-parent-fd");
  s.oom_parent_base = std::max<int64_t>(0, SizeFlag(f, "oom-parent-base"));
  s.tty = Take(f, "tty") == "true";
  s.stdin = Take(f, "stdin") == "true";
  s.stdin_once = Take(f, "stdin-once") == "true";
  s.log_size_max = SizeFlag(f, "log-size-max");
  if (absl::Status st = Leftovers(f); !st.ok()) return st;
  if (s.id.empty() || s.exit_file.empty() || s.init_pid <= 0 || s.out_fd < 0) {
    return absl::InvalidArgumentError("supervise needs --id, --exit-file, --init-pid and --out-fd");
  }
  return s;
}

}  // namespace

absl::StatusOr<Args> ParseArgs(int argc, char** argv) {
  if (argc < 2) return absl::InvalidArgumentError("usage: cricket-monitor run|exec --flags");
  std::string mode = argv[1];
  Flags flags;
  std::vector<std::string> runtime_options;
  absl::StatusOr<int> rest = CollectFlags(argc, argv, &flags, &runtime_options);
  if (!rest.ok()) return rest.status();
  if (!runtime_options.empty() && mode == "supervise") {
    return absl::InvalidArgumentError("supervise takes no --runtime-option");
  }
  Args a;
  if (mode == "run") {
    absl::StatusOr<RunArgs> r = ParseRun(std::move(flags));
    if (!r.ok()) return r.status();
    a.run = std::move(*r);
    a.run.runtime_options = std::move(runtime_options);
    return a;
  }
  if (mode == "exec") {
    std::vector<std::string> cmd(argv + *rest, argv + argc);
    absl::StatusOr<ExecArgs> e = ParseExec(std::move(flags), std::move(cmd));
    if (!e.ok()) return e.status();
    a.mode = Args::Mode::kExec;
    a.exec = std::move(*e);
    a.exec.runtime_options = std::move(runtime_options);
    return a;
  }
  if (mode == "supervise") {
    absl::StatusOr<SuperviseArgs> s = ParseSupervise(std::move(flags));
    if (!s.ok()) return s.status();
    a.mode = Args::Mode::kSupervise;
    a.supervise = std::move(*s);
    return a;
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown mode ", mode));
}

}  // namespace cricket::pod::monitor
