// What an image or a container holds stays away from the host, checked on a
// real cricketd over CRI: unprivileged host users reach no setuid binary of
// an image or a container (containerd's CVE-2021-41103), a daemon start
// tightens the looser modes of an older install, and an image whose
// /etc/passwd is a FIFO gets a clear CreateContainer error instead of a read.
#include <sys/stat.h>

#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/child_process.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"
#include "tests/e2e/common/cri_e2e_fixture.h"
#include "tests/fixtures/image_builder.h"
#include "tests/fixtures/partners.h"

namespace cricket::testing {
namespace {

class HostIsolationTest : public CriE2eTest {
 protected:
  void SetUp() override {
    CriE2eTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ServeBusybox();
    if (HasFatalFailure()) return;
    // mkdtemp made the daemon's dir 0700; /var/lib is 0755 on a real node.
    ASSERT_EQ(::chmod(daemon_->dir().c_str(), 0755), 0);
    root_ = daemon_->dir() + "/root";
    state_ = daemon_->dir() + "/state";
  }

  // Busybox with one more layer on top; returns the reference to pull.
  std::string PushWithLayer(const std::string& repo, std::vector<LayerEntry> layer) {
    auto layout = sys::TempDir::Make("cricket-e2e-layout-");
    auto spec = BusyboxImage();
    EXPECT_TRUE(layout.ok() && spec.ok());
    if (!layout.ok() || !spec.ok()) return "";
    spec->layers.push_back(std::move(layer));
    auto written = WriteImage(layout->path(), *spec, "1.0");
    EXPECT_TRUE(written.ok()) << written.status();
    absl::Status pushed = PushLayout(layout->path(), "1.0", *registry_, repo, false);
    EXPECT_TRUE(pushed.ok()) << pushed;
    return registry_->HostPort() + "/" + repo + ":1.0";
  }

  void Pull(const std::string& ref) {
    v1::PullImageRequest pull;
    pull.mutable_image()->set_image(ref);
    auto pulled =
        client_->Call(client_->images(), &v1::ImageService::Stub::PullImage, pull, "PullImage");
    ASSERT_TRUE(pulled.ok()) << pulled.status();
  }

  v1::CreateContainerRequest Create(const std::string& pod_id, const v1::PodSandboxConfig& pod,
                                    const std::string& ref) {
    v1::CreateContainerRequest c;
    c.set_pod_sandbox_id(pod_id);
    *c.mutable_sandbox_config() = pod;
    c.mutable_config()->mutable_metadata()->set_name("main");
    c.mutable_config()->mutable_image()->set_image(ref);
    for (const char* a : {"sleep", "1000"}) c.mutable_config()->add_command(a);
    c.mutable_config()->mutable_linux()->mutable_security_context()
        ->mutable_namespace_options()->set_pid(v1::NamespaceMode::CONTAINER);
    return c;
  }

  // Every setuid file under cricket's dirs, as root finds them.
  std::set<std::string> SetuidFilesAsRoot() {
    sys::SpawnOptions o;
    o.argv = {"find", root_, state_, "-perm", "-4000", "-type", "f"};
    auto r = sys::RunCommand(o);
    EXPECT_TRUE(r.ok()) << r.status();
    std::set<std::string> out;
    if (!r.ok()) return out;
    for (absl::string_view l : absl::StrSplit(r->out, '\n', absl::SkipEmpty())) {
      out.emplace(l);
    }
    return out;
  }

  // `argv` run as nobody:nogroup without supplementary groups.
  static absl::StatusOr<sys::CommandResult> AsNobody(std::vector<std::string> argv) {
    sys::SpawnOptions o;
    o.argv = {"setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"};
    o.argv.insert(o.argv.end(), argv.begin(), argv.end());
    return sys::RunCommand(o);
  }

  std::string root_, state_;
};

bool AnyEndsWith(const std::set<std::string>& paths, const std::string& tail) {
  for (const auto& p : paths) {
    if (absl::EndsWith(p, tail)) return true;
  }
  return false;
}

TEST_F(HostIsolationTest, HostUsersReachNoSetuidBinaryOfAnImageOrContainer) {
  auto busybox = sys::ReadFile("/bin/busybox");
  ASSERT_TRUE(busybox.ok()) << busybox.status();
  std::string ref =
      PushWithLayer("e2e/suid", {{LayerEntry::kFile, "bin/suid-busybox", *busybox, "", 04755}});
  ASSERT_FALSE(HasFailure());
  Pull(ref);
  auto pod_req = PodRequest("suid");
  auto pod = Call(&v1::RuntimeService::Stub::RunPodSandbox, pod_req, "RunPodSandbox");
  ASSERT_TRUE(pod.ok()) << pod.status();
  auto ctr = Call(&v1::RuntimeService::Stub::CreateContainer,
                  Create(pod->pod_sandbox_id(), pod_req.config(), ref), "CreateContainer");
  ASSERT_TRUE(ctr.ok()) << ctr.status();
  v1::StartContainerRequest start;
  start.set_container_id(ctr->container_id());
  ASSERT_TRUE(Call(&v1::RuntimeService::Stub::StartContainer, start, "StartContainer").ok());

  // The container's root makes setuid-root copies in its upper dir and, when
  // it can write it, in the pod's /etc/hosts (a file of the pod dir on the host).
  v1::ExecSyncRequest exec;
  exec.set_container_id(ctr->container_id());
  for (const char* a : {"sh", "-c",
                        "cp /bin/busybox /tmp/suid-copy && chmod 4755 /tmp/suid-copy && "
                        "{ cat /bin/busybox > /etc/hosts && chmod 4755 /etc/hosts; } 2>/dev/null;"
                        " exit 0"}) {
    exec.add_cmd(a);
  }
  exec.set_timeout(20);
  auto made = Call(&v1::RuntimeService::Stub::ExecSync, exec, "ExecSync");
  ASSERT_TRUE(made.ok()) << made.status();
  ASSERT_EQ(made->exit_code(), 0) << made->stderr();

  std::set<std::string> suid = SetuidFilesAsRoot();
  // The merged rootfs, the upper dir and the unpacked layer all hold one.
  EXPECT_TRUE(AnyEndsWith(suid, "/rootfs/bin/suid-busybox")) << absl::StrJoin(suid, "\n");
  EXPECT_TRUE(AnyEndsWith(suid, "/upper/tmp/suid-copy")) << absl::StrJoin(suid, "\n");
  EXPECT_TRUE(AnyEndsWith(suid, "/fs/bin/suid-busybox")) << absl::StrJoin(suid, "\n");
  for (const std::string& path : suid) {
    auto r = AsNobody({"stat", "-c", "%A", path});
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_NE(r->exit.code(), 0) << "nobody reaches " << path << ": " << r->out;
    EXPECT_NE(r->err.find("Permission denied"), std::string::npos) << path << ": " << r->err;
  }
  // Nor can nobody find any by walking the dirs.
  auto walked = AsNobody({"find", root_, state_, "-perm", "-4000"});
  ASSERT_TRUE(walked.ok()) << walked.status();
  EXPECT_EQ(walked->out, "");
}

// An older cricket made these 0711/0755; a start of this one tightens them.
TEST_F(HostIsolationTest, StartTightensTheModesOfAnOlderInstall) {
  const std::vector<std::string> private_dirs = {
      root_ + "/images",     root_ + "/images/layers",   root_ + "/images/containers",
      root_ + "/images/blobs/sha256", root_ + "/pods", state_ + "/pods",
      state_ + "/containers", state_ + "/oci",           state_ + "/exits"};
  for (const std::string& d : private_dirs) {
    ASSERT_TRUE(sys::MkdirAll(d).ok()) << d;
    ASSERT_EQ(::chmod(d.c_str(), 0755), 0) << d;
  }
  KillAndRestart();
  ASSERT_FALSE(HasFatalFailure());
  for (const std::string& d : private_dirs) {
    struct stat st;
    ASSERT_EQ(::stat(d.c_str(), &st), 0) << d;
    EXPECT_EQ(st.st_mode & 07777, 0700u) << d;
  }
  // What must stay reachable does: the root and state dirs stay traversable.
  for (const std::string& d : {root_, state_}) {
    struct stat st;
    ASSERT_EQ(::stat(d.c_str(), &st), 0) << d;
    EXPECT_EQ(st.st_mode & 07777, 0711u) << d;
  }
}

// The old reader opened the FIFO (non-blocking) before looking at its type,
// then carried on with an empty passwd; now nothing is opened and the error
// names the file. cricketd answers and runs containers afterwards.
TEST_F(HostIsolationTest, PasswdFifoInTheImageFailsCreateContainerByName) {
  std::string ref = PushWithLayer("e2e/fifo-passwd", {{LayerEntry::kFifo, "etc/passwd", "", "", 0644}});
  ASSERT_FALSE(HasFailure());
  Pull(ref);
  auto pod_req = PodRequest("fifo");
  auto pod = Call(&v1::RuntimeService::Stub::RunPodSandbox, pod_req, "RunPodSandbox");
  ASSERT_TRUE(pod.ok()) << pod.status();
  auto req = Create(pod->pod_sandbox_id(), pod_req.config(), ref);
  req.mutable_config()->mutable_linux()->mutable_security_context()->set_run_as_username("tester");
  auto ctr = Call(&v1::RuntimeService::Stub::CreateContainer, req, "CreateContainer");
  ASSERT_FALSE(ctr.ok());
  EXPECT_EQ(ctr.status().code(), absl::StatusCode::kFailedPrecondition) << ctr.status();
  EXPECT_NE(ctr.status().message().find("/etc/passwd is a FIFO"), std::string::npos)
      << ctr.status();

  EXPECT_TRUE(client_->Version().ok());
  PullBusybox();
  auto plain = Create(pod->pod_sandbox_id(), pod_req.config(), image_);
  plain.mutable_config()->mutable_metadata()->set_name("plain");
  auto ok = Call(&v1::RuntimeService::Stub::CreateContainer, plain, "CreateContainer");
  EXPECT_TRUE(ok.ok()) << ok.status();
}

}  // namespace
}  // namespace cricket::testing
