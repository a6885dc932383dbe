// The CRI v1 messages: round trips of large messages, and field numbers,
// names and streaming flags checked against the Kubernetes definition
// through the descriptors (a renumbered field would break the kubelet).
#include <signal.h>  // first on purpose: api.h must cope with the SIG* macros

#include "cri/api/api.h"
#include "gtest/gtest.h"

namespace cricket::cri {
namespace {

namespace v1 = ::runtime::v1;
using google::protobuf::Descriptor;
using google::protobuf::ServiceDescriptor;

int FieldNumber(const Descriptor* d, const std::string& field) {
  const auto* f = d->FindFieldByName(field);
  return f == nullptr ? -1 : f->number();
}

v1::PodSandboxConfig BigSandboxConfig() {
  v1::PodSandboxConfig c;
  c.mutable_metadata()->set_name("web");
  c.mutable_metadata()->set_namespace_("default");
  c.mutable_metadata()->set_uid("1234");
  c.mutable_metadata()->set_attempt(2);
  c.set_hostname("web-0");
  c.set_log_directory("/var/log/pods/default_web_1234");
  c.mutable_dns_config()->add_servers("10.0.0.10");
  auto* pm = c.add_port_mappings();
  pm->set_protocol(v1::SCTP);
  pm->set_container_port(80);
  pm->set_host_port(8080);
  (*c.mutable_labels())["app"] = "web";
  (*c.mutable_annotations())["a"] = "b";
  auto* lx = c.mutable_linux();
  lx->set_cgroup_parent("/kubepods/pod1234");
  (*lx->mutable_sysctls())["net.ipv4.ip_forward"] = "1";
  auto* sc = lx->mutable_security_context();
  sc->mutable_namespace_options()->set_pid(v1::CONTAINER);
  auto* userns = sc->mutable_namespace_options()->mutable_userns_options();
  userns->set_mode(v1::POD);
  auto* uid = userns->add_uids();
  uid->set_host_id(100000);
  uid->set_length(65536);
  sc->mutable_run_as_group()->set_value(1000);
  sc->set_supplemental_groups_policy(v1::Strict);
  sc->mutable_seccomp()->set_profile_type(v1::SecurityProfile::Localhost);
  lx->mutable_resources()->set_memory_limit_in_bytes(1 << 30);
  return c;
}

TEST(CriApi, PodSandboxConfigRoundTrips) {
  v1::PodSandboxConfig in = BigSandboxConfig();
  v1::PodSandboxConfig out;
  ASSERT_TRUE(out.ParseFromString(in.SerializeAsString()));
  EXPECT_EQ(out.SerializeAsString(), in.SerializeAsString());
  EXPECT_EQ(out.linux().security_context().namespace_options().userns_options().uids(0).length(),
            65536u);
  EXPECT_EQ(out.linux().security_context().supplemental_groups_policy(), v1::Strict);
}

TEST(CriApi, ContainerConfigAndStatusRoundTrip) {
  v1::CreateContainerRequest req;
  req.set_pod_sandbox_id("pod");
  *req.mutable_sandbox_config() = BigSandboxConfig();
  auto* c = req.mutable_config();
  c->mutable_metadata()->set_name("nginx");
  c->mutable_image()->set_image("docker.io/library/nginx:1");
  c->mutable_image()->set_user_specified_image("nginx:1");
  c->add_command("/bin/sh");
  auto* m = c->add_mounts();
  m->set_container_path("/data");
  m->mutable_image()->set_image("sha256:abc");
  m->set_image_sub_path("sub");
  m->set_recursive_read_only(true);
  c->add_cdi_devices()->set_name("vendor.com/gpu=0");
  c->set_stop_signal(v1::SIGRTMAXMINUS1);
  v1::CreateContainerRequest out;
  ASSERT_TRUE(out.ParseFromString(req.SerializeAsString()));
  EXPECT_EQ(out.config().stop_signal(), v1::SIGRTMAXMINUS1);
  EXPECT_EQ(out.config().mounts(0).image_sub_path(), "sub");
  EXPECT_EQ(out.sandbox_config().hostname(), "web-0");

  v1::ContainerStatusResponse status;
  auto* s = status.mutable_status();
  s->set_id("c1");
  s->set_state(v1::CONTAINER_EXITED);
  s->set_exit_code(137);
  s->set_reason("OOMKilled");
  s->mutable_user()->mutable_linux()->add_supplemental_groups(10);
  s->mutable_resources()->mutable_linux()->set_cpu_quota(50000);
  v1::ContainerStatusResponse status_out;
  ASSERT_TRUE(status_out.ParseFromString(status.SerializeAsString()));
  EXPECT_EQ(status_out.status().user().linux().supplemental_groups(0), 10);
  EXPECT_EQ(status_out.status().exit_code(), 137);
}

// Bytes written by hand from the upstream numbering: field 8 (linux),
// length-delimited → tag 0x42; inside it field 1 (cgroup_parent) → tag 0x0a.
TEST(CriApi, WireBytesMatchUpstreamNumbering) {
  v1::PodSandboxConfig c;
  c.mutable_linux()->set_cgroup_parent("x");
  EXPECT_EQ(c.SerializeAsString(), std::string("\x42\x03\x0a\x01x", 5));
  v1::ImageSpec spec;
  spec.set_user_specified_image("y");  // field 18 → varint tag 0x92 0x01
  EXPECT_EQ(spec.SerializeAsString(), std::string("\x92\x01\x01y", 4));
}

TEST(CriApi, FieldNumbersMatchKubernetes) {
  struct Case {
    const Descriptor* d;
    const char* field;
    int number;
  };
  const Case cases[] = {
      {v1::PodSandboxConfig::descriptor(), "linux", 8},
      {v1::PodSandboxConfig::descriptor(), "windows", 9},
      {v1::LinuxSandboxSecurityContext::descriptor(), "run_as_group", 8},
      {v1::LinuxSandboxSecurityContext::descriptor(), "supplemental_groups_policy", 11},
      {v1::LinuxSandboxSecurityContext::descriptor(), "seccomp_profile_path", 7},
      {v1::LinuxContainerSecurityContext::descriptor(), "run_as_group", 12},
      {v1::LinuxContainerSecurityContext::descriptor(), "supplemental_groups_policy", 17},
      {v1::LinuxContainerSecurityContext::descriptor(), "apparmor", 16},
      {v1::NamespaceOption::descriptor(), "userns_options", 5},
      {v1::ImageSpec::descriptor(), "user_specified_image", 18},
      {v1::ImageSpec::descriptor(), "runtime_handler", 19},
      {v1::ImageSpec::descriptor(), "image_ref", 20},
      {v1::Mount::descriptor(), "uidMappings", 6},
      {v1::Mount::descriptor(), "image", 9},
      {v1::Mount::descriptor(), "image_sub_path", 10},
      {v1::ContainerConfig::descriptor(), "CDI_devices", 17},
      {v1::ContainerConfig::descriptor(), "stop_signal", 18},
      {v1::ContainerStatus::descriptor(), "user", 18},
      {v1::ContainerStatus::descriptor(), "stop_signal", 19},
      {v1::Namespace::descriptor(), "options", 2},
      {v1::LinuxContainerResources::descriptor(), "memory_swap_limit_in_bytes", 10},
      {v1::StatusResponse::descriptor(), "runtime_handlers", 3},
      {v1::StatusResponse::descriptor(), "features", 4},
      {v1::ImageFsInfoResponse::descriptor(), "container_filesystems", 2},
      {v1::ContainerStats::descriptor(), "io", 6},
      {v1::MemoryUsage::descriptor(), "psi", 8},
      {v1::PsiStats::descriptor(), "Some", 2},
      {v1::ExecRequest::descriptor(), "audit_request_id", 7},
      {v1::AttachRequest::descriptor(), "audit_request_id", 6},
      {v1::PodSandboxStatusResponse::descriptor(), "timestamp", 4},
      {v1::AuthConfig::descriptor(), "registry_token", 6},
      {v1::UpdatePodSandboxResourcesRequest::descriptor(), "resources", 3},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(FieldNumber(c.d, c.field), c.number) << c.d->full_name() << "." << c.field;
  }
}

TEST(CriApi, EnumValuesMatchKubernetes) {
  EXPECT_EQ(v1::CGROUPFS, 1);
  EXPECT_EQ(v1::SYSTEMD, 0);
  EXPECT_EQ(v1::CONTAINER_UNKNOWN, 3);
  EXPECT_EQ(v1::TARGET, 3);
  EXPECT_EQ(v1::CONTAINER_DELETED_EVENT, 3);
  v1::Signal sig;
  ASSERT_TRUE(v1::Signal_Parse("SIGTERM", &sig));
  EXPECT_EQ(sig, 23);
  ASSERT_TRUE(v1::Signal_Parse("SIGRTMAX", &sig));
  EXPECT_EQ(sig, 65);
  // api.h restored the libc macros it set aside.
  EXPECT_EQ(SIGTERM, 15);
  EXPECT_EQ(SIGKILL, 9);
}

TEST(CriApi, ServicesHaveEveryRpc) {
  const auto* file = v1::VersionRequest::descriptor()->file();
  const ServiceDescriptor* rt = file->FindServiceByName("RuntimeService");
  const ServiceDescriptor* img = file->FindServiceByName("ImageService");
  ASSERT_NE(rt, nullptr);
  ASSERT_NE(img, nullptr);
  EXPECT_EQ(rt->full_name(), "runtime.v1.RuntimeService");
  EXPECT_EQ(rt->method_count(), 35);
  EXPECT_EQ(img->method_count(), 6);
  const char* streaming[] = {"StreamPodSandboxes",   "StreamContainers",
                             "StreamContainerStats", "StreamPodSandboxStats",
                             "GetContainerEvents",   "StreamPodSandboxMetrics"};
  for (const char* name : streaming) {
    const auto* m = rt->FindMethodByName(name);
    ASSERT_NE(m, nullptr) << name;
    EXPECT_TRUE(m->server_streaming()) << name;
  }
  EXPECT_TRUE(img->FindMethodByName("StreamImages")->server_streaming());
  const auto* events = rt->FindMethodByName("GetContainerEvents");
  EXPECT_EQ(events->input_type()->name(), "GetEventsRequest");
  EXPECT_EQ(events->output_type()->name(), "ContainerEventResponse");
  for (const char* name :
       {"RuntimeConfig", "UpdateRuntimeConfig", "CheckpointContainer", "ListMetricDescriptors",
        "ListPodSandboxMetrics", "ListPodSandboxStats", "UpdatePodSandboxResources"}) {
    EXPECT_NE(rt->FindMethodByName(name), nullptr) << name;
  }
}

}  // namespace
}  // namespace cricket::cri
