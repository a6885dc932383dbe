// The process: command (CRI command/args over the image's entrypoint/cmd as
// the kubelet defines), environment, working dir, user, terminal, rlimits.
#include <sys/resource.h>

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "oci/sys/status.h"
#include "pod/spec/builders.h"
#include "pod/spec/users.h"

namespace cricket::pod::spec {
namespace {

constexpr char kDefaultPath[] = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

std::vector<std::string> Command(const Inputs& in) {
  const auto& c = *in.config;
  std::vector<std::string> argv;
  if (!c.command().empty()) {
    argv.assign(c.command().begin(), c.command().end());
    argv.insert(argv.end(), c.args().begin(), c.args().end());
    return argv;
  }
  argv = in.image.entrypoint;
  if (!c.args().empty()) {
    argv.insert(argv.end(), c.args().begin(), c.args().end());
  } else {
    argv.insert(argv.end(), in.image.cmd.begin(), in.image.cmd.end());
  }
  return argv;
}

// Later entries replace earlier ones with the same key; order of first
// appearance is kept.
void SetEnv(std::vector<std::string>& env, const std::string& kv) {
  std::string key = kv.substr(0, kv.find('='));
  for (auto& e : env) {
    if (e.substr(0, e.find('=')) == key) {
      e = kv;
      return;
    }
  }
  env.push_back(kv);
}

// A node default ulimit; -1 (the config's "unlimited") is RLIM_INFINITY.
absl::StatusOr<oci::Rlimit> Rlimit(const Defaults::Ulimit& u) {
  oci::Rlimit r;
  r.type = "RLIMIT_" + absl::AsciiStrToUpper(u.name);
  for (auto [from, to] : {std::pair{u.soft, &r.soft}, std::pair{u.hard, &r.hard}}) {
    if (from < -1) {
      return absl::InvalidArgumentError(absl::StrCat("ulimit ", u.name, ": ", from,
                                                     " is neither a limit nor -1 (unlimited)"));
    }
    *to = from == -1 ? RLIM_INFINITY : static_cast<uint64_t>(from);
  }
  return r;
}

bool HasEnv(const std::vector<std::string>& env, const std::string& key) {
  for (const auto& e : env) {
    if (e.substr(0, e.find('=')) == key) return true;
  }
  return false;
}

}  // namespace

absl::Status ApplyProcess(const Inputs& in, Output& out) {
  const auto& c = *in.config;
  std::vector<std::string> argv = Command(in);
  if (argv.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "container ", c.metadata().name(), ": no command: the request has none and image ",
        in.image_name, " has no entrypoint or cmd"));
  }
  auto user = ResolveUser(in);
  if (!user.ok()) return user.status();

  std::vector<std::string> env = {kDefaultPath};
  if (!in.sandbox.hostname.empty()) SetEnv(env, "HOSTNAME=" + in.sandbox.hostname);
  for (const auto& e : in.image.env) SetEnv(env, e);
  for (const auto& kv : c.envs()) SetEnv(env, absl::StrCat(kv.key(), "=", kv.value()));
  if (c.tty() && !HasEnv(env, "TERM")) env.push_back("TERM=xterm");
  if (!HasEnv(env, "HOME")) env.push_back("HOME=" + user->home);

  oci::Process p;
  p.terminal = c.tty();
  p.args = std::move(argv);
  p.env = std::move(env);
  std::string cwd = !c.working_dir().empty() ? c.working_dir() : in.image.working_dir;
  p.cwd = cwd.empty() ? "/" : cwd;
  p.user.uid = user->uid;
  p.user.gid = user->gid;
  p.user.additional_gids = user->additional_gids;
  for (const auto& u : in.defaults.ulimits) {
    ASSIGN_OR_RETURN(oci::Rlimit r, Rlimit(u));
    p.rlimits.push_back(std::move(r));
  }
  const auto& res = c.linux().resources();
  if (res.oom_score_adj() != 0 || in.defaults.min_oom_score_adj) {
    int64_t adj = res.oom_score_adj();
    if (in.defaults.min_oom_score_adj && adj < *in.defaults.min_oom_score_adj) {
      out.warnings.push_back(absl::StrCat("oom_score_adj ", adj, " raised to ",
                                          *in.defaults.min_oom_score_adj,
                                          ": the runtime lacks CAP_SYS_RESOURCE"));
      adj = *in.defaults.min_oom_score_adj;
    }
    if (!std::in_range<int>(adj)) {
      return absl::InvalidArgumentError(absl::StrCat("oom_score_adj ", adj, " is out of range"));
    }
    p.oom_score_adj = static_cast<int>(adj);
  }
  out.spec.process = std::move(p);
  return absl::OkStatus();
}

}  // namespace cricket::pod::spec
