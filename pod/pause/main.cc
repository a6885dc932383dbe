// cricket-pause: the infra process of a pod that shares one pid namespace (PID 1 there:
// it reaps orphaned zombies and exits 0 on SIGINT/SIGTERM) and the benchmarks' pause image.
// Kept C-style and static on purpose: it runs alone in an empty rootfs and must stay tiny.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CRICKET_VERSION
#define CRICKET_VERSION "unknown"
#endif

namespace {

// Only async-signal-safe calls in the handlers: write(2) and _exit(2).
void OnShutdown(int) {
  static const char kMsg[] = "cricket-pause: shutting down\n";
  ssize_t ignored = write(STDERR_FILENO, kMsg, sizeof(kMsg) - 1);
  (void)ignored;
  _exit(0);
}

// As PID 1 of the pod's pid namespace, every orphan of the pod is re-parented here:
// reap them all so no zombie outlives its container.
void OnChild(int) {
  int saved = errno;
  while (waitpid(-1, nullptr, WNOHANG) > 0) {
  }
  errno = saved;
}

bool Install(int signo, void (*handler)(int), int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = handler;
  sa.sa_flags = flags;
  sigemptyset(&sa.sa_mask);
  // A shutdown must not interrupt a reap half-way, and vice versa: block the others.
  sigaddset(&sa.sa_mask, SIGINT);
  sigaddset(&sa.sa_mask, SIGTERM);
  sigaddset(&sa.sa_mask, SIGCHLD);
  return sigaction(signo, &sa, nullptr) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  int ready_fd = -1;
  for (int i = 1; i < argc; ++i) {
    if (strcmp(argv[i], "-v") == 0 || strcmp(argv[i], "--version") == 0) {
      printf("cricket-pause %s\n", CRICKET_VERSION);
      return 0;
    }
    if (sscanf(argv[i], "--ready-fd=%d", &ready_fd) == 1 && ready_fd >= 3) continue;
    fprintf(stderr, "cricket-pause: unknown argument %s (only -v, --ready-fd=N)\n", argv[i]);
    return 2;
  }
  if (getpid() != 1) {
    // Still useful (tests, the benchmarks' image under another runtime), but worth a word.
    fprintf(stderr, "cricket-pause: warning: not PID 1 (pid %d)\n", static_cast<int>(getpid()));
  }
  if (!Install(SIGINT, OnShutdown, 0) || !Install(SIGTERM, OnShutdown, 0) ||
      !Install(SIGCHLD, OnChild, SA_NOCLDSTOP | SA_RESTART)) {
    perror("cricket-pause: sigaction");
    return 1;
  }
  // Reap anything that died before the handler was in place.
  OnChild(SIGCHLD);
  if (ready_fd >= 0) {
    // cricketd waits for this byte before it pins our pid namespace: from here
    // on, only a signal ends us.
    ssize_t ignored = write(ready_fd, "r", 1);
    (void)ignored;
    close(ready_fd);  // NOLINT(cricket-raw-call): a static C program without oci/sys
  }
  for (;;) {
    pause();
  }
}
