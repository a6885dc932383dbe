// Every kind of bad input gives one message naming file, line and key path.
#include <string>

#include "conf/config.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cricket::conf {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

struct BadInput {
  const char* what;
  const char* yaml;
  const char* message;  // exact, after the file name
};

const BadInput kBadInputs[] = {
    {"unknown top-level key", "log_level: info\nsockt_path: /x\n",
     ":2: sockt_path: unknown key (expected one of socket_path, root_dir, state_dir, log_level, "
     "cgroup, cni, registries, streaming, runtime, image, metrics, runtime_handlers)"},
    {"unknown nested key", "cgroup:\n  drivr: systemd\n",
     ":2: cgroup.drivr: unknown key (expected one of driver, version)"},
    {"bad enum", "# c\n\ncgroup:\n  driver: foo\n",
     ":4: cgroup.driver: \"foo\" is not one of cgroupfs, systemd"},
    {"string for a list", "cni:\n  bin_dirs: /opt/cni/bin\n",
     ":2: cni.bin_dirs: expected a list of strings, got \"/opt/cni/bin\""},
    {"scalar for a section", "cgroup: systemd\n", ":1: cgroup: expected a map, got \"systemd\""},
    {"map for a string", "log_level: {a: b}\n", ":1: log_level: expected a string, got a map"},
    {"negative port", "metrics:\n  port: -1\n", ":2: metrics.port: -1 is out of range 1..65535"},
    {"unparsable number", "streaming:\n  port: 80x\n",
     ":2: streaming.port: expected an integer, got \"80x\""},
    {"float for an integer", "image:\n  pull_parallelism: 1.5\n",
     ":2: image.pull_parallelism: expected an integer, got \"1.5\""},
    {"quoted number", "streaming:\n  port: \"8080\"\n",
     ":2: streaming.port: expected an integer, got the quoted string \"8080\""},
    {"too big for int", "cni: {timeout_seconds: 99999999999}\n",
     ":1: cni.timeout_seconds: 99999999999 is out of range 1..3600"},
    {"more layers than overlayfs stacks", "image: {max_layers: 501}\n",
     ":1: image.max_layers: 501 is out of range 1..500"},
    {"no download rate floor", "image: {min_download_bytes_per_second: 0}\n",
     ":1: image.min_download_bytes_per_second: 0 is out of range 1..1099511627776"},
    {"no entries per layer", "image: {max_layer_entries: 0}\n",
     ":1: image.max_layer_entries: 0 is out of range 1..4294967296"},
    {"not a bool", "metrics: {enabled: maybe}\n",
     ":1: metrics.enabled: expected true or false, got \"maybe\""},
    {"duplicate key", "log_level: info\nlog_level: debug\n", ":2: log_level: duplicate key"},
    {"bad list item",
     "runtime:\n  default_ulimits:\n    - {name: nofile, soft: 1, hard: 2}\n"
     "    - name: files\n",
     ":4: runtime.default_ulimits[1].name: \"files\" is not one of as, core, cpu, data, fsize, "
     "locks, memlock, msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack"},
    {"unknown key in a list item", "runtime:\n  default_ulimits:\n    - {name: nofile, sfot: 1}\n",
     ":3: runtime.default_ulimits[0].sfot: unknown key (expected one of name, soft, hard)"},
    {"bad registry host", "registries:\n  hosts:\n    https://docker.io: {}\n",
     ":3: registries.hosts: \"https://docker.io\" is not a registry host (write host or "
     "host:port, without scheme or path)"},
    {"unknown key in a registry", "registries:\n  hosts:\n    docker.io:\n      mirror: [a]\n",
     ":4: registries.hosts[\"docker.io\"].mirror: unknown key (expected one of mirrors, "
     "insecure, ca_file, client_cert, client_key)"},
    {"bad mirror", "registries: {hosts: {docker.io: {mirrors: [\"ftp://m\"]}}}\n",
     ":1: registries.hosts[\"docker.io\"].mirrors[0]: \"ftp://m\" has scheme \"ftp\"; use http "
     "or https"},
    {"CAP_ prefix", "runtime:\n  default_capabilities: [CHOWN, CAP_KILL]\n",
     ":2: runtime.default_capabilities[1]: \"CAP_KILL\": write capabilities without the CAP_ "
     "prefix, as the CRI does (KILL)"},
    {"relative path", "root_dir: var/lib/cricket\n",
     ":1: root_dir: \"var/lib/cricket\" is not an absolute path"},
    {"bad address", "streaming: {address: localhost}\n",
     ":1: streaming.address: \"localhost\" is not an IPv4 or IPv6 address"},
    {"list at the top", "- a\n", ":1: expected a map of keys at the top, got a list"},
    {"two documents", "log_level: info\n---\nlog_level: warn\n",
     ":3: only one YAML document per file is allowed"},
    // yaml-cpp's LoadAll loops forever on this, allocating (found by fuzz_config_yaml).
    {"a lone comma", ",\n", ":1: invalid YAML: unexpected token (column 1)"},
};

TEST(ConfErrors, EachBadInputNamesFileLineAndKey) {
  for (const BadInput& bad : kBadInputs) {
    SCOPED_TRACE(bad.what);
    auto c = LoadFromString(bad.yaml, "/etc/cricket/t.yaml");
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(std::string(c.status().message()), std::string("/etc/cricket/t.yaml") + bad.message);
  }
}

TEST(ConfErrors, SyntaxErrorNamesFileAndLine) {
  auto c =
      LoadFromString("log_level: info\ncgroup:\n  driver: [systemd\n  version: v1\n", "t.yaml");
  ASSERT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(c.status().message()), StartsWith("t.yaml:4: invalid YAML: "));
  c = LoadFromString("a: b\n c: d\n", "u.yaml");
  EXPECT_THAT(std::string(c.status().message()), StartsWith("u.yaml:2: invalid YAML: "));
}

TEST(ConfErrors, NullMeansEmptyForStringsAndSections) {
  auto c = LoadFromString("registries:\n  auth_file:\n  hosts:\n    quay.io:\nmetrics:\n", "t");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->registries.auth_file, "");
  EXPECT_EQ(c->registries.hosts.at("quay.io"), Registry{});
  EXPECT_EQ(c->metrics, Config::Metrics{});
}

TEST(ConfValidate, ListsEveryProblem) {
  Config c;
  c.log_level = "loud";
  c.streaming.port = 70000;
  c.streaming.tls_cert = "/etc/cert.pem";
  c.runtime.default_ulimits = {{"nofile", 2048, 1024}, {"nproc", -1, -1}, {"nofile", 1, 1}};
  c.runtime.default_capabilities.push_back("FLY");
  c.cni.bin_dirs.clear();
  absl::Status st = Validate(c);
  ASSERT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  const std::string message(st.message());
  for (const char* expected : {
           "log_level: \"loud\" is not one of trace, debug, info, warn, error",
           "streaming.port: 70000 is out of range 0..65535",
           "streaming: tls_cert and tls_key must be set together",
           "runtime.default_ulimits[0]: soft limit is above the hard limit",
           "runtime.default_ulimits[2]: \"nofile\" is listed twice",
           "runtime.default_capabilities[9]: \"FLY\" is not a Linux capability",
           "cni.bin_dirs: at least one directory is needed",
       }) {
    EXPECT_THAT(message, HasSubstr(expected));
  }
  EXPECT_THAT(message, ::testing::Not(HasSubstr("default_ulimits[1]")));  // -1:-1 is fine
}

TEST(ConfValidate, UnlimitedSoftNeedsUnlimitedHard) {
  Config c;
  c.runtime.default_ulimits = {{"core", -1, 1024}};
  EXPECT_FALSE(Validate(c).ok());
  c.runtime.default_ulimits = {{"core", 1024, -1}};
  EXPECT_TRUE(Validate(c).ok());
}

// Found by the config fuzzer: a host key with non-ASCII bytes loaded, then
// did not print back as the same YAML. It names no registry: refused.
TEST(ConfValidate, RegistryHostMustBePrintableAscii) {
  Config c;
  c.registries.hosts["quay.io:5000"] = Registry{};
  EXPECT_TRUE(Validate(c).ok());
  c.registries.hosts["bad\x80host"] = Registry{};
  c.registries.hosts["with space"] = Registry{};
  absl::Status st = Validate(c);
  ASSERT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(st.message()),
              HasSubstr("a registry host must be printable ASCII without spaces"));
  EXPECT_THAT(std::string(st.message()), HasSubstr("with space"));
}

}  // namespace
}  // namespace cricket::conf
