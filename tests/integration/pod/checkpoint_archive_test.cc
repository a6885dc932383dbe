// The checkpoint archive's rootfs half on a real overlay mount (no CRIU
// needed): what the container added or changed lands in rootfs-diff.tar,
// what it deleted in deleted.files, the runtime's mount points in neither,
// and the whole staging dir is tarred with names relative to it.
#include <gtest/gtest.h>
#include <sys/mount.h>

#include <nlohmann/json.hpp>

#include "oci/sys/atomic_file.h"
#include "oci/sys/child_process.h"
#include "oci/sys/fs.h"
#include "oci/sys/scoped_mount.h"
#include "oci/sys/temp_dir.h"
#include "pod/checkpoint_archive.h"
#include "tests/fixtures/partners.h"

namespace cricket::pod {
namespace {

std::string TarList(const std::string& path) {
  sys::SpawnOptions so;
  so.argv = {"tar", "-tvf", path};
  auto r = sys::RunCommand(so);
  return r.ok() ? r->out : "";
}

TEST(CheckpointArchiveTest, RootfsDiffOfAnOverlayAndTheArchive) {
  CRICKET_REQUIRE_ROOT();
  auto dir = sys::TempDir::Make("cricket-ckpt-archive-");
  ASSERT_TRUE(dir.ok());
  for (const char* d : {"lower/etc", "lower/bin", "upper", "work", "merged", "stage"}) {
    ASSERT_TRUE(sys::MkdirAll(dir->Sub(d)).ok());
  }
  ASSERT_TRUE(sys::WriteFileAtomic(dir->Sub("lower/etc/motd"), "hi\n", 0644).ok());
  ASSERT_TRUE(sys::WriteFileAtomic(dir->Sub("lower/bin/tool"), "x", 0755).ok());
  std::string opts = "lowerdir=" + dir->Sub("lower") + ",upperdir=" + dir->Sub("upper") +
                     ",workdir=" + dir->Sub("work");
  auto merged = sys::ScopedMount::Make("overlay", dir->Sub("merged"), "overlay", 0, opts);
  ASSERT_TRUE(merged.ok()) << merged.status();
  const std::string m = dir->Sub("merged");
  // What a container does: adds, changes, deletes; the runtime's mount point.
  ASSERT_TRUE(sys::WriteFileAtomic(m + "/added", "new\n", 0644).ok());
  ASSERT_TRUE(sys::WriteFileAtomic(m + "/bin/tool", "changed", 0755).ok());
  ASSERT_EQ(::unlink((m + "/etc/motd").c_str()), 0);
  ASSERT_TRUE(sys::WriteFileAtomic(m + "/etc/hosts", "", 0644).ok());

  auto upper = OverlayUpperDir(m);
  ASSERT_TRUE(upper.ok()) << upper.status();
  EXPECT_EQ(*upper, dir->Sub("upper"));
  EXPECT_EQ(OverlayUpperDir(dir->Sub("lower")).status().code(),
            absl::StatusCode::kFailedPrecondition);

  const std::string stage = dir->Sub("stage");
  ASSERT_TRUE(WriteRootfsDiff(*upper, {"/etc/hosts"}, stage + "/rootfs-diff.tar",
                              stage + "/deleted.files")
                  .ok());
  std::string diff = TarList(stage + "/rootfs-diff.tar");
  EXPECT_NE(diff.find(" added\n"), std::string::npos) << diff;
  EXPECT_NE(diff.find(" bin/tool\n"), std::string::npos) << diff;
  EXPECT_EQ(diff.find("motd"), std::string::npos) << "a whiteout is no file:\n" << diff;
  EXPECT_EQ(diff.find("etc/hosts"), std::string::npos) << "mount points are left out:\n" << diff;
  auto deleted = sys::ReadFile(stage + "/deleted.files");
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(nlohmann::json::parse(*deleted), nlohmann::json({"/etc/motd"}));

  ASSERT_TRUE(sys::MkdirAll(stage + "/checkpoint").ok());
  ASSERT_TRUE(sys::WriteFileAtomic(stage + "/checkpoint/inventory.img", "img", 0600).ok());
  const std::string out = dir->Sub("out.tar");
  ASSERT_TRUE(TarDirectory(stage, out).ok());
  std::string names = TarList(out);
  for (const char* want : {" checkpoint/\n", " checkpoint/inventory.img\n", " deleted.files\n",
                           " rootfs-diff.tar\n"}) {
    EXPECT_NE(names.find(want), std::string::npos) << want << " not in:\n" << names;
  }
  EXPECT_FALSE(sys::PathExists(out + ".tmp"));
  // A location in a dir that does not exist: an error naming it, nothing left.
  absl::Status st = TarDirectory(stage, dir->Sub("none/out.tar"));
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("none/out.tar"), std::string::npos) << st;
}

}  // namespace
}  // namespace cricket::pod
