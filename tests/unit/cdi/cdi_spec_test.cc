// CDI spec files (JSON and YAML, versions), device names, the devices a
// container asks for, and which file wins for a device.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pod/cdi/names.h"
#include "pod/cdi/registry.h"
#include "pod/cdi/spec_file.h"

namespace cricket::pod::cdi {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kJson[] = R"({
  "cdiVersion": "0.7.0", "kind": "vendor.com/gpu",
  "devices": [{"name": "0", "containerEdits": {
    "env": ["GPU=0"],
    "deviceNodes": [{"path": "/dev/gpu0", "hostPath": "/dev/nvidia0", "type": "c",
                     "major": 195, "minor": 0, "fileMode": 438, "permissions": "rw",
                     "uid": 1, "gid": 2}],
    "hooks": [{"hookName": "createContainer", "path": "/bin/hook", "args": ["hook", "x"],
               "env": ["A=b"], "timeout": 5}],
    "additionalGIDs": [44]}}],
  "containerEdits": {"mounts": [{"hostPath": "/lib/x", "containerPath": "/lib/x",
                                 "options": ["ro", "bind"], "type": "bind"}]}
})";

TEST(CdiSpec, JsonWithEveryEdit) {
  auto s = ParseSpec(kJson, Format::kJson);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->kind, "vendor.com/gpu");
  ASSERT_EQ(s->devices.size(), 1u);
  const ContainerEdits& e = s->devices[0].edits;
  EXPECT_THAT(e.env, ElementsAre("GPU=0"));
  ASSERT_EQ(e.device_nodes.size(), 1u);
  EXPECT_EQ(e.device_nodes[0].host_path, "/dev/nvidia0");
  EXPECT_EQ(e.device_nodes[0].major, 195);
  EXPECT_EQ(e.device_nodes[0].file_mode, 438u);
  EXPECT_EQ(e.device_nodes[0].gid, 2u);
  ASSERT_EQ(e.hooks.size(), 1u);
  EXPECT_EQ(e.hooks[0].timeout, 5);
  EXPECT_THAT(e.additional_gids, ElementsAre(44u));
  ASSERT_EQ(s->edits.mounts.size(), 1u);
  EXPECT_THAT(s->edits.mounts[0].options, ElementsAre("ro", "bind"));
}

TEST(CdiSpec, YamlScalarsReadAsTheSchemaWants) {
  auto s = ParseSpec(
      "cdiVersion: \"1.0.0\"\nkind: vendor.com/gpu\ndevices:\n"
      "- name: 007\n  containerEdits:\n    deviceNodes:\n"
      "    - {path: /dev/x, major: 0x10, minor: 3, fileMode: 0666, uid: ~}\n",
      Format::kYaml);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->devices[0].name, "007");  // kept as written, not a number
  const DeviceNode& n = s->devices[0].edits.device_nodes[0];
  EXPECT_EQ(n.major, 16);
  EXPECT_EQ(n.file_mode, 0666u);
  EXPECT_FALSE(n.uid.has_value());
}

TEST(CdiSpec, VersionsAndTheFeaturesTheyAllow) {
  auto spec = [](const std::string& version, const std::string& edits) {
    return ParseSpec("{\"cdiVersion\":\"" + version +
                         "\",\"kind\":\"v.com/c\",\"devices\":[{\"name\":\"d\","
                         "\"containerEdits\":" + edits + "}]}",
                     Format::kJson);
  };
  const std::string env = R"({"env":["A=1"]})";
  for (const char* ok : {"0.3.0", "0.8.0", "1.0.0", "1.0.1", "1.1.0", "v0.6.0"}) {
    EXPECT_TRUE(spec(ok, env).ok()) << ok << ": " << spec(ok, env).status();
  }
  for (const char* bad : {"0.2.0", "2.0.0", "1.2.0", "1.0", "x"}) {
    EXPECT_THAT(spec(bad, env).status().message(), HasSubstr("not a supported CDI version"));
  }
  // hostPath needs 0.5.0, additionalGIDs 0.7.0, mount type 0.4.0, netDevices 1.1.0.
  const std::string host_path = R"({"deviceNodes":[{"path":"/dev/a","hostPath":"/dev/b"}]})";
  EXPECT_THAT(spec("0.4.0", host_path).status().message(), HasSubstr("need 0.5.0"));
  EXPECT_TRUE(spec("0.5.0", host_path).ok());
  EXPECT_THAT(spec("0.6.0", R"({"additionalGIDs":[5]})").status().message(),
              HasSubstr("need 0.7.0"));
  EXPECT_THAT(spec("0.3.0", R"({"mounts":[{"hostPath":"/a","containerPath":"/a","type":"x"}]})")
                  .status().message(), HasSubstr("need 0.4.0"));
  EXPECT_THAT(spec("1.0.0", R"({"netDevices":[{"hostInterfaceName":"e","name":"e"}]})")
                  .status().message(), HasSubstr("need 1.1.0"));
}

TEST(CdiSpec, MalformedFilesSayWhere) {
  struct Case {
    const char* text;
    Format format;
    const char* why;
  } cases[] = {
      {"{\"cdiVersion\": ", Format::kJson, "not valid JSON"},
      {"a: [b", Format::kYaml, "not valid YAML"},
      {R"({"cdiVersion":"0.6.0","kind":"v.com/c","devices":[{"name":"d","containerEdits":{"env":["A=1"]},"extra":1}]})",
       Format::kJson, "devices[0].extra: unknown field"},
      {R"({"cdiVersion":"0.6.0","kind":"vcom","devices":[{"name":"d","containerEdits":{"env":["A=1"]}}]})",
       Format::kJson, "must be vendor/class"},
      {R"({"cdiVersion":"0.6.0","kind":"v.com/c","devices":[{"name":"-d","containerEdits":{"env":["A=1"]}}]})",
       Format::kJson, "devices[0]: invalid device name"},
      {R"({"cdiVersion":"0.6.0","kind":"v.com/c","devices":[{"name":"d","containerEdits":{"env":["NOEQ"]}}]})",
       Format::kJson, "containerEdits.env[0]: must be NAME=value"},
      {R"({"cdiVersion":"0.6.0","kind":"v.com/c","devices":[{"name":"d","containerEdits":{"hooks":[{"hookName":"later","path":"/x"}]}}]})",
       Format::kJson, "unknown hook \"later\""},
      {R"({"cdiVersion":"0.6.0","kind":"v.com/c","devices":[{"name":"d","containerEdits":{"deviceNodes":[{"path":"/d","permissions":"rx"}]}}]})",
       Format::kJson, "permissions: may only hold r, w and m"},
      {R"({"cdiVersion":"0.6.0","kind":"v.com/c","devices":[{"name":"d"}]})", Format::kJson,
       "has no containerEdits"},
      {R"({"cdiVersion":"0.6.0","kind":"v.com/c","devices":[]})", Format::kJson,
       "at least one"},
  };
  for (const Case& c : cases) {
    auto s = ParseSpec(c.text, c.format);
    EXPECT_THAT(s.status().message(), HasSubstr(c.why)) << c.text;
  }
}

TEST(CdiNames, QualifiedNamesFollowTheReferenceRules) {
  for (const char* ok : {"vendor.com/class=name", "nvidia.com/gpu=0", "a.b/c-d=e:f.g_h",
                         "foo.bar.baz/foo-bar123.B_az=all"}) {
    EXPECT_TRUE(ParseQualifiedName(ok).ok()) << ok;
  }
  for (const char* bad : {"vendor.com/class", "class=name", "vendor.com/=x", "1v.com/c=x",
                          "v.com/c=-x", "v.com/c=x-", "v.com/c=x y", "v.com/c/d=x", ""}) {
    EXPECT_FALSE(ParseQualifiedName(bad).ok()) << bad;
  }
}

TEST(CdiNames, RequestedDevicesFromFieldThenAnnotationsEachOnce) {
  runtime::v1::ContainerConfig c;
  c.add_cdi_devices()->set_name("v.com/c=b");
  (*c.mutable_annotations())["cdi.k8s.io/plugin"] = "v.com/c=a, v.com/c=b";
  (*c.mutable_annotations())["other/x"] = "not a device";
  auto names = RequestedDevices(c);
  ASSERT_TRUE(names.ok()) << names.status();
  ASSERT_EQ(names->size(), 2u);
  EXPECT_EQ((*names)[0].str(), "v.com/c=b");
  EXPECT_EQ((*names)[1].str(), "v.com/c=a");
  (*c.mutable_annotations())["cdi.k8s.io/bad"] = "nonsense";
  EXPECT_THAT(RequestedDevices(c).status().message(),
              HasSubstr("annotation cdi.k8s.io/bad: invalid CDI device name \"nonsense\""));
}

SpecFile Spec(const std::string& kind, const std::string& device, const std::string& env) {
  SpecFile s;
  s.kind = kind;
  s.devices.push_back(Device{device, ContainerEdits{.env = {env}}});
  return s;
}

TEST(CdiRegistry, LaterDirOverridesSameDirConflictsUnknownIsNamed) {
  SpecFile wide = Spec("v.com/c", "a", "FROM=etc");
  wide.edits.env = {"SPEC=wide"};
  Registry r = Registry::FromSpecs(
      {{"/etc/cdi/a.json", 0, wide},
       {"/var/run/cdi/a.json", 1, Spec("v.com/c", "a", "FROM=run")},
       {"/etc/cdi/b.json", 0, Spec("v.com/c", "b", "FROM=b1")},
       {"/etc/cdi/b2.yaml", 0, Spec("v.com/c", "b", "FROM=b2")},
       {"/etc/cdi/c.json", 0, Spec("v.com/c", "c", "FROM=c")}},
      {"/etc/cdi", "/var/run/cdi"});
  auto a = Registry::FromSpecs({}, {}).Resolve({QualifiedName{"v.com", "c", "a"}});
  EXPECT_THAT(a.status().message(), HasSubstr("unknown CDI device \"v.com/c=a\""));
  auto got = r.Resolve({QualifiedName{"v.com", "c", "a"}});
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), 1u);  // the overriding file has no spec-wide edits
  EXPECT_THAT((*got)[0].edits.env, ElementsAre("FROM=run"));
  EXPECT_EQ((*got)[0].origin, "CDI device v.com/c=a");
  auto b = r.Resolve({QualifiedName{"v.com", "c", "b"}});
  EXPECT_EQ(b.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(b.status().message(), HasSubstr("/etc/cdi/b.json and /etc/cdi/b2.yaml"));
  auto missing = r.Resolve({QualifiedName{"v.com", "c", "zz"}});
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("/etc/cdi, /var/run/cdi"));
}

TEST(CdiRegistry, SpecWideEditsComeOnceBeforeTheFirstDeviceOfTheFile) {
  SpecFile s = Spec("v.com/c", "a", "DEV=a");
  s.devices.push_back(Device{"b", ContainerEdits{.env = {"DEV=b"}}});
  s.edits.env = {"SPEC=1"};
  Registry r = Registry::FromSpecs({{"/cdi/s.json", 0, s}}, {"/cdi"});
  auto got = r.Resolve({QualifiedName{"v.com", "c", "a"}, QualifiedName{"v.com", "c", "b"}});
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), 3u);
  EXPECT_EQ((*got)[0].origin, "CDI spec file /cdi/s.json");
  EXPECT_THAT((*got)[1].edits.env, ElementsAre("DEV=a"));
  EXPECT_THAT((*got)[2].edits.env, ElementsAre("DEV=b"));
}

}  // namespace
}  // namespace cricket::pod::cdi
