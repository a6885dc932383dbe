// Runtime::Checkpoint: dump a running container with `criu dump` as runc
// does (its flags, its external mounts and namespaces, descriptors.json).
// A container with a terminal is refused: criu can hand a restored pty
// master back only through its RPC mode, which cricket does not drive.
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "oci/checkpoint_internal.h"
#include "oci/criu.h"
#include "oci/linux/cgroup_mount.h"
#include "oci/runtime.h"
#include "oci/runtime_internal.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/status.h"

namespace cricket::oci {
namespace internal {

absl::StatusOr<std::vector<std::string>> CriuFlags(const CriuCommonFlags& f) {
  std::string mode = f.manage_cgroups_mode.empty() ? "soft" : f.manage_cgroups_mode;
  if (mode != "soft" && mode != "full" && mode != "strict" && mode != "ignore") {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid --manage-cgroups-mode \"", mode, "\": want soft, full, strict or ignore"));
  }
  std::vector<std::string> a = {"--manage-cgroups=" + mode};
  if (f.tcp_established) a.push_back("--tcp-established");
  if (f.ext_unix_sk) a.push_back("--ext-unix-sk");
  if (f.shell_job) a.push_back("--shell-job");
  if (f.file_locks) a.push_back("--file-locks");
  if (f.auto_dedup) a.push_back("--auto-dedup");
  for (const std::string& ns : f.empty_ns) {
    if (ns != "network") {
      return absl::InvalidArgumentError(
          absl::StrCat("--empty-ns ", ns, ": only network is supported (as runc)"));
    }
    a.push_back("--empty-ns");
    a.push_back("net");
  }
  return a;
}

namespace {
bool IsBind(const Mount& m) {
  if (m.type == "bind") return true;
  for (const std::string& o : m.options) {
    if (o == "bind" || o == "rbind") return true;
  }
  return false;
}
std::string Ext(const std::string& key, const std::string& value) {
  return absl::StrCat("mnt[", key, "]:", value);
}
}  // namespace

std::vector<std::string> ExternalMountFlags(const ExternalMountInput& in) {
  std::vector<std::string> ext;
  bool cgroupns = in.spec->FindNamespace("cgroup") != nullptr;
  for (const Mount& m : in.spec->mounts) {
    if (IsBind(m)) {
      ext.push_back(Ext(m.destination, in.restore ? m.source : m.destination));
    } else if (m.type == "cgroup" && !cgroupns) {
      for (const std::string& mp : in.cgroup_v1_mounts) {
        std::string dest = m.destination + mp.substr(mp.find_last_of('/'));
        ext.push_back(Ext(dest, in.restore ? mp + in.cgroup_path : dest));
      }
    }
  }
  for (const std::string& p : in.masked_files) ext.push_back(Ext(p, in.restore ? "/dev/null" : p));
  std::vector<std::string> flags;
  for (std::string& e : ext) {
    flags.push_back("--external");
    flags.push_back(std::move(e));
  }
  return flags;
}

std::vector<std::string> CgroupV1MountPoints() {
  std::vector<std::string> out;
  absl::StatusOr<std::string> mi = sys::ReadFile("/proc/self/mountinfo");
  if (!mi.ok()) return out;
  for (const linux::CgroupHierarchy& h : linux::ParseCgroupMounts(*mi)) {
    if (h.fstype == "cgroup" && absl::StartsWith(h.mount_point, "/sys/fs/cgroup/")) {
      out.push_back(h.mount_point);
    }
  }
  return out;
}

}  // namespace internal

namespace {

// The masked paths that are files (bound from /dev/null), seen in init's root.
std::vector<std::string> MaskedFiles(const Spec& spec, pid_t pid) {
  std::vector<std::string> out;
  if (!spec.linux_spec || !spec.linux_spec->masked_paths) return out;
  for (const std::string& p : *spec.linux_spec->masked_paths) {
    struct stat st;
    std::string in_root = absl::StrCat("/proc/", pid, "/root", p);
    if (::stat(in_root.c_str(), &st) == 0 && !S_ISDIR(st.st_mode)) out.push_back(p);
  }
  return out;
}

// Namespaces the container joined by path are the host's (the pod's) to
// keep: criu records them as external and restore gets them back by fd.
absl::StatusOr<std::vector<std::string>> ExternalNamespaceFlags(const Spec& spec) {
  std::vector<std::string> flags;
  for (const auto& [type, criu_type, key] :
       {std::tuple{"network", "net", "extRootNetNS"}, std::tuple{"pid", "pid", "extRootPidNS"}}) {
    const Namespace* ns = spec.FindNamespace(type);
    if (ns == nullptr || ns->path.empty()) continue;
    struct stat st;
    if (::stat(ns->path.c_str(), &st) != 0) return sys::ErrnoStatus(errno, "stat %s", ns->path);
    flags.push_back("--external");
    flags.push_back(absl::StrCat(criu_type, "[", st.st_ino, "]:", key));
  }
  return flags;
}

absl::Status WriteDescriptors(pid_t pid, const std::string& image_dir) {
  nlohmann::json fds = nlohmann::json::array();
  for (int fd = 0; fd < 3; ++fd) {
    char buf[4096];
    std::string link = absl::StrCat("/proc/", pid, "/fd/", fd);
    ssize_t n = ::readlink(link.c_str(), buf, sizeof buf);
    fds.push_back(n > 0 ? std::string(buf, n) : "/dev/null");  // a closed fd: as runc
  }
  return sys::WriteFileAtomic(image_dir + "/" + internal::kDescriptorsFile, fds.dump(), 0600,
                              sys::Durability::kBootOnly);
}

std::string FreezerDir(const std::string& cgroup_path) {
  if (sys::PathExists("/sys/fs/cgroup/freezer")) return "/sys/fs/cgroup/freezer" + cgroup_path;
  return "/sys/fs/cgroup" + cgroup_path;
}

}  // namespace

absl::Status Runtime::Checkpoint(const std::string& id, const CheckpointOptions& o) {
  RETURN_IF_ERROR(ValidateId(id));
  ASSIGN_OR_RETURN(internal::Loaded l, internal::Load(opts_, id, internal::Need::kSpec));
  auto fail = [&id](absl::Status st) { return sys::Annotate(st, "checkpoint container %s", id); };
  if (l.stored.state.status != "running" && l.stored.state.status != "paused") {
    return fail(absl::FailedPreconditionError("container is " + l.stored.state.status));
  }
  if (l.spec.process && l.spec.process->terminal) {
    return fail(absl::UnimplementedError(
        "a container with a terminal (process.terminal) cannot be checkpointed by cricket"));
  }
  if (o.image_path.empty()) return fail(absl::InvalidArgumentError("no image path"));
  auto criu = FindCriu(opts_.criu_path);
  if (!criu.ok()) return fail(criu.status());
  const std::string work = o.work_path.empty() ? o.image_path : o.work_path;
  RETURN_IF_ERROR(fail(sys::MkdirAll(o.image_path, 0700)));
  RETURN_IF_ERROR(fail(sys::MkdirAll(work, 0700)));
  const pid_t pid = l.stored.state.pid;
  RETURN_IF_ERROR(fail(WriteDescriptors(pid, o.image_path)));
  ASSIGN_OR_RETURN(auto cg, internal::AttachCgroup(l.stored));
  CriuCall call{*criu, o.pre_dump ? "pre-dump" : "dump", {}, work + "/dump.log", {}};
  call.args = {"--tree", std::to_string(pid), "--images-dir", o.image_path, "--work-dir", work,
               "--root", l.stored.state.rootfs, "--freeze-cgroup", FreezerDir(cg->Path())};
  auto common = internal::CriuFlags({o.tcp_established, o.ext_unix_sk, o.shell_job, o.file_locks,
                                     o.auto_dedup, o.manage_cgroups_mode, o.empty_ns});
  if (!common.ok()) return fail(common.status());
  call.args.insert(call.args.end(), common->begin(), common->end());
  if (o.leave_running && !o.pre_dump) call.args.push_back("--leave-running");
  if (o.pre_dump || !o.parent_path.empty()) call.args.push_back("--track-mem");
  if (!o.parent_path.empty()) {
    call.args.insert(call.args.end(), {"--prev-images-dir", o.parent_path});
  }
  internal::ExternalMountInput mi{&l.spec, false, MaskedFiles(l.spec, pid),
                                  internal::CgroupV1MountPoints(), ""};
  for (std::string& f : internal::ExternalMountFlags(mi)) call.args.push_back(std::move(f));
  auto ns = ExternalNamespaceFlags(l.spec);
  if (!ns.ok()) return fail(ns.status());
  call.args.insert(call.args.end(), ns->begin(), ns->end());
  return fail(RunCriu(call));
}

}  // namespace cricket::oci
