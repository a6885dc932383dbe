// `cricket-oci exec <id> <command...>` or `exec -p process.json <id>`: runs
// another process in a running container; in the foreground its exit code
// becomes ours.
#include "oci/cli/command.h"
#include "oci/cli/foreground.h"
#include "oci/sys/atomic_file.h"

namespace cricket::oci::cli {
namespace {

absl::StatusOr<ExecOptions> OptionsFromArgs(const Args& args) {
  ExecOptions o;
  const auto& pos = args.positional();
  o.args.assign(pos.begin() + 1, pos.end());
  if (args.Has("process")) {
    auto text = sys::ReadFile(AbsPath(args.Get("process")));
    if (!text.ok()) return text.status();
    o.process_json = *text;
  } else if (o.args.empty()) {
    return absl::InvalidArgumentError("exec: the command to run is missing (or give --process)");
  }
  if (args.Has("additional-gids")) {
    return absl::UnimplementedError("--additional-gids: put additionalGids in a --process file");
  }
  o.env = args.All("env");
  o.cwd = args.Get("cwd");
  if (args.Has("user")) o.user = args.Get("user");
  o.add_caps = args.All("cap");
  o.tty = args.Has("tty");
  o.console_socket = AbsPath(args.Get("console-socket"));
  o.detach = args.Has("detach");
  o.pid_file = AbsPath(args.Get("pid-file"));
  auto fds = args.GetInt("preserve-fds", 0);
  if (!fds.ok()) return fds.status();
  o.preserve_fds = static_cast<int>(*fds);
  o.no_new_privs = args.Has("no-new-privs");
  return o;
}

int Run(Context& ctx, const Args& args) {
  auto id = ContainerId(args, 1, SIZE_MAX);
  if (!id.ok()) return Fail(ctx, id.status());
  auto opts = OptionsFromArgs(args);
  if (!opts.ok()) return Fail(ctx, opts.status());
  if (!opts->detach) BecomeSubreaper();
  auto pid = ctx.runtime().Exec(*id, *opts);
  if (!pid.ok()) return Fail(ctx, pid.status());
  if (opts->detach) return 0;
  auto code = ForwardSignalsUntilExit(*pid);
  if (!code.ok()) return Fail(ctx, code.status());
  return *code;
}

}  // namespace

Command ExecVerb() {
  return {"exec",
          "[command options] <container-id> <command> [args...] || -p process.json <container-id>",
          "execute a new process inside the container",
          {{"console-socket", 0, true},
           {"cwd", 0, true},
           {"env", 'e', true},
           {"tty", 't', false},
           {"user", 'u', true},
           {"additional-gids", 'g', true},
           {"process", 'p', true},
           {"detach", 'd', false},
           {"pid-file", 0, true},
           {"process-label", 0, true},
           {"apparmor", 0, true},
           {"no-new-privs", 0, false},
           {"cap", 'c', true},
           {"preserve-fds", 0, true},
           {"cgroup", 0, true},
           {"ignore-paused", 0, false}},
          /*stop_at_positional=*/true,
          Run};
}

}  // namespace cricket::oci::cli
