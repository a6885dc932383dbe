// Runtime::Restore: make a container anew from a bundle (state dir, cgroup
// with the spec's resources) and let `criu restore` bring its processes back
// from a checkpoint, as runc restore does: the rootfs bound at a private
// criu root, external mounts and the joined network/pid namespaces handed
// back, init's pipes re-attached to the caller's stdio (descriptors.json),
// the restored init left as the caller's child (--restore-sibling).
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "oci/cgroup/manager.h"
#include "oci/checkpoint_internal.h"
#include "oci/criu.h"
#include "oci/runtime.h"
#include "oci/runtime_internal.h"
#include "oci/spec_json.h"
#include "oci/state_dir.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fds.h"
#include "oci/sys/fs.h"
#include "oci/sys/rollback.h"
#include "oci/sys/scoped_mount.h"
#include "oci/sys/status.h"
#include "oci/sys/unique_fd.h"

namespace cricket::oci {
namespace {

// `--inherit-fd fd[i]:<what init's fd i was>` for each pipe or socket of
// descriptors.json: criu connects the restored fd to ours (files it reopens).
absl::StatusOr<std::vector<std::string>> InheritStdio(const std::string& image_dir) {
  ASSIGN_OR_RETURN(std::string text,
                   sys::ReadFile(image_dir + "/" + internal::kDescriptorsFile));
  nlohmann::json fds = nlohmann::json::parse(text, nullptr, false);
  if (!fds.is_array()) {
    return absl::InvalidArgumentError(
        absl::StrCat(image_dir, "/", internal::kDescriptorsFile, ": not a JSON array"));
  }
  std::vector<std::string> args;
  for (size_t i = 0; i < fds.size() && i < 3; ++i) {
    std::string d = fds[i].is_string() ? fds[i].get<std::string>() : "";
    if (absl::StartsWith(d, "pipe:") || absl::StartsWith(d, "socket:")) {
      args.push_back("--inherit-fd");
      args.push_back(absl::StrCat("fd[", i, "]:", d));
    }
  }
  return args;
}

struct RestoreCtx {
  const RuntimeOptions& ro;
  const RestoreOptions& o;
  StateDir dir;
  Spec spec;
  nlohmann::json config;
  std::string bundle, rootfs, criu_root, work;
  std::unique_ptr<cgroup::Manager> cg;
  std::vector<sys::UniqueFd> ns_fds;  // joined namespaces handed to criu
  StoredState stored;
};

absl::Status Prepare(RestoreCtx& c, sys::Rollback& rb) {
  char* real = ::realpath(c.o.create.bundle.empty() ? "." : c.o.create.bundle.c_str(), nullptr);
  if (real == nullptr) return sys::ErrnoStatus(errno, "bundle %s", c.o.create.bundle);
  c.bundle = real;
  free(real);
  ASSIGN_OR_RETURN(c.spec, LoadSpec(c.bundle, &c.config));
  if (!c.spec.process) return absl::InvalidArgumentError("config.json: process: is required");
  if (c.spec.process->terminal || !c.o.create.console_socket.empty()) {
    return absl::UnimplementedError(
        "a container with a terminal (process.terminal) cannot be restored by cricket");
  }
  c.rootfs = c.spec.root.path;
  if (c.rootfs.empty() || c.rootfs[0] != '/') c.rootfs = c.bundle + "/" + c.rootfs;
  RETURN_IF_ERROR(c.dir.Create());
  rb.Add("remove state dir " + c.dir.dir(), [&c] { return c.dir.Remove(); });
  cgroup::ManagerOptions mo;
  mo.cgroups_path = c.spec.linux_spec ? c.spec.linux_spec->cgroups_path : "";
  mo.container_id = c.o.create.id;
  mo.systemd = c.ro.systemd_cgroup;
  ASSIGN_OR_RETURN(c.cg, cgroup::NewManager(mo));
  RETURN_IF_ERROR(c.cg->Create());
  rb.Add("destroy cgroup", [&c] { return c.cg->Destroy(); });
  if (c.spec.linux_spec && c.spec.linux_spec->resources) {
    RETURN_IF_ERROR(c.cg->Set(*c.spec.linux_spec->resources));
  }
  c.stored.cgroups_path = mo.cgroups_path;
  c.stored.systemd_cgroup = mo.systemd;
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> NamespaceFds(RestoreCtx& c) {
  std::vector<std::string> args;
  for (const auto& [type, key] :
       {std::pair{"network", "extRootNetNS"}, std::pair{"pid", "extRootPidNS"}}) {
    const Namespace* ns = c.spec.FindNamespace(type);
    if (ns == nullptr || ns->path.empty()) continue;
    ASSIGN_OR_RETURN(sys::UniqueFd fd, sys::Open(ns->path, O_RDONLY));
    args.push_back("--inherit-fd");
    args.push_back(absl::StrCat("fd[", fd.get(), "]:", key));
    c.ns_fds.push_back(std::move(fd));
  }
  return args;
}

absl::StatusOr<CriuCall> RestoreCall(RestoreCtx& c, const std::string& criu) {
  CriuCall call{criu, "restore", {}, c.work + "/restore.log", {}};
  call.args = {"--images-dir", c.o.image_path, "--work-dir", c.work, "--root", c.criu_root,
               "--restore-detached", "--restore-sibling", "--pidfile", c.work + "/restore.pid",
               "--cgroup-root", c.cg->Path()};
  ASSIGN_OR_RETURN(auto common,
                   internal::CriuFlags({c.o.tcp_established, c.o.ext_unix_sk, c.o.shell_job,
                                        c.o.file_locks, c.o.auto_dedup, c.o.manage_cgroups_mode,
                                        c.o.empty_ns}));
  call.args.insert(call.args.end(), common.begin(), common.end());
  std::vector<std::string> masked;  // every masked file becomes /dev/null again
  if (c.spec.linux_spec && c.spec.linux_spec->masked_paths) {
    for (const std::string& p : *c.spec.linux_spec->masked_paths) {
      struct stat st;
      std::string path = c.rootfs + p;
      if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) masked.push_back(p);
    }
  }
  internal::ExternalMountInput mi{&c.spec, true, masked, internal::CgroupV1MountPoints(),
                                  c.cg->Path()};
  for (std::string& f : internal::ExternalMountFlags(mi)) call.args.push_back(std::move(f));
  ASSIGN_OR_RETURN(auto ns, NamespaceFds(c));
  call.args.insert(call.args.end(), ns.begin(), ns.end());
  for (const sys::UniqueFd& fd : c.ns_fds) call.keep_fds.push_back(fd.get());
  ASSIGN_OR_RETURN(auto stdio, InheritStdio(c.o.image_path));
  call.args.insert(call.args.end(), stdio.begin(), stdio.end());
  call.stdin_fd = c.o.create.stdin_fd;
  call.stdout_fd = c.o.create.stdout_fd;
  call.stderr_fd = c.o.create.stderr_fd;
  return call;
}

absl::StatusOr<pid_t> RunRestore(RestoreCtx& c, sys::Rollback& rb, const std::string& criu) {
  // criu wants its --root to be a mount point of its own.
  c.criu_root = c.dir.dir() + "/criu-root";
  RETURN_IF_ERROR(sys::MkdirAll(c.criu_root, 0700));
  ASSIGN_OR_RETURN(sys::ScopedMount root,
                   sys::ScopedMount::Make(c.rootfs, c.criu_root, "", MS_BIND | MS_REC));
  ASSIGN_OR_RETURN(CriuCall call, RestoreCall(c, criu));
  RETURN_IF_ERROR(RunCriu(call));
  ASSIGN_OR_RETURN(std::string pid_text, sys::ReadFile(c.work + "/restore.pid"));
  int pid = 0;
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(pid_text), &pid) || pid <= 0) {
    return absl::InternalError("criu restore wrote no pid to " + c.work + "/restore.pid");
  }
  rb.Add(absl::StrCat("kill restored init ", pid), [&c] { return c.cg->KillAll(SIGKILL); });
  RETURN_IF_ERROR(root.Unmount());
  return pid;
}

absl::Status Persist(RestoreCtx& c, pid_t pid) {
  ContainerState& s = c.stored.state;
  s.oci_version = c.spec.oci_version;
  s.id = c.o.create.id;
  s.status = "running";
  s.pid = pid;
  s.bundle = c.bundle;
  s.rootfs = c.rootfs;
  s.created = Rfc3339Now();
  s.annotations = c.spec.annotations;
  c.stored.init_start_time = ProcStartTime(pid);
  RETURN_IF_ERROR(c.dir.WriteConfig(c.config));
  RETURN_IF_ERROR(c.dir.Write(c.stored));
  if (c.o.create.pid_file.empty()) return absl::OkStatus();
  return sys::WriteFileAtomic(c.o.create.pid_file, std::to_string(pid), 0644,
                              sys::Durability::kBootOnly);
}

}  // namespace

absl::StatusOr<pid_t> Runtime::Restore(const RestoreOptions& o) {
  const std::string& id = o.create.id;
  RETURN_IF_ERROR(ValidateId(id));
  auto fail = [&id](absl::Status st) { return sys::Annotate(st, "restore container %s", id); };
  if (o.image_path.empty()) return fail(absl::InvalidArgumentError("no image path"));
  auto criu = FindCriu(opts_.criu_path);
  if (!criu.ok()) return fail(criu.status());
  RestoreCtx c{opts_, o, StateDir(opts_.root, id), {}, {}, {}, {}, {}, {}, {}, {}, {}};
  c.work = o.work_path.empty() ? o.image_path : o.work_path;
  sys::Rollback rb;
  auto run = [&]() -> absl::StatusOr<pid_t> {
    RETURN_IF_ERROR(Prepare(c, rb));
    RETURN_IF_ERROR(sys::MkdirAll(c.work, 0700));
    ASSIGN_OR_RETURN(pid_t pid, RunRestore(c, rb, *criu));
    RETURN_IF_ERROR(Persist(c, pid));
    return pid;
  };
  absl::StatusOr<pid_t> pid = run();
  if (!pid.ok()) {
    absl::Status undo = rb.Run();
    (void)undo;  // the restore's own error is the one to report
    return fail(pid.status());
  }
  rb.Commit();
  return *pid;
}

}  // namespace cricket::oci
