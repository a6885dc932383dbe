// Runtime::Create and Runtime::Start: the parent's side of container setup.
// Create is a transaction: every step registers its undo first, so a failed
// create leaves no process, cgroup or state dir behind (the mounts live in
// the child's mount namespace and die with it).
#include "oci/runtime.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "oci/linux/caps.h"
#include "oci/linux/clone.h"
#include "oci/linux/devices.h"
#include "oci/linux/hooks.h"
#include "oci/linux/init.h"
#include "oci/linux/sysctl.h"
#include "oci/linux/terminal.h"
#include "oci/runtime_internal.h"
#include "oci/spec_json.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fds.h"
#include "oci/sys/fs.h"
#include "oci/sys/log.h"
#include "oci/sys/rollback.h"
#include "oci/sys/status.h"

namespace cricket::oci {
namespace {

struct CreateCtx {
  const RuntimeOptions& ro;
  const CreateOptions& co;
  StateDir dir;
  Spec spec;
  nlohmann::json config;  // config.json as read: what state.json keeps
  std::string bundle, rootfs;
  linux::NsPlan ns;
  std::vector<linux::MountStep> mounts;
  std::unique_ptr<cgroup::Manager> cg;
  sys::UniqueFd console, fifo;
  linux::Cloned child;
  std::vector<sys::UniqueFd> idmap_fds;  // user namespaces of id-mapped mounts, for init
  StoredState stored;
  bool init_joins_cgroup = false;  // init writes itself into the cgroup (v1 tasks)
};

absl::Status CheckSysctls(const CreateCtx& c) {
  if (!c.spec.linux_spec) return absl::OkStatus();
  linux::SysctlNamespaces ns;
  ns.ipc = c.spec.FindNamespace("ipc") != nullptr;
  ns.net = c.spec.FindNamespace("network") != nullptr;
  ns.uts = c.spec.FindNamespace("uts") != nullptr;
  for (const auto& [key, value] : c.spec.linux_spec->sysctl) {
    RETURN_IF_ERROR(sys::Annotate(linux::ValidateSysctl(key, ns), "linux.sysctl"));
  }
  return absl::OkStatus();
}

// SELinux labels are not applied. On a host without SELinux that is what
// runc and crun do too (silently); where SELinux is on, say so.
static void WarnUnappliedLabels(const Spec& spec) {
  bool labelled = (spec.process && !spec.process->selinux_label.empty()) ||
                  (spec.linux_spec && !spec.linux_spec->mount_label.empty());
  if (labelled && sys::PathExists("/sys/fs/selinux/enforce")) {
    sys::LogWarn("SELinux is enabled on this host but cricket does not apply selinuxLabel or "
                 "mountLabel; the container runs with its parent's label");
  }
}

absl::Status LoadBundle(CreateCtx& c) {
  char* real = ::realpath(c.co.bundle.empty() ? "." : c.co.bundle.c_str(), nullptr);
  if (real == nullptr) return sys::ErrnoStatus(errno, "bundle %s", c.co.bundle);
  c.bundle = real;
  free(real);
  ASSIGN_OR_RETURN(c.spec, LoadSpec(c.bundle, &c.config));
  if (!c.spec.process) return absl::InvalidArgumentError("config.json: process: is required");
  if (c.spec.process->capabilities) {
    linux::WarnUnknownCaps(linux::DropUnknownCaps(*c.spec.process->capabilities));
  }
  WarnUnappliedLabels(c.spec);
  c.rootfs = c.spec.root.path;
  if (c.rootfs.empty() || c.rootfs[0] != '/') c.rootfs = c.bundle + "/" + c.rootfs;
  ASSIGN_OR_RETURN(c.ns, linux::PlanNamespaces(c.spec));
  if (c.spec.FindNamespace("mount") == nullptr) {
    return absl::InvalidArgumentError(
        "config.json: linux.namespaces: a mount namespace is required");
  }
  ASSIGN_OR_RETURN(c.mounts, linux::PlanMounts(c.spec.mounts, c.bundle));
  RETURN_IF_ERROR(CheckSysctls(c));
  const Process& p = *c.spec.process;
  bool has_console = !c.co.console_socket.empty() || c.co.console_socket_fd >= 0;
  if (p.terminal && !has_console && !c.co.foreground) {
    return absl::InvalidArgumentError(
        "process.terminal needs a console socket when the container is detached");
  }
  if (!p.terminal && has_console) {
    return absl::InvalidArgumentError("a console socket is only valid with process.terminal");
  }
  return absl::OkStatus();
}

absl::Status PrepareStateDir(CreateCtx& c, sys::Rollback& rb) {
  RETURN_IF_ERROR(c.dir.Create());
  rb.Add("remove state dir " + c.dir.dir(), [&c] { return c.dir.Remove(); });
  RETURN_IF_ERROR(c.dir.MakeFifo());
  // Init inherits this fd and reads the start byte from it (crun's exec.fifo
  // direction): Start's write then never waits for init to be scheduled, and
  // Start sees ENXIO once init, the only reader left, is gone. O_RDWR (Linux
  // defines it for FIFOs): the open does not wait for a writer, and init's
  // blocking read waits for data instead of seeing EOF.
  ASSIGN_OR_RETURN(c.fifo, sys::Open(c.dir.fifo_path(), O_RDWR));
  return absl::OkStatus();
}

absl::Status SetupCgroup(CreateCtx& c, sys::Rollback& rb) {
  cgroup::ManagerOptions mo;
  mo.cgroups_path = c.spec.linux_spec ? c.spec.linux_spec->cgroups_path : "";
  mo.container_id = c.co.id;
  mo.systemd = c.ro.systemd_cgroup;
  ASSIGN_OR_RETURN(c.cg, cgroup::NewManager(mo));
  RETURN_IF_ERROR(c.cg->Create());
  rb.Add("destroy cgroup", [&c] { return c.cg->Destroy(); });
  if (c.spec.linux_spec && c.spec.linux_spec->resources) {
    cgroup::Resources r = *c.spec.linux_spec->resources;
    if (!r.devices.empty()) {
      for (const auto& rule : linux::DefaultDeviceRules()) r.devices.push_back(rule);
    }
    RETURN_IF_ERROR(c.cg->Set(r));
  }
  c.stored.cgroups_path = mo.cgroups_path;
  c.stored.systemd_cgroup = mo.systemd;
  return absl::OkStatus();
}

std::vector<std::string> ProcessEnv(const Process& p, int* preserve_fds) {
  std::vector<std::string> env = p.env;
  // systemd socket activation: pass the listening fds through (runc does).
  const char* listen = ::getenv("LISTEN_FDS");
  int n = listen ? std::atoi(listen) : 0;
  if (n > 0) {
    env.push_back(absl::StrCat("LISTEN_FDS=", n));
    env.push_back("LISTEN_PID=1");
    *preserve_fds = std::max(*preserve_fds, n);
  }
  return env;
}

absl::Status Spawn(CreateCtx& c, sys::Rollback& rb, linux::SyncSocket& parent_sock) {
  if (!c.co.console_socket.empty()) {
    ASSIGN_OR_RETURN(c.console, linux::ConnectConsoleSocket(c.co.console_socket));
  }
  int console_fd = c.co.console_socket_fd >= 0 ? c.co.console_socket_fd : c.console.get();
  ASSIGN_OR_RETURN(auto pair, linux::SyncSocket::Pair());
  RETURN_IF_ERROR(linux::PrepareIdmaps(c.mounts, &c.idmap_fds));
  linux::InitConfig ic;
  ic.spec = &c.spec;
  ic.rootfs = c.rootfs;
  ic.ns = c.ns;
  ic.mounts = c.mounts;
  ic.setup_dev = linux::NeedsDevSetup(c.spec.mounts);
  ic.no_pivot = c.co.no_pivot;
  ic.fifo_fd = c.fifo.get();
  // In a new user namespace init has no rights on the host's cgroup files
  // before its id maps exist: the parent adds it then.
  if (!c.ns.new_user) ic.cgroup_self_join = c.cg->SelfJoinDirs();
  c.init_joins_cgroup = !ic.cgroup_self_join.empty();
  ic.proc.process = &*c.spec.process;
  if (c.spec.linux_spec && c.spec.linux_spec->seccomp)
    ic.proc.seccomp = &*c.spec.linux_spec->seccomp;
  ic.proc.console_fd = console_fd;
  ic.proc.stdio[0] = c.co.stdin_fd;
  ic.proc.stdio[1] = c.co.stdout_fd;
  ic.proc.stdio[2] = c.co.stderr_fd;
  ic.proc.preserve_fds = c.co.preserve_fds;
  ic.proc.env = ProcessEnv(*c.spec.process, &ic.proc.preserve_fds);
  std::optional<linux::PidNsGuard> pidns;
  if (!c.ns.pid_path.empty()) {
    ASSIGN_OR_RETURN(pidns, linux::PidNsGuard::Enter(c.ns.pid_path));
  }
  linux::SyncSocket& child_sock = pair.second;
  auto init = [&] {
    linux::RunInit(ic, child_sock);
    return 1;
  };
  ASSIGN_OR_RETURN(c.child, linux::CloneProcess(c.ns.clone_flags, init));
  pidns.reset();
  rb.Add(absl::StrCat("kill init ", c.child.pid),
         [&c] { return linux::KillAndReap(c.child.pid, c.child.pidfd.get()); });
  parent_sock = std::move(pair.first);
  return absl::OkStatus();
}

ContainerState InitialState(const CreateCtx& c) {
  ContainerState s;
  s.oci_version = c.spec.oci_version;
  s.id = c.co.id;
  s.status = "creating";
  s.pid = c.child.pid;
  s.bundle = c.bundle;
  s.rootfs = c.rootfs;
  s.created = Rfc3339Now();
  s.annotations = c.spec.annotations;
  return s;
}

absl::Status Handshake(CreateCtx& c, linux::SyncSocket& sock) {
  if (c.ns.new_user) {
    const Linux& l = *c.spec.linux_spec;
    RETURN_IF_ERROR(linux::WriteIdMaps(c.child.pid, l.uid_mappings, l.gid_mappings));
  }
  if (!c.init_joins_cgroup) {
    RETURN_IF_ERROR(sys::Annotate(c.cg->AddProcess(c.child.pid), "join cgroup"));
  }
  c.stored.state = InitialState(c);
  // The create-time hooks run once the runtime environment exists, i.e. after
  // lifecycle step 2, where the spec's status is "created" (crun agrees; runc
  // 1.1 passes "creating"). The state file keeps "creating" until Persist.
  ContainerState hook_view = c.stored.state;
  hook_view.status = "created";
  std::string state_json = internal::HookState(hook_view);
  RETURN_IF_ERROR(sock.Send(linux::SyncMsg::kParentReady, state_json));
  RETURN_IF_ERROR(sock.Expect(linux::SyncMsg::kChildHooks).status());
  RETURN_IF_ERROR(linux::RunHooks(c.spec.hooks.prestart, state_json, "prestart"));
  RETURN_IF_ERROR(linux::RunHooks(c.spec.hooks.create_runtime, state_json, "createRuntime"));
  RETURN_IF_ERROR(sock.Send(linux::SyncMsg::kParentHooksDone));
  return sock.Expect(linux::SyncMsg::kChildReady).status();
}

absl::Status Persist(CreateCtx& c) {
  c.stored.state.status = "created";
  c.stored.init_start_time = ProcStartTime(c.child.pid);
  c.stored.foreground = c.co.foreground;
  // The document the spec was parsed from parses to the same spec later;
  // re-serialising the spec would only cost time. Written before state.json,
  // whose presence makes the container visible.
  RETURN_IF_ERROR(c.dir.WriteConfig(c.config));
  RETURN_IF_ERROR(c.dir.Write(c.stored));
  if (!c.co.pid_file.empty()) {
    RETURN_IF_ERROR(sys::WriteFileAtomic(c.co.pid_file, std::to_string(c.child.pid), 0644,
                                         sys::Durability::kBootOnly));
  }
  return absl::OkStatus();
}

}  // namespace

Runtime::Runtime(RuntimeOptions opts) : opts_(std::move(opts)) {}

absl::StatusOr<pid_t> Runtime::Create(const CreateOptions& opts) {
  RETURN_IF_ERROR(ValidateId(opts.id));
  CreateCtx c{opts_, opts, StateDir(opts_.root, opts.id), {}, {}, {}, {}, {}, {}, {}, {}, {}, {},
              {}, {}, false};
  sys::Rollback rb;
  auto run = [&]() -> absl::Status {
    RETURN_IF_ERROR(LoadBundle(c));
    RETURN_IF_ERROR(PrepareStateDir(c, rb));
    RETURN_IF_ERROR(SetupCgroup(c, rb));
    linux::SyncSocket sock;
    RETURN_IF_ERROR(Spawn(c, rb, sock));
    RETURN_IF_ERROR(Handshake(c, sock));
    return Persist(c);
  };
  absl::Status st = run();
  if (!st.ok()) {
    absl::Status undo = rb.Run();
    if (!undo.ok())
      sys::LogError("create rollback incomplete", {{"error", std::string(undo.message())}});
    return sys::Annotate(st, "create container %s", opts.id);
  }
  rb.Commit();
  return c.child.pid;
}

namespace {

// write(2) to a FIFO whose reader just went away raises SIGPIPE, which
// would kill cricket-oci (or the monitor): block it for this write and
// drop a pending one, so the caller sees EPIPE instead.
absl::Status WriteNoSigpipe(int fd, char byte) {
  sigset_t pipe_set, old;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  ::pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
  ssize_t n;
  do {
    n = ::write(fd, &byte, 1);
  } while (n < 0 && errno == EINTR);
  int err = errno;
  if (n < 0 && err == EPIPE && !sigismember(&old, SIGPIPE)) {
    struct timespec zero = {0, 0};
    while (::sigtimedwait(&pipe_set, nullptr, &zero) < 0 && errno == EINTR) {
    }
  }
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  if (n == 1) return absl::OkStatus();
  if (err == EPIPE) return absl::FailedPreconditionError("container init exited before start");
  return sys::ErrnoStatus(err, "write exec fifo");
}

// Writes init's start byte into the FIFO. Init holds the only read end, so
// ENXIO (no reader) or EPIPE means it died before start.
absl::Status ReleaseInit(const StateDir& dir) {
  // Not sys::Open: ENXIO must be told apart from the other NotFound errnos.
  sys::UniqueFd fd(::open(dir.fifo_path().c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC));
  if (!fd) {
    if (errno == ENXIO) return absl::FailedPreconditionError("container init exited before start");
    return sys::ErrnoStatus(errno, "open %s", dir.fifo_path());
  }
  RETURN_IF_ERROR(WriteNoSigpipe(fd.get(), '0'));
  if (::unlink(dir.fifo_path().c_str()) != 0) {
    return sys::ErrnoStatus(errno, "remove %s", dir.fifo_path());
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status Runtime::Start(const std::string& id) {
  RETURN_IF_ERROR(ValidateId(id));
  ASSIGN_OR_RETURN(internal::Loaded c, internal::Load(opts_, id, internal::Need::kSpec));
  const std::string& status = c.stored.state.status;
  if (status != "created") {  // runc's words
    if (status == "running") {
      return absl::FailedPreconditionError("cannot start an already running container");
    }
    if (status == "stopped") {
      return absl::FailedPreconditionError("cannot start a container that has stopped");
    }
    return absl::FailedPreconditionError(
        absl::StrCat("cannot start a container in the ", status, " state"));
  }
  RETURN_IF_ERROR(sys::Annotate(ReleaseInit(StateDir(opts_.root, id)), "start container %s", id));
  c.stored.state.status = "running";
  linux::RunHooksLogged(c.spec.hooks.poststart, internal::HookState(c.stored.state), "poststart");
  return absl::OkStatus();
}

}  // namespace cricket::oci
