// A bash completion script made from a program's own command and flag
// tables, so that it cannot drift from what the program parses. cricketctl
// and cricket-oci print theirs with `PROGRAM completion bash`; the build
// writes both and the package installs them (contrib/CMakeLists.txt).
#pragma once

#include <string>
#include <vector>

namespace cricket::sys {

struct CompletionFlag {
  std::string name;         // long name without dashes: "runtime-endpoint"
  char short_name = 0;      // 'r', or 0
  bool takes_value = false;  // the next word is its value, not a command or flag
};

struct CompletionCommand {
  std::string name;
  std::vector<CompletionFlag> flags;
};

struct CompletionSpec {
  std::string program;  // "cricketctl"; the function is _<program> with '-' as '_'
  std::vector<CompletionFlag> global_flags;
  std::vector<CompletionCommand> commands;
};

// The script: completes global flags and command names before the command,
// the command's flags after it, and files for flag values and arguments.
std::string BashCompletionScript(const CompletionSpec& spec);

}  // namespace cricket::sys
