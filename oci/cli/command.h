// What every cricket-oci verb shares: the global context (engine options and
// a lazily built Runtime), the verb table, error reporting and id checks.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "oci/cli/flags.h"
#include "oci/runtime.h"

namespace cricket::oci::cli {

class Context {
 public:
  RuntimeOptions options;
  std::string verb;
  Runtime& runtime() {
    if (!runtime_) runtime_ = std::make_unique<Runtime>(options);
    return *runtime_;
  }

 private:
  std::unique_ptr<Runtime> runtime_;
};

using Handler = int (*)(Context& ctx, const Args& args);

struct Command {
  std::string name;
  std::string usage;  // what follows the verb: "[command options] <container-id>"
  std::string help;   // one line
  std::vector<FlagSpec> flags;
  bool stop_at_positional = false;  // trailing args belong to a process (exec, ps)
  Handler run = nullptr;
};

// One per verb file.
Command SpecVerb();
Command RunVerb();
Command CreateVerb();
Command StartVerb();
Command StateVerb();
Command ListVerb();
Command KillVerb();
Command DeleteVerb();
Command PauseVerb();
Command ResumeVerb();
Command ExecVerb();
Command PsVerb();
Command EventsVerb();
Command UpdateVerb();
Command FeaturesVerb();
Command CheckpointVerb();
Command RestoreVerb();

// Flags accepted before the verb (and, for convenience, after it too).
const std::vector<FlagSpec>& GlobalFlags();
// Applies parsed global flags to ctx.options.
absl::Status ApplyGlobalFlags(const Args& args, Context& ctx);

// Prints "cricket-oci: <message>" to stderr (and to the --log file in the
// chosen format), returns exit code 1.
int Fail(const Context& ctx, const absl::Status& st);

// The container id given as the first positional argument, checked the way
// runc checks it (no '/', not "." or "..", [A-Za-z0-9_+.-] only).
absl::StatusOr<std::string> ContainerId(const Args& args, size_t want_min = 1,
                                        size_t want_max = 1);
absl::Status ValidateId(const std::string& id);

// An absolute, clean form of a path given relative to the cwd ("" stays "").
std::string AbsPath(const std::string& path);

// The flags create and run share.
std::vector<FlagSpec> CreateFlags();
// The container id and CreateOptions from those flags.
absl::StatusOr<CreateOptions> CreateOptionsFromArgs(const Args& args);

// A verb whose one argument is the container id and whose engine call
// returns only a status (start, pause, resume).
int RunOnId(Context& ctx, const Args& args, absl::Status (Runtime::*op)(const std::string&));

}  // namespace cricket::oci::cli
