// `cricket-oci create`: sets the container up and leaves its init waiting
// for `start`.
#include "oci/cli/command.h"

namespace cricket::oci::cli {
namespace {

int Run(Context& ctx, const Args& args) {
  auto opts = CreateOptionsFromArgs(args);
  if (!opts.ok()) return Fail(ctx, opts.status());
  auto pid = ctx.runtime().Create(*opts);
  if (!pid.ok()) return Fail(ctx, pid.status());
  return 0;
}

}  // namespace

Command CreateVerb() {
  std::vector<FlagSpec> flags = CreateFlags();
  return {"create", "[command options] <container-id>", "create a container", flags, false, Run};
}

}  // namespace cricket::oci::cli
