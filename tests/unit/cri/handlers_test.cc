// The RuntimeService handlers without gRPC: Version, Status (with a plugged-in
// network provider), RuntimeConfig, the UNIMPLEMENTED answers, and the one
// check that the services are wired before any handler serves.
#include "cri/service/image_handlers.h"
#include "cri/service/instrumented.h"
#include "cri/service/runtime_handlers.h"
#include "cri/daemon/server.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"

namespace cricket::cri {
namespace {

std::shared_ptr<HandlerContext> Context() {
  auto ctx = std::make_shared<HandlerContext>();
  ctx->config.socket_path = "/tmp/test.sock";
  return ctx;
}

TEST(RuntimeHandlers, Version) {
  RuntimeHandlers h(Context());
  v1::VersionResponse resp;
  ASSERT_TRUE(h.Version(v1::VersionRequest(), &resp).ok());
  EXPECT_EQ(resp.runtime_name(), "cricket");
  EXPECT_EQ(resp.runtime_api_version(), "v1");
  EXPECT_EQ(resp.runtime_version(), CRICKET_VERSION);
  EXPECT_EQ(resp.version(), "0.1.0");
}

TEST(RuntimeHandlers, StatusReportsNetworkNotReadyUntilCniIsWired) {
  RuntimeHandlers h(Context());
  v1::StatusResponse resp;
  ASSERT_TRUE(h.Status(v1::StatusRequest(), &resp).ok());
  ASSERT_EQ(resp.status().conditions_size(), 2);
  EXPECT_EQ(resp.status().conditions(0).type(), "RuntimeReady");
  EXPECT_TRUE(resp.status().conditions(0).status());
  const auto& net = resp.status().conditions(1);
  EXPECT_EQ(net.type(), "NetworkReady");
  EXPECT_FALSE(net.status());
  EXPECT_EQ(net.reason(), "NetworkPluginNotReady");
  EXPECT_EQ(net.message(), "cni config not loaded yet");
  EXPECT_TRUE(resp.info().empty());  // not verbose
}

TEST(RuntimeHandlers, StatusUsesThePluggedNetworkProvider) {
  auto ctx = Context();
  ctx->network_status = [] { return NetworkCondition{.ready = true, .reason = "", .message = ""}; };
  RuntimeHandlers h(ctx);
  v1::StatusRequest req;
  req.set_verbose(true);
  v1::StatusResponse resp;
  ASSERT_TRUE(h.Status(req, &resp).ok());
  EXPECT_TRUE(resp.status().conditions(1).status());
  auto config = nlohmann::json::parse(resp.info().at("config"), nullptr, false);
  ASSERT_FALSE(config.is_discarded());
  EXPECT_EQ(config["socket_path"], "/tmp/test.sock");
}

TEST(RuntimeHandlers, RuntimeConfigFollowsCgroupDriver) {
  auto ctx = Context();
  v1::RuntimeConfigResponse resp;
  ASSERT_TRUE(RuntimeHandlers(ctx).RuntimeConfig({}, &resp).ok());
  EXPECT_EQ(resp.linux().cgroup_driver(), v1::CGROUPFS);
  ctx->config.cgroup.driver = "systemd";
  ASSERT_TRUE(RuntimeHandlers(ctx).RuntimeConfig({}, &resp).ok());
  EXPECT_EQ(resp.linux().cgroup_driver(), v1::SYSTEMD);
}

// The pod CIDR goes into the CNI conf dir through cni.conf_template.
TEST(RuntimeHandlers, UpdateRuntimeConfigRendersTheCniTemplate) {
  auto dir = sys::TempDir::Make("cricket-unit-tmpl-");
  ASSERT_TRUE(dir.ok());
  auto ctx = Context();
  ctx->config.cni.conf_dir = dir->path();
  v1::UpdateRuntimeConfigRequest req;
  v1::UpdateRuntimeConfigResponse resp;
  EXPECT_TRUE(RuntimeHandlers(ctx).UpdateRuntimeConfig(req, &resp).ok());  // no CIDR: nothing
  req.mutable_runtime_config()->mutable_network_config()->set_pod_cidr("10.9.0.0/24");
  EXPECT_TRUE(RuntimeHandlers(ctx).UpdateRuntimeConfig(req, &resp).ok());  // no template: warned
  EXPECT_FALSE(sys::PathExists(dir->Sub("10-cricket-net.conflist")));
  ctx->config.cni.conf_template = dir->Sub("t.json");
  ASSERT_TRUE(sys::WriteFileAtomic(dir->Sub("t.json"), R"({"subnet":"{{.PodCIDR}}"})").ok());
  ASSERT_TRUE(RuntimeHandlers(ctx).UpdateRuntimeConfig(req, &resp).ok());
  EXPECT_EQ(sys::ReadFile(dir->Sub("10-cricket-net.conflist")).value_or(""),
            R"({"subnet":"10.9.0.0/24"})");
  ASSERT_TRUE(sys::WriteFileAtomic(dir->Sub("t.json"), R"({"subnet":{{.PodCIDR}}})").ok());
  absl::Status st = RuntimeHandlers(ctx).UpdateRuntimeConfig(req, &resp);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("not JSON"), std::string::npos) << st;
}

// The handlers use the services without testing them per RPC: a context
// without them is refused once, before the server touches its socket.
TEST(CheckWired, NamesEveryMissingServiceAndServerStartRefuses) {
  auto ctx = Context();
  absl::Status st = CheckWired(*ctx);
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(st.message(),
            "CRI handlers need every service wired; missing: network, records, sandboxes, images, "
            "rootfs, containers, events, stats, streaming");
  ctx->events = std::make_shared<pod::EventBus>();
  EXPECT_EQ(CheckWired(*ctx).message().find("events"), absl::string_view::npos);
  auto dir = sys::TempDir::Make();
  ASSERT_TRUE(dir.ok());
  ctx->config.socket_path = dir->Sub("cri.sock");
  auto server = Server::Start(ctx);
  EXPECT_EQ(server.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(sys::PathExists(ctx->config.socket_path));
}

TEST(Instrumented, MapsTheHandlersStatus) {
  grpc::Status g = Instrumented("ExecSync", [] { return absl::NotFoundError("container x"); });
  EXPECT_EQ(g.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(g.error_message(), "container x");
  EXPECT_TRUE(Instrumented("Version", [] { return absl::OkStatus(); }).ok());
}

}  // namespace
}  // namespace cricket::cri
