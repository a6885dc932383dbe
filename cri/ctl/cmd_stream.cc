// Streaming commands: exec (streamed, or -s through ExecSync), attach and
// port-forward. The RPC returns a one-time URL; the client library speaks
// SPDY or WebSocket to it (cri/client/stream_*).
#include "cri/ctl/cmd_stream.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "cri/client/id_prefix.h"
#include "cri/client/stream_port_forward.h"
#include "cri/client/stream_remote_command.h"
#include "cri/client/stream_terminal.h"
#include "cri/ctl/command.h"
#include "cri/ctl/flags.h"
#include "oci/sys/status.h"

namespace cricket::cri::ctl {
namespace {

constexpr char kExitCodePayload[] = "type.cricket.dev/exit-code";

struct StreamFlags {
  bool interactive = false;
  bool tty = false;
  bool sync = false;
  int64_t timeout = 0;
  client::StreamTransport transport = client::StreamTransport::kSpdy;
};

// The flags before the operands (cmd_flags.cc's table); `args` keeps the operands.
absl::StatusOr<StreamFlags> TakeStreamFlags(std::string_view cmd, std::vector<std::string>& args) {
  ASSIGN_OR_RETURN(Flags parsed, ParseFlags(cmd, args));
  StreamFlags f;
  f.interactive = parsed.On("interactive");
  f.tty = parsed.On("tty");
  f.sync = parsed.On("sync");
  ASSIGN_OR_RETURN(f.timeout, parsed.GetInt("timeout", 0));
  if (parsed.Has("transport")) {
    ASSIGN_OR_RETURN(f.transport, client::ParseTransport(parsed.Get("transport")));
  }
  args = std::move(parsed.args);
  return f;
}

absl::Status RunExecSync(client::Client& c, const std::string& id,
                         const std::vector<std::string>& cmd, int64_t timeout) {
  v1::ExecSyncRequest req;
  req.set_container_id(id);
  for (const auto& a : cmd) req.add_cmd(a);
  req.set_timeout(timeout);
  ASSIGN_OR_RETURN(auto resp,
                   c.Call(c.runtime(), &v1::RuntimeService::Stub::ExecSync, req, "ExecSync"));
  std::cout << resp.stdout() << std::flush;
  std::cerr << resp.stderr() << std::flush;
  return resp.exit_code() == 0 ? absl::OkStatus() : ExitWith(resp.exit_code());
}

}  // namespace

absl::Status ExitWith(int code) {
  absl::Status st = absl::UnknownError("");
  st.SetPayload(kExitCodePayload, absl::Cord(std::to_string(code)));
  return st;
}

std::optional<int> ExitCodeOf(const absl::Status& st) {
  auto p = st.GetPayload(kExitCodePayload);
  int code = 0;
  if (!p || !absl::SimpleAtoi(std::string(*p), &code)) return std::nullopt;
  return code;
}

absl::Status StreamRemoteCommand(const std::string& url, bool in, bool tty,
                                 client::StreamTransport transport) {
  client::RemoteCommandOptions o;
  o.transport = transport;
  o.stdin = in;
  o.tty = tty;
  o.stderr = !tty;
  std::unique_ptr<client::RawTerminal> raw;
  if (tty && in && isatty(STDIN_FILENO)) {
    ASSIGN_OR_RETURN(raw, client::RawTerminal::Enter(STDIN_FILENO));
  }
  if (tty) o.size_fd = isatty(STDIN_FILENO) ? STDIN_FILENO : isatty(STDOUT_FILENO) ? 1 : -1;
  // Only with a tty are signals ours to handle: raw mode must be undone.
  std::unique_ptr<client::SignalPipe> signals;
  if (tty) {
    ASSIGN_OR_RETURN(signals, client::SignalPipe::Install(true, true));
    o.signal_fd = signals->fd();
  }
  auto code = client::RunRemoteCommand(url, o);
  raw.reset();
  if (!code.ok()) {
    if (code.status().code() == absl::StatusCode::kCancelled) {
      return ExitWith(128 + client::SignalPipe::last_signal());
    }
    return code.status();
  }
  return *code == 0 ? absl::OkStatus() : ExitWith(*code);
}

absl::Status RunExec(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(StreamFlags f, TakeStreamFlags("exec", args));
  if (args.size() < 2) return UsageError("exec", "give CONTAINER_ID COMMAND [ARG...]");
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  ASSIGN_OR_RETURN(std::string id, client::ResolveContainerId(*c, args[0]));
  std::vector<std::string> cmd(args.begin() + 1, args.end());
  if (f.sync) return RunExecSync(*c, id, cmd, f.timeout);
  v1::ExecRequest req;
  req.set_container_id(id);
  for (const auto& a : cmd) req.add_cmd(a);
  req.set_tty(f.tty);
  req.set_stdin(f.interactive);
  req.set_stdout(true);
  req.set_stderr(!f.tty);
  ASSIGN_OR_RETURN(auto resp, c->Call(c->runtime(), &v1::RuntimeService::Stub::Exec, req, "Exec"));
  return StreamRemoteCommand(resp.url(), f.interactive, f.tty, f.transport);
}

absl::Status RunAttach(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(StreamFlags f, TakeStreamFlags("attach", args));
  if (args.size() != 1) return UsageError("attach", "give one CONTAINER_ID");
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  ASSIGN_OR_RETURN(std::string id, client::ResolveContainerId(*c, args[0]));
  v1::AttachRequest req;
  req.set_container_id(id);
  req.set_stdin(f.interactive);
  req.set_tty(f.tty);
  req.set_stdout(true);
  req.set_stderr(!f.tty);
  ASSIGN_OR_RETURN(auto resp,
                   c->Call(c->runtime(), &v1::RuntimeService::Stub::Attach, req, "Attach"));
  return StreamRemoteCommand(resp.url(), f.interactive, f.tty, f.transport);
}

absl::Status RunPortForward(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(StreamFlags f, TakeStreamFlags("port-forward", args));
  if (args.size() < 2) return UsageError("port-forward", "give POD_ID and [LOCAL:]REMOTE ports");
  std::vector<client::PortPair> ports;
  for (size_t i = 1; i < args.size(); i++) {
    ASSIGN_OR_RETURN(auto p, client::ParsePortPair(args[i]));
    ports.push_back(p);
  }
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  ASSIGN_OR_RETURN(std::string pod, client::ResolvePodId(*c, args[0]));
  v1::PortForwardRequest req;
  req.set_pod_sandbox_id(pod);
  for (const auto& p : ports) req.add_port(p.remote);
  ASSIGN_OR_RETURN(auto signals, client::SignalPipe::Install(false, true));
  client::PortForwardOptions o;
  o.transport = f.transport;
  o.signal_fd = signals->fd();
  o.new_url = [&]() -> absl::StatusOr<std::string> {
    ASSIGN_OR_RETURN(auto resp, c->Call(c->runtime(), &v1::RuntimeService::Stub::PortForward, req,
                                        "PortForward"));
    return resp.url();
  };
  o.on_listen = [](const std::string& line) { std::cout << line << std::endl; };
  o.on_error = [](const std::string& line) { std::cerr << "error: " << line << std::endl; };
  return client::RunPortForward(ports, o);
}

}  // namespace cricket::cri::ctl
