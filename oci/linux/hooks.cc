// Hook execution through sys::RunCommand (stdin = state, deadline = timeout).
#include "oci/linux/hooks.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "oci/sys/child_process.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"

namespace cricket::oci::linux {
namespace {

absl::Status RunHook(const Hook& h, const std::string& state_json) {
  sys::SpawnOptions o;
  // argv[0] is the hook's path: sys::SpawnOptions has no separate argv[0].
  o.argv.push_back(h.path);
  for (size_t i = 1; i < h.args.size(); i++) o.argv.push_back(h.args[i]);
  if (!h.env.empty()) o.env = h.env;
  o.stderr_fd = -1;
  auto timeout = h.timeout ? std::chrono::milliseconds(std::chrono::seconds(*h.timeout))
                           : std::chrono::milliseconds(std::chrono::hours(24));
  ASSIGN_OR_RETURN(sys::CommandResult r, sys::RunCommand(o, state_json, timeout, 1 << 16));
  if (!r.exit.exited() || r.exit.code() != 0) {
    std::string err = r.err;
    while (!err.empty() && err.back() == '\n') err.pop_back();
    return absl::FailedPreconditionError(
        absl::StrCat("exited with status ", r.exit.code(), err.empty() ? "" : ": ", err));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RunHooks(const std::vector<Hook>& hooks, const std::string& state_json,
                      const std::string& phase) {
  for (size_t i = 0; i < hooks.size(); i++) {
    absl::Status st = RunHook(hooks[i], state_json);
    if (!st.ok())
      return sys::Annotate(st, "%s hook #%d %s", phase, static_cast<int>(i), hooks[i].path);
  }
  return absl::OkStatus();
}

void RunHooksLogged(const std::vector<Hook>& hooks, const std::string& state_json,
                    const std::string& phase) {
  for (size_t i = 0; i < hooks.size(); i++) {
    absl::Status st = RunHook(hooks[i], state_json);
    if (!st.ok()) {
      sys::LogWarn(
          "hook failed",
          {{"phase", phase}, {"path", hooks[i].path}, {"error", std::string(st.message())}});
    }
  }
}

}  // namespace cricket::oci::linux
