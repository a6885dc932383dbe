// Pulls through cricketd over its CRI socket, as crictl and the kubelet make
// them, from Debian's docker-registry in three variants: plain HTTP, TLS with
// the fixture's own CA plus htpasswd Basic auth, and Bearer tokens from the
// test token server. The image then runs in a pod, and the tree the container
// sees is checked file by file against the source layers. A kill -9 of
// cricketd in the middle of a large pull must leave the image whole or absent.
// Images whose layers umoci, Python's tarfile and GNU tar -P wrote (absolute
// and "./" names) run with every file inside the layer.
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/status.h"
#include "oci/sys/temp_dir.h"
#include "tests/e2e/common/cri_e2e_fixture.h"
#include "tests/e2e/pull/pull_e2e_helpers.h"
#include "tests/fixtures/image_builder.h"
#include "tests/fixtures/partners.h"
#include "tests/fixtures/registry_fixture.h"
#include "tests/fixtures/tool_layers.h"

namespace cricket::testing {
namespace {

// Large enough that the download and unpack are still running when the test
// sees the first partial blob; small enough to build in memory.
constexpr size_t kBigLayerBytes = 64 << 20;

class PullCriBase : public CriE2eTest {
 protected:
  // Called from SetUp: a skip or failure here leaves the daemon unstarted.
  void StartWith(RegistryMode mode) {
    CRICKET_REQUIRE_ROOT();
    CRICKET_REQUIRE_PROGRAM(registry_bin, "docker-registry");
    CRICKET_REQUIRE_PROGRAM(skopeo_bin, "skopeo");
    CRICKET_REQUIRE_PROGRAM(openssl_bin, "openssl");
    if (mode == RegistryMode::kTlsBasic) {
      CRICKET_REQUIRE_PROGRAM(htpasswd_bin, "htpasswd");
    }
    // The registry comes first: cricketd's config names its port and CA.
    auto reg = RegistryFixture::Start(mode);
    ASSERT_TRUE(reg.ok()) << reg.status();
    registry_ = std::move(*reg);
    extra_config_yaml_ = RegistryConfigYaml(*registry_);
    auto logs = sys::TempDir::Make("cricket-e2e-logs-");
    ASSERT_TRUE(logs.ok()) << logs.status();
    logs_ = std::make_unique<sys::TempDir>(std::move(*logs));
    CriE2eTest::SetUp();
  }

  // A client whose calls may take as long as a large pull or a walk of the
  // whole tree; the fixture's client_ keeps the short per-call deadline.
  absl::StatusOr<std::unique_ptr<cri::client::Client>> LongClient() {
    cri::client::ConnectOptions co;
    co.endpoint = daemon_->endpoint();
    co.timeout = std::chrono::minutes(5);
    return cri::client::Client::Connect(co);
  }

  absl::StatusOr<std::string> Pull(const std::string& ref, const v1::AuthConfig& auth) {
    ASSIGN_OR_RETURN(auto client, LongClient());
    v1::PullImageRequest req;
    req.mutable_image()->set_image(ref);
    *req.mutable_auth() = auth;
    ASSIGN_OR_RETURN(
        v1::PullImageResponse resp,
        client->Call(client->images(), &v1::ImageService::Stub::PullImage, req, "PullImage"));
    return resp.image_ref();
  }

  absl::StatusOr<v1::ImageStatusResponse> ImageStatus(const std::string& ref) {
    v1::ImageStatusRequest req;
    req.mutable_image()->set_image(ref);
    return client_->Call(client_->images(), &v1::ImageService::Stub::ImageStatus, req,
                         "ImageStatus");
  }

  absl::StatusOr<v1::ListImagesResponse> ListImages() {
    return client_->Call(client_->images(), &v1::ImageService::Stub::ListImages,
                         v1::ListImagesRequest(), "ListImages");
  }

  // A pod named `name` with one running container of `image`; its id.
  absl::StatusOr<std::string> RunContainer(const std::string& name, const std::string& image) {
    auto pod_req = PodRequest(name, logs_->path());
    ASSIGN_OR_RETURN(auto pod,
                     Call(&v1::RuntimeService::Stub::RunPodSandbox, pod_req, "RunPodSandbox"));
    v1::CreateContainerRequest create;
    create.set_pod_sandbox_id(pod.pod_sandbox_id());
    *create.mutable_sandbox_config() = pod_req.config();
    auto* cfg = create.mutable_config();
    cfg->mutable_metadata()->set_name("main");
    cfg->mutable_image()->set_image(image);
    cfg->set_log_path(name + ".log");
    for (const char* a : {"sleep", "100000"}) cfg->add_command(a);
    cfg->mutable_linux()->mutable_security_context()->mutable_namespace_options()->set_pid(
        v1::NamespaceMode::CONTAINER);
    ASSIGN_OR_RETURN(auto ctr,
                     Call(&v1::RuntimeService::Stub::CreateContainer, create, "CreateContainer"));
    v1::StartContainerRequest start;
    start.set_container_id(ctr.container_id());
    RETURN_IF_ERROR(
        Call(&v1::RuntimeService::Stub::StartContainer, start, "StartContainer").status());
    return ctr.container_id();
  }

  ExecFn ExecIn(const std::string& id) {
    return [this, id](const std::vector<std::string>& cmd) -> absl::StatusOr<std::string> {
      ASSIGN_OR_RETURN(auto client, LongClient());
      v1::ExecSyncRequest req;
      req.set_container_id(id);
      for (const std::string& a : cmd) req.add_cmd(a);
      req.set_timeout(240);
      ASSIGN_OR_RETURN(
          v1::ExecSyncResponse out,
          client->Call(client->runtime(), &v1::RuntimeService::Stub::ExecSync, req, "ExecSync"));
      if (out.exit_code() != 0) {
        return absl::InternalError(
            absl::StrCat(absl::StrJoin(cmd, " "), ": exit ", out.exit_code(), ": ", out.stderr()));
      }
      return out.stdout();
    };
  }

  // The container's root filesystem is exactly what the layers describe.
  void ExpectTreeMatches(const std::string& container_id, const TestImageSpec& spec) {
    auto seen = ReadContainerTree(ExecIn(container_id));
    ASSERT_TRUE(seen.ok()) << seen.status();
    TreeComparison cmp = CompareTree(spec, *seen);
    EXPECT_TRUE(cmp.problems.empty()) << cmp.problems.size() << " differences:\n"
                                      << absl::StrJoin(cmp.problems, "\n");
    // Not a vacuous pass: every path was compared but the runtime's mount
    // points (CompareTree flags any other mount hiding an image path).
    EXPECT_GT(cmp.compared, 0);
    RecordProperty("masked_by_runtime_mounts", absl::StrJoin(cmp.masked, " "));
  }

  // A pull with `auth` fails as unauthenticated, with an error naming the
  // registry and saying what was wrong with the credentials.
  void ExpectRefused(const std::string& ref, const v1::AuthConfig& auth, const std::string& why) {
    auto id = Pull(ref, auth);
    ASSERT_FALSE(id.ok()) << "pull with user \"" << auth.username() << "\" succeeded";
    EXPECT_EQ(id.status().code(), absl::StatusCode::kUnauthenticated) << id.status();
    EXPECT_NE(id.status().message().find("registry " + registry_->HostPort()), std::string::npos)
        << id.status();
    EXPECT_NE(id.status().message().find(why), std::string::npos) << id.status();
  }

  // Pushes `spec` as <repo>:1.0 to the test's registry; sets ref_ and manifest_.
  void Push(const absl::StatusOr<TestImageSpec>& spec, const std::string& repo) {
    ASSERT_TRUE(spec.ok()) << spec.status();
    auto ref = PushSpec(*registry_, *spec, repo, "1.0", &manifest_);
    ASSERT_TRUE(ref.ok()) << ref.status();
    ref_ = *ref;
  }

  std::unique_ptr<RegistryFixture> registry_;
  std::unique_ptr<sys::TempDir> logs_;
  std::string ref_, manifest_;  // of the pushed image
};

class PullCriTest : public PullCriBase, public ::testing::WithParamInterface<RegistryMode> {
 protected:
  void SetUp() override { StartWith(GetParam()); }
};

// The image is listed under its tag and its repo digest, by id.
void ExpectListed(const v1::Image& img, const std::string& id, const std::string& ref,
                  const std::string& repo_digest) {
  EXPECT_EQ(img.id(), id);
  EXPECT_THAT(img.repo_tags(), ::testing::Contains(ref));
  EXPECT_THAT(img.repo_digests(), ::testing::Contains(repo_digest));
  EXPECT_GT(img.size(), 0u);
}

TEST_P(PullCriTest, PullsWithKubeletAuthAndUnpacksEveryFile) {
  auto spec = LayeredImage();
  ASSERT_NO_FATAL_FAILURE(Push(spec, "e2e/layered"));
  if (GetParam() != RegistryMode::kPlain) {
    ExpectRefused(ref_, v1::AuthConfig(), "credentials");
    ExpectRefused(ref_, KubeletAuth(*registry_, "wrong-password"), "rejected");
    auto none = ImageStatus(ref_);
    ASSERT_TRUE(none.ok()) << none.status();
    EXPECT_FALSE(none->has_image()) << "a refused pull left an image";
  }
  auto id = Pull(ref_, KubeletAuth(*registry_));
  ASSERT_TRUE(id.ok()) << id.status();
  if (GetParam() == RegistryMode::kToken) {
    EXPECT_GT(registry_->token_requests(), 0);
  }

  const std::string repo_digest = registry_->HostPort() + "/e2e/layered@" + manifest_;
  for (const std::string& name : {ref_, repo_digest, *id}) {
    auto st = ImageStatus(name);
    ASSERT_TRUE(st.ok()) << st.status();
    ASSERT_TRUE(st->has_image()) << name;
    ExpectListed(st->image(), *id, ref_, repo_digest);
  }
  auto list = ListImages();
  ASSERT_TRUE(list.ok()) << list.status();
  ASSERT_EQ(list->images_size(), 1);
  ExpectListed(list->images(0), *id, ref_, repo_digest);

  auto ctr = RunContainer("layered", ref_);
  ASSERT_TRUE(ctr.ok()) << ctr.status();
  ExpectTreeMatches(*ctr, *spec);
}

// True once a partial download of the big layer (over 8 MiB; the busybox
// layer is smaller) sits in the ingest dir, false if the pull ended first.
bool WaitForBigPartial(const std::string& ingest, const std::atomic<bool>& pull_done) {
  namespace fs = std::filesystem;
  for (int i = 0; i < 150000 && !pull_done; ++i) {
    std::error_code ec;
    for (fs::directory_iterator it(ingest, ec), end; !ec && it != end; it.increment(ec)) {
      std::error_code size_ec;
      uintmax_t size = fs::file_size(it->path(), size_ec);
      if (!size_ec && size > (8u << 20)) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return false;
}

TEST_P(PullCriTest, Kill9MidPullLeavesImageWholeOrAbsent) {
  auto spec = BigImage(kBigLayerBytes);
  ASSERT_NO_FATAL_FAILURE(Push(spec, "e2e/big"));

  const std::string ingest = daemon_->dir() + "/root/images/ingest";
  std::atomic<bool> done{false};
  absl::StatusOr<std::string> first = absl::UnknownError("not run");
  std::thread puller([&] {
    first = Pull(ref_, KubeletAuth(*registry_));
    done = true;
  });
  bool mid_pull = WaitForBigPartial(ingest, done);
  KillAndRestart();
  puller.join();
  // Either way the store must be consistent; the property says which case ran.
  RecordProperty("killed_mid_pull", mid_pull ? "yes" : "no (the pull finished first)");
  if (mid_pull) {
    std::cout << "killed mid-pull; the first pull said: " << first.status() << "\n";
  }

  auto after = ImageStatus(ref_);
  ASSERT_TRUE(after.ok()) << after.status();
  auto list = ListImages();
  ASSERT_TRUE(list.ok()) << list.status();
  std::cout << "after the restart the image is " << (after->has_image() ? "listed" : "absent")
            << "\n";
  if (after->has_image()) {
    // Listed means whole: every file of every layer, usable by a container.
    EXPECT_EQ(list->images_size(), 1);
    auto ctr = RunContainer("survivor", ref_);
    ASSERT_TRUE(ctr.ok()) << ctr.status();
    ExpectTreeMatches(*ctr, *spec);
  } else {
    EXPECT_EQ(list->images_size(), 0) << "a half-pulled image is listed";
  }

  auto id = Pull(ref_, KubeletAuth(*registry_));
  ASSERT_TRUE(id.ok()) << id.status();
  auto st = ImageStatus(ref_);
  ASSERT_TRUE(st.ok() && st->has_image()) << st.status();
  ExpectListed(st->image(), *id, ref_, registry_->HostPort() + "/e2e/big@" + manifest_);
  // The resumed partials became blobs: nothing is left half-written.
  std::error_code ec;
  EXPECT_TRUE(std::filesystem::is_empty(ingest, ec)) << ingest << " " << ec.message();
  auto ctr = RunContainer("repulled", ref_);
  ASSERT_TRUE(ctr.ok()) << ctr.status();
  ExpectTreeMatches(*ctr, *spec);
}

// The narrowest crash window: every blob written in full but not yet renamed
// into the store. The next pull must finish from those partials (a registry
// answers a Range that starts at a blob's end with 416) and run the image.
TEST_P(PullCriTest, WholePartialsLeftByACrashCompleteTheNextPull) {
  auto spec = BusyboxImage();
  ASSERT_NO_FATAL_FAILURE(Push(spec, "e2e/crash"));
  ASSERT_TRUE(Pull(ref_, KubeletAuth(*registry_)).ok());
  absl::Status rewound = RewindToCompletePartials(daemon_->dir() + "/root");
  ASSERT_TRUE(rewound.ok()) << rewound;
  KillAndRestart();
  auto after = ImageStatus(ref_);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_FALSE(after->has_image()) << "an image without its record is listed";

  auto id = Pull(ref_, KubeletAuth(*registry_));
  ASSERT_TRUE(id.ok()) << id.status();
  std::error_code ec;
  EXPECT_TRUE(std::filesystem::is_empty(daemon_->dir() + "/root/images/ingest", ec));
  auto ctr = RunContainer("crashed", ref_);
  ASSERT_TRUE(ctr.ok()) << ctr.status();
  ExpectTreeMatches(*ctr, *spec);
}

// Images whose layers umoci, Python's tarfile or GNU tar -P wrote, with "/",
// "/bin/busybox" or "./bin/busybox" names (and hard-link targets): containerd
// and CRI-O run them, taking every name as inside the layer, and so must we.
class ToolLayersCriTest : public PullCriBase, public ::testing::WithParamInterface<LayerTool> {
 protected:
  void SetUp() override {
    CRICKET_REQUIRE_PROGRAM(tool_bin, LayerToolProgram(GetParam()).c_str());
    StartWith(RegistryMode::kPlain);
  }

  // Runs `cmd` in the container; its stdout.
  std::string In(const std::string& ctr, const std::vector<std::string>& cmd) {
    auto out = ExecIn(ctr)(cmd);
    EXPECT_TRUE(out.ok()) << out.status();
    return out.value_or("");
  }
};

// What a host path holds now ("<absent>" if nothing), to see it untouched.
std::string HostState(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) return "<absent>";
  return absl::StrCat(st.st_mode, " ", st.st_ino, " ", st.st_size, " ", st.st_mtim.tv_sec, ".",
                      st.st_mtim.tv_nsec);
}

TEST_P(ToolLayersCriTest, PullsAndRunsWithEveryFileInsideTheLayer) {
  auto spec = LayeredImage();
  ASSERT_TRUE(spec.ok()) << spec.status();
  // Canaries where "/" and ".." would lead if the names were not confined to
  // the layer: the host's own paths the image names, and files next to the
  // daemon's layer store.
  const std::vector<std::string> host_paths = {"/etc/motd", "/etc/passwd", "/data",
                                               "/bin/setuid-tool", "/bin/busybox"};
  std::map<std::string, std::string> before;
  for (const std::string& p : host_paths) before[p] = HostState(p);
  const std::string canary = daemon_->dir() + "/root/images/canary";
  ASSERT_TRUE(sys::WriteFileAtomic(canary, "canary\n").ok());

  std::string tool = LayerToolName(GetParam());
  auto ref = PushToolImage(GetParam(), *spec, *registry_, "e2e/tool-" + absl::AsciiStrToLower(tool),
                           "1.0");
  ASSERT_TRUE(ref.ok()) << ref.status();
  auto id = Pull(*ref, KubeletAuth(*registry_));
  ASSERT_TRUE(id.ok()) << id.status();
  auto ctr = RunContainer("tool", *ref);
  ASSERT_TRUE(ctr.ok()) << ctr.status();
  ExpectTreeMatches(*ctr, *spec);
  // A few of those paths as a user would look at them.
  EXPECT_EQ(In(*ctr, {"cat", "/etc/motd"}), "layer three\n");
  EXPECT_EQ(In(*ctr, {"stat", "-c", "%a %u:%g", "/bin/setuid-tool", "/data/opaque/new", "/tmp"}),
            "4755 0:0\n600 2000:2000\n1777 0:0\n");
  EXPECT_EQ(In(*ctr, {"readlink", "/data/abs-link"}), "/etc/passwd\n");
  EXPECT_EQ(In(*ctr, {"ls", "-A", "/data/opaque"}), "new\n");
  EXPECT_EQ(In(*ctr, {"stat", "-c", "%h %i", "/data/original"}),
            In(*ctr, {"stat", "-c", "%h %i", "/data/hardlink"}));
  EXPECT_EQ(In(*ctr, {"sh", "-c", "test -e /data/gone || echo gone"}), "gone\n");

  for (const std::string& p : host_paths) EXPECT_EQ(HostState(p), before[p]) << p;
  EXPECT_EQ(sys::ReadFile(canary).value_or(""), "canary\n");
}

INSTANTIATE_TEST_SUITE_P(Tools, ToolLayersCriTest,
                         ::testing::Values(LayerTool::kUmoci, LayerTool::kPythonTarfile,
                                           LayerTool::kGnuTarAbsolute),
                         [](const auto& info) { return LayerToolName(info.param); });

INSTANTIATE_TEST_SUITE_P(Registries, PullCriTest,
                         ::testing::Values(RegistryMode::kPlain, RegistryMode::kTlsBasic,
                                           RegistryMode::kToken),
                         [](const auto& info) { return RegistryModeName(info.param); });

}  // namespace
}  // namespace cricket::testing
