// Mount option parsing and the mount plan (no syscalls here).
#include "oci/linux/mounts.h"

#include <linux/mount.h>
#include <sys/mount.h>

#include <map>

#include "absl/strings/str_join.h"
#include "oci/linux/namespaces.h"
#include "oci/sys/status.h"
#include "oci/sys/userns.h"

namespace cricket::oci::linux {
namespace {

struct FlagDef {
  bool clear;
  unsigned long flag;
};

const std::map<std::string, FlagDef>& FlagTable() {
  static const auto* t = new std::map<std::string, FlagDef>{
      {"async", {true, MS_SYNCHRONOUS}},
      {"atime", {true, MS_NOATIME}},
      {"bind", {false, MS_BIND}},
      {"defaults", {false, 0}},
      {"dev", {true, MS_NODEV}},
      {"diratime", {true, MS_NODIRATIME}},
      {"dirsync", {false, MS_DIRSYNC}},
      {"exec", {true, MS_NOEXEC}},
      {"iversion", {false, MS_I_VERSION}},
      {"lazytime", {false, MS_LAZYTIME}},
      {"loud", {true, MS_SILENT}},
      {"mand", {false, MS_MANDLOCK}},
      {"noatime", {false, MS_NOATIME}},
      {"nodev", {false, MS_NODEV}},
      {"nodiratime", {false, MS_NODIRATIME}},
      {"noexec", {false, MS_NOEXEC}},
      {"noiversion", {true, MS_I_VERSION}},
      {"nolazytime", {true, MS_LAZYTIME}},
      {"nomand", {true, MS_MANDLOCK}},
      {"norelatime", {true, MS_RELATIME}},
      {"nostrictatime", {true, MS_STRICTATIME}},
      {"nosuid", {false, MS_NOSUID}},
      {"rbind", {false, MS_BIND | MS_REC}},
      {"relatime", {false, MS_RELATIME}},
      {"remount", {false, MS_REMOUNT}},
      {"ro", {false, MS_RDONLY}},
      {"rw", {true, MS_RDONLY}},
      {"silent", {false, MS_SILENT}},
      {"strictatime", {false, MS_STRICTATIME}},
      {"suid", {true, MS_NOSUID}},
      {"sync", {false, MS_SYNCHRONOUS}},
  };
  return *t;
}

struct AttrDef {
  bool clear;
  uint64_t attr;
};

const std::map<std::string, AttrDef>& AttrTable() {
  static const auto* t = new std::map<std::string, AttrDef>{
      {"rro", {false, MOUNT_ATTR_RDONLY}},
      {"rrw", {true, MOUNT_ATTR_RDONLY}},
      {"rnosuid", {false, MOUNT_ATTR_NOSUID}},
      {"rsuid", {true, MOUNT_ATTR_NOSUID}},
      {"rnodev", {false, MOUNT_ATTR_NODEV}},
      {"rdev", {true, MOUNT_ATTR_NODEV}},
      {"rnoexec", {false, MOUNT_ATTR_NOEXEC}},
      {"rexec", {true, MOUNT_ATTR_NOEXEC}},
      {"rnodiratime", {false, MOUNT_ATTR_NODIRATIME}},
      {"rdiratime", {true, MOUNT_ATTR_NODIRATIME}},
      {"rnoatime", {false, MOUNT_ATTR_NOATIME}},
      {"rrelatime", {false, MOUNT_ATTR_RELATIME}},
      {"rstrictatime", {false, MOUNT_ATTR_STRICTATIME}},
      {"rnosymfollow", {false, MOUNT_ATTR_NOSYMFOLLOW}},
      {"rsymfollow", {true, MOUNT_ATTR_NOSYMFOLLOW}},
  };
  return *t;
}

}  // namespace

absl::StatusOr<unsigned long> PropagationFlag(const std::string& name) {
  static const auto* t = new std::map<std::string, unsigned long>{
      {"private", MS_PRIVATE},       {"rprivate", MS_PRIVATE | MS_REC},
      {"shared", MS_SHARED},         {"rshared", MS_SHARED | MS_REC},
      {"slave", MS_SLAVE},           {"rslave", MS_SLAVE | MS_REC},
      {"unbindable", MS_UNBINDABLE}, {"runbindable", MS_UNBINDABLE | MS_REC},
  };
  auto it = t->find(name);
  if (it == t->end())
    return absl::InvalidArgumentError("unknown mount propagation \"" + name + "\"");
  return it->second;
}

MountOptions ParseMountOptions(const std::vector<std::string>& options) {
  MountOptions o;
  std::vector<std::string> data;
  for (const std::string& opt : options) {
    if (auto f = FlagTable().find(opt); f != FlagTable().end()) {
      if (f->second.clear) {
        o.flags &= ~f->second.flag;
        o.clear |= f->second.flag;
      } else {
        o.flags |= f->second.flag;
        o.clear &= ~f->second.flag;
      }
      if (opt == "bind" || opt == "rbind") o.bind = true;
      if (opt == "rbind") o.recursive = true;
    } else if (auto a = AttrTable().find(opt); a != AttrTable().end()) {
      (a->second.clear ? o.attr_clr : o.attr_set) |= a->second.attr;
    } else if (auto p = PropagationFlag(opt); p.ok()) {
      o.propagation = *p;
    } else if (opt == "idmap" || opt == "ridmap") {
      o.idmap = true;
      o.recursive_idmap |= opt == "ridmap";
    } else if (opt == "tmpcopyup") {
      // Not supported by this engine; ignored as runc ignores unknown
      // extension options rather than passing them to the kernel.
    } else {
      data.push_back(opt);
    }
  }
  o.data = absl::StrJoin(data, ",");
  return o;
}

// Runtime-spec 1.2: "idmap"/"ridmap" go with both mapping lists, and only
// on binds (the engine makes the id-mapped clone itself).
static absl::Status PlanIdmap(const Mount& m, size_t i, MountStep& s) {
  bool maps = !m.uid_mappings.empty() || !m.gid_mappings.empty();
  std::string p = "mounts[" + std::to_string(i) + "] (" + m.destination + ")";
  if (!s.opts.idmap && !maps) return absl::OkStatus();
  if (!s.opts.idmap) {
    return absl::InvalidArgumentError(p + ": uidMappings/gidMappings need the idmap or ridmap option");
  }
  if (m.uid_mappings.empty() || m.gid_mappings.empty()) {
    return absl::InvalidArgumentError(p + ": idmap needs both uidMappings and gidMappings");
  }
  s.uid_mappings = m.uid_mappings;
  s.gid_mappings = m.gid_mappings;
  return absl::OkStatus();
}

absl::StatusOr<std::vector<MountStep>> PlanMounts(const std::vector<Mount>& mounts,
                                                  const std::string& bundle) {
  std::vector<MountStep> steps;
  for (size_t i = 0; i < mounts.size(); i++) {
    const Mount& m = mounts[i];
    MountStep s;
    s.destination = m.destination;
    if (s.destination.empty() || s.destination[0] != '/') {
      return absl::InvalidArgumentError("mounts[" + std::to_string(i) +
                                        "].destination: must be an absolute path");
    }
    s.opts = ParseMountOptions(m.options);
    s.fstype = m.type;
    s.source = m.source;
    if (s.opts.bind || m.type == "bind") {
      s.kind = MountKind::kBind;
      s.opts.bind = true;
      if (!s.source.empty() && s.source[0] != '/') s.source = bundle + "/" + s.source;
      // Everything but MS_BIND|MS_REC needs the remount pass to take effect.
      s.needs_remount = (s.opts.flags & ~(MS_BIND | MS_REC)) != 0;
      RETURN_IF_ERROR(PlanIdmap(m, i, s));
    } else if (m.type == "cgroup" || m.type == "cgroup2") {
      s.kind = MountKind::kCgroup;
    } else {
      s.kind = MountKind::kFilesystem;
    }
    if (s.opts.idmap && s.kind != MountKind::kBind) {
      return absl::InvalidArgumentError("mounts[" + std::to_string(i) + "] (" + m.destination +
                                        "): idmap is supported on bind mounts only");
    }
    steps.push_back(std::move(s));
  }
  return steps;
}

absl::Status PrepareIdmaps(std::vector<MountStep>& steps, std::vector<sys::UniqueFd>* keep) {
  for (MountStep& s : steps) {
    if (!s.opts.idmap) continue;
    ASSIGN_OR_RETURN(sys::UserNamespaceHolder holder,
                     sys::UserNamespaceHolder::Start(FormatIdMap(s.uid_mappings),
                                                     FormatIdMap(s.gid_mappings), 0));
    ASSIGN_OR_RETURN(sys::UniqueFd fd, holder.OpenUserNs());
    s.idmap_userns_fd = fd.get();
    keep->push_back(std::move(fd));
  }
  return absl::OkStatus();
}

bool NeedsDevSetup(const std::vector<Mount>& mounts) {
  for (const Mount& m : mounts) {
    if (m.destination == "/dev" && m.type != "bind") {
      bool bind = false;
      for (const auto& o : m.options) bind |= (o == "bind" || o == "rbind");
      if (!bind) return true;
    }
  }
  return false;
}

}  // namespace cricket::oci::linux
