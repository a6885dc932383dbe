// Layer unpack against crafted archives: one table of hostile entries (each
// refused with the entry named, or confined inside the layer) and a good
// archive with every entry kind, checked file by file, in each compression.
#include "image/unpack.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include "gtest/gtest.h"
#include "image/digest.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"
#include "oci/sys/unique_fd.h"
#include "tests/fixtures/layer_tar.h"

namespace cricket::image {
namespace {

using testing::Dir;
using testing::File;
using testing::Hardlink;
using testing::MakeTar;
using testing::Symlink;
using testing::TarCompression;
using testing::TarEntry;

bool IsRoot() { return ::geteuid() == 0; }

// Writes the tar to a file and unpacks it into <base>/layer.
absl::Status Unpack(const sys::TempDir& base, const std::string& tar, const UnpackOptions& o) {
  std::string tar_path = base.Sub("layer.tar");
  if (auto st = sys::WriteFileAtomic(tar_path, tar); !st.ok()) return st;
  if (auto st = sys::MkdirAll(base.Sub("layer")); !st.ok()) return st;
  sys::UniqueFd fd(::open(tar_path.c_str(), O_RDONLY | O_CLOEXEC));
  return UnpackTar(fd.get(), base.Sub("layer"), o).status();
}

std::string Read(const std::string& p) { return sys::ReadFile(p).value_or("<missing>"); }

TarEntry Device(std::string name, TarEntry::Kind kind, unsigned major, unsigned minor) {
  TarEntry e;
  e.kind = kind;
  e.name = std::move(name);
  e.major = major;
  e.minor = minor;
  e.mode = 0666;
  return e;
}

enum class Expect { kRefused, kOk, kEither };

struct HostileCase {
  std::string what;
  std::vector<TarEntry> entries;
  Expect expect;
  std::string named;  // substring of the error (the entry's name)
  bool allow_devices = true;
};

TEST(UnpackTest, HostileArchives) {
  const std::vector<HostileCase> cases = {
      {"dotdot", {File("../x", "pwned")}, Expect::kRefused, "\"../x\""},
      // Absolute names are inside the layer (AbsoluteAndDotNamesLandInsideTheLayer).
      {"absolute", {File("/etc/passwd", "pwned")}, Expect::kOk, ""},
      {"absolute climbing", {File("/../x", "pwned")}, Expect::kRefused, "\"/../x\""},
      {"dot-slash climbing", {File("./../x", "pwned")}, Expect::kRefused, "\"./../x\""},
      {"climb in the middle", {File("a/../../x", "pwned")}, Expect::kRefused, "a/../../x"},
      {"absolute climb in the middle", {File("/a/../../etc/x", "pwned")}, Expect::kRefused,
       "\"/a/../../etc/x\""},
      {"symlink to /etc then write through it",
       {Dir("etc"), Symlink("evil", "/etc"), File("evil/passwd", "inside")}, Expect::kOk, ""},
      {"relative symlink climbing out then write through it",
       {Symlink("up", "../../../.."), File("up/outside/x", "pwned")}, Expect::kEither, ""},
      {"hard link out", {Hardlink("x", "../../etc/passwd")}, Expect::kRefused, "../../etc/passwd"},
      {"hard link to absolute name stays inside",
       {File("etc/passwd", "mine"), Hardlink("x", "/etc/passwd")}, Expect::kOk, ""},
      {"hard link to a missing host file", {Hardlink("x", "/etc/hostname")}, Expect::kRefused,
       "\"x\""},
      {"hard link out through an absolute name", {Hardlink("/x", "/../etc/passwd")},
       Expect::kRefused, "/../etc/passwd"},
      {"hard link to the root", {Hardlink("x", "/")}, Expect::kRefused, "layer root"},
      {"absolute whiteout of ..", {File("/.wh..", "")}, Expect::kRefused, "/.wh.."},
      {"absolute whiteout climbing", {File("/../.wh.x", "")}, Expect::kRefused, "/../.wh.x"},
      {"whiteout of ..", {File(".wh..", "")}, Expect::kRefused, ".wh.."},
      {"whiteout of .. in a dir", {Dir("a"), File("a/.wh..", "")}, Expect::kRefused, "a/.wh.."},
      {"whiteout climbing", {File("../.wh.x", "")}, Expect::kRefused, "../.wh.x"},
      {"device under no-devices policy", {Device("dev/null", TarEntry::kChar, 1, 3)},
       Expect::kRefused, "dev/null", /*allow_devices=*/false},
      {"block device under no-devices policy", {Device("sda", TarEntry::kBlock, 8, 0)},
       Expect::kRefused, "sda", false},
      {"hard link to a directory", {Dir("d"), Hardlink("x", "d")}, Expect::kRefused, "\"x\""},
      // The unpacker keeps the entries' parent dirs open; replacing one must
      // not leave a stale handle that writes bypass.
      {"open dir replaced by a symlink out, then written through",
       {Dir("d"), File("d/f", "x"), Symlink("d", "../../../../.."), File("d/x", "pwned")},
       Expect::kEither, ""},
      {"open dir replaced by an absolute symlink, then written through",
       {Dir("d"), Dir("d/e"), File("d/e/f", "x"), Symlink("d", "/"), File("d/e/g", "inside")},
       Expect::kOk, ""},
  };
  struct stat etc_before;
  ASSERT_EQ(::stat("/etc/passwd", &etc_before), 0);
  std::string passwd_before = Read("/etc/passwd");
  for (const HostileCase& c : cases) {
    SCOPED_TRACE(c.what);
    auto base = sys::TempDir::Make("unpack-hostile-", "/var/tmp");
    ASSERT_TRUE(base.ok());
    // A sentinel next to the layer: nothing may appear or change here.
    ASSERT_TRUE(sys::WriteFileAtomic(base->Sub("outside"), "sentinel").ok());
    auto tar = MakeTar(c.entries);
    ASSERT_TRUE(tar.ok()) << tar.status();
    UnpackOptions o;
    o.allow_devices = c.allow_devices;
    o.chown = false;
    absl::Status st = Unpack(*base, *tar, o);
    if (c.expect == Expect::kRefused) {
      ASSERT_FALSE(st.ok());
      EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << st;
      EXPECT_NE(std::string(st.message()).find(c.named), std::string::npos) << st;
    } else if (c.expect == Expect::kOk) {
      EXPECT_TRUE(st.ok()) << st;
    }
    auto names = sys::ListDir(base->path());
    ASSERT_TRUE(names.ok());
    std::sort(names->begin(), names->end());
    EXPECT_EQ(*names, (std::vector<std::string>{"layer", "layer.tar", "outside"}));
    EXPECT_EQ(Read(base->Sub("outside")), "sentinel");
  }
  struct stat etc_after;
  ASSERT_EQ(::stat("/etc/passwd", &etc_after), 0);
  EXPECT_EQ(etc_after.st_mtim.tv_sec, etc_before.st_mtim.tv_sec);
  EXPECT_EQ(Read("/etc/passwd"), passwd_before);
}

TEST(UnpackTest, OpenDirReplacedBySymlinkIsFollowedInsideTheLayer) {
  auto base = sys::TempDir::Make("unpack-chain-", "/var/tmp");
  ASSERT_TRUE(base.ok());
  auto tar = MakeTar({Dir("d"), Dir("d/e"), File("d/e/f", "old"), Dir("real"),
                      Symlink("d", "/real"), File("d/e/g", "new")});
  UnpackOptions o;
  o.chown = false;
  ASSERT_TRUE(Unpack(*base, *tar, o).ok());
  EXPECT_EQ(Read(base->Sub("layer/real/e/g")), "new");
  EXPECT_FALSE(sys::PathExists(base->Sub("layer/d/e/f")));  // d is the symlink now
}

TEST(UnpackTest, WriteThroughAbsoluteSymlinkLandsInside) {
  auto base = sys::TempDir::Make("unpack-symlink-", "/var/tmp");
  ASSERT_TRUE(base.ok());
  auto tar = MakeTar({Dir("etc"), Symlink("evil", "/etc"), File("evil/passwd", "inside")});
  UnpackOptions o;
  o.chown = false;
  ASSERT_TRUE(Unpack(*base, *tar, o).ok());
  EXPECT_EQ(Read(base->Sub("layer/etc/passwd")), "inside");
  char target[64] = {};
  ASSERT_GT(::readlink(base->Sub("layer/evil").c_str(), target, sizeof target - 1), 0);
  EXPECT_STREQ(target, "/etc");  // absolute symlinks are kept as they are
}

std::vector<TarEntry> GoodEntries() {
  std::vector<TarEntry> v = {Dir("./"), Dir("bin", 0755), File("bin/tool", "#!/bin/sh\n", 0755),
                             File("bin/suid", "s", 04755), Dir("etc", 0750),
                             File("etc/config", "a=b\n", 0640), Symlink("abs", "/bin/tool"),
                             Symlink("etc/rel", "../bin/tool"), Hardlink("bin/tool2", "bin/tool"),
                             Dir("empty", 01777)};
  TarEntry fifo;
  fifo.kind = TarEntry::kFifo;
  fifo.name = "run/fifo";
  fifo.mode = 0600;
  v.push_back(fifo);
  v[2].mtime = 1500000000;
  v[4].mtime = 1400000000;  // etc/, whose children come after it
  v[5].uid = 1000;
  v[5].gid = 2000;
  v[5].xattrs["user.cricket"] = "yes";
  v.push_back(Device("dev/null", TarEntry::kChar, 1, 3));
  return v;
}

void CheckGood(const std::string& root, bool as_root) {
  struct stat st;
  ASSERT_EQ(::lstat((root + "/bin/tool").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0755u);
  EXPECT_EQ(st.st_mtim.tv_sec, 1500000000);
  EXPECT_EQ(st.st_nlink, 2u);  // bin/tool2 is a hard link
  EXPECT_EQ(Read(root + "/bin/tool2"), "#!/bin/sh\n");
  ASSERT_EQ(::lstat((root + "/bin/suid").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 04755u);
  ASSERT_EQ(::lstat((root + "/etc").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0750u);
  EXPECT_EQ(st.st_mtim.tv_sec, 1400000000);  // fixed after its children
  ASSERT_EQ(::lstat((root + "/etc/config").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_EQ(Read(root + "/etc/config"), "a=b\n");
  char buf[16] = {};
  EXPECT_EQ(::lgetxattr((root + "/etc/config").c_str(), "user.cricket", buf, sizeof buf), 3);
  EXPECT_STREQ(buf, "yes");
  char target[64] = {};
  ASSERT_GT(::readlink((root + "/abs").c_str(), target, sizeof target - 1), 0);
  EXPECT_STREQ(target, "/bin/tool");
  ASSERT_GT(::readlink((root + "/etc/rel").c_str(), target, sizeof target - 1), 0);
  EXPECT_STREQ(target, "../bin/tool");
  ASSERT_EQ(::lstat((root + "/empty").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 01777u);
  ASSERT_EQ(::lstat((root + "/run/fifo").c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  if (as_root) {
    ASSERT_EQ(::lstat((root + "/etc/config").c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, 1000u);
    EXPECT_EQ(st.st_gid, 2000u);
    ASSERT_EQ(::lstat((root + "/dev/null").c_str(), &st), 0);
    EXPECT_TRUE(S_ISCHR(st.st_mode));
    EXPECT_EQ(st.st_rdev, makedev(1, 3));
  }
}

TEST(UnpackTest, GoodArchiveInEveryCompression) {
  for (TarCompression c : {TarCompression::kNone, TarCompression::kGzip, TarCompression::kZstd}) {
    SCOPED_TRACE(static_cast<int>(c));
    auto base = sys::TempDir::Make("unpack-good-", "/var/tmp");
    ASSERT_TRUE(base.ok());
    std::vector<TarEntry> entries = GoodEntries();
    if (!IsRoot()) entries.pop_back();  // mknod of a device needs root
    auto tar = MakeTar(entries, c);
    ASSERT_TRUE(tar.ok()) << tar.status();
    absl::Status st = Unpack(*base, *tar, UnpackOptions());
    ASSERT_TRUE(st.ok()) << st;
    CheckGood(base->Sub("layer"), IsRoot());
    // The diff_id is the digest of the uncompressed stream, whatever the compression.
    ASSERT_TRUE(sys::MkdirAll(base->Sub("again")).ok());
    sys::UniqueFd fd(::open(base->Sub("layer.tar").c_str(), O_RDONLY | O_CLOEXEC));
    auto diff = UnpackTar(fd.get(), base->Sub("again"), UnpackOptions());
    ASSERT_TRUE(diff.ok()) << diff.status();
    EXPECT_EQ(*diff, Sha256String(*MakeTar(entries)));
  }
}

TEST(UnpackTest, Whiteouts) {
  if (!IsRoot()) GTEST_SKIP() << "overlay whiteouts (mknod 0/0, trusted.* xattrs) need root";
  auto base = sys::TempDir::Make("unpack-wh-", "/var/tmp");
  ASSERT_TRUE(base.ok());
  auto tar = MakeTar({Dir("a"), File("a/.wh.gone", ""), Dir("o"), File("o/.wh..wh..opq", ""),
                      File("o/kept", "k")});
  ASSERT_TRUE(Unpack(*base, *tar, UnpackOptions()).ok());
  struct stat st;
  ASSERT_EQ(::lstat(base->Sub("layer/a/gone").c_str(), &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
  EXPECT_EQ(st.st_rdev, makedev(0, 0));
  EXPECT_FALSE(sys::PathExists(base->Sub("layer/a/.wh.gone")));
  char v[4] = {};
  EXPECT_EQ(::getxattr(base->Sub("layer/o").c_str(), "trusted.overlay.opaque", v, sizeof v), 1);
  EXPECT_EQ(v[0], 'y');
  EXPECT_FALSE(sys::PathExists(base->Sub("layer/o/.wh..wh..opq")));
  EXPECT_EQ(Read(base->Sub("layer/o/kept")), "k");
}

TEST(UnpackTest, ForgedOverlayXattrsAreDropped) {
  if (!IsRoot()) GTEST_SKIP() << "trusted.* xattrs need root";
  auto base = sys::TempDir::Make("unpack-xattr-", "/var/tmp");
  ASSERT_TRUE(base.ok());
  TarEntry d = Dir("d");
  d.xattrs["trusted.overlay.redirect"] = "/elsewhere";
  ASSERT_TRUE(Unpack(*base, *MakeTar({d}), UnpackOptions()).ok());
  char v[32];
  EXPECT_LT(::getxattr(base->Sub("layer/d").c_str(), "trusted.overlay.redirect", v, sizeof v), 0);
}

TEST(UnpackTest, LaterEntriesReplaceEarlierOnes) {
  auto base = sys::TempDir::Make("unpack-replace-", "/var/tmp");
  ASSERT_TRUE(base.ok());
  UnpackOptions o;
  o.chown = false;
  // Also below the root, where the parent is one of the dirs the unpacker
  // keeps open while it replaces the child.
  auto tar = MakeTar({File("x", "one"), File("x", "two"), Dir("d"), File("d/f", "f"),
                      Dir("p"), File("p/y", "one"), File("p/y", "two"), Dir("p/q"),
                      Symlink("p/q", "y"), File("p/z", "z"), Symlink("d", "x")});
  ASSERT_TRUE(Unpack(*base, *tar, o).ok());
  EXPECT_EQ(Read(base->Sub("layer/x")), "two");
  EXPECT_EQ(Read(base->Sub("layer/p/y")), "two");
  EXPECT_EQ(Read(base->Sub("layer/p/q")), "two");  // a symlink to y now
  EXPECT_EQ(Read(base->Sub("layer/p/z")), "z");
  struct stat st;
  ASSERT_EQ(::lstat(base->Sub("layer/d").c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode));
}

TEST(UnpackTest, CorruptAndForeignInput) {
  auto base = sys::TempDir::Make("unpack-bad-", "/var/tmp");
  ASSERT_TRUE(base.ok());
  auto tar = MakeTar({File("a", std::string(100000, 'x'))}, TarCompression::kGzip);
  std::string truncated = tar->substr(0, tar->size() / 2);
  absl::Status cut = Unpack(*base, truncated, UnpackOptions());
  EXPECT_EQ(cut.code(), absl::StatusCode::kDataLoss) << cut;
  absl::Status st = Unpack(*base, "this is not a tar archive at all, just some text", UnpackOptions());
  EXPECT_FALSE(st.ok());
}

// umoci writes "/" for the root and Python's tarfile or GNU tar -P write
// "/etc/x" or "./etc/x": all are paths inside the layer, as for containerd.
TEST(UnpackTest, AbsoluteAndDotNamesLandInsideTheLayer) {
  auto base = sys::TempDir::Make("unpack-abs-", "/var/tmp");
  ASSERT_TRUE(base.ok());
  ASSERT_TRUE(sys::WriteFileAtomic(base->Sub("outside"), "sentinel").ok());
  std::string passwd_before = Read("/etc/passwd");
  TarEntry root = Dir("/", 0751);
  root.mtime = 1300000000;
  auto tar = MakeTar({root, Dir("/bin", 0711), File("/bin/tool", "tool", 0755),
                      Symlink("/bin/sh", "tool"), Hardlink("/bin/tool2", "/bin/tool"),
                      Hardlink("./bin/tool3", "bin/tool"), Dir("./etc/"),
                      File("/etc/passwd", "mine"), File("./etc/old", "old"),
                      File("/etc/.wh.old", ""), File("./etc/.wh.gone", "")});
  ASSERT_TRUE(tar.ok()) << tar.status();
  UnpackOptions o;
  o.chown = false;
  absl::Status st = Unpack(*base, *tar, o);
  ASSERT_TRUE(st.ok()) << st;
  const std::string layer = base->Sub("layer");
  struct stat s;
  ASSERT_EQ(::stat(layer.c_str(), &s), 0);
  EXPECT_EQ(s.st_mode & 07777, 0751u);  // the root entry's metadata is the layer root's
  EXPECT_EQ(s.st_mtim.tv_sec, 1300000000);
  ASSERT_EQ(::stat((layer + "/bin").c_str(), &s), 0);
  EXPECT_EQ(s.st_mode & 07777, 0711u);
  EXPECT_EQ(Read(layer + "/bin/tool"), "tool");
  EXPECT_EQ(Read(layer + "/bin/sh"), "tool");
  ASSERT_EQ(::stat((layer + "/bin/tool").c_str(), &s), 0);
  EXPECT_EQ(s.st_nlink, 3u);  // tool2 and tool3 are hard links to it
  EXPECT_EQ(Read(layer + "/etc/passwd"), "mine");
  if (IsRoot()) {  // whiteouts are 0/0 devices (mknod needs root)
    ASSERT_EQ(::lstat((layer + "/etc/old").c_str(), &s), 0);
    EXPECT_TRUE(S_ISCHR(s.st_mode));
    ASSERT_EQ(::lstat((layer + "/etc/gone").c_str(), &s), 0);
    EXPECT_TRUE(S_ISCHR(s.st_mode));
  }
  EXPECT_FALSE(sys::PathExists(layer + "/etc/.wh.old"));
  auto names = sys::ListDir(base->path());
  ASSERT_TRUE(names.ok());
  std::sort(names->begin(), names->end());
  EXPECT_EQ(*names, (std::vector<std::string>{"layer", "layer.tar", "outside"}));
  EXPECT_EQ(Read(base->Sub("outside")), "sentinel");
  EXPECT_EQ(Read("/etc/passwd"), passwd_before);
}

TEST(UnpackTest, RootEntryThatIsNotADirectoryIsSkipped) {
  auto base = sys::TempDir::Make("unpack-rootlink-", "/var/tmp");
  ASSERT_TRUE(base.ok());
  UnpackOptions o;
  o.chown = false;
  absl::Status st = Unpack(*base, *MakeTar({Symlink("/", "/etc"), File("/x", "x")}), o);
  ASSERT_TRUE(st.ok()) << st;
  struct stat s;
  ASSERT_EQ(::lstat(base->Sub("layer").c_str(), &s), 0);
  EXPECT_TRUE(S_ISDIR(s.st_mode));
  EXPECT_EQ(Read(base->Sub("layer/x")), "x");
}

// umoci 0.4 ends its layers right after the last file's data: no padding to
// the 512-byte block, no end-of-archive blocks. Go's tar reader takes that
// as the end; a stream cut inside the data is still corrupt.
TEST(UnpackTest, StreamEndingAfterTheLastFilesDataEndsTheLayer) {
  auto tar = MakeTar({Dir("d"), File("d/a", "first"), File("d/b", "hello", 0640)});
  ASSERT_TRUE(tar.ok());
  // The last data block holds 5 bytes and 507 of padding; then 2 zero blocks.
  ASSERT_EQ(tar->size() % 512, 0u);
  std::string cut = tar->substr(0, tar->size() - 1024 - 507);
  auto base = sys::TempDir::Make("unpack-cut-", "/var/tmp");
  ASSERT_TRUE(base.ok());
  UnpackOptions o;
  o.chown = false;
  std::string tar_path = base->Sub("cut.tar");
  ASSERT_TRUE(sys::WriteFileAtomic(tar_path, cut).ok());
  ASSERT_TRUE(sys::MkdirAll(base->Sub("layer")).ok());
  sys::UniqueFd fd(::open(tar_path.c_str(), O_RDONLY | O_CLOEXEC));
  auto diff = UnpackTar(fd.get(), base->Sub("layer"), o);
  ASSERT_TRUE(diff.ok()) << diff.status();
  EXPECT_EQ(*diff, Sha256String(cut));
  EXPECT_EQ(Read(base->Sub("layer/d/a")), "first");
  EXPECT_EQ(Read(base->Sub("layer/d/b")), "hello");
  struct stat s;
  ASSERT_EQ(::stat(base->Sub("layer/d/b").c_str(), &s), 0);
  EXPECT_EQ(s.st_mode & 07777, 0640u);  // its metadata was set too

  auto short_base = sys::TempDir::Make("unpack-short-", "/var/tmp");
  ASSERT_TRUE(short_base.ok());
  absl::Status st = Unpack(*short_base, cut.substr(0, cut.size() - 2), o);
  EXPECT_EQ(st.code(), absl::StatusCode::kDataLoss) << st;
  EXPECT_NE(std::string(st.message()).find("d/b"), std::string::npos) << st;
}

TEST(UnpackTest, XattrsTheFilesystemRefusesAreSkipped) {
  if (!IsRoot()) GTEST_SKIP() << "the EPERM cases differ without root";
  auto base = sys::TempDir::Make("unpack-xattr-skip-", "/var/tmp");
  ASSERT_TRUE(base.ok());
  // Linux allows no user.* xattr on a symlink or fifo (EPERM even for root);
  // containerd leaves out what the filesystem refuses.
  TarEntry link = Symlink("link", "target");
  link.xattrs["user.origin"] = "a";
  TarEntry fifo;
  fifo.kind = TarEntry::kFifo;
  fifo.name = "fifo";
  fifo.xattrs["user.origin"] = "b";
  TarEntry file = File("file", "f");
  file.xattrs["user.kept"] = "yes";
  absl::Status st = Unpack(*base, *MakeTar({link, fifo, file}), UnpackOptions());
  ASSERT_TRUE(st.ok()) << st;
  struct stat s;
  ASSERT_EQ(::lstat(base->Sub("layer/link").c_str(), &s), 0);
  EXPECT_TRUE(S_ISLNK(s.st_mode));
  ASSERT_EQ(::lstat(base->Sub("layer/fifo").c_str(), &s), 0);
  EXPECT_TRUE(S_ISFIFO(s.st_mode));
  char v[8] = {};
  EXPECT_EQ(::getxattr(base->Sub("layer/file").c_str(), "user.kept", v, sizeof v), 3);
}

TEST(UnpackTest, CleanEntryName) {
  EXPECT_EQ(*CleanEntryName("./a//b/./c/"), "a/b/c");
  EXPECT_EQ(*CleanEntryName("a/b/../c"), "a/c");
  EXPECT_EQ(*CleanEntryName("./"), "");
  EXPECT_EQ(*CleanEntryName("."), "");
  EXPECT_EQ(*CleanEntryName("/"), "");
  EXPECT_EQ(*CleanEntryName("//"), "");
  EXPECT_EQ(*CleanEntryName("/etc/passwd"), "etc/passwd");
  EXPECT_EQ(*CleanEntryName("/bin/"), "bin");
  EXPECT_EQ(*CleanEntryName("/a/../b"), "b");
  EXPECT_FALSE(CleanEntryName("a/../..").ok());
  EXPECT_FALSE(CleanEntryName("/../x").ok());
  EXPECT_FALSE(CleanEntryName("./../x").ok());
  EXPECT_FALSE(CleanEntryName("..").ok());
}

}  // namespace
}  // namespace cricket::image
