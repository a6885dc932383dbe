// config.json parsing: round trips, defaults, and errors that name the JSON path.
#include "oci/spec.h"

#include <nlohmann/json.hpp>

#include "gtest/gtest.h"
#include "oci/spec_json.h"

namespace cricket::oci {
namespace {

using nlohmann::json;

json Minimal() {
  return json::parse(R"({
    "ociVersion": "1.0.2",
    "process": {"args": ["sh"], "cwd": "/", "user": {"uid": 1, "gid": 2}},
    "root": {"path": "rootfs"},
    "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}]}
  })");
}

TEST(SpecTest, ParsesMinimalAndIgnoresUnknownFields) {
  json j = Minimal();
  j["unknownTopLevel"] = {{"x", 1}};
  j["process"]["somethingNew"] = true;
  auto s = SpecFromJson(j);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->process->args, std::vector<std::string>{"sh"});
  EXPECT_EQ(s->process->user.uid, 1u);
  EXPECT_EQ(s->process->user.gid, 2u);
  EXPECT_EQ(s->root.path, "rootfs");
  ASSERT_NE(s->FindNamespace("pid"), nullptr);
  EXPECT_EQ(s->FindNamespace("network"), nullptr);
}

struct BadCase {
  const char* name;
  std::function<void(json&)> edit;
  const char* message;
};

TEST(SpecTest, ErrorsNameTheJsonPath) {
  const BadCase cases[] = {
      {"args not strings",
       [](json& j) {
         j["process"]["args"] = {1, 2};
       },
       "process.args: must be an array of strings"},
      {"uid negative", [](json& j) { j["process"]["user"]["uid"] = -1; },
       "process.user.uid: must be an unsigned 32-bit integer"},
      {"relative cwd", [](json& j) { j["process"]["cwd"] = "tmp"; },
       "process.cwd: must be an absolute path"},
      {"no ociVersion", [](json& j) { j.erase("ociVersion"); }, "ociVersion: is required"},
      {"mount dest relative",
       [](json& j) {
         j["mounts"] = json::array({{{"destination", "proc"}, {"type", "proc"}}});
       },
       "mounts[0].destination: must be an absolute path"},
      {"bad namespace", [](json& j) { j["linux"]["namespaces"][1]["type"] = "bogus"; },
       "linux.namespaces[1].type: unknown namespace type \"bogus\""},
      {"dup namespace", [](json& j) { j["linux"]["namespaces"][1]["type"] = "pid"; },
       "linux.namespaces[1].type: duplicate namespace \"pid\""},
      {"rlimit missing hard",
       [](json& j) {
         j["process"]["rlimits"] = json::array({{{"type", "RLIMIT_NOFILE"}, {"soft", 1}}});
       },
       "process.rlimits[0].hard: is required"},
      {"hook timeout",
       [](json& j) {
         j["hooks"]["prestart"] = json::array({{{"path", "/x"}, {"timeout", 0}}});
       },
       "hooks.prestart[0].timeout: must be greater than zero"},
      {"seccomp arg op type",
       [](json& j) {
         j["linux"]["seccomp"] = {
             {"defaultAction", "SCMP_ACT_ALLOW"},
             {"syscalls",
              json::array({{{"names", {"read"}},
                            {"action", "SCMP_ACT_ERRNO"},
                            {"args", json::array({{{"index", 0}, {"value", 1}, {"op", 5}}})}}})}};
       },
       "linux.seccomp.syscalls[0].args[0].op: must be a string"},
      {"annotations not strings",
       [](json& j) {
         j["annotations"] = {{"a", 1}};
       },
       "annotations.a: must be a string"},
      {"device type",
       [](json& j) {
         j["linux"]["devices"] = json::array({{{"type", "x"}, {"path", "/dev/x"}}});
       },
       "linux.devices[0].type: must be one of c, b, u, p"},
  };
  for (const BadCase& c : cases) {
    json j = Minimal();
    c.edit(j);
    auto s = SpecFromJson(j);
    ASSERT_FALSE(s.ok()) << c.name;
    EXPECT_TRUE(absl::IsInvalidArgument(s.status())) << c.name;
    EXPECT_EQ(std::string(s.status().message()), c.message) << c.name;
  }
}

TEST(SpecTest, DefaultSpecRoundTrips) {
  Spec d = DefaultSpec();
  json j = SpecToJson(d);
  auto back = SpecFromJson(j);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(SpecToJson(*back), j);
  EXPECT_EQ(j["process"]["args"], json::array({"sh"}));
  EXPECT_EQ(j["root"]["path"], "rootfs");
  EXPECT_EQ(j["linux"]["resources"]["devices"][0]["allow"], false);
  EXPECT_EQ(j["linux"]["maskedPaths"].size(), 10u);
}

// What the pod layer writes and an external runtime reads comes back as
// it went: a seccomp profile's keys the model does not know (a Localhost
// profile in Docker's format), lists set but empty (procMount Unmasked),
// and an argument's valueTwo only where it was given.
TEST(SpecTest, WriterKeepsWhatTheReaderWasGiven) {
  json j = Minimal();
  j["process"]["noNewPrivileges"] = false;
  j["root"]["readonly"] = false;
  j["linux"]["devices"] = json::array();
  j["linux"]["maskedPaths"] = json::array();
  j["linux"]["readonlyPaths"] = json::array();
  j["linux"]["seccomp"] = json::parse(R"({
    "defaultAction": "SCMP_ACT_ERRNO",
    "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86"]}],
    "listenerMetadata": "m",
    "syscalls": [
      {"names": ["read"], "action": "SCMP_ACT_ALLOW", "comment": "c", "includes": {"caps": ["X"]}},
      {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
       "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"},
                {"index": 1, "value": 3, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}]}]})");
  auto s = SpecFromJson(j);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->linux_spec->masked_paths, std::vector<std::string>());
  EXPECT_FALSE(s->linux_spec->seccomp->syscalls[1].args[0].value_two.has_value());
  EXPECT_EQ(s->linux_spec->seccomp->extras.count("archMap"), 1u);
  json out = SpecToJson(*s);
  EXPECT_EQ(out["linux"]["seccomp"], j["linux"]["seccomp"]);
  EXPECT_EQ(out["linux"]["devices"], json::array());
  EXPECT_EQ(out["linux"]["maskedPaths"], json::array());
  EXPECT_EQ(out["linux"]["readonlyPaths"], json::array());
  EXPECT_EQ(out["process"]["noNewPrivileges"], false);
  EXPECT_EQ(out["root"], j["root"]);
  // Unset lists stay out.
  s->linux_spec->masked_paths.reset();
  s->linux_spec->devices.reset();
  EXPECT_FALSE(SpecToJson(*s)["linux"].contains("maskedPaths"));
  EXPECT_FALSE(SpecToJson(*s)["linux"].contains("devices"));
}

TEST(SpecTest, SeccompProfileFileErrorsNameTheFile) {
  auto s = ParseSeccompProfile(R"({"defaultAction": "SCMP_ACT_LOG", "flags": ["F"]})", "/p.json");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->flags, std::vector<std::string>{"F"});
  s = ParseSeccompProfile(R"({"syscalls": []})", "/p.json");
  EXPECT_TRUE(absl::IsInvalidArgument(s.status()));
  EXPECT_EQ(std::string(s.status().message()), "seccomp profile /p.json: defaultAction: is required");
  s = ParseSeccompProfile("garbage", "/p.json");
  EXPECT_EQ(std::string(s.status().message()), "seccomp profile /p.json is not a JSON object");
}

TEST(SpecTest, RootlessDefaultHasUserNamespaceAndMaps) {
  Spec d = DefaultSpec(true);
  ASSERT_NE(d.FindNamespace("user"), nullptr);
  EXPECT_EQ(d.FindNamespace("network"), nullptr);
  EXPECT_EQ(d.linux_spec->uid_mappings.size(), 1u);
  EXPECT_FALSE(d.linux_spec->resources.has_value());
}

TEST(SpecTest, ParseSpecRejectsInvalidJson) {
  auto s = ParseSpec("{not json");
  EXPECT_TRUE(absl::IsInvalidArgument(s.status()));
}

}  // namespace
}  // namespace cricket::oci
