// StreamFixture; see stream_fixture.h.
#include "tests/integration/pod/stream_fixture.h"

#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <thread>

#include "absl/strings/str_cat.h"
#include "oci/sys/fs.h"
#include "oci/sys/status.h"
#include "tests/fixtures/partners.h"
#include "tests/fixtures/rootfs_builder.h"

namespace cricket::pod::testing {
namespace {

std::string CgroupParent() { return absl::StrCat("/cricket-stream-test-", getpid()); }

}  // namespace

absl::StatusOr<ResolvedImage> BusyboxImages::Resolve(const std::string& ref) {
  if (ref != "busybox:test") return absl::NotFoundError("image " + ref + " not found");
  ResolvedImage r;
  r.id = "sha256:0123";
  r.ref = "busybox@sha256:0123";
  r.config.entrypoint = {"/bin/sh"};
  r.config.env = {"PATH=/bin"};
  return r;
}

absl::StatusOr<std::string> BusyboxImages::PrepareRootfs(const std::string& id,
                                                         const std::string&) {
  std::string p = dir_ + "/" + id;
  RETURN_IF_ERROR(cricket::testing::BuildBusyboxRootfs(p));
  return p;
}

absl::Status BusyboxImages::RemoveRootfs(const std::string& id) {
  return sys::RemoveAll(dir_ + "/" + id);
}

void StreamFixture::SetUpPod(bool own_netns) {
  CRICKET_REQUIRE_ROOT();
  own_netns_ = own_netns;
  monitor_ = cricket::testing::BuiltProgram("pod/cricket-monitor");
  if (access(monitor_.c_str(), X_OK) != 0) {
    if (cricket::testing::InCI()) FAIL() << monitor_ << " not built (CI=true)";
    GTEST_SKIP() << monitor_ << " not built";
  }
  conf::Config::Cni cc;
  if (own_netns) {
    auto cni = cricket::testing::CniFixture::Make();
    if (!cni.ok()) {
      if (cricket::testing::InCI()) FAIL() << cni.status();
      GTEST_SKIP() << cni.status();
    }
    cni_ = std::move(*cni);
    ASSERT_TRUE(cni_->WriteConfList().ok());
    cc.conf_dir = cni_->conf_dir();
    cc.bin_dirs = cni_->bin_dirs();
    cc.cache_dir = cni_->cache_dir();
    cc.timeout_seconds = 30;
  }
  auto tmp = sys::TempDir::Make("cricket-stream-test-");
  ASSERT_TRUE(tmp.ok());
  tmp_.emplace(std::move(*tmp));
  chmod(tmp_->path().c_str(), 0711);
  if (own_netns) {
    // Only names that are ours: other work on the machine makes veths and CNI
    // chains too. Our veths die with the pod's netns; IPAM is checked below.
    leaks_ = std::make_unique<cricket::testing::LeakCheck>(cricket::testing::LeakCheck::Options{
        {tmp_->path(), cni_->bridge()}, true});
  }
  if (!own_netns) {  // the test's (empty) CNI dirs, never the host's
    cc.conf_dir = tmp_->Sub("cni/net.d");
    cc.cache_dir = tmp_->Sub("cni/cache");
  }
  paths_ = Paths{tmp_->Sub("root"), tmp_->Sub("state")};
  records_ = std::make_unique<RecordStore>(paths_.Records());
  network_ = std::make_unique<network::NetworkManager>(cc);
  images_ = std::make_unique<BusyboxImages>(tmp_->Sub("rootfs"));
  SandboxManager::Options so;
  so.paths = paths_;
  so.shm_size_bytes = 1 << 20;
  sandboxes_ = std::make_unique<SandboxManager>(so, network_.get(), records_.get());
  ASSERT_TRUE(sandboxes_->Recover().ok());
  RestartManager();
  pod_config_.mutable_metadata()->set_name("streampod");
  pod_config_.mutable_metadata()->set_namespace_("ns");
  pod_config_.mutable_metadata()->set_uid(absl::StrCat("uid-", getpid()));
  pod_config_.set_hostname("streampod");
  pod_config_.set_log_directory(tmp_->Sub("logs"));
  pod_config_.mutable_linux()->set_cgroup_parent(CgroupParent());
  auto* ns = pod_config_.mutable_linux()->mutable_security_context()->mutable_namespace_options();
  ns->set_network(own_netns ? runtime::v1::POD : runtime::v1::NODE);
  ns->set_pid(runtime::v1::CONTAINER);
  auto pod = sandboxes_->Run(pod_config_, "");
  ASSERT_TRUE(pod.ok()) << pod.status();
  pod_id_ = *pod;
}

void StreamFixture::TearDown() {
  if (sandboxes_ && !pod_id_.empty()) {
    EXPECT_TRUE(sandboxes_->Stop(pod_id_).ok());
    EXPECT_TRUE(sandboxes_->Remove(pod_id_).ok());
    if (manager_) {
      EXPECT_TRUE(manager_->List({}).empty());
    }
  }
  manager_.reset();
  sandboxes_.reset();
  auto controllers = sys::ListDir("/sys/fs/cgroup");
  for (const auto& c : controllers.ok() ? *controllers : std::vector<std::string>{}) {
    (void)sys::RemoveDir(absl::StrCat("/sys/fs/cgroup/", c, CgroupParent()));
  }
  if (cni_) {
    EXPECT_TRUE(cni_->AllocatedIps().empty());
    EXPECT_TRUE(cni_->Cleanup().ok());
  }
  if (leaks_) leaks_->ExpectNoLeaks();
}

void StreamFixture::RestartManager() {
  manager_.reset();
  ContainerManager::Options o;
  o.paths = paths_;
  o.monitor_path = monitor_;
  manager_ = std::make_unique<ContainerManager>(o, sandboxes_.get(), images_.get(), records_.get());
  ASSERT_TRUE(manager_->Recover().ok());
}

runtime::v1::ContainerConfig StreamFixture::Config(const std::string& name,
                                                   std::vector<std::string> args,
                                                   ContainerIo io) {
  runtime::v1::ContainerConfig c;
  c.mutable_metadata()->set_name(name);
  c.mutable_image()->set_image("busybox:test");
  for (auto& a : args) c.add_args(a);
  c.set_log_path(name + "/0.log");
  c.set_stdin(io.stdin);
  c.set_stdin_once(io.stdin_once);
  c.set_tty(io.tty);
  auto* ns = c.mutable_linux()->mutable_security_context()->mutable_namespace_options();
  ns->set_pid(runtime::v1::CONTAINER);
  ns->set_network(own_netns_ ? runtime::v1::POD : runtime::v1::NODE);
  return c;
}

ContainerId StreamFixture::RunContainer(const runtime::v1::ContainerConfig& cfg) {
  auto id = manager_->Create(pod_id_, cfg, pod_config_);
  if (!id.ok()) {
    ADD_FAILURE() << id.status();
    return {};
  }
  absl::Status st = manager_->Start(*id);
  if (!st.ok()) {
    ADD_FAILURE() << st;
    return {};
  }
  return *id;
}

absl::StatusOr<Container> StreamFixture::WaitExited(const ContainerId& id) {
  for (int i = 0; i < 3000; ++i) {
    absl::StatusOr<Container> c = manager_->Get(id);
    if (!c.ok() || c->state() == ContainerState::kExited) return c;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return absl::DeadlineExceededError("container did not exit");
}

std::string StreamFixture::ReadUntil(int fd, const std::string& needle,
                                     std::chrono::seconds guard) {
  std::string got;
  auto end = std::chrono::steady_clock::now() + guard;
  while (std::chrono::steady_clock::now() < end) {
    if (!needle.empty() && got.find(needle) != std::string::npos) return got;
    struct pollfd p = {fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buf[4096];
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) return got;  // EOF, or EIO on a pty whose other side is gone
    got.append(buf, static_cast<size_t>(n));
  }
  ADD_FAILURE() << "hang guard: no \"" << needle << "\" (or EOF) in time; read: " << got;
  return got;
}

void StreamFixture::Write(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    ASSERT_GT(n, 0) << "write: " << strerror(errno);
    off += static_cast<size_t>(n);
  }
}

bool StreamFixture::AliveIn(const ContainerId& id, const std::string& pid) {
  // A zombie counts as gone: orphans go to the container's init, which may never reap.
  std::string script = absl::StrCat("[ -e /proc/", pid, " ] && ! grep -q '^State:.*Z' /proc/", pid,
                                    "/status");
  auto r = manager_->ExecSync(id, {"/bin/sh", "-c", script}, std::chrono::seconds(30));
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() && r->exit_code == 0;
}

}  // namespace cricket::pod::testing
