// Namespace planning (pure), setns/unshare in the child, id maps from the parent.
#include "oci/linux/namespaces.h"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fds.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

namespace cricket::oci::linux {

uint64_t NamespaceFlag(const std::string& type) {
  if (type == "pid") return CLONE_NEWPID;
  if (type == "network") return CLONE_NEWNET;
  if (type == "mount") return CLONE_NEWNS;
  if (type == "ipc") return CLONE_NEWIPC;
  if (type == "uts") return CLONE_NEWUTS;
  if (type == "user") return CLONE_NEWUSER;
  if (type == "cgroup") return CLONE_NEWCGROUP;
  if (type == "time") return CLONE_NEWTIME;
  return 0;
}

std::string ProcNsName(const std::string& type) {
  if (type == "network") return "net";
  if (type == "mount") return "mnt";
  return type;
}

absl::StatusOr<NsPlan> PlanNamespaces(const Spec& spec) {
  NsPlan plan;
  if (!spec.linux_spec) return plan;
  for (const Namespace& ns : spec.linux_spec->namespaces) {
    if (ns.type == "user") plan.any_user = true;
    if (!ns.path.empty()) {
      if (ns.type == "pid") {
        plan.pid_path = ns.path;
      } else if (ns.type == "user") {
        plan.user_path = ns.path;
      } else {
        plan.joins.push_back(ns);
      }
      continue;
    }
    if (ns.type == "cgroup") {
      plan.unshare_cgroup = true;
    } else if (ns.type == "time") {
      plan.unshare_time = true;
    } else {
      plan.clone_flags |= NamespaceFlag(ns.type);
      if (ns.type == "user") plan.new_user = true;
    }
  }
  const Linux& l = *spec.linux_spec;
  bool maps = !l.uid_mappings.empty() || !l.gid_mappings.empty();
  if (plan.new_user && (l.uid_mappings.empty() || l.gid_mappings.empty())) {
    return absl::InvalidArgumentError(
        "linux.uidMappings/gidMappings: required for a new user namespace");
  }
  if (maps && !plan.new_user) {
    return absl::InvalidArgumentError(
        "linux.uidMappings: given, but no new user namespace is requested");
  }
  if (!l.time_offsets.empty() && !plan.unshare_time) {
    return absl::InvalidArgumentError("linux.timeOffsets: given without a new time namespace");
  }
  return plan;
}

namespace {

absl::Status SetNs(const Namespace& ns) {
  absl::StatusOr<sys::UniqueFd> fd = sys::Open(ns.path, O_RDONLY);
  if (!fd.ok()) return sys::Annotate(fd.status(), "%s namespace", ns.type);
  if (::setns(fd->get(), static_cast<int>(NamespaceFlag(ns.type))) != 0) {
    return sys::ErrnoStatus(errno, "join %s namespace %s", ns.type, ns.path);
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status JoinNamespaces(const std::vector<Namespace>& joins) {
  for (const Namespace& ns : joins) RETURN_IF_ERROR(SetNs(ns));
  return absl::OkStatus();
}

absl::StatusOr<sys::UniqueFd> OpenLateUserNamespace(const NsPlan& plan) {
  if (plan.user_path.empty()) return sys::UniqueFd();
  absl::StatusOr<sys::UniqueFd> fd = sys::Open(plan.user_path, O_RDONLY);
  if (!fd.ok()) return sys::Annotate(fd.status(), "user namespace");
  return fd;
}

absl::Status UnshareLate(const NsPlan& plan, const std::map<std::string, TimeOffset>& offsets) {
  if (plan.unshare_cgroup && ::unshare(CLONE_NEWCGROUP) != 0) {
    return sys::ErrnoStatus(errno, "unshare cgroup namespace");
  }
  if (!plan.unshare_time) return absl::OkStatus();
  if (::unshare(CLONE_NEWTIME) != 0) return sys::ErrnoStatus(errno, "unshare time namespace");
  // Offsets can be written only before a process enters the namespace; the
  // caller enters it at execve (it is its time_for_children until then).
  std::string lines;
  for (const auto& [clock, o] : offsets) {
    absl::StrAppend(&lines, clock, " ", o.secs, " ", o.nanosecs, "\n");
  }
  if (lines.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(sys::UniqueFd fd, sys::Open("/proc/self/timens_offsets", O_WRONLY));
  if (::write(fd.get(), lines.data(), lines.size()) < 0) {
    return sys::ErrnoStatus(errno, "write time offsets \"%s\"", lines);
  }
  return absl::OkStatus();
}

std::string FormatIdMap(const std::vector<IdMapping>& m) {
  std::string out;
  for (const IdMapping& e : m)
    absl::StrAppend(&out, e.container_id, " ", e.host_id, " ", e.size, "\n");
  return out;
}

absl::Status WriteIdMaps(pid_t pid, const std::vector<IdMapping>& uids,
                         const std::vector<IdMapping>& gids) {
  for (auto [name, map] : {std::pair{"uid_map", &uids}, std::pair{"gid_map", &gids}}) {
    std::string path = absl::StrFormat("/proc/%d/%s", pid, name);
    std::string text = FormatIdMap(*map);
    ASSIGN_OR_RETURN(sys::UniqueFd fd, sys::Open(path, O_WRONLY));
    if (::write(fd.get(), text.data(), text.size()) < 0) {
      return sys::ErrnoStatus(errno, "write %s \"%s\"", path, text);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<PidNsGuard> PidNsGuard::Enter(const std::string& ns_path) {
  PidNsGuard g;
  ASSIGN_OR_RETURN(g.saved_, sys::Open("/proc/self/ns/pid", O_RDONLY));
  absl::StatusOr<sys::UniqueFd> target = sys::Open(ns_path, O_RDONLY);
  if (!target.ok()) return sys::Annotate(target.status(), "pid namespace");
  if (::setns(target->get(), CLONE_NEWPID) != 0) {
    return sys::ErrnoStatus(errno, "join pid namespace %s", ns_path);
  }
  return g;
}

PidNsGuard::~PidNsGuard() {
  if (saved_ && ::setns(saved_.get(), CLONE_NEWPID) != 0) {
    sys::LogError("restore pid namespace for children failed", {{"errno", strerror(errno)}});
  }
}

}  // namespace cricket::oci::linux
