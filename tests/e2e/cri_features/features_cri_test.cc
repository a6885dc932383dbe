// What cricketd reports to the kubelet, checked against what it does, over
// its CRI socket: Status's handlers and features (recursive read-only mounts
// and the Strict supplemental groups policy are on because they work: a
// container proves each), ContainerStatus.user against the kernel's view of
// init, ContainerConfig.stop_signal used by StopContainer and reported,
// PodSandboxStatus.containers_statuses, and StreamImages.
#include <sys/mount.h>

#include <chrono>
#include <thread>

#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"
#include "tests/e2e/common/cri_e2e_fixture.h"

namespace cricket::testing {
namespace {

class FeaturesCriTest : public CriE2eTest {
 protected:
  void SetUp() override {
    CriE2eTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    UseBusybox();
  }

  // Creates and starts a container running `sh -c script`; "" on failure.
  std::string Run(const std::string& pod_id, const v1::RunPodSandboxRequest& pod_req,
                  const std::string& name, const std::string& script,
                  const std::function<void(v1::ContainerConfig*)>& edit = {}) {
    v1::CreateContainerRequest create;
    create.set_pod_sandbox_id(pod_id);
    *create.mutable_sandbox_config() = pod_req.config();
    auto* cfg = create.mutable_config();
    cfg->mutable_metadata()->set_name(name);
    cfg->mutable_image()->set_image(image_);
    cfg->set_log_path(name + ".log");
    for (const char* a : {"sh", "-c"}) cfg->add_command(a);
    cfg->add_command(script);
    cfg->mutable_linux()->mutable_security_context()->mutable_namespace_options()->set_pid(
        v1::NamespaceMode::CONTAINER);
    if (edit) edit(cfg);
    absl::StatusOr<std::string> id = CreateAndStart(create);
    EXPECT_TRUE(id.ok()) << id.status();
    return id.value_or("");
  }

  absl::StatusOr<v1::ExecSyncResponse> Exec(const std::string& id, const std::string& script) {
    v1::ExecSyncRequest exec;
    exec.set_container_id(id);
    for (const char* a : {"sh", "-c"}) exec.add_cmd(a);
    exec.add_cmd(script);
    exec.set_timeout(10);
    return Call(&v1::RuntimeService::Stub::ExecSync, exec, "ExecSync");
  }

  absl::StatusOr<v1::ContainerStatusResponse> Status(const std::string& id) {
    v1::ContainerStatusRequest r;
    r.set_container_id(id);
    return Call(&v1::RuntimeService::Stub::ContainerStatus, r, "ContainerStatus");
  }
};

TEST_F(FeaturesCriTest, StatusListsTheDefaultHandlerWithWhatWorks) {
  auto st = Call(&v1::RuntimeService::Stub::Status, v1::StatusRequest(), "Status");
  ASSERT_TRUE(st.ok()) << st.status();
  ASSERT_EQ(st->runtime_handlers_size(), 1);
  EXPECT_EQ(st->runtime_handlers(0).name(), "");
  // This kernel has mount_setattr (5.12+): the RRO container test below proves it.
  EXPECT_TRUE(st->runtime_handlers(0).features().recursive_read_only_mounts());
  // Id-mapped layers under overlay (5.19+): e2e_userns runs such pods here.
  EXPECT_TRUE(st->runtime_handlers(0).features().user_namespaces());
  EXPECT_TRUE(st->features().supplemental_groups_policy());
  EXPECT_FALSE(st->features().user_namespaces_host_network());
}

TEST_F(FeaturesCriTest, RecursiveReadOnlyMountCoversSubmounts) {
  auto dir = sys::TempDir::Make("cricket-e2e-rro-");
  ASSERT_TRUE(dir.ok());
  ASSERT_TRUE(sys::MkdirAll(dir->Sub("sub")).ok());
  ASSERT_EQ(::mount("tmpfs", dir->Sub("sub").c_str(), "tmpfs", 0, "size=1m"), 0) << errno;
  auto pod_req = PodRequest("rro");
  auto pod = Call(&v1::RuntimeService::Stub::RunPodSandbox, pod_req, "RunPodSandbox");
  ASSERT_TRUE(pod.ok()) << pod.status();
  std::string id = Run(pod->pod_sandbox_id(), pod_req, "rro", "exec sleep 1000",
                       [&](v1::ContainerConfig* cfg) {
                         auto* m = cfg->add_mounts();
                         m->set_container_path("/data");
                         m->set_host_path(dir->path());
                         m->set_readonly(true);
                         m->set_recursive_read_only(true);
                       });
  if (!id.empty()) {
    auto top = Exec(id, "touch /data/x");
    auto sub = Exec(id, "touch /data/sub/x");
    ASSERT_TRUE(top.ok() && sub.ok());
    EXPECT_NE(top->exit_code(), 0);
    // A plain read-only bind leaves the tmpfs below it writable; rro does not.
    EXPECT_NE(sub->exit_code(), 0) << sub->stderr();
    EXPECT_NE(sub->stderr().find("Read-only file system"), std::string::npos) << sub->stderr();
  }
  EXPECT_TRUE(RemovePod(pod->pod_sandbox_id()).ok());
  EXPECT_EQ(::umount2(dir->Sub("sub").c_str(), MNT_DETACH), 0) << errno;
}

TEST_F(FeaturesCriTest, UserStopSignalAndPodContainerStatuses) {
  auto logs = sys::TempDir::Make("cricket-e2e-logs-");
  ASSERT_TRUE(logs.ok());
  auto pod_req = PodRequest("who", logs->path());
  auto pod = Call(&v1::RuntimeService::Stub::RunPodSandbox, pod_req, "RunPodSandbox");
  ASSERT_TRUE(pod.ok()) << pod.status();
  // sh as pid 1 ignores SIGTERM (no handler): only the asked-for SIGUSR1 ends
  // it with 0; SIGTERM would leave it to the SIGKILL after the timeout (137).
  std::string id = Run(pod->pod_sandbox_id(), pod_req, "who",
                       "trap 'echo stopped by usr1; exit 0' USR1; while :; do sleep 0.1; done",
                       [](v1::ContainerConfig* cfg) {
                         auto* sc = cfg->mutable_linux()->mutable_security_context();
                         sc->mutable_run_as_user()->set_value(1000);
                         sc->mutable_run_as_group()->set_value(1001);
                         sc->add_supplemental_groups(555);
                         sc->add_supplemental_groups(556);
                         sc->set_supplemental_groups_policy(v1::Strict);
                         v1::Signal usr1;
                         ASSERT_TRUE(v1::Signal_Parse("SIGUSR1", &usr1));
                         cfg->set_stop_signal(usr1);
                       });
  ASSERT_FALSE(id.empty());

  auto st = Status(id);
  ASSERT_TRUE(st.ok()) << st.status();
  ASSERT_TRUE(st->status().has_user());
  const auto& user = st->status().user().linux();
  EXPECT_EQ(user.uid(), 1000);
  EXPECT_EQ(user.gid(), 1001);
  ASSERT_EQ(user.supplemental_groups_size(), 2);
  EXPECT_EQ(user.supplemental_groups(0), 555);
  EXPECT_EQ(user.supplemental_groups(1), 556);
  EXPECT_EQ(v1::Signal_Name(st->status().stop_signal()), "SIGUSR1");
  // The kernel's view of the container's init agrees.
  auto proc = Exec(id, "grep -E '^(Uid|Gid|Groups):' /proc/1/status");
  ASSERT_TRUE(proc.ok()) << proc.status();
  EXPECT_NE(proc->stdout().find("Uid:\t1000\t1000\t1000\t1000"), std::string::npos) << proc->stdout();
  EXPECT_NE(proc->stdout().find("Gid:\t1001\t1001\t1001\t1001"), std::string::npos) << proc->stdout();
  EXPECT_NE(proc->stdout().find("Groups:\t555 556"), std::string::npos) << proc->stdout();

  auto ps = PodStatus(pod->pod_sandbox_id());
  ASSERT_TRUE(ps.ok()) << ps.status();
  ASSERT_EQ(ps->containers_statuses_size(), 1);
  EXPECT_EQ(ps->containers_statuses(0).id(), id);
  EXPECT_EQ(ps->containers_statuses(0).state(), v1::CONTAINER_RUNNING);
  EXPECT_GT(ps->timestamp(), 0);

  v1::StopContainerRequest stop;
  stop.set_container_id(id);
  stop.set_timeout(30);
  ASSERT_TRUE(Call(&v1::RuntimeService::Stub::StopContainer, stop, "StopContainer").ok());
  st = Status(id);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->status().exit_code(), 0) << st->status().message();
  std::string log;
  for (int i = 0; i < 50 && log.find("stopped by usr1") == std::string::npos; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    log = sys::ReadFile(logs->Sub("who.log")).value_or("");
  }
  EXPECT_NE(log.find("stopped by usr1"), std::string::npos) << log;
  ASSERT_TRUE(RemovePod(pod->pod_sandbox_id()).ok());
}

TEST_F(FeaturesCriTest, StreamImagesSendsThePulledImage) {
  grpc::ClientContext ctx;
  auto reader = client_->images().StreamImages(&ctx, v1::StreamImagesRequest());
  v1::StreamImagesResponse r;
  int images = 0, messages = 0;
  std::string tags;
  while (reader->Read(&r)) {
    messages++;
    images += r.images_size();
    for (const auto& img : r.images()) {
      for (const auto& t : img.repo_tags()) tags += t + " ";
    }
  }
  grpc::Status done = reader->Finish();
  ASSERT_TRUE(done.ok()) << done.error_message();
  EXPECT_GE(messages, 1);
  EXPECT_EQ(images, 1);
  EXPECT_NE(tags.find(image_), std::string::npos) << tags;
}

}  // namespace
}  // namespace cricket::testing

namespace cricket::testing {
namespace {

// cricketd with cni.conf_template: the kubelet's pod CIDR becomes the CNI config.
class PodCidrCriTest : public CriE2eTest {
 protected:
  void SetUp() override {
    auto dir = sys::TempDir::Make("cricket-e2e-tmpl-");
    ASSERT_TRUE(dir.ok());
    tmpl_dir_ = std::make_unique<sys::TempDir>(std::move(*dir));
    extra_config_yaml_ = "  conf_template: " + tmpl_dir_->Sub("net.conflist.tmpl") + "\n";
    CriE2eTest::SetUp();
  }
  std::unique_ptr<sys::TempDir> tmpl_dir_;
};

TEST_F(PodCidrCriTest, UpdateRuntimeConfigRendersTheTemplateThePodUses) {
  // The test's own bridge config (no masquerade, no route out) with its range
  // left to the template; the fixture's fixed config goes away.
  std::string conf = cni_->ConfList();
  const std::string ranges = "\"ranges\":[[{\"subnet\":\"" + cni_->subnet() + "\",\"gateway\":\"" +
                             cni_->gateway() + "\"}]]";
  size_t at = conf.find(ranges);
  ASSERT_NE(at, std::string::npos) << conf;
  conf.replace(at, ranges.size(), "\"ranges\":[{{.PodCIDRRanges}}]");
  ASSERT_TRUE(sys::WriteFileAtomic(tmpl_dir_->Sub("net.conflist.tmpl"), conf).ok());
  ASSERT_TRUE(sys::RemoveAll(cni_->conf_dir() + "/10-" + cni_->network_name() + ".conflist").ok());

  v1::UpdateRuntimeConfigRequest update;
  update.mutable_runtime_config()->mutable_network_config()->set_pod_cidr(cni_->subnet());
  auto updated = Call(&v1::RuntimeService::Stub::UpdateRuntimeConfig, update, "UpdateRuntimeConfig");
  ASSERT_TRUE(updated.ok()) << updated.status();
  auto rendered = sys::ReadFile(cni_->conf_dir() + "/10-cricket-net.conflist");
  ASSERT_TRUE(rendered.ok()) << rendered.status();
  EXPECT_NE(rendered->find("[{\"subnet\": \"" + cni_->subnet() + "\"}]"), std::string::npos)
      << *rendered;

  auto pod = Call(&v1::RuntimeService::Stub::RunPodSandbox, PodRequest("cidr"), "RunPodSandbox");
  ASSERT_TRUE(pod.ok()) << pod.status();
  auto st = PodStatus(pod->pod_sandbox_id());
  ASSERT_TRUE(st.ok()) << st.status();
  const std::string prefix = cni_->subnet().substr(0, cni_->subnet().rfind('.') + 1);
  EXPECT_EQ(st->status().network().ip().rfind(prefix, 0), 0u) << st->status().network().ip();
  EXPECT_TRUE(RemovePod(pod->pod_sandbox_id()).ok());

  // A CIDR that is none is refused, naming the field.
  update.mutable_runtime_config()->mutable_network_config()->set_pod_cidr("10.1.2.300/24");
  updated = Call(&v1::RuntimeService::Stub::UpdateRuntimeConfig, update, "UpdateRuntimeConfig");
  EXPECT_FALSE(updated.ok());
  EXPECT_NE(updated.status().message().find("pod_cidr"), std::string::npos) << updated.status();
}

}  // namespace
}  // namespace cricket::testing
