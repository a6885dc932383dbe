// The configuration's key tree, written once. Loading, printing and
// validation are visitors over it, so a key's name, type and rule live here
// only. Internal to conf/.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "absl/strings/string_view.h"
#include "conf/config.h"

namespace cricket::conf::internal {

// What a value must look like. Load checks it where the value is read (so the
// message names file and line); Validate checks it again for configs built in
// code. For a list of strings the rule applies to each element.
struct Rule {
  enum Kind {
    kAny,
    kAbsPath,
    kAbsPathOrEmpty,
    kOneOf,
    kRange,
    kCapability,  // CRI spelling: "NET_ADMIN", no CAP_ prefix
    kHost,        // registry host[:port]
    kEndpoint,    // host[:port] or http(s)://host[:port][/path]
    kIpAddress,   // an IPv4 or IPv6 literal to listen on
    kImagePattern,  // pinned images: "name", "prefix*" or "*keyword*"
  };
  Kind kind = kAny;
  std::span<const absl::string_view> choices = {};  // kOneOf
  int64_t min = 0;                                  // kRange, inclusive
  int64_t max = 0;
};

inline constexpr Rule kAnyValue{};
inline constexpr Rule kAbsPath{Rule::kAbsPath};
inline constexpr Rule kAbsPathOrEmpty{Rule::kAbsPathOrEmpty};
inline constexpr Rule kCapability{Rule::kCapability};
inline constexpr Rule kHost{Rule::kHost};
inline constexpr Rule kEndpoint{Rule::kEndpoint};
inline constexpr Rule kIpAddress{Rule::kIpAddress};
inline constexpr Rule kImagePattern{Rule::kImagePattern};
constexpr Rule OneOf(std::span<const absl::string_view> choices) {
  return Rule{Rule::kOneOf, choices};
}
constexpr Rule Range(int64_t min, int64_t max) { return Rule{Rule::kRange, {}, min, max}; }

inline constexpr absl::string_view kLogLevels[] = {"trace", "debug", "info", "warn", "error"};
inline constexpr absl::string_view kCgroupDrivers[] = {"cgroupfs", "systemd"};
inline constexpr absl::string_view kCgroupVersions[] = {"auto", "v1", "v2"};
// setrlimit(2) resources, lower-case and without RLIMIT_.
inline constexpr absl::string_view kUlimitNames[] = {
    "as",   "core",   "cpu",   "data", "fsize",  "locks",  "memlock",    "msgqueue",
    "nice", "nofile", "nproc", "rss",  "rtprio", "rttime", "sigpending", "stack"};

inline constexpr Rule kPort = Range(1, 65535);
inline constexpr Rule kPortOrZero = Range(0, 65535);
inline constexpr Rule kSeconds = Range(1, 86400);
inline constexpr int64_t kUnlimited = -1;  // Ulimit soft/hard
inline constexpr Rule kRlimitValue = Range(kUnlimited, INT64_MAX);

// Why `value` breaks `rule`, or "" when it does not.
std::string Check(const Rule& rule, const std::string& value);
std::string Check(const Rule& rule, int64_t value);
inline std::string Check(const Rule& rule, int value) { return Check(rule, int64_t{value}); }
inline std::string Check(const Rule&, bool) { return ""; }

// Key paths in messages: "cgroup.driver", registries.hosts["docker.io"].insecure,
// runtime.default_ulimits[0].name.
std::string ChildPath(absl::string_view parent, absl::string_view key);
std::string EntryPath(absl::string_view parent, absl::string_view key);
std::string ItemPath(absl::string_view parent, size_t index);

// A visitor V offers:
//   Field(key, value, rule)        value: string, int, int64_t, bool, vector<string>
//   Section(key, body)             body(): visits the section's fields
//   Map(key, map, key_rule, body)  body(entry): a map of structs keyed by name (merged)
//   List(key, vector, body)        body(item): a list of structs (replaced as a whole)
// Each walker takes S = the struct or const struct, so one tree serves loaders and printers.

template <class V, class S>
void WalkRegistry(V& v, S& r) {
  v.Field("mirrors", r.mirrors, kEndpoint);
  v.Field("insecure", r.insecure, kAnyValue);
  v.Field("ca_file", r.ca_file, kAbsPathOrEmpty);
  v.Field("client_cert", r.client_cert, kAbsPathOrEmpty);
  v.Field("client_key", r.client_key, kAbsPathOrEmpty);
}

template <class V, class S>
void WalkUlimit(V& v, S& u) {
  v.Field("name", u.name, OneOf(kUlimitNames));
  v.Field("soft", u.soft, kRlimitValue);
  v.Field("hard", u.hard, kRlimitValue);
}

template <class V, class S>
void WalkRegistries(V& v, S& r) {
  v.Field("certs_dir", r.certs_dir, kAbsPathOrEmpty);
  v.Field("auth_file", r.auth_file, kAbsPathOrEmpty);
  v.Map("hosts", r.hosts, kHost, [&](auto& entry) { WalkRegistry(v, entry); });
  v.Field("connect_timeout_seconds", r.connect_timeout_seconds, kSeconds);
  v.Field("request_timeout_seconds", r.request_timeout_seconds, kSeconds);
  v.Field("retries", r.retries, Range(0, 100));
}

template <class V, class S>
void WalkRuntime(V& v, S& r) {
  v.Field("default_capabilities", r.default_capabilities, kCapability);
  v.Field("seccomp_profile", r.seccomp_profile, kAbsPathOrEmpty);
  v.List("default_ulimits", r.default_ulimits, [&](auto& item) { WalkUlimit(v, item); });
  v.Field("pids_limit", r.pids_limit, Range(0, 1 << 22));  // PID_MAX_LIMIT
  v.Field("monitor_path", r.monitor_path, kAbsPathOrEmpty);
  v.Field("restrict_oom_score_adj", r.restrict_oom_score_adj, kAnyValue);
  // Container log size cap (issue 19).
  v.Field("log_size_max", r.log_size_max, Range(-1, INT64_MAX));
  // CDI devices (issue 18).
  v.Field("cdi_spec_dirs", r.cdi_spec_dirs, kAbsPath);
}

// RuntimeClass handlers (issue 18).
template <class V, class S>
void WalkRuntimeHandler(V& v, S& h) {
  v.Field("path", h.path, kAbsPath);
  v.Field("root", h.root, kAbsPathOrEmpty);
  v.Field("options", h.options, kAnyValue);
}

template <class V, class C>
void WalkConfig(V& v, C& c) {
  v.Field("socket_path", c.socket_path, kAbsPath);
  v.Field("root_dir", c.root_dir, kAbsPath);
  v.Field("state_dir", c.state_dir, kAbsPath);
  v.Field("log_level", c.log_level, OneOf(kLogLevels));
  v.Section("cgroup", [&] {
    v.Field("driver", c.cgroup.driver, OneOf(kCgroupDrivers));
    v.Field("version", c.cgroup.version, OneOf(kCgroupVersions));
  });
  v.Section("cni", [&] {
    v.Field("conf_dir", c.cni.conf_dir, kAbsPath);
    v.Field("bin_dirs", c.cni.bin_dirs, kAbsPath);
    v.Field("cache_dir", c.cni.cache_dir, kAbsPath);
    v.Field("timeout_seconds", c.cni.timeout_seconds, Range(1, 3600));
    // Pod CIDR template (issue 18).
    v.Field("conf_template", c.cni.conf_template, kAbsPathOrEmpty);
  });
  v.Section("registries", [&] { WalkRegistries(v, c.registries); });
  v.Section("streaming", [&] {
    v.Field("address", c.streaming.address, kIpAddress);
    v.Field("port", c.streaming.port, kPortOrZero);
    v.Field("tls_cert", c.streaming.tls_cert, kAbsPathOrEmpty);
    v.Field("tls_key", c.streaming.tls_key, kAbsPathOrEmpty);
    v.Field("token_ttl_seconds", c.streaming.token_ttl_seconds, kSeconds);
    v.Field("idle_timeout_seconds", c.streaming.idle_timeout_seconds, Range(0, 7 * 86400));
    v.Field("max_unauthenticated_per_client", c.streaming.max_unauthenticated_per_client,
            Range(1, 65536));
    v.Field("max_unauthenticated", c.streaming.max_unauthenticated, Range(1, 65536));
  });
  v.Section("runtime", [&] { WalkRuntime(v, c.runtime); });
  v.Section("image", [&] {
    v.Field("pull_parallelism", c.image.pull_parallelism, Range(1, 64));
    v.Field("max_manifest_bytes", c.image.max_manifest_bytes, Range(1024, 1 << 30));
    v.Field("max_config_bytes", c.image.max_config_bytes, Range(1024, 1 << 30));
    v.Field("stall_timeout_seconds", c.image.stall_timeout_seconds, Range(1, 3600));
    v.Field("min_download_bytes_per_second", c.image.min_download_bytes_per_second,
            Range(1, int64_t{1} << 40));
    v.Field("max_layers", c.image.max_layers, Range(1, 500));
    v.Field("max_layer_entries", c.image.max_layer_entries, Range(1, int64_t{1} << 32));
    v.Field("max_layer_bytes", c.image.max_layer_bytes, Range(1 << 20, int64_t{1} << 50));
    // Signed images (issue 19).
    v.Field("signature_policy", c.image.signature_policy, kAbsPath);
    // Pinned images (issue 19).
    v.Field("pinned_images", c.image.pinned_images, kImagePattern);
  });
  v.Section("metrics", [&] {
    v.Field("enabled", c.metrics.enabled, kAnyValue);
    v.Field("address", c.metrics.address, kIpAddress);
    v.Field("port", c.metrics.port, kPort);
  });
  // RuntimeClass handlers (issue 18); names are checked in validate.cc.
  v.Map("runtime_handlers", c.runtime_handlers, kAnyValue,
        [&](auto& entry) { WalkRuntimeHandler(v, entry); });
}

}  // namespace cricket::conf::internal
