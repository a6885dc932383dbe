// procMount over CRI: the kubelet sends its Default lists of masked and
// read-only paths, or empty lists for procMount Unmasked; the spec takes
// them as given (the old builder put its defaults back for empty lists).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cri/api/proc_mount.h"
#include "oci/spec_json.h"
#include "pod/spec/build.h"

namespace cricket::pod::spec {
namespace {

using runtime::v1::ContainerConfig;

absl::StatusOr<Output> BuildWith(const ContainerConfig& config) {
  Inputs in;
  in.container_id = "c0ffee";
  in.rootfs = "/var/lib/cricket/images/containers/c0ffee/rootfs";
  in.config = &config;
  in.image = {{"/bin/sh"}, {}, {}, "/", "", ""};
  in.sandbox.id = "pod1";
  in.sandbox.netns_path = "/run/cricket/ns/pod1/net";
  in.sandbox.ipc_ns_path = "/run/cricket/ns/pod1/ipc";
  in.sandbox.uts_ns_path = "/run/cricket/ns/pod1/uts";
  in.etc_passwd = "root:x:0:0:root:/root:/bin/sh\n";
  return Build(in);
}

ContainerConfig Config() {
  ContainerConfig c;
  c.mutable_metadata()->set_name("procmount");
  c.mutable_linux()->mutable_security_context()->mutable_namespace_options()->set_pid(
      runtime::v1::NamespaceMode::CONTAINER);
  return c;
}

bool HasWarning(const Output& out, const std::string& text) {
  for (const auto& w : out.warnings) {
    if (w.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(SpecProcMountTest, UnmaskedLeavesProcAndSysAlone) {
  auto out = BuildWith(Config());  // what the kubelet sends for procMount: Unmasked
  ASSERT_TRUE(out.ok()) << out.status();
  // Set, and empty: written as [] (oci/spec.h), as the kubelet sent them.
  EXPECT_EQ(out->spec.linux_spec->masked_paths, std::vector<std::string>());
  EXPECT_EQ(out->spec.linux_spec->readonly_paths, std::vector<std::string>());
  EXPECT_TRUE(HasWarning(*out, "procMount Unmasked"));
  // config.json says so too, for an external runtime.
  nlohmann::json written = oci::SpecToJson(out->spec);
  EXPECT_EQ(written["linux"]["maskedPaths"], nlohmann::json::array());
  EXPECT_EQ(written["linux"]["readonlyPaths"], nlohmann::json::array());
  // Privileged containers get neither list.
  ContainerConfig priv = Config();
  priv.mutable_linux()->mutable_security_context()->set_privileged(true);
  out = BuildWith(priv);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_FALSE(oci::SpecToJson(out->spec)["linux"].contains("maskedPaths"));
}

TEST(SpecProcMountTest, DefaultListsAreTakenAsGiven) {
  ContainerConfig c = Config();
  cri_api::SetDefaultProcMount(c.mutable_linux()->mutable_security_context());
  auto out = BuildWith(c);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->spec.linux_spec->masked_paths, cri_api::DefaultMaskedPaths());
  EXPECT_EQ(out->spec.linux_spec->readonly_paths, cri_api::DefaultReadonlyPaths());
  EXPECT_FALSE(HasWarning(*out, "procMount"));
}

TEST(SpecProcMountTest, OwnListsReplaceTheDefaults) {
  ContainerConfig c = Config();
  c.mutable_linux()->mutable_security_context()->add_masked_paths("/proc/kcore");
  auto out = BuildWith(c);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->spec.linux_spec->masked_paths, std::vector<std::string>{"/proc/kcore"});
  EXPECT_EQ(out->spec.linux_spec->readonly_paths, std::vector<std::string>());
}

TEST(SpecProcMountTest, SetDefaultProcMountLeavesGivenListsAndPrivilegedAlone) {
  ContainerConfig c = Config();
  auto* sc = c.mutable_linux()->mutable_security_context();
  sc->add_readonly_paths("/proc/sys");
  cri_api::SetDefaultProcMount(sc);
  EXPECT_EQ(sc->masked_paths_size(), 0);
  EXPECT_EQ(sc->readonly_paths_size(), 1);
  ContainerConfig p = Config();
  p.mutable_linux()->mutable_security_context()->set_privileged(true);
  cri_api::SetDefaultProcMount(p.mutable_linux()->mutable_security_context());
  EXPECT_EQ(p.linux().security_context().masked_paths_size(), 0);
}

}  // namespace
}  // namespace cricket::pod::spec
