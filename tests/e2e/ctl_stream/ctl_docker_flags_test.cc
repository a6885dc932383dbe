// cricketctl's docker-style flags against cricketd: run and create without
// config files (-e -w -u -m --cpus -l --privileged), create's docker form,
// and `ps --docker`'s columns.
#include <regex>
#include <thread>

#include "nlohmann/json.hpp"
#include "oci/sys/fs.h"
#include "tests/e2e/ctl_stream/ctl_stream_helpers.h"

namespace cricket::testing {
namespace {

using Json = nlohmann::json;

class CtlDockerFlagsTest : public CtlStreamTest {
 protected:
  void TearDown() override {
    // run -d and create leave their pods' log dirs (only --rm removes them).
    for (const std::string& d : log_dirs_) (void)sys::RemoveAll(d);
    CtlStreamTest::TearDown();
  }

  // The container's status (verbose) as JSON; remembers its pod's log dir.
  Json Inspect(const std::string& id) {
    Json j = Json::parse(CtlOk({"inspect", id}), nullptr, false);
    std::string log = j["status"]["logPath"].is_string() ? j["status"]["logPath"].get<std::string>()
                                                         : "";
    size_t cut = log.rfind('/', log.rfind('/') - 1);
    if (cut != std::string::npos) log_dirs_.push_back(log.substr(0, cut));
    return j;
  }

  std::string WaitForLog(const std::string& id, const std::string& text) {
    std::string out;
    for (int i = 0; i < 300 && out.find(text) == std::string::npos; i++) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      auto r = Ctl({"logs", id});
      out = r.ok() ? r->out : "";
    }
    EXPECT_NE(out.find(text), std::string::npos) << out;
    return out;
  }

  std::vector<std::string> log_dirs_;
};

TEST_F(CtlDockerFlagsTest, RunSetsEnvWorkdirUserResourcesAndLabels) {
  std::string id = CtlOk({"run", "-d", "--name", "dockerish", "-e", "FOO=bar", "-w", "/tmp", "-u",
                          "1000:1001", "-m", "64m", "--cpus", "0.5", "-l", "tier=front", image_,
                          "sh", "-c", "echo $FOO $(pwd) $(id -u):$(id -g); exec sleep 1000"});
  ASSERT_TRUE(std::regex_match(id, std::regex("[0-9a-f]{64}\n"))) << id;
  id.pop_back();
  WaitForLog(id, "bar /tmp 1000:1001\n");
  Json j = Inspect(id);
  EXPECT_EQ(j["status"]["labels"]["tier"], "front") << j.dump();
  Json spec = j["info"]["info"]["runtimeSpec"];
  EXPECT_EQ(spec["linux"]["resources"]["memory"]["limit"], 64 << 20) << spec.dump();
  EXPECT_EQ(spec["linux"]["resources"]["cpu"]["quota"], 50000);
  EXPECT_EQ(spec["linux"]["resources"]["cpu"]["period"], 100000);
  // The pod carries the label too, as docker users filter on it.
  Json pods = Json::parse(CtlOk({"pods", "--label", "tier=front", "-o", "json"}), nullptr, false);
  EXPECT_EQ(pods["items"].size(), 1u) << pods.dump();

  // ps --docker: docker's columns, the command and "Up ...".
  std::string ps = CtlOk({"ps", "--docker"});
  std::string header = ps.substr(0, ps.find('\n'));
  EXPECT_TRUE(std::regex_search(
      header, std::regex("^CONTAINER ID +IMAGE +COMMAND +CREATED +STATUS +NAMES$")))
      << ps;
  EXPECT_TRUE(std::regex_search(ps, std::regex(id.substr(0, 13) + " .*\"sh -c .*Up .*dockerish")))
      << ps;
}

TEST_F(CtlDockerFlagsTest, PrivilegedGetsEveryCapability) {
  auto r =
      Ctl({"run", "--rm", "--privileged", image_, "sh", "-c", "grep CapEff /proc/self/status"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit.code(), 0) << r->err;
  // The default set is 00000000a80425fb; a privileged container has (nearly) all 41.
  EXPECT_TRUE(std::regex_search(r->out, std::regex("CapEff:\\s+0*1f[0-9a-f]{9}\n"))) << r->out;
  auto plain = Ctl({"run", "--rm", image_, "sh", "-c", "grep CapEff /proc/self/status"});
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(std::regex_search(plain->out, std::regex("CapEff:\\s+0*1f[0-9a-f]{9}\n")))
      << plain->out;
}

TEST_F(CtlDockerFlagsTest, CreateFromFlagsThenStart) {
  std::string id = CtlOk({"create", "--name", "later", "-e", "MSG=hello", image_, "sh", "-c",
                          "echo $MSG"});
  ASSERT_TRUE(std::regex_match(id, std::regex("[0-9a-f]{64}\n"))) << id;
  id.pop_back();
  Json j = Inspect(id);
  EXPECT_EQ(j["status"]["state"], "CONTAINER_CREATED");
  std::string ps = CtlOk({"ps", "-a", "--docker"});
  EXPECT_TRUE(std::regex_search(ps, std::regex("Created +later"))) << ps;
  CtlOk({"start", id.substr(0, 8)});
  EXPECT_EQ(CtlOk({"logs", "-f", id}), "hello\n");
  ps = CtlOk({"ps", "-a", "--docker"});
  EXPECT_TRUE(std::regex_search(ps, std::regex("Exited \\(0\\) .* later"))) << ps;
}

TEST_F(CtlDockerFlagsTest, BadValuesNameTheFlag) {
  for (const auto& [flag, value] : std::vector<std::pair<std::string, std::string>>{
           {"-u", "1000:staff"}, {"--cpus", "lots"}, {"-m", "12q"}, {"-l", "novalue"}}) {
    auto r = Ctl({"run", "--rm", flag, value, image_, "true"});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->exit.code(), 2) << flag << " " << value << ": " << r->err;
    EXPECT_NE(r->err.find(value), std::string::npos) << r->err;
  }
}

}  // namespace
}  // namespace cricket::testing
