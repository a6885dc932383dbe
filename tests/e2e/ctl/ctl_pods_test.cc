// cricketctl's pod commands, prefixes, config, --help and the import
// service check, run as a binary against a live cricketd.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <map>

#include "oci/sys/atomic_file.h"
#include "tests/e2e/ctl/ctl_e2e_helpers.h"
#include "tests/fixtures/partners.h"

namespace cricket::testing {
namespace {

using Json = nlohmann::json;

TEST_F(CtlE2eTest, PodsFiltersPrefixesAndAmbiguousIds) {
  // Host-network pods are cheap; make them until two ids share a first
  // character (at most 17 by pigeonhole) for the ambiguous-prefix case.
  std::map<char, std::string> by_first;
  std::string a, b;
  for (int i = 0; i < 17 && a.empty(); i++) {
    std::string id = CtlOk({"runp", PodConfigFile("p" + std::to_string(i), true)});
    ASSERT_FALSE(id.empty());
    id.pop_back();  // '\n'
    auto [it, fresh] = by_first.emplace(id[0], id);
    if (!fresh) {
      a = it->second;
      b = id;
    }
  }
  ASSERT_FALSE(a.empty());
  sys::CommandResult amb = Ctl({"inspectp", std::string(1, a[0])});
  EXPECT_EQ(amb.exit.code(), 2) << amb.err;
  EXPECT_NE(amb.err.find("ambiguous"), std::string::npos) << amb.err;
  EXPECT_NE(amb.err.find(a), std::string::npos) << amb.err;
  EXPECT_NE(amb.err.find(b), std::string::npos) << amb.err;
  sys::CommandResult none = Ctl({"inspectp", "zzzz"});
  EXPECT_EQ(none.exit.code(), 1);
  EXPECT_NE(none.err.find("no pod sandbox matches"), std::string::npos) << none.err;

  // A unique prefix works everywhere an id is taken.
  size_t n = 1;
  while (a.substr(0, n) == b.substr(0, n)) n++;
  Json st = CtlJson({"inspectp", a.substr(0, n)});
  EXPECT_EQ(st["status"]["id"], a);
  EXPECT_EQ(st["status"]["state"], "SANDBOX_READY");
  EXPECT_EQ(CtlOk({"inspectp", a.substr(0, n), "-o", "go-template", "--template",
                   "{{.status.metadata.namespace}}/{{.status.id}}"}),
            "e2e/" + a + "\n");

  // Tables have crictl's columns, three spaces apart.
  std::string table = CtlOk({"pods"});
  EXPECT_EQ(table.rfind("POD ID          CREATED", 0), 0u) << table;
  for (const char* col : {"STATE", "NAME", "NAMESPACE", "ATTEMPT", "RUNTIME"}) {
    EXPECT_NE(table.substr(0, table.find('\n')).find(col), std::string::npos) << table;
  }
  EXPECT_NE(table.find(a.substr(0, 13)), std::string::npos);
  // Filters.
  Json p0 = CtlJson({"pods", "--name", "^p0$", "-o", "json"});
  ASSERT_EQ(p0["items"].size(), 1u);
  EXPECT_EQ(p0["items"][0]["metadata"]["name"], "p0");
  EXPECT_EQ(CtlJson({"pods", "--label", "app=p1", "-o", "json"})["items"].size(), 1u);
  EXPECT_EQ(CtlJson({"pods", "--label", "app=nope", "-o", "json"})["items"].size(), 0u);
  EXPECT_EQ(CtlJson({"pods", "--namespace", "e2e", "--state", "ready", "-o", "json"})["items"].size(),
            by_first.size() + 1);
  std::string latest = CtlOk({"pods", "-q", "--latest"});
  EXPECT_EQ(latest, b + "\n");
  std::string last2 = CtlOk({"pods", "-q", "--last", "2"});
  EXPECT_EQ(std::count(last2.begin(), last2.end(), '\n'), 2) << last2;
  EXPECT_NE(CtlOk({"pods", "-v", "--id", a.substr(0, n)}).find("ID: " + a), std::string::npos);
  // YAML output is YAML, not JSON.
  EXPECT_NE(CtlOk({"pods", "-o", "yaml"}).find("items:"), std::string::npos);

  // rmp of a ready pod needs -f; stopp + rmp by prefix; rmp -a -f clears the rest.
  sys::CommandResult busy = Ctl({"rmp", a.substr(0, n)});
  EXPECT_NE(busy.exit.code(), 0);
  EXPECT_NE(busy.err.find("-f"), std::string::npos) << busy.err;
  EXPECT_EQ(CtlOk({"stopp", a.substr(0, n)}), a + "\n");
  EXPECT_EQ(CtlJson({"pods", "--state", "notready", "-o", "json"})["items"].size(), 1u);
  EXPECT_EQ(CtlOk({"rmp", a.substr(0, n)}), a + "\n");
  CtlOk({"rmp", "-a", "-f"});
  EXPECT_EQ(CtlOk({"pods", "-q"}), "");
}

TEST_F(CtlE2eTest, ConfigFileHelpAndVersion) {
  // config --set writes the file; later calls find the endpoint there.
  CtlOk({"config", "--set", "runtime-endpoint=" + daemon_->endpoint() + ",timeout=20"});
  EXPECT_EQ(CtlOk({"config", "--get", "timeout"}), "20\n");
  EXPECT_NE(CtlOk({"config", "--list"}).find("runtime-endpoint   " + daemon_->endpoint()),
            std::string::npos);
  EXPECT_NE(Ctl({"config", "--set", "colour=blue"}).exit.code(), 0);
  sys::SpawnOptions o;
  o.argv = {BuiltProgram("cri/cricketctl"), "--config", config_, "version", "-o", "json"};
  auto r = sys::RunCommand(o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit.code(), 0) << r->err;
  Json v = Json::parse(r->out, nullptr, false);
  EXPECT_EQ(v["runtimeName"], "cricket") << r->out;
  EXPECT_EQ(v["runtimeApiVersion"], "v1");

  for (const char* cmd : {"version", "info", "runp", "pods", "inspectp", "stopp", "rmp", "statsp",
                          "pull", "images", "inspecti", "rmi", "imagefsinfo", "import", "create",
                          "start", "ps", "inspect", "logs", "stop", "rm", "stats", "update",
                          "events", "config"}) {
    std::string help = CtlOk({cmd, "--help"});
    EXPECT_EQ(help.rfind(std::string("usage: cricketctl ") + cmd, 0), 0u) << help;
  }
  EXPECT_NE(CtlOk({"logs", "--help"}).find("--since TIME"), std::string::npos);
  EXPECT_NE(CtlOk({"--help"}).find("imagefsinfo"), std::string::npos);
  Json info = CtlJson({"info"});
  EXPECT_TRUE(info.contains("status")) << info.dump();
  sys::CommandResult bad = Ctl({"pods", "--bogus"});
  EXPECT_EQ(bad.exit.code(), 2);
  EXPECT_NE(bad.err.find("--bogus"), std::string::npos);
}

TEST_F(CtlE2eTest, ImportOnAnotherRuntimeSaysSo) {
  // A gRPC server with no services answers UNIMPLEMENTED, as containerd or
  // CRI-O do for cricket.v1.Images.
  std::string sock = tmp_->Sub("other.sock");
  v1::RuntimeService::Service cri_only;  // every method UNIMPLEMENTED
  grpc::ServerBuilder builder;
  builder.AddListeningPort("unix:" + sock, grpc::InsecureServerCredentials());
  builder.RegisterService(&cri_only);
  std::unique_ptr<grpc::Server> other = builder.BuildAndStart();
  ASSERT_TRUE(other);
  std::string file = WriteFile("dummy.tar", "x");
  sys::SpawnOptions o;
  o.argv = {BuiltProgram("cri/cricketctl"), "--config", config_, "-r", "unix://" + sock, "import",
            file};
  auto r = sys::RunCommand(o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit.code(), 1);
  EXPECT_NE(r->err.find("does not offer cricket's import service"), std::string::npos) << r->err;
  other->Shutdown();
  // And a missing file is named before anything is sent.
  sys::CommandResult missing = Ctl({"import", tmp_->Sub("nope.tar")});
  EXPECT_NE(missing.exit.code(), 0);
  EXPECT_NE(missing.err.find("nope.tar"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace cricket::testing
