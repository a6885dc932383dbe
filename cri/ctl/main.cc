// cricketctl: a CRI client for people. Global flags, then a command from the
// table in commands.cc (one file per command).
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "cri/client/endpoint.h"
#include "cri/ctl/command.h"

namespace cricket::cri::ctl {
namespace {

void PrintUsage(std::FILE* to) {
  std::fprintf(to,
               "usage: cricketctl [--runtime-endpoint EP] [--timeout S] COMMAND [ARGS]\n"
               "  -r, --runtime-endpoint EP  unix:///path or /path (default $%s or %s)\n"
               "  -t, --timeout S            seconds for connecting and for each call "
               "(default 10; \"2s\", \"500ms\" work too)\n"
               "commands:\n",
               client::kEndpointEnv, client::kDefaultEndpoint);
  for (const Command& c : Commands()) {
    std::fprintf(to, "  %-10s %s\n", c.name, c.summary);
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

// Consumes global flags from the front of args; returns false on a bad one.
bool TakeGlobalFlags(std::vector<std::string>& args, CommandContext& ctx) {
  while (!args.empty() && args[0].starts_with("-")) {
    std::string flag = args[0], value;
    if (size_t eq = flag.find('='); eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag.resize(eq);
      args.erase(args.begin());
    } else if (flag == "-h" || flag == "--help") {
      return false;
    } else {
      if (args.size() < 2) return false;
      value = args[1];
      args.erase(args.begin(), args.begin() + 2);
    }
    if (flag == "-r" || flag == "--runtime-endpoint") {
      ctx.connect.endpoint = value;
    } else if (flag == "-t" || flag == "--timeout") {
      if (!ParseTimeout(value, &ctx.connect.timeout)) return false;
    } else {
      return false;
    }
  }
  return true;
}

int Main(std::vector<std::string> args) {
  CommandContext ctx;
  if (!TakeGlobalFlags(args, ctx) || args.empty()) {
    PrintUsage(stderr);
    return 2;
  }
  ctx.connect.endpoint = client::ChooseEndpoint(ctx.connect.endpoint);
  for (const Command& c : Commands()) {
    if (args[0] != c.name) continue;
    absl::Status st = c.run(ctx, std::vector<std::string>(args.begin() + 1, args.end()));
    if (st.ok()) return 0;
    std::fprintf(stderr, "cricketctl: %s\n", std::string(st.message()).c_str());
    return st.code() == absl::StatusCode::kInvalidArgument ? 2 : 1;
  }
  std::fprintf(stderr, "cricketctl: unknown command \"%s\"\n", args[0].c_str());
  PrintUsage(stderr);
  return 2;
}

}  // namespace
}  // namespace cricket::cri::ctl

int main(int argc, char** argv) {
  return cricket::cri::ctl::Main(std::vector<std::string>(argv + 1, argv + argc));
}
