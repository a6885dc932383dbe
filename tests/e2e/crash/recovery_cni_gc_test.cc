// CNI garbage collection at start-up: an attachment whose pod cricketd no
// longer knows (its record lost to a crash) is DELed against the known pods,
// so its IP goes back to IPAM; the pods it knows keep theirs.
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "tests/e2e/crash/recovery_helpers.h"

namespace cricket::testing {
namespace {

class RecoveryCniGcTest : public RecoveryE2eTest {
 protected:
  void SetUp() override { CriE2eTest::SetUp(); }  // no image needed
};

TEST_F(RecoveryCniGcTest, AttachmentsOfUnknownPodsAreDeletedAtStart) {
  auto kept = Call(&v1::RuntimeService::Stub::RunPodSandbox, PodRequest("kept"), "RunPodSandbox");
  ASSERT_TRUE(kept.ok()) << kept.status();
  auto lost = Call(&v1::RuntimeService::Stub::RunPodSandbox, PodRequest("lost"), "RunPodSandbox");
  ASSERT_TRUE(lost.ok()) << lost.status();
  ASSERT_EQ(cni_->AllocatedIps().size(), 2u);
  const std::string record = RootDir() + "/records/sandboxes/" + lost->pod_sandbox_id() + ".json";
  const std::string text = sys::ReadFile(record).value_or("");
  ASSERT_FALSE(text.empty());

  KillAndRestartWith({}, [&] { ASSERT_EQ(::unlink(record.c_str()), 0); });
  ASSERT_FALSE(HasFatalFailure());
  EXPECT_EQ(cni_->AllocatedIps().size(), 1u) << "the unknown pod's IP was not released";
  for (const std::string& f : sys::ListDir(cni_->cache_dir()).value_or(std::vector<std::string>{})) {
    EXPECT_EQ(f.find(lost->pod_sandbox_id()), std::string::npos) << f;
  }
  EXPECT_TRUE(PodStatus(kept->pod_sandbox_id()).ok());

  // Put the record back so that RemovePodSandbox releases its mounts.
  KillAndRestartWith({}, [&] { ASSERT_TRUE(sys::WriteFileAtomic(record, text, 0600).ok()); });
}

}  // namespace
}  // namespace cricket::testing
