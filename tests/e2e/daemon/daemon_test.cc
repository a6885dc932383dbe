// cricketd end to end: the built daemon on a temp socket with temp roots,
// driven through the client library (and cricketctl) like the kubelet would.
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <cstring>

#include "cri/client/client.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "oci/sys/child_process.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"
#include "oci/sys/unique_fd.h"
#include "tests/fixtures/cricketd_fixture.h"
#include "tests/fixtures/partners.h"

namespace cricket::testing {
namespace {

namespace v1 = ::runtime::v1;
using std::chrono::milliseconds;
using std::chrono::seconds;

class DaemonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CRICKET_REQUIRE_ROOT();
    if (!sys::PathExists(CricketdPath())) {
      if (InCI()) FAIL() << CricketdPath() << " not built (CI=true)";
      GTEST_SKIP() << CricketdPath() << " not built";
    }
  }

  std::unique_ptr<CricketdInstance> StartDaemon(const std::string& yaml = "") {
    CricketdOptions opts;
    opts.config_yaml = yaml;
    auto d = CricketdInstance::Start(opts);
    EXPECT_TRUE(d.ok()) << d.status();
    return d.ok() ? std::move(*d) : nullptr;
  }

  std::unique_ptr<cri::client::Client> ConnectTo(const CricketdInstance& d) {
    auto c = cri::client::Client::Connect(
        {.endpoint = d.endpoint(), .timeout = seconds(10), .image_endpoint = ""});
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? std::move(*c) : nullptr;
  }
};

TEST_F(DaemonTest, AnswersVersionStatusAndRuntimeConfig) {
  auto d = StartDaemon("cgroup:\n  driver: systemd\n");
  ASSERT_NE(d, nullptr);
  auto c = ConnectTo(*d);
  ASSERT_NE(c, nullptr);

  auto version = c->Version();
  ASSERT_TRUE(version.ok()) << version.status();
  EXPECT_EQ(version->runtime_name(), "cricket");
  EXPECT_EQ(version->runtime_api_version(), "v1");
  EXPECT_EQ(version->runtime_version(), CRICKET_VERSION);
  EXPECT_EQ(version->version(), "0.1.0");

  auto status = c->Status(/*verbose=*/true);
  ASSERT_TRUE(status.ok()) << status.status();
  ASSERT_EQ(status->status().conditions_size(), 2);
  EXPECT_EQ(status->status().conditions(0).type(), "RuntimeReady");
  EXPECT_TRUE(status->status().conditions(0).status());
  EXPECT_EQ(status->status().conditions(1).type(), "NetworkReady");
  EXPECT_FALSE(status->status().conditions(1).status());
  EXPECT_EQ(status->status().conditions(1).reason(), "NetworkPluginNotReady");
  ASSERT_EQ(status->info().count("config"), 1u);
  auto config = nlohmann::json::parse(status->info().at("config"), nullptr, false);
  ASSERT_FALSE(config.is_discarded());
  EXPECT_EQ(config.value("socket_path", ""), d->socket());

  auto quiet = c->Status(/*verbose=*/false);
  ASSERT_TRUE(quiet.ok()) << quiet.status();
  EXPECT_TRUE(quiet->info().empty());

  auto rc = c->RuntimeConfig();
  ASSERT_TRUE(rc.ok()) << rc.status();
  EXPECT_EQ(rc->linux().cgroup_driver(), v1::SYSTEMD);
}

// Every path in the config a fixture's daemon runs with (as the daemon
// reports it, and as `cricketd config` prints it from the same flags) is the
// test's own: a host with a CNI config in /etc/cni/net.d (Debian's podman
// installs one), /etc/cricket or state in /var/lib/cricket changes nothing.
void ExpectNoHostPath(const nlohmann::json& j, const std::string& where) {
  if (j.is_object() || j.is_array()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      ExpectNoHostPath(*it, j.is_object() ? where + "." + it.key() : where + "[]");
    }
    return;
  }
  if (!j.is_string()) return;
  const std::string v = j.get<std::string>();
  for (const char* host : {"/etc/", "/var/lib/cricket", "/run/cricket"}) {
    EXPECT_NE(v.rfind(host, 0), 0u) << where << " = " << v << " is the host's";
  }
}

TEST_F(DaemonTest, FixtureConfigNamesNoHostPath) {
  auto d = StartDaemon();
  ASSERT_NE(d, nullptr);
  auto c = ConnectTo(*d);
  ASSERT_NE(c, nullptr);
  auto status = c->Status(/*verbose=*/true);
  ASSERT_TRUE(status.ok()) << status.status();
  auto config = nlohmann::json::parse(status->info().at("config"), nullptr, false);
  ASSERT_FALSE(config.is_discarded());
  ASSERT_TRUE(config.contains("cni")) << config.dump();
  ExpectNoHostPath(config, "config");

  std::vector<std::string> args = {"config"};
  args.insert(args.end(), d->args().begin(), d->args().end());
  auto printed = RunCricketd(args, seconds(30));
  ASSERT_TRUE(printed.ok()) << printed.status();
  ASSERT_EQ(printed->exit.code(), 0) << printed->err;
  // The printer quotes every string value.
  EXPECT_NE(printed->out.find("conf_dir: \"" + d->dir()), std::string::npos) << printed->out;
  for (const char* host : {"\"/etc/", "\"/var/lib/cricket", "\"/run/cricket"}) {
    EXPECT_EQ(printed->out.find(host), std::string::npos) << host << " in\n" << printed->out;
  }
}

TEST_F(DaemonTest, DefaultCgroupDriverIsCgroupfs) {
  auto d = StartDaemon();
  ASSERT_NE(d, nullptr);
  auto c = ConnectTo(*d);
  ASSERT_NE(c, nullptr);
  auto rc = c->RuntimeConfig();
  ASSERT_TRUE(rc.ok()) << rc.status();
  EXPECT_EQ(rc->linux().cgroup_driver(), v1::CGROUPFS);
}

TEST_F(DaemonTest, RpcsCheckTheirRequestsByName) {
  auto d = StartDaemon();
  ASSERT_NE(d, nullptr);
  auto c = ConnectTo(*d);
  ASSERT_NE(c, nullptr);
  v1::CheckpointContainerRequest ckpt;
  ckpt.set_container_id("no-such-container");
  ckpt.set_location("/tmp/none.tar");
  auto run = c->Call(c->runtime(), &v1::RuntimeService::Stub::CheckpointContainer, ckpt,
                     "CheckpointContainer");
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.status().code(), absl::StatusCode::kNotFound) << run.status();
  EXPECT_NE(run.status().message().find("no-such-container"), std::string::npos) << run.status();
  // Implemented RPCs check their requests and say what is missing.
  auto pod = c->Call(c->runtime(), &v1::RuntimeService::Stub::RunPodSandbox,
                     v1::RunPodSandboxRequest(), "RunPodSandbox");
  EXPECT_EQ(pod.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(pod.status().message().find("metadata"), std::string::npos) << pod.status();
  auto images = c->Call(c->images(), &v1::ImageService::Stub::ListImages, v1::ListImagesRequest(),
                        "ListImages");
  ASSERT_TRUE(images.ok()) << images.status();
  EXPECT_EQ(images->images_size(), 0);
}

TEST_F(DaemonTest, SocketIsRootOwnedMode0660) {
  auto d = StartDaemon();
  ASSERT_NE(d, nullptr);
  struct stat st {};
  ASSERT_EQ(::lstat(d->socket().c_str(), &st), 0) << strerror(errno);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0660u);
  EXPECT_EQ(st.st_uid, 0u);
  EXPECT_EQ(st.st_gid, 0u);
}

TEST_F(DaemonTest, SecondDaemonOnSameSocketExitsWithClearMessage) {
  auto d = StartDaemon();
  ASSERT_NE(d, nullptr);
  // Same socket, its own root and state so only the socket is contended.
  auto rival_dir = sys::TempDir::Make("cricketd-rival-");
  ASSERT_TRUE(rival_dir.ok()) << rival_dir.status();
  std::vector<std::string> args = CricketdFlags(rival_dir->path());
  args.insert(args.end(), {"--config", d->dir() + "/cricket.yaml", "--socket", d->socket()});
  auto rival = RunCricketd(args, seconds(30));
  ASSERT_TRUE(rival.ok()) << rival.status();
  EXPECT_NE(rival->exit.code(), 0);
  EXPECT_NE(rival->err.find("already serving on " + d->socket()), std::string::npos) << rival->err;
  auto c = ConnectTo(*d);  // the first daemon is unharmed
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->Version().ok());
}

TEST_F(DaemonTest, StaleSocketFileIsReplaced) {
  auto dir = sys::TempDir::Make("cricketd-stale-");
  ASSERT_TRUE(dir.ok()) << dir.status();
  const std::string sock = dir->path() + "/stale.sock";
  {
    // A socket file whose listener is gone: what a crashed daemon leaves.
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, sock.c_str(), sizeof(addr.sun_path) - 1);
    sys::UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    ASSERT_TRUE(fd.valid());
    ASSERT_EQ(::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  }
  ASSERT_TRUE(sys::PathExists(sock));
  CricketdOptions opts;
  opts.extra_args = {"--socket", sock};
  auto d = CricketdInstance::Start(opts);
  ASSERT_TRUE(d.ok()) << d.status();
  auto c = ConnectTo(**d);
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->Version().ok());
}

TEST_F(DaemonTest, SigtermExitsZeroAndRemovesSocket) {
  auto d = StartDaemon();
  ASSERT_NE(d, nullptr);
  auto exit = d->Stop(SIGTERM, milliseconds(30000));
  ASSERT_TRUE(exit.ok()) << exit.status();
  EXPECT_TRUE(exit->exited());
  EXPECT_EQ(exit->code(), 0) << d->Stderr();
  EXPECT_FALSE(sys::PathExists(d->socket()));
}

// Reads one datagram from a NOTIFY_SOCKET stand-in, "" after 20 s of silence.
std::string ReadNotification(int fd) {
  pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
  if (::poll(&p, 1, 20000) != 1) return "";
  char buf[256];
  ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
  return n > 0 ? std::string(buf, n) : "";
}

TEST_F(DaemonTest, NotifiesSystemdReadyAndStopping) {
  auto dir = sys::TempDir::Make("cricketd-notify-");
  ASSERT_TRUE(dir.ok()) << dir.status();
  const std::string path = dir->path() + "/notify.sock";
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
  sys::UniqueFd fd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  ASSERT_TRUE(fd.valid());
  ASSERT_EQ(::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  CricketdOptions opts;
  opts.extra_env = {"NOTIFY_SOCKET=" + path};
  auto d = CricketdInstance::Start(opts);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(ReadNotification(fd.get()), "READY=1");
  auto exit = (*d)->Stop(SIGTERM, milliseconds(30000));
  ASSERT_TRUE(exit.ok()) << exit.status();
  EXPECT_EQ(ReadNotification(fd.get()), "STOPPING=1");
}

TEST_F(DaemonTest, ConfigSubcommandPrintsEffectiveYaml) {
  auto dir = sys::TempDir::Make("cricketd-config-");
  ASSERT_TRUE(dir.ok()) << dir.status();
  ASSERT_TRUE(WriteIsolatedConfig(dir->path()).ok());
  std::vector<std::string> args = {"config", "--config", dir->path() + "/cricket.yaml",
                                   "--config-dir", dir->path(), "--socket", dir->path() + "/x.sock"};
  auto out = RunCricketd(args, seconds(30));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->exit.code(), 0) << out->err;
  EXPECT_NE(out->out.find(dir->path() + "/x.sock"), std::string::npos) << out->out;
  EXPECT_NE(out->out.find("cgroup:"), std::string::npos) << out->out;
}

TEST_F(DaemonTest, CricketctlVersionAndInfo) {
  const std::string ctl = BuiltProgram("cri/cricketctl");
  if (!sys::PathExists(ctl)) GTEST_SKIP() << ctl << " not built";
  auto d = StartDaemon();
  ASSERT_NE(d, nullptr);
  sys::SpawnOptions spawn;
  // A cricketctl config of the test's own (missing: defaults), not the host's.
  const std::string ctl_config = d->dir() + "/cricketctl.yaml";
  spawn.argv = {ctl, "--config", ctl_config, "--runtime-endpoint", d->endpoint(), "version"};
  auto version = sys::RunCommand(spawn, "", seconds(30));
  ASSERT_TRUE(version.ok()) << version.status();
  EXPECT_EQ(version->exit.code(), 0) << version->err;
  EXPECT_NE(version->out.find("RuntimeName:  cricket"), std::string::npos) << version->out;
  EXPECT_NE(version->out.find("RuntimeApiVersion:  v1"), std::string::npos) << version->out;

  spawn.argv = {ctl, "--config", ctl_config, "-r", d->socket(), "info", "-o", "json"};
  auto info = sys::RunCommand(spawn, "", seconds(30));
  ASSERT_TRUE(info.ok()) << info.status();
  ASSERT_EQ(info->exit.code(), 0) << info->err;
  auto tree = nlohmann::json::parse(info->out, nullptr, false);
  ASSERT_FALSE(tree.is_discarded()) << info->out;
  EXPECT_EQ(tree["status"]["conditions"][0]["type"], "RuntimeReady");
  EXPECT_EQ(tree["config"]["socket_path"], d->socket());
}

}  // namespace
}  // namespace cricket::testing
