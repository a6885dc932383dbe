// Start-up wiring of the layers below cri: CNI network, records, images,
// sandboxes and containers (recovered from disk in that order), and the
// NetworkReady condition from the network layer.
#include "cri/daemon/pod_layer.h"

#include <limits.h>
#include <linux/capability.h>
#include <unistd.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cri/daemon/boot_id.h"
#include "oci/linux/caps.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/capability_names.h"
#include "oci/sys/fs.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"
#include "pod/apparmor.h"

namespace cricket::cri {
namespace {

std::string ExeDir() {
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return ".";
  std::string p(buf, static_cast<size_t>(n));
  return p.substr(0, p.rfind('/'));
}

}  // namespace

// Installed, cricket-monitor sits next to cricketd; in a build tree it is in pod/.
std::string MonitorPath(const conf::Config& c) {
  if (!c.runtime.monitor_path.empty()) return c.runtime.monitor_path;
  std::string dir = ExeDir();
  for (const std::string& cand : {dir + "/cricket-monitor", dir + "/../pod/cricket-monitor"}) {
    if (::access(cand.c_str(), X_OK) == 0) return cand;
  }
  return dir + "/cricket-monitor";
}

namespace {

// What cricketd can pass on (bounding ∩ permitted), which privileged
// containers and "ALL" get, as containerd grants its own set. Said once at
// start-up when some are missing (nested or sandboxed nodes).
std::vector<std::string> HeldCapabilities() {
  std::vector<std::string> held, lacked;
  std::vector<int> nums = oci::linux::HeldCaps();
  for (size_t n = 0; n < std::size(sys::kCapabilityNames); n++) {
    const std::string name(sys::kCapabilityNames[n]);
    if (std::find(nums.begin(), nums.end(), static_cast<int>(n)) != nums.end()) {
      held.push_back(name);
    } else if (static_cast<int>(n) <= oci::linux::LastCap()) {
      lacked.push_back(name);
    }
  }
  if (!lacked.empty()) {
    sys::LogWarn("the runtime lacks some capabilities: privileged containers and ALL go without them",
                 {{"missing", absl::StrJoin(lacked, ",")}});
  }
  return held;
}

pod::spec::Defaults SpecDefaults(const conf::Config& c) {
  pod::spec::Defaults d;
  d.capabilities = c.runtime.default_capabilities;
  d.available_capabilities = HeldCapabilities();
  for (const auto& u : c.runtime.default_ulimits) d.ulimits.push_back({u.name, u.soft, u.hard});
  d.pids_limit = c.runtime.pids_limit;
  d.systemd_cgroup = c.cgroup.driver == "systemd";
  // RuntimeDefault is cricket-default where the kernel enforces AppArmor;
  // it is (re)loaded at each start, so an upgrade brings its new text.
  if (pod::AppArmorEnabled()) {
    absl::Status st = pod::LoadAppArmorDefaultProfile();
    if (st.ok()) {
      d.apparmor_default_profile = pod::kAppArmorDefaultProfile;
      sys::LogInfo("AppArmor profile loaded", {{"profile", d.apparmor_default_profile}});
    } else {
      sys::LogWarn("AppArmor is on but its default profile did not load: RuntimeDefault confines nothing",
                   {{"error", st.ToString()}});
    }
  }
  // Without CAP_SYS_RESOURCE no child may go below our own score: clamp
  // there, as containerd's restrict_oom_score_adj does, instead of failing.
  bool restrict = c.runtime.restrict_oom_score_adj || !oci::linux::HasEffectiveCap(CAP_SYS_RESOURCE);
  if (restrict) {
    auto own = sys::ReadFile("/proc/self/oom_score_adj");
    if (own.ok()) d.min_oom_score_adj = std::stoi(*own);
    sys::LogInfo("oom_score_adj of containers is clamped to cricketd's own",
                 {{"min", own.ok() ? *own : "?"},
                  {"why", c.runtime.restrict_oom_score_adj ? "restrict_oom_score_adj"
                                                           : "no CAP_SYS_RESOURCE"}});
  }
  return d;
}

// What a crash left in the image and network layers, which know nothing of
// pods and containers: snapshots without a container, CNI attachments
// without a pod. Records on disk count as live even when set aside. Failures
// are logged: they cost disk or an IP, never a start.
void SweepAfterRecovery(HandlerContext& ctx) {
  const std::string records = ctx.records->dir();
  std::set<std::string> containers = pod::RecordIdsOnDisk(records, "containers");
  for (const pod::Container& c : ctx.containers->List({})) containers.insert(c.id);
  absl::Status st = ctx.images->SweepOrphans(containers);
  if (!st.ok()) sys::LogWarn("start-up image sweep", {{"error", st.ToString()}});
  std::set<std::string> pods = pod::RecordIdsOnDisk(records, "sandboxes");
  for (const pod::Sandbox& sb : ctx.sandboxes->List({})) pods.insert(sb.id);
  st = ctx.network->GarbageCollect(std::vector<std::string>(pods.begin(), pods.end()));
  if (!st.ok()) sys::LogWarn("start-up CNI garbage collection", {{"error", st.ToString()}});
}

}  // namespace

absl::Status WirePodLayer(HandlerContext& ctx) {
  const conf::Config& c = ctx.config;
  ASSIGN_OR_RETURN(BootCheck boot, CheckBoot(c.state_dir));
  ctx.network = std::make_shared<network::NetworkManager>(c.cni);
  ctx.records = std::make_shared<pod::RecordStore>(absl::StrCat(c.root_dir, "/records"));
  ASSIGN_OR_RETURN(auto images, image::ImageService::Open(c));
  ctx.images = std::move(images);
  ctx.rootfs = std::make_shared<pod::ImageServiceProvider>(ctx.images.get());
  ctx.events = std::make_shared<pod::EventBus>();
  pod::SandboxManager::Options so;
  so.paths = {c.root_dir, c.state_dir};
  for (const std::string& dir : so.paths.PrivateDirs()) {
    RETURN_IF_ERROR(sys::Annotate(sys::MkdirAllWithMode(dir, 0700), "private dir"));
  }
  so.events = ctx.events.get();
  for (const auto& h : c.runtime_handlers) so.runtime_handlers.push_back(h.first);
  so.after_reboot = boot.after_reboot;
  ctx.sandboxes = std::make_shared<pod::SandboxManager>(so, ctx.network.get(), ctx.records.get());
  pod::ContainerManager::Options co;
  co.paths = so.paths;
  co.monitor_path = MonitorPath(c);
  co.defaults = SpecDefaults(c);
  co.default_seccomp_path = c.runtime.seccomp_profile;
  co.log_size_max = c.runtime.log_size_max;
  co.cdi_spec_dirs = c.runtime.cdi_spec_dirs;  // CDI devices (issue 18)
  co.events = ctx.events.get();
  co.runtime_handlers = c.runtime_handlers;
  co.after_reboot = boot.after_reboot;
  ctx.containers = std::make_shared<pod::ContainerManager>(co, ctx.sandboxes.get(),
                                                           ctx.rootfs.get(), ctx.records.get());
  ctx.stats = std::make_shared<pod::StatsService>(ctx.sandboxes.get(), ctx.containers.get());
  RETURN_IF_ERROR(sys::Annotate(ctx.sandboxes->Recover(), "recover pod sandboxes"));
  RETURN_IF_ERROR(sys::Annotate(ctx.containers->Recover(), "recover containers"));
  SweepAfterRecovery(ctx);
  RETURN_IF_ERROR(sys::Annotate(RecordBoot(c.state_dir, boot), "record the boot id"));
  std::weak_ptr<network::NetworkManager> net = ctx.network;
  ctx.network_status = [net]() {
    auto n = net.lock();
    if (!n) return CniNotLoadedYet();
    network::NetworkReadiness r = n->Status();
    return NetworkCondition{r.ready, r.reason, r.message};
  };
  return absl::OkStatus();
}

}  // namespace cricket::cri
