// cricketctl: a CRI client for people. Global flags (over cricketctl.yaml),
// then a command from the table in commands.cc (one file per command group).
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "cri/client/endpoint.h"
#include "cri/ctl/command.h"
#include "cri/ctl/completion.h"
#include "cri/ctl/ctl_config.h"
#include "cri/ctl/flags.h"

namespace cricket::cri::ctl {
namespace {

void PrintUsage(std::FILE* to) {
  std::fprintf(to,
               "usage: cricketctl [GLOBAL FLAGS] COMMAND [FLAGS] [ARGS]\n"
               "  -r, --runtime-endpoint EP  unix:///path or /path (default $%s, the config\n"
               "                             file, or %s)\n"
               "  -i, --image-endpoint EP    ImageService endpoint (default: the runtime's)\n"
               "  -t, --timeout S            seconds for connecting and for each call "
               "(default 10; \"2s\", \"500ms\" work too)\n"
               "  -c, --config FILE          settings file (default $%s or %s)\n"
               "  -D, --debug                print each failing call's code\n"
               "  -v, --version              print cricketctl's version\n"
               "commands (cricketctl COMMAND --help for each one's flags):\n",
               client::kEndpointEnv, client::kDefaultEndpoint, kConfigEnv, kDefaultConfigPath);
  for (const Command& c : Commands()) {
    std::fprintf(to, "  %-12s %s\n", c.name, c.summary);
  }
}

// "10", "10s", "1.5s" or "500ms" → milliseconds.
bool ParseTimeout(std::string s, std::chrono::milliseconds* out) {
  double scale = 1000;
  if (s.size() > 2 && s.ends_with("ms")) {
    scale = 1;
    s.resize(s.size() - 2);
  } else if (s.size() > 1 && s.ends_with("s")) {
    s.resize(s.size() - 1);
  }
  double v = 0;
  if (!absl::SimpleAtod(s, &v) || v <= 0) return false;
  *out = std::chrono::milliseconds(static_cast<int64_t>(v * scale));
  return true;
}

struct Globals {
  std::map<std::string, std::string> flags;  // long name → value
  bool help = false, version = false;
};

const FlagDef* FindGlobal(const std::string& flag) {
  for (const FlagDef& d : GlobalFlags()) {
    bool is_short = *d.short_name != '\0' && flag == std::string("-") + d.short_name;
    if (is_short || flag == std::string("--") + d.name) return &d;
  }
  return nullptr;
}

// Consumes global flags (GlobalFlags()) from the front of args; returns
// false on a bad one.
bool TakeGlobalFlags(std::vector<std::string>& args, Globals& g) {
  while (!args.empty() && args[0].starts_with("-")) {
    std::string flag = args[0], value;
    bool has_value = false;
    if (size_t eq = flag.find('='); eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag.resize(eq);
      has_value = true;
    }
    args.erase(args.begin());
    const FlagDef* d = FindGlobal(flag);
    if (d == nullptr) return false;
    const std::string name = d->name;
    if (name == "help") {
      g.help = true;
    } else if (name == "version") {
      g.version = true;
    } else if (d->value == nullptr) {
      g.flags[name] = has_value ? value : "true";
    } else {
      if (!has_value) {
        if (args.empty()) return false;
        value = args[0];
        args.erase(args.begin());
      }
      g.flags[name] = value;
    }
  }
  return true;
}

// Flags win over $CONTAINER_RUNTIME_ENDPOINT, which wins over the file.
absl::Status BuildContext(const Globals& g, CommandContext& ctx) {
  const char* env_config = std::getenv(kConfigEnv);
  ctx.config_path = g.flags.count("config") ? g.flags.at("config")
                    : env_config != nullptr  ? env_config
                                             : kDefaultConfigPath;
  auto file = LoadCtlConfig(ctx.config_path);
  if (!file.ok()) return file.status();
  std::map<std::string, std::string> s = *file;
  for (const auto& [k, v] : g.flags) s[k] = v;
  std::string endpoint = g.flags.count("runtime-endpoint") ? g.flags.at("runtime-endpoint") : "";
  ctx.connect.endpoint = client::ChooseEndpoint(endpoint);
  if (endpoint.empty() && std::getenv(client::kEndpointEnv) == nullptr &&
      !s["runtime-endpoint"].empty()) {
    ctx.connect.endpoint = s["runtime-endpoint"];
  }
  ctx.connect.image_endpoint = s["image-endpoint"];
  if (!s["timeout"].empty() && !ParseTimeout(s["timeout"], &ctx.connect.timeout)) {
    return absl::InvalidArgumentError("bad timeout \"" + s["timeout"] + "\"");
  }
  ctx.debug = s["debug"] == "true";
  return absl::OkStatus();
}

// `CMD --help` / `CMD -h`, before "--". Commands that run another program
// take their arguments verbatim, so only their first argument counts.
bool WantsHelp(const std::vector<std::string>& args) {
  bool passthrough = FlagsOf(args[0]).empty();
  for (size_t i = 1; i < args.size(); i++) {
    if (args[i] == "--") break;
    if (args[i] == "--help" || args[i] == "-h") return true;
    if (passthrough || (FlagsEndAtFirstArg(args[0]) && !args[i].starts_with("-"))) break;
  }
  return false;
}

int RunCommand(const CommandContext& ctx, const std::vector<std::string>& args) {
  for (const Command& c : Commands()) {
    if (args[0] != c.name) continue;
    if (WantsHelp(args)) {
      std::cout << CommandHelp(c.name);
      return 0;
    }
    absl::Status st = c.run(ctx, std::vector<std::string>(args.begin() + 1, args.end()));
    if (st.ok()) return 0;
    if (auto code = ExitCodeOf(st)) return *code;  // a remote command's exit code
    std::fprintf(stderr, "cricketctl: %s\n", std::string(st.message()).c_str());
    if (ctx.debug) std::fprintf(stderr, "cricketctl: code %s\n", absl::StatusCodeToString(st.code()).c_str());
    return st.code() == absl::StatusCode::kInvalidArgument ? 2 : 1;
  }
  std::fprintf(stderr, "cricketctl: unknown command \"%s\"\n", args[0].c_str());
  PrintUsage(stderr);
  return 2;
}

int Main(std::vector<std::string> args) {
  Globals g;
  if (!TakeGlobalFlags(args, g)) {
    PrintUsage(stderr);
    return 2;
  }
  if (g.version) {
    std::printf("cricketctl version %s\n", CRICKET_VERSION);
    return 0;
  }
  // Hidden: the build writes the script and the package installs it.
  if (!args.empty() && args[0] == "completion") {
    return RunCompletion(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  if (!args.empty() && args[0] == "help" && args.size() == 2) {
    args = {args[1], "--help"};
  }
  if (g.help || args.empty() || args[0] == "help") {
    PrintUsage(g.help || !args.empty() ? stdout : stderr);
    return g.help || !args.empty() ? 0 : 2;
  }
  CommandContext ctx;
  if (absl::Status st = BuildContext(g, ctx); !st.ok()) {
    std::fprintf(stderr, "cricketctl: %s\n", std::string(st.message()).c_str());
    return 2;
  }
  return RunCommand(ctx, args);
}

}  // namespace
}  // namespace cricket::cri::ctl

int main(int argc, char** argv) {
  return cricket::cri::ctl::Main(std::vector<std::string>(argv + 1, argv + argc));
}
