// `cricket-oci pause` and `resume`: freeze and thaw every process of the
// container through the cgroup freezer.
#include "oci/cli/command.h"

namespace cricket::oci::cli {
namespace {

int Pause(Context& ctx, const Args& args) { return RunOnId(ctx, args, &Runtime::Pause); }
int Resume(Context& ctx, const Args& args) { return RunOnId(ctx, args, &Runtime::Resume); }

}  // namespace

Command PauseVerb() {
  return {"pause", "<container-id>", "suspend all processes inside the container", {}, false,
          Pause};
}

Command ResumeVerb() {
  return {"resume", "<container-id>", "resume all processes previously paused", {}, false,
          Resume};
}

}  // namespace cricket::oci::cli
