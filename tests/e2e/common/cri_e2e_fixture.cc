// The shared e2e fixture: CNI network, cricketd, client, restart, cleanup.
#include "tests/e2e/common/cri_e2e_fixture.h"

#include <fcntl.h>
#include <signal.h>

#include <chrono>
#include <thread>

#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/unique_fd.h"
#include "tests/fixtures/busybox_registry.h"
#include "tests/fixtures/partners.h"

extern char** environ;

namespace cricket::testing {

v1::RunPodSandboxRequest PodRequest(const std::string& name, const std::string& log_dir) {
  v1::RunPodSandboxRequest r;
  auto* c = r.mutable_config();
  c->mutable_metadata()->set_name(name);
  c->mutable_metadata()->set_namespace_("e2e");
  c->mutable_metadata()->set_uid("uid-" + name);
  c->set_hostname(name);
  c->set_log_directory(log_dir);
  (*c->mutable_labels())["app"] = name;
  c->mutable_linux()->set_cgroup_parent("/cricket-e2e-" + std::to_string(getpid()));
  c->mutable_linux()->mutable_security_context()->mutable_namespace_options()->set_pid(
      v1::NamespaceMode::CONTAINER);
  return r;
}

void CriE2eTest::SetUp() {
  CRICKET_REQUIRE_ROOT();
  had_default_parent_ = sys::PathExists("/sys/fs/cgroup/memory/cricket") ||
                        sys::PathExists("/sys/fs/cgroup/unified/cricket");
  auto cni = CniFixture::Make();
  if (!cni.ok()) {
    if (InCI()) FAIL() << cni.status();
    GTEST_SKIP() << cni.status();
  }
  cni_ = std::move(*cni);
  ASSERT_TRUE(cni_->WriteConfList().ok());
  leaks_ = std::make_unique<LeakCheck>(
      LeakCheck::Options{{"cricketd-", cni_->bridge(), "CNI-", "veth"}, true});
  std::string yaml = "cni:\n  conf_dir: " + cni_->conf_dir() + "\n  cache_dir: " +
                     cni_->cache_dir() + "\n  bin_dirs:\n";
  for (const auto& d : cni_->bin_dirs()) yaml += "    - " + d + "\n";
  yaml += extra_config_yaml_;
  CricketdOptions o;
  o.config_yaml = yaml;
  o.subreaper = daemon_subreaper_;
  o.command_prefix = daemon_prefix_;
  o.extra_args = extra_daemon_args_;
  auto d = CricketdInstance::Start(o);
  ASSERT_TRUE(d.ok()) << d.status();
  daemon_ = std::move(*d);
  Connect();
}

void CriE2eTest::Connect() {
  cri::client::ConnectOptions co;
  co.endpoint = daemon_->endpoint();
  // A socket file left by a killed daemon is there until the new one replaces it.
  for (int i = 0; i < 100; i++) {
    if (restarted_ && restarted_->WaitFor(std::chrono::milliseconds(0)).ok()) {
      std::string log = restarted_log_.empty() ? "" : sys::ReadFile(restarted_log_).value_or("");
      if (log.size() > 2000) log = log.substr(log.size() - 2000);
      FAIL() << "the restarted cricketd exited before it answered; its log ends:\n" << log;
    }
    auto c = cri::client::Client::Connect(co);
    if (c.ok() && (*c)->Version().ok()) {
      client_ = std::move(*c);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  FAIL() << "cricketd does not answer on " << co.endpoint;
}

void CriE2eTest::KillDaemon() {
  client_.reset();
  if (restarted_) {
    (void)restarted_->Signal(SIGKILL);
    (void)restarted_->Wait();
    restarted_.reset();
  } else if (!first_daemon_killed_) {
    first_daemon_killed_ = true;
    ASSERT_TRUE(daemon_->Stop(SIGKILL, std::chrono::seconds(10)).ok());
  }
}

void CriE2eTest::StartDaemon(const std::vector<std::string>& env, const std::string& log) {
  sys::SpawnOptions so;
  so.argv = {BuiltProgram("cri/cricketd")};
  so.argv.insert(so.argv.end(), daemon_->args().begin(), daemon_->args().end());
  auto name_of = [](std::string_view e) { return e.substr(0, e.find('=') + 1); };
  std::vector<std::string> all;
  for (char** e = environ; *e != nullptr; ++e) {
    bool replaced = false;
    for (const std::string& x : env) replaced |= name_of(x) == name_of(*e);
    if (!replaced) all.emplace_back(*e);
  }
  all.insert(all.end(), env.begin(), env.end());
  so.env = all;
  sys::UniqueFd fd;
  if (!log.empty()) {
    fd.Reset(::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
    ASSERT_TRUE(fd) << log;
  }
  so.stderr_fd = fd ? fd.get() : -2;
  auto again = sys::ChildProcess::Spawn(so);
  ASSERT_TRUE(again.ok()) << again.status();
  restarted_ = std::make_unique<sys::ChildProcess>(std::move(*again));
  restarted_log_ = log;
  Connect();
}

absl::StatusOr<v1::PodSandboxStatusResponse> CriE2eTest::PodStatus(const std::string& id) {
  v1::PodSandboxStatusRequest r;
  r.set_pod_sandbox_id(id);
  r.set_verbose(true);
  return Call(&v1::RuntimeService::Stub::PodSandboxStatus, r, "PodSandboxStatus");
}

absl::Status CriE2eTest::RemovePod(const std::string& id) {
  v1::RemovePodSandboxRequest r;
  r.set_pod_sandbox_id(id);
  return Call(&v1::RuntimeService::Stub::RemovePodSandbox, r, "RemovePodSandbox").status();
}

void CriE2eTest::ServeBusybox() {
  auto reg = RegistryFixture::Start(RegistryMode::kPlain);
  ASSERT_TRUE(reg.ok()) << reg.status();
  registry_ = std::move(*reg);
  auto image = PushBusybox(*registry_);
  ASSERT_TRUE(image.ok()) << image.status();
  image_ = *image;
}

void CriE2eTest::UseBusybox() {
  ServeBusybox();
  if (!HasFatalFailure()) PullBusybox();
}

absl::StatusOr<v1::ExecSyncResponse> CriE2eTest::ExecShell(const std::string& id,
                                                           const std::string& script) {
  v1::ExecSyncRequest exec;
  exec.set_container_id(id);
  for (const std::string& a : {std::string("sh"), std::string("-c"), script}) exec.add_cmd(a);
  exec.set_timeout(10);
  return Call(&v1::RuntimeService::Stub::ExecSync, exec, "ExecSync");
}

absl::StatusOr<std::string> CriE2eTest::CreateAndStart(const v1::CreateContainerRequest& req) {
  auto ctr = Call(&v1::RuntimeService::Stub::CreateContainer, req, "CreateContainer");
  if (!ctr.ok()) return ctr.status();
  v1::StartContainerRequest start;
  start.set_container_id(ctr->container_id());
  auto started = Call(&v1::RuntimeService::Stub::StartContainer, start, "StartContainer");
  if (!started.ok()) return started.status();
  return ctr->container_id();
}

void CriE2eTest::PullBusybox() {
  v1::PullImageRequest pull;
  pull.mutable_image()->set_image(image_);
  auto pulled =
      client_->Call(client_->images(), &v1::ImageService::Stub::PullImage, pull, "PullImage");
  ASSERT_TRUE(pulled.ok()) << pulled.status();
}

void CriE2eTest::TearDown() {
  if (client_) {
    auto list = Call(&v1::RuntimeService::Stub::ListPodSandbox, v1::ListPodSandboxRequest(),
                     "ListPodSandbox");
    if (list.ok()) {
      for (const auto& p : list->items()) EXPECT_TRUE(RemovePod(p.id()).ok());
    }
  }
  client_.reset();
  restarted_.reset();
  daemon_.reset();
  // Our pods' parent, and cricketd's default one ("/cricket", for pods that
  // name none, as cricketctl run's do) when this test made it.
  std::vector<std::string> parents = {"/cricket-e2e-" + std::to_string(getpid())};
  if (!had_default_parent_) parents.push_back("/cricket");
  for (const std::string& parent : parents) {
    for (const char* h : {"cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio",
                          "pids", "systemd", "unified", "net_cls", "net_prio", "perf_event",
                          "hugetlb"}) {
      std::string dir = std::string("/sys/fs/cgroup/") + h + parent;
      ::rmdir(dir.c_str());  // empty once the pods are gone; absent is fine
    }
  }
  if (cni_) {
    EXPECT_TRUE(cni_->Cleanup().ok());
  }
  if (leaks_) leaks_->ExpectNoLeaks();
}

}  // namespace cricket::testing
