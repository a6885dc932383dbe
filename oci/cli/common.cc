// Global flags, error reporting, id validation and the create/run flag set.
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "oci/cli/command.h"
#include "oci/sys/fds.h"
#include "oci/sys/log.h"
#include "oci/sys/unique_fd.h"

namespace cricket::oci::cli {
namespace {

std::string NowRfc3339() {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  struct tm tm;
  gmtime_r(&ts.tv_sec, &tm);
  char buf[64];
  strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  return absl::StrCat(buf, "Z");
}

// One line in runc's log formats, so tools that read runc's --log file
// (containerd's go-runc) find the last error message.
void AppendToLog(const Context& ctx, const std::string& msg) {
  const std::string& path = ctx.options.log_path;
  if (path.empty() || path == "/dev/stderr") return;
  std::string line;
  if (ctx.options.log_format == "json") {
    line = nlohmann::json{{"level", "error"}, {"msg", msg}, {"time", NowRfc3339()}}.dump() + "\n";
  } else {
    line = absl::StrCat("time=\"", NowRfc3339(), "\" level=error msg=",
                        nlohmann::json(msg).dump(), "\n");
  }
  if (absl::StatusOr<sys::UniqueFd> fd = sys::Open(path, O_WRONLY | O_APPEND | O_CREAT, 0644);
      fd.ok()) {
    // Best effort: the message already went to stderr.
    ssize_t n = write(fd->get(), line.data(), line.size());
    (void)n;
  }
}

}  // namespace

const std::vector<FlagSpec>& GlobalFlags() {
  static const std::vector<FlagSpec> kFlags = {
      {"root", 0, true},  {"log", 0, true},       {"log-format", 0, true},
      {"debug", 0, false}, {"systemd-cgroup", 0, false}, {"rootless", 0, true},
      {"criu", 0, true},
  };
  return kFlags;
}

absl::Status ApplyGlobalFlags(const Args& args, Context& ctx) {
  if (args.Has("root")) ctx.options.root = AbsPath(args.Get("root"));
  if (args.Has("log")) ctx.options.log_path = AbsPath(args.Get("log"));
  if (args.Has("log-format")) {
    std::string f = args.Get("log-format");
    if (f != "text" && f != "json") {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid log-format \"", f, "\": want text or json"));
    }
    ctx.options.log_format = f;
  }
  if (args.Has("debug")) {
    ctx.options.debug = args.Get("debug") != "false";
    if (ctx.options.debug) sys::SetLogLevel(sys::LogLevel::kDebug);
  }
  if (args.Has("criu")) ctx.options.criu_path = args.Get("criu");
  if (args.Has("systemd-cgroup")) {
    ctx.options.systemd_cgroup = args.Get("systemd-cgroup") != "false";
  }
  return absl::OkStatus();
}

int Fail(const Context& ctx, const absl::Status& st) {
  std::string msg(st.message());
  if (msg.empty()) msg = st.ToString();
  std::fprintf(stderr, "cricket-oci: %s%s%s\n", ctx.verb.c_str(), ctx.verb.empty() ? "" : ": ",
               msg.c_str());
  AppendToLog(ctx, msg);
  return 1;
}

absl::Status ValidateId(const std::string& id) {
  if (id.empty()) return absl::InvalidArgumentError("container id cannot be empty");
  bool ok = id != "." && id != ".." && id.size() <= 1024;
  for (char c : id) {
    bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '_' || c == '+' || c == '-' || c == '.';
    ok = ok && allowed;
  }
  if (!ok) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid container id \"", id, "\": use letters, digits, '_', '+', '-' and '.', not \".\" "
        "or \"..\""));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ContainerId(const Args& args, size_t want_min, size_t want_max) {
  size_t n = args.positional().size();
  if (n < want_min || n > want_max) {
    if (n == 0) return absl::InvalidArgumentError("missing container id");
    return absl::InvalidArgumentError(absl::StrCat(
        "expected ", want_min == want_max ? "" : "at most ", want_max, " argument(s), got ", n));
  }
  std::string id = args.positional()[0];
  if (absl::Status st = ValidateId(id); !st.ok()) return st;
  return id;
}

std::string AbsPath(const std::string& path) {
  if (path.empty()) return path;
  std::error_code ec;
  std::filesystem::path p = std::filesystem::absolute(path, ec);
  if (ec) return path;
  std::string s = p.lexically_normal().string();
  if (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

std::vector<FlagSpec> CreateFlags() {
  return {{"bundle", 'b', true},     {"console-socket", 0, true}, {"pid-file", 0, true},
          {"no-pivot", 0, false},    {"no-new-keyring", 0, false}, {"preserve-fds", 0, true},
          {"detach", 'd', false},    {"keep", 0, false},           {"no-subreaper", 0, false}};
}

absl::StatusOr<CreateOptions> CreateOptionsFromArgs(const Args& args) {
  auto id = ContainerId(args);
  if (!id.ok()) return id.status();
  CreateOptions o;
  o.id = *id;
  o.bundle = AbsPath(args.Get("bundle", "."));
  o.console_socket = AbsPath(args.Get("console-socket"));
  o.pid_file = AbsPath(args.Get("pid-file"));
  auto fds = args.GetInt("preserve-fds", 0);
  if (!fds.ok()) return fds.status();
  if (*fds < 0) return absl::InvalidArgumentError("--preserve-fds must not be negative");
  o.preserve_fds = static_cast<int>(*fds);
  o.no_pivot = args.Has("no-pivot");
  o.no_new_keyring = args.Has("no-new-keyring");
  return o;
}

int RunOnId(Context& ctx, const Args& args, absl::Status (Runtime::*op)(const std::string&)) {
  auto id = ContainerId(args);
  if (!id.ok()) return Fail(ctx, id.status());
  if (absl::Status st = (ctx.runtime().*op)(*id); !st.ok()) return Fail(ctx, st);
  return 0;
}

}  // namespace cricket::oci::cli
