// Spec → config.json, and runc's `spec` default configuration.
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "oci/spec_json.h"

namespace cricket::oci {
namespace {

using nlohmann::json;

json HookToJson(const Hook& h) {
  json j = {{"path", h.path}};
  if (!h.args.empty()) j["args"] = h.args;
  if (!h.env.empty()) j["env"] = h.env;
  if (h.timeout) j["timeout"] = *h.timeout;
  return j;
}

json HooksToJson(const Hooks& h) {
  json j = json::object();
  auto put = [&](const char* key, const std::vector<Hook>& v) {
    if (v.empty()) return;
    json a = json::array();
    for (const Hook& x : v) a.push_back(HookToJson(x));
    j[key] = a;
  };
  put("prestart", h.prestart);
  put("createRuntime", h.create_runtime);
  put("createContainer", h.create_container);
  put("startContainer", h.start_container);
  put("poststart", h.poststart);
  put("poststop", h.poststop);
  return j;
}

json IdMappingsToJson(const std::vector<IdMapping>& v) {
  json a = json::array();
  for (const IdMapping& m : v) {
    a.push_back({{"containerID", m.container_id}, {"hostID", m.host_id}, {"size", m.size}});
  }
  return a;
}

// Puts back the keys the reader kept for other runtimes (Seccomp::extras).
void PutExtras(const JsonExtras& extras, json& j) {
  for (const auto& [key, text] : extras) j[key] = json::parse(text);
}

json SyscallToJson(const SeccompSyscall& sc) {
  json c = {{"names", sc.names}, {"action", sc.action}};
  if (sc.errno_ret) c["errnoRet"] = *sc.errno_ret;
  if (!sc.args.empty()) {
    json args = json::array();
    for (const SeccompArg& a : sc.args) {
      json arg = {{"index", a.index}, {"value", a.value}, {"op", a.op}};
      if (a.value_two) arg["valueTwo"] = *a.value_two;
      args.push_back(arg);
    }
    c["args"] = args;
  }
  PutExtras(sc.extras, c);
  return c;
}

json DevicesToJson(const std::vector<Device>& v) {
  json a = json::array();
  for (const Device& d : v) {
    json j = {{"type", d.type}, {"path", d.path}, {"major", d.major}, {"minor", d.minor}};
    if (d.file_mode) j["fileMode"] = *d.file_mode;
    if (d.uid) j["uid"] = *d.uid;
    if (d.gid) j["gid"] = *d.gid;
    a.push_back(j);
  }
  return a;
}

json LinuxToJson(const Linux& l) {
  json j = json::object();
  json ns = json::array();
  for (const Namespace& n : l.namespaces) {
    json e = {{"type", n.type}};
    if (!n.path.empty()) e["path"] = n.path;
    ns.push_back(e);
  }
  j["namespaces"] = ns;
  if (!l.uid_mappings.empty()) j["uidMappings"] = IdMappingsToJson(l.uid_mappings);
  if (!l.gid_mappings.empty()) j["gidMappings"] = IdMappingsToJson(l.gid_mappings);
  for (const auto& [k, o] : l.time_offsets)
    j["timeOffsets"][k] = {{"secs", o.secs}, {"nanosecs", o.nanosecs}};
  if (l.devices) j["devices"] = DevicesToJson(*l.devices);
  if (!l.cgroups_path.empty()) j["cgroupsPath"] = l.cgroups_path;
  if (l.resources) j["resources"] = ResourcesToJson(*l.resources);
  if (!l.rootfs_propagation.empty()) j["rootfsPropagation"] = l.rootfs_propagation;
  if (l.masked_paths) j["maskedPaths"] = *l.masked_paths;
  if (l.readonly_paths) j["readonlyPaths"] = *l.readonly_paths;
  if (!l.sysctl.empty()) j["sysctl"] = l.sysctl;
  if (l.seccomp) j["seccomp"] = SeccompToJson(*l.seccomp);
  if (!l.mount_label.empty()) j["mountLabel"] = l.mount_label;
  return j;
}

}  // namespace

json SeccompToJson(const Seccomp& s) {
  json j = {{"defaultAction", s.default_action}};
  if (s.default_errno_ret) j["defaultErrnoRet"] = *s.default_errno_ret;
  if (!s.architectures.empty()) j["architectures"] = s.architectures;
  if (!s.flags.empty()) j["flags"] = s.flags;
  if (!s.listener_path.empty()) j["listenerPath"] = s.listener_path;
  json calls = json::array();
  for (const SeccompSyscall& sc : s.syscalls) calls.push_back(SyscallToJson(sc));
  if (!calls.empty()) j["syscalls"] = calls;
  PutExtras(s.extras, j);
  return j;
}

json ProcessToJson(const Process& p) {
  json u = {{"uid", p.user.uid}, {"gid", p.user.gid}};
  if (p.user.umask) u["umask"] = *p.user.umask;
  if (!p.user.additional_gids.empty()) u["additionalGids"] = p.user.additional_gids;
  if (!p.user.username.empty()) u["username"] = p.user.username;
  json j = {{"terminal", p.terminal}, {"user", u}, {"args", p.args}, {"cwd", p.cwd}};
  if (p.console_size) {
    j["consoleSize"] = {{"height", p.console_size->height}, {"width", p.console_size->width}};
  }
  if (!p.env.empty()) j["env"] = p.env;
  if (p.capabilities) {
    const Capabilities& c = *p.capabilities;
    j["capabilities"] = {{"bounding", c.bounding},
                         {"effective", c.effective},
                         {"inheritable", c.inheritable},
                         {"permitted", c.permitted},
                         {"ambient", c.ambient}};
  }
  if (!p.rlimits.empty()) {
    json a = json::array();
    for (const Rlimit& r : p.rlimits)
      a.push_back({{"type", r.type}, {"hard", r.hard}, {"soft", r.soft}});
    j["rlimits"] = a;
  }
  j["noNewPrivileges"] = p.no_new_privileges;
  if (!p.apparmor_profile.empty()) j["apparmorProfile"] = p.apparmor_profile;
  if (p.oom_score_adj) j["oomScoreAdj"] = *p.oom_score_adj;
  if (!p.selinux_label.empty()) j["selinuxLabel"] = p.selinux_label;
  return j;
}

std::string SpecToText(const Spec& s) { return SpecToJson(s).dump(2); }

json SpecToJson(const Spec& s) {
  json j = {{"ociVersion", s.oci_version}};
  if (s.process) j["process"] = ProcessToJson(*s.process);
  j["root"] = {{"path", s.root.path}, {"readonly", s.root.readonly}};
  if (!s.hostname.empty()) j["hostname"] = s.hostname;
  if (!s.domainname.empty()) j["domainname"] = s.domainname;
  json mounts = json::array();
  for (const Mount& m : s.mounts) {
    json e = {{"destination", m.destination}};
    if (!m.type.empty()) e["type"] = m.type;
    if (!m.source.empty()) e["source"] = m.source;
    if (!m.options.empty()) e["options"] = m.options;
    if (!m.uid_mappings.empty()) e["uidMappings"] = IdMappingsToJson(m.uid_mappings);
    if (!m.gid_mappings.empty()) e["gidMappings"] = IdMappingsToJson(m.gid_mappings);
    mounts.push_back(e);
  }
  j["mounts"] = mounts;
  json hooks = HooksToJson(s.hooks);
  if (!hooks.empty()) j["hooks"] = hooks;
  if (!s.annotations.empty()) j["annotations"] = s.annotations;
  if (s.linux_spec) j["linux"] = LinuxToJson(*s.linux_spec);
  return j;
}

Spec DefaultSpec(bool rootless) {
  Spec s;
  s.oci_version = "1.0.2";
  Process p;
  p.terminal = true;
  p.args = {"sh"};
  p.env = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"};
  std::vector<std::string> caps = {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"};
  p.capabilities = Capabilities{caps, caps, {}, caps, caps};
  p.rlimits = {{"RLIMIT_NOFILE", 1024, 1024}};
  p.no_new_privileges = true;
  s.process = p;
  s.root = {"rootfs", true};
  s.hostname = "cricket";
  s.mounts = {
      {"/proc", "proc", "proc", {}},
      {"/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}},
      {"/dev/pts",
       "devpts",
       "devpts",
       {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}},
      {"/dev/shm", "tmpfs", "shm", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}},
      {"/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev"}},
      {"/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro"}},
      {"/sys/fs/cgroup", "cgroup", "cgroup", {"nosuid", "noexec", "nodev", "relatime", "ro"}},
  };
  Linux l;
  cgroup::Resources r;
  cgroup::DeviceRule deny_all;
  deny_all.allow = false;
  deny_all.access = "rwm";
  r.devices.push_back(deny_all);
  l.resources = r;
  l.namespaces = {{"pid", ""}, {"network", ""}, {"ipc", ""},
                  {"uts", ""}, {"mount", ""},   {"cgroup", ""}};
  l.masked_paths = std::vector<std::string>{
      "/proc/acpi",          "/proc/asound",     "/proc/kcore",       "/proc/keys",
      "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
      "/sys/firmware",       "/proc/scsi"};
  l.readonly_paths =
      std::vector<std::string>{"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"};
  if (rootless) {
    l.resources.reset();
    l.namespaces = {{"pid", ""}, {"ipc", ""}, {"uts", ""}, {"mount", ""}, {"user", ""}};
    l.uid_mappings = {{0, static_cast<uint32_t>(getuid()), 1}};
    l.gid_mappings = {{0, static_cast<uint32_t>(getgid()), 1}};
    s.mounts.pop_back();  // cgroup: not mountable without cgroup ns delegation
    s.mounts[5] = {"/sys", "none", "/sys", {"rbind", "nosuid", "noexec", "nodev", "ro"}};
    s.mounts[2].options.pop_back();  // gid=5 is not mapped
  }
  s.linux_spec = l;
  return s;
}

}  // namespace cricket::oci
