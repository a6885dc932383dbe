// CheckpointContainer over the CRI socket. Where CRIU works (`criu check`
// passes) the archive at the kubelet's location is listed and must hold the
// checkpointctl layout, with the container still running. Where CRIU cannot
// work on this kernel that test skips printing CRIU's reason, and what is
// checked instead is that the RPC's error carries it and leaves no archive.
#include <sys/stat.h>

#include "oci/criu.h"
#include "oci/sys/child_process.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"
#include "tests/e2e/common/cri_e2e_fixture.h"
#include "tests/fixtures/partners.h"

namespace cricket::testing {
namespace {

class CheckpointCriTest : public CriE2eTest {
 protected:
  void SetUp() override {
    CriE2eTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    CRICKET_REQUIRE_PROGRAM(criu, "criu");
    criu_works_ = oci::CriuCheck(criu);
    auto out = sys::TempDir::Make("cricket-ckpt-out-");
    ASSERT_TRUE(out.ok());
    out_ = std::move(*out);
    UseBusybox();
  }

  // A container in the test's pod (made by the first call), created from
  // `args`; started unless `start` is false.
  absl::StatusOr<std::string> Container(const std::string& name,
                                        const std::vector<std::string>& args, bool start) {
    if (pod_id_.empty()) {
      pod_req_ = PodRequest("ckpt-pod");
      auto pod = Call(&v1::RuntimeService::Stub::RunPodSandbox, pod_req_, "RunPodSandbox");
      if (!pod.ok()) return pod.status();
      pod_id_ = pod->pod_sandbox_id();
    }
    v1::CreateContainerRequest create;
    create.set_pod_sandbox_id(pod_id_);
    *create.mutable_sandbox_config() = pod_req_.config();
    v1::ContainerConfig* cfg = create.mutable_config();
    cfg->mutable_metadata()->set_name(name);
    cfg->mutable_image()->set_image(image_);
    for (const std::string& a : args) cfg->add_command(a);
    cfg->mutable_linux()->mutable_security_context()->mutable_namespace_options()->set_pid(
        v1::NamespaceMode::CONTAINER);
    if (start) return CreateAndStart(create);
    auto c = Call(&v1::RuntimeService::Stub::CreateContainer, create, "CreateContainer");
    if (!c.ok()) return c.status();
    return c->container_id();
  }
  absl::Status Checkpoint(const std::string& id, const std::string& location) {
    v1::CheckpointContainerRequest req;
    req.set_container_id(id);
    req.set_location(location);
    return Call(&v1::RuntimeService::Stub::CheckpointContainer, req, "CheckpointContainer")
        .status();
  }
  v1::ContainerState State(const std::string& id) {
    v1::ContainerStatusRequest r;
    r.set_container_id(id);
    auto s = Call(&v1::RuntimeService::Stub::ContainerStatus, r, "ContainerStatus");
    return s.ok() ? s->status().state() : v1::CONTAINER_UNKNOWN;
  }

  absl::Status criu_works_;
  sys::TempDir out_;
  v1::RunPodSandboxRequest pod_req_;
  std::string pod_id_;
};

// `tar -tf` of an archive, one name a line.
std::string TarList(const std::string& path) {
  sys::SpawnOptions so;
  so.argv = {"tar", "-tf", path};
  auto r = sys::RunCommand(so);
  return r.ok() ? r->out : "";
}

// Skips before starting a daemon where CRIU cannot work.
class CheckpointRoundTripTest : public CheckpointCriTest {
 protected:
  void SetUp() override {
    std::string criu = FindProgram("criu");
    if (!criu.empty()) {
      absl::Status works = oci::CriuCheck(criu);
      if (!works.ok()) GTEST_SKIP() << "CRIU cannot work on this host: " << works;
    }
    CheckpointCriTest::SetUp();
  }
};

TEST_F(CheckpointRoundTripTest, ArchiveAtTheLocationHasTheCheckpointctlLayout) {
  auto id = Container("ckpt", {"sh", "-c", "touch /added; rm /bin/true; exec sleep 1000"}, true);
  ASSERT_TRUE(id.ok()) << id.status();
  std::string location = out_.Sub("checkpoint-ckpt.tar");
  ASSERT_TRUE(Checkpoint(*id, location).ok());
  std::string names = TarList(location);
  for (const char* want : {"checkpoint/", "checkpoint/inventory.img", "config.dump", "spec.dump",
                           "rootfs-diff.tar", "deleted.files", "dump.log"}) {
    EXPECT_NE(names.find(want), std::string::npos) << want << " not in:\n" << names;
  }
  EXPECT_EQ(State(*id), v1::CONTAINER_RUNNING) << "the kubelet's checkpoint leaves it running";
}

TEST_F(CheckpointCriTest, FailureCarriesCriusReasonAndRefusalsNameTheProblem) {
  auto created = Container("ckpt-created", {"sleep", "1000"}, false);
  ASSERT_TRUE(created.ok()) << created.status();
  absl::Status st = Checkpoint(*created, out_.Sub("created.tar"));
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition) << st;
  EXPECT_NE(st.message().find("container is created"), std::string::npos) << st;
  st = Checkpoint(*created, "relative.tar");
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << st;
  if (criu_works_.ok()) GTEST_SKIP() << "criu check passes here: no kernel reason to report";
  std::string reason(criu_works_.message());
  reason = reason.substr(reason.find(": ") + 2);
  reason = reason.substr(0, reason.find(';'));  // CRIU's first error
  auto id = Container("ckpt-fail", {"sleep", "1000"}, true);
  ASSERT_TRUE(id.ok()) << id.status();
  std::string location = out_.Sub("fail.tar");
  st = Checkpoint(*id, location);
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition) << st;
  EXPECT_NE(st.message().find(reason), std::string::npos) << st << "\nwant: " << reason;
  EXPECT_FALSE(sys::PathExists(location)) << "a failed checkpoint leaves no archive";
  EXPECT_EQ(State(*id), v1::CONTAINER_RUNNING) << "a failed checkpoint leaves it running";
}

}  // namespace
}  // namespace cricket::testing
