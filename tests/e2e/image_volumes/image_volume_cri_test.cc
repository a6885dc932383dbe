// Image volumes (CRI Mount.image, the kubelet's ImageVolume feature) over the
// CRI socket: a two-layer data image (a whiteout in its top layer, an
// absolute symlink for image_sub_path) pulled next to busybox and mounted in
// a busybox container. Its files are there, read-only (EROFS), nosuid and
// nodev; RemoveImage refuses it while a container mounts it, also after a
// kill -9 and restart of cricketd; nothing stays mounted once the containers
// are removed; an image that was not pulled fails CreateContainer, named.
#include <fstream>
#include <sstream>

#include "oci/sys/status.h"
#include "tests/e2e/common/cri_e2e_fixture.h"
#include "tests/fixtures/busybox_registry.h"

namespace cricket::testing {
namespace {

TestImageSpec DataImage() {
  using E = LayerEntry;
  TestImageSpec spec;
  spec.layers.push_back({{E::kDir, "data", "", "", 0755},
                         {E::kFile, "data/hello", "from the image volume\n", "", 0644},
                         {E::kFile, "data/gone", "whited out above\n", "", 0644},
                         {E::kDir, "data/sub", "", "", 0755},
                         {E::kFile, "data/sub/inner", "inner file\n", "", 0644}});
  spec.layers.push_back({{E::kFile, "data/top", "top layer\n", "", 0644},
                         {E::kFile, "data/.wh.gone", "", "", 0644},
                         // Absolute: resolved inside the image, never on the host.
                         {E::kSymlink, "to-sub", "", "/data/sub", 0777}});
  return spec;
}

class ImageVolumeCriTest : public CriE2eTest {
 protected:
  void SetUp() override {
    CriE2eTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    UseBusybox();
    if (HasFatalFailure()) return;
    auto data = PushTestImage(*registry_, DataImage(), "e2e/data", "1.0");
    ASSERT_TRUE(data.ok()) << data.status();
    data_ = *data;
  }

  void PullData() {
    v1::PullImageRequest pull;
    pull.mutable_image()->set_image(data_);
    auto pulled =
        client_->Call(client_->images(), &v1::ImageService::Stub::PullImage, pull, "PullImage");
    ASSERT_TRUE(pulled.ok()) << pulled.status();
  }

  absl::Status RemoveImage(const std::string& ref) {
    v1::RemoveImageRequest req;
    req.mutable_image()->set_image(ref);
    return client_->Call(client_->images(), &v1::ImageService::Stub::RemoveImage, req,
                         "RemoveImage").status();
  }

  // A sleeper in the pod with `ref` mounted at /vol and its to-sub at /sub,
  // as the kubelet sends an image volume (no host_path, readonly).
  v1::CreateContainerRequest Request(const std::string& name, const std::string& ref) {
    v1::CreateContainerRequest create;
    create.set_pod_sandbox_id(pod_id_);
    *create.mutable_sandbox_config() = pod_req_.config();
    v1::ContainerConfig* cfg = create.mutable_config();
    cfg->mutable_metadata()->set_name(name);
    cfg->mutable_image()->set_image(image_);
    for (const char* a : {"sleep", "1000"}) cfg->add_command(a);
    cfg->mutable_linux()->mutable_security_context()->mutable_namespace_options()->set_pid(
        v1::NamespaceMode::CONTAINER);
    for (const char* path : {"/vol", "/sub"}) {
      v1::Mount* m = cfg->add_mounts();
      m->set_container_path(path);
      m->mutable_image()->set_image(ref);
      m->set_readonly(true);
      if (std::string(path) == "/sub") m->set_image_sub_path("to-sub");
    }
    return create;
  }

  void RunPod() {
    pod_req_ = PodRequest("imgvol");
    auto pod = Call(&v1::RuntimeService::Stub::RunPodSandbox, pod_req_, "RunPodSandbox");
    ASSERT_TRUE(pod.ok()) << pod.status();
    pod_id_ = pod->pod_sandbox_id();
  }

  // stdout+stderr of `sh -c script` in the container.
  std::string Exec(const std::string& id, const std::string& script) {
    auto out = ExecShell(id, script);
    EXPECT_TRUE(out.ok()) << out.status();
    return out.ok() ? out->stdout() + out->stderr() : "";
  }

  absl::Status RemoveContainer(const std::string& id) {
    v1::StopContainerRequest stop;
    stop.set_container_id(id);
    RETURN_IF_ERROR(Call(&v1::RuntimeService::Stub::StopContainer, stop, "StopContainer").status());
    v1::RemoveContainerRequest rm;
    rm.set_container_id(id);
    return Call(&v1::RuntimeService::Stub::RemoveContainer, rm, "RemoveContainer").status();
  }

  // Host mounts of image volumes under this daemon's dirs.
  std::vector<std::string> VolumeMounts() {
    std::ifstream in("/proc/self/mountinfo");
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) {
      if (line.find(daemon_->dir()) != std::string::npos &&
          line.find("/volumes/") != std::string::npos) {
        out.push_back(line);
      }
    }
    return out;
  }

  std::string data_;
  v1::RunPodSandboxRequest pod_req_;
  std::string pod_id_;
};

TEST_F(ImageVolumeCriTest, MountsReadOnlyKeepsTheImageInUseAndUnmountsOnRemove) {
  ASSERT_NO_FATAL_FAILURE(PullData());
  ASSERT_NO_FATAL_FAILURE(RunPod());
  auto first = CreateAndStart(Request("first", data_));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(Exec(*first, "cat /vol/data/hello /vol/data/top /sub/inner"),
            "from the image volume\ntop layer\ninner file\n");
  EXPECT_EQ(Exec(*first, "test -e /vol/data/gone && echo still there || echo whited out"),
            "whited out\n");
  EXPECT_NE(Exec(*first, "touch /vol/new; touch /sub/new").find("Read-only file system"),
            std::string::npos);
  // ro, nosuid and nodev on both (the options of the container's mounts).
  std::string opts = Exec(*first, "for d in /vol /sub; do grep \" $d \" /proc/mounts | cut -d' ' -f4; done");
  std::istringstream lines(opts);
  int n = 0;
  for (std::string l; std::getline(lines, l); ++n) {
    EXPECT_EQ(l.rfind("ro,", 0), 0u) << l;
    EXPECT_NE(l.find("nosuid"), std::string::npos) << l;
    EXPECT_NE(l.find("nodev"), std::string::npos) << l;
  }
  EXPECT_EQ(n, 2) << opts;
  EXPECT_EQ(VolumeMounts().size(), 2u);

  // In use: refused, naming the container.
  absl::Status refused = RemoveImage(data_);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_NE(refused.message().find(*first), std::string::npos) << refused;

  // A second container, to be removed after a kill -9 of cricketd.
  auto second = CreateAndStart(Request("second", data_));
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_TRUE(RemoveContainer(*first).ok());
  EXPECT_EQ(VolumeMounts().size(), 2u) << "the first container's volumes are still mounted";
  ASSERT_NO_FATAL_FAILURE(KillAndRestart());
  refused = RemoveImage(data_);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_NE(refused.message().find(*second), std::string::npos) << refused;
  EXPECT_EQ(Exec(*second, "cat /vol/data/hello"), "from the image volume\n");
  ASSERT_TRUE(RemoveContainer(*second).ok());
  EXPECT_TRUE(VolumeMounts().empty()) << VolumeMounts().front();
  EXPECT_TRUE(RemoveImage(data_).ok());
}

TEST_F(ImageVolumeCriTest, RefusesAnImageNotPulledAndAMissingSubPath) {
  ASSERT_NO_FATAL_FAILURE(RunPod());
  // The kubelet pulls first; an image not on the node is named, NotFound.
  auto missing = Call(&v1::RuntimeService::Stub::CreateContainer, Request("missing", data_),
                      "CreateContainer");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound) << missing.status();
  EXPECT_NE(missing.status().message().find(data_), std::string::npos) << missing.status();
  ASSERT_NO_FATAL_FAILURE(PullData());
  auto req = Request("badsub", data_);
  req.mutable_config()->mutable_mounts(1)->set_image_sub_path("no/such/dir");
  auto bad = Call(&v1::RuntimeService::Stub::CreateContainer, req, "CreateContainer");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kNotFound) << bad.status();
  EXPECT_NE(bad.status().message().find("no/such/dir"), std::string::npos) << bad.status();
  EXPECT_TRUE(VolumeMounts().empty()) << VolumeMounts().front();
  EXPECT_TRUE(RemoveImage(data_).ok()) << "a failed create kept the image in use";
}

}  // namespace
}  // namespace cricket::testing
