// `cricketctl update`: UpdateContainerResources with crictl's flags; only the
// flags given are set, the rest stay zero (CRI's "leave as is").
#include <cctype>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "cri/client/id_prefix.h"
#include "cri/ctl/cmd_common.h"
#include "oci/sys/status.h"

namespace cricket::cri::ctl {
namespace {

// "512m", "1g", "100000", "64Ki" → bytes (binary units, as docker's RAMInBytes).
absl::StatusOr<int64_t> MemoryBytes(const std::string& text) {
  std::string num = text, unit;
  while (!num.empty() && std::isalpha(static_cast<unsigned char>(num.back()))) {
    unit.insert(unit.begin(), static_cast<char>(std::tolower(num.back())));
    num.pop_back();
  }
  if (!unit.empty() && unit.back() == 'b') unit.pop_back();
  if (!unit.empty() && unit.back() == 'i') unit.pop_back();
  double v = 0;
  if (!absl::SimpleAtod(num, &v) || v < 0) {
    return absl::InvalidArgumentError(absl::StrCat("--memory ", text, ": not a size"));
  }
  static const std::string kUnits = "kmgtp";
  if (!unit.empty()) {
    size_t i = kUnits.find(unit);
    if (unit.size() != 1 || i == std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat("--memory ", text, ": unknown unit"));
    }
    for (size_t k = 0; k <= i; k++) v *= 1024;
  }
  return static_cast<int64_t>(v);
}

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
