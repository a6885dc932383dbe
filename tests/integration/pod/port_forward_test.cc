// SandboxManager::PortForwardConnect on the real kernel: into a pod's own
// network namespace (CNI bridge) to a busybox `nc` listening in a container,
// a clear refusal when nothing listens, and a host-network pod.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <iostream>
#include <thread>

#include "tests/integration/pod/stream_fixture.h"

namespace cricket::pod::testing {
namespace {

constexpr uint16_t kPort = 18080;

class PortForwardTest : public StreamFixture {
 protected:
  void SetUp() override { SetUpPod(/*own_netns=*/true); }
};

TEST_F(PortForwardTest, ConnectsInsideThePodAndRefusesClearly) {
  // Nothing listens yet: the error names the pod and the port.
  auto refused = sandboxes_->PortForwardConnect(pod_id_, kPort);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable) << refused.status();
  EXPECT_NE(refused.status().message().find(pod_id_.str()), absl::string_view::npos);
  EXPECT_NE(refused.status().message().find("18080"), absl::string_view::npos);
  std::cout << "refusal reads: " << refused.status() << "\n";
  // An echo server in the pod's netns (busybox nc runs cat per connection).
  ContainerId id = RunContainer(
      Config("echo", {"-c", "exec nc -ll -p 18080 -e /bin/cat"}));
  ASSERT_FALSE(id.empty());
  absl::StatusOr<sys::UniqueFd> fd = absl::UnavailableError("not tried");
  for (int i = 0; i < 500 && !fd.ok(); ++i) {  // until nc listens (hang guard)
    fd = sandboxes_->PortForwardConnect(*sandboxes_->Resolve(pod_id_.str().substr(0, 12)), kPort);
    if (!fd.ok()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(fd.ok()) << fd.status();
  Write(fd->get(), "ping\n");
  EXPECT_EQ(ReadUntil(fd->get(), "ping\n"), "ping\n");
  ::shutdown(fd->get(), SHUT_WR);
  EXPECT_EQ(ReadToEof(fd->get()), "");
  EXPECT_EQ(sandboxes_->PortForwardConnect(PodId("nosuchpod"), kPort).status().code(),
            absl::StatusCode::kNotFound);
  ASSERT_TRUE(sandboxes_->Stop(pod_id_).ok());
  EXPECT_EQ(sandboxes_->PortForwardConnect(pod_id_, kPort).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

class HostNetworkPortForwardTest : public StreamFixture {
 protected:
  void SetUp() override { SetUpPod(/*own_netns=*/false); }
};

TEST_F(HostNetworkPortForwardTest, ConnectsOnTheHostsLoopback) {
  sys::UniqueFd listener(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  ASSERT_TRUE(listener);
  struct sockaddr_in a = {};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener.get(), reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
  ASSERT_EQ(::listen(listener.get(), 1), 0);
  socklen_t len = sizeof(a);
  ASSERT_EQ(::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&a), &len), 0);
  auto fd = sandboxes_->PortForwardConnect(pod_id_, ntohs(a.sin_port));
  ASSERT_TRUE(fd.ok()) << fd.status();
  sys::UniqueFd peer(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
  ASSERT_TRUE(peer);
  Write(peer.get(), "hello");
  ::shutdown(peer.get(), SHUT_WR);
  EXPECT_EQ(ReadToEof(fd->get()), "hello");
}

}  // namespace
}  // namespace cricket::pod::testing
