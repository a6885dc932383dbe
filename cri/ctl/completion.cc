// `cricketctl completion bash` (see completion.h).
#include "cri/ctl/completion.h"

#include <cstdio>
#include <iostream>

#include "cri/ctl/command.h"
#include "oci/sys/bash_completion.h"

namespace cricket::cri::ctl {
namespace {

std::vector<sys::CompletionFlag> ToCompletion(const std::vector<FlagDef>& defs) {
  std::vector<sys::CompletionFlag> out;
  for (const FlagDef& d : defs) {
    out.push_back({d.name, d.short_name[0], d.value != nullptr});
  }
  return out;
}

}  // namespace

const std::vector<FlagDef>& GlobalFlags() {
  static const std::vector<FlagDef> kFlags = {
      {"runtime-endpoint", "r", "EP", "the runtime's endpoint"},
      {"image-endpoint", "i", "EP", "the ImageService endpoint"},
      {"timeout", "t", "S", "seconds for connecting and for each call"},
      {"config", "c", "FILE", "settings file"},
      {"debug", "D", nullptr, "print each failing call's code"},
      {"help", "h", nullptr, "print the usage"},
      {"version", "v", nullptr, "print cricketctl's version"},
  };
  return kFlags;
}

int RunCompletion(const std::vector<std::string>& args) {
  if (args.size() != 1 || args[0] != "bash") {
    std::fprintf(stderr, "cricketctl: usage: cricketctl completion bash\n");
    return 2;
  }
  sys::CompletionSpec spec{"cricketctl", ToCompletion(GlobalFlags()), {}};
  for (const Command& c : Commands()) {
    spec.commands.push_back({c.name, ToCompletion(FlagsOf(c.name))});
  }
  spec.commands.push_back({"help", {}});
  std::cout << sys::BashCompletionScript(spec);
  return 0;
}

}  // namespace cricket::cri::ctl
