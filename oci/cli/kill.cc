// `cricket-oci kill <id> [signal]`: SIGTERM by default, `--all` for every
// process in the container.
#include <csignal>

#include "oci/cli/command.h"

namespace cricket::oci::cli {
namespace {

int Run(Context& ctx, const Args& args) {
  auto id = ContainerId(args, 1, 2);
  if (!id.ok()) return Fail(ctx, id.status());
  int sig = SIGTERM;
  if (args.positional().size() == 2) {
    auto parsed = ParseSignal(args.positional()[1]);
    if (!parsed.ok()) return Fail(ctx, parsed.status());
    sig = *parsed;
  }
  if (absl::Status st = ctx.runtime().Kill(*id, sig, args.Has("all")); !st.ok()) {
    return Fail(ctx, st);
  }
  return 0;
}

}  // namespace

Command KillVerb() {
  return {"kill", "[command options] <container-id> [signal]",
          "send a signal (default: SIGTERM) to the container's init process",
          {{"all", 'a', false}}, false, Run};
}

}  // namespace cricket::oci::cli
