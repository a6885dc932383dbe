// The OCI runtime-spec config.json as plain structs: the one model of a
// container's spec. The pod layer fills it (pod/spec), the engine runs it;
// its JSON form is read and written only by oci/spec_json.h.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "oci/cgroup/resources.h"

namespace cricket::oci {

struct User {
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::optional<uint32_t> umask;
  std::vector<uint32_t> additional_gids;
  std::string username;
};

struct Capabilities {
  std::vector<std::string> bounding, effective, inheritable, permitted, ambient;
};

struct Rlimit {
  std::string type;  // "RLIMIT_NOFILE"
  uint64_t hard = 0;
  uint64_t soft = 0;
};

struct ConsoleSize {
  uint32_t height = 0;
  uint32_t width = 0;
};

struct Process {
  bool terminal = false;
  std::optional<ConsoleSize> console_size;
  User user;
  std::vector<std::string> args;
  std::vector<std::string> env;
  std::string cwd = "/";
  std::optional<Capabilities> capabilities;
  std::vector<Rlimit> rlimits;
  bool no_new_privileges = false;
  std::string apparmor_profile;
  std::optional<int> oom_score_adj;
  std::string selinux_label;
};

struct Root {
  std::string path = "rootfs";
  bool readonly = false;
};

struct IdMapping {
  uint32_t container_id = 0;
  uint32_t host_id = 0;
  uint32_t size = 0;
};

struct Mount {
  std::string destination;
  std::string type;
  std::string source;
  std::vector<std::string> options;
  // Runtime-spec 1.2: an id-mapped bind mount (options "idmap" or "ridmap"):
  // on-disk id hostID shows as containerID, as in a user namespace's maps.
  std::vector<IdMapping> uid_mappings, gid_mappings;
};

struct Hook {
  std::string path;
  std::vector<std::string> args;
  std::vector<std::string> env;
  std::optional<int> timeout;  // seconds
};

struct Hooks {
  std::vector<Hook> prestart, create_runtime, create_container, start_container, poststart,
      poststop;
};

struct Namespace {
  std::string type;  // pid network mount ipc uts user cgroup time
  std::string path;  // join this one instead of creating
};

struct Device {
  std::string type;  // c b u p
  std::string path;
  int64_t major = 0;
  int64_t minor = 0;
  std::optional<uint32_t> file_mode;
  std::optional<uint32_t> uid;
  std::optional<uint32_t> gid;
};

struct SeccompArg {
  uint32_t index = 0;
  uint64_t value = 0;
  std::optional<uint64_t> value_two;  // unset: 0, and not written
  std::string op;  // SCMP_CMP_EQ ...
};

// Keys of a seccomp object the model does not know (a Localhost profile in
// Docker's format has "archMap", "comment", "includes"...), as JSON text by
// key: the engine ignores them, the writer puts them back for other runtimes.
using JsonExtras = std::map<std::string, std::string>;

struct SeccompSyscall {
  std::vector<std::string> names;
  std::string action;
  std::optional<uint32_t> errno_ret;
  std::vector<SeccompArg> args;
  JsonExtras extras;
};

struct Seccomp {
  std::string default_action;
  std::optional<uint32_t> default_errno_ret;
  std::vector<std::string> architectures;
  std::vector<std::string> flags;
  std::string listener_path;
  std::vector<SeccompSyscall> syscalls;
  JsonExtras extras;
};

struct TimeOffset {
  int64_t secs = 0;
  uint32_t nanosecs = 0;
};

struct Linux {
  std::vector<Namespace> namespaces;
  std::vector<IdMapping> uid_mappings, gid_mappings;
  std::map<std::string, TimeOffset> time_offsets;  // "monotonic", "boottime"
  // The lists below are written when set, even empty: an empty masked list
  // is procMount Unmasked as the kubelet sent it, and stays visible as such.
  std::optional<std::vector<Device>> devices;
  std::string cgroups_path;
  std::optional<cgroup::Resources> resources;
  std::string rootfs_propagation;
  std::optional<std::vector<std::string>> masked_paths, readonly_paths;
  std::map<std::string, std::string> sysctl;
  std::optional<Seccomp> seccomp;
  std::string mount_label;
};

struct Spec {
  std::string oci_version = "1.0.2";
  std::optional<Process> process;
  Root root;
  std::string hostname;
  std::string domainname;
  std::vector<Mount> mounts;
  Hooks hooks;
  std::map<std::string, std::string> annotations;
  std::optional<Linux> linux_spec;  // the "linux" object

  // The namespace entry of `type`, or nullptr when the spec does not list it.
  const Namespace* FindNamespace(const std::string& type) const;
};

// runc's `spec` default (a sh in a busybox-like rootfs); rootless drops the
// user-namespace-unfriendly parts and maps the caller's ids.
Spec DefaultSpec(bool rootless = false);

}  // namespace cricket::oci
