// The soak (issue 17): two kubelet-like clients cycle pods and containers
// and a third pulls and removes an image, while cricketd is killed with
// SIGKILL at random moments (seeded; the seed is printed) and restarted.
// Each client retries a failed call with the same metadata, as the kubelet
// does. At the end everything is removed through CRI and the host must hold
// nothing more than before: no IP, veth, mount, cgroup, process or file.
// CRICKET_SOAK_SEED=<n> repeats a run; CRICKET_SOAK_KILLS=<n> (default 15).
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "oci/sys/temp_dir.h"
#include "tests/e2e/crash/crash_helpers.h"
#include "tests/e2e/crash/recovery_helpers.h"
#include "tests/fixtures/image_builder.h"

namespace cricket::testing {
namespace {

using Rt = v1::RuntimeService::Stub;
using Img = v1::ImageService::Stub;

int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::atoi(v) : fallback;
}

// What every client counts.
struct Counts {
  std::atomic<int> cycles{0};       // pod+container cycles (or pull+remove) completed
  std::atomic<int> interrupted{0};  // calls that failed and were retried
  std::string last_error;           // the client's own thread only
};

class SoakTest : public RecoveryE2eTest {
 protected:
  void SetUp() override {
    RecoveryE2eTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    scope_.daemon_dir = daemon_->dir();
    scope_.cgroup_parent = "/cricket-e2e-" + std::to_string(getpid());
    scope_.bridge = cni_->bridge();
    scope_.ipam_dir = cni_->ipam_dir() + "/" + cni_->network_name();
    scope_.ignore_pids = {daemon_->pid()};
    // A second image for the pulling client, sharing busybox's layer.
    auto layout = sys::TempDir::Make("cricket-soak-image-");
    ASSERT_TRUE(layout.ok()) << layout.status();
    auto spec = LayeredImage();
    ASSERT_TRUE(spec.ok()) << spec.status();
    ASSERT_TRUE(WriteImage(layout->path(), *spec, "soak").ok());
    ASSERT_TRUE(PushLayout(layout->path(), "soak", *registry_, "e2e/soak", false).ok());
    soak_image_ = registry_->HostPort() + "/e2e/soak:soak";
  }

  // A client of its own: its channel reconnects after each restart.
  std::unique_ptr<cri::client::Client> NewClient() {
    cri::client::ConnectOptions co;
    co.endpoint = daemon_->endpoint();
    co.timeout = std::chrono::seconds(30);
    auto c = cri::client::Client::Connect(co);
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? std::move(*c) : nullptr;
  }

  // Calls `call` until it succeeds, `done_if` accepts its error, or the run
  // is over; each failure counts as an interrupted call.
  bool Retry(Counts& n, const std::function<absl::Status()>& call,
             const std::function<bool(const absl::Status&)>& done_if = {}) {
    for (int i = 0; i < 600; ++i) {
      absl::Status st = call();
      if (st.ok() || (done_if && done_if(st))) return true;
      n.interrupted++;
      n.last_error = st.ToString();
      if (drain_ && i > 100) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  void PodClient(int w, Counts& n);
  void ImageClient(Counts& n);
  std::string RemoveEverything();

  CrashScope scope_;
  std::string soak_image_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> drain_{false};
};

bool IsNotFound(const absl::Status& st) { return absl::IsNotFound(st); }

void SoakTest::PodClient(int w, Counts& n) {
  std::unique_ptr<cri::client::Client> c = NewClient();
  if (!c) return;
  for (int i = 0; !stop_; ++i) {
    v1::RunPodSandboxRequest pod = PodRequest(absl::StrCat("soak-", w, "-", i));
    pod.mutable_config()->mutable_linux()->set_cgroup_parent(
        absl::StrCat(scope_.cgroup_parent, "/", pod.config().metadata().name()));
    std::string pod_id, ctr_id;
    if (!Retry(n, [&] {
          auto r = c->Call(c->runtime(), &Rt::RunPodSandbox, pod, "RunPodSandbox");
          if (r.ok()) pod_id = r->pod_sandbox_id();
          return r.status();
        }))
      return;
    v1::CreateContainerRequest create;
    create.set_pod_sandbox_id(pod_id);
    *create.mutable_sandbox_config() = pod.config();
    create.mutable_config()->mutable_metadata()->set_name("main");
    create.mutable_config()->mutable_image()->set_image(image_);
    for (const char* a : {"sleep", "1000"}) create.mutable_config()->add_command(a);
    create.mutable_config()->mutable_linux()->mutable_security_context()->mutable_namespace_options()->set_pid(
        v1::NamespaceMode::CONTAINER);  // as the pod's (PodRequest)
    // A create whose answer was lost: the kubelet finds it by name and goes on.
    auto find = [&] {
      v1::ListContainersRequest l;
      l.mutable_filter()->set_pod_sandbox_id(pod_id);
      auto r = c->Call(c->runtime(), &Rt::ListContainers, l, "ListContainers");
      if (r.ok() && r->containers_size() > 0) ctr_id = r->containers(0).id();
      return !ctr_id.empty();
    };
    if (!Retry(n, [&] {
          if (find()) return absl::OkStatus();
          auto r = c->Call(c->runtime(), &Rt::CreateContainer, create, "CreateContainer");
          if (r.ok()) ctr_id = r->container_id();
          return r.status();
        }))
      return;
    v1::StartContainerRequest start;
    start.set_container_id(ctr_id);
    // "cannot start ... running": an earlier attempt did start it.
    Retry(n, [&] { return c->Call(c->runtime(), &Rt::StartContainer, start, "StartContainer").status(); },
          [](const absl::Status& st) { return absl::IsFailedPrecondition(st); });
    v1::StopContainerRequest stop;
    stop.set_container_id(ctr_id);
    Retry(n, [&] { return c->Call(c->runtime(), &Rt::StopContainer, stop, "StopContainer").status(); },
          IsNotFound);
    v1::RemoveContainerRequest rm;
    rm.set_container_id(ctr_id);
    Retry(n, [&] { return c->Call(c->runtime(), &Rt::RemoveContainer, rm, "RemoveContainer").status(); },
          IsNotFound);
    v1::StopPodSandboxRequest stopp;
    stopp.set_pod_sandbox_id(pod_id);
    Retry(n, [&] { return c->Call(c->runtime(), &Rt::StopPodSandbox, stopp, "StopPodSandbox").status(); },
          IsNotFound);
    v1::RemovePodSandboxRequest rmp;
    rmp.set_pod_sandbox_id(pod_id);
    Retry(n, [&] { return c->Call(c->runtime(), &Rt::RemovePodSandbox, rmp, "RemovePodSandbox").status(); },
          IsNotFound);
    n.cycles++;
  }
}

void SoakTest::ImageClient(Counts& n) {
  std::unique_ptr<cri::client::Client> c = NewClient();
  if (!c) return;
  while (!stop_) {
    v1::PullImageRequest pull;
    pull.mutable_image()->set_image(soak_image_);
    if (!Retry(n, [&] { return c->Call(c->images(), &Img::PullImage, pull, "PullImage").status(); })) return;
    v1::RemoveImageRequest rm;
    rm.mutable_image()->set_image(soak_image_);
    Retry(n, [&] { return c->Call(c->images(), &Img::RemoveImage, rm, "RemoveImage").status(); },
          IsNotFound);
    n.cycles++;
  }
}

// What the kubelet's last calls would do: every pod stopped and removed, the
// soak image removed. Returns what could not be removed.
std::string SoakTest::RemoveEverything() {
  std::string out;
  auto pods = Call(&Rt::ListPodSandbox, v1::ListPodSandboxRequest(), "ListPodSandbox");
  if (!pods.ok()) return pods.status().ToString();
  for (const auto& p : pods->items()) {
    v1::StopPodSandboxRequest stop;
    stop.set_pod_sandbox_id(p.id());
    auto st = Call(&Rt::StopPodSandbox, stop, "StopPodSandbox").status();
    if (st.ok()) st = RemovePod(p.id());
    if (!st.ok()) out += absl::StrCat("pod ", p.id(), ": ", st.ToString(), "\n");
  }
  v1::RemoveImageRequest rm;
  rm.mutable_image()->set_image(soak_image_);
  auto st = client_->Call(client_->images(), &Img::RemoveImage, rm, "RemoveImage").status();
  if (!st.ok() && !absl::IsNotFound(st)) out += "soak image: " + st.ToString() + "\n";
  auto ctrs = Call(&Rt::ListContainers, v1::ListContainersRequest(), "ListContainers");
  if (ctrs.ok() && ctrs->containers_size() > 0) out += "containers still listed\n";
  return out;
}

TEST_F(SoakTest, KillNineWhileClientsWorkLeaksNothing) {
  const HostState before = TakeHostState(scope_);
  const unsigned seed = static_cast<unsigned>(EnvInt("CRICKET_SOAK_SEED", static_cast<int>(time(nullptr))));
  const int kills = EnvInt("CRICKET_SOAK_KILLS", 15);
  std::printf("soak: seed %u (CRICKET_SOAK_SEED=%u repeats it), %d kills\n", seed, seed, kills);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> gap_ms(1000, 4000);

  Counts pods[2], images;
  std::thread a([&] { PodClient(0, pods[0]); });
  std::thread b([&] { PodClient(1, pods[1]); });
  std::thread i([&] { ImageClient(images); });
  for (int k = 0; k < kills && !HasFatalFailure(); ++k) {
    std::this_thread::sleep_for(std::chrono::milliseconds(gap_ms(rng)));
    KillAndRestartWith({});
    if (restarted_) scope_.ignore_pids.push_back(restarted_->pid());
  }
  stop_ = true;
  drain_ = true;
  a.join();
  b.join();
  i.join();
  ASSERT_FALSE(HasFatalFailure());
  EXPECT_EQ(RemoveEverything(), "");
  HostState after = TakeHostState(scope_);
  after.files.erase(RestartLog());  // the test's own log of the last daemon
  // Directories made once and kept (records/<kind>, layer dirs) are no leak.
  for (auto it = after.files.begin(); it != after.files.end();) {
    struct stat st;
    bool dir = ::lstat(it->c_str(), &st) == 0 && S_ISDIR(st.st_mode);
    it = dir ? after.files.erase(it) : std::next(it);
  }
  std::string leaks = DiffHostState(before, after);
  int leaked = 0;
  for (char ch : leaks) leaked += ch == '\n';
  std::printf("soak: kills %d, pod cycles %d + %d, image cycles %d, calls interrupted %d, leaks: %d\n",
              kills, pods[0].cycles.load(), pods[1].cycles.load(), images.cycles.load(),
              pods[0].interrupted + pods[1].interrupted + images.interrupted, leaked);
  EXPECT_EQ(leaks, "");
  if (!leaks.empty()) SweepLeaks(before, scope_);  // the machine is shared
  // The clients did work between the kills (else the soak proves nothing).
  EXPECT_GT(pods[0].cycles + pods[1].cycles, 0) << pods[0].last_error << "\n" << pods[1].last_error;
  EXPECT_GT(images.cycles.load(), 0) << images.last_error;
}

}  // namespace
}  // namespace cricket::testing
