// cricket's configuration: one struct tree whose in-class initialisers are the
// defaults, and the functions that load, check and print it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "nlohmann/json_fwd.hpp"

namespace cricket::conf {

// One resource limit applied to every container ("nofile", "nproc", ... as in
// setrlimit(2) without RLIMIT_). -1 means unlimited (Docker's convention).
struct Ulimit {
  std::string name;
  int64_t soft = 0;
  int64_t hard = 0;
  bool operator==(const Ulimit&) const = default;
};

// Settings for one registry host. The image layer decides what "insecure"
// allows (plain http, unverified TLS) and treats loopback hosts as insecure
// even when no entry says so; this only carries what the operator wrote.
struct Registry {
  // Endpoints tried in order before the origin: "mirror.example:5000" or
  // "https://mirror.example/v2-prefix".
  std::vector<std::string> mirrors;
  bool insecure = false;
  std::string ca_file;      // extra CA bundle (PEM) for this host; "" = system + certs_dir
  std::string client_cert;  // PEM client certificate for mutual TLS; "" = none
  std::string client_key;
  bool operator==(const Registry&) const = default;
};

// RuntimeClass handlers (issue 18): a runc-compatible OCI runtime (runc, crun,
// kata's, gVisor's runsc, nvidia's) that runs the containers of pods whose
// RunPodSandbox names it. Handler "" is the built-in engine.
struct RuntimeHandler {
  std::string path;                  // the binary, e.g. /usr/sbin/runc
  std::string root;                  // its --root state dir; "" = <state_dir>/runtimes/<name>
  std::vector<std::string> options;  // global flags put before each verb, e.g. --debug
  bool operator==(const RuntimeHandler&) const = default;
};

struct Config {
  std::string socket_path = "/run/cricket/cricket.sock";
  std::string root_dir = "/var/lib/cricket";  // persistent
  std::string state_dir = "/run/cricket";     // runtime state, lost at reboot
  std::string log_level = "info";             // trace|debug|info|warn|error

  struct Cgroup {
    std::string driver = "cgroupfs";  // cgroupfs|systemd
    std::string version = "auto";     // auto|v1|v2
    bool operator==(const Cgroup&) const = default;
  } cgroup;

  struct Cni {
    std::string conf_dir = "/etc/cni/net.d";
    // Searched in order for plugin binaries (CNI_PATH).
    std::vector<std::string> bin_dirs = {"/opt/cni/bin", "/usr/lib/cni", "/usr/libexec/cni"};
    std::string cache_dir = "/var/lib/cricket/cni/cache";
    int timeout_seconds = 60;  // one plugin invocation (ADD, DEL, CHECK, ...)
    // Pod CIDR from UpdateRuntimeConfig (issue 18): a conflist template whose
    // {{.PodCIDR}} / {{.PodCIDRRanges}} are filled in and written to
    // <conf_dir>/10-cricket-net.conflist; "" = the pod CIDR is not used.
    std::string conf_template;
    bool operator==(const Cni&) const = default;
  } cni;

  struct Registries {
    // Docker's layout: <certs_dir>/<host>/{ca.crt,client.cert,client.key}.
    std::string certs_dir = "/etc/cricket/certs.d";
    // docker config.json / containers auth.json; "" = no stored credentials.
    std::string auth_file;
    // Keyed by host as it appears in image references: "docker.io", "127.0.0.1:5000".
    std::map<std::string, Registry> hosts;
    int connect_timeout_seconds = 30;
    int request_timeout_seconds = 60;  // one non-blob request (token, manifest)
    int retries = 3;                   // extra attempts after a transient failure
    bool operator==(const Registries&) const = default;
  } registries;

  struct Streaming {
    std::string address = "127.0.0.1";
    int port = 0;  // 0 = a free port chosen at start
    std::string tls_cert;
    std::string tls_key;
    int token_ttl_seconds = 60;           // life of an exec/attach/port-forward URL
    int idle_timeout_seconds = 4 * 3600;  // containerd's stream_idle_timeout
    // Connections that have not shown a valid token yet (a flood of idle
    // ones must not starve real sessions): per client address, in all.
    int max_unauthenticated_per_client = 64;
    int max_unauthenticated = 256;
    bool operator==(const Streaming&) const = default;
  } streaming;

  struct Runtime {
    // CRI-O's default set (internal/config/capabilities, 1.2x), without the
    // CAP_ prefix as the CRI spells them. containerd grants Docker's 14
    // (adds MKNOD, NET_RAW, SETFCAP, SYS_CHROOT, AUDIT_WRITE); we take the
    // smaller set because pods that need more ask for it.
    std::vector<std::string> default_capabilities = {"CHOWN",   "DAC_OVERRIDE",     "FSETID",
                                                     "FOWNER",  "SETGID",           "SETUID",
                                                     "SETPCAP", "NET_BIND_SERVICE", "KILL"};
    std::string seccomp_profile;  // JSON profile path; "" = built-in RuntimeDefault
    std::vector<Ulimit> default_ulimits;
    int64_t pids_limit = 0;               // 0 = unlimited
    std::string monitor_path;             // "" = cricket-monitor next to cricketd
    bool restrict_oom_score_adj = false;  // clamp to cricketd's own score, not below
    // Container log size cap (issue 19), bytes per log file, as CRI-O's
    // log_size_max: past it the monitor drops output (and says so once)
    // until ReopenContainerLog. -1 or 0 = no cap; else at least 8192.
    int64_t log_size_max = -1;
    // CDI devices (issue 18): the dirs of CDI spec files (*.json, *.yaml);
    // for the same device a later dir overrides an earlier one.
    std::vector<std::string> cdi_spec_dirs = {"/etc/cdi", "/var/run/cdi"};
    bool operator==(const Runtime&) const = default;
  } runtime;

  struct Image {
    int pull_parallelism = 3;  // layers fetched at once per pull
    int64_t max_manifest_bytes = 4 << 20;
    int64_t max_config_bytes = 8 << 20;  // image config blob
    int stall_timeout_seconds = 60;      // a blob download making no progress this long fails
    // A blob download fails when it takes longer than stall_timeout_seconds
    // plus its size at this rate: a registry that trickles bytes just fast
    // enough to beat the stall timer cannot hold a pull forever. 64 KiB/s is
    // 512 kbit/s, below any link a node pulls images over (a 1 GiB layer may
    // take 4.5 h); lower it for slower links.
    int64_t min_download_bytes_per_second = 64 << 10;
    // Docker's old limit was 127 layers (aufs); overlayfs stacks ~500
    // lowerdirs at most (the mount options must fit a page).
    int max_layers = 128;
    // Per layer, enforced while unpacking. The largest real layers (CUDA and
    // ML framework images) have a few hundred thousand entries and a few GiB;
    // a decompression bomb (zstd reaches ratios of 10^6) is stopped here
    // rather than by a full disk.
    int64_t max_layer_entries = 1 << 20;
    int64_t max_layer_bytes = int64_t{32} << 30;
    // Signed images: a containers-policy.json(5) file checked on every pull
    // (insecureAcceptAnything, reject, sigstoreSigned). A missing file
    // accepts every image, as before, and cricketd says so at start.
    std::string signature_policy = "/etc/containers/policy.json";
    // Pinned images (issue 19): reported pinned to the kubelet, whose image
    // GC then leaves them alone. Exact names ("registry.k8s.io/pause:3.9"),
    // prefixes ending in "*" ("quay.io/infra/*"), or keywords between two
    // "*" ("*pause*"), as CRI-O's pinned_images.
    std::vector<std::string> pinned_images;
    bool operator==(const Image&) const = default;
  } image;

  struct Metrics {
    bool enabled = false;
    std::string address = "127.0.0.1";
    int port = 9090;
    bool operator==(const Metrics&) const = default;
  } metrics;

  // RuntimeClass handlers (issue 18), keyed by the handler name the kubelet
  // sends (RuntimeClass.handler).
  std::map<std::string, RuntimeHandler> runtime_handlers;

  bool operator==(const Config&) const = default;
};

struct LoadOptions {
  std::string config_file = "/etc/cricket/cricket.yaml";
  std::string config_dir = "/etc/cricket/cricket.d";  // "" = no drop-ins
  bool explicit_file = false;  // true when --config was given: then the file must exist
};

// Defaults, then config_file (a missing file is fine unless explicit_file),
// then config_dir/*.yaml in byte order of name. Later files override earlier
// ones key by key: maps merge, lists and scalars are replaced. The result is
// Validate()d. Errors are InvalidArgument ("<file>:<line>: <key.path>: why"),
// NotFound for a missing explicit file, or the errno's code for I/O.
absl::StatusOr<Config> Load(const LoadOptions& options);

// Applies one YAML document over the defaults and validates, as Load does for
// a single file; `name` stands for the file name in messages.
absl::StatusOr<Config> LoadFromString(std::string_view yaml, std::string_view name);

// Checks every value and the rules that tie values together. Pure: it never
// touches the file system. Every problem found is listed, "; "-separated.
absl::Status Validate(const Config& config);

// A YAML file that Load reads back to the same Config.
std::string ToYaml(const Config& config);
nlohmann::json ToJson(const Config& config);

}  // namespace cricket::conf
