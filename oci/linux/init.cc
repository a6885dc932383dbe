// The container init's steps, in order. Each step is a function; RunInit
// reads as the list. Errors go up the sync socket as text.
#include "oci/linux/init.h"

#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <linux/close_range.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "oci/cgroup/cgroup_fs.h"
#include "oci/linux/caps.h"
#include "oci/linux/devices.h"
#include "oci/linux/hooks.h"
#include "oci/linux/rlimits.h"
#include "oci/linux/rootfs.h"
#include "oci/linux/seccomp.h"
#include "oci/linux/sysctl.h"
#include "oci/linux/terminal.h"
#include "oci/linux/users.h"
#include "oci/sys/safe_path.h"
#include "oci/sys/status.h"
#include "oci/sys/unique_fd.h"

namespace cricket::oci::linux {
namespace {

[[noreturn]] void Fail(SyncSocket& sock, const absl::Status& st) {
  (void)sock.SendError(st);
  _exit(1);
}

absl::Status SetupMounts(const InitConfig& c) {
  RETURN_IF_ERROR(PrepareRoot(c.rootfs));
  ASSIGN_OR_RETURN(sys::UniqueFd root, sys::OpenRoot(c.rootfs));
  for (const MountStep& m : c.mounts) RETURN_IF_ERROR(DoMount(root.get(), m, c.ns.any_user));
  std::vector<Device> devices;
  if (c.setup_dev) devices = DefaultDevices();
  if (c.spec->linux_spec && c.spec->linux_spec->devices) {
    const std::vector<Device>& listed = *c.spec->linux_spec->devices;
    devices.insert(devices.end(), listed.begin(), listed.end());
  }
  RETURN_IF_ERROR(CreateDevices(root.get(), devices, c.ns.any_user));
  if (c.setup_dev) RETURN_IF_ERROR(CreateDevLinks(root.get()));
  return absl::OkStatus();
}

// In a user namespace our host uid is unmapped until we switch to the
// namespace's root; without it every file creation fails with EOVERFLOW.
absl::Status BecomeNamespaceRoot() {
  if (::setresgid(0, 0, 0) != 0) return sys::ErrnoStatus(errno, "setgid 0 in user namespace");
  if (::setresuid(0, 0, 0) != 0) return sys::ErrnoStatus(errno, "setuid 0 in user namespace");
  ::setgroups(0, nullptr);  // fails when setgroups is denied; harmless
  return absl::OkStatus();
}

absl::Status SetNames(const Spec& s) {
  if (!s.hostname.empty() && ::sethostname(s.hostname.data(), s.hostname.size()) != 0) {
    return sys::ErrnoStatus(errno, "sethostname %s", s.hostname);
  }
  if (!s.domainname.empty() && ::setdomainname(s.domainname.data(), s.domainname.size()) != 0) {
    return sys::ErrnoStatus(errno, "setdomainname %s", s.domainname);
  }
  return absl::OkStatus();
}

absl::Status SwitchRoot(const InitConfig& c) {
  RETURN_IF_ERROR(c.no_pivot ? MoveRoot(c.rootfs) : PivotRoot(c.rootfs));
  if (!c.spec->linux_spec) return absl::OkStatus();
  return ApplyRootPropagation(c.spec->linux_spec->rootfs_propagation);
}

absl::Status FinishRoot(const InitConfig& c) {
  if (c.spec->linux_spec) {
    const Linux& l = *c.spec->linux_spec;
    RETURN_IF_ERROR(ApplySysctls(l.sysctl));
    if (l.masked_paths) RETURN_IF_ERROR(MaskPaths(*l.masked_paths));
    if (l.readonly_paths) RETURN_IF_ERROR(ReadonlyPaths(*l.readonly_paths, c.ns.any_user));
  }
  if (c.spec->root.readonly) RETURN_IF_ERROR(ReadonlyRoot(c.ns.any_user));
  return absl::OkStatus();
}

// Blocks until Start writes the start byte into exec.fifo. The fd is the
// O_RDWR end the parent opened before clone: being a writer too, init reads
// data or waits, never EOF. Only read and close follow seccomp here. Closed
// so no preserved fd number can carry it into the container process.
absl::Status WaitForStart(int fifo_fd) {
  sys::UniqueFd fd(fifo_fd);
  char b;
  ssize_t n;
  do {
    n = ::read(fd.get(), &b, 1);
  } while (n < 0 && errno == EINTR);
  if (n != 1) return sys::ErrnoStatus(n < 0 ? errno : EPIPE, "read exec fifo");
  return absl::OkStatus();
}

absl::Status SetupStdio(const ProcessSetup& p) {
  if (p.process->terminal && p.console_fd >= 0) {
    return SetupTerminal(p.console_fd, p.process->console_size);
  }
  int tmp[3];
  for (int i = 0; i < 3; i++) {
    tmp[i] = ::fcntl(p.stdio[i], F_DUPFD_CLOEXEC, 3);
    if (tmp[i] < 0) return sys::ErrnoStatus(errno, "dup stdio fd %d", p.stdio[i]);
  }
  for (int i = 0; i < 3; i++) {
    if (::dup3(tmp[i], i, 0) < 0) return sys::ErrnoStatus(errno, "dup stdio onto %d", i);
    ::close(tmp[i]);
  }
  return absl::OkStatus();
}

// process.apparmorProfile: the kernel confines us in it from the execve on
// (runc's order: before no_new_privs, seccomp and the user switch).
absl::Status ApplyAppArmor(const std::string& profile) {
  const std::string cmd = "exec " + profile;
  for (const char* attr : {"/proc/self/attr/apparmor/exec", "/proc/self/attr/exec"}) {
    sys::UniqueFd fd(::open(attr, O_WRONLY | O_CLOEXEC));
    if (!fd && errno == ENOENT) continue;  // kernels before 5.8 have only the second
    if (!fd) return sys::ErrnoStatus(errno, "apparmor profile %s: open %s", profile, attr);
    if (::write(fd.get(), cmd.data(), cmd.size()) < 0) {
      return sys::ErrnoStatus(errno, "apparmor profile %s: write %s", profile, attr);
    }
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError("apparmor profile " + profile + ": the kernel has no AppArmor");
}

absl::Status ApplyIdentity(const Process& pr, const Seccomp* seccomp) {
  // Without no_new_privs, loading seccomp needs CAP_SYS_ADMIN: do it while
  // we still have it (runc's order). With it, as late as possible.
  if (seccomp != nullptr && !pr.no_new_privileges) RETURN_IF_ERROR(LoadSeccomp(*seccomp));
  Capabilities caps = pr.capabilities.value_or(Capabilities{});
  RETURN_IF_ERROR(ApplyBounding(caps));
  if (::prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0) return sys::ErrnoStatus(errno, "PR_SET_KEEPCAPS");
  RETURN_IF_ERROR(SetupUser(pr.user));
  if (::prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0) return sys::ErrnoStatus(errno, "PR_SET_KEEPCAPS");
  RETURN_IF_ERROR(ApplyCaps(caps));
  if (pr.no_new_privileges && ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    return sys::ErrnoStatus(errno, "PR_SET_NO_NEW_PRIVS");
  }
  if (seccomp != nullptr && pr.no_new_privileges) RETURN_IF_ERROR(LoadSeccomp(*seccomp));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> LookPath(const std::string& name, const std::vector<std::string>& env) {
  if (name.empty()) return absl::InvalidArgumentError("process.args: must not be empty");
  if (name.find('/') != std::string::npos) {
    if (::access(name.c_str(), X_OK) != 0) return sys::ErrnoStatus(errno, "exec %s", name);
    return name;
  }
  std::string path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  for (const std::string& e : env) {
    if (e.rfind("PATH=", 0) == 0) path = e.substr(5);
  }
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find(':', i);
    if (j == std::string::npos) j = path.size();
    std::string dir = j > i ? path.substr(i, j - i) : ".";
    std::string cand = dir + "/" + name;
    struct stat st;
    if (::stat(cand.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        ::access(cand.c_str(), X_OK) == 0) {
      return cand;
    }
    i = j + 1;
  }
  return absl::NotFoundError("exec: \"" + name + "\": executable file not found in $PATH");
}

absl::StatusOr<std::string> FinalizeProcess(const ProcessSetup& p) {
  const Process& pr = *p.process;
  RETURN_IF_ERROR(ApplyRlimits(pr.rlimits));
  if (pr.oom_score_adj) RETURN_IF_ERROR(ApplyOomScoreAdj(*pr.oom_score_adj));
  RETURN_IF_ERROR(SetupStdio(p));
  if (!pr.apparmor_profile.empty()) RETURN_IF_ERROR(ApplyAppArmor(pr.apparmor_profile));
  if (p.late_userns_fd >= 0) {
    if (::setns(p.late_userns_fd, CLONE_NEWUSER) != 0) {
      return sys::ErrnoStatus(errno, "join the container's user namespace");
    }
    RETURN_IF_ERROR(BecomeNamespaceRoot());
  }
  RETURN_IF_ERROR(ApplyIdentity(pr, p.seccomp));
  if (::chdir(pr.cwd.c_str()) != 0) return sys::ErrnoStatus(errno, "chdir to cwd %s", pr.cwd);
  if (pr.args.empty()) return absl::InvalidArgumentError("process.args: must not be empty");
  return LookPath(pr.args[0], p.env);
}

// The caller's blocked signals and ignored dispositions would survive
// execve; the container process must start with defaults.
void ResetSignals() {
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int s = 1; s < NSIG; s++) {
    if (s == SIGKILL || s == SIGSTOP) continue;
    ::signal(s, SIG_DFL);
  }
}

absl::Status ExecProcess(const ProcessSetup& p, const std::string& path) {
  ResetSignals();
  for (int fd = 3; fd < 3 + p.preserve_fds; fd++) {
    int flags = ::fcntl(fd, F_GETFD);
    if (flags >= 0) ::fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC);
  }
  ::close_range(3 + p.preserve_fds, ~0U, CLOSE_RANGE_CLOEXEC);
  std::vector<char*> argv, envp;
  for (const std::string& a : p.process->args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (const std::string& e : p.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  ::execve(path.c_str(), argv.data(), envp.data());
  return sys::ErrnoStatus(errno, "exec %s", path);
}

void RunInit(const InitConfig& c, SyncSocket& sock) {
  auto state = sock.Expect(SyncMsg::kParentReady);
  if (!state.ok()) _exit(1);
  auto step = [&](const absl::Status& st, const char* what) {
    if (!st.ok()) Fail(sock, sys::Annotate(st, what));
  };
  // Before anything that forks or allocates much: runc's rule that no child
  // escapes the cgroup, and the container is charged for its own setup.
  step(cgroup::JoinSelf(c.cgroup_self_join), "join cgroup");
  step(JoinNamespaces(c.ns.joins), "join namespaces");
  absl::StatusOr<sys::UniqueFd> late_user = OpenLateUserNamespace(c.ns);
  if (!late_user.ok()) Fail(sock, late_user.status());
  if (c.ns.new_user) step(BecomeNamespaceRoot(), "user namespace");
  if (::setsid() < 0) Fail(sock, sys::ErrnoStatus(errno, "setsid"));
  step(SetupMounts(c), "set up rootfs");
  step(UnshareLate(c.ns, c.spec->linux_spec ? c.spec->linux_spec->time_offsets
                                            : std::map<std::string, TimeOffset>{}),
       "namespaces");
  step(SetNames(*c.spec), "set hostname");
  step(sock.Send(SyncMsg::kChildHooks), "sync");
  step(sock.Expect(SyncMsg::kParentHooksDone).status(), "sync");
  step(RunHooks(c.spec->hooks.create_container, *state, "createContainer"), "hooks");
  step(SwitchRoot(c), "switch root");
  step(FinishRoot(c), "finish rootfs");
  ProcessSetup proc = c.proc;
  proc.late_userns_fd = late_user->get();
  AddHomeEnv(&proc.env, proc.process->user.uid);
  auto path = FinalizeProcess(proc);
  if (!path.ok()) Fail(sock, sys::Annotate(path.status(), "unable to start container process"));
  step(sock.Send(SyncMsg::kChildReady), "sync");
  absl::Status st = WaitForStart(c.fifo_fd);
  if (st.ok()) st = RunHooks(c.spec->hooks.start_container, *state, "startContainer");
  if (st.ok()) st = ExecProcess(proc, *path);
  dprintf(2, "cricket init: %s\n", std::string(st.message()).c_str());
  _exit(127);
}

}  // namespace cricket::oci::linux
