// RunPodSandbox as a list of named steps under one rollback log, plus the
// in-memory index of pods. Stop/Remove/Recover live in sandbox_teardown.cc.
#include "pod/sandbox_manager.h"

#include <sys/mount.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "network/network_manager.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/caller.h"
#include "oci/sys/failpoint.h"
#include "oci/sys/fs.h"
#include "oci/sys/log.h"
#include "oci/sys/pinned_ns.h"
#include "oci/sys/rollback.h"
#include "oci/sys/scoped_mount.h"
#include "oci/sys/status.h"
#include "pod/etc_files.h"
#include "pod/monitor/protocol/exit_file.h"
#include "pod/ids.h"
#include "pod/record_store.h"

namespace cricket::pod {
namespace {

constexpr char kKind[] = "sandboxes";

// Between the steps of RunPodSandbox (tests/e2e/crash runs each as a crash and
// as an error; a crash at any of them must cost nothing once the kubelet
// retries or removes the pod).
CRICKET_DEFINE_FAILPOINT(kRecordSaved, "pod.run.record_saved");
CRICKET_DEFINE_FAILPOINT(kDirsMade, "pod.run.dirs_made");
CRICKET_DEFINE_FAILPOINT(kNsPinned, "pod.run.namespaces_pinned");
CRICKET_DEFINE_FAILPOINT(kShmMounted, "pod.run.shm_mounted");
CRICKET_DEFINE_FAILPOINT(kCniAdded, "pod.run.cni_added");
CRICKET_DEFINE_FAILPOINT(kFilesWritten, "pod.run.files_written");
CRICKET_DEFINE_FAILPOINT(kCgroupMade, "pod.run.cgroup_made");
CRICKET_DEFINE_FAILPOINT(kInfraStarted, "pod.run.infra_started");
CRICKET_DEFINE_FAILPOINT(kReadySaved, "pod.run.ready_saved");

std::map<std::string, std::string> Sysctls(const runtime::v1::PodSandboxConfig& c) {
  return {c.linux().sysctls().begin(), c.linux().sysctls().end()};
}

}  // namespace

SandboxManager::SandboxManager(Options opts, network::NetworkManager* network, RecordStore* records)
    : opts_(std::move(opts)),
      network_(network),
      records_(records),
      cgroup_parents_(records, opts_.cgroup_root) {}

void SandboxManager::SetContainerHooks(ContainerHook stop_all, ContainerHook remove_all) {
  stop_containers_ = std::move(stop_all);
  remove_containers_ = std::move(remove_all);
}

std::shared_ptr<absl::Mutex> SandboxManager::OpLock(const std::string& id) {
  absl::MutexLock l(&mu_);
  auto& m = op_locks_[id];
  if (!m) m = std::make_shared<absl::Mutex>();
  return m;
}

absl::Status SandboxManager::Save(const Sandbox& sb) {
  absl::Status st = records_->Put(kKind, sb.id, sb.ToJson());
  if (st.ok() && opts_.events) opts_.events->SandboxSaved(sb);
  return st;
}

void SandboxManager::Publish(const Sandbox& sb) {
  absl::MutexLock l(&mu_);
  sandboxes_[sb.id] = sb;
  ids_.Add(sb.id);
}

// A pod whose RuntimeClass names a handler we do not have would otherwise
// run on the built-in engine, without the isolation it asked for.
absl::Status SandboxManager::CheckRuntimeHandler(const std::string& handler) const {
  if (IsBuiltinRuntimeHandler(handler)) return absl::OkStatus();
  const std::vector<std::string>& known = opts_.runtime_handlers;
  if (std::find(known.begin(), known.end(), handler) != known.end()) return absl::OkStatus();
  std::string names = absl::StrCat("\"\" and \"", kBuiltinRuntimeHandler, "\" (the built-in engine)");
  for (const std::string& n : known) absl::StrAppend(&names, ", \"", n, "\"");
  return absl::NotFoundError(absl::StrCat("runtime handler \"", handler,
                                          "\" is not configured; configured handlers: ",
                                          names));
}

absl::StatusOr<PodId> SandboxManager::Run(const runtime::v1::PodSandboxConfig& config,
                                          const std::string& runtime_handler) {
  RETURN_IF_ERROR(CheckRuntimeHandler(runtime_handler));
  Sandbox sb;
  sb.id = NewRandomId();
  sb.name_key = SandboxNameKey(config.metadata());
  ASSIGN_OR_RETURN(std::optional<PodId> existing, ReserveOrAwait(sb.name_key, sb.id));
  if (existing) return *existing;  // a kubelet retry
  auto lock = OpLock(sb.id);
  absl::MutexLock op(lock.get());
  sb.config = config;
  sb.runtime_handler = runtime_handler;
  sb.created_at_ns = RealtimeNs();
  sys::Rollback rb;
  rb.Add("release pod name " + sb.name_key, [&] {
    names_.Release(sb.name_key);
    return absl::OkStatus();
  });
  absl::Status st = Prepare(sb, rb);
  if (st.ok()) {
    rb.Commit();
    sys::LogInfo("pod sandbox ready", {{"id", sb.id}, {"name", sb.name_key}, {"ip", sb.ip}});
    return PodId(sb.id);
  }
  st = sys::Annotate(st, "run pod sandbox %s", sb.name_key);
  absl::Status undo = rb.Run();
  if (!undo.ok()) {
    // Keep a NotReady record and the name so RemovePodSandbox can finish the job.
    // Creating and Ready both have the edge to NotReady.
    absl::Status kept = sb.TransitionTo(SandboxState::kNotReady);
    if (!kept.ok()) {
      sys::LogError("keep pod record", {{"id", sb.id}, {"error", kept.ToString()}});
      return st;
    }
    sb.not_ready_reason = std::string(undo.message());
    names_.Reserve(sb.name_key, sb.id).IgnoreError();
    if (Save(sb).ok()) Publish(sb);
  }
  return st;
}

// A retry with the same metadata gets the Ready pod that holds the name; one
// still being made (not yet published, or Creating) is waited for, up to
// opts_.creation_wait, and then returned, or its name taken over if its
// creation failed and let go of it. A pod left NotReady must be removed first.
absl::StatusOr<std::optional<PodId>> SandboxManager::ReserveOrAwait(const std::string& key,
                                                                    const std::string& id) {
  auto deadline = absl::Now() + opts_.creation_wait;
  for (;;) {
    if (names_.Reserve(key, id).ok()) return std::optional<PodId>();
    std::optional<std::string> holder = names_.Holder(key);
    if (!holder) continue;  // released meanwhile: try again
    auto existing = Get(PodId(*holder));
    if (existing.ok() && existing->state() == SandboxState::kReady) return PodId(*holder);
    if (existing.ok() && existing->state() != SandboxState::kCreating) {
      return absl::AlreadyExistsError(absl::StrCat("pod ", key, " already exists as ", *holder, " (",
                                                   std::string(Name(existing->state())), "): remove it first"));
    }
    if (absl::Now() >= deadline) {
      return absl::AbortedError(absl::StrCat("pod ", key, " is still being created as ", *holder,
                                             " after ", absl::FormatDuration(opts_.creation_wait)));
    }
    // A retry whose own caller has gone stops waiting.
    RETURN_IF_ERROR(sys::CallerGone(absl::StrCat("waiting for pod ", key, " being created")));
    absl::SleepFor(absl::Milliseconds(20));
  }
}

absl::Status SandboxManager::Prepare(Sandbox& sb, sys::Rollback& rb) {
  RETURN_IF_ERROR(ValidateSysctls(Sysctls(sb.config), sb.host_network(), sb.host_ipc()));
  ASSIGN_OR_RETURN(std::optional<UsernsMaps> userns,
                   PodUserns(sb.config.linux().security_context().namespace_options()));
  // Status reports user_namespaces only for the built-in engine: whether an
  // external binary joins a user namespace by path after the rootfs is not known.
  if (userns && !IsBuiltinRuntimeHandler(sb.runtime_handler)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "namespace_options.userns_options: runtime handler \"", sb.runtime_handler,
        "\" does not support user namespaces (only the built-in engine does)"));
  }
  RETURN_IF_ERROR(Save(sb));  // Creating: a crash from here on is rolled back by Recover.
  rb.Add("delete pod record", [this, id = sb.id] { return records_->Delete(kKind, id); });
  RETURN_IF_ERROR(sys::Failpoint(kRecordSaved));
  for (const std::string& dir : {opts_.paths.SandboxState(sb.id), opts_.paths.SandboxFiles(sb.id)}) {
    rb.Add("remove " + dir, [dir] { return sys::RemoveAll(dir); });
    RETURN_IF_ERROR(sys::MkdirAll(dir, 0700));  // see Paths::PrivateDirs
  }
  RETURN_IF_ERROR(sys::Failpoint(kDirsMade));
  RETURN_IF_ERROR(PinNamespaces(sb, rb));
  RETURN_IF_ERROR(sys::Failpoint(kNsPinned));
  RETURN_IF_ERROR(MountShm(sb, rb));
  RETURN_IF_ERROR(sys::Failpoint(kShmMounted));
  RETURN_IF_ERROR(SetUpNetwork(sb, rb));
  RETURN_IF_ERROR(sys::Failpoint(kCniAdded));
  RETURN_IF_ERROR(WriteFiles(sb));
  RETURN_IF_ERROR(sys::Failpoint(kFilesWritten));
  RETURN_IF_ERROR(MakeCgroupParent(sb, rb));
  RETURN_IF_ERROR(sys::Failpoint(kCgroupMade));
  RETURN_IF_ERROR(StartInfraProcess(sb, rb));
  RETURN_IF_ERROR(sys::Failpoint(kInfraStarted));
  RETURN_IF_ERROR(sb.TransitionTo(SandboxState::kReady));
  RETURN_IF_ERROR(Save(sb));
  RETURN_IF_ERROR(sys::Failpoint(kReadySaved));
  Publish(sb);
  return absl::OkStatus();
}

absl::Status SandboxManager::PinNamespaces(Sandbox& sb, sys::Rollback& rb) {
  ASSIGN_OR_RETURN(std::optional<UsernsMaps> userns,
                   PodUserns(sb.config.linux().security_context().namespace_options()));
  if (userns) return PinUserNamespaces(sb, *userns, rb);
  std::string dir = opts_.paths.SandboxNs(sb.id);
  auto pin = [&](sys::NamespaceType type, std::string* path,
                 sys::PinnedNamespace::InitFn init) -> absl::Status {
    std::string name(sys::NamespaceTypeName(type));
    rb.Add("unpin " + name + " namespace",
           [p = dir + "/" + name] { return sys::RemovePinnedNamespace(p); });
    ASSIGN_OR_RETURN(sys::PinnedNamespace ns, sys::PinnedNamespace::Create(type, dir, name, init));
    *path = ns.Release();
    return absl::OkStatus();
  };
  if (!sb.host_network()) {
    RETURN_IF_ERROR(pin(sys::NamespaceType::kNet, &sb.netns_path, nullptr));
    std::string hostname = sb.config.hostname();
    RETURN_IF_ERROR(pin(sys::NamespaceType::kUts, &sb.uts_ns_path, [hostname]() -> absl::Status {
      if (!hostname.empty() && ::sethostname(hostname.data(), hostname.size()) != 0) {
        return sys::ErrnoStatus(errno, "sethostname %s", hostname);
      }
      return absl::OkStatus();
    }));
  }
  if (!sb.host_ipc()) RETURN_IF_ERROR(pin(sys::NamespaceType::kIpc, &sb.ipc_ns_path, nullptr));
  return absl::OkStatus();
}

absl::Status SandboxManager::MountShm(Sandbox& sb, sys::Rollback& rb) {
  if (sb.host_ipc()) return absl::OkStatus();  // containers use the host's /dev/shm
  std::string shm = opts_.paths.SandboxShm(sb.id);
  RETURN_IF_ERROR(sys::MkdirAll(shm, 0755));
  rb.Add("unmount pod shm", [shm] {
    absl::Status st = sys::Unmount(shm, MNT_DETACH);
    return st.code() == absl::StatusCode::kInvalidArgument ? absl::OkStatus() : st;
  });
  RETURN_IF_ERROR(sys::Mount("shm", shm, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
                             absl::StrCat("mode=1777,size=", opts_.shm_size_bytes)));
  sb.shm_path = shm;
  return absl::OkStatus();
}

network::PodNetwork SandboxManager::NetworkRequest(const Sandbox& sb) const {
  network::PodNetwork pn;
  pn.pod_id = sb.id;
  pn.name = sb.config.metadata().name();
  pn.pod_namespace = sb.config.metadata().namespace_();
  pn.uid = sb.config.metadata().uid();
  pn.netns_path = sb.netns_path;
  for (const auto& pm : sb.config.port_mappings()) {
    network::PortMapping m;
    m.host_port = pm.host_port();
    m.container_port = pm.container_port();
    m.protocol = pm.protocol() == runtime::v1::UDP    ? "udp"
                 : pm.protocol() == runtime::v1::SCTP ? "sctp"
                                                      : "tcp";
    m.host_ip = pm.host_ip();
    if (m.host_port > 0) pn.port_mappings.push_back(m);
  }
  const auto& dns = sb.config.dns_config();
  if (!dns.servers().empty() || !dns.searches().empty()) {
    pn.dns = network::DnsSettings{{dns.servers().begin(), dns.servers().end()},
                                  {dns.searches().begin(), dns.searches().end()},
                                  {dns.options().begin(), dns.options().end()}};
  }
  return pn;
}

absl::Status SandboxManager::SetUpNetwork(Sandbox& sb, sys::Rollback& rb) {
  if (sb.host_network()) return absl::OkStatus();
  // Registered before ADD: a half-done ADD is undone by DEL (CNI allows DEL of partial state).
  rb.Add("tear down pod network", [this, sb] { return TearDownNetwork(sb); });
  ASSIGN_OR_RETURN(network::PodNetworkResult res, network_->SetUp(NetworkRequest(sb)));
  sb.network_name = res.network_name;
  sb.ip = res.primary_ip;
  sb.additional_ips = res.additional_ips;
  return absl::OkStatus();
}

absl::Status SandboxManager::TearDownNetwork(const Sandbox& sb) {
  if (sb.host_network() || sb.netns_path.empty()) return absl::OkStatus();
  return network_->TearDown(NetworkRequest(sb));
}

absl::Status SandboxManager::WriteFiles(Sandbox& sb) {
  std::string dir = opts_.paths.SandboxFiles(sb.id);
  std::string hostname = sb.config.hostname();
  if (hostname.empty() || sb.host_network()) {
    char buf[256] = {};
    ::gethostname(buf, sizeof buf - 1);
    if (hostname.empty()) hostname = buf;
  }
  std::vector<std::string> ips;
  if (!sb.ip.empty()) ips.push_back(sb.ip);
  ips.insert(ips.end(), sb.additional_ips.begin(), sb.additional_ips.end());
  std::string host_resolv = sys::ReadFile(opts_.host_resolv_path).value_or("");
  sb.hostname_path = dir + "/hostname";
  sb.hosts_path = dir + "/hosts";
  sb.resolv_path = dir + "/resolv.conf";
  RETURN_IF_ERROR(sys::WriteFileAtomic(sb.hostname_path, HostnameFile(hostname)));
  RETURN_IF_ERROR(sys::WriteFileAtomic(sb.hosts_path, HostsFile(hostname, ips)));
  return sys::WriteFileAtomic(sb.resolv_path, ResolvConf(sb.config.dns_config(), host_resolv));
}

}  // namespace cricket::pod
