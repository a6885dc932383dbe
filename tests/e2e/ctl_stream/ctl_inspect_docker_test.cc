// `cricketctl inspect --docker` against cricketd: a container made with
// docker's flags shows them where `docker inspect` users look (State, Config,
// HostConfig, Mounts, NetworkSettings), running and after it stopped.
#include <regex>

#include "nlohmann/json.hpp"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "tests/e2e/ctl_stream/ctl_stream_helpers.h"

namespace cricket::testing {
namespace {

using Json = nlohmann::json;

class CtlInspectDockerTest : public CtlStreamTest {
 protected:
  void TearDown() override {
    if (!log_dir_.empty()) (void)sys::RemoveAll(log_dir_);  // run -d leaves its pod's logs
    CtlStreamTest::TearDown();
  }

  // inspect --docker of one container: docker's array of one.
  Json Docker(const std::string& id) {
    Json all = Json::parse(CtlOk({"inspect", "--docker", id}), nullptr, false);
    EXPECT_TRUE(all.is_array() && all.size() == 1) << all.dump();
    return all.is_array() && all.size() == 1 ? all[0] : Json::object();
  }

  std::string log_dir_;
};

TEST_F(CtlInspectDockerTest, ShowsDockerFieldsRunningAndExited) {
  std::string id = CtlOk({"run", "-d", "--name", "dockerish", "-e", "FOO=bar", "-w", "/tmp", "-u",
                          "1000:1001", "-m", "64m", "--cpus", "0.5", "-l", "tier=front", "-v",
                          logs_->path() + ":/data:ro", image_, "sh", "-c", "exec sleep 1000"});
  ASSERT_TRUE(std::regex_match(id, std::regex("[0-9a-f]{64}\n"))) << id;
  id.pop_back();
  Json j = Docker(id.substr(0, 8));
  std::string log = j.value("LogPath", "");
  log_dir_ = log.substr(0, log.rfind('/', log.rfind('/') - 1));
  EXPECT_EQ(j["Id"], id);
  EXPECT_EQ(j["Name"], "/dockerish");
  EXPECT_TRUE(std::regex_match(j.value("Created", ""),
                               std::regex("20[0-9]{2}-[0-9-]{5}T[0-9:]{8}(\\.[0-9]+)?Z")))
      << j["Created"];
  EXPECT_EQ(j["Path"], "sh");
  EXPECT_EQ(j["Args"], Json({"-c", "exec sleep 1000"}));
  EXPECT_TRUE(std::regex_match(j.value("Image", ""), std::regex("sha256:[0-9a-f]{64}")));
  EXPECT_EQ(j["Config"]["Image"], image_);
  Json state = j["State"];
  EXPECT_EQ(state["Status"], "running") << state.dump();
  EXPECT_EQ(state["Running"], true);
  EXPECT_EQ(state["OOMKilled"], false);
  EXPECT_EQ(state["FinishedAt"], "0001-01-01T00:00:00Z");
  // State.Pid is the container's init on this host.
  auto cmdline = sys::ReadFile("/proc/" + std::to_string(state.value("Pid", 0)) + "/cmdline");
  ASSERT_TRUE(cmdline.ok()) << state.dump();
  EXPECT_EQ(cmdline->substr(0, 6), std::string("sleep\0", 6));
  bool env = false;
  for (const auto& e : j["Config"]["Env"]) env = env || e == "FOO=bar";
  EXPECT_TRUE(env) << j["Config"].dump();
  EXPECT_EQ(j["Config"]["WorkingDir"], "/tmp");
  EXPECT_EQ(j["Config"]["User"], "1000:1001");
  EXPECT_EQ(j["Config"]["Labels"]["tier"], "front");
  EXPECT_EQ(j["HostConfig"]["Memory"], 64 << 20);
  EXPECT_EQ(j["HostConfig"]["NanoCpus"], 500000000);
  ASSERT_EQ(j["Mounts"].size(), 1u) << j["Mounts"].dump();
  EXPECT_EQ(j["Mounts"][0]["Source"], logs_->path());
  EXPECT_EQ(j["Mounts"][0]["Destination"], "/data");
  EXPECT_EQ(j["Mounts"][0]["RW"], false);
  // The pod's address, as inspectp reports it.
  Json pod = Json::parse(CtlOk({"inspectp", j.value("PodId", "")}), nullptr, false);
  std::string ip = pod["status"]["network"]["ip"].get<std::string>();
  EXPECT_FALSE(ip.empty());
  EXPECT_EQ(j["NetworkSettings"]["IPAddress"], ip);
  // docker inspect -f: the template runs per container.
  EXPECT_EQ(CtlOk({"inspect", "--docker", "-o", "go-template", "--template",
                   "{{.State.Status}} {{.Name}}", id}),
            "running /dockerish\n");

  CtlOk({"stop", "-t", "0", id});
  j = Docker(id);
  EXPECT_EQ(j["State"]["Status"], "exited");
  EXPECT_EQ(j["State"]["Running"], false);
  EXPECT_EQ(j["State"]["Pid"], 0);
  EXPECT_EQ(j["State"]["ExitCode"], 137);
  EXPECT_NE(j["State"]["FinishedAt"], "0001-01-01T00:00:00Z");
}

}  // namespace
}  // namespace cricket::testing
