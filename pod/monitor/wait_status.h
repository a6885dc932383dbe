// Wait statuses as CRI exit codes: the code, or 128+N when killed by signal N.
#pragma once

#include <sys/types.h>
#include <sys/wait.h>

#include <cerrno>

namespace cricket::pod::monitor {

inline int ExitCodeOf(int status) {
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

// Reaps pid (a child of ours), retrying EINTR; its exit code.
inline int ReapExitCode(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return ExitCodeOf(status);
}

}  // namespace cricket::pod::monitor
