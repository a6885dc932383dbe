// Pod cgroup parent → cgroup path for both drivers, and where the infra process goes.
#include "pod/cgroup_parent.h"

#include <gtest/gtest.h>

namespace cricket::pod {
namespace {

struct Case {
  std::string parent;
  bool systemd;
  std::string want;  // "" with ok=false: an InvalidArgument error
  bool ok = true;
};

TEST(CgroupParentTest, Table) {
  const Case cases[] = {
      {"", false, ""},
      {"", true, ""},
      {"/kubepods/besteffort/pod123", false, "/kubepods/besteffort/pod123"},
      {"/kubepods//burstable/./pod1/", false, "/kubepods/burstable/pod1"},
      {"/", false, "/"},
      {"kubepods.slice", true, "/kubepods.slice"},
      {"kubepods-besteffort.slice", true, "/kubepods.slice/kubepods-besteffort.slice"},
      {"kubepods-besteffort-pod0a1b_2c.slice", true,
       "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod0a1b_2c.slice"},
      {"kubepods-burstable-podx.slice", false,
       "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podx.slice"},
      {"-.slice", true, "/"},
      {"/kubepods/pod1", true, "", false},       // a path for the systemd driver
      {"kubepods", false, "", false},            // relative, not a slice
      {"/kubepods/../etc", false, "", false},    // climbs out
      {"kubepods--x.slice", true, "", false},    // systemd rejects empty parts
      {"-kubepods.slice", true, "", false},
  };
  for (const Case& c : cases) {
    auto got = PodCgroupParentPath(c.parent, c.systemd);
    if (!c.ok) {
      EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument) << c.parent;
      EXPECT_NE(got.status().message().find(c.parent), absl::string_view::npos) << got.status();
      continue;
    }
    ASSERT_TRUE(got.ok()) << c.parent << ": " << got.status();
    EXPECT_EQ(*got, c.want) << c.parent << " systemd=" << c.systemd;
  }
}

TEST(CgroupParentTest, InfraCgroupsPath) {
  EXPECT_EQ(*InfraCgroupsPath("", false, "abc"), "/cricket/abc");
  EXPECT_EQ(*InfraCgroupsPath("/kubepods/pod1", false, "abc"), "/kubepods/pod1/abc");
  EXPECT_EQ(*InfraCgroupsPath("/", false, "abc"), "/abc");
  EXPECT_EQ(*InfraCgroupsPath("kubepods-pod1.slice", true, "abc"), "kubepods-pod1.slice:cricket:abc");
  EXPECT_EQ(*InfraCgroupsPath("", true, "abc"), "system.slice:cricket:abc");
  EXPECT_FALSE(InfraCgroupsPath("/kubepods/pod1", true, "abc").ok());
  EXPECT_FALSE(InfraCgroupsPath("relative", false, "abc").ok());
}

}  // namespace
}  // namespace cricket::pod
