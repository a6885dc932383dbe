// cricketctl's image and container commands against a live cricketd: an OCI
// layout tarball imported with `import`, containers created from it by id
// prefix, ps/inspect/logs/stats/update/stop/rm, images/inspecti/rmi.
#include <fcntl.h>

#include <algorithm>
#include <chrono>
#include <regex>
#include <thread>

#include "oci/sys/atomic_file.h"
#include "oci/sys/unique_fd.h"
#include "tests/e2e/ctl/ctl_e2e_helpers.h"
#include "tests/fixtures/busybox_registry.h"
#include "tests/fixtures/image_builder.h"
#include "tests/fixtures/partners.h"
#include "tests/fixtures/registry_fixture.h"

namespace cricket::testing {
namespace {

using Json = nlohmann::json;

constexpr char kImage[] = "localhost/e2e/busybox:1.0";

std::string ContainerYaml(const std::string& name, const std::string& script) {
  return "metadata:\n  name: " + name + "\nimage:\n  image: " + kImage +
         "\ncommand: [sh, -c, '" + script + "']\nlog_path: " + name +
         ".log\nlabels:\n  role: " + name +
         "\nlinux:\n  security_context:\n    namespace_options:\n      pid: CONTAINER\n";
}

std::string Line1(const std::string& s) { return s.substr(0, s.find('\n')); }
std::string Trim(std::string s) {
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

class CtlContainersTest : public CtlE2eTest {
 protected:
  // Imports the image, runs a pod and creates + starts `name` in it.
  std::string Run(const std::string& pod, const std::string& name, const std::string& script) {
    std::string cfg = WriteFile(name + ".yaml", ContainerYaml(name, script));
    // The pod id by an 8-character prefix.
    std::string id = Trim(CtlOk({"create", pod.substr(0, 8), cfg, pod_config_}));
    EXPECT_EQ(CtlOk({"start", id.substr(0, 10)}), id + "\n");
    return id;
  }

  std::string RunPod() {
    pod_config_ = PodConfigFile("web");
    return Trim(CtlOk({"runp", pod_config_}));
  }

  std::string pod_config_;
};

TEST_F(CtlContainersTest, ImportImagesInspectiAndPrune) {
  ImportBusybox(kImage);
  std::string table = CtlOk({"images"});
  // Columns padded to the widest cell plus three spaces, as crictl's tabwriter.
  EXPECT_EQ(Line1(table), "IMAGE                   TAG   IMAGE ID        SIZE") << table;
  EXPECT_NE(table.find("\nlocalhost/e2e/busybox   1.0   "), std::string::npos) << table;
  EXPECT_NE(Line1(CtlOk({"images", "--digests"})).find("DIGEST"), std::string::npos);
  std::string id = Trim(CtlOk({"images", "-q"}));
  ASSERT_EQ(id.rfind("sha256:", 0), 0u) << id;
  Json list = CtlJson({"images", "-o", "json"});
  ASSERT_EQ(list["images"].size(), 1u);
  EXPECT_EQ(list["images"][0]["repoTags"][0], kImage);
  EXPECT_NE(CtlOk({"images", "-v"}).find("RepoTags: " + std::string(kImage)), std::string::npos);
  // inspecti by tag and by id prefix (without "sha256:").
  Json by_tag = CtlJson({"inspecti", kImage});
  EXPECT_EQ(by_tag["status"]["id"], id);
  Json by_prefix = CtlJson({"inspecti", id.substr(7, 12)});
  EXPECT_EQ(by_prefix["status"]["id"], id);
  Json fs = CtlJson({"imagefsinfo"});
  ASSERT_TRUE(fs["status"]["imageFilesystems"].is_array()) << fs.dump();
  EXPECT_FALSE(fs["status"]["imageFilesystems"][0]["fsId"]["mountpoint"].get<std::string>().empty());

  // An image a container uses survives --prune; an unused one goes.
  std::string pod = RunPod();
  std::string ctr = Run(pod, "keep", "exec sleep 1000");
  EXPECT_EQ(CtlOk({"rmi", "--prune"}), "");
  EXPECT_EQ(Trim(CtlOk({"images", "-q"})), id);
  EXPECT_NE(Ctl({"rmi", id.substr(7, 12)}).exit.code(), 0);  // in use
  CtlOk({"rm", "-f", ctr.substr(0, 6)});
  EXPECT_EQ(CtlOk({"rmi", "--prune"}), "Deleted: " + id + "\n");
  EXPECT_EQ(CtlOk({"images", "-q"}), "");
}

TEST_F(CtlContainersTest, PsInspectLogsStatsUpdateStopRm) {
  ImportBusybox(kImage);
  std::string pod = RunPod();
  std::string id = Run(pod, "main", "echo one; echo err >&2; sleep 1; echo two; exec sleep 1000");
  std::string quick = Run(pod, "quick", "echo a; sleep 2; echo b");

  // ps: crictl's columns, filters, prefixes, output formats.
  std::string table = CtlOk({"ps", "-a"});
  std::string header = Line1(table);
  EXPECT_EQ(header.rfind("CONTAINER       IMAGE", 0), 0u) << table;
  for (const char* col : {"CREATED", "STATE", "NAME", "ATTEMPT", "POD ID", "POD"}) {
    EXPECT_NE(header.find(col), std::string::npos) << table;
  }
  EXPECT_NE(table.find(id.substr(0, 13)), std::string::npos) << table;
  EXPECT_NE(table.find("Running"), std::string::npos) << table;
  EXPECT_NE(table.find(kImage), std::string::npos) << table;
  EXPECT_EQ(CtlOk({"ps", "-q", "--name", "^main$"}), id + "\n");
  EXPECT_EQ(CtlOk({"ps", "-q", "--label", "role=main"}), id + "\n");
  EXPECT_EQ(CtlOk({"ps", "-q", "-a", "--latest"}), quick + "\n");
  EXPECT_EQ(CtlOk({"ps", "-q", "-a", "--pod", pod.substr(0, 6), "--image", kImage, "--id",
                   id.substr(0, 5)}),
            id + "\n");
  EXPECT_EQ(CtlOk({"ps", "-q", "--state", "created"}), "");
  Json ps = CtlJson({"ps", "-a", "-o", "json"});
  EXPECT_EQ(ps["containers"].size(), 2u);
  EXPECT_EQ(CtlOk({"ps", "--name", "main", "-o", "go-template", "--template",
                   "{{range .containers}}{{.metadata.name}}={{.state}}{{end}}"}),
            "main=CONTAINER_RUNNING\n");
  Json st = CtlJson({"inspect", id.substr(0, 7)});
  EXPECT_EQ(st["status"]["id"], id);
  EXPECT_EQ(st["status"]["state"], "CONTAINER_RUNNING");

  // logs: the file's records, by stream; --tail, --timestamps, --since.
  std::string out;
  for (int i = 0; i < 50 && out.find("two") == std::string::npos; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    out = Ctl({"logs", id.substr(0, 6)}).out;
  }
  EXPECT_EQ(out, "one\ntwo\n");
  sys::CommandResult logs = Ctl({"logs", id});
  EXPECT_EQ(logs.err, "err\n");
  EXPECT_EQ(CtlOk({"logs", "--tail", "1", id}), "two\n");
  std::string ts = CtlOk({"logs", "-t", "--tail", "1", id});
  EXPECT_TRUE(std::regex_match(ts, std::regex(R"(\d{4}-\d\d-\d\dT\S+ two\n)"))) << ts;
  EXPECT_EQ(CtlOk({"logs", "--since", "1h", id}), "one\ntwo\n");
  EXPECT_EQ(CtlOk({"logs", "--since", "2099-01-01T00:00:00Z", id}), "");
  sys::CommandResult bad_since = Ctl({"logs", "--since", "yesterday", id});
  EXPECT_EQ(bad_since.exit.code(), 2);
  EXPECT_NE(bad_since.err.find("yesterday"), std::string::npos) << bad_since.err;
  // -f follows until the container exits.
  EXPECT_EQ(CtlOk({"logs", "-f", quick.substr(0, 8)}), "a\nb\n");
  EXPECT_NE(Ctl({"logs", "-p", id}).exit.code(), 0);  // attempt 0 has no previous log

  // stats: crictl's columns; JSON parses.
  std::string stats = CtlOk({"stats"});
  EXPECT_EQ(Line1(stats).rfind("CONTAINER", 0), 0u) << stats;
  for (const char* col : {"NAME", "CPU %", "MEM", "DISK", "INODES"}) {
    EXPECT_NE(Line1(stats).find(col), std::string::npos) << stats;
  }
  EXPECT_NE(stats.find("main"), std::string::npos) << stats;
  Json sj = CtlJson({"stats", "-o", "json", "--id", id.substr(0, 8)});
  ASSERT_EQ(sj["stats"].size(), 1u) << sj.dump();
  EXPECT_EQ(sj["stats"][0]["attributes"]["id"], id);

  // update by prefix.
  EXPECT_EQ(CtlOk({"update", "--cpu-shares", "512", "--memory", "64m", id.substr(0, 9)}),
            id + "\n");

  // stop -t / rm: a running container needs -f; rm -a clears the rest.
  sys::CommandResult busy = Ctl({"rm", id.substr(0, 9)});
  EXPECT_NE(busy.exit.code(), 0);
  EXPECT_NE(busy.err.find("running"), std::string::npos) << busy.err;
  EXPECT_EQ(CtlOk({"stop", "-t", "1", id.substr(0, 9)}), id + "\n");
  EXPECT_EQ(CtlJson({"inspect", id})["status"]["state"], "CONTAINER_EXITED");
  EXPECT_EQ(CtlOk({"rm", id.substr(0, 9)}), id + "\n");
  CtlOk({"rm", "-a", "-f"});
  EXPECT_EQ(CtlOk({"ps", "-a", "-q"}), "");
}

TEST_F(CtlContainersTest, StatspAndEvents) {
  ImportBusybox(kImage);
  std::string pod = RunPod();
  // Events: the stream runs until we end it; a container's creation shows up.
  std::string events_out = tmp_->Sub("events.json");
  sys::UniqueFd fd(::open(events_out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  ASSERT_TRUE(fd);
  sys::SpawnOptions o;
  o.argv = {BuiltProgram("cri/cricketctl"), "--config", config_, "-r", daemon_->endpoint(),
            "events"};
  o.stdout_fd = fd.get();
  o.stderr_fd = fd.get();
  auto events = sys::ChildProcess::Spawn(o);
  ASSERT_TRUE(events.ok()) << events.status();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  std::string id = Run(pod, "ev", "exec sleep 1000");
  std::string seen;
  for (int i = 0; i < 50 && seen.find(id) == std::string::npos; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    seen = sys::ReadFile(events_out).value_or("");
    if (seen.find("not implemented") != std::string::npos) break;
  }
  if (seen.find("not implemented") == std::string::npos) {
    EXPECT_NE(seen.find("\"containerId\": \"" + id + "\""), std::string::npos) << seen;
    EXPECT_NE(seen.find("CONTAINER_CREATED_EVENT"), std::string::npos) << seen;
  }
  // The ChildProcess destructor ends and reaps the events stream.

  sys::CommandResult sp = Ctl({"statsp"});
  if (sp.err.find("not implemented") == std::string::npos) {
    EXPECT_EQ(sp.exit.code(), 0) << sp.err;
    EXPECT_EQ(Line1(sp.out).rfind("POD   POD ID          CPU %   MEM", 0), 0u) << sp.out;
    EXPECT_NE(sp.out.find("web"), std::string::npos) << sp.out;
    Json j = CtlJson({"statsp", "-o", "json", pod.substr(0, 6)});
    EXPECT_EQ(j["stats"][0]["attributes"]["id"], pod) << j.dump();
  }

  // logs -p: crictl's rule, "<attempt-1>.log" next to the container's log.
  ASSERT_TRUE(sys::WriteFileAtomic(tmp_->Sub("0.log"),
                                   "2026-01-01T00:00:00Z stdout P earl\n"
                                   "2026-01-01T00:00:00Z stdout F ier life\n")
                  .ok());
  std::string yaml = ContainerYaml("again", "exec sleep 1000");
  yaml.replace(yaml.find("log_path: again.log"), 19, "log_path: 1.log");
  yaml.replace(yaml.find("name: again"), 11, "name: again\n  attempt: 1");
  std::string again = Trim(CtlOk({"create", pod, WriteFile("again.yaml", yaml), pod_config_}));
  EXPECT_EQ(CtlOk({"logs", "--previous", again.substr(0, 12)}), "earlier life\n");
  CtlOk({"rmp", "-f", pod.substr(0, 6)});
}

TEST_F(CtlContainersTest, PullWithCredsAndPodConfigThenRmiAll) {
  auto reg = RegistryFixture::Start(RegistryMode::kPlain);
  ASSERT_TRUE(reg.ok()) << reg.status();
  auto pushed = PushBusybox(**reg);
  ASSERT_TRUE(pushed.ok()) << pushed.status();
  std::string ref = *pushed;
  // Not a terminal here: stdout has just crictl's result line (the layer
  // progress goes to stderr).
  sys::CommandResult pulled =
      Ctl({"pull", "--creds", "someone:pw", "--pod-config", PodConfigFile("puller"), ref});
  EXPECT_EQ(pulled.exit.code(), 0) << pulled.err;
  EXPECT_EQ(pulled.out.rfind("Image is up to date for sha256:", 0), 0u) << pulled.out;
  EXPECT_EQ(std::count(pulled.out.begin(), pulled.out.end(), '\n'), 1) << pulled.out;
  EXPECT_EQ(pulled.err.find("cricketctl:"), std::string::npos) << pulled.err;
  EXPECT_NE(CtlOk({"images"}).find((*reg)->HostPort() + "/e2e/busybox   1.0"), std::string::npos);
  sys::CommandResult bad = Ctl({"pull", (*reg)->HostPort() + "/e2e/missing:1.0"});
  EXPECT_EQ(bad.exit.code(), 1);
  EXPECT_NE(bad.err.find("missing"), std::string::npos) << bad.err;
  std::string id = Trim(CtlOk({"images", "-q"}));
  EXPECT_EQ(CtlOk({"rmi", "-a"}), "Deleted: " + id + "\n");
  EXPECT_EQ(CtlOk({"images", "-q"}), "");
}

}  // namespace
}  // namespace cricket::testing
