// A hostNetwork pod over CRI: a container whose own namespace options are
// left at their defaults (as crictl's are) is created and started on the
// host's network, exec works in it, and port-forward connects in the host's
// network namespace (as containerd's does) and carries bytes both ways.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "absl/strings/str_cat.h"
#include "oci/sys/unique_fd.h"
#include "tests/e2e/host_pods/host_pods_helpers.h"
#include "tests/unit/streaming/stream_client.h"

namespace cricket::testing {
namespace {

// A port nothing listens on right now on the host's 127.0.0.1.
int FreeLoopbackPort() {
  sys::UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(a);
  if (!fd || ::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0 ||
      ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    return 0;
  }
  return ntohs(a.sin_port);
}

std::string NetNs(const std::string& proc) {
  char buf[128];
  ssize_t n = ::readlink((proc + "/ns/net").c_str(), buf, sizeof(buf));
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
}

class HostNetworkCriTest : public HostPodsTest {};

TEST_F(HostNetworkCriTest, ContainerExecAndPortForwardOnTheHostNetwork) {
  v1::RunPodSandboxRequest pod_req = PodRequest("hostnet");
  pod_req.mutable_config()->mutable_linux()->mutable_security_context()
      ->mutable_namespace_options()->set_network(v1::NamespaceMode::NODE);
  std::string pod = RunPod(pod_req);
  ASSERT_FALSE(pod.empty());
  const int port = FreeLoopbackPort();
  ASSERT_GT(port, 0);
  // The container's network option stays at its default (POD), as crictl
  // sends it: the pod's host network governs.
  std::string web = Start(pod, pod_req, "web", {"sh", "-c", absl::StrCat(
      "mkdir -p /w && echo hello-hostnet > /w/index.html && exec httpd -f -p 127.0.0.1:", port,
      " -h /w")});
  ASSERT_FALSE(web.empty());

  EXPECT_EQ(Exec(web, "readlink /proc/self/ns/net"), NetNs("/proc/self") + "\n")
      << "the container is not on the host's network namespace";

  v1::PortForwardRequest pf;
  pf.set_pod_sandbox_id(pod);
  const std::string get = "GET /index.html HTTP/1.0\r\n\r\n";
  const std::string p = std::to_string(port);
  std::string body;
  // httpd may need a moment to listen.
  for (int attempt = 0; attempt < 40 && body.find("hello-hostnet") == std::string::npos; attempt++) {
    auto url = Call(&v1::RuntimeService::Stub::PortForward, pf, "PortForward");
    ASSERT_TRUE(url.ok()) << url.status();
    auto c = stream::SpdyClient::Connect(url->url(), {"portforward.k8s.io"});
    ASSERT_TRUE(c.ok()) << c.status();
    ASSERT_EQ((*c)->status(), 101);
    body = stream::SpdyPortForwardOnce(**c, p, get);
  }
  // The request went in (httpd answered for that file) and the answer came back.
  EXPECT_NE(body.find("200 OK"), std::string::npos) << body;
  EXPECT_NE(body.find("hello-hostnet"), std::string::npos) << body;
}

}  // namespace
}  // namespace cricket::testing
