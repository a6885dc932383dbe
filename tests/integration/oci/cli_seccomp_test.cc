// The RuntimeDefault seccomp profile (pod's built-in one) in a running
// container, as cricket-oci loads it: what it denies fails with the errno
// moby's profile gives, what it allows works, syscalls newer than the profile
// answer ENOSYS, and a static 32-bit program runs under it.
#include <seccomp.h>
#include <unistd.h>

#include "gtest/gtest.h"
#include "oci/spec_json.h"
#include "pod/spec/builders.h"
#include "tests/fixtures/partners.h"
#include "tests/fixtures/rootfs_builder.h"
#include "tests/integration/oci/cli_helpers.h"

namespace cricket::testing {
namespace {

using nlohmann::json;

class SeccompDefaultTest : public OciCliTest {
 protected:
  // The profile the kubelet's RuntimeDefault gets for the bundle's caps.
  json Profile(std::vector<std::string> extra_caps = {}) {
    std::vector<std::string> caps;
    for (const auto& c : bundle_->config()["process"]["capabilities"]["bounding"]) {
      caps.push_back(c.get<std::string>());
    }
    caps.insert(caps.end(), extra_caps.begin(), extra_caps.end());
    return oci::SeccompToJson(pod::spec::DefaultSeccompProfile(caps));
  }
  void UseProfile(const json& p) { bundle_->config()["linux"]["seccomp"] = p; }
};

std::string Err(const json& r) { return r.value("ok", false) ? "ok" : r.value("error", "?"); }

TEST_F(SeccompDefaultTest, DeniesWhatMobyDeniesAllowsTheRestAndSysPtraceOpensTracing) {
  // Control: without a profile the kernel alone lets this container trace,
  // compare and take fds of its own processes, so the denials below are the
  // profile's.
  json bare = RunChecker({"syscalls"});
  EXPECT_EQ(Err(bare["ptrace_other"]), "ok") << bare;
  EXPECT_EQ(Err(bare["kcmp"]), "ok") << bare;
  EXPECT_EQ(Err(bare["pidfd_getfd"]), "ok") << bare;

  UseProfile(Profile());
  json r = RunChecker({"syscalls"});
  EXPECT_EQ(Err(r["getpid"]), "ok") << r;
  EXPECT_EQ(Err(r["thread"]), "ok") << r;
  EXPECT_EQ(Err(r["unshare_user"]), "EPERM") << r;
  EXPECT_EQ(Err(r["keyctl"]), "EPERM") << r;
  EXPECT_EQ(Err(r["mount"]), "EPERM") << r;
  EXPECT_EQ(Err(r["ptrace_other"]), "EPERM") << r;
  EXPECT_EQ(Err(r["kcmp"]), "EPERM") << r;
  EXPECT_EQ(Err(r["pidfd_getfd"]), "EPERM") << r;

  // CAP_SYS_PTRACE opens the tracing group, and only it.
  UseProfile(Profile({"CAP_SYS_PTRACE"}));
  json traced = RunChecker({"syscalls"});
  EXPECT_EQ(Err(traced["ptrace_other"]), "ok") << traced;
  EXPECT_EQ(Err(traced["kcmp"]), "ok") << traced;
  EXPECT_EQ(Err(traced["pidfd_getfd"]), "ok") << traced;
  EXPECT_EQ(Err(traced["keyctl"]), "EPERM") << traced;
}

TEST_F(SeccompDefaultTest, SyscallsNewerThanTheProfileAnswerEnosys) {
  json p = Profile();
  int newest = -1;
  for (const auto& rule : p["syscalls"]) {
    for (const auto& n : rule["names"]) {
      newest = std::max(newest, seccomp_syscall_resolve_name_arch(
                                    SCMP_ARCH_X86_64, n.get<std::string>().c_str()));
    }
  }
  ASSERT_GT(newest, 400);
  UseProfile(p);
  // The newest syscall it knows is a denied one (set_mempolicy_home_node
  // without CAP_SYS_NICE): EPERM. One above, and far above: ENOSYS.
  EXPECT_EQ(Err(RunChecker({"syscall", std::to_string(newest)})), "EPERM");
  EXPECT_EQ(Err(RunChecker({"syscall", std::to_string(newest + 1)})), "ENOSYS");
  EXPECT_EQ(Err(RunChecker({"syscall", "1000"})), "ENOSYS");
  // A known syscall the profile leaves out stays EPERM (keyctl: 250).
  EXPECT_EQ(Err(RunChecker({"syscall", "250"})), "EPERM");
}

TEST_F(SeccompDefaultTest, StaticThirtyTwoBitProgramRuns) {
  std::string checker32 = BuiltProgram("tests/cricket-checker32");
  if (access(checker32.c_str(), X_OK) != 0) {
    if (InCI()) FAIL() << checker32 << " not built (CI=true): install gcc-multilib";
    GTEST_SKIP() << checker32 << " not built: install gcc-multilib and build cricket-checker32";
  }
  ASSERT_TRUE(CopyIntoRootfs(bundle_->rootfs(), checker32, "bin/cricket-checker32").ok());
  UseProfile(Profile());
  bundle_->SetArgs({"/bin/cricket-checker32"});
  CliResult run = RunContainer(NewId("chk32"));
  ASSERT_EQ(run.code, 0) << run;
  json r = json::parse(run.out, nullptr, false);
  ASSERT_TRUE(r.is_object()) << run;
  for (const char* call : {"getuid32", "mmap2", "fstat64", "_llseek", "socketcall"}) {
    EXPECT_EQ(Err(r[call]), "ok") << call << ": " << r;
  }
  EXPECT_EQ(Err(r["keyctl"]), "EPERM") << r;
  EXPECT_EQ(Err(r["unknown_1000"]), "ENOSYS") << r;
}

}  // namespace
}  // namespace cricket::testing
