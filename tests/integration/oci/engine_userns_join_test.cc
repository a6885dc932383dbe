// A container that joins an existing user namespace by path (a pod's, as
// cricketd pins it) while getting new mount, pid and net namespaces: the
// engine sets up the rootfs with the host's rights and joins the user
// namespace last, for init and for exec alike.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/temp_dir.h"
#include "oci/sys/userns.h"
#include "tests/integration/oci/engine_helpers.h"

namespace cricket::oci {
namespace {

constexpr uint32_t kBase = 65536 * 21;  // used by no other test

std::string HostUid(pid_t pid) {
  auto text = sys::ReadFile("/proc/" + std::to_string(pid) + "/status").value_or("");
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::ConsumePrefix(&line, "Uid:")) {
      std::vector<std::string> f = absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
      return f.empty() ? "" : f[0];
    }
  }
  return "";
}

TEST_F(EngineTest, JoinsAUserNamespaceByPathAfterTheRootfs) {
  std::string map = "0 " + std::to_string(kBase) + " 65536\n";
  auto holder = sys::UserNamespaceHolder::Start(map, map, 0);
  ASSERT_TRUE(holder.ok()) << holder.status();
  Spec s = BaseSpec({"sh", "-c", "id -u; tr -s ' ' < /proc/self/uid_map; stat -c %u /bin/busybox; "
                                 "exec sleep 1000"});
  s.linux_spec->namespaces.push_back({"user", holder->NsPath("user")});
  auto pid = Create("uj", s);
  ASSERT_TRUE(pid.ok()) << pid.status();
  ASSERT_TRUE(rt_->Start("uj").ok());
  std::string out;
  for (int i = 0; i < 100 && out.find("65534\n") == std::string::npos; i++) {
    usleep(50000);
    out = Output();
  }
  // Root inside, the range's first id outside; the layers (not id-mapped
  // here) belong to unmapped host root: nobody.
  EXPECT_EQ(out, "0\n 0 " + std::to_string(kBase) + " 65536\n65534\n");
  EXPECT_EQ(HostUid(*pid), std::to_string(kBase));

  int fd = open(out_path_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  ExecOptions eo;
  eo.args = {"sh", "-c", "id -u; tr -s ' ' < /proc/self/uid_map"};
  eo.stdout_fd = fd;
  eo.stderr_fd = fd;
  auto epid = rt_->Exec("uj", eo);
  close(fd);
  ASSERT_TRUE(epid.ok()) << epid.status();
  EXPECT_EQ(WaitExit(*epid), 0);
  EXPECT_EQ(Output().substr(out.size()), "0\n 0 " + std::to_string(kBase) + " 65536\n");
  ASSERT_TRUE(rt_->Delete("uj", true).ok());
  WaitExit(*pid);
}

// Runtime-spec 1.2 id-mapped bind mounts: with the user namespace's maps the
// host's root files are the container root's, and its writes host root's.
TEST_F(EngineTest, IdmappedBindMountUsesTheMountsMaps) {
  std::string map = "0 " + std::to_string(kBase) + " 65536\n";
  auto holder = sys::UserNamespaceHolder::Start(map, map, 0);
  ASSERT_TRUE(holder.ok()) << holder.status();
  auto vol = sys::TempDir::Make("cricket-engine-idmap-");
  ASSERT_TRUE(vol.ok()) << vol.status();
  ASSERT_TRUE(sys::WriteFileAtomic(vol->Sub("f"), "x", 0644).ok());
  ASSERT_EQ(::chmod(vol->path().c_str(), 0755), 0);  // the unmapped bind must be traversable
  Spec s = BaseSpec({"sh", "-c", "stat -c %u /v/f /plain/f; echo y > /v/w"});
  s.linux_spec->namespaces.push_back({"user", holder->NsPath("user")});
  Mount idm{"/v", "bind", vol->path(), {"rbind", "idmap"}};
  idm.uid_mappings = {{0, kBase, 65536}};
  idm.gid_mappings = {{0, kBase, 65536}};
  s.mounts.push_back(idm);
  s.mounts.push_back({"/plain", "bind", vol->path(), {"rbind", "ro"}});
  int code = -1;
  std::string out = RunToEnd("idm", s, &code);
  EXPECT_EQ(code, 0) << out;
  EXPECT_EQ(out, "0\n65534\n");  // mapped, and the same dir unmapped
  struct stat st {};
  ASSERT_EQ(::stat(vol->Sub("w").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 0u);

  Spec bad = BaseSpec({"true"});
  bad.mounts.push_back({"/v", "bind", vol->path(), {"rbind", "idmap"}});
  auto pid = Create("idm-bad", bad);
  ASSERT_FALSE(pid.ok());
  EXPECT_NE(pid.status().message().find("idmap needs both uidMappings and gidMappings"),
            std::string::npos) << pid.status();
}

TEST_F(EngineTest, JoinedUserNamespaceTakesNoMappings) {
  Spec s = BaseSpec({"true"});
  s.linux_spec->namespaces.push_back({"user", "/proc/self/ns/user"});
  s.linux_spec->uid_mappings = {{0, kBase, 65536}};
  s.linux_spec->gid_mappings = {{0, kBase, 65536}};
  auto pid = Create("ujm", s);
  ASSERT_FALSE(pid.ok());
  EXPECT_NE(pid.status().message().find("uidMappings"), std::string::npos) << pid.status();
}

}  // namespace
}  // namespace cricket::oci
