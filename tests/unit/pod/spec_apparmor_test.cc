// process.apparmorProfile from the CRI security context, as containerd
// chooses it: RuntimeDefault (or nothing, unprivileged) is the node's
// default profile, Localhost a loaded profile (refused by name otherwise),
// Unconfined and privileged none; on a node without AppArmor nothing.
#include <gtest/gtest.h>

#include "pod/spec/builders.h"

namespace cricket::pod::spec {
namespace {

using runtime::v1::ContainerConfig;
using runtime::v1::SecurityProfile;

constexpr char kLoaded[] = "cricket-default (enforce)\nmy-profile (complain)\n";

struct Case {
  ContainerConfig config;
  Inputs in;
  explicit Case(const std::string& node_default = "cricket-default") {
    in.config = &config;
    in.defaults.apparmor_default_profile = node_default;
    in.host.read_file = [](const std::string& path) -> absl::StatusOr<std::string> {
      if (path != "/sys/kernel/security/apparmor/profiles") return absl::NotFoundError(path);
      return std::string(kLoaded);
    };
  }
  runtime::v1::LinuxContainerSecurityContext* sc() {
    return config.mutable_linux()->mutable_security_context();
  }
  void Profile(SecurityProfile::ProfileType t, const std::string& ref = "") {
    sc()->mutable_apparmor()->set_profile_type(t);
    sc()->mutable_apparmor()->set_localhost_ref(ref);
  }
  // The profile set ("" when none), or the error.
  absl::StatusOr<std::string> Get() {
    Output out;
    absl::Status st = ApplySecurity(in, out);
    if (!st.ok()) return st;
    warnings = out.warnings;
    return out.spec.process ? out.spec.process->apparmor_profile : std::string();
  }
  std::vector<std::string> warnings;
  // The warnings about AppArmor (an empty procMount list warns too).
  std::vector<std::string> AppArmorWarnings() const {
    std::vector<std::string> w;
    for (const auto& s : warnings) {
      if (s.find("AppArmor") != std::string::npos) w.push_back(s);
    }
    return w;
  }
};

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

TEST(SpecAppArmorTest, ProfilesOnAnAppArmorNode) {
  Case unset;
  EXPECT_EQ(*unset.Get(), "cricket-default");
  Case privileged;
  privileged.sc()->set_privileged(true);
  EXPECT_EQ(*privileged.Get(), "");
  Case def;
  def.Profile(SecurityProfile::RuntimeDefault);
  EXPECT_EQ(*def.Get(), "cricket-default");
  Case unconfined;
  unconfined.Profile(SecurityProfile::Unconfined);
  EXPECT_EQ(*unconfined.Get(), "");
  Case local;
  local.Profile(SecurityProfile::Localhost, "my-profile");
  EXPECT_EQ(*local.Get(), "my-profile");
  // The deprecated string field of older kubelets.
  Case old_local;
  old_local.sc()->set_apparmor_profile("localhost/my-profile");
  EXPECT_EQ(*old_local.Get(), "my-profile");
  Case old_unconfined;
  old_unconfined.sc()->set_apparmor_profile("unconfined");
  EXPECT_EQ(*old_unconfined.Get(), "");
}

TEST(SpecAppArmorTest, RefusedByNameWhenNotLoadedOrMalformed) {
  Case missing;
  missing.Profile(SecurityProfile::Localhost, "not-there");
  auto r = missing.Get();
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("\"not-there\" is not loaded"), absl::string_view::npos)
      << r.status();
  // A prefix of a loaded name is not that profile.
  Case prefix;
  prefix.Profile(SecurityProfile::Localhost, "my-prof");
  EXPECT_EQ(prefix.Get().status().code(), absl::StatusCode::kFailedPrecondition);
  Case odd;
  odd.sc()->set_apparmor_profile("docker-default");
  EXPECT_EQ(odd.Get().status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(SpecAppArmorTest, NodeWithoutAppArmor) {
  Case unset("");
  EXPECT_EQ(*unset.Get(), "");
  EXPECT_TRUE(unset.AppArmorWarnings().empty());
  Case def("");
  def.Profile(SecurityProfile::RuntimeDefault);
  EXPECT_EQ(*def.Get(), "");
  ASSERT_EQ(def.AppArmorWarnings().size(), 1u);
  EXPECT_NE(def.AppArmorWarnings()[0].find("AppArmor is off"), std::string::npos);
  Case local("");
  local.Profile(SecurityProfile::Localhost, "my-profile");
  EXPECT_EQ(local.Get().status().code(), absl::StatusCode::kFailedPrecondition);
}

#pragma GCC diagnostic pop

}  // namespace
}  // namespace cricket::pod::spec
