// The metrics endpoint of a real cricketd (metrics.enabled on a free loopback
// port): after a few CRI calls GET /metrics shows them per RPC and code, the
// failed ones by code, the failed pull, and the pod by state; bad requests
// get HTTP errors and the endpoint keeps serving.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "oci/sys/unique_fd.h"
#include "tests/e2e/common/cri_e2e_fixture.h"

namespace cricket::testing {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::StartsWith;

sockaddr_in Loopback(int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

// A port nobody listens on now (the kernel's pick for a socket we then close).
int FreePort() {
  sys::UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in a = Loopback(0);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return 0;
  socklen_t len = sizeof a;
  ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&a), &len);
  return ntohs(a.sin_port);
}

// Sends `request` as is (then EOF) and returns everything the server answers
// until it closes.
std::string Exchange(int port, const std::string& request) {
  sys::UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in a = Loopback(port);
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return "<no connect>";
  const timeval tv{10, 0};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (::send(fd.get(), request.data(), request.size(), MSG_NOSIGNAL) < 0) return "<no send>";
  ::shutdown(fd.get(),
             SHUT_WR);  // the server sees the end of a half request at once
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd.get(), buf, sizeof buf, 0)) > 0;) out.append(buf, n);
  return out;
}

class MetricsE2eTest : public CriE2eTest {
 protected:
  void SetUp() override {
    port_ = FreePort();
    ASSERT_NE(port_, 0);
    extra_config_yaml_ =
        "metrics:\n  enabled: true\n  address: 127.0.0.1\n  port: " + std::to_string(port_) +
        "\nregistries:\n  retries: 0\n";
    CriE2eTest::SetUp();
  }
  std::string Scrape() {
    return Exchange(port_, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  }

  int port_ = 0;
};

TEST_F(MetricsE2eTest, SeriesAfterCriCalls) {
  ASSERT_TRUE(client_->Version().ok());
  ASSERT_TRUE(
      Call(&v1::RuntimeService::Stub::ListPodSandbox, v1::ListPodSandboxRequest(), "ListPodSandbox")
          .ok());
  EXPECT_EQ(PodStatus("no-such-pod").status().code(), absl::StatusCode::kNotFound);
  auto pod = Call(&v1::RuntimeService::Stub::RunPodSandbox, PodRequest("metrics"), "RunPodSandbox");
  ASSERT_TRUE(pod.ok()) << pod.status();
  v1::PullImageRequest pull;
  pull.mutable_image()->set_image("127.0.0.1:1/nothing:latest");  // nobody listens on port 1
  EXPECT_FALSE(
      client_->Call(client_->images(), &v1::ImageService::Stub::PullImage, pull, "PullImage").ok());

  const std::string r = Scrape();
  ASSERT_THAT(r, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(r, HasSubstr("Content-Type: text/plain; version=0.0.4"));
  EXPECT_THAT(r,
              ContainsRegex("cricket_cri_requests_total\\{rpc=\"Version\",code=\"OK\"\\} [1-9]"));
  EXPECT_THAT(r, HasSubstr("cricket_cri_requests_total{rpc=\"RunPodSandbox\",code=\"OK\"} 1\n"));
  EXPECT_THAT(r, HasSubstr("cricket_cri_requests_total{rpc=\"PodSandboxStatus\","
                           "code=\"NOT_FOUND\"} 1\n"));
  EXPECT_THAT(r, ContainsRegex("cricket_cri_errors_total\\{code=\"NOT_FOUND\"\\} [1-9]"));
  EXPECT_THAT(r, HasSubstr("cricket_cri_request_duration_seconds_count{rpc="
                           "\"ListPodSandbox\"} "));
  EXPECT_THAT(r, HasSubstr("cricket_cri_request_duration_seconds_bucket{rpc=\"RunPodSandbox\","
                           "le=\"+Inf\"} 1\n"));
  EXPECT_THAT(r, HasSubstr("cricket_image_pulls_total{result=\"failure\"} 1\n"));
  EXPECT_THAT(r, HasSubstr("cricket_image_pull_duration_seconds_count 1\n"));
  EXPECT_THAT(r, HasSubstr("cricket_pods{state=\"ready\"} 1\n"));
  EXPECT_THAT(r, HasSubstr("cricket_containers{state=\"running\"} 0\n"));
  EXPECT_THAT(r, HasSubstr("cricket_build_info{version=\"" CRICKET_VERSION "\"} 1\n"));
}

TEST_F(MetricsE2eTest, BadRequestsGetHttpErrorsAndTheEndpointKeepsServing) {
  EXPECT_THAT(Exchange(port_, "GET / HTTP/1.1\r\n\r\n"), StartsWith("HTTP/1.1 404 "));
  EXPECT_THAT(Exchange(port_, "DELETE /metrics HTTP/1.1\r\n\r\n"), StartsWith("HTTP/1.1 405 "));
  EXPECT_THAT(Exchange(port_, "\x01\x02 garbage\r\n\r\n"), StartsWith("HTTP/1.1 400 "));
  // Longer than a request head may be (16 KiB), yet all read by the server
  // before it answers (unread bytes at close would reset the connection).
  EXPECT_THAT(Exchange(port_, std::string(17000, 'x')), StartsWith("HTTP/1.1 400 "));
  EXPECT_THAT(Exchange(port_, "GET /metr"),
              StartsWith("HTTP/1.1 400 "));  // half a request
  EXPECT_EQ(Exchange(port_, ""), "");        // connect and go: no answer, no harm
  EXPECT_THAT(Scrape(), StartsWith("HTTP/1.1 200 OK\r\n"));
  ASSERT_TRUE(client_->Version().ok());  // the daemon is fine too
}

}  // namespace
}  // namespace cricket::testing
