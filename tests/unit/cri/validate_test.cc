// Request validation at the CRI boundary: what the kubelet relies on being
// refused with InvalidArgument and the field named.
#include "cri/service/container_convert.h"
#include "cri/service/sandbox_convert.h"
#include "gtest/gtest.h"

namespace cricket::cri {
namespace {

runtime::v1::PodSandboxConfig Pod() {
  runtime::v1::PodSandboxConfig c;
  c.mutable_metadata()->set_name("p");
  c.mutable_metadata()->set_namespace_("ns");
  c.mutable_metadata()->set_uid("u");
  return c;
}

TEST(ValidateSandboxConfig, RunAsGroupNeedsRunAsUser) {
  auto c = Pod();
  ASSERT_TRUE(ValidateSandboxConfig(c).ok());
  auto* sc = c.mutable_linux()->mutable_security_context();
  sc->mutable_run_as_group()->set_value(1000);
  absl::Status st = ValidateSandboxConfig(c);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("run_as_group"), std::string::npos) << st;
  sc->mutable_run_as_user()->set_value(1000);
  EXPECT_TRUE(ValidateSandboxConfig(c).ok());
}

}  // namespace
}  // namespace cricket::cri
