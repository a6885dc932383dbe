// CDI container edits on the typed OCI spec (pod/spec/cdi_edits.cc), from
// tables: what each edit does to a spec the other builders made.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pod/spec/builders.h"

namespace cricket::pod::spec {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Inputs WithHost() {
  Inputs in;
  in.host.device = [](const std::string& p) -> absl::StatusOr<DeviceInfo> {
    if (p == "/dev/null") return DeviceInfo{.type = 'c', .major = 1, .minor = 3, .file_mode = 0666};
    if (p == "/dev/sda") return DeviceInfo{.type = 'b', .major = 8, .minor = 0, .file_mode = 0660};
    return absl::NotFoundError("stat device " + p + ": No such file or directory");
  };
  return in;
}

Output Base() {
  Output out;
  ProcessOf(out).env = {"PATH=/bin", "GPU=none"};
  ProcessOf(out).user.uid = 1000;
  out.spec.mounts = {{.destination = "/proc", .type = "proc"},
                     {.destination = "/data/x", .type = "bind", .source = "/host/x"},
                     {.destination = "/data", .type = "bind", .source = "/host/data"}};
  LinuxOf(out).devices.emplace();
  return out;
}

cdi::EditSet Set(const std::string& origin, cdi::ContainerEdits e) { return {origin, std::move(e)}; }

TEST(CdiApply, EnvReplacesOrAppends) {
  Inputs in = WithHost();
  in.cdi = {Set("CDI device v.com/c=a", {.env = {"GPU=0", "NEW=1"}})};
  Output out = Base();
  ASSERT_TRUE(ApplyCdi(in, out).ok());
  EXPECT_THAT(out.spec.process->env, ElementsAre("PATH=/bin", "GPU=0", "NEW=1"));
}

TEST(CdiApply, DeviceNodesFromTheHostNodeWithCgroupRules) {
  struct Case {
    cdi::DeviceNode node;
    std::string type;
    int64_t major, minor;
    uint32_t mode;
    std::string access;
  } cases[] = {
      {{.path = "/dev/null2", .host_path = "/dev/null"}, "c", 1, 3, 0666, "rwm"},
      {{.path = "/dev/null"}, "c", 1, 3, 0666, "rwm"},  // hostPath defaults to path
      {{.path = "/dev/disk", .host_path = "/dev/sda", .permissions = "r"}, "b", 8, 0, 0660, "r"},
      {{.path = "/dev/given", .type = "c", .major = 10, .minor = 200, .file_mode = 0600},
       "c", 10, 200, 0600, "rwm"},  // complete: the host is not asked
  };
  for (const Case& c : cases) {
    Inputs in = WithHost();
    in.cdi = {Set("CDI device v.com/c=a", {.device_nodes = {c.node}})};
    Output out = Base();
    ASSERT_TRUE(ApplyCdi(in, out).ok()) << c.node.path;
    ASSERT_EQ(out.spec.linux_spec->devices->size(), 1u);
    const oci::Device& d = out.spec.linux_spec->devices->at(0);
    EXPECT_EQ(d.path, c.node.path);
    EXPECT_EQ(d.type, c.type);
    EXPECT_EQ(d.major, c.major);
    EXPECT_EQ(d.minor, c.minor);
    EXPECT_EQ(d.file_mode, c.mode);
    EXPECT_EQ(d.uid, 1000u) << "owned by the container's user, as the reference does";
    ASSERT_EQ(out.spec.linux_spec->resources->devices.size(), 1u);
    const auto& rule = out.spec.linux_spec->resources->devices[0];
    EXPECT_TRUE(rule.allow);
    EXPECT_EQ(rule.type, c.type);
    EXPECT_EQ(rule.major, c.major);
    EXPECT_EQ(rule.access, c.access);
  }
}

TEST(CdiApply, DeviceNodeErrorsNameTheNodeAndDevice) {
  Inputs in = WithHost();
  in.cdi = {Set("CDI device v.com/c=a", {.device_nodes = {{.path = "/dev/gone"}}})};
  Output out = Base();
  EXPECT_THAT(ApplyCdi(in, out).message(),
              HasSubstr("CDI device v.com/c=a: device node /dev/gone: host node: stat device"));
  in.cdi = {Set("CDI device v.com/c=a",
                {.device_nodes = {{.path = "/dev/x", .host_path = "/dev/null", .type = "b"}}})};
  EXPECT_THAT(ApplyCdi(in, out).message(), HasSubstr("is of type c"));
}

TEST(CdiApply, MountsReplaceByDestinationAndSortParentsFirst) {
  Inputs in = WithHost();
  in.cdi = {Set("CDI device v.com/c=a",
                {.mounts = {{.host_path = "/lib/gpu", .container_path = "/data", .options = {"ro"}},
                            {.host_path = "/usr/lib/gpu", .container_path = "/usr/lib/gpu",
                             .type = "bind", .options = {"rbind"}}}})};
  Output out = Base();
  ASSERT_TRUE(ApplyCdi(in, out).ok());
  std::vector<std::string> dests;
  for (const auto& m : out.spec.mounts) dests.push_back(m.destination + "<-" + m.source);
  EXPECT_THAT(dests, ElementsAre("/proc<-", "/data<-/lib/gpu", "/data/x<-/host/x",
                                 "/usr/lib/gpu<-/usr/lib/gpu"));
  EXPECT_EQ(out.spec.mounts[1].type, "bind");  // no type: a bind mount
}

TEST(CdiApply, HooksAndGidsAreAppended) {
  Inputs in = WithHost();
  in.cdi = {Set("CDI spec file /cdi/a.json",
                {.hooks = {{.hook_name = "createContainer", .path = "/bin/ldconfig",
                            .args = {"ldconfig"}, .timeout = 5},
                           {.hook_name = "poststop", .path = "/bin/true"}},
                 .additional_gids = {0, 44, 44}}),
            Set("CDI device v.com/c=a", {.additional_gids = {45}})};
  Output out = Base();
  ASSERT_TRUE(ApplyCdi(in, out).ok());
  ASSERT_EQ(out.spec.hooks.create_container.size(), 1u);
  EXPECT_EQ(out.spec.hooks.create_container[0].timeout, 5);
  EXPECT_EQ(out.spec.hooks.poststop.size(), 1u);
  EXPECT_THAT(out.spec.process->user.additional_gids, ElementsAre(44u, 45u));
}

TEST(CdiApply, ConflictingEditsOfTwoDevicesAreRefused) {
  struct Case {
    cdi::ContainerEdits a, b;
    const char* what;
  } cases[] = {
      {{.env = {"X=1"}}, {.env = {"X=2"}}, "set env X differently"},
      {{.device_nodes = {{.path = "/dev/d", .host_path = "/dev/null"}}},
       {.device_nodes = {{.path = "/dev/d", .host_path = "/dev/sda"}}},
       "set device node /dev/d differently"},
      {{.mounts = {{.host_path = "/a", .container_path = "/m"}}},
       {.mounts = {{.host_path = "/b", .container_path = "/m"}}}, "set mount /m differently"},
  };
  for (const Case& c : cases) {
    Inputs in = WithHost();
    in.cdi = {Set("CDI device v.com/c=a", c.a), Set("CDI device v.com/c=b", c.b)};
    Output out = Base();
    absl::Status st = ApplyCdi(in, out);
    EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition) << c.what;
    EXPECT_THAT(st.message(), HasSubstr("CDI device v.com/c=a and CDI device v.com/c=b"));
    EXPECT_THAT(st.message(), HasSubstr(c.what));
  }
  // The same value twice is no conflict.
  Inputs in = WithHost();
  in.cdi = {Set("CDI device v.com/c=a", {.env = {"X=1"}}),
            Set("CDI device v.com/c=b", {.env = {"X=1"}})};
  Output out = Base();
  EXPECT_TRUE(ApplyCdi(in, out).ok());
}

TEST(CdiApply, EditsTheEngineCannotMakeAreRefused) {
  Inputs in = WithHost();
  in.cdi = {Set("CDI device v.com/c=a", {.has_intel_rdt = true})};
  Output out = Base();
  absl::Status st = ApplyCdi(in, out);
  EXPECT_EQ(st.code(), absl::StatusCode::kUnimplemented);
  EXPECT_THAT(st.message(), HasSubstr("CDI device v.com/c=a: intelRdt"));
}

}  // namespace
}  // namespace cricket::pod::spec
