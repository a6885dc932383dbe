// Mounts and devices: the standard container filesystems, the pod's
// hosts/resolv.conf/hostname/shm, the CRI's bind mounts (sorted so parents
// come before children), and CRI devices (or every device when privileged).
#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "oci/sys/status.h"
#include "pod/spec/builders.h"

namespace cricket::pod::spec {
namespace {

using oci::cgroup::DeviceRule;
using runtime::v1::MountPropagation;

oci::Mount M(const std::string& dest, const std::string& type, const std::string& src,
             std::vector<std::string> opts) {
  return oci::Mount{.destination = dest, .type = type, .source = src, .options = std::move(opts)};
}

std::vector<oci::Mount> DefaultMounts(bool privileged) {
  return {
      M("/proc", "proc", "proc", {"nosuid", "noexec", "nodev"}),
      M("/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}),
      M("/dev/pts", "devpts", "devpts",
        {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}),
      M("/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev"}),
      M("/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", privileged ? "rw" : "ro"}),
      M("/sys/fs/cgroup", "cgroup", "cgroup",
        {"nosuid", "noexec", "nodev", "relatime", privileged ? "rw" : "ro"}),
  };
}

// The bind source of a CRI mount: its host path, or for an image volume the
// image's read-only mount the container manager prepared.
absl::StatusOr<std::string> MountSource(const Inputs& in, const runtime::v1::Mount& m) {
  if (!m.has_image() || m.image().image().empty()) {
    if (m.host_path().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("mount at ", m.container_path(), " has no host_path"));
    }
    return m.host_path();
  }
  if (!m.host_path().empty()) {
    return absl::InvalidArgumentError(absl::StrCat("mount at ", m.container_path(),
                                                   " has both host_path and image"));
  }
  auto it = in.image_volumes.find(m.container_path());
  if (it == in.image_volumes.end()) {
    return absl::InternalError(absl::StrCat("image volume at ", m.container_path(), " (",
                                            m.image().image(), ") was not prepared"));
  }
  return it->second;
}

absl::StatusOr<oci::Mount> CriMount(const Inputs& in, const runtime::v1::Mount& m) {
  if (m.container_path().empty() || m.container_path()[0] != '/') {
    return absl::InvalidArgumentError(absl::StrCat("mount container_path \"", m.container_path(),
                                                   "\" must be an absolute path"));
  }
  ASSIGN_OR_RETURN(std::string source, MountSource(in, m));
  bool image = m.has_image() && !m.image().image().empty();
  if (m.uidmappings_size() || m.gidmappings_size()) {
    return absl::UnimplementedError(absl::StrCat("id-mapped mount at ", m.container_path(),
                                                 " is not supported yet"));
  }
  std::vector<std::string> opts = {"rbind"};
  switch (m.propagation()) {
    case MountPropagation::PROPAGATION_HOST_TO_CONTAINER: opts.push_back("rslave"); break;
    case MountPropagation::PROPAGATION_BIDIRECTIONAL: opts.push_back("rshared"); break;
    default: opts.push_back("rprivate"); break;
  }
  if (m.recursive_read_only()) {
    if (!m.readonly()) {
      return absl::InvalidArgumentError(absl::StrCat("mount at ", m.container_path(),
                                                     ": recursive_read_only needs readonly"));
    }
    opts.push_back("rro");
  } else {
    // An image volume is read-only whatever the request says (KEP 4639).
    opts.push_back(m.readonly() || image ? "ro" : "rw");
  }
  if (image) {
    opts.push_back("nosuid");
    opts.push_back("nodev");
  }
  return M(m.container_path(), "bind", source, opts);
}

oci::Device Device(const std::string& path, const DeviceInfo& d) {
  return oci::Device{.type = std::string(1, d.type), .path = path, .major = d.major,
                     .minor = d.minor, .file_mode = d.file_mode, .uid = d.uid, .gid = d.gid};
}

DeviceRule Allow(const DeviceInfo& d, const std::string& perms) {
  return DeviceRule{.allow = true, .type = std::string(1, d.type), .major = d.major,
                    .minor = d.minor, .access = perms.empty() ? "rwm" : perms};
}

absl::Status ApplyDevices(const Inputs& in, Output& out) {
  std::vector<oci::Device> devices;
  std::vector<DeviceRule> rules = {DeviceRule{.allow = false, .access = "rwm"}};
  if (in.config->linux().security_context().privileged()) {
    rules = {DeviceRule{.allow = true, .access = "rwm"}};
    if (in.host.all_devices) {
      for (const auto& [path, d] : in.host.all_devices()) devices.push_back(Device(path, d));
    }
  }
  for (const auto& d : in.config->devices()) {
    if (!in.host.device) return absl::InternalError("no device lookup");
    auto info = in.host.device(d.host_path());
    if (!info.ok()) {
      return absl::Status(info.status().code(),
                          absl::StrCat("device ", d.host_path(), ": ", info.status().message()));
    }
    std::string dest = d.container_path().empty() ? d.host_path() : d.container_path();
    devices.push_back(Device(dest, *info));
    rules.push_back(Allow(*info, d.permissions()));
  }
  LinuxOf(out).devices = std::move(devices);
  ResourcesOf(out).devices = std::move(rules);
  return absl::OkStatus();
}

// A volume of a pod in its own user namespace is id-mapped with the pod's
// maps, as containerd 2 does: files of host id h show as the pod's id for h
// (host root's as the container's root), and what the container's root
// writes is stored as host root's. Only the top mount is mapped ("idmap").
absl::Status IdmapVolume(const Inputs& in, oci::Mount& m) {
  if (in.sandbox_config == nullptr) {
    return absl::InternalError("volume " + m.destination + ": no pod config for its id maps");
  }
  const auto& u =
      in.sandbox_config->linux().security_context().namespace_options().userns_options();
  auto convert = [](const auto& list) {
    std::vector<oci::IdMapping> out;
    for (const auto& e : list) out.push_back({e.container_id(), e.host_id(), e.length()});
    return out;
  };
  m.uid_mappings = convert(u.uids());
  m.gid_mappings = convert(u.gids());
  if (m.uid_mappings.empty() || m.gid_mappings.empty()) {
    return absl::FailedPreconditionError("volume " + m.destination +
                                         ": the pod has a user namespace but no id maps");
  }
  m.options.push_back("idmap");
  return absl::OkStatus();
}

}  // namespace

absl::Status ApplyMounts(const Inputs& in, Output& out) {
  const auto& c = *in.config;
  bool privileged = c.linux().security_context().privileged();
  std::vector<oci::Mount> cri;
  std::set<std::string> taken;
  for (const auto& m : c.mounts()) {
    auto j = CriMount(in, m);
    if (!j.ok()) return j.status();
    if (!in.sandbox.userns_path.empty()) RETURN_IF_ERROR(IdmapVolume(in, *j));
    taken.insert(m.container_path());
    cri.push_back(*j);
    if (!m.host_path().empty()) out.host_dirs.push_back(m.host_path());
  }
  std::stable_sort(cri.begin(), cri.end(), [](const oci::Mount& a, const oci::Mount& b) {
    return PathDepth(a.destination) < PathDepth(b.destination);
  });
  std::vector<oci::Mount> mounts;
  for (auto& m : DefaultMounts(privileged)) {
    if (!taken.count(m.destination)) mounts.push_back(std::move(m));
  }
  const auto& sb = in.sandbox;
  // The pod's files, unless the kubelet mounts its own (it does for /etc/hosts).
  std::vector<std::pair<std::string, std::string>> pod_files = {
      {"/etc/hosts", sb.hosts_path}, {"/etc/resolv.conf", sb.resolv_path},
      {"/etc/hostname", sb.hostname_path}};
  bool ro = c.linux().security_context().readonly_rootfs();
  for (const auto& [dest, src] : pod_files) {
    if (src.empty() || taken.count(dest)) continue;
    mounts.push_back(M(dest, "bind", src, {"rbind", "rprivate", ro ? "ro" : "rw"}));
  }
  if (!sb.shm_path.empty() && !taken.count("/dev/shm")) {
    mounts.push_back(M("/dev/shm", "bind", sb.shm_path, {"rbind", "rprivate", "rw"}));
  } else if (!taken.count("/dev/shm")) {
    mounts.push_back(M("/dev/shm", "tmpfs", "shm",
                       {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}));
  }
  for (auto& m : cri) mounts.push_back(std::move(m));
  out.spec.mounts = std::move(mounts);
  return ApplyDevices(in, out);
}

}  // namespace cricket::pod::spec
