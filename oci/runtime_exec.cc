// Runtime::Exec: a new process inside a running container. The parent joins
// the container's pid namespace for its children (PidNsGuard), clones, puts
// the child in the cgroup; the child setns into the other namespaces, chroots
// into the container's root and applies the process spec. Success is the
// sync socket closing on execve; failure arrives as text.
#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "nlohmann/json.hpp"
#include "oci/cgroup/cgroup_fs.h"
#include "oci/linux/caps.h"
#include "oci/linux/clone.h"
#include "oci/linux/init.h"
#include "oci/linux/namespaces.h"
#include "oci/linux/terminal.h"
#include "oci/linux/users.h"
#include "oci/runtime.h"
#include "oci/runtime_internal.h"
#include "oci/spec_json.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fds.h"
#include "oci/sys/rollback.h"
#include "oci/sys/status.h"

namespace cricket::oci {
namespace {

void SetEnv(std::vector<std::string>* env, const std::string& kv) {
  std::string key = kv.substr(0, kv.find('='));
  for (std::string& e : *env) {
    if (e.substr(0, e.find('=')) == key) {
      e = kv;
      return;
    }
  }
  env->push_back(kv);
}

absl::Status ParseUserFlag(const std::string& s, User* u) {
  std::vector<std::string> parts = absl::StrSplit(s, ':');
  if (parts.empty() || parts.size() > 2 || !absl::SimpleAtoi(parts[0], &u->uid) ||
      (parts.size() == 2 && !absl::SimpleAtoi(parts[1], &u->gid))) {
    return absl::InvalidArgumentError("exec user must be uid[:gid], got \"" + s + "\"");
  }
  if (parts.size() == 1) u->gid = 0;
  u->additional_gids.clear();
  return absl::OkStatus();
}

absl::StatusOr<Process> ExecProcessSpec(const Spec& spec, const ExecOptions& o) {
  if (!o.process_json.empty()) {
    nlohmann::json j = nlohmann::json::parse(o.process_json, nullptr, false);
    if (j.is_discarded()) return absl::InvalidArgumentError("process: invalid JSON");
    return ProcessFromJson(j, "process");
  }
  Process p = spec.process.value_or(Process{});
  p.args = o.args;
  if (p.args.empty()) return absl::InvalidArgumentError("exec: no command given");
  for (const std::string& e : o.env) SetEnv(&p.env, e);
  if (!o.cwd.empty()) p.cwd = o.cwd;
  if (o.user) RETURN_IF_ERROR(ParseUserFlag(*o.user, &p.user));
  p.terminal = o.tty;
  if (o.console_size) p.console_size = o.console_size;
  p.no_new_privileges |= o.no_new_privs;
  if (!o.add_caps.empty()) {
    Capabilities c = p.capabilities.value_or(Capabilities{});
    for (const std::string& cap : o.add_caps) {
      for (auto* set : {&c.bounding, &c.effective, &c.inheritable, &c.permitted, &c.ambient}) {
        set->push_back(cap);
      }
    }
    p.capabilities = c;
  }
  return p;
}

// Namespace files of the container's init that differ from ours, joined in
// this order, user last (as the process is finalised), so every other join
// and the rlimits use the host's rights (a
// container that joined a pod's user namespace keeps mount and pid namespaces
// its user namespace does not own, see NsPlan::user_path).
absl::StatusOr<std::vector<sys::UniqueFd>> OpenContainerNs(pid_t pid, std::vector<int>* types) {
  const std::pair<const char*, int> kNs[] = {{"ipc", CLONE_NEWIPC},       {"uts", CLONE_NEWUTS},
                                             {"net", CLONE_NEWNET},       {"cgroup", CLONE_NEWCGROUP},
                                             {"time", 0x80},              {"mnt", CLONE_NEWNS},
                                             {"user", CLONE_NEWUSER}};
  std::vector<sys::UniqueFd> fds;
  for (const auto& [name, flag] : kNs) {
    std::string theirs = absl::StrCat("/proc/", pid, "/ns/", name);
    struct stat a, b;
    if (::stat(theirs.c_str(), &a) != 0) continue;
    std::string ours = absl::StrCat("/proc/self/ns/", name);
    if (::stat(ours.c_str(), &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev) continue;
    ASSIGN_OR_RETURN(sys::UniqueFd fd, sys::Open(theirs, O_RDONLY));
    fds.push_back(std::move(fd));
    types->push_back(flag);
  }
  return fds;
}

struct ExecChild {
  pid_t init_pid;
  linux::ProcessSetup proc;
  std::vector<sys::UniqueFd> ns_fds;
  std::vector<int> ns_types;
  sys::UniqueFd root;
  // v1 dirs the child joins itself while it still sees the host's cgroupfs
  // (Manager::SelfJoinDirs); empty: the parent adds it.
  std::vector<std::string> cgroup_self_join;
};

absl::Status EnterContainer(ExecChild& e) {
  for (size_t i = 0; i < e.ns_fds.size(); i++) {
    if (e.ns_types[i] == CLONE_NEWUSER) {
      e.proc.late_userns_fd = e.ns_fds[i].get();  // joined as the process is finalised
      continue;
    }
    if (::setns(e.ns_fds[i].get(), e.ns_types[i]) != 0) {
      return sys::ErrnoStatus(errno, "setns into container namespace (type %#x)", e.ns_types[i]);
    }
  }
  if (::fchdir(e.root.get()) != 0 || ::chroot(".") != 0 || ::chdir("/") != 0) {
    return sys::ErrnoStatus(errno, "enter container root");
  }
  if (::setsid() < 0) return sys::ErrnoStatus(errno, "setsid");
  return absl::OkStatus();
}

[[noreturn]] void RunExecChild(ExecChild& e, linux::SyncSocket& sock) {
  auto ready = sock.Expect(linux::SyncMsg::kParentReady);
  if (!ready.ok()) _exit(1);
  absl::Status st = cgroup::JoinSelf(e.cgroup_self_join);
  if (st.ok()) st = EnterContainer(e);
  absl::StatusOr<std::string> path;
  if (st.ok()) {
    linux::AddHomeEnv(&e.proc.env, e.proc.process->user.uid);
    path = linux::FinalizeProcess(e.proc);
    st = path.status();
  }
  if (st.ok()) st = linux::ExecProcess(e.proc, *path);
  (void)sock.SendError(st);
  _exit(127);
}

}  // namespace

absl::StatusOr<pid_t> Runtime::Exec(const std::string& id, const ExecOptions& opts) {
  ASSIGN_OR_RETURN(internal::Loaded l, internal::Load(opts_, id, internal::Need::kSpec));
  if (l.stored.state.status != "running" && l.stored.state.status != "created") {
    return absl::FailedPreconditionError(
        absl::StrCat("exec in container ", id, ": container is ", l.stored.state.status));
  }
  ASSIGN_OR_RETURN(Process process, ExecProcessSpec(l.spec, opts));
  if (process.capabilities) {
    linux::WarnUnknownCaps(linux::DropUnknownCaps(*process.capabilities));
  }
  pid_t init = l.stored.state.pid;
  ExecChild e{init, {}, {}, {}, {}, {}};
  e.proc.process = &process;
  if (l.spec.linux_spec && l.spec.linux_spec->seccomp)
    e.proc.seccomp = &*l.spec.linux_spec->seccomp;
  e.proc.stdio[0] = opts.stdin_fd;
  e.proc.stdio[1] = opts.stdout_fd;
  e.proc.stdio[2] = opts.stderr_fd;
  e.proc.preserve_fds = opts.preserve_fds;
  e.proc.env = process.env;
  sys::UniqueFd console;
  if (process.terminal && !opts.console_socket.empty()) {
    ASSIGN_OR_RETURN(console, linux::ConnectConsoleSocket(opts.console_socket));
    e.proc.console_fd = console.get();
  } else if (process.terminal && opts.console_socket_fd >= 0) {
    e.proc.console_fd = opts.console_socket_fd;
  }
  ASSIGN_OR_RETURN(e.ns_fds, OpenContainerNs(init, &e.ns_types));
  absl::StatusOr<sys::UniqueFd> root =
      sys::Open(absl::StrCat("/proc/", init, "/root"), O_RDONLY | O_DIRECTORY);
  if (!root.ok()) return sys::Annotate(root.status(), "root of container %s", id);
  e.root = std::move(*root);
  ASSIGN_OR_RETURN(auto cg, internal::AttachCgroup(l.stored));
  e.cgroup_self_join = cg->SelfJoinDirs();  // the child is still in the host's user namespace
  ASSIGN_OR_RETURN(auto pair, linux::SyncSocket::Pair());
  std::optional<linux::PidNsGuard> pidns;
  ASSIGN_OR_RETURN(pidns, linux::PidNsGuard::Enter(absl::StrCat("/proc/", init, "/ns/pid")));
  linux::SyncSocket& child_sock = pair.second;
  auto run = [&] {
    RunExecChild(e, child_sock);
    return 1;
  };
  ASSIGN_OR_RETURN(linux::Cloned child, linux::CloneProcess(0, run));
  pidns.reset();
  pair.second.Close();
  sys::Rollback rb;
  rb.Add("kill exec process", [&] { return linux::KillAndReap(child.pid, child.pidfd.get()); });
  if (e.cgroup_self_join.empty()) {
    RETURN_IF_ERROR(
        sys::Annotate(cg->AddProcess(child.pid), "exec in container %s: join cgroup", id));
  }
  RETURN_IF_ERROR(pair.first.Send(linux::SyncMsg::kParentReady));
  auto msg = pair.first.Recv();
  if (msg.ok()) {
    absl::Status err = msg->type == linux::SyncMsg::kChildError
                           ? linux::DecodeError(msg->payload)
                           : absl::InternalError("unexpected sync message");
    return sys::Annotate(err, "exec in container %s", id);
  }
  if (!absl::IsUnavailable(msg.status())) return msg.status();
  rb.Commit();  // EOF: the socket closed on execve, the process runs.
  if (!opts.pid_file.empty()) {
    RETURN_IF_ERROR(sys::WriteFileAtomic(opts.pid_file, std::to_string(child.pid), 0644,
                                         sys::Durability::kBootOnly));
  }
  return child.pid;
}

}  // namespace cricket::oci
