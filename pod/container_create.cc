// CreateContainer (STYLE.md §2): sandbox check → name reservation → image →
// cricket-monitor spawned (it starts up meanwhile) → rootfs → OCI spec →
// bundle → the monitor creates the container → record Created. Every step
// registers its undo before it can half-succeed.
#include "absl/strings/str_cat.h"
#include "oci/spec_json.h"
#include "oci/state_dir.h"
#include "oci/sys/failpoint.h"
#include "oci/sys/fs.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"
#include "pod/cdi/names.h"
#include "pod/cdi/registry.h"
#include "pod/container_manager.h"
#include "pod/monitor/protocol/exit_file.h"
#include "pod/host_lookups.h"
#include "pod/ids.h"
#include "pod/monitor/protocol/runtime_file.h"
#include "pod/record_store.h"
#include "pod/spec/build.h"
#include "pod/stop_signal.h"

namespace cricket::pod {
namespace {

// Between the steps of CreateContainer (tests/e2e/crash).
CRICKET_DEFINE_FAILPOINT(kBundleDirsMade, "container.create.bundle_dirs_made");
CRICKET_DEFINE_FAILPOINT(kMonitorSpawned, "container.create.monitor_spawned");
CRICKET_DEFINE_FAILPOINT(kSnapshotPrepared, "container.create.snapshot_prepared");
CRICKET_DEFINE_FAILPOINT(kBundleWritten, "container.create.bundle_written");
CRICKET_DEFINE_FAILPOINT(kEngineCreated, "container.create.engine_created");
CRICKET_DEFINE_FAILPOINT(kRecordSaved, "container.create.record_saved");

std::string Dirname(const std::string& p) {
  size_t slash = p.rfind('/');
  return slash == std::string::npos || slash == 0 ? "/" : p.substr(0, slash);
}

// The CDI devices the container asks for (field and annotations), resolved
// from the spec files as they are now; the dirs are read only when it asks.
absl::StatusOr<std::vector<cdi::EditSet>> ResolveCdi(const runtime::v1::ContainerConfig& config,
                                                     const std::vector<std::string>& dirs) {
  ASSIGN_OR_RETURN(std::vector<cdi::QualifiedName> names, cdi::RequestedDevices(config));
  if (names.empty()) return std::vector<cdi::EditSet>{};
  ASSIGN_OR_RETURN(cdi::Registry registry, cdi::Registry::Load(dirs));
  return registry.Resolve(names);
}

Container NewRecord(const Sandbox& sb, const std::string& id,
                    const runtime::v1::ContainerConfig& config,
                    const runtime::v1::PodSandboxConfig& sandbox_config) {
  Container c;
  c.id = id;
  c.pod_id = sb.id;
  c.name = config.metadata().name();
  c.name_key = ContainerNameKey(config.metadata(), sb.config.metadata());
  c.created_at_ns = RealtimeNs();
  c.image = config.image().image();
  c.config = config;
  c.runtime_handler = sb.runtime_handler;
  c.labels.insert(config.labels().begin(), config.labels().end());
  c.annotations.insert(config.annotations().begin(), config.annotations().end());
  if (!sandbox_config.log_directory().empty() && !config.log_path().empty()) {
    c.log_path = absl::StrCat(sandbox_config.log_directory(), "/", config.log_path());
  }
  return c;
}

}  // namespace

absl::StatusOr<ContainerId> ContainerManager::Create(
    const PodId& pod_id, const runtime::v1::ContainerConfig& config,
    const runtime::v1::PodSandboxConfig& sandbox_config) {
  const std::string& name = config.metadata().name();
  if (name.empty()) return absl::InvalidArgumentError("create container: metadata.name is empty");
  absl::StatusOr<Sandbox> sb = sandboxes_->Get(pod_id);
  if (!sb.ok()) return sys::Annotate(sb.status(), "create container %s", name);
  if (sb->state() != SandboxState::kReady) {
    return absl::FailedPreconditionError(
        absl::StrCat("create container ", name, ": pod ", sb->id, " is not ready"));
  }
  std::string key = ContainerNameKey(config.metadata(), sb->config.metadata());
  std::string id = NewRandomId();
  if (absl::Status st = names_.Reserve(key, id); !st.ok()) {
    std::optional<std::string> holder = names_.Holder(key);
    absl::MutexLock l(&mu_);
    if (holder && containers_.count(*holder)) return ContainerId(*holder);  // a kubelet retry
    return sys::Annotate(st, "create container %s (creation in progress)", name);
  }
  std::shared_ptr<absl::Mutex> op = OpLock(id);
  absl::MutexLock l(op.get());
  sys::Rollback rb;
  rb.Add("release name " + key, [this, key] {
    names_.Release(key);
    return absl::OkStatus();
  });
  absl::StatusOr<std::string> made = CreateLocked(*sb, id, config, sandbox_config, rb);
  if (!made.ok()) {
    absl::Status undo = rb.Run();
    if (!undo.ok()) sys::LogError("create rollback incomplete", {{"id", id}, {"error", undo.ToString()}});
    return sys::Annotate(made.status(), "create container %s", name);
  }
  rb.Commit();
  return ContainerId(*std::move(made));
}

absl::StatusOr<std::string> ContainerManager::CreateLocked(
    const Sandbox& sb, const std::string& id, const runtime::v1::ContainerConfig& config,
    const runtime::v1::PodSandboxConfig& sandbox_config, sys::Rollback& rb) {
  Container c = NewRecord(sb, id, config, sandbox_config);
  ASSIGN_OR_RETURN(ResolvedImage image, images_->Resolve(c.image));
  c.image_id = image.id;
  c.image_ref = image.ref;
  // The kubelet's stop_signal (from the pod spec's lifecycle) wins over the image's.
  c.stop_signal = config.stop_signal() != runtime::v1::RUNTIME_DEFAULT
                      ? StopSignalName(config.stop_signal())
                      : image.config.stop_signal;
  // Undone last: after the engine delete, no container holds the rootfs.
  rb.Add("remove rootfs of " + id, [this, id] { return images_->RemoveRootfs(id); });
  // The monitor starts up (exec, detach, log, stdio, attach socket) while the
  // rootfs, spec and config.json are made; it creates the container on Go().
  RETURN_IF_ERROR(MakeBundleDirs(c, rb));
  RETURN_IF_ERROR(sys::Failpoint(kBundleDirsMade));
  ASSIGN_OR_RETURN(PendingMonitor monitor, SpawnMonitor(c, rb));
  RETURN_IF_ERROR(sys::Failpoint(kMonitorSpawned));
  ASSIGN_OR_RETURN(c.rootfs, PrepareRootfs(sb, id, image.id));
  RETURN_IF_ERROR(sys::Failpoint(kSnapshotPrepared));
  ASSIGN_OR_RETURN(auto volumes, PrepareImageVolumes(sb, c));
  ASSIGN_OR_RETURN(spec::Output out, BuildSpec(sb, c, image, sandbox_config, std::move(volumes)));
  for (const auto& w : out.warnings) sys::LogWarn("container spec", {{"id", id}, {"warning", w}});
  RETURN_IF_ERROR(WriteBundle(c, out));
  if (out.spec.process) {
    c.uid = out.spec.process->user.uid;
    c.gid = out.spec.process->user.gid;
    c.supplemental_groups.assign(out.spec.process->user.additional_gids.begin(),
                                 out.spec.process->user.additional_gids.end());
  }
  RETURN_IF_ERROR(sys::Failpoint(kBundleWritten));
  ASSIGN_OR_RETURN(MonitorStarted started, monitor.Go());
  c.pid = started.pid;
  c.monitor_pid = started.monitor_pid;
  RETURN_IF_ERROR(sys::Failpoint(kEngineCreated));
  RETURN_IF_ERROR(c.TransitionTo(ContainerState::kCreated));
  rb.Add("delete record of " + id, [this, id] { return records_->Delete("containers", id); });
  RETURN_IF_ERROR(Save(c));
  RETURN_IF_ERROR(sys::Failpoint(kRecordSaved));
  Publish(c);
  return id;
}

// In a pod with its own user namespace the layers are id-mapped into it
// (files of host root appear as the container's root), never chowned.
absl::StatusOr<std::string> ContainerManager::PrepareRootfs(const Sandbox& sb,
                                                            const std::string& id,
                                                            const std::string& image_id) {
  if (sb.userns_path.empty()) return images_->PrepareRootfs(id, image_id);
  ASSIGN_OR_RETURN(std::optional<UsernsMaps> maps,
                   PodUserns(sb.config.linux().security_context().namespace_options()));
  if (!maps) {
    return absl::FailedPreconditionError(
        absl::StrCat("pod ", sb.id, " has a user namespace but no userns_options"));
  }
  image::RootfsIdMap idmap{sb.userns_path, maps->root_uid, maps->root_gid};
  return images_->PrepareRootfsIdMapped(id, image_id, idmap);
}

spec::Inputs ContainerManager::BaseInputs(const Sandbox& sb, const Container& c) const {
  spec::Inputs in;
  in.container_id = c.id;
  in.rootfs = c.rootfs;
  in.config = &c.config;
  in.sandbox_config = &sb.config;
  spec::SandboxInfo& s = in.sandbox;
  s.id = sb.id;
  s.name = sb.config.metadata().name();
  s.namespace_ = sb.config.metadata().namespace_();
  s.uid = sb.config.metadata().uid();
  s.hostname = sb.config.hostname();
  s.netns_path = sb.netns_path;
  s.ipc_ns_path = sb.ipc_ns_path;
  s.uts_ns_path = sb.uts_ns_path;
  s.userns_path = sb.userns_path;
  s.host_network = sb.host_network();
  s.host_ipc = sb.host_ipc();
  s.pid_ns_path = sb.pid_ns_path;  // pid: POD (the infra process's namespace)
  s.hosts_path = sb.hosts_path;
  s.resolv_path = sb.resolv_path;
  s.hostname_path = sb.hostname_path;
  s.shm_path = sb.shm_path;
  s.cgroup_parent = sb.config.linux().cgroup_parent();
  s.sysctls.insert(sb.config.linux().sysctls().begin(), sb.config.linux().sysctls().end());
  in.defaults = opts_.defaults;
  LiveDefaults live = Live();
  in.defaults.capabilities = std::move(live.capabilities);
  in.defaults.ulimits = std::move(live.ulimits);
  in.default_seccomp_path = std::move(live.seccomp_path);
  return in;
}

absl::StatusOr<spec::Output> ContainerManager::BuildSpec(
    const Sandbox& sb, Container& c, const ResolvedImage& image,
    const runtime::v1::PodSandboxConfig& sandbox_config,
    std::map<std::string, std::string> image_volumes) {
  spec::Inputs in = BaseInputs(sb, c);
  in.sandbox_config = &sandbox_config;
  in.image_volumes = std::move(image_volumes);
  in.image = image.config;
  in.image_name = c.image;
  ASSIGN_OR_RETURN(in.etc_passwd, ReadImageFile(c.rootfs, "/etc/passwd"));
  ASSIGN_OR_RETURN(in.etc_group, ReadImageFile(c.rootfs, "/etc/group"));
  ASSIGN_OR_RETURN(in.cdi, ResolveCdi(c.config, opts_.cdi_spec_dirs));
  in.host = MakeHostLookups([this](const std::string& target) -> pid_t {
    absl::MutexLock l(&mu_);
    auto it = containers_.find(target);
    if (it == containers_.end() || it->second.state() != ContainerState::kRunning) return 0;
    return it->second.pid;
  });
  return spec::Build(in);
}

// What the monitor needs before the bundle is complete: the bundle dir (its
// pid file and attach socket), the log dir and the exits dir.
absl::Status ContainerManager::MakeBundleDirs(const Container& c, sys::Rollback& rb) {
  std::string bundle = cpaths_.Bundle(c.id);
  rb.Add("remove bundle " + bundle, [bundle] { return sys::RemoveAll(bundle); });
  RETURN_IF_ERROR(sys::MkdirAll(bundle, 0700));
  if (!c.log_path.empty()) RETURN_IF_ERROR(sys::MkdirAll(Dirname(c.log_path), 0755));
  return sys::MkdirAll(cpaths_.Exits(), 0700);
}

absl::Status ContainerManager::WriteBundle(const Container& c, const spec::Output& out) {
  // The bundle is in the state dir: atomic, but no fsync (pod/runtime_file.h).
  RETURN_IF_ERROR(WriteRuntimeFile(cpaths_.Config(c.id), oci::SpecToText(out.spec), 0600));
  // Missing bind sources are made, as the kubelet expects (and stay).
  for (const auto& d : out.host_dirs) RETURN_IF_ERROR(sys::MkdirAll(d, 0755));
  return absl::OkStatus();
}

absl::StatusOr<PendingMonitor> ContainerManager::SpawnMonitor(const Container& c,
                                                              sys::Rollback& rb) {
  ASSIGN_OR_RETURN(driver::DriverConfig rt, DriverConfigFor(c.runtime_handler));
  MonitorRequest r;
  r.monitor_path = opts_.monitor_path;
  r.id = c.id;
  r.bundle = cpaths_.Bundle(c.id);
  r.oci_root = rt.root;
  r.runtime_flags = driver::ExternalRuntimeFlags(rt);
  r.log_path = c.log_path;
  r.exit_file = cpaths_.ExitFile(c.id);
  r.pid_file = cpaths_.MonitorPid(c.id);
  r.monitor_log = cpaths_.MonitorLog(c.id);
  r.attach_dir = r.bundle;
  r.tty = c.config.tty();
  r.stdin = c.config.stdin();
  r.stdin_once = c.config.stdin_once();
  r.systemd_cgroup = opts_.defaults.systemd_cgroup;
  r.log_size_max = Live().log_size_max;
  r.timeout = opts_.monitor_timeout;
  // Runs after the PendingMonitor is gone, so a monitor told to give up has
  // been told before its exit is waited for.
  rb.Add("delete container " + c.id + " in the engine",
         [this, id = c.id, h = c.runtime_handler] { return DeleteInEngine(id, h); });
  return PendingMonitor::Spawn(r);
}

}  // namespace cricket::pod
