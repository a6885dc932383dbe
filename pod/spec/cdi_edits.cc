// CDI container edits on the built spec, as the CDI reference runtime makes
// them: env replaces a variable of the same name; a device node replaces one
// at the same path and gets a device cgroup allow rule; a mount replaces one
// at the same destination (then mounts are sorted parents first); hooks and
// additional gids are appended. Two CDI devices that set one variable, node
// or mount differently conflict, and the container is refused.
#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "oci/sys/status.h"
#include "pod/spec/builders.h"

namespace cricket::pod::spec {
namespace {

class CdiApplier {
 public:
  CdiApplier(const Inputs& in, Output& out) : in_(in), spec_(out.spec), out_(out) {}

  absl::Status Apply(const cdi::EditSet& set) {
    const cdi::ContainerEdits& e = set.edits;
    if (e.has_intel_rdt || e.has_net_devices) {
      return absl::UnimplementedError(absl::StrCat(
          set.origin, ": ", e.has_intel_rdt ? "intelRdt" : "netDevices",
          " edits are not supported by cricket (no resctrl or host interface moves)"));
    }
    for (const std::string& env : e.env) RETURN_IF_ERROR(Env(env, set.origin));
    for (const cdi::DeviceNode& n : e.device_nodes) {
      RETURN_IF_ERROR(sys::Annotate(Node(n, set.origin), "%s: device node %s", set.origin, n.path));
    }
    for (const cdi::Mount& m : e.mounts) RETURN_IF_ERROR(Mount(m, set.origin));
    for (const cdi::Hook& h : e.hooks) HookList(h.hook_name).push_back(
        oci::Hook{.path = h.path, .args = h.args, .env = h.env, .timeout = h.timeout});
    std::vector<uint32_t>& gids = ProcessOf(out_).user.additional_gids;
    for (uint32_t g : e.additional_gids) {
      if (g != 0 && std::find(gids.begin(), gids.end(), g) == gids.end()) gids.push_back(g);
    }
    return absl::OkStatus();
  }

  void SortMounts() {
    std::stable_sort(spec_.mounts.begin(), spec_.mounts.end(),
                     [](const oci::Mount& a, const oci::Mount& b) {
                       return PathDepth(a.destination) < PathDepth(b.destination);
                     });
  }

 private:
  // Records what `origin` sets `key` to; another CDI device setting it to
  // something else is a conflict.
  absl::Status Claim(const char* what, const std::string& key, const std::string& value,
                     const std::string& origin) {
    auto [it, fresh] = claims_.try_emplace(absl::StrCat(what, " ", key), Claim_{origin, value});
    if (fresh || it->second.value == value) return absl::OkStatus();
    return absl::FailedPreconditionError(absl::StrCat("conflicting CDI edits: ", it->second.origin,
                                                      " and ", origin, " set ", what, " ", key,
                                                      " differently"));
  }

  absl::Status Env(const std::string& env, const std::string& origin) {
    std::string name = env.substr(0, env.find('='));
    RETURN_IF_ERROR(Claim("env", name, env, origin));
    std::vector<std::string>& list = ProcessOf(out_).env;
    auto same = [&](const std::string& e) { return e.substr(0, e.find('=')) == name; };
    auto it = std::find_if(list.begin(), list.end(), same);
    if (it != list.end()) {
      *it = env;
    } else {
      list.push_back(env);
    }
    return absl::OkStatus();
  }

  absl::Status Node(cdi::DeviceNode n, const std::string& origin);
  absl::Status Mount(const cdi::Mount& m, const std::string& origin);
  std::vector<oci::Hook>& HookList(const std::string& name);

  struct Claim_ {
    std::string origin, value;
  };
  const Inputs& in_;
  oci::Spec& spec_;
  Output& out_;
  std::map<std::string, Claim_> claims_;
};

// Type, major and minor from the host node where the spec leaves them out
// (the CDI reference's fillMissingInfo); owner from the container's user.
absl::Status CdiApplier::Node(cdi::DeviceNode n, const std::string& origin) {
  std::string host = n.host_path.empty() ? n.path : n.host_path;
  if (n.type.empty() || (n.major == 0 && n.type != "p")) {
    if (!in_.host.device) return absl::InternalError("no device lookup");
    absl::StatusOr<DeviceInfo> info = in_.host.device(host);
    if (!info.ok()) return sys::Annotate(info.status(), "host node");
    std::string host_type(1, info->type);
    std::string want = n.type == "u" ? "c" : n.type;
    if (n.type.empty()) {
      n.type = host_type;
    } else if (want != host_type) {
      return absl::InvalidArgumentError(
          absl::StrCat("type ", n.type, " but host node ", host, " is of type ", host_type));
    }
    if (n.major == 0 && n.type != "p") {
      n.major = info->major;
      n.minor = info->minor;
    }
    if (!n.file_mode) n.file_mode = info->file_mode;
  }
  const oci::User& user = ProcessOf(out_).user;
  if (!n.uid && user.uid > 0) n.uid = user.uid;
  if (!n.gid && user.gid > 0) n.gid = user.gid;
  RETURN_IF_ERROR(Claim("device node", n.path, absl::StrCat(n.type, " ", n.major, ":", n.minor),
                        origin));
  auto& devices = LinuxOf(out_).devices ? *LinuxOf(out_).devices : LinuxOf(out_).devices.emplace();
  std::erase_if(devices, [&](const oci::Device& d) { return d.path == n.path; });
  devices.push_back(oci::Device{.type = n.type, .path = n.path, .major = n.major,
                                .minor = n.minor, .file_mode = n.file_mode, .uid = n.uid,
                                .gid = n.gid});
  if (n.type != "p") {
    ResourcesOf(out_).devices.push_back(oci::cgroup::DeviceRule{
        .allow = true, .type = n.type == "u" ? "c" : n.type, .major = n.major, .minor = n.minor,
        .access = n.permissions.empty() ? "rwm" : n.permissions});
  }
  return absl::OkStatus();
}

absl::Status CdiApplier::Mount(const cdi::Mount& m, const std::string& origin) {
  // No type: a bind mount (CDI's bind mounts carry a dummy type or none).
  oci::Mount om{.destination = m.container_path, .type = m.type.empty() ? "bind" : m.type,
                .source = m.host_path, .options = m.options};
  RETURN_IF_ERROR(Claim("mount", om.destination,
                        absl::StrCat(om.type, " ", om.source, " ", absl::StrJoin(om.options, ",")),
                        origin));
  std::erase_if(spec_.mounts, [&](const oci::Mount& x) { return x.destination == om.destination; });
  spec_.mounts.push_back(std::move(om));
  return absl::OkStatus();
}

std::vector<oci::Hook>& CdiApplier::HookList(const std::string& name) {
  oci::Hooks& h = spec_.hooks;
  if (name == "prestart") return h.prestart;
  if (name == "createRuntime") return h.create_runtime;
  if (name == "createContainer") return h.create_container;
  if (name == "startContainer") return h.start_container;
  if (name == "poststart") return h.poststart;
  return h.poststop;  // the parser accepts no other name
}

}  // namespace

absl::Status ApplyCdi(const Inputs& in, Output& out) {
  if (in.cdi.empty()) return absl::OkStatus();
  CdiApplier a(in, out);
  for (const cdi::EditSet& set : in.cdi) RETURN_IF_ERROR(a.Apply(set));
  a.SortMounts();
  return absl::OkStatus();
}

}  // namespace cricket::pod::spec
