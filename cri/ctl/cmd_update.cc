// `cricketctl update`: UpdateContainerResources with crictl's flags; only the
// flags given are set, the rest stay zero (CRI's "leave as is").
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "cri/client/id_prefix.h"
#include "cri/ctl/cmd_common.h"
#include "oci/sys/status.h"

namespace cricket::cri::ctl {
namespace {

absl::StatusOr<v1::LinuxContainerResources> Resources(const Flags& f) {
  v1::LinuxContainerResources r;
  ASSIGN_OR_RETURN(int64_t shares, f.GetInt("cpu-shares", 0));
  ASSIGN_OR_RETURN(int64_t quota, f.GetInt("cpu-quota", 0));
  ASSIGN_OR_RETURN(int64_t period, f.GetInt("cpu-period", 0));
  r.set_cpu_shares(shares);
  r.set_cpu_quota(quota);
  r.set_cpu_period(period);
  r.set_cpuset_cpus(f.Get("cpuset-cpus"));
  r.set_cpuset_mems(f.Get("cpuset-mems"));
  if (f.Has("memory")) {
    ASSIGN_OR_RETURN(int64_t mem, MemoryBytes(f.Get("memory")));
    r.set_memory_limit_in_bytes(mem);
  }
  return r;
}

}  // namespace

absl::Status RunUpdate(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(Flags f, ParseFlags("update", args));
  if (f.args.empty()) return UsageError("update", "give at least one container id");
  ASSIGN_OR_RETURN(v1::LinuxContainerResources res, Resources(f));
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  return ForEachResolved(*c, f.args, client::ResolveContainerId, [&](const std::string& id) {
    v1::UpdateContainerResourcesRequest req;
    req.set_container_id(id);
    *req.mutable_linux() = res;
    return c->Call(c->runtime(), &v1::RuntimeService::Stub::UpdateContainerResources, req,
                   "UpdateContainerResources")
        .status();
  });
}

}  // namespace cricket::cri::ctl
