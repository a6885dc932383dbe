// End to end without a registry (as root): a busybox rootfs saved as a
// docker archive (dir and tarball) is imported, given to a container as an
// overlay rootfs that matches the source file by file, runs busybox under
// chroot, and is removed again leaving no mount, layer or blob.
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>

#include "gtest/gtest.h"
#include "image/digest.h"
#include "image/image_service.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/child_process.h"
#include "oci/sys/fs.h"
#include "oci/sys/status.h"
#include "oci/sys/temp_dir.h"
#include "tests/fixtures/leak_check.h"
#include "tests/fixtures/partners.h"
#include "tests/fixtures/rootfs_builder.h"

namespace cricket::image {
namespace {

struct Node {
  mode_t mode;
  off_t size;
  std::string link;
};

std::map<std::string, Node>* g_tree = nullptr;
size_t g_prefix = 0;

int Visit(const char* path, const struct stat* st, int, struct FTW*) {
  Node n{st->st_mode, S_ISREG(st->st_mode) ? st->st_size : 0, ""};
  if (S_ISLNK(st->st_mode)) {
    char buf[4096];
    ssize_t len = ::readlink(path, buf, sizeof buf);
    n.link.assign(buf, len > 0 ? static_cast<size_t>(len) : 0);
  }
  (*g_tree)[std::string(path).substr(g_prefix)] = n;
  return 0;
}

std::map<std::string, Node> Tree(const std::string& root) {
  std::map<std::string, Node> tree;
  g_tree = &tree;
  g_prefix = root.size();
  ::nftw(root.c_str(), Visit, 16, FTW_PHYS | FTW_MOUNT);
  return tree;
}

absl::StatusOr<std::string> RunTool(std::vector<std::string> argv) {
  sys::SpawnOptions o;
  o.argv = std::move(argv);
  ASSIGN_OR_RETURN(sys::CommandResult r, sys::RunCommand(o));
  if (!r.exit.exited() || r.exit.code() != 0) {
    return absl::InternalError(o.argv[0] + " failed: " + r.err);
  }
  return r.out;
}

// docker save layout around one layer made from `rootfs`.
void SaveDockerArchive(const std::string& rootfs, const std::string& out) {
  ASSERT_TRUE(sys::MkdirAll(out + "/layer0").ok());
  ASSERT_TRUE(RunTool({"tar", "-C", rootfs, "-cf", out + "/layer0/layer.tar", "."}).ok());
  auto layer = sys::ReadFile(out + "/layer0/layer.tar");
  ASSERT_TRUE(layer.ok());
  std::string cfg = R"({"os":"linux","architecture":"amd64","config":{"Cmd":["/bin/sh"],"Env":["PATH=/bin"]},)"
                    R"("rootfs":{"type":"layers","diff_ids":[")" +
                    Sha256String(*layer) + "\"]}}";
  ASSERT_TRUE(sys::WriteFileAtomic(out + "/config.json", cfg).ok());
  ASSERT_TRUE(sys::WriteFileAtomic(
                  out + "/manifest.json",
                  R"([{"Config":"config.json","RepoTags":["busybox:test"],"Layers":["layer0/layer.tar"]}])")
                  .ok());
}

TEST(SnapshotImportTest, ImportedBusyboxRunsAndMatchesItsSource) {
  CRICKET_REQUIRE_ROOT();
  CRICKET_REQUIRE_PROGRAM(tar, "tar");
  CRICKET_REQUIRE_PROGRAM(chroot, "chroot");
  auto tmp = sys::TempDir::Make("img-import-", "/var/tmp");
  ASSERT_TRUE(tmp.ok());
  testing::LeakCheck::Options lo;
  lo.only_matching = {tmp->path()};
  lo.iptables = false;
  testing::LeakCheck leaks(lo);
  absl::Status built = testing::BuildBusyboxRootfs(tmp->Sub("src"));
  if (!built.ok()) GTEST_SKIP() << built;
  SaveDockerArchive(tmp->Sub("src"), tmp->Sub("archive"));
  ASSERT_TRUE(RunTool({tar, "-C", tmp->Sub("archive"), "-cf", tmp->Sub("busybox.tar"), "."}).ok());

  conf::Config config;
  config.root_dir = tmp->Sub("root");
  config.state_dir = tmp->Sub("run");  // nothing of the host's defaults
  config.registries.certs_dir = tmp->Sub("certs.d");
  auto svc = ImageService::Open(config);
  ASSERT_TRUE(svc.ok()) << svc.status();
  auto id = (*svc)->Import(tmp->Sub("busybox.tar"));
  ASSERT_TRUE(id.ok()) << id.status();
  auto again = (*svc)->Import(tmp->Sub("archive"), "localhost/bb:2");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, *id);
  auto img = (*svc)->Status("busybox:test");
  ASSERT_TRUE(img.ok()) << img.status();
  EXPECT_EQ(img->record.repo_tags.size(), 2u);
  EXPECT_EQ(img->config.env, std::vector<std::string>{"PATH=/bin"});

  auto rootfs = (*svc)->PrepareRootfs("ctr-1", *id);
  ASSERT_TRUE(rootfs.ok()) << rootfs.status();
  auto src = Tree(tmp->Sub("src"));
  auto got = Tree(*rootfs);
  ASSERT_EQ(got.size(), src.size());
  for (const auto& [path, n] : src) {
    auto it = got.find(path);
    ASSERT_NE(it, got.end()) << path;
    EXPECT_EQ(it->second.mode, n.mode) << path;
    EXPECT_EQ(it->second.size, n.size) << path;
    EXPECT_EQ(it->second.link, n.link) << path;
  }
  auto out = RunTool({chroot, *rootfs, "/bin/sh", "-c", "echo hi > /tmp/x && cat /tmp/x && id -u"});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, "hi\n0\n");
  auto fs = (*svc)->FsInfo();
  ASSERT_TRUE(fs.ok());
  EXPECT_GT(fs->containers.bytes, 0);  // /tmp/x in the upper dir

  InUse in_use = {{*id, "ctr-1"}};
  EXPECT_EQ((*svc)->Remove(*id, in_use).code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE((*svc)->RemoveRootfs("ctr-1").ok());
  ASSERT_TRUE((*svc)->Remove(*id).ok());
  EXPECT_TRUE(sys::ListDir((*svc)->paths().layers())->empty());
  EXPECT_TRUE(sys::ListDir((*svc)->paths().blobs())->empty());
  EXPECT_TRUE(sys::ListDir((*svc)->paths().containers())->empty());
  leaks.ExpectNoLeaks();
}

}  // namespace
}  // namespace cricket::image
