// Debian's runc as the oracle: on the same bundle, cricket-oci must give the
// same exit codes, state and list fields, and refusals.
#include <map>
#include <thread>

#include "gtest/gtest.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/capability_names.h"
#include "oci/sys/fs.h"
#include "tests/integration/oci/oracle_helpers.h"

namespace cricket::testing {
namespace {

using nlohmann::json;

// Keys of a JSON object, sorted.
std::vector<std::string> Keys(const json& j) {
  std::vector<std::string> k;
  for (auto it = j.begin(); it != j.end(); ++it) k.push_back(it.key());
  return k;
}

TEST_F(OracleTest, SameExitCodesForRun) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"true"}, {"sh", "-c", "exit 3"}, {"false"}}) {
    bundle_->SetArgs(args);
    ASSERT_TRUE(bundle_->Save().ok());
    std::vector<int> codes;
    for (const OciCli* c : Both()) {
      codes.push_back(c->Run({"run", "--bundle", bundle_->dir(), NewId("oracle")}).code);
    }
    EXPECT_EQ(codes[0], codes[1]) << args[0] << " cricket-oci vs runc";
  }
}

TEST_F(OracleTest, SameExitCodeWhenKilled) {
  bundle_->SetArgs({"sleep", "100"});
  ASSERT_TRUE(bundle_->Save().ok());
  std::vector<int> codes;
  for (const OciCli* c : Both()) {
    std::string id = NewId("oracle-kill");
    auto child = c->Start({"run", "--bundle", bundle_->dir(), id}, bundle_->dir() + "/out");
    ASSERT_TRUE(child.ok());
    for (int i = 0; i < 200 && c->State(id)["status"] != "running"; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_EQ(c->Run({"kill", id, "KILL"}).code, 0) << c->binary();
    auto ex = child->Wait();
    ASSERT_TRUE(ex.ok());
    codes.push_back(ex->code());
  }
  EXPECT_EQ(codes[0], 137);
  EXPECT_EQ(codes[0], codes[1]);
}

TEST_F(OracleTest, SameStateListAndDuplicateCreate) {
  bundle_->SetArgs({"sleep", "100"});
  ASSERT_TRUE(bundle_->Save().ok());
  std::vector<json> states, lists;
  std::vector<int> dup_codes;
  for (const OciCli* c : Both()) {
    std::string id = NewId("oracle-state");
    CliResult r = c->Run({"create", "--bundle", bundle_->dir(), id});
    ASSERT_EQ(r.code, 0) << c->binary() << ": " << r;
    dup_codes.push_back(c->Run({"create", "--bundle", bundle_->dir(), id}).code);
    states.push_back(c->State(id));
    lists.push_back(json::parse(c->Run({"list", "-f", "json"}).out, nullptr, false));
    EXPECT_EQ(c->State(id)["status"], "created") << c->binary() << " after a failed 2nd create";
  }
  EXPECT_EQ(dup_codes[0], dup_codes[1]);
  EXPECT_EQ(dup_codes[0], 1);
  EXPECT_EQ(Keys(states[0]), Keys(states[1]));
  // ociVersion differs: each runtime writes the spec version it implements.
  for (const char* k : {"status", "bundle", "rootfs", "owner"}) {
    EXPECT_EQ(states[0][k], states[1][k]) << k;
  }
  ASSERT_TRUE(lists[0].is_array() && lists[1].is_array());
  EXPECT_EQ(Keys(lists[0][0]), Keys(lists[1][0]));
  EXPECT_EQ(lists[0][0]["owner"], lists[1][0]["owner"]);
  EXPECT_EQ(cli_->Run({"list"}).out.substr(0, 50), runc_->Run({"list"}).out.substr(0, 50))
      << "table header";
}

TEST_F(OracleTest, SameRefusalsInTheWrongState) {
  bundle_->SetArgs({"true"});
  ASSERT_TRUE(bundle_->Save().ok());
  for (const OciCli* c : Both()) {
    std::string id = NewId("oracle-wrong");
    ASSERT_EQ(c->Run({"run", "-d", "--bundle", bundle_->dir(), id}).code, 0) << c->binary();
    for (int i = 0; i < 200 && c->State(id)["status"] != "stopped"; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_EQ(c->Run({"kill", id}).code, 1) << c->binary() << ": kill of stopped";
    EXPECT_EQ(c->Run({"start", id}).code, 1) << c->binary() << ": start of stopped";
    EXPECT_EQ(c->Run({"pause", id}).code, 1) << c->binary() << ": pause of stopped";
    EXPECT_EQ(c->Run({"delete", id}).code, 0) << c->binary();
    EXPECT_EQ(c->Run({"state", id}).code, 1) << c->binary();
    EXPECT_EQ(c->Run({"delete", "-f", id}).code, 0) << c->binary() << ": delete -f of missing";
  }
}

TEST_F(OracleTest, SpecDefaultsMatchRunc) {
  std::vector<json> specs;
  for (const OciCli* c : Both()) {
    auto dir = sys::TempDir::Make("cricket-oci-spec-");
    ASSERT_TRUE(dir.ok());
    ASSERT_EQ(c->Run({"spec", "--bundle", dir->path()}).code, 0) << c->binary();
    specs.push_back(json::parse(*sys::ReadFile(dir->Sub("config.json")), nullptr, false));
  }
  // runc 1.2 dropped the empty "inheritable" list and added a cgroup
  // namespace to its default; Debian's runc 1.1 has the older default.
  for (json& s : specs) {
    s["process"]["capabilities"].erase("inheritable");
    json& nss = s["linux"]["namespaces"];
    for (auto it = nss.begin(); it != nss.end();) {
      it = (*it)["type"] == "cgroup" ? nss.erase(it) : it + 1;
    }
  }
  EXPECT_EQ(specs[0]["process"]["capabilities"], specs[1]["process"]["capabilities"]);
  EXPECT_EQ(specs[0]["process"]["rlimits"], specs[1]["process"]["rlimits"]);
  EXPECT_EQ(specs[0]["linux"]["maskedPaths"], specs[1]["linux"]["maskedPaths"]);
  EXPECT_EQ(specs[0]["linux"]["readonlyPaths"], specs[1]["linux"]["readonlyPaths"]);
  EXPECT_EQ(specs[0]["linux"]["namespaces"], specs[1]["linux"]["namespaces"]);
  EXPECT_EQ(specs[0]["mounts"].size(), specs[1]["mounts"].size());
}

}  // namespace
}  // namespace cricket::testing

namespace cricket::testing {
namespace {

// A capability this process does not hold (this machine's root lacks
// CAP_SYS_RESOURCE), or -1. Detected, never assumed.
int MissingCap() {
  std::string status = sys::ReadFile("/proc/self/status").value_or("");
  size_t at = status.find("CapBnd:\t");
  if (at == std::string::npos) return -1;
  uint64_t bnd = std::stoull(status.substr(at + 8, 16), nullptr, 16);
  int last = std::atoi(sys::ReadFile("/proc/sys/kernel/cap_last_cap").value_or("40").c_str());
  for (int c = 0; c <= last; c++) {
    if ((bnd & (uint64_t{1} << c)) == 0) return c;
  }
  return -1;
}

// runc's answers for a cap the runtime lacks: only in the bounding set it is
// no error (nothing to drop); in permitted/effective the container fails to
// start ("unable to apply caps: operation not permitted"). cricket-oci does the
// same, and its error names the capability.
TEST_F(OracleTest, CapabilityTheRuntimeLacks) {
  int missing = MissingCap();
  if (missing < 0) GTEST_SKIP() << "this process holds every capability";
  std::string name = sys::kCapabilityNames[missing].data();
  bundle_->SetArgs({"true"});
  auto& caps = bundle_->config()["process"]["capabilities"];
  caps["bounding"].push_back(name);
  ASSERT_TRUE(bundle_->Save().ok());
  for (const OciCli* c : Both()) {
    CliResult r = c->Run({"run", "--bundle", bundle_->dir(), NewId("oracle-bnd")});
    EXPECT_EQ(r.code, 0) << c->binary() << " with " << name << " in bounding only: " << r;
  }
  caps["permitted"].push_back(name);
  caps["effective"].push_back(name);
  ASSERT_TRUE(bundle_->Save().ok());
  std::vector<CliResult> results;
  for (const OciCli* c : Both()) {
    results.push_back(c->Run({"run", "--bundle", bundle_->dir(), NewId("oracle-prm")}));
    EXPECT_NE(results.back().code, 0) << c->binary() << " with " << name << ": " << results.back();
  }
  EXPECT_EQ(results[0].code, results[1].code);
  // runc's words verbatim ("unable to start container process: unable to
  // apply caps: operation not permitted"), then which capability.
  std::string runc_msg = RuntimeMessage(results[1].err);
  ASSERT_FALSE(runc_msg.empty()) << results[1];
  EXPECT_NE(RuntimeMessage(results[0].err).find(runc_msg), std::string::npos)
      << "runc: " << runc_msg << "\n" << results[0];
  EXPECT_NE(results[0].err.find(name), std::string::npos) << results[0];
}

// The state on a hook's stdin, per hook kind. The create-time hooks run after
// lifecycle step 2, where the spec's status is "created" (crun passes that);
// poststart runs after the user program started ("running"), poststop after
// it exited ("stopped"). Debian's runc 1.1 departs from the spec there
// ("creating" for the create-time hooks, "created" for poststart), so the
// statuses are the spec's; the document's shape is runc's (its keys, in its
// order, with no pid once the container stopped), and where runc follows
// the spec (startContainer, poststop) the statuses agree too.
TEST_F(OracleTest, HookStatesFollowTheLifecycle) {
  const std::map<std::string, std::string> want = {
      {"prestart", "created"},  {"createRuntime", "created"}, {"createContainer", "created"},
      {"poststart", "running"}, {"poststop", "stopped"},      {"startContainer", "created"}};
  json& cfg = bundle_->config();
  cfg["root"]["readonly"] = false;  // the startContainer hook writes inside
  bundle_->SetArgs({"true"});
  std::vector<std::map<std::string, std::string>> seen;  // per runtime: kind -> raw state
  for (const OciCli* c : Both()) {
    auto out = sys::TempDir::Make("cricket-oci-hooks-");
    ASSERT_TRUE(out.ok());
    for (const auto& [kind, status] : want) {
      // startContainer's path resolves inside the container.
      std::string dest = kind == "startContainer" ? "/startContainer" : out->Sub(kind);
      cfg["hooks"][kind] =
          json::array({{{"path", "/bin/sh"}, {"args", {"sh", "-c", "cat > " + dest}}}});
    }
    ASSERT_TRUE(bundle_->Save().ok());
    CliResult r = c->Run({"run", "--bundle", bundle_->dir(), NewId("oracle-hooks")});
    ASSERT_EQ(r.code, 0) << c->binary() << ": " << r;
    std::map<std::string, std::string> got;
    for (const auto& [kind, status] : want) {
      std::string path =
          kind == "startContainer" ? bundle_->rootfs() + "/startContainer" : out->Sub(kind);
      got[kind] = sys::ReadFile(path).value_or("");
    }
    seen.push_back(got);
  }
  for (const auto& [kind, status] : want) {
    auto ours = nlohmann::ordered_json::parse(seen[0][kind], nullptr, false);
    auto runcs = nlohmann::ordered_json::parse(seen[1][kind], nullptr, false);
    ASSERT_TRUE(ours.is_object()) << kind << " hook got no state: " << seen[0][kind];
    ASSERT_TRUE(runcs.is_object()) << kind << " runc's hook got no state: " << seen[1][kind];
    EXPECT_EQ(ours["status"], status) << kind;
    EXPECT_EQ(ours["bundle"], bundle_->dir()) << kind;
    std::vector<std::string> ours_keys, runcs_keys;
    for (auto& [k, v] : ours.items()) ours_keys.push_back(k);
    for (auto& [k, v] : runcs.items()) runcs_keys.push_back(k);
    EXPECT_EQ(ours_keys, runcs_keys) << kind << ": " << seen[0][kind] << " vs runc's "
                                     << seen[1][kind];
    if (kind == "startContainer" || kind == "poststop") {
      EXPECT_EQ(ours["status"], runcs["status"]) << kind;
    }
  }
}

// runc ignores capability names the kernel does not know, with one warning;
// it grants nothing, so cricket-oci does the same, in runc's words.
TEST_F(OracleTest, UnknownCapabilityIsIgnoredWithRuncsWarning) {
  bundle_->SetArgs({"true"});
  for (auto& [set, names] : bundle_->config()["process"]["capabilities"].items()) {
    names.push_back("CAP_NO_SUCH_THING");
  }
  ASSERT_TRUE(bundle_->Save().ok());
  for (const OciCli* c : Both()) {
    CliResult r = c->Run({"run", "--bundle", bundle_->dir(), NewId("oracle-unknown-cap")});
    EXPECT_EQ(r.code, 0) << c->binary() << ": " << r;
    EXPECT_NE(r.err.find("ignoring unknown or unavailable capabilities: [CAP_NO_SUCH_THING]"),
              std::string::npos)
        << c->binary() << ": " << r;
  }
}

// The kernel memory limit of cgroup v1: applied where the kernel honours it;
// where it does not (5.16+ accepts the write and ignores it; newer kernels have
// no file), the container still starts, as with runc, and runc's warning says so.
TEST_F(OracleTest, KernelMemoryLimitIsAppliedOrWarned) {
  if (!sys::PathExists("/sys/fs/cgroup/memory")) GTEST_SKIP() << "no cgroup v1 memory hierarchy";
  const int64_t kLimit = 64 << 20;
  bundle_->SetArgs({"sleep", "100"});
  bundle_->config()["linux"]["resources"]["memory"] = {{"kernel", kLimit}};
  ASSERT_TRUE(bundle_->Save().ok());
  std::string runc_warning;
  for (const OciCli* c : {&*runc_, &*cli_}) {
    std::string id = NewId("oracle-kmem");
    CliResult r = c->Run({"create", "--bundle", bundle_->dir(), id});
    ASSERT_EQ(r.code, 0) << c->binary() << ": " << r;
    if (IsRunc(c)) {
      runc_warning = RuntimeMessage(r.err, "warn");
      continue;
    }
    std::string pid = std::to_string(c->State(id)["pid"].get<int>());
    std::string cgroups = sys::ReadFile("/proc/" + pid + "/cgroup").value_or("");
    size_t at = cgroups.find(":memory:");
    ASSERT_NE(at, std::string::npos) << cgroups;
    std::string path = cgroups.substr(at + 8, cgroups.find('\n', at) - at - 8);
    auto kmem = sys::ReadFile("/sys/fs/cgroup/memory" + path + "/memory.kmem.limit_in_bytes");
    bool applied = kmem.ok() && std::stoll(*kmem) == kLimit;
    std::string warning = RuntimeMessage(r.err, "warn");
    bool warned = warning.find("Kernel memory settings are ignored") != std::string::npos;
    EXPECT_NE(applied, warned) << "applied=" << applied << " (" << kmem.value_or("no file")
                               << "), stderr: " << r.err;
    // runc 1.1 never applies it and always warns: where we warn too, in its words.
    if (warned) EXPECT_EQ(warning, runc_warning) << r.err;
  }
}

// delete of a running or paused container MUST fail and leave it as it was;
// unknown annotation keys are carried, not refused. (Both already held when
// they were reported as departures; kept as oracle tests so they stay true.)
TEST_F(OracleTest, RefusedDeleteLeavesTheContainerAndAnnotationsAreKept) {
  bundle_->SetArgs({"sleep", "100"});
  bundle_->config()["annotations"] = {{"org.example.unknown/key", "v"}};
  ASSERT_TRUE(bundle_->Save().ok());
  for (const OciCli* c : Both()) {
    std::string id = NewId("oracle-delete");
    CliResult r = c->Run({"create", "--bundle", bundle_->dir(), id});
    ASSERT_EQ(r.code, 0) << c->binary() << ": " << r;
    ASSERT_EQ(c->Run({"start", id}).code, 0) << c->binary();
    EXPECT_EQ(c->State(id)["annotations"]["org.example.unknown/key"], "v") << c->binary();
    for (const char* status : {"running", "paused"}) {
      if (std::string(status) == "paused") ASSERT_EQ(c->Run({"pause", id}).code, 0);
      EXPECT_EQ(c->Run({"delete", id}).code, 1) << c->binary() << ": delete of " << status;
      EXPECT_EQ(c->State(id)["status"], status) << c->binary() << " after a refused delete";
    }
    EXPECT_EQ(c->Run({"delete", "-f", id}).code, 0) << c->binary();
  }
}

}  // namespace
}  // namespace cricket::testing
