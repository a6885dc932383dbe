// Layer unpack against tars that real tools write, in every format they
// offer: GNU tar (gnu, oldgnu, posix with each sparse version, xattrs),
// Python's tarfile (pax with a global header and unknown keys, gnu) and
// Docker's old aufs metadata. containerd and CRI-O unpack all of them; each
// must unpack here with the tree checked file by file.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>

#include "gtest/gtest.h"
#include "image/unpack.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/status.h"
#include "oci/sys/temp_dir.h"
#include "oci/sys/unique_fd.h"
#include "tests/fixtures/partners.h"
#include "tests/fixtures/registry_fixture.h"

namespace cricket::image {
namespace {

using testing::RunChecked;

const std::string kLongDir(150, 'd');
const std::string kLongFile(200, 'f');
const std::string kLongTarget(220, 't');

// The tree every tool archives: a sparse file (4 MiB hole, data, 4 MiB
// hole), a path over 255 bytes, a hard link to it, a long symlink target,
// a user xattr.
constexpr char kMakeTree[] = R"(import os, sys
root, long_dir, long_file, target = sys.argv[1:]
os.makedirs(os.path.join(root, long_dir))
with open(os.path.join(root, "sparse"), "wb") as f:
    f.truncate(8 << 20)
    f.seek(4 << 20)
    f.write(b"in the middle")
with open(os.path.join(root, long_dir, long_file), "w") as f:
    f.write("long")
os.link(os.path.join(root, long_dir, long_file), os.path.join(root, "link"))
os.symlink(target, os.path.join(root, "symlink"))
with open(os.path.join(root, "noted"), "w") as f:
    f.write("noted")
os.setxattr(os.path.join(root, "noted"), "user.note", b"hi")
)";

// Python's tarfile: argv[3] format, a global pax header and keys no
// unpacker knows, xattrs as SCHILY.xattr.
constexpr char kPythonTar[] = R"(import os, sys, tarfile
root, out, fmt = sys.argv[1:]
kw = {"format": tarfile.PAX_FORMAT, "pax_headers": {"comment": "global"}} if fmt == "pax" else {"format": tarfile.GNU_FORMAT}
with tarfile.open(out, "w", **kw) as tar:
    def filt(ti):
        if fmt == "pax":
            ti.pax_headers["LIBARCHIVE.creationtime"] = "1"
            ti.pax_headers["com.example.unknown"] = "x"
            if ti.name.endswith("noted"):
                ti.pax_headers["SCHILY.xattr.user.note"] = "hi"
        return ti
    tar.add(root, arcname=".", filter=filt)
)";

// Docker on aufs left its metadata in layers: ".wh..wh.aufs", ".wh..wh.orph/"
// and ".wh..wh.plnk/" holding hard-link targets. containerd applies none of
// these entries (they are no whiteouts) but keeps the files under them, which
// hard links elsewhere may name.
constexpr char kAufsTar[] = R"(import io, sys, tarfile
out = sys.argv[1]
with tarfile.open(out, "w", format=tarfile.GNU_FORMAT) as tar:
    def add(name, kind, data=b""):
        ti = tarfile.TarInfo(name)
        ti.type = kind
        ti.size = len(data)
        ti.mode = 0o755 if kind == tarfile.DIRTYPE else 0o644
        tar.addfile(ti, io.BytesIO(data))
    add(".wh..wh.aufs", tarfile.REGTYPE)
    add(".wh..wh.orph/", tarfile.DIRTYPE)
    add(".wh..wh.plnk/", tarfile.DIRTYPE)
    add(".wh..wh.plnk/123.456", tarfile.REGTYPE, b"plnk")
    add("kept", tarfile.REGTYPE, b"kept")
    ti = tarfile.TarInfo("linked")
    ti.type = tarfile.LNKTYPE
    ti.linkname = ".wh..wh.plnk/123.456"
    tar.addfile(ti)
)";

std::string Read(const std::string& p) { return sys::ReadFile(p).value_or("<missing>"); }

class UnpackToolsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    CRICKET_REQUIRE_PROGRAM(tar_bin, "tar");
    CRICKET_REQUIRE_PROGRAM(python_bin, "python3");
    // /var/tmp: user xattrs need a disk filesystem (tmpfs may refuse them).
    auto base = sys::TempDir::Make("unpack-tools-", "/var/tmp");
    ASSERT_TRUE(base.ok()) << base.status();
    base_ = std::move(*base);
    src_ = base_.Sub("src");
    ASSERT_TRUE(RunChecked({"python3", "-c", kMakeTree, src_, kLongDir, kLongFile, kLongTarget})
                    .ok());
  }

  // Writes the tar the way GetParam() names; returns its path.
  absl::StatusOr<std::string> WriteTar() {
    const std::string out = base_.Sub("layer.tar"), how = GetParam();
    std::vector<std::string> argv;
    if (how.rfind("python-", 0) == 0) {
      argv = {"python3", "-c", kPythonTar, src_, out, how.substr(7)};
    } else {
      argv = {"tar", "--create", "--file", out, "--sparse", "-C", src_, "."};
      if (how == "gnu" || how == "oldgnu") argv.push_back("--format=" + how);  // no xattrs there
      if (how.rfind("posix-", 0) == 0) {
        argv.insert(argv.end(), {"--format=posix", "--sparse-version=" + how.substr(6),
                                 "--xattrs", "--xattrs-include=user.*"});
      }
    }
    RETURN_IF_ERROR(RunChecked(argv));
    return out;
  }

  absl::Status UnpackInto(const std::string& tar, const std::string& dir) {
    RETURN_IF_ERROR(sys::MkdirAll(dir));
    sys::UniqueFd fd(::open(tar.c_str(), O_RDONLY | O_CLOEXEC));
    UnpackOptions o;
    o.chown = ::geteuid() == 0;
    return UnpackTar(fd.get(), dir, o).status();
  }

  sys::TempDir base_;
  std::string src_;
};

TEST_P(UnpackToolsTest, UnpacksWithEveryFileWhole) {
  const std::string layer = base_.Sub("layer");
  auto tar = WriteTar();
  ASSERT_TRUE(tar.ok()) << tar.status();
  absl::Status st = UnpackInto(*tar, layer);
  ASSERT_TRUE(st.ok()) << st;
  EXPECT_EQ(Read(layer + "/sparse"), Read(src_ + "/sparse"));
  const std::string long_path = layer + "/" + kLongDir + "/" + kLongFile;
  EXPECT_EQ(Read(long_path), "long");
  struct stat a, b;
  ASSERT_EQ(::stat(long_path.c_str(), &a), 0);
  ASSERT_EQ(::stat((layer + "/link").c_str(), &b), 0);
  EXPECT_EQ(a.st_ino, b.st_ino);
  char target[512] = {};
  ASSERT_GT(::readlink((layer + "/symlink").c_str(), target, sizeof target - 1), 0);
  EXPECT_EQ(target, kLongTarget);
  EXPECT_EQ(Read(layer + "/noted"), "noted");
  if (GetParam().find("gnu") == std::string::npos) {  // the gnu formats have no xattrs
    char v[8] = {};
    EXPECT_EQ(::getxattr((layer + "/noted").c_str(), "user.note", v, sizeof v), 2);
    EXPECT_STREQ(v, "hi");
  }
}

INSTANTIATE_TEST_SUITE_P(Formats, UnpackToolsTest,
                         ::testing::Values("gnu", "oldgnu", "posix-0.0", "posix-0.1",
                                           "posix-1.0", "python-pax", "python-gnu"),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return n;
                         });

TEST(UnpackAufsTest, DockerAufsMetadataIsNotApplied) {
  CRICKET_REQUIRE_PROGRAM(python_bin, "python3");
  auto base = sys::TempDir::Make("unpack-aufs-", "/var/tmp");
  ASSERT_TRUE(base.ok());
  const std::string tar = base->Sub("layer.tar"), layer = base->Sub("layer");
  ASSERT_TRUE(RunChecked({"python3", "-c", kAufsTar, tar}).ok());
  ASSERT_TRUE(sys::MkdirAll(layer).ok());
  sys::UniqueFd fd(::open(tar.c_str(), O_RDONLY | O_CLOEXEC));
  UnpackOptions o;
  o.chown = false;
  auto diff = UnpackTar(fd.get(), layer, o);
  ASSERT_TRUE(diff.ok()) << diff.status();
  auto names = sys::ListDir(layer);
  ASSERT_TRUE(names.ok());
  std::sort(names->begin(), names->end());
  EXPECT_EQ(*names, (std::vector<std::string>{".wh..wh.plnk", "kept", "linked"}));
  EXPECT_EQ(Read(layer + "/kept"), "kept");
  EXPECT_EQ(Read(layer + "/linked"), "plnk");
}

}  // namespace
}  // namespace cricket::image
