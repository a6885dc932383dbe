// The bash completion script (see bash_completion.h). The script scans the
// words before the cursor for the first one that is neither a global flag nor
// a global flag's value: that is the command. Then it offers the flags of the
// command (or the global flags and command names before one); a flag's value
// and the arguments fall back to bash's file completion (`complete -o default`).
#include "oci/sys/bash_completion.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace cricket::sys {
namespace {

// "--all -a --quiet -q ..." for compgen -W.
std::string Words(const std::vector<CompletionFlag>& flags) {
  std::vector<std::string> out;
  for (const CompletionFlag& f : flags) {
    out.push_back("--" + f.name);
    if (f.short_name != 0) out.push_back(std::string("-") + f.short_name);
  }
  return absl::StrJoin(out, " ");
}

// " --runtime-endpoint -r " : the flags whose next word is a value, padded so
// that `case " $word "` matches whole words.
std::string ValueWords(const std::vector<CompletionFlag>& flags) {
  std::vector<CompletionFlag> with_value;
  std::copy_if(flags.begin(), flags.end(), std::back_inserter(with_value),
               [](const CompletionFlag& f) { return f.takes_value; });
  return absl::StrCat(" ", Words(with_value), " ");
}

std::string CommandCases(const CompletionSpec& spec) {
  std::string out;
  for (const CompletionCommand& c : spec.commands) {
    absl::StrAppend(&out, "      ", c.name, ") flags=\"", Words(c.flags), "\"; values=\"",
                    ValueWords(c.flags), "\" ;;\n");
  }
  return out;
}

}  // namespace

std::string BashCompletionScript(const CompletionSpec& spec) {
  std::string fn = "_" + spec.program;
  std::replace(fn.begin(), fn.end(), '-', '_');
  std::vector<std::string> names;
  for (const CompletionCommand& c : spec.commands) names.push_back(c.name);
  return absl::StrCat(
      "# bash completion for ", spec.program, "; made by `", spec.program,
      " completion bash` from its own flag tables: do not edit.\n",
      fn, "() {\n"
      "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"\" cmd=\"\" i=1 w flags values\n"
      "  [ \"$COMP_CWORD\" -gt 1 ] && prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
      "  local global_flags=\"", Words(spec.global_flags), "\"\n"
      "  local global_values=\"", ValueWords(spec.global_flags), "\"\n"
      "  while [ \"$i\" -lt \"$COMP_CWORD\" ]; do\n"
      "    w=\"${COMP_WORDS[i]}\"\n"
      "    case \"$w\" in\n"
      "      -*) case \"$global_values\" in *\" $w \"*) i=$((i + 1)) ;; esac ;;\n"
      "      *) cmd=\"$w\"; break ;;\n"
      "    esac\n"
      "    i=$((i + 1))\n"
      "  done\n"
      "  COMPREPLY=()\n"
      "  if [ -z \"$cmd\" ]; then\n"
      "    flags=\"$global_flags\"; values=\"$global_values\"\n"
      "  else\n"
      "    case \"$cmd\" in\n",
      CommandCases(spec),
      "      *) flags=\"\"; values=\" \" ;;\n"
      "    esac\n"
      "  fi\n"
      "  # A flag's value: leave it to file completion.\n"
      "  if [ -n \"$prev\" ]; then\n"
      "    case \"$values\" in *\" $prev \"*) return 0 ;; esac\n"
      "  fi\n"
      "  if [[ \"$cur\" == -* ]]; then\n"
      "    COMPREPLY=($(compgen -W \"$flags\" -- \"$cur\"))\n"
      "  elif [ -z \"$cmd\" ]; then\n"
      "    COMPREPLY=($(compgen -W \"", absl::StrJoin(names, " "), "\" -- \"$cur\"))\n"
      "  fi\n"
      "  return 0\n"
      "}\n"
      "complete -o default -F ", fn, " ", spec.program, "\n");
}

}  // namespace cricket::sys
