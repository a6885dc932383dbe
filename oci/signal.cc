// Signal names and numbers as runc's kill accepts them.
#include <signal.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "oci/runtime.h"

namespace cricket::oci {

absl::StatusOr<int> ParseSignal(const std::string& s) {
  static const std::pair<const char*, int> kSignals[] = {
      {"HUP", SIGHUP},       {"INT", SIGINT},   {"QUIT", SIGQUIT},     {"ILL", SIGILL},
      {"TRAP", SIGTRAP},     {"ABRT", SIGABRT}, {"IOT", SIGIOT},       {"BUS", SIGBUS},
      {"FPE", SIGFPE},       {"KILL", SIGKILL}, {"USR1", SIGUSR1},     {"SEGV", SIGSEGV},
      {"USR2", SIGUSR2},     {"PIPE", SIGPIPE}, {"ALRM", SIGALRM},     {"TERM", SIGTERM},
      {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD}, {"CONT", SIGCONT},     {"STOP", SIGSTOP},
      {"TSTP", SIGTSTP},     {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},     {"URG", SIGURG},
      {"XCPU", SIGXCPU},     {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF},
      {"WINCH", SIGWINCH},   {"IO", SIGIO},     {"POLL", SIGPOLL},     {"PWR", SIGPWR},
      {"SYS", SIGSYS},
  };
  if (!s.empty() && std::all_of(s.begin(), s.end(), ::isdigit)) {
    int n = std::atoi(s.c_str());
    if (n > 0 && n < NSIG) return n;
    return absl::InvalidArgumentError("invalid signal " + s);
  }
  std::string name = s.rfind("SIG", 0) == 0 ? s.substr(3) : s;
  for (auto& c : name) c = static_cast<char>(::toupper(c));
  for (const auto& [n, v] : kSignals) {
    if (name == n) return v;
  }
  if (name.rfind("RTMIN", 0) == 0 || name.rfind("RTMAX", 0) == 0) {
    int off = name.size() > 6 ? std::atoi(name.c_str() + 5) : 0;
    int v = name.rfind("RTMIN", 0) == 0 ? SIGRTMIN + off : SIGRTMAX + off;
    if (v >= SIGRTMIN && v <= SIGRTMAX) return v;
  }
  return absl::InvalidArgumentError("invalid signal " + s);
}

}  // namespace cricket::oci
