// runc as the oracle for the verbs' answers clients parse: one container id
// walked through every state under runc, then under cricket-oci, each step's
// exit code, stdout and error message compared byte for byte.
#include <regex>
#include <thread>

#include "gtest/gtest.h"
#include "oci/sys/fs.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/temp_dir.h"
#include "tests/integration/oci/oracle_helpers.h"

namespace cricket::testing {
namespace {

struct Step {
  std::vector<std::string> args;
  bool compare_out = true;  // stdout is deterministic (no pids, no times)
};

struct Answer {
  int code;
  std::string out;
  std::string msg;
};

void WaitFor(const OciCli& c, const std::string& id, const std::string& status) {
  for (int i = 0; i < 200 && c.State(id)["status"] != status; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
}

// The pid, the creation time and the width they give the table's columns
// vary between runs, the ociVersion between runtimes; everything else must be the same bytes.
std::string Normalise(const std::string& s, int pid) {
  // ociVersion is each runtime's own spec version.
  std::string out = std::regex_replace(s, std::regex("\"ociVersion\": ?\"[^\"]*\""), "V");
  out = std::regex_replace(out, std::regex("\"created\": \"[^\"]*\""), "\"created\": T");
  out = std::regex_replace(out, std::regex("[0-9-]+T[0-9:.]+Z"), "T");
  out = std::regex_replace(out, std::regex("\\b" + std::to_string(pid) + "\\b"), "PID");
  return std::regex_replace(out, std::regex(" +"), " ");
}

class OracleVerbsTest : public OracleTest {
 protected:
  // Runs the steps, waiting for `stopped` after a KILL.
  std::vector<Answer> Walk(const OciCli& c, const std::vector<Step>& steps, const std::string& id) {
    std::vector<Answer> out;
    for (const Step& s : steps) {
      CliResult r = c.Run(s.args);
      out.push_back({r.code, s.compare_out ? r.out : "", RuntimeMessage(r.err)});
      if (s.args[0] == "kill" && s.args.size() == 3 && r.code == 0) WaitFor(c, id, "stopped");
    }
    return out;
  }
};

// delete of a running or paused container fails and leaves it as it was
// (runc's words); start twice, start of a paused or stopped container, kill,
// pause and resume in the wrong state, ps and events --stats of a stopped
// one, and every verb on an unknown id: the same codes, stdout and words.
TEST_F(OracleVerbsTest, RefusalsInEveryStateMatchRunc) {
  bundle_->SetArgs({"sleep", "100"});
  ASSERT_TRUE(bundle_->Save().ok());
  const std::string id = NewId("verbs");
  const std::vector<Step> steps = {
      {{"create", "--bundle", bundle_->dir(), id}},
      {{"start", id}},
      {{"start", id}},
      {{"delete", id}},
      {{"pause", id}},
      {{"pause", id}},
      {{"start", id}},
      {{"delete", id}},
      {{"resume", id}},
      {{"resume", id}},
      {{"kill", id, "KILL"}},
      {{"kill", id}},
      {{"kill", id, "KILL"}},
      {{"start", id}},
      {{"pause", id}},
      {{"resume", id}},
      {{"ps", id}},
      {{"ps", "-f", "json", id}},
      {{"events", "--stats", id}},
      {{"update", "--memory", "100000000", id}},
      {{"delete", id}},
      {{"list", "-f", "json"}},
      {{"state", id}},
      {{"delete", id}},
      {{"delete", "-f", id}},
      {{"kill", id}},
      {{"start", id}},
      {{"ps", id}},
      {{"events", "--stats", id}},
  };
  std::vector<std::vector<Answer>> answers;
  for (const OciCli* c : {&*runc_, &*cli_}) answers.push_back(Walk(*c, steps, id));
  for (size_t i = 0; i < steps.size(); i++) {
    const Answer &want = answers[0][i], &got = answers[1][i];
    std::string what = steps[i].args[0] + " (step " + std::to_string(i) + ")";
    EXPECT_EQ(got.code, want.code) << what << ": " << got.msg;
    EXPECT_EQ(got.out, want.out) << what;
    EXPECT_EQ(got.msg, want.msg) << what;
  }
}

// state, list and list -f json of a created container: the same bytes but
// for the pid and the creation time (and the column widths they make).
TEST_F(OracleVerbsTest, StateAndListBytesMatchRunc) {
  bundle_->SetArgs({"sleep", "100"});
  ASSERT_TRUE(bundle_->Save().ok());
  const std::string id = NewId("bytes");
  std::vector<std::vector<std::string>> outs;
  for (const OciCli* c : {&*runc_, &*cli_}) {
    CliResult r = c->Run({"create", "--bundle", bundle_->dir(), id});
    ASSERT_EQ(r.code, 0) << c->binary() << ": " << r;
    int pid = c->State(id)["pid"].get<int>();
    std::vector<std::string> out;
    for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
             {"state", id}, {"list"}, {"list", "-f", "json"}, {"list", "-q"}}) {
      out.push_back(Normalise(c->Run(args).out, pid));
    }
    EXPECT_EQ(c->Run({"delete", id}).code, 0) << c->binary() << ": delete of created";
    outs.push_back(out);
  }
  EXPECT_EQ(outs[1], outs[0]);
}

}  // namespace
}  // namespace cricket::testing

namespace cricket::testing {
namespace {

// create --pid-file and --bundle relative to the caller's cwd, and config.json
// annotations under keys no one defined: both work, as with runc.
TEST_F(OracleTest, RelativePidFileAndUnknownAnnotations) {
  bundle_->SetArgs({"sleep", "100"});
  bundle_->config()["annotations"] = {{"org.example.unknown/key", "v"}, {"x", ""}};
  ASSERT_TRUE(bundle_->Save().ok());
  for (const OciCli* c : Both()) {
    auto cwd = sys::TempDir::Make("cricket-oci-cwd-");
    ASSERT_TRUE(cwd.ok());
    std::string id = NewId("oracle-pidfile");
    std::string rel_bundle = "../" + bundle_->dir().substr(bundle_->dir().rfind('/') + 1);
    CliResult r = c->Run({"create", "--bundle", rel_bundle, "--pid-file", "c.pid", id}, "",
                         std::chrono::seconds(60), cwd->path());
    ASSERT_EQ(r.code, 0) << c->binary() << ": " << r;
    nlohmann::json state = c->State(id);
    EXPECT_EQ(sys::ReadFile(cwd->Sub("c.pid")).value_or(""), std::to_string(state["pid"].get<int>()))
        << c->binary();
    EXPECT_EQ(state["annotations"]["org.example.unknown/key"], "v") << c->binary();
    EXPECT_EQ(state["bundle"], bundle_->dir()) << c->binary();
    EXPECT_EQ(c->Run({"delete", "-f", id}).code, 0) << c->binary();
  }
}

}  // namespace
}  // namespace cricket::testing
