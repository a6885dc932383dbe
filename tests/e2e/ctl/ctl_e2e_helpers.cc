// The cricketctl e2e fixture (see ctl_e2e_helpers.h).
#include "tests/e2e/ctl/ctl_e2e_helpers.h"

#include <google/protobuf/util/json_util.h>

#include "oci/sys/atomic_file.h"
#include "tests/fixtures/image_builder.h"
#include "tests/fixtures/partners.h"

namespace cricket::testing {

void CtlE2eTest::SetUp() {
  CriE2eTest::SetUp();
  if (IsSkipped() || HasFatalFailure()) return;
  auto tmp = sys::TempDir::Make("cricketctl-e2e-");
  ASSERT_TRUE(tmp.ok()) << tmp.status();
  tmp_ = std::make_unique<sys::TempDir>(std::move(*tmp));
  config_ = tmp_->Sub("cricketctl.yaml");  // absent: defaults, and never /etc's
}

sys::CommandResult CtlE2eTest::Ctl(const std::vector<std::string>& args) {
  sys::SpawnOptions o;
  o.argv = {BuiltProgram("cri/cricketctl"), "--config", config_, "-r", daemon_->endpoint()};
  o.argv.insert(o.argv.end(), args.begin(), args.end());
  auto r = sys::RunCommand(o, "", std::chrono::seconds(120));
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : sys::CommandResult{};
}

std::string CtlE2eTest::CtlOk(const std::vector<std::string>& args) {
  sys::CommandResult r = Ctl(args);
  std::string cmd;
  for (const auto& a : args) cmd += a + " ";
  EXPECT_EQ(r.exit.code(), 0) << "cricketctl " << cmd << "\nstdout: " << r.out
                              << "\nstderr: " << r.err;
  return r.out;
}

nlohmann::json CtlE2eTest::CtlJson(const std::vector<std::string>& args) {
  std::string out = CtlOk(args);
  nlohmann::json j = nlohmann::json::parse(out, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(j.is_discarded()) << "not JSON: " << out;
  return j.is_discarded() ? nlohmann::json::object() : j;
}

std::string CtlE2eTest::BusyboxLayoutTar() {
  std::string layout = tmp_->Sub("layout");
  auto spec = BusyboxImage();
  EXPECT_TRUE(spec.ok()) << spec.status();
  if (!spec.ok()) return "";
  auto written = WriteImage(layout, *spec, "1.0");
  EXPECT_TRUE(written.ok()) << written.status();
  std::string tar = tmp_->Sub("busybox-oci.tar");
  sys::SpawnOptions o;
  o.argv = {"tar", "-C", layout, "-cf", tar, "."};
  auto r = sys::RunCommand(o);
  EXPECT_TRUE(r.ok() && r->exit.code() == 0) << (r.ok() ? r->err : r.status().ToString());
  return tar;
}

void CtlE2eTest::ImportBusybox(const std::string& ref) {
  std::string out = CtlOk({"import", BusyboxLayoutTar(), "--name", ref});
  EXPECT_NE(out.find("Imported sha256:"), std::string::npos) << out;
}

std::string CtlE2eTest::WriteFile(const std::string& name, const std::string& text) {
  std::string path = tmp_->Sub(name);
  EXPECT_TRUE(sys::WriteFileAtomic(path, text).ok());
  return path;
}

std::string CtlE2eTest::PodConfigFile(const std::string& name, bool host_network) {
  auto req = PodRequest(name, tmp_->path());
  if (host_network) {
    req.mutable_config()->mutable_linux()->mutable_security_context()->mutable_namespace_options()
        ->set_network(v1::NamespaceMode::NODE);
  }
  std::string json;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(req.config(), &json).ok());
  return WriteFile(name + "-pod.json", json);
}

}  // namespace cricket::testing
