// CRI fields that reach host paths or CNI_ARGS are checked at the door:
// through the same validators the handlers call, so these ran against the
// old code too (which let every case below through).
#include <gtest/gtest.h>

#include "cri/service/container_convert.h"
#include "cri/service/sandbox_convert.h"

namespace cricket::cri {
namespace {

namespace v1 = ::runtime::v1;

v1::CreateContainerRequest ContainerWithLog(const std::string& log_path) {
  v1::CreateContainerRequest r;
  r.set_pod_sandbox_id("pod");
  r.mutable_config()->mutable_metadata()->set_name("main");
  r.mutable_config()->mutable_image()->set_image("busybox");
  r.mutable_config()->set_log_path(log_path);
  return r;
}

v1::PodSandboxConfig Pod(const std::string& name, const std::string& ns, const std::string& uid) {
  v1::PodSandboxConfig c;
  c.mutable_metadata()->set_name(name);
  c.mutable_metadata()->set_namespace_(ns);
  c.mutable_metadata()->set_uid(uid);
  return c;
}

void ExpectInvalidNaming(const absl::Status& st, const std::string& field) {
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << st;
  EXPECT_NE(st.message().find(field), std::string::npos) << st;
}

TEST(LogPathCheck, RelativePathsInsideTheLogDirectoryPass) {
  for (const char* ok : {"", "main.log", "main/0.log", "a..b/c.log", "./x.log"}) {
    EXPECT_TRUE(ValidateContainerRequest(ContainerWithLog(ok)).ok()) << ok;
  }
}

TEST(LogPathCheck, AbsoluteAndClimbingPathsAreRefused) {
  for (const char* bad : {"/etc/cron.d/evil", "../../../etc/shadow", "main/../../x.log", "..",
                          "a/.."}) {
    ExpectInvalidNaming(ValidateContainerRequest(ContainerWithLog(bad)), "log_path");
  }
}

TEST(PodIdentityCheck, KubernetesNamesPass) {
  EXPECT_TRUE(ValidateSandboxConfig(Pod("web-0", "kube-system", "6f1c2a9e-1b2c-4d5e-8f90-0123456789ab")).ok());
  EXPECT_TRUE(ValidateSandboxConfig(Pod("nginx.example_1", "default", "static-pod-hash")).ok());
}

TEST(PodIdentityCheck, CniArgumentSeparatorsAreRefused) {
  ExpectInvalidNaming(ValidateSandboxConfig(Pod("x;K8S_POD_NAMESPACE=kube-system", "default", "u")),
                      "metadata.name");
  ExpectInvalidNaming(ValidateSandboxConfig(Pod("web", "ns=other", "u")), "metadata.namespace");
  ExpectInvalidNaming(ValidateSandboxConfig(Pod("web", "default", "u;IgnoreUnknown=0")),
                      "metadata.uid");
  ExpectInvalidNaming(ValidateSandboxConfig(Pod("web with space", "default", "u")), "metadata.name");
  ExpectInvalidNaming(ValidateSandboxConfig(Pod(std::string(254, 'a'), "default", "u")),
                      "metadata.name");
}

}  // namespace
}  // namespace cricket::cri
