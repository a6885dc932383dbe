// `cricket-oci start`: lets a created container's init exec its process.
#include "oci/cli/command.h"

namespace cricket::oci::cli {
namespace {

int Run(Context& ctx, const Args& args) { return RunOnId(ctx, args, &Runtime::Start); }

}  // namespace

Command StartVerb() {
  return {"start", "<container-id>", "execute the user defined process in a created container",
          {}, false, Run};
}

}  // namespace cricket::oci::cli
