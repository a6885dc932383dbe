// The checker behind the pull e2e tests, checked itself (no root, no
// daemon): a container tree made to match the layered test image passes,
// and each way an unpacker could get it wrong is reported with the path.
#include <sys/stat.h>

#include <functional>

#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "image/digest.h"
#include "tests/e2e/pull/pull_e2e_helpers.h"
#include "tests/fixtures/expected_tree.h"
#include "tests/fixtures/image_builder.h"
#include "tests/fixtures/partners.h"

namespace cricket::testing {
namespace {

// What a correct unpack shows: one inode per hard-link group, with the
// group's size as its link count; the runtime's usual mounts on top.
ContainerTree Perfect(const TestImageSpec& spec) {
  const auto tree = ExpectedTree(spec);
  std::map<std::string, uint64_t> links, inodes;
  for (const auto& [path, e] : tree) links[InodeOwner(tree, e).path]++;
  ContainerTree seen;
  seen.mounts = {"/", "/proc", "/dev", "/sys", "/etc/hostname", "/etc/hosts"};
  for (const auto& [path, e] : tree) {
    const LayerEntry& src = InodeOwner(tree, e);
    SeenEntry s;
    s.uid = static_cast<uid_t>(src.uid);
    s.gid = static_cast<gid_t>(src.gid);
    if (e.type == LayerEntry::kDir) {
      s.mode = S_IFDIR | static_cast<mode_t>(src.mode);
    } else if (e.type == LayerEntry::kSymlink) {
      s.mode = S_IFLNK | 0777;
      s.link = e.link;
    } else {
      s.mode = S_IFREG | static_cast<mode_t>(src.mode);
      s.size = static_cast<int64_t>(src.content.size());
      s.sha256 = image::Sha256String(src.content);
      s.inode = inodes.emplace(src.path, inodes.size() + 1).first->second;
      s.nlink = links[src.path];
    }
    seen.entries[path] = s;
  }
  return seen;
}

struct Mutation {
  const char* name;
  std::function<void(ContainerTree&)> apply;
  const char* reported;  // a problem line must contain this
};

const Mutation kMutations[] = {
    {"setuid bit lost", [](ContainerTree& t) { t.entries["bin/setuid-tool"].mode &= ~04000; },
     "bin/setuid-tool: mode 0755, want 4755"},
    {"owner lost", [](ContainerTree& t) { t.entries["data/opaque/new"].uid = 0; },
     "data/opaque/new: owner 0:2000, want 2000:2000"},
    {"content differs",
     [](ContainerTree& t) { t.entries["etc/motd"].sha256 = image::Sha256String("x"); },
     "etc/motd: content"},
    {"size differs", [](ContainerTree& t) { t.entries["etc/motd"].size = 1; }, "etc/motd: size 1"},
    {"symlink retargeted", [](ContainerTree& t) { t.entries["data/rel-link"].link = "gone"; },
     "data/rel-link: symlink to \"gone\""},
    {"type differs", [](ContainerTree& t) { t.entries["data/keep"].mode = S_IFLNK | 0777; },
     "data/keep: type"},
    {"hard link split", [](ContainerTree& t) { t.entries["data/hardlink"].inode = 99999; },
     "not a hard link of data/original"},
    {"two files share an inode",
     [](ContainerTree& t) { t.entries["data/keep"].inode = t.entries["etc/motd"].inode; },
     "shares its inode"},
    {"link count off", [](ContainerTree& t) { t.entries["data/keep"].nlink = 2; },
     "data/keep: 2 links, want 1"},
    {"whiteout ignored", [](ContainerTree& t) { t.entries["data/gone"] = t.entries["data/keep"]; },
     "data/gone: not in any layer"},
    {"opaque dir ignored",
     [](ContainerTree& t) { t.entries["data/opaque/old"] = t.entries["data/keep"]; },
     "data/opaque/old: not in any layer"},
    {"whiteout file kept",
     [](ContainerTree& t) { t.entries["data/.wh.gone"] = t.entries["data/keep"]; },
     "data/.wh.gone: not in any layer"},
    {"file missing", [](ContainerTree& t) { t.entries.erase("data/original"); },
     "data/original: missing"},
    {"image path under a foreign mount", [](ContainerTree& t) { t.mounts.push_back("/data"); },
     "data/keep: hidden by a mount"},
};

class TreeCompareTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CRICKET_REQUIRE_PROGRAM(busybox, "busybox");  // the image's bottom layer
    auto spec = LayeredImage();
    ASSERT_TRUE(spec.ok()) << spec.status();
    spec_ = *std::move(spec);
  }
  TestImageSpec spec_;
};

TEST_F(TreeCompareTest, ACorrectUnpackPassesWithOnlyRuntimeMountsMasked) {
  ContainerTree seen = Perfect(spec_);
  // What the runtime mounts there is not the image's business.
  seen.entries["proc/1"] = seen.entries["etc/motd"];
  TreeComparison cmp = CompareTree(spec_, seen);
  EXPECT_TRUE(cmp.problems.empty()) << absl::StrJoin(cmp.problems, "\n");
  EXPECT_EQ(cmp.masked, (std::vector<std::string>{"dev", "etc/hostname", "proc", "sys"}));
  EXPECT_EQ(cmp.compared + cmp.masked.size(), ExpectedTree(spec_).size());
}

TEST_F(TreeCompareTest, EveryKindOfDifferenceIsReportedWithItsPath) {
  for (const Mutation& m : kMutations) {
    ContainerTree seen = Perfect(spec_);
    m.apply(seen);
    TreeComparison cmp = CompareTree(spec_, seen);
    std::string all = absl::StrJoin(cmp.problems, "\n");
    EXPECT_NE(all.find(m.reported), std::string::npos)
        << m.name << ": want \"" << m.reported << "\" in:\n"
        << all;
  }
}

}  // namespace
}  // namespace cricket::testing
