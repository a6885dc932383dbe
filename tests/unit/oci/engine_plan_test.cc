// Pure decisions of the engine: mount options and plans, namespaces,
// capabilities, rlimit/oom clamps, sysctl policy, ids, signals, cgroup
// mount discovery, seccomp translation.
#include <linux/mount.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>

#include "gtest/gtest.h"
#include "oci/linux/caps.h"
#include "oci/linux/cgroup_mount.h"
#include "oci/linux/mounts.h"
#include "oci/linux/namespaces.h"
#include "oci/linux/rlimits.h"
#include "oci/linux/seccomp.h"
#include "oci/linux/sysctl.h"
#include "oci/linux/users.h"
#include "oci/runtime.h"
#include "oci/state_dir.h"

namespace cricket::oci::linux {
namespace {

TEST(MountOptionsTest, FlagsDataPropagationAndRecursiveAttrs) {
  MountOptions o =
      ParseMountOptions({"nosuid", "noexec", "nodev", "mode=755", "size=65536k", "rslave"});
  EXPECT_EQ(o.flags, static_cast<unsigned long>(MS_NOSUID | MS_NOEXEC | MS_NODEV));
  EXPECT_EQ(o.data, "mode=755,size=65536k");
  EXPECT_EQ(o.propagation, static_cast<unsigned long>(MS_SLAVE | MS_REC));
  o = ParseMountOptions({"rbind", "ro", "rw"});
  EXPECT_TRUE(o.bind);
  EXPECT_TRUE(o.recursive);
  EXPECT_EQ(o.flags & MS_RDONLY, 0u);
  EXPECT_EQ(o.clear & MS_RDONLY, static_cast<unsigned long>(MS_RDONLY));
  o = ParseMountOptions({"bind", "rro", "rnosuid"});
  EXPECT_EQ(o.attr_set, static_cast<uint64_t>(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID));
  EXPECT_FALSE(o.recursive);
}

TEST(MountPlanTest, BindsResolveAgainstBundleAndNeedRemountForFlags) {
  std::vector<Mount> mounts = {
      {"/data", "bind", "data", {"rbind", "ro"}},
      {"/etc/hosts", "", "/etc/hosts", {"bind"}},
      {"/sys/fs/cgroup", "cgroup", "cgroup", {"ro"}},
      {"/proc", "proc", "proc", {}},
  };
  auto plan = PlanMounts(mounts, "/b");
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->size(), 4u);
  EXPECT_EQ((*plan)[0].kind, MountKind::kBind);
  EXPECT_EQ((*plan)[0].source, "/b/data");
  EXPECT_TRUE((*plan)[0].needs_remount);
  EXPECT_EQ((*plan)[1].kind, MountKind::kBind);
  EXPECT_FALSE((*plan)[1].needs_remount);
  EXPECT_EQ((*plan)[2].kind, MountKind::kCgroup);
  EXPECT_EQ((*plan)[3].kind, MountKind::kFilesystem);
  EXPECT_TRUE(NeedsDevSetup({{"/dev", "tmpfs", "tmpfs", {}}}));
  EXPECT_FALSE(NeedsDevSetup({{"/dev", "bind", "/dev", {"rbind"}}}));
}

TEST(NamespacePlanTest, NewJoinedAndLate) {
  Spec s;
  s.linux_spec = Linux{};
  s.linux_spec->namespaces = {{"pid", ""},   {"network", "/run/netns/x"},
                              {"mount", ""}, {"cgroup", ""},
                              {"user", ""},  {"pid2", ""}};
  s.linux_spec->namespaces.pop_back();
  s.linux_spec->uid_mappings = {{0, 1000, 1}};
  s.linux_spec->gid_mappings = {{0, 1000, 1}};
  auto p = PlanNamespaces(s);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->clone_flags, static_cast<uint64_t>(CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUSER));
  EXPECT_TRUE(p->unshare_cgroup);
  ASSERT_EQ(p->joins.size(), 1u);
  EXPECT_EQ(p->joins[0].path, "/run/netns/x");
  EXPECT_TRUE(p->new_user);
  EXPECT_EQ(FormatIdMap(s.linux_spec->uid_mappings), "0 1000 1\n");
  s.linux_spec->uid_mappings.clear();
  EXPECT_TRUE(absl::IsInvalidArgument(PlanNamespaces(s).status()));
}

TEST(CapsTest, NamesMapBothWays) {
  EXPECT_EQ(*CapFromName("CAP_SYS_ADMIN"), 21);
  EXPECT_EQ(*CapFromName("net_admin"), 12);
  EXPECT_EQ(CapName(0), "CAP_CHOWN");
  EXPECT_TRUE(absl::IsNotFound(CapFromName("CAP_BOGUS").status()));
  auto caps = CapsFromNames({"CAP_KILL", "CAP_BOGUS"}, "process.capabilities.bounding");
  ASSERT_FALSE(caps.ok());
  EXPECT_EQ(std::string(caps.status().message()),
            "process.capabilities.bounding: unknown capability CAP_BOGUS");
}

TEST(CapsTest, UnknownNamesAreDroppedFromEverySetAndNamedOnce) {
  Capabilities c;
  c.bounding = {"CAP_KILL", "CAP_BOGUS", "CAP_OTHER_BOGUS"};
  c.effective = {"CAP_BOGUS", "CAP_CHOWN"};
  c.ambient = {"CAP_BOGUS"};
  EXPECT_EQ(DropUnknownCaps(c), (std::vector<std::string>{"CAP_BOGUS", "CAP_OTHER_BOGUS"}));
  EXPECT_EQ(c.bounding, (std::vector<std::string>{"CAP_KILL"}));
  EXPECT_EQ(c.effective, (std::vector<std::string>{"CAP_CHOWN"}));
  EXPECT_TRUE(c.ambient.empty());
  EXPECT_TRUE(DropUnknownCaps(c).empty());
}

TEST(RlimitTest, ClampsWithoutCapSysResource) {
  ClampedLimit c = ClampRlimit(2048, 1 << 20, 4096, false);
  EXPECT_TRUE(c.clamped);
  EXPECT_EQ(c.hard, 4096u);
  EXPECT_EQ(c.soft, 2048u);
  c = ClampRlimit(8192, 1 << 20, 4096, false);
  EXPECT_EQ(c.soft, 4096u);
  c = ClampRlimit(8192, 1 << 20, 4096, true);
  EXPECT_FALSE(c.clamped);
  EXPECT_EQ(c.hard, 1u << 20);
  EXPECT_EQ(*RlimitResource("RLIMIT_NOFILE"), RLIMIT_NOFILE);
  EXPECT_FALSE(RlimitResource("RLIMIT_BOGUS").ok());
  EXPECT_EQ(ClampOomScoreAdj(-999, -500, false), -500);
  EXPECT_EQ(ClampOomScoreAdj(-999, -500, true), -999);
  EXPECT_EQ(ClampOomScoreAdj(100, -500, false), 100);
}

TEST(SysctlTest, OnlyNamespacedKeysWithTheirNamespace) {
  SysctlNamespaces all{true, true, true};
  EXPECT_TRUE(ValidateSysctl("net.ipv4.ip_forward", all).ok());
  EXPECT_TRUE(ValidateSysctl("kernel.shmmax", all).ok());
  EXPECT_TRUE(ValidateSysctl("fs.mqueue.msg_max", all).ok());
  EXPECT_FALSE(ValidateSysctl("net.ipv4.ip_forward", SysctlNamespaces{true, false, true}).ok());
  EXPECT_FALSE(ValidateSysctl("kernel.panic", all).ok());
  EXPECT_FALSE(ValidateSysctl("vm.swappiness", all).ok());
}

TEST(IdsTest, ValidatesContainerIds) {
  EXPECT_TRUE(ValidateId("web-1_a.b").ok());
  for (const char* bad : {"", ".", "..", "a/b", "a..b", "x\n"}) {
    EXPECT_TRUE(absl::IsInvalidArgument(ValidateId(bad))) << bad;
  }
}

TEST(SignalTest, NamesAndNumbers) {
  EXPECT_EQ(*ParseSignal("KILL"), SIGKILL);
  EXPECT_EQ(*ParseSignal("SIGTERM"), SIGTERM);
  EXPECT_EQ(*ParseSignal("hup"), SIGHUP);
  EXPECT_EQ(*ParseSignal("9"), 9);
  EXPECT_EQ(*ParseSignal("RTMIN+1"), SIGRTMIN + 1);
  EXPECT_FALSE(ParseSignal("NOPE").ok());
  EXPECT_FALSE(ParseSignal("0").ok());
}

TEST(CgroupMountTest, ParsesHybridLayout) {
  const char* mountinfo =
      "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
      "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
      "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd\n"
      "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
  auto hs = ParseCgroupMounts(mountinfo);
  ASSERT_EQ(hs.size(), 3u);
  EXPECT_EQ(hs[0].controllers, "cpu");
  EXPECT_EQ(hs[1].controllers, "name=systemd");
  EXPECT_EQ(hs[2].fstype, "cgroup2");
  const char* cg = "9:name=systemd:/a\n1:cpu:/b/c\n0::/d\n";
  EXPECT_EQ(CgroupPathFor(cg, "cpu"), "/b/c");
  EXPECT_EQ(CgroupPathFor(cg, "name=systemd"), "/a");
  EXPECT_EQ(CgroupPathFor(cg, ""), "/d");
}

TEST(UsersTest, HomeFromPasswd) {
  const char* passwd = "root:x:0:0:root:/root:/bin/sh\ntester:x:1000:1000::/home/tester:/bin/sh\n";
  EXPECT_EQ(HomeFromPasswd(passwd, 1000), "/home/tester");
  EXPECT_EQ(HomeFromPasswd(passwd, 5), "/");
}

TEST(SeccompTest, TranslatesActionsOperatorsAndArchitectures) {
  EXPECT_EQ(*SeccompAction("SCMP_ACT_ERRNO", std::nullopt), SCMP_ACT_ERRNO(EPERM));
  EXPECT_EQ(*SeccompAction("SCMP_ACT_ERRNO", 38u), SCMP_ACT_ERRNO(38));
  EXPECT_EQ(*SeccompAction("SCMP_ACT_KILL_PROCESS", std::nullopt), SCMP_ACT_KILL_PROCESS);
  EXPECT_EQ(*SeccompAction("SCMP_ACT_LOG", std::nullopt), SCMP_ACT_LOG);
  EXPECT_TRUE(absl::IsUnimplemented(SeccompAction("SCMP_ACT_NOTIFY", std::nullopt).status()));
  EXPECT_FALSE(SeccompAction("SCMP_ACT_BOGUS", std::nullopt).ok());
  EXPECT_EQ(*SeccompOp("SCMP_CMP_MASKED_EQ"), SCMP_CMP_MASKED_EQ);
  EXPECT_EQ(*SeccompArch("SCMP_ARCH_X86_64"), SCMP_ARCH_X86_64);
  EXPECT_FALSE(SeccompArch("SCMP_ARCH_NOPE").ok());
}

TEST(SeccompTest, BuildsAFilterWithoutLoadingIt) {
  Seccomp s;
  s.default_action = "SCMP_ACT_ALLOW";
  s.architectures = {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86"};
  s.syscalls.push_back({{"mkdir", "no_such_syscall_xyz"}, "SCMP_ACT_ERRNO", 1u, {}});
  s.syscalls.push_back(
      {{"personality"}, "SCMP_ACT_ERRNO", std::nullopt, {{0, 0xffff, 0x8, "SCMP_CMP_MASKED_EQ"}}});
  s.syscalls.push_back({{"read"}, "SCMP_ACT_ALLOW", std::nullopt, {}});  // == default: skipped
  auto f = BuildSeccomp(s);
  ASSERT_TRUE(f.ok()) << f.status();
  s.syscalls.push_back({{"write"}, "SCMP_ACT_NOTIFY", std::nullopt, {}});
  EXPECT_TRUE(absl::IsUnimplemented(BuildSeccomp(s).status()));
}

}  // namespace
}  // namespace cricket::oci::linux
