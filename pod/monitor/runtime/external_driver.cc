// Runs the external runtime's verbs. create and exec hand the runtime the
// caller's stdio, which its init (or process) inherits, so the runtime's own
// errors go to a --log file instead; the other verbs' stderr is captured.
#include "pod/monitor/runtime/external_driver.h"

#include <sys/prctl.h>

#include <cerrno>
#include <cstdlib>
#include <optional>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "oci/cgroup/manager.h"
#include "oci/spec.h"
#include "oci/spec_json.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/child_process.h"
#include "oci/sys/fs.h"
#include "oci/sys/status.h"
#include "oci/sys/temp_dir.h"
#include "pod/monitor/runtime/console_relay.h"
#include "pod/monitor/runtime/external_argv.h"

namespace cricket::pod::driver {
namespace {

constexpr auto kVerbTimeout = std::chrono::minutes(2);

struct Handoff {
  std::vector<std::string> args;  // after the verb
  int stdio[3] = {-1, -1, -1};
  std::string log_file;
  int console_to = -1;  // where the pty master goes; -1 = no terminal
};

class ExternalDriver : public RuntimeDriver {
 public:
  explicit ExternalDriver(DriverConfig c) : c_(std::move(c)) {}

  absl::StatusOr<pid_t> Create(const std::string& id, const std::string& bundle,
                               const CreateIo& io) override {
    Handoff h;
    std::string pid_file = bundle + "/init.pid";
    h.args = {"--bundle=" + bundle, "--pid-file=" + pid_file};
    h.stdio[0] = io.stdin_fd;
    h.stdio[1] = io.stdout_fd;
    h.stdio[2] = io.stderr_fd;
    h.log_file = bundle + "/runtime.log";
    h.console_to = io.console_socket_fd;
    RETURN_IF_ERROR(RunHandingOff("create", id, h));
    return ReadPid(pid_file);
  }

  absl::Status Start(const std::string& id) override { return Run("start", id, {id}); }

  absl::Status Kill(const std::string& id, int signal, bool all) override {
    std::vector<std::string> args;
    if (all) args.push_back("--all");
    args.push_back(id);
    args.push_back(std::to_string(signal));
    return Run("kill", id, args);
  }

  absl::Status Delete(const std::string& id, bool force) override {
    // runc and crun keep <root>/<id>; without it there is nothing to delete.
    if (!sys::PathExists(c_.root + "/" + id)) {
      return absl::NotFoundError(absl::StrCat("container ", id, " does not exist in ", c_.root));
    }
    std::vector<std::string> args;
    if (force) args.push_back("--force");
    args.push_back(id);
    return Run("delete", id, args);
  }

  absl::StatusOr<pid_t> Exec(const std::string& id, const oci::ExecOptions& opts) override {
    // The runtime detaches the process and exits: it comes to us as our child.
    if (::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
      return sys::ErrnoStatus(errno, "become child subreaper for exec in %s", id);
    }
    ASSIGN_OR_RETURN(std::string config, ConfigJson(id));
    ASSIGN_OR_RETURN(std::string process, ExecProcessJson(config, opts));
    ASSIGN_OR_RETURN(sys::TempDir tmp, sys::TempDir::Make("cricket-exec-"));
    RETURN_IF_ERROR(sys::WriteFileAtomic(tmp.Sub("process.json"), process));
    Handoff h;
    h.args = {"--detach", "--pid-file=" + tmp.Sub("pid"), "--process=" + tmp.Sub("process.json")};
    h.stdio[0] = opts.stdin_fd;
    h.stdio[1] = opts.stdout_fd;
    h.stdio[2] = opts.stderr_fd;
    h.log_file = tmp.Sub("runtime.log");
    h.console_to = opts.tty ? opts.console_socket_fd : -1;
    RETURN_IF_ERROR(RunHandingOff("exec", id, h));
    return ReadPid(tmp.Sub("pid"));
  }

  absl::Status Update(const std::string& id, const oci::cgroup::Resources& r) override {
    ASSIGN_OR_RETURN(sys::TempDir tmp, sys::TempDir::Make("cricket-update-"));
    RETURN_IF_ERROR(sys::WriteFileAtomic(tmp.Sub("resources.json"), oci::ResourcesToJson(r).dump()));
    return Run("update", id, {"--resources=" + tmp.Sub("resources.json"), id});
  }

  absl::StatusOr<std::string> Status(const std::string& id) override {
    ASSIGN_OR_RETURN(nlohmann::json state, State(id));
    return state.value("status", "");
  }

  absl::StatusOr<oci::cgroup::Stats> Stats(const std::string& id) override {
    ASSIGN_OR_RETURN(std::string text, ConfigJson(id));
    nlohmann::json spec = nlohmann::json::parse(text, nullptr, false);
    oci::cgroup::ManagerOptions o;
    o.container_id = id;
    o.systemd = c_.systemd_cgroup;
    if (spec.is_object() && spec.contains("linux") && spec["linux"].is_object()) {
      o.cgroups_path = spec["linux"].value("cgroupsPath", "");
    }
    ASSIGN_OR_RETURN(std::unique_ptr<oci::cgroup::Manager> m, oci::cgroup::NewManager(o));
    return m->GetStats();
  }

 private:
  // A verb whose stdio is ours: stderr is captured for the error.
  absl::Status Run(const std::string& verb, const std::string& id,
                   const std::vector<std::string>& args) {
    sys::SpawnOptions so;
    so.argv = ExternalArgv(c_, verb, args);
    ASSIGN_OR_RETURN(sys::CommandResult r, sys::RunCommand(so, "", kVerbTimeout));
    if (r.exit.exited() && r.exit.code() == 0) return absl::OkStatus();
    return ExternalError(c_, verb, id, r.exit.code(), LastErrorMessage(r.err + "\n" + r.out));
  }

  // create / exec: the runtime's stdio becomes the container's.
  absl::Status RunHandingOff(const std::string& verb, const std::string& id, const Handoff& h) {
    std::optional<ConsoleRelay> relay;
    std::vector<std::string> args = h.args;
    if (h.console_to >= 0) {
      ASSIGN_OR_RETURN(relay, ConsoleRelay::Listen());
      args.push_back("--console-socket=" + relay->path());
    }
    args.push_back(id);
    sys::SpawnOptions so;
    so.argv = ExternalArgv(c_, verb, args, h.log_file);
    so.stdin_fd = h.stdio[0];
    so.stdout_fd = h.stdio[1];
    so.stderr_fd = h.stdio[2];
    ASSIGN_OR_RETURN(sys::ChildProcess child, sys::ChildProcess::Spawn(so));
    ASSIGN_OR_RETURN(sys::ExitInfo exit, child.WaitFor(kVerbTimeout));
    if (!exit.exited() || exit.code() != 0) {
      std::string log = sys::ReadFile(h.log_file).value_or("");
      return ExternalError(c_, verb, id, exit.code(), LastErrorMessage(log));
    }
    if (relay) RETURN_IF_ERROR(relay->Forward(h.console_to));
    return absl::OkStatus();
  }

  absl::StatusOr<pid_t> ReadPid(const std::string& pid_file) {
    ASSIGN_OR_RETURN(std::string text, sys::ReadFile(pid_file));
    pid_t pid = static_cast<pid_t>(std::atoi(text.c_str()));
    if (pid <= 0) return absl::InternalError(absl::StrCat("no pid in ", pid_file, ": ", text));
    return pid;
  }

  // `<rt> state <id>`: the runtime-spec state object.
  absl::StatusOr<nlohmann::json> State(const std::string& id) {
    sys::SpawnOptions so;
    so.argv = ExternalArgv(c_, "state", {id});
    ASSIGN_OR_RETURN(sys::CommandResult r, sys::RunCommand(so, "", kVerbTimeout));
    if (!r.exit.exited() || r.exit.code() != 0) {
      return ExternalError(c_, "state", id, r.exit.code(), LastErrorMessage(r.err));
    }
    nlohmann::json state = nlohmann::json::parse(r.out, nullptr, false);
    if (!state.is_object()) {
      return absl::InternalError(absl::StrCat(c_.external, " state ", id, ": not a JSON object"));
    }
    return state;
  }

  // The container's config.json, found through `<rt> state`'s bundle.
  absl::StatusOr<std::string> ConfigJson(const std::string& id) {
    ASSIGN_OR_RETURN(nlohmann::json state, State(id));
    std::string bundle = state.value("bundle", "");
    if (bundle.empty()) return absl::InternalError(absl::StrCat(c_.external, " state ", id, ": no bundle"));
    return sys::ReadFile(bundle + "/config.json");
  }

  DriverConfig c_;
};

}  // namespace

std::unique_ptr<RuntimeDriver> NewExternalDriver(const DriverConfig& config) {
  return std::make_unique<ExternalDriver>(config);
}

}  // namespace cricket::pod::driver
