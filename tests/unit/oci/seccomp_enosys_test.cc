// The -ENOSYS stub in front of the seccomp program, run by the kernel: a
// forked child (no privilege needed: no_new_privs) loads a small profile and
// reports what each syscall number answered. Known but unlisted syscalls stay
// EPERM; numbers above the newest one the profile names answer ENOSYS, for
// native x86_64 numbers and x32 ones (bit 30) alike.
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "gtest/gtest.h"
#include "oci/linux/seccomp.h"
#include "oci/linux/seccomp_enosys.h"

namespace cricket::oci::linux {
namespace {

constexpr long kX32 = 0x40000000;

Seccomp Profile(const std::string& default_action) {
  Seccomp s;
  s.default_action = default_action;
  s.architectures = {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"};
  s.syscalls.push_back({{"write", "exit", "exit_group", "getpid"}, "SCMP_ACT_ALLOW", {}, {}});
  // Listed with the default's action: known to the profile, still denied.
  s.syscalls.push_back({{"keyctl", "set_mempolicy_home_node"}, "SCMP_ACT_ERRNO", 1u, {}});
  return s;
}

// errno of each syscall(nr) under `s` (0: it worked), from a child.
std::vector<int> ErrnosUnder(const Seccomp& s, const std::vector<long>& nrs) {
  int p[2];
  if (::pipe(p) != 0) return {};
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(p[0]);
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || !LoadSeccomp(s).ok()) ::_exit(1);
    for (long nr : nrs) {
      int err = ::syscall(nr, 0, 0, 0, 0, 0, 0) < 0 ? errno : 0;
      if (::write(p[1], &err, sizeof(err)) != sizeof(err)) ::_exit(2);
    }
    ::_exit(0);
  }
  ::close(p[1]);
  std::vector<int> out(nrs.size(), -1);
  size_t n = 0;  // the child writes one answer at a time: read to EOF
  auto* bytes = reinterpret_cast<char*>(out.data());
  while (n < out.size() * sizeof(int)) {
    ssize_t r = ::read(p[0], bytes + n, out.size() * sizeof(int) - n);
    if (r <= 0) break;
    n += static_cast<size_t>(r);
  }
  ::close(p[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
  EXPECT_EQ(n, out.size() * sizeof(int));
  return out;
}

TEST(SeccompEnosysTest, NewerThanTheProfileIsEnosysKnownButUnlistedIsEperm) {
  std::vector<int> got = ErrnosUnder(Profile("SCMP_ACT_ERRNO"), {
      SYS_getpid,       // allowed
      SYS_keyctl,       // listed as denied
      SYS_add_key,      // known to the kernel, below the newest listed: default
      450,              // set_mempolicy_home_node, the newest listed
      451, 1000,        // newer than the profile
      kX32 | 250,       // x32 keyctl: the filter's own answer
      kX32 | 1000,      // x32, newer than the profile
  });
  std::vector<int> want = {0, EPERM, EPERM, EPERM, ENOSYS, ENOSYS, EPERM, ENOSYS};
  EXPECT_EQ(got, want);
}

TEST(SeccompEnosysTest, NoStubWhenTheDefaultLetsCallsThroughOrIsEnosys) {
  EXPECT_TRUE(EnosysStub(Profile("SCMP_ACT_ALLOW"))->empty());
  Seccomp enosys = Profile("SCMP_ACT_ERRNO");
  enosys.default_errno_ret = ENOSYS;
  EXPECT_TRUE(EnosysStub(enosys)->empty());
  EXPECT_FALSE(EnosysStub(Profile("SCMP_ACT_ERRNO"))->empty());
  EXPECT_FALSE(EnosysStub(Profile("SCMP_ACT_KILL_PROCESS"))->empty());
}

TEST(SeccompEnosysTest, NewestSyscallPerArchitecture) {
  auto last = FindLastSyscalls(Profile("SCMP_ACT_ERRNO"));
  ASSERT_TRUE(last.ok()) << last.status();
  // x86_64 and x32 share one AUDIT_ARCH; x32's numbers carry bit 30.
  EXPECT_EQ((*last)[SCMP_ARCH_X86_64][SCMP_ARCH_X86_64], 450u);
  EXPECT_EQ((*last)[SCMP_ARCH_X86_64][SCMP_ARCH_X32], static_cast<uint32_t>(kX32 | 450));
  EXPECT_EQ((*last)[SCMP_ARCH_X86][SCMP_ARCH_X86], 450u);
}

}  // namespace
}  // namespace cricket::oci::linux
