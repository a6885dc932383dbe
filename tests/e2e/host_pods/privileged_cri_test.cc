// Privileged containers and capabilities.add_capabilities: [ALL] on a node
// whose runtime lacks some capabilities (this machine's root has no
// CAP_SYS_RESOURCE, as in many nested nodes): they run with every capability
// cricketd holds, as containerd's do, instead of failing in capset. What the
// daemon holds is read from /proc, never assumed.
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/capability_names.h"
#include "tests/e2e/host_pods/host_pods_helpers.h"

namespace cricket::testing {
namespace {

// A "CapXxx:\t<hex>" field of a /proc/<pid>/status text; ~0 when missing.
uint64_t CapField(const std::string& status, const std::string& field) {
  size_t at = status.find(field + ":\t");
  if (at == std::string::npos) return ~uint64_t{0};
  return std::stoull(status.substr(at + field.size() + 2, 16), nullptr, 16);
}

class PrivilegedCriTest : public HostPodsTest {
 protected:
  void SetUp() override {
    HostPodsTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    std::string status = sys::ReadFile(absl::StrCat("/proc/", daemon_->pid(), "/status")).value_or("");
    held_ = CapField(status, "CapBnd") & CapField(status, "CapPrm");
    ASSERT_NE(held_, ~uint64_t{0}) << status;
  }

  // CapEff and CapBnd of the container's init, read inside it.
  std::pair<uint64_t, uint64_t> Caps(const std::string& id) {
    std::string status = Exec(id, "cat /proc/1/status");
    return {CapField(status, "CapEff"), CapField(status, "CapBnd")};
  }

  uint64_t held_ = 0;  // what cricketd holds: bounding ∩ permitted
};

TEST_F(PrivilegedCriTest, PrivilegedAndAllGetWhatTheRuntimeHolds) {
  auto pod_req = PodRequest("priv");
  pod_req.mutable_config()->mutable_linux()->mutable_security_context()->set_privileged(true);
  std::string pod = RunPod(pod_req);
  ASSERT_FALSE(pod.empty());
  const std::vector<std::string> sleep = {"sleep", "1000"};

  std::string priv = Start(pod, pod_req, "privileged", sleep, [](v1::ContainerConfig* c) {
    c->mutable_linux()->mutable_security_context()->set_privileged(true);
  });
  ASSERT_FALSE(priv.empty());
  EXPECT_EQ(Caps(priv), std::make_pair(held_, held_));

  std::string all = Start(pod, pod_req, "all", sleep, [](v1::ContainerConfig* c) {
    c->mutable_linux()->mutable_security_context()->mutable_capabilities()->add_add_capabilities("ALL");
  });
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(Caps(all), std::make_pair(held_, held_));

  // containerd's order: ALL, then the single drops.
  std::string most = Start(pod, pod_req, "all-but-chown", sleep, [](v1::ContainerConfig* c) {
    auto* caps = c->mutable_linux()->mutable_security_context()->mutable_capabilities();
    caps->add_add_capabilities("ALL");
    caps->add_drop_capabilities("CHOWN");
  });
  ASSERT_FALSE(most.empty());
  EXPECT_EQ(Caps(most).first, held_ & ~uint64_t{1});
}

TEST_F(PrivilegedCriTest, NamingACapabilityTheRuntimeLacksIsAClearError) {
  int missing = -1;
  for (int c = 0; c < static_cast<int>(std::size(sys::kCapabilityNames)); c++) {
    if ((held_ & (uint64_t{1} << c)) == 0) {
      missing = c;
      break;
    }
  }
  if (missing < 0) GTEST_SKIP() << "cricketd holds every capability: nothing to refuse";
  const std::string name(sys::kCapabilityNames[missing]);
  // Said once at start-up, with what privileged containers go without.
  EXPECT_NE(daemon_->Stderr().find("the runtime lacks some capabilities"), std::string::npos);
  EXPECT_NE(daemon_->Stderr().find(name), std::string::npos) << daemon_->Stderr();

  auto pod_req = PodRequest("lacks");
  std::string pod = RunPod(pod_req);
  ASSERT_FALSE(pod.empty());
  auto created = Create(pod, pod_req, "wants", {"true"}, [&](v1::ContainerConfig* c) {
    c->mutable_linux()->mutable_security_context()->mutable_capabilities()->add_add_capabilities(
        name.substr(4));  // the CRI's spelling: SYS_RESOURCE
  });
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().code(), absl::StatusCode::kFailedPrecondition) << created.status();
  EXPECT_NE(created.status().message().find(name + " is not available on this node"),
            std::string::npos)
      << created.status();
}

}  // namespace
}  // namespace cricket::testing
