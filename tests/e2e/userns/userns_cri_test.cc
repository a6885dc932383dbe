// Pods with their own user namespace (hostUsers: false) over the CRI socket:
// the kubelet's userns_options with mode POD and a 65536-aligned range.
// Checked from inside (uid_map, id, file ownership of the rootfs, what root
// may do to host files) and from the host (the init's uid, the namespaces'
// owner, the rootfs's upper dir).
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/nsfs.h>

#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "nlohmann/json.hpp"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fds.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"
#include "tests/e2e/common/cri_e2e_fixture.h"

namespace cricket::testing {
namespace {

// Used by no other test; the kubelet hands out multiples of 65536.
constexpr uint32_t kHostBase = 65536 * 20;  // 1310720

void MapPod(v1::NamespaceOption* o) {
  auto* u = o->mutable_userns_options();
  u->set_mode(v1::POD);
  for (auto* m : {u->add_uids(), u->add_gids()}) {
    m->set_container_id(0);
    m->set_host_id(kHostBase);
    m->set_length(65536);
  }
}

class UsernsCriTest : public CriE2eTest {
 protected:
  void SetUp() override {
    CriE2eTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    UseBusybox();
  }

  // A running container in a userns pod; returns its id.
  std::string Run(const v1::RunPodSandboxRequest& pod_req, const std::string& pod_id,
                  const std::vector<v1::Mount>& mounts = {}) {
    v1::CreateContainerRequest create;
    create.set_pod_sandbox_id(pod_id);
    *create.mutable_sandbox_config() = pod_req.config();
    auto* cfg = create.mutable_config();
    cfg->mutable_metadata()->set_name("main");
    cfg->mutable_image()->set_image(image_);
    for (const char* a : {"sleep", "1000"}) cfg->add_command(a);
    for (const v1::Mount& m : mounts) *cfg->add_mounts() = m;
    auto* ns = cfg->mutable_linux()->mutable_security_context()->mutable_namespace_options();
    ns->set_pid(v1::NamespaceMode::CONTAINER);
    MapPod(ns);
    auto id = CreateAndStart(create);
    EXPECT_TRUE(id.ok()) << id.status();
    return id.ok() ? *id : "";
  }

  // stdout of `sh -c script` in the container; exit code in *code.
  std::string Exec(const std::string& id, const std::string& script, int* code = nullptr) {
    auto out = ExecShell(id, script);
    EXPECT_TRUE(out.ok()) << out.status();
    if (!out.ok()) return "";
    if (code != nullptr) *code = out->exit_code();
    return std::string(absl::StripAsciiWhitespace(out->stdout())) +
           (out->stderr().empty() ? "" : " [stderr: " + out->stderr() + "]");
  }

  nlohmann::json Info(const std::string& id) {
    v1::ContainerStatusRequest r;
    r.set_container_id(id);
    r.set_verbose(true);
    auto st = Call(&v1::RuntimeService::Stub::ContainerStatus, r, "ContainerStatus");
    if (!st.ok()) return nlohmann::json::object();
    return nlohmann::json::parse(st->info().at("info"), nullptr, false);
  }
};

// The first field of a "Uid:" / "Gid:" line of /proc/<pid>/status.
std::string StatusId(pid_t pid, const std::string& key) {
  auto text = sys::ReadFile("/proc/" + std::to_string(pid) + "/status").value_or("");
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::ConsumePrefix(&line, key + ":")) {
      std::vector<std::string> f = absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
      return f.empty() ? "" : f[0];
    }
  }
  return "";
}

// The inode of the user namespace that owns the namespace at `path`.
ino_t OwnerUserns(const std::string& path) {
  auto fd = sys::Open(path, O_RDONLY);
  if (!fd.ok()) return 0;
  sys::UniqueFd owner(::ioctl(fd->get(), NS_GET_USERNS));
  struct stat st {};
  if (!owner || ::fstat(owner.get(), &st) != 0) return 0;
  return st.st_ino;
}

ino_t Inode(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

TEST_F(UsernsCriTest, PodUserNamespaceSeenFromInsideAndFromTheHost) {
  auto pod_req = PodRequest("userns");
  MapPod(pod_req.mutable_config()->mutable_linux()->mutable_security_context()->mutable_namespace_options());
  auto pod = Call(&v1::RuntimeService::Stub::RunPodSandbox, pod_req, "RunPodSandbox");
  ASSERT_TRUE(pod.ok()) << pod.status();
  std::string id = Run(pod_req, pod->pod_sandbox_id());
  ASSERT_FALSE(id.empty());
  const std::string base = std::to_string(kHostBase);

  // Inside: root of a namespace that maps it to the pod's range.
  EXPECT_EQ(Exec(id, "cat /proc/self/uid_map | tr -s ' ' | sed 's/^ //'"), "0 " + base + " 65536");
  EXPECT_EQ(Exec(id, "cat /proc/self/gid_map | tr -s ' ' | sed 's/^ //'"), "0 " + base + " 65536");
  EXPECT_EQ(Exec(id, "id -u; id -g"), "0\n0");
  // The image's files (owned by host root in the layers) are root's, through
  // id-mapped layers; what root writes is root's too.
  EXPECT_EQ(Exec(id, "stat -c %u:%g /bin/busybox /"), "0:0\n0:0");
  EXPECT_EQ(Exec(id, "echo hi > /made && stat -c %u:%g /made"), "0:0");
  // The pod's own files (bind mounts of host-root files, not id-mapped) are
  // nobody's, and root in the pod may not write them as host root could.
  EXPECT_EQ(Exec(id, "stat -c %u /etc/hosts"), "65534");
  int code = 0;
  Exec(id, "echo x >> /etc/hosts", &code);
  EXPECT_NE(code, 0);
  // sysfs of the pod's own network namespace (owned by the user namespace).
  EXPECT_NE(Exec(id, "ls /sys/class/net").find("lo"), std::string::npos);
  // /proc and /sys are their own filesystems, not binds of the host's.
  EXPECT_EQ(Exec(id, "grep ' /proc ' /proc/self/mountinfo | grep -c ' - proc '"), "1");
  EXPECT_EQ(Exec(id, "grep ' /sys ' /proc/self/mountinfo | grep -c ' - sysfs '"), "1");

  // From the host: the init runs as the range's first id, not as root.
  nlohmann::json info = Info(id);
  pid_t pid = info.value("pid", 0);
  ASSERT_GT(pid, 0) << info.dump();
  EXPECT_EQ(StatusId(pid, "Uid"), base);
  EXPECT_EQ(StatusId(pid, "Gid"), base);
  // Its net, ipc and uts namespaces are owned by its user namespace.
  std::string ns = "/proc/" + std::to_string(pid) + "/ns/";
  ino_t user = Inode(ns + "user");
  ASSERT_NE(user, 0u);
  EXPECT_NE(user, Inode("/proc/self/ns/user"));
  for (const char* n : {"net", "ipc", "uts"}) EXPECT_EQ(OwnerUserns(ns + n), user) << n;
  // What the container wrote is stored with its host ids (the layers are untouched).
  std::string rootfs = info.value("rootfs", "");
  ASSERT_FALSE(rootfs.empty());
  struct stat made {};
  ASSERT_EQ(::stat((rootfs + "/made").c_str(), &made), 0);
  EXPECT_EQ(made.st_uid, kHostBase);

  v1::StopPodSandboxRequest stop;
  stop.set_pod_sandbox_id(pod->pod_sandbox_id());
  EXPECT_TRUE(Call(&v1::RuntimeService::Stub::StopPodSandbox, stop, "StopPodSandbox").ok());
  EXPECT_TRUE(RemovePod(pod->pod_sandbox_id()).ok());
}

TEST_F(UsernsCriTest, SharedPidNamespaceIsOwnedByThePodsUserNamespace) {
  auto pod_req = PodRequest("userns-pid");
  auto* ns = pod_req.mutable_config()->mutable_linux()->mutable_security_context()->mutable_namespace_options();
  ns->set_pid(v1::NamespaceMode::POD);
  MapPod(ns);
  auto pod = Call(&v1::RuntimeService::Stub::RunPodSandbox, pod_req, "RunPodSandbox");
  ASSERT_TRUE(pod.ok()) << pod.status();
  auto status = PodStatus(pod->pod_sandbox_id());
  ASSERT_TRUE(status.ok()) << status.status();
  auto info = nlohmann::json::parse(status->info().at("info"), nullptr, false);
  pid_t infra = info.value("pid", 0);
  ASSERT_GT(infra, 0) << info.dump();
  std::string ns_dir = "/proc/" + std::to_string(infra) + "/ns/";
  EXPECT_EQ(OwnerUserns(ns_dir + "pid"), Inode(ns_dir + "user"));
  EXPECT_NE(Inode(ns_dir + "user"), Inode("/proc/self/ns/user"));
  // Root of the pod, not host root (which is unmapped there).
  EXPECT_EQ(StatusId(infra, "Uid"), std::to_string(kHostBase));
  EXPECT_TRUE(RemovePod(pod->pod_sandbox_id()).ok());
}

TEST_F(UsernsCriTest, BadMappingsAreRefusedByName) {
  auto pod_req = PodRequest("userns-bad");
  auto* ns = pod_req.mutable_config()->mutable_linux()->mutable_security_context()->mutable_namespace_options();
  MapPod(ns);
  ns->mutable_userns_options()->mutable_uids(0)->set_host_id(0);
  auto bad = Call(&v1::RuntimeService::Stub::RunPodSandbox, pod_req, "RunPodSandbox");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument) << bad.status();
  EXPECT_NE(bad.status().message().find("userns_options.uids"), std::string::npos) << bad.status();
}

// Volumes are id-mapped with the pod's maps (as containerd 2 does): host
// root's files are the container root's and what it writes is host root's;
// a file of a host user outside the pod's range stays out of its reach.
TEST_F(UsernsCriTest, VolumesAreIdMappedWithThePodsMaps) {
  auto dir = sys::TempDir::Make("cricket-userns-vol-");
  ASSERT_TRUE(dir.ok()) << dir.status();
  ASSERT_TRUE(sys::WriteFileAtomic(dir->Sub("owned"), "mine\n", 0644).ok());
  ASSERT_TRUE(sys::WriteFileAtomic(dir->Sub("secret"), "no\n", 0600).ok());
  ASSERT_EQ(::chown(dir->Sub("secret").c_str(), 5000000, 5000000), 0);
  ASSERT_EQ(::chmod(dir->path().c_str(), 0755), 0);

  auto pod_req = PodRequest("userns-vol");
  MapPod(pod_req.mutable_config()->mutable_linux()->mutable_security_context()->mutable_namespace_options());
  auto pod = Call(&v1::RuntimeService::Stub::RunPodSandbox, pod_req, "RunPodSandbox");
  ASSERT_TRUE(pod.ok()) << pod.status();
  v1::Mount vol;
  vol.set_container_path("/data");
  vol.set_host_path(dir->path());
  std::string id = Run(pod_req, pod->pod_sandbox_id(), {vol});
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(Exec(id, "stat -c %u:%g /data/owned /data; cat /data/owned"), "0:0\n0:0\nmine");
  EXPECT_EQ(Exec(id, "echo new > /data/new && stat -c %u /data/new"), "0");
  struct stat made {};
  ASSERT_EQ(::stat(dir->Sub("new").c_str(), &made), 0);
  EXPECT_EQ(made.st_uid, 0u);  // stored as host root's, through the id map
  int code = 0;
  EXPECT_EQ(Exec(id, "stat -c %u /data/secret; cat /data/secret >/dev/null 2>&1 || echo DENIED", &code),
            "65534\nDENIED");
  EXPECT_TRUE(RemovePod(pod->pod_sandbox_id()).ok());
}

}  // namespace
}  // namespace cricket::testing
