// cricket-oci exec into a running container: flags (--env, --cwd, --user,
// --cap), --process files, exit codes, --detach with --pid-file.
#include <unistd.h>

#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "tests/integration/oci/cli_helpers.h"

namespace cricket::testing {
namespace {

using nlohmann::json;

class ExecTest : public OciCliTest {
 protected:
  void SetUp() override {
    OciCliTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    id_ = NewId("exec");
    bundle_->SetArgs({"sleep", "100"});
    ASSERT_TRUE(bundle_->Save().ok());
    CliResult r = cli_->Run({"run", "-d", "--bundle", bundle_->dir(), id_});
    ASSERT_EQ(r.code, 0) << r;
    init_ = cli_->State(id_);
    ASSERT_EQ(init_["status"], "running");
  }
  json ExecChecker(std::vector<std::string> flags) {
    flags.insert(flags.begin(), "exec");
    flags.push_back(id_);
    flags.push_back("/bin/cricket-checker");
    CliResult r = cli_->Run(flags);
    EXPECT_EQ(r.code, 0) << r;
    return json::parse(r.out, nullptr, false);
  }
  std::string id_;
  json init_;
};

TEST_F(ExecTest, JoinsTheContainer) {
  json info = ExecChecker({});
  ASSERT_TRUE(info.is_object());
  EXPECT_NE(info["pid"], 1) << "exec is not init";
  json init_info = RunChecker({});  // another container: different namespaces
  EXPECT_NE(info["namespaces"]["pid"], init_info["namespaces"]["pid"]);
  auto link = [](const std::string& p) {
    char buf[256];
    ssize_t n = readlink(p.c_str(), buf, sizeof(buf));
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
  };
  int pid = init_["pid"];
  for (const char* ns : {"pid", "mnt", "net", "uts", "ipc"}) {
    EXPECT_EQ(info["namespaces"][ns], link(absl::StrCat("/proc/", pid, "/ns/", ns))) << ns;
  }
  EXPECT_EQ(info["uts"]["hostname"], bundle_->config().value("hostname", ""));
}

TEST_F(ExecTest, EnvCwdUserCap) {
  json info = ExecChecker({"--env", "EXTRA=1", "-e", "PATH=/bin", "--cwd", "/tmp", "--user",
                           "1000:2000"});
  EXPECT_EQ(info["cwd"], "/tmp");
  EXPECT_EQ(info["uid"], 1000);
  EXPECT_EQ(info["gid"], 2000);
  const json& env = info["env"];
  EXPECT_TRUE(std::find(env.begin(), env.end(), "EXTRA=1") != env.end()) << env;
  EXPECT_TRUE(std::find(env.begin(), env.end(), "PATH=/bin") != env.end()) << env;
  json caps = ExecChecker({"--cap", "CAP_SYS_ADMIN"});
  uint64_t bnd = std::stoull(caps["status"]["CapBnd"].get<std::string>(), nullptr, 16);
  EXPECT_TRUE(bnd & (uint64_t{1} << 21)) << caps["status"];
}

TEST_F(ExecTest, ExitCodeAndProcessFile) {
  CliResult r = cli_->Run({"exec", id_, "sh", "-c", "exit 7"});
  EXPECT_EQ(r.code, 7) << r;
  json proc = {{"terminal", false},
               {"user", {{"uid", 1}, {"gid", 1}}},
               {"args", {"/bin/cricket-checker"}},
               {"env", {"FROM_PROCESS_JSON=yes"}},
               {"cwd", "/bin"}};
  std::string path = bundle_->dir() + "/process.json";
  ASSERT_TRUE(sys::WriteFileAtomic(path, proc.dump()).ok());
  r = cli_->Run({"exec", "--process", path, id_});
  ASSERT_EQ(r.code, 0) << r;
  json info = json::parse(r.out, nullptr, false);
  EXPECT_EQ(info["uid"], 1);
  EXPECT_EQ(info["cwd"], "/bin");
  // Only the process file's env (plus HOME, which runc adds too).
  EXPECT_TRUE(info["env"] == json({"FROM_PROCESS_JSON=yes"}) ||
              info["env"] == json({"FROM_PROCESS_JSON=yes", "HOME=/"}))
      << info["env"];
}

TEST_F(ExecTest, DetachWritesPidFile) {
  std::string pid_file = bundle_->dir() + "/exec.pid";
  CliResult r = cli_->Run({"exec", "-d", "--pid-file", pid_file, id_, "sleep", "50"});
  ASSERT_EQ(r.code, 0) << r;
  auto text = sys::ReadFile(pid_file);
  ASSERT_TRUE(text.ok()) << text.status();
  int pid = std::atoi(text->c_str());
  EXPECT_GT(pid, 0);
  r = cli_->Run({"ps", "--format", "json", id_});
  json pids = json::parse(r.out, nullptr, false);
  EXPECT_TRUE(std::find(pids.begin(), pids.end(), pid) != pids.end()) << r;
  EXPECT_EQ(cli_->Run({"kill", "--all", id_, "KILL"}).code, 0);
}

TEST_F(ExecTest, RefusesStoppedContainerAndEmptyCommand) {
  EXPECT_EQ(cli_->Run({"exec", id_}).code, 1);
  ASSERT_EQ(cli_->Run({"kill", id_, "KILL"}).code, 0);
  for (int i = 0; i < 200 && cli_->State(id_)["status"] != "stopped"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CliResult r = cli_->Run({"exec", id_, "true"});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_FALSE(r.err.empty());
}

}  // namespace
}  // namespace cricket::testing
