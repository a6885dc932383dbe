// Running CRIU and reading its reasons back (see criu.h).
#include "oci/criu.h"

#include <unistd.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/child_process.h"
#include "oci/sys/status.h"

namespace cricket::oci {

absl::StatusOr<std::string> FindCriu(const std::string& configured) {
  const std::string name = configured.empty() ? "criu" : configured;
  if (name.find('/') != std::string::npos) {
    if (::access(name.c_str(), X_OK) == 0) return name;
    return absl::FailedPreconditionError(absl::StrCat(
        "criu not found at ", name, " (checkpoint and restore need CRIU: install it, e.g. "
        "Debian's criu package)"));
  }
  const char* env = ::getenv("PATH");
  std::string path = env ? env : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  for (absl::string_view dir : absl::StrSplit(path, ':')) {
    if (dir.empty()) continue;
    std::string cand = absl::StrCat(dir, "/", name);
    if (::access(cand.c_str(), X_OK) == 0) return cand;
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "criu not found in PATH (", path, "): checkpoint and restore need CRIU; install it, e.g. "
      "Debian's criu package"));
}

std::string CriuLogErrors(const std::string& log_text, size_t max) {
  std::vector<std::string> msgs;
  for (absl::string_view line : absl::StrSplit(log_text, '\n')) {
    size_t at = line.find("Error (");
    if (at == absl::string_view::npos) continue;
    absl::string_view rest = line.substr(at + 7);
    size_t close = rest.find("): ");
    std::string msg(close == absl::string_view::npos ? rest : rest.substr(close + 3));
    if (msg.empty() || std::find(msgs.begin(), msgs.end(), msg) != msgs.end()) continue;
    msgs.push_back(std::move(msg));
    if (msgs.size() == max) break;
  }
  return absl::StrJoin(msgs, "; ");
}

absl::Status RunCriu(const CriuCall& call) {
  sys::SpawnOptions so;
  so.argv = {call.binary, call.action, "-v4", "--log-file", call.log_file};
  so.argv.insert(so.argv.end(), call.args.begin(), call.args.end());
  so.keep_fds = call.keep_fds;
  so.stdin_fd = call.stdin_fd;
  so.stdout_fd = call.stdout_fd;
  so.stderr_fd = call.stderr_fd;
  // Errors before criu opened its log (a bad option, an fd it cannot use)
  // go to its stderr: captured unless the stdio belongs to the restored tree.
  const bool capture = call.stdin_fd < 0 && call.stdout_fd < 0 && call.stderr_fd < 0;
  sys::ExitInfo ex;
  std::string early;
  if (capture) {
    ASSIGN_OR_RETURN(sys::CommandResult r, sys::RunCommand(so, "", std::chrono::hours(1)));
    ex = r.exit;
    early = r.err;
  } else {
    ASSIGN_OR_RETURN(sys::ChildProcess child, sys::ChildProcess::Spawn(so));
    ASSIGN_OR_RETURN(ex, child.Wait());
  }
  if (ex.exited() && ex.code() == 0) return absl::OkStatus();
  absl::StatusOr<std::string> log = sys::ReadFile(call.log_file);
  std::string why = CriuLogErrors((log.ok() ? *log : "") + "\n" + early);
  if (why.empty() && !log.ok()) why = std::string(log.status().message());
  if (why.empty()) why = "no error in its log";
  return absl::FailedPreconditionError(absl::StrCat("criu ", call.action, " failed (exit ",
                                                    ex.code(), "): ", why, "; see ",
                                                    call.log_file));
}

absl::Status CriuCheck(const std::string& binary) {
  sys::SpawnOptions so;
  so.argv = {binary, "check"};
  ASSIGN_OR_RETURN(sys::CommandResult r, sys::RunCommand(so));
  if (r.exit.exited() && r.exit.code() == 0) return absl::OkStatus();
  // criu check prints its log to stderr; only its Error lines say why.
  std::string why = CriuLogErrors(r.err + "\n" + r.out);
  if (why.empty()) why = std::string(absl::StripAsciiWhitespace(r.err + r.out));
  return absl::FailedPreconditionError(absl::StrCat("criu check: ", why));
}

sys::CheckResult CheckCriu(const std::string& configured) {
  absl::StatusOr<std::string> criu = FindCriu(configured);
  absl::Status works = criu.ok() ? CriuCheck(*criu) : criu.status();
  if (works.ok()) return sys::CheckOk("criu", *criu + ": CheckpointContainer works");
  return sys::CheckWarn(
      "criu", absl::StrCat("CheckpointContainer unavailable: ", works.message()));
}

}  // namespace cricket::oci
