// Command lines and error mapping for external runtimes (runc and crun share
// the flags used here).
#include "pod/monitor/runtime/external_argv.h"

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace cricket::pod::driver {

std::vector<std::string> ExternalArgv(const DriverConfig& c, const std::string& verb,
                                      const std::vector<std::string>& args,
                                      const std::string& log_file) {
  std::vector<std::string> argv = {c.external, "--root=" + c.root};
  if (c.systemd_cgroup) argv.push_back("--systemd-cgroup");
  if (!log_file.empty()) {
    argv.push_back("--log=" + log_file);
    argv.push_back("--log-format=json");
  }
  argv.insert(argv.end(), c.options.begin(), c.options.end());
  argv.push_back(verb);
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

std::string LastErrorMessage(const std::string& text) {
  std::string from_log, last_line;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipWhitespace())) {
    last_line = std::string(absl::StripAsciiWhitespace(line));
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object() || !j.contains("msg") || !j["msg"].is_string()) continue;
    std::string level = j.value("level", "");
    if (level == "error" || level == "fatal") from_log = j["msg"].get<std::string>();
  }
  return from_log.empty() ? last_line : from_log;
}

absl::Status ExternalError(const DriverConfig& c, const std::string& verb, const std::string& id,
                           int exit_code, const std::string& message) {
  std::string text = absl::StrCat(c.external, " ", verb, " ", id, ": ",
                                  message.empty() ? "failed" : message, " (exit ", exit_code, ")");
  std::string lower = absl::AsciiStrToLower(message);
  if (absl::StrContains(lower, "does not exist") || absl::StrContains(lower, "not found") ||
      absl::StrContains(lower, "no such file or directory")) {
    return absl::NotFoundError(text);
  }
  // runc: "container not running"; crun: "container `x` is not running" or
  // ESRCH from kill(2) once init is gone.
  if (absl::StrContains(lower, "not running") || absl::StrContains(lower, "no such process") ||
      absl::StrContains(lower, "process already finished")) {
    return absl::FailedPreconditionError(text);
  }
  return absl::UnknownError(text);
}

absl::StatusOr<std::string> ExecProcessJson(const std::string& config_json,
                                            const oci::ExecOptions& opts) {
  if (!opts.process_json.empty()) return opts.process_json;
  if (opts.user || !opts.add_caps.empty() || opts.no_new_privs) {
    return absl::UnimplementedError(
        "exec through an external runtime: user, add_caps and no_new_privs are not passed");
  }
  nlohmann::json spec = nlohmann::json::parse(config_json, nullptr, false);
  if (!spec.is_object() || !spec.contains("process") || !spec["process"].is_object()) {
    return absl::FailedPreconditionError("the container's config.json has no process");
  }
  nlohmann::json p = spec["process"];
  p["args"] = opts.args;
  p["terminal"] = opts.tty;
  p.erase("consoleSize");
  if (opts.console_size) {
    p["consoleSize"] = {{"height", opts.console_size->height}, {"width", opts.console_size->width}};
  }
  if (!opts.cwd.empty()) p["cwd"] = opts.cwd;
  if (!opts.env.empty()) {
    // Added, or replacing the container's entry of the same name.
    nlohmann::json env = nlohmann::json::array();
    for (const auto& old : p.value("env", nlohmann::json::array())) {
      std::string o = old.is_string() ? old.get<std::string>() : "";
      bool replaced = false;
      for (const std::string& e : opts.env) {
        replaced = replaced || o.rfind(e.substr(0, e.find('=') + 1), 0) == 0;
      }
      if (!replaced) env.push_back(old);
    }
    for (const std::string& e : opts.env) env.push_back(e);
    p["env"] = env;
  }
  return p.dump();
}

}  // namespace cricket::pod::driver
