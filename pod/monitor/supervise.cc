// poll(2) over the output fds and a signalfd. SIGCHLD reaps every child
// (orphans of the container are reparented to us); SIGUSR1 reopens the log;
// SIGTERM/SIGINT/SIGHUP are swallowed: the monitor outlives cricketd.
#include "pod/monitor/supervise.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "oci/sys/log.h"
#include "oci/sys/status.h"
#include "pod/monitor/oom_counter.h"

namespace cricket::pod::monitor {
namespace {

sigset_t HandledSignals() {
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGCHLD, SIGUSR1, SIGTERM, SIGINT, SIGHUP}) sigaddset(&set, s);
  return set;
}

// Reads what is there; false on EOF or error (the fd is then closed).
bool Pump(sys::UniqueFd& fd, const char* stream, LogWriter& log, AttachServer& attach) {
  char buf[32 * 1024];
  ssize_t n = ::read(fd.get(), buf, sizeof(buf));
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  if (n <= 0) {  // EOF, or EIO on a pty whose slave side is gone
    fd.Reset();
    return false;
  }
  std::string_view chunk(buf, static_cast<size_t>(n));
  log.Write(stream, chunk);  // a cap or a full disk is said once, by the writer
  attach.Output(std::string_view(stream) == "stderr", chunk);
  return true;
}

// After init is gone, takes what is still buffered without waiting for
// writers that may live on (processes in a shared pid namespace).
void Drain(sys::UniqueFd& fd, const char* stream, LogWriter& log, AttachServer& attach) {
  if (!fd) return;
  int fl = ::fcntl(fd.get(), F_GETFL);
  if (fl >= 0) ::fcntl(fd.get(), F_SETFL, fl | O_NONBLOCK);
  for (int i = 0; i < 4096 && fd; ++i) {
    struct pollfd p = {fd.get(), POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0) break;
    if (!Pump(fd, stream, log, attach)) break;
  }
}

// Reaps every exited child; true when init was among them.
bool ReapAll(pid_t init_pid, int* init_status) {
  bool init_done = false;
  for (;;) {
    int status = 0;
    pid_t p = ::waitpid(-1, &status, WNOHANG);
    if (p <= 0) break;
    if (p == init_pid) {
      *init_status = status;
      init_done = true;
    }
  }
  return init_done;
}

// Handles one signal; true when init has exited.
bool OnSignal(int sfd, pid_t init_pid, int* init_status, LogWriter& log) {
  struct signalfd_siginfo si;
  if (::read(sfd, &si, sizeof(si)) != sizeof(si)) return false;
  if (si.ssi_signo == SIGUSR1) {
    absl::Status st = log.Reopen();
    if (!st.ok()) sys::LogWarn("log reopen failed", {{"error", std::string(st.message())}});
    return false;
  }
  if (si.ssi_signo == SIGCHLD) return ReapAll(init_pid, init_status);
  return false;
}

// Reads the counter once; stops watching when the file is gone (the cgroup
// was removed: kernfs then reports POLLERR on every poll) or an OOM kill is seen.
void CheckOom(OomWatch& oom, int& watched_fd) {
  std::optional<uint64_t> kills = ReadOomKillCount(oom.fd);
  oom.seen = kills.value_or(0) > 0;
  if (!kills || oom.seen) watched_fd = -1;
}

}  // namespace

absl::Status BlockSignals() {
  sigset_t set = HandledSignals();
  if (sigprocmask(SIG_BLOCK, &set, nullptr) != 0) return sys::ErrnoStatus(errno, "block signals");
  ::signal(SIGPIPE, SIG_IGN);
  return absl::OkStatus();
}

absl::StatusOr<int> Supervise(pid_t init_pid, Stdio& stdio, LogWriter& log,
                              AttachServer& attach, OomWatch& oom) {
  sigset_t set = HandledSignals();
  sys::UniqueFd sfd(::signalfd(-1, &set, SFD_CLOEXEC));
  if (!sfd) return sys::ErrnoStatus(errno, "signalfd");
  int status = 0;
  // Init may have ended before the signalfd existed.
  bool done = ReapAll(init_pid, &status);
  int oom_fd = oom.fd;  // the fd polled; -1 once there is nothing more to learn
  if (oom_fd >= 0) CheckOom(oom, oom_fd);
  while (!done) {
    std::vector<struct pollfd> p = {{sfd.get(), POLLIN, 0},
                                    {stdio.out.get(), POLLIN, 0},
                                    {stdio.err.get(), POLLIN, 0},
                                    {oom_fd, POLLPRI, 0}};
    attach.AddPollFds(&p);
    int n = ::poll(p.data(), p.size(), -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sys::ErrnoStatus(errno, "poll");
    // Signals first: a reopen requested before output was written applies to it.
    if (p[0].revents) done = OnSignal(sfd.get(), init_pid, &status, log);
    if (p[1].revents) Pump(stdio.out, "stdout", log, attach);
    if (p[2].revents) Pump(stdio.err, "stderr", log, attach);
    if (p[3].revents) CheckOom(oom, oom_fd);
    attach.Handle(p);
  }
  // Read the counter now, before draining output: under the systemd driver
  // systemd removes an emptied scope's cgroup (and its counter) on its own,
  // and the kernel may notify an OOM kill up to 10 ms after the exit.
  if (oom_fd >= 0) CheckOom(oom, oom_fd);
  Drain(stdio.out, "stdout", log, attach);
  Drain(stdio.err, "stderr", log, attach);
  return status;
}

}  // namespace cricket::pod::monitor
