// `cricket-oci delete [-f] <id>`: removes a stopped container (with -f, kills
// a running one first; a missing container is then not an error, as in runc).
#include "oci/cli/command.h"

namespace cricket::oci::cli {
namespace {

int Run(Context& ctx, const Args& args) {
  auto id = ContainerId(args);
  if (!id.ok()) return Fail(ctx, id.status());
  bool force = args.Has("force");
  absl::Status st = ctx.runtime().Delete(*id, force);
  if (!st.ok() && !(force && absl::IsNotFound(st))) return Fail(ctx, st);
  return 0;
}

}  // namespace

Command DeleteVerb() {
  return {"delete", "[command options] <container-id>",
          "delete any resources held by the container", {{"force", 'f', false}}, false, Run};
}

}  // namespace cricket::oci::cli
