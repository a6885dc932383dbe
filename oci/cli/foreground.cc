// Signal forwarding and waiting for the foreground container process.
#include "oci/cli/foreground.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "oci/sys/child_process.h"
#include "oci/sys/status.h"
#include "oci/sys/unique_fd.h"

namespace cricket::oci::cli {
namespace {

int CodeOf(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 255;
}

// Reaps every exited child; true with *code set once `pid` is among them.
absl::StatusOr<bool> ReapChildren(pid_t pid, int* code) {
  for (;;) {
    int status = 0;
    pid_t w = waitpid(-1, &status, WNOHANG);
    if (w == 0) return false;
    if (w < 0) {
      if (errno == EINTR) continue;
      return sys::ErrnoStatus(errno, "wait for container process %d", static_cast<int>(pid));
    }
    if (w == pid) {
      *code = CodeOf(status);
      return true;
    }
  }
}

}  // namespace

void BecomeSubreaper() { prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); }

absl::StatusOr<int> ForwardSignalsUntilExit(pid_t pid) {
  sigset_t set, old;
  sigfillset(&set);
  for (int s : {SIGKILL, SIGSTOP, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGABRT}) {
    sigdelset(&set, s);
  }
  if (sigprocmask(SIG_BLOCK, &set, &old) != 0) return sys::ErrnoStatus(errno, "block signals");
  struct MaskRestore {
    sigset_t mask;
    ~MaskRestore() { sigprocmask(SIG_SETMASK, &mask, nullptr); }
  } restore{old};
  sys::UniqueFd sfd(signalfd(-1, &set, SFD_CLOEXEC));
  if (!sfd) return sys::ErrnoStatus(errno, "signalfd");
  int code = 0;
  for (;;) {
    // Reap first: the process may have exited before the mask was set.
    ASSIGN_OR_RETURN(bool done, ReapChildren(pid, &code));
    if (done) return code;
    struct signalfd_siginfo si;
    ssize_t n = read(sfd.get(), &si, sizeof(si));
    if (n < 0 && errno == EINTR) continue;
    if (n != sizeof(si)) return sys::ErrnoStatus(errno, "read signalfd");
    int sig = static_cast<int>(si.ssi_signo);
    if (sig == SIGCHLD || sig == SIGWINCH || sig == SIGPIPE || sig == SIGURG) continue;
    // The process may be gone already; its exit shows up as SIGCHLD next.
    (void)sys::SignalPid(pid, sig);
  }
}

}  // namespace cricket::oci::cli
