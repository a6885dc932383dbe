// `cricketctl inspect --docker`: CRI's container and pod status in the shape
// docker inspect prints, including what comes from the verbose info.
#include "cri/client/docker_inspect.h"

#include <gtest/gtest.h>

namespace cricket::cri::client {
namespace {

namespace v1 = ::runtime::v1;

v1::ContainerStatusResponse Running() {
  v1::ContainerStatusResponse r;
  auto* st = r.mutable_status();
  st->set_id("abc123");
  st->mutable_metadata()->set_name("web");
  st->mutable_metadata()->set_attempt(2);
  st->set_state(v1::CONTAINER_RUNNING);
  st->set_created_at(1700000000123456789);
  st->set_started_at(1700000001000000000);
  st->mutable_image()->set_image("busybox:1.0");
  st->set_image_id("sha256:feed");
  (*st->mutable_labels())["tier"] = "front";
  auto* m = st->add_mounts();
  m->set_host_path("/srv/data");
  m->set_container_path("/data");
  m->set_readonly(true);
  m->set_propagation(v1::PROPAGATION_HOST_TO_CONTAINER);
  auto* res = st->mutable_resources()->mutable_linux();
  res->set_memory_limit_in_bytes(64 << 20);
  res->set_cpu_quota(50000);
  res->set_cpu_period(100000);
  st->mutable_user()->mutable_linux()->set_uid(1000);
  st->mutable_user()->mutable_linux()->set_gid(1001);
  (*r.mutable_info())["info"] =
      R"({"pid":4242,"runtimeSpec":{"process":{"args":["sh","-c","sleep 9"],)"
      R"("env":["PATH=/bin","FOO=bar"],"cwd":"/tmp","terminal":true}}})";
  return r;
}

TEST(DockerInspectTest, RunningContainerWithItsPod) {
  v1::PodSandboxStatusResponse pod;
  pod.mutable_status()->set_id("pod1");
  pod.mutable_status()->mutable_network()->set_ip("10.88.0.7");
  nlohmann::json j = DockerInspect(Running(), &pod);
  EXPECT_EQ(j["Id"], "abc123");
  EXPECT_EQ(j["Name"], "/web");
  EXPECT_EQ(j["Created"], "2023-11-14T22:13:20.123456789Z");
  EXPECT_EQ(j["Path"], "sh");
  EXPECT_EQ(j["Args"], nlohmann::json({"-c", "sleep 9"}));
  EXPECT_EQ(j["Image"], "sha256:feed");
  EXPECT_EQ(j["RestartCount"], 2);
  EXPECT_EQ(j["State"]["Status"], "running");
  EXPECT_EQ(j["State"]["Running"], true);
  EXPECT_EQ(j["State"]["Pid"], 4242);
  EXPECT_EQ(j["State"]["StartedAt"], "2023-11-14T22:13:21Z");
  EXPECT_EQ(j["State"]["FinishedAt"], "0001-01-01T00:00:00Z");
  EXPECT_EQ(j["Config"]["Env"], nlohmann::json({"PATH=/bin", "FOO=bar"}));
  EXPECT_EQ(j["Config"]["WorkingDir"], "/tmp");
  EXPECT_EQ(j["Config"]["User"], "1000:1001");
  EXPECT_EQ(j["Config"]["Labels"]["tier"], "front");
  EXPECT_EQ(j["Config"]["Image"], "busybox:1.0");
  EXPECT_EQ(j["Config"]["Tty"], true);
  EXPECT_EQ(j["HostConfig"]["Memory"], 64 << 20);
  EXPECT_EQ(j["HostConfig"]["NanoCpus"], 500000000);
  EXPECT_EQ(j["HostConfig"]["NetworkMode"], "pod");
  EXPECT_EQ(j["Mounts"][0]["Source"], "/srv/data");
  EXPECT_EQ(j["Mounts"][0]["Destination"], "/data");
  EXPECT_EQ(j["Mounts"][0]["RW"], false);
  EXPECT_EQ(j["Mounts"][0]["Propagation"], "rslave");
  EXPECT_EQ(j["NetworkSettings"]["IPAddress"], "10.88.0.7");
}

TEST(DockerInspectTest, ExitedByTheOomKillerWithoutInfoOrPod) {
  v1::ContainerStatusResponse r = Running();
  r.clear_info();
  auto* st = r.mutable_status();
  st->set_state(v1::CONTAINER_EXITED);
  st->set_exit_code(137);
  st->set_reason("OOMKilled");
  st->set_finished_at(1700000002000000000);
  nlohmann::json j = DockerInspect(r, nullptr);
  EXPECT_EQ(j["State"]["Status"], "exited");
  EXPECT_EQ(j["State"]["Running"], false);
  EXPECT_EQ(j["State"]["Pid"], 0);
  EXPECT_EQ(j["State"]["OOMKilled"], true);
  EXPECT_EQ(j["State"]["ExitCode"], 137);
  EXPECT_EQ(j["State"]["FinishedAt"], "2023-11-14T22:13:22Z");
  // What the runtime did not say is left out, not made up.
  EXPECT_FALSE(j.contains("Path"));
  EXPECT_FALSE(j["Config"].contains("Env"));
  EXPECT_EQ(j["NetworkSettings"]["IPAddress"], "");
}

}  // namespace
}  // namespace cricket::cri::client
