// `cricketctl run`: the docker/ctr `run` habit on top of CRI. Pull the image
// if the runtime lacks it, run a pod, create and start one container in it,
// stream its output until it exits (attach with -i, else follow its CRI log),
// and exit with its exit code; --rm removes the container and the pod after,
// also on Ctrl-C.
#include <sys/random.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <map>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "cri/api/proc_mount.h"
#include "cri/client/stream_log_follow.h"
#include "cri/client/stream_terminal.h"
#include "cri/ctl/cmd_stream.h"
#include "cri/ctl/command.h"
#include "cri/ctl/flags.h"
#include "cri/ctl/run_docker_flags.h"
#include "oci/sys/fs.h"
#include "oci/sys/status.h"

namespace cricket::cri::ctl {
namespace {

struct RunFlags {
  bool rm = false, detach = false, interactive = false, tty = false, host_net = false;
  std::string name, workdir, config, pod_config;
  std::vector<std::string> env, volumes, ports;
  client::StreamTransport transport = client::StreamTransport::kSpdy;
  std::vector<std::string> rest;  // IMAGE [CMD...]
  std::string command;            // "run" or "create", for errors
  Flags parsed;                   // for ApplyDockerFlags
};

std::string RandomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  if (getrandom(raw.data(), raw.size(), 0) != static_cast<ssize_t>(raw.size())) {
    raw = std::to_string(getpid()) + std::to_string(time(nullptr));
  }
  return absl::BytesToHexString(raw).substr(0, bytes * 2);
}

absl::StatusOr<RunFlags> ParseRunFlags(std::string_view command,
                                       const std::vector<std::string>& args) {
  ASSIGN_OR_RETURN(Flags parsed, ParseFlags(command, args));
  RunFlags f;
  f.command = std::string(command);
  f.rm = parsed.On("rm");
  f.detach = parsed.On("detach");
  f.interactive = parsed.On("interactive");
  f.tty = parsed.On("tty");
  f.name = parsed.Get("name");
  f.workdir = parsed.Get("workdir");
  f.config = parsed.Get("config");
  f.pod_config = parsed.Get("pod-config");
  f.ports = parsed.GetAll("publish");
  f.env = parsed.GetAll("env");
  f.volumes = parsed.GetAll("volume");
  for (const char* flag : {"net", "network"}) {
    if (!parsed.Has(flag)) continue;
    std::string v = parsed.Get(flag);
    if (v != "host" && v != "pod") return UsageError(command, "--net takes host or pod");
    f.host_net = v == "host";
  }
  if (parsed.Has("transport")) {
    ASSIGN_OR_RETURN(f.transport, client::ParseTransport(parsed.Get("transport")));
  }
  f.rest = parsed.args;
  f.parsed = std::move(parsed);
  if (f.rm && f.detach) return UsageError(command, "--rm and -d cannot be used together");
  if (f.rest.empty() && f.config.empty()) return UsageError(command, "give an IMAGE");
  if (f.config.empty() != f.pod_config.empty()) {
    return UsageError(command, "--config and --pod-config go together");
  }
  return f;
}

absl::Status AddPort(const std::string& command, const std::string& spec,
                     v1::PodSandboxConfig& pod) {
  std::vector<std::string> proto = absl::StrSplit(spec, '/');
  std::vector<std::string> hc = absl::StrSplit(proto[0], ':');
  int host = 0, ctr = 0;
  bool ok = proto.size() <= 2 && hc.size() == 2 && absl::SimpleAtoi(hc[0], &host) &&
            absl::SimpleAtoi(hc[1], &ctr) && host > 0 && host < 65536 && ctr > 0 && ctr < 65536;
  if (!ok) return UsageError(command, "-p " + spec + ": want HOST:CONTAINER[/tcp|udp|sctp]");
  auto* pm = pod.add_port_mappings();
  pm->set_host_port(host);
  pm->set_container_port(ctr);
  std::string p = proto.size() == 2 ? proto[1] : "tcp";
  static const std::map<std::string, v1::Protocol> kProtocols = {
      {"tcp", v1::TCP}, {"udp", v1::UDP}, {"sctp", v1::SCTP}};
  auto it = kProtocols.find(p);
  if (it == kProtocols.end()) {
    return UsageError(command, "-p " + spec + ": protocol is tcp, udp or sctp");
  }
  pm->set_protocol(it->second);
  return absl::OkStatus();
}

absl::Status BuildPodConfig(const RunFlags& f, v1::PodSandboxConfig& pod) {
  if (!f.pod_config.empty()) {
    return ReadConfigFile(f.pod_config, &pod, "pod sandbox config");
  }
  std::string name = f.name.empty() ? "run-" + RandomHex(4) : f.name;
  std::string uid = RandomHex(16);
  pod.mutable_metadata()->set_name(name);
  pod.mutable_metadata()->set_namespace_("default");
  pod.mutable_metadata()->set_uid(uid);
  pod.set_hostname(name);
  pod.set_log_directory(absl::StrCat("/var/log/pods/default_", name, "_", uid));
  // The kubelet's defaults: a pid namespace per container (POD, the enum's
  // zero, is shareProcessNamespace), and the pod network unless --net host.
  auto* ns = pod.mutable_linux()->mutable_security_context()->mutable_namespace_options();
  ns->set_pid(v1::CONTAINER);
  if (f.host_net) ns->set_network(v1::NODE);
  for (const auto& p : f.ports) RETURN_IF_ERROR(AddPort(f.command, p, pod));
  return absl::OkStatus();
}

absl::Status BuildContainerConfig(const RunFlags& f, v1::ContainerConfig& c) {
  if (!f.config.empty()) RETURN_IF_ERROR(ReadConfigFile(f.config, &c, "container config"));
  if (!f.rest.empty()) {
    c.mutable_image()->set_image(f.rest[0]);
    // Like docker: the words after IMAGE replace the image's CMD, not its ENTRYPOINT.
    if (f.rest.size() > 1) c.clear_args();
    for (size_t i = 1; i < f.rest.size(); i++) c.add_args(f.rest[i]);
  }
  if (c.image().image().empty()) return UsageError(f.command, "the container config names no image");
  if (!c.has_metadata()) c.mutable_metadata()->set_name(f.name.empty() ? "main" : f.name);
  if (c.log_path().empty()) c.set_log_path(c.metadata().name() + "/0.log");
  for (const auto& e : f.env) {
    std::vector<std::string> kv = absl::StrSplit(e, absl::MaxSplits('=', 1));
    auto* env = c.add_envs();
    env->set_key(kv[0]);
    env->set_value(kv.size() > 1 ? kv[1] : "");
  }
  for (const auto& v : f.volumes) {
    std::vector<std::string> parts = absl::StrSplit(v, ':');
    if (parts.size() < 2 || parts.size() > 3 ||
        (parts.size() == 3 && parts[2] != "ro" && parts[2] != "rw")) {
      return UsageError(f.command, "-v " + v + ": want HOST:CONTAINER[:ro]");
    }
    auto* m = c.add_mounts();
    m->set_host_path(parts[0]);
    m->set_container_path(parts[1]);
    m->set_readonly(parts.size() == 3 && parts[2] == "ro");
  }
  if (!f.workdir.empty()) c.set_working_dir(f.workdir);
  if (f.tty) c.set_tty(true);
  if (f.interactive) {
    c.set_stdin(true);
    c.set_stdin_once(true);  // the container's stdin ends when ours does
  }
  // As the kubelet does for procMount Default: runtimes take empty lists as Unmasked.
  cri_api::SetDefaultProcMount(c.mutable_linux()->mutable_security_context());
  return absl::OkStatus();
}

absl::Status EnsureImage(client::Client& c, const std::string& image) {
  v1::ImageStatusRequest st;
  st.mutable_image()->set_image(image);
  ASSIGN_OR_RETURN(auto have,
                   c.Call(c.images(), &v1::ImageService::Stub::ImageStatus, st, "ImageStatus"));
  if (have.has_image()) return absl::OkStatus();
  v1::PullImageRequest pull;
  pull.mutable_image()->set_image(image);
  return c.Call(c.images(), &v1::ImageService::Stub::PullImage, pull, "PullImage").status();
}

// What was made, to remove with --rm (in reverse: container, pod, log dir).
struct Made {
  std::string pod_id, container_id, log_dir;
  bool made_log_dir = false;
};

absl::Status RemoveMade(client::Client& c, const Made& m) {
  absl::Status first = absl::OkStatus();
  auto keep = [&](absl::Status st) {
    if (first.ok() && !st.ok()) first = st;
  };
  if (!m.container_id.empty()) {
    v1::StopContainerRequest stop;
    stop.set_container_id(m.container_id);
    stop.set_timeout(0);
    keep(c.Call(c.runtime(), &v1::RuntimeService::Stub::StopContainer, stop, "StopContainer")
             .status());
    v1::RemoveContainerRequest rm;
    rm.set_container_id(m.container_id);
    keep(c.Call(c.runtime(), &v1::RuntimeService::Stub::RemoveContainer, rm, "RemoveContainer")
             .status());
  }
  if (!m.pod_id.empty()) {
    v1::StopPodSandboxRequest stop;
    stop.set_pod_sandbox_id(m.pod_id);
    keep(c.Call(c.runtime(), &v1::RuntimeService::Stub::StopPodSandbox, stop, "StopPodSandbox")
             .status());
    v1::RemovePodSandboxRequest rm;
    rm.set_pod_sandbox_id(m.pod_id);
    keep(c.Call(c.runtime(), &v1::RuntimeService::Stub::RemovePodSandbox, rm, "RemovePodSandbox")
             .status());
  }
  if (m.made_log_dir) keep(sys::RemoveAll(m.log_dir));
  return first;
}

absl::StatusOr<v1::ContainerStatus> ContainerState(client::Client& c, const std::string& id) {
  v1::ContainerStatusRequest req;
  req.set_container_id(id);
  ASSIGN_OR_RETURN(auto resp, c.Call(c.runtime(), &v1::RuntimeService::Stub::ContainerStatus, req,
                                     "ContainerStatus"));
  return resp.status();
}

// Creates and (with `start`) starts; records what exists in `made` as it goes.
absl::Status CreateAndStart(client::Client& c, const v1::PodSandboxConfig& pod,
                            const v1::ContainerConfig& ctr, bool start, Made& made) {
  made.log_dir = pod.log_directory();
  if (!made.log_dir.empty() && !sys::PathExists(made.log_dir)) {
    // The kubelet makes the pod's log directory before RunPodSandbox; so do we.
    RETURN_IF_ERROR(sys::MkdirAll(made.log_dir));
    made.made_log_dir = true;
  }
  v1::RunPodSandboxRequest run;
  *run.mutable_config() = pod;
  ASSIGN_OR_RETURN(
      auto p, c.Call(c.runtime(), &v1::RuntimeService::Stub::RunPodSandbox, run, "RunPodSandbox"));
  made.pod_id = p.pod_sandbox_id();
  v1::CreateContainerRequest create;
  create.set_pod_sandbox_id(made.pod_id);
  *create.mutable_config() = ctr;
  *create.mutable_sandbox_config() = pod;
  ASSIGN_OR_RETURN(auto cr, c.Call(c.runtime(), &v1::RuntimeService::Stub::CreateContainer, create,
                                   "CreateContainer"));
  made.container_id = cr.container_id();
  if (!start) return absl::OkStatus();
  v1::StartContainerRequest req;
  req.set_container_id(made.container_id);
  return c.Call(c.runtime(), &v1::RuntimeService::Stub::StartContainer, req, "StartContainer")
      .status();
}

// Streams the running container's output until it exits; its exit code.
absl::StatusOr<int> StreamUntilExit(client::Client& c, const RunFlags& f,
                                    const v1::PodSandboxConfig& pod, const v1::ContainerConfig& ctr,
                                    const std::string& id, int signal_fd) {
  auto exited = [&]() -> absl::StatusOr<bool> {
    ASSIGN_OR_RETURN(auto s, ContainerState(c, id));
    return s.state() == v1::CONTAINER_EXITED;
  };
  if (f.interactive) {
    v1::AttachRequest req;
    req.set_container_id(id);
    req.set_stdin(true);
    req.set_tty(f.tty);
    req.set_stdout(true);
    req.set_stderr(!f.tty);
    ASSIGN_OR_RETURN(auto resp,
                     c.Call(c.runtime(), &v1::RuntimeService::Stub::Attach, req, "Attach"));
    absl::Status st = StreamRemoteCommand(resp.url(), true, f.tty, f.transport);
    if (!st.ok() && !ExitCodeOf(st)) return st;
    if (ExitCodeOf(st) && *ExitCodeOf(st) > 128) return *ExitCodeOf(st);  // interrupted
  } else {
    client::FollowOptions o;
    o.path = absl::StrCat(pod.log_directory(), "/", ctr.log_path());
    o.exited = exited;
    o.signal_fd = signal_fd;
    absl::Status st = client::FollowCriLog(o);
    if (st.code() == absl::StatusCode::kCancelled) return 128 + client::SignalPipe::last_signal();
    RETURN_IF_ERROR(st);
  }
  // Attach ends when the stdio closes, a moment before the exit is recorded.
  for (int i = 0; i < 100; i++) {
    ASSIGN_OR_RETURN(auto s, ContainerState(c, id));
    if (s.state() == v1::CONTAINER_EXITED) return s.exit_code();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return absl::DeadlineExceededError(absl::StrCat("container ", id, " did not exit"));
}

// CreateAndStart, and nothing half-made stays behind when it fails.
absl::Status MakeContainer(client::Client& c, const v1::PodSandboxConfig& pod,
                           const v1::ContainerConfig& ctr, bool start, Made& made) {
  absl::Status st = CreateAndStart(c, pod, ctr, start, made);
  if (!st.ok()) RemoveMade(c, made).IgnoreError();
  return st;
}

// The pod and container configs from the flags (and any config files).
absl::Status BuildConfigs(const RunFlags& f, v1::PodSandboxConfig& pod, v1::ContainerConfig& ctr) {
  RETURN_IF_ERROR(BuildPodConfig(f, pod));
  RETURN_IF_ERROR(BuildContainerConfig(f, ctr));
  RETURN_IF_ERROR(ApplyDockerFlags(f.command, f.parsed, pod, ctr));
  if (f.config.empty()) {
    // The kubelet gives each container its pod's namespace modes.
    *ctr.mutable_linux()->mutable_security_context()->mutable_namespace_options() =
        pod.linux().security_context().namespace_options();
  }
  return absl::OkStatus();
}

struct Prepared {
  RunFlags flags;
  v1::PodSandboxConfig pod;
  v1::ContainerConfig ctr;
  std::unique_ptr<client::Client> client;
};

// Flags parsed, configs built, connected, and the image there (pulled if not).
absl::StatusOr<Prepared> Prepare(const CommandContext& ctx, std::string_view command,
                                 const std::vector<std::string>& args) {
  Prepared p;
  ASSIGN_OR_RETURN(p.flags, ParseRunFlags(command, args));
  RETURN_IF_ERROR(BuildConfigs(p.flags, p.pod, p.ctr));
  ASSIGN_OR_RETURN(p.client, Connect(ctx));
  RETURN_IF_ERROR(EnsureImage(*p.client, p.ctr.image().image()));
  return p;
}

}  // namespace

// `cricketctl create [FLAGS] IMAGE [CMD...]`, docker's create: a pod and a
// container in it, not started; prints the container's id.
absl::Status RunDockerCreate(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(Prepared p, Prepare(ctx, "create", args));
  Made made;
  RETURN_IF_ERROR(MakeContainer(*p.client, p.pod, p.ctr, /*start=*/false, made));
  std::cout << made.container_id << std::endl;
  return absl::OkStatus();
}

absl::Status RunRun(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(Prepared p, Prepare(ctx, "run", args));
  const RunFlags& f = p.flags;
  const v1::PodSandboxConfig& pod = p.pod;
  const v1::ContainerConfig& ctr = p.ctr;
  client::Client* c = p.client.get();
  // Ctrl-C while following the log must still clean up (--rm); with a tty
  // attached the keys go to the container instead.
  ASSIGN_OR_RETURN(auto signals, client::SignalPipe::Install(false, !f.interactive));
  Made made;
  RETURN_IF_ERROR(MakeContainer(*c, pod, ctr, /*start=*/true, made));
  if (f.detach) {
    std::cout << made.container_id << std::endl;
    return absl::OkStatus();
  }
  absl::StatusOr<int> code = StreamUntilExit(*c, f, pod, ctr, made.container_id, signals->fd());
  if (f.rm) {
    absl::Status removed = RemoveMade(*c, made);
    if (code.ok() && !removed.ok()) return removed;
  }
  if (!code.ok()) return code.status();
  return *code == 0 ? absl::OkStatus() : ExitWith(*code);
}

}  // namespace cricket::cri::ctl
