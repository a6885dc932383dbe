// cricket's RuntimeDefault seccomp profile: moby's (Docker's) default
// allowlist — everything a normal program needs, for 64- and 32-bit x86
// programs alike, plus groups of syscalls opened only when the container holds
// the capability that guards them. Known syscalls outside the list fail with
// EPERM; syscalls newer than the profile with ENOSYS (the engine's stub, see
// oci/linux/seccomp_enosys.h), so that a libc tries the older call instead.
// Stricter than moby in one place: ptrace and process_vm_{read,write}v need
// CAP_SYS_PTRACE (moby opens them on kernels from 4.8), so that a container
// without it cannot attach to or read the memory of its other processes.
#include <algorithm>
#include <set>

#include "pod/spec/builders.h"

namespace cricket::pod::spec {
namespace {

constexpr const char* kAlways[] = {
    "accept", "accept4", "access", "adjtimex", "alarm", "arch_prctl", "bind", "brk", "capget",
    "capset", "chdir", "chmod", "chown", "clock_adjtime", "clock_getres", "clock_gettime",
    "clock_nanosleep", "close", "close_range", "connect", "copy_file_range", "creat", "dup", "dup2",
    "dup3", "epoll_create", "epoll_create1", "epoll_ctl", "epoll_pwait", "epoll_pwait2",
    "epoll_wait", "eventfd", "eventfd2", "execve", "execveat", "exit", "exit_group", "faccessat",
    "faccessat2", "fadvise64", "fallocate", "fanotify_mark", "fchdir", "fchmod", "fchmodat",
    "fchown", "fchownat", "fcntl", "fdatasync", "fgetxattr", "flistxattr", "flock", "fork",
    "fremovexattr", "fsetxattr", "fstat", "fstatfs", "fsync", "ftruncate", "futex", "futex_waitv",
    "futimesat", "getcpu", "getcwd", "getdents", "getdents64", "getegid", "geteuid", "getgid",
    "getgroups", "getitimer", "getpeername", "getpgid", "getpgrp", "getpid", "getppid",
    "getpriority", "getrandom", "getresgid", "getresuid", "getrlimit", "get_robust_list",
    "getrusage", "getsid", "getsockname", "getsockopt", "get_thread_area", "gettid",
    "gettimeofday", "getuid", "getxattr", "inotify_add_watch", "inotify_init", "inotify_init1",
    "inotify_rm_watch", "io_cancel", "ioctl", "io_destroy", "io_getevents", "io_pgetevents",
    "ioprio_get", "ioprio_set", "io_setup", "io_submit", "kill", "landlock_add_rule",
    "landlock_create_ruleset", "landlock_restrict_self", "lchown", "lgetxattr", "link", "linkat",
    "listen", "listxattr", "llistxattr", "lremovexattr", "lseek", "lsetxattr", "lstat", "madvise",
    "membarrier", "memfd_create", "memfd_secret", "mincore", "mkdir", "mkdirat", "mknod",
    "mknodat", "mlock", "mlock2", "mlockall", "mmap", "mprotect", "mq_getsetattr", "mq_notify",
    "mq_open", "mq_timedreceive", "mq_timedsend", "mq_unlink", "mremap", "msgctl", "msgget",
    "msgrcv", "msgsnd", "msync", "munlock", "munlockall", "munmap", "name_to_handle_at",
    "nanosleep", "newfstatat", "open", "openat", "openat2", "pause", "pidfd_open",
    "pidfd_send_signal", "pipe", "pipe2", "pkey_alloc", "pkey_free", "pkey_mprotect", "poll",
    "ppoll", "prctl", "pread64", "preadv", "preadv2", "prlimit64", "process_mrelease", "pselect6",
    "pwrite64",
    "pwritev", "pwritev2", "read", "readahead", "readlink", "readlinkat", "readv", "recvfrom",
    "recvmmsg", "recvmsg", "remap_file_pages", "removexattr", "rename", "renameat", "renameat2",
    "restart_syscall", "rmdir", "rseq", "rt_sigaction", "rt_sigpending", "rt_sigprocmask",
    "rt_sigqueueinfo", "rt_sigreturn", "rt_sigsuspend", "rt_sigtimedwait", "rt_tgsigqueueinfo",
    "sched_getaffinity", "sched_getattr", "sched_getparam", "sched_get_priority_max",
    "sched_get_priority_min", "sched_getscheduler", "sched_rr_get_interval", "sched_setaffinity",
    "sched_setattr", "sched_setparam", "sched_setscheduler", "sched_yield", "seccomp", "select",
    "semctl", "semget", "semop", "semtimedop", "sendfile", "sendmmsg", "sendmsg", "sendto",
    "setfsgid", "setfsuid", "setgid", "setgroups", "setitimer", "setpgid", "setpriority",
    "setregid", "setresgid", "setresuid", "setreuid", "setrlimit", "set_robust_list", "setsid",
    "setsockopt", "set_thread_area", "set_tid_address", "setuid", "setxattr", "shmat", "shmctl",
    "shmdt", "shmget", "shutdown", "sigaltstack", "signalfd", "signalfd4", "socketpair", "splice",
    "stat", "statfs", "statx", "symlink", "symlinkat", "sync", "sync_file_range", "syncfs",
    "sysinfo", "tee", "tgkill", "time", "timer_create", "timer_delete", "timer_getoverrun",
    "timer_gettime", "timer_settime", "timerfd_create", "timerfd_gettime", "timerfd_settime",
    "times", "tkill", "truncate", "umask", "uname", "unlink", "unlinkat", "utime", "utimensat",
    "utimes", "vfork", "vmsplice", "wait4", "waitid", "write", "writev", "modify_ldt",
    "epoll_ctl_old", "epoll_wait_old",
};

// The names only 32-bit x86 (and other 32-bit ABIs) have: without them a
// 32-bit program's mmap2, fstat64, socketcall... fail though the profile
// lists SCMP_ARCH_X86. libseccomp adds each only to the arches that have it.
constexpr const char* kAlways32[] = {
    "_llseek", "_newselect", "chown32", "clock_adjtime64", "clock_getres_time64",
    "clock_gettime64", "clock_nanosleep_time64", "fadvise64_64", "fchown32", "fcntl64",
    "fstat64", "fstatat64", "fstatfs64", "ftruncate64", "futex_time64", "getegid32",
    "geteuid32", "getgid32", "getgroups32", "getresgid32", "getresuid32", "getuid32",
    "io_pgetevents_time64", "ipc", "lchown32", "lstat64", "mmap2", "mq_timedreceive_time64",
    "mq_timedsend_time64", "ppoll_time64", "pselect6_time64", "recv", "recvmmsg_time64",
    "rt_sigtimedwait_time64", "sched_rr_get_interval_time64", "semtimedop_time64", "send",
    "sendfile64", "setfsgid32", "setfsuid32", "setgid32", "setgroups32", "setregid32",
    "setresgid32", "setresuid32", "setreuid32", "setuid32", "sigprocmask", "sigreturn",
    "socketcall", "stat64", "statfs64", "timer_gettime64", "timer_settime64",
    "timerfd_gettime64", "timerfd_settime64", "truncate64", "ugetrlimit", "utimensat_time64",
    "waitpid",
};

struct CapGroup {
  const char* cap;
  std::vector<const char*> syscalls;
};

const CapGroup kByCap[] = {
    {"CAP_SYS_ADMIN", {"bpf", "clone", "clone3", "fanotify_init", "fsconfig", "fsmount", "fsopen",
                       "fspick", "lookup_dcookie", "mount", "mount_setattr", "move_mount",
                       "open_tree", "perf_event_open", "quotactl", "quotactl_fd", "setdomainname",
                       "sethostname", "setns", "syslog", "umount", "umount2", "unshare"}},
    {"CAP_SYS_BOOT", {"reboot"}},
    {"CAP_SYS_CHROOT", {"chroot"}},
    {"CAP_SYS_MODULE", {"delete_module", "init_module", "finit_module"}},
    {"CAP_SYS_PACCT", {"acct"}},
    {"CAP_SYS_RAWIO", {"iopl", "ioperm"}},
    {"CAP_SYS_PTRACE", {"kcmp", "pidfd_getfd", "process_madvise", "process_vm_readv",
                        "process_vm_writev", "ptrace"}},
    {"CAP_DAC_READ_SEARCH", {"open_by_handle_at"}},
    {"CAP_SYS_TIME", {"settimeofday", "stime", "clock_settime", "clock_settime64"}},
    {"CAP_SYS_TTY_CONFIG", {"vhangup"}},
    {"CAP_SYS_NICE", {"get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node"}},
    {"CAP_SYSLOG", {"syslog"}},
    {"CAP_BPF", {"bpf"}},
    {"CAP_PERFMON", {"perf_event_open"}},
};

// clone(2) flags that make new namespaces.
constexpr uint64_t kCloneNamespaceFlags = 0x7E020000;
constexpr uint64_t kAfVsock = 40;
constexpr uint32_t kEnosys = 38;
constexpr uint32_t kEperm = 1;

bool Has(const std::vector<std::string>& caps, const std::string& cap) {
  return std::find(caps.begin(), caps.end(), cap) != caps.end();
}

oci::SeccompSyscall Allow(std::vector<std::string> names, std::vector<oci::SeccompArg> args = {}) {
  return {.names = std::move(names), .action = "SCMP_ACT_ALLOW", .args = std::move(args)};
}

oci::SeccompSyscall Deny(std::vector<std::string> names, uint32_t err) {
  return {.names = std::move(names), .action = "SCMP_ACT_ERRNO", .errno_ret = err};
}

}  // namespace

oci::Seccomp DefaultSeccompProfile(const std::vector<std::string>& caps) {
  std::vector<oci::SeccompSyscall> rules;
  std::vector<std::string> always(std::begin(kAlways), std::end(kAlways));
  always.insert(always.end(), std::begin(kAlways32), std::end(kAlways32));
  rules.push_back(Allow(std::move(always)));
  // personality: only the harmless personas.
  for (uint64_t persona : {0x0ULL, 0x8ULL, 0x20000ULL, 0x20008ULL, 0xffffffffULL}) {
    rules.push_back(Allow({"personality"}, {{.index = 0, .value = persona, .op = "SCMP_CMP_EQ"}}));
  }
  rules.push_back(Allow({"socket"}, {{.index = 0, .value = kAfVsock, .op = "SCMP_CMP_NE"}}));
  bool sys_admin = Has(caps, "CAP_SYS_ADMIN");
  if (!sys_admin) {
    rules.push_back(Allow({"clone"}, {{.index = 0,
                                       .value = kCloneNamespaceFlags,
                                       .value_two = 0,
                                       .op = "SCMP_CMP_MASKED_EQ"}}));
    // clone3 hides its flags in memory seccomp can't read: ENOSYS makes libc fall back to clone.
    rules.push_back(Deny({"clone3"}, kEnosys));
  }
  for (const auto& g : kByCap) {
    if (Has(caps, g.cap)) rules.push_back(Allow(std::vector<std::string>(g.syscalls.begin(), g.syscalls.end())));
  }
  // The gated syscalls no rule names, listed though their action is the
  // default: they are known to the profile, so they stay EPERM and never
  // fall under the ENOSYS of syscalls newer than it.
  std::set<std::string> named;
  for (const auto& r : rules) named.insert(r.names.begin(), r.names.end());
  std::set<std::string> denied;
  for (const auto& g : kByCap) {
    for (const char* n : g.syscalls) {
      if (!named.count(n)) denied.insert(n);
    }
  }
  if (!denied.empty()) rules.push_back(Deny({denied.begin(), denied.end()}, kEperm));
  return {.default_action = "SCMP_ACT_ERRNO",
          .default_errno_ret = kEperm,
          .architectures = {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"},
          .syscalls = std::move(rules)};
}

}  // namespace cricket::pod::spec
