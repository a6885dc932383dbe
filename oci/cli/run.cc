// `cricket-oci run`: create + start, then (unless --detach) wait in the
// foreground forwarding signals, delete, and exit with the container's code.
#include "oci/cli/command.h"
#include "oci/cli/foreground.h"

namespace cricket::oci::cli {
namespace {

int Run(Context& ctx, const Args& args) {
  auto opts = CreateOptionsFromArgs(args);
  if (!opts.ok()) return Fail(ctx, opts.status());
  bool detach = args.Has("detach");
  opts->foreground = !detach;
  if (!detach && !args.Has("no-subreaper")) BecomeSubreaper();
  Runtime& rt = ctx.runtime();
  auto pid = rt.Create(*opts);
  if (!pid.ok()) return Fail(ctx, pid.status());
  if (absl::Status st = rt.Start(opts->id); !st.ok()) {
    (void)rt.Delete(opts->id, /*force=*/true);
    return Fail(ctx, st);
  }
  if (detach) return 0;
  auto code = ForwardSignalsUntilExit(*pid);
  if (!args.Has("keep")) {
    // Force: with a shared pid namespace other processes may outlive init.
    if (absl::Status st = rt.Delete(opts->id, /*force=*/true); !st.ok()) return Fail(ctx, st);
  }
  if (!code.ok()) return Fail(ctx, code.status());
  return *code;
}

}  // namespace

Command RunVerb() {
  return {"run", "[command options] <container-id>", "create and run a container", CreateFlags(),
          false, Run};
}

}  // namespace cricket::oci::cli
