// `cricket-oci state`: prints the container's state as runc's JSON.
#include <cstdio>

#include "nlohmann/json.hpp"
#include "oci/cli/command.h"
#include "oci/cli/state_json.h"

namespace cricket::oci::cli {

nlohmann::ordered_json StateToJson(const ContainerState& s) {
  nlohmann::ordered_json j;
  j["ociVersion"] = s.oci_version;
  j["id"] = s.id;
  j["pid"] = s.pid;
  j["status"] = s.status;
  j["bundle"] = s.bundle;
  j["rootfs"] = s.rootfs;
  j["created"] = s.created;
  j["owner"] = s.owner;
  if (!s.annotations.empty()) j["annotations"] = s.annotations;
  return j;
}

namespace {

int Run(Context& ctx, const Args& args) {
  auto id = ContainerId(args);
  if (!id.ok()) return Fail(ctx, id.status());
  auto st = ctx.runtime().State(*id);
  if (!st.ok()) return Fail(ctx, st.status());
  // As runc: no final newline.
  std::fputs(StateToJson(*st).dump(2).c_str(), stdout);
  return 0;
}

}  // namespace

Command StateVerb() {
  return {"state", "<container-id>", "output the state of a container", {}, false, Run};
}

}  // namespace cricket::oci::cli
