// A reboot (a new boot id; simulated through CRICKET_BOOT_ID_FILE, the
// test-only source): the records and state-dir files of the old boot are not
// believed, even though this state dir is not on a tmpfs and every file (and
// here, every process) survived: the container is reported exited, the pod
// NotReady, and the kubelet's stop and remove clean up as usual.
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "tests/e2e/crash/recovery_helpers.h"

namespace cricket::testing {
namespace {

using RecoveryRebootTest = RecoveryE2eTest;

TEST_F(RecoveryRebootTest, ANewBootIdReportsEveryContainerExited) {
  Running r = RunSleeper("rebooted");
  ASSERT_FALSE(HasFailure());
  auto boot = sys::ReadFile(StateDir() + "/boot_id");
  ASSERT_TRUE(boot.ok()) << "the boot id is not recorded in the state dir";

  // Same boot: a restart believes the records.
  const std::string boot_file = daemon_->dir() + "/fake_boot_id";
  ASSERT_TRUE(sys::WriteFileAtomic(boot_file, *boot).ok());
  KillAndRestartWith({"CRICKET_BOOT_ID_FILE=" + boot_file});
  ASSERT_FALSE(HasFatalFailure());
  EXPECT_EQ(ContainerStatus(r.container_id)->status().state(), v1::CONTAINER_RUNNING);

  ASSERT_TRUE(sys::WriteFileAtomic(boot_file, "0f0f0f0f-1111-2222-3333-444444444444\n").ok());
  KillAndRestartWith({"CRICKET_BOOT_ID_FILE=" + boot_file});
  ASSERT_FALSE(HasFatalFailure());
  auto st = ContainerStatus(r.container_id);
  ASSERT_TRUE(st.ok()) << st.status();
  EXPECT_EQ(st->status().state(), v1::CONTAINER_EXITED);
  auto pod = PodStatus(r.pod_id);
  ASSERT_TRUE(pod.ok()) << pod.status();
  EXPECT_EQ(pod->status().state(), v1::SANDBOX_NOTREADY);
  EXPECT_EQ(sys::ReadFile(StateDir() + "/boot_id").value_or(""),
            "0f0f0f0f-1111-2222-3333-444444444444\n");
  // TearDown removes the pod through CRI and checks that nothing leaked.
}

}  // namespace
}  // namespace cricket::testing
