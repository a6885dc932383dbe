// cricket-oci: a runc-compatible command line over the oci engine library.
// This file only parses the global flags and dispatches to one verb.
#include <cstdio>
#include <string>
#include <vector>

#include "oci/cli/command.h"
#include "oci/sys/bash_completion.h"

namespace cricket::oci::cli {
namespace {

// The verbs by name. Building a Command runs code in that verb's file, and
// each file's code is its own stretch of pages to fault in: a call builds
// only the verb it runs; --help builds them all.
struct Verb {
  const char* name;
  Command (*make)();
};
constexpr Verb kVerbs[] = {
    {"spec", SpecVerb},   {"run", RunVerb},         {"create", CreateVerb},
    {"start", StartVerb}, {"state", StateVerb},     {"list", ListVerb},
    {"kill", KillVerb},   {"delete", DeleteVerb},   {"pause", PauseVerb},
    {"resume", ResumeVerb}, {"exec", ExecVerb},     {"ps", PsVerb},
    {"events", EventsVerb}, {"update", UpdateVerb}, {"features", FeaturesVerb},
    {"checkpoint", CheckpointVerb}, {"restore", RestoreVerb},
};

std::vector<sys::CompletionFlag> ToCompletion(const std::vector<FlagSpec>& flags) {
  std::vector<sys::CompletionFlag> out;
  for (const FlagSpec& f : flags) out.push_back({f.name, f.short_name, f.takes_value});
  return out;
}

// `cricket-oci completion bash` (hidden): the bash completion script made
// from the verb table and each verb's flags, as Main parses them.
int PrintCompletion(const std::vector<FlagSpec>& top, const std::vector<std::string>& args) {
  if (args.size() != 1 || args[0] != "bash") {
    std::fprintf(stderr, "cricket-oci: usage: cricket-oci completion bash\n");
    return 1;
  }
  sys::CompletionSpec spec{"cricket-oci", ToCompletion(top), {}};
  for (const Verb& v : kVerbs) {
    Command c = v.make();
    std::vector<FlagSpec> flags = c.flags;
    flags.insert(flags.end(), GlobalFlags().begin(), GlobalFlags().end());
    flags.push_back({"help", 'h', false});
    spec.commands.push_back({c.name, ToCompletion(flags)});
  }
  std::fputs(sys::BashCompletionScript(spec).c_str(), stdout);
  return 0;
}

void PrintVersion() {
  std::printf("cricket-oci version %s\nspec: 1.2.0\n", CRICKET_VERSION);
}

void PrintUsage(FILE* out) {
  std::fprintf(out,
               "cricket-oci - an OCI runtime (runc-compatible command line)\n\n"
               "USAGE:\n   cricket-oci [global options] command [command options] "
               "[arguments...]\n\n"
               "COMMANDS:\n");
  for (const Verb& v : kVerbs) {
    Command c = v.make();
    std::fprintf(out, "   %-10s %s\n", c.name.c_str(), c.help.c_str());
  }
  std::fprintf(out,
               "\nGLOBAL OPTIONS:\n"
               "   --root value        state directory (default: /run/cricket-oci)\n"
               "   --log value         also write error messages to this file\n"
               "   --log-format value  text (default) or json\n"
               "   --debug             enable debug logging\n"
               "   --systemd-cgroup    cgroupsPath is slice:prefix:name (systemd driver)\n"
               "   --criu value        the criu binary for checkpoint and restore (default: criu)\n"
               "   --help, -h          show help\n   --version, -v       print the version\n");
}

void PrintVerbUsage(const Command& c) {
  std::printf("USAGE:\n   cricket-oci %s %s\n\n%s\n", c.name.c_str(), c.usage.c_str(),
              c.help.c_str());
  if (c.flags.empty()) return;
  std::printf("\nOPTIONS:\n");
  for (const FlagSpec& f : c.flags) {
    std::printf("   --%s%s%s%s\n", f.name.c_str(), f.short_name ? ", -" : "",
                f.short_name ? std::string(1, f.short_name).c_str() : "",
                f.takes_value ? " value" : "");
  }
}

int Main(int argc, char** argv) {
  std::vector<std::string> rest(argv + 1, argv + argc);
  std::vector<FlagSpec> top = GlobalFlags();
  top.push_back({"help", 'h', false});
  top.push_back({"version", 'v', false});
  Context ctx;
  auto global = ParseFlags(top, rest, /*stop_at_positional=*/true);
  if (!global.ok()) return Fail(ctx, global.status());
  if (global->Has("version")) {
    PrintVersion();
    return 0;
  }
  if (absl::Status st = ApplyGlobalFlags(*global, ctx); !st.ok()) return Fail(ctx, st);
  if (global->Has("help") || global->positional().empty()) {
    PrintUsage(global->Has("help") ? stdout : stderr);
    return global->Has("help") ? 0 : 1;
  }
  std::vector<std::string> verb_args = global->positional();
  const std::string verb = verb_args.front();
  ctx.verb = verb;
  verb_args.erase(verb_args.begin());
  if (verb == "completion") return PrintCompletion(top, verb_args);
  for (const Verb& v : kVerbs) {
    if (verb != v.name) continue;
    const Command c = v.make();
    std::vector<FlagSpec> flags = c.flags;
    flags.insert(flags.end(), GlobalFlags().begin(), GlobalFlags().end());
    flags.push_back({"help", 'h', false});
    auto args = ParseFlags(flags, verb_args, c.stop_at_positional);
    if (!args.ok()) return Fail(ctx, args.status());
    if (args->Has("help")) {
      PrintVerbUsage(c);
      return 0;
    }
    if (absl::Status st = ApplyGlobalFlags(*args, ctx); !st.ok()) return Fail(ctx, st);
    return c.run(ctx, *args);
  }
  ctx.verb.clear();
  return Fail(ctx, absl::InvalidArgumentError("no such command: " + global->positional().front()));
}

}  // namespace
}  // namespace cricket::oci::cli

int main(int argc, char** argv) { return cricket::oci::cli::Main(argc, argv); }
