// Bounded container logs over CRI (issue 19): runtime.log_size_max stops the
// monitor writing at the cap (said once in its own log) until
// ReopenContainerLog; a full disk (a small tmpfs made here) is said once,
// not once per chunk of output.
#include <sys/mount.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

#include "oci/sys/atomic_file.h"
#include "oci/sys/temp_dir.h"
#include "tests/e2e/common/cri_e2e_fixture.h"

namespace cricket::testing {
namespace {

constexpr int64_t kCap = 16384;

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Writes `lines` lines of 100 bytes, then marks /tmp/done; afterwards prints
// "after-reopen" each time /tmp/go appears.
const char kScript[] =
    "i=0; while [ $i -lt $LINES ]; do "
    "echo line-$i-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; "
    "i=$((i+1)); done; touch /tmp/done; "
    "while true; do if [ -e /tmp/go ]; then rm /tmp/go; echo after-reopen; fi; sleep 0.1; done";

class LogCapCriTest : public CriE2eTest {
 protected:
  void SetUp() override {
    CriE2eTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    UseBusybox();
  }
  void Start(const std::string& log_dir, int lines) {
    auto pod_req = PodRequest("logcap", log_dir);
    auto pod = Call(&v1::RuntimeService::Stub::RunPodSandbox, pod_req, "RunPodSandbox");
    ASSERT_TRUE(pod.ok()) << pod.status();
    pod_ = pod->pod_sandbox_id();
    v1::CreateContainerRequest create;
    create.set_pod_sandbox_id(pod_);
    *create.mutable_sandbox_config() = pod_req.config();
    auto* cfg = create.mutable_config();
    cfg->mutable_metadata()->set_name("chatty");
    cfg->mutable_image()->set_image(image_);
    cfg->set_log_path("chatty.log");
    auto* env = cfg->add_envs();
    env->set_key("LINES");
    env->set_value(std::to_string(lines));
    for (const char* a : {"sh", "-c", kScript}) cfg->add_command(a);
    cfg->mutable_linux()->mutable_security_context()->mutable_namespace_options()->set_pid(
        v1::NamespaceMode::CONTAINER);
    auto ctr = Call(&v1::RuntimeService::Stub::CreateContainer, create, "CreateContainer");
    ASSERT_TRUE(ctr.ok()) << ctr.status();
    id_ = ctr->container_id();
    v1::StartContainerRequest start;
    start.set_container_id(id_);
    ASSERT_TRUE(Call(&v1::RuntimeService::Stub::StartContainer, start, "StartContainer").ok());
  }
  absl::StatusOr<int> Exec(const std::string& sh) {
    v1::ExecSyncRequest r;
    r.set_container_id(id_);
    for (const char* a : {"sh", "-c"}) r.add_cmd(a);
    r.add_cmd(sh);
    r.set_timeout(10);
    auto out = Call(&v1::RuntimeService::Stub::ExecSync, r, "ExecSync");
    if (!out.ok()) return out.status();
    return out->exit_code();
  }
  // Until the container has written all its lines (and the monitor read them).
  void WaitDone() {
    for (int i = 0; i < 300; i++) {
      if (Exec("test -e /tmp/done").value_or(1) == 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL() << "the container did not finish writing";
  }
  std::string MonitorLog() {
    return sys::ReadFile(daemon_->dir() + "/state/containers/" + id_ + "/monitor.log").value_or("");
  }
  std::string pod_, id_;
};

class LogCapWithCapTest : public LogCapCriTest {
 protected:
  LogCapWithCapTest() {
    extra_config_yaml_ = "runtime:\n  log_size_max: " + std::to_string(kCap) + "\n";
  }
};

TEST_F(LogCapWithCapTest, StopsAtTheCapSaysSoOnceAndResumesAfterReopen) {
  auto logs = sys::TempDir::Make("cricket-e2e-logs-");
  ASSERT_TRUE(logs.ok());
  Start(logs->path(), 2000);  // ~280 KB as CRI lines, 17× the cap
  ASSERT_FALSE(HasFatalFailure());
  WaitDone();
  ASSERT_FALSE(HasFatalFailure());
  std::string log = *sys::ReadFile(logs->Sub("chatty.log"));
  EXPECT_LE(static_cast<int64_t>(log.size()), kCap);
  EXPECT_GT(static_cast<int64_t>(log.size()), kCap / 2);
  EXPECT_NE(log.find(" stdout F line-0-"), std::string::npos);
  EXPECT_EQ(log.find(" stdout F line-1999-"), std::string::npos);
  EXPECT_EQ(Count(MonitorLog(), "reached its size cap"), 1) << MonitorLog();

  // The kubelet rotates: rename, then ReopenContainerLog; output resumes.
  ASSERT_EQ(std::rename(logs->Sub("chatty.log").c_str(), logs->Sub("chatty.log.1").c_str()), 0);
  v1::ReopenContainerLogRequest reopen;
  reopen.set_container_id(id_);
  ASSERT_TRUE(Call(&v1::RuntimeService::Stub::ReopenContainerLog, reopen, "ReopenContainerLog").ok());
  ASSERT_EQ(Exec("touch /tmp/go").value_or(-1), 0);
  std::string fresh;
  for (int i = 0; i < 100 && fresh.find("after-reopen") == std::string::npos; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    fresh = sys::ReadFile(logs->Sub("chatty.log")).value_or("");
  }
  EXPECT_NE(fresh.find(" stdout F after-reopen\n"), std::string::npos) << fresh;
  EXPECT_EQ(sys::ReadFile(logs->Sub("chatty.log.1"))->size(), log.size());
  ASSERT_TRUE(RemovePod(pod_).ok());
}

using LogCapFullDiskTest = LogCapCriTest;  // no cap: the disk is the limit

TEST_F(LogCapFullDiskTest, AFullLogDiskIsSaidOnce) {
  auto dir = sys::TempDir::Make("cricket-e2e-fulllog-");
  ASSERT_TRUE(dir.ok());
  ASSERT_EQ(::mount("tmpfs", dir->path().c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "size=32k,mode=0755"),
            0)
      << strerror(errno);
  struct Unmount {
    std::string path;
    ~Unmount() { ::umount2(path.c_str(), MNT_DETACH); }
  } unmount{dir->path()};
  Start(dir->path(), 2000);  // ~280 KB into 32 KiB
  ASSERT_FALSE(HasFatalFailure());
  WaitDone();
  std::string said = MonitorLog();
  EXPECT_EQ(Count(said, "container log write failed"), 1) << said;
  EXPECT_NE(said.find("No space left on device"), std::string::npos) << said;
  EXPECT_LT(Count(said, "\n"), 5) << said;  // not one line per chunk
  // The container goes on running; stop it before the tmpfs goes.
  ASSERT_EQ(Exec("true").value_or(-1), 0);
  ASSERT_TRUE(RemovePod(pod_).ok());
}

}  // namespace
}  // namespace cricket::testing
