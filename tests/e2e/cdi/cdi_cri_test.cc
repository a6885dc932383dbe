// CDI devices over the CRI socket: the test writes its own CDI spec dir
// (given to cricketd as runtime.cdi_spec_dirs) with a device
// test.example.com/dev=null2 that adds /dev/null2 (the host's /dev/null under
// another name), a bind mount of a temp dir at /cdi-mount and an env var. A
// container that asks for it by CDI_devices or by a cdi.k8s.io/ annotation
// sees all three; an unknown device fails CreateContainer naming it.
#include "oci/sys/atomic_file.h"
#include "oci/sys/temp_dir.h"
#include "tests/e2e/common/cri_e2e_fixture.h"

namespace cricket::testing {
namespace {

class CdiCriTest : public CriE2eTest {
 protected:
  void SetUp() override {
    auto specs = sys::TempDir::Make("cricket-cdi-specs-");
    auto share = sys::TempDir::Make("cricket-cdi-mount-");
    ASSERT_TRUE(specs.ok() && share.ok());
    specs_ = std::move(*specs);
    share_ = std::move(*share);
    ASSERT_TRUE(sys::WriteFileAtomic(share_.Sub("hello"), "from the host\n", 0644).ok());
    // YAML, with the device's name unquoted and fileMode in octal as device
    // plugins write them.
    std::string yaml =
        "cdiVersion: 0.5.0\n"
        "kind: test.example.com/dev\n"
        "devices:\n"
        "  - name: null2\n"
        "    containerEdits:\n"
        "      env: [CDI_TEST=null2-was-here]\n"
        "      deviceNodes:\n"
        "        - path: /dev/null2\n"
        "          hostPath: /dev/null\n"
        "          fileMode: 0666\n"
        "containerEdits:\n"
        "  mounts:\n"
        "    - hostPath: " + share_.path() + "\n"
        "      containerPath: /cdi-mount\n"
        "      options: [rbind, ro]\n";
    ASSERT_TRUE(sys::WriteFileAtomic(specs_.Sub("test.yaml"), yaml, 0644).ok());
    extra_config_yaml_ = "runtime:\n  cdi_spec_dirs:\n    - " + specs_.path() + "\n";
    CriE2eTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    UseBusybox();
  }

  // A running sleeper in a new pod, created with `edit` applied to its config.
  absl::StatusOr<std::string> Run(const std::string& name,
                                  const std::function<void(v1::ContainerConfig&)>& edit) {
    auto pod_req = PodRequest(name);
    auto pod = Call(&v1::RuntimeService::Stub::RunPodSandbox, pod_req, "RunPodSandbox");
    if (!pod.ok()) return pod.status();
    v1::CreateContainerRequest create;
    create.set_pod_sandbox_id(pod->pod_sandbox_id());
    *create.mutable_sandbox_config() = pod_req.config();
    v1::ContainerConfig* cfg = create.mutable_config();
    cfg->mutable_metadata()->set_name(name);
    cfg->mutable_image()->set_image(image_);
    for (const char* a : {"sleep", "1000"}) cfg->add_command(a);
    cfg->mutable_linux()->mutable_security_context()->mutable_namespace_options()->set_pid(
        v1::NamespaceMode::CONTAINER);
    edit(*cfg);
    return CreateAndStart(create);
  }

  // What the container sees of the CDI device's edits.
  void ExpectDeviceEdits(const std::string& id) {
    v1::ExecSyncRequest exec;
    exec.set_container_id(id);
    for (const char* a : {"sh", "-c",
                          "echo env=$CDI_TEST; echo x > /dev/null2 && echo wrote;"
                          " stat -c '%F %t:%T' /dev/null2; cat /cdi-mount/hello;"
                          " touch /cdi-mount/x 2>/dev/null || echo mount-ro"}) {
      exec.add_cmd(a);
    }
    exec.set_timeout(10);
    auto out = Call(&v1::RuntimeService::Stub::ExecSync, exec, "ExecSync");
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_EQ(out->stdout(),
              "env=null2-was-here\nwrote\ncharacter special file 1:3\nfrom the host\nmount-ro\n")
        << out->stderr();
  }

  sys::TempDir specs_, share_;
};

TEST_F(CdiCriTest, CdiDevicesFieldAppliesTheSpecEdits) {
  auto id = Run("field", [](v1::ContainerConfig& c) {
    c.add_cdi_devices()->set_name("test.example.com/dev=null2");
  });
  ASSERT_TRUE(id.ok()) << id.status();
  ExpectDeviceEdits(*id);
}

TEST_F(CdiCriTest, CdiAnnotationAppliesTheSpecEdits) {
  auto id = Run("annotation", [](v1::ContainerConfig& c) {
    (*c.mutable_annotations())["cdi.k8s.io/test-plugin_null2"] = "test.example.com/dev=null2";
  });
  ASSERT_TRUE(id.ok()) << id.status();
  ExpectDeviceEdits(*id);
}

TEST_F(CdiCriTest, UnknownOrMalformedDeviceFailsCreateNamingIt) {
  auto unknown = Run("unknown", [](v1::ContainerConfig& c) {
    c.add_cdi_devices()->set_name("test.example.com/dev=nope");
  });
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound) << unknown.status();
  EXPECT_NE(unknown.status().message().find("test.example.com/dev=nope"), std::string::npos)
      << unknown.status();

  auto malformed = Run("malformed", [](v1::ContainerConfig& c) {
    (*c.mutable_annotations())["cdi.k8s.io/x"] = "test.example.com/dev=null2,no-equals-sign";
  });
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(malformed.status().code(), absl::StatusCode::kInvalidArgument) << malformed.status();
  EXPECT_NE(malformed.status().message().find("no-equals-sign"), std::string::npos)
      << malformed.status();
}

TEST_F(CdiCriTest, BrokenSpecFileFailsCreateNamingTheFile) {
  ASSERT_TRUE(sys::WriteFileAtomic(specs_.Sub("broken.json"), "{\"cdiVersion\": ", 0644).ok());
  auto r = Run("broken", [](v1::ContainerConfig& c) {
    c.add_cdi_devices()->set_name("test.example.com/dev=null2");
  });
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find(specs_.Sub("broken.json")), std::string::npos) << r.status();
}

}  // namespace
}  // namespace cricket::testing
