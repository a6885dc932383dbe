// oci::cgroup::DetectMode against this machine, cross-checked with /proc/mounts
// (the test asserts only what the mount table shows).
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "oci/cgroup/detect.h"
#include "oci/sys/temp_dir.h"

namespace cricket::oci::cgroup {
namespace {

// The file system type mounted at `target` (the last mount wins), or "".
std::string MountType(const std::string& target) {
  std::ifstream mounts("/proc/mounts");
  std::string line, type;
  while (std::getline(mounts, line)) {
    std::istringstream fields(line);
    std::string source, where, fstype;
    if (fields >> source >> where >> fstype && where == target) type = fstype;
  }
  return type;
}

TEST(CgroupDetect, MatchesTheMountTable) {
  const std::string root_type = MountType("/sys/fs/cgroup");
  if (root_type.empty()) GTEST_SKIP() << "nothing mounted at /sys/fs/cgroup";
  auto v = DetectMode("/sys/fs/cgroup");
  ASSERT_TRUE(v.ok()) << v.status();
  if (root_type == "cgroup2") {
    EXPECT_EQ(*v, CgroupMode::kV2);
  } else if (root_type == "tmpfs" && MountType("/sys/fs/cgroup/unified") == "cgroup2") {
    EXPECT_EQ(*v, CgroupMode::kHybrid);  // this build machine: v1 plus unified
  } else {
    EXPECT_EQ(*v, CgroupMode::kV1) << "root is " << root_type;
  }
  EXPECT_FALSE(ModeName(*v).empty());
}

TEST(CgroupDetect, RefusesADirThatIsNoCgroupMount) {
  auto dir = sys::TempDir::Make("cricket-cg-", "/var/tmp");  // not tmpfs, unlike /tmp may be
  ASSERT_TRUE(dir.ok()) << dir.status();
  if (MountType("/var/tmp") == "tmpfs" || MountType("/var") == "tmpfs" ||
      MountType("/") == "tmpfs") {
    GTEST_SKIP() << "/var/tmp is on tmpfs here";
  }
  auto v = DetectMode(dir->path());
  EXPECT_EQ(v.status().code(), absl::StatusCode::kFailedPrecondition) << v.status();
}

TEST(CgroupDetect, MissingRootIsNotFound) {
  auto v = DetectMode("/nonexistent/cgroup/root");
  EXPECT_EQ(v.status().code(), absl::StatusCode::kNotFound) << v.status();
}

TEST(CgroupDetect, NamesAsTheConfigDoes) {
  EXPECT_EQ(ModeName(CgroupMode::kV1), "v1");
  EXPECT_EQ(ModeName(CgroupMode::kHybrid), "hybrid");
  EXPECT_EQ(ModeName(CgroupMode::kV2), "v2");
}

}  // namespace
}  // namespace cricket::oci::cgroup
