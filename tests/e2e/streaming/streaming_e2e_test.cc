// Exec, attach and port-forward against a live cricketd: a busybox pod on a
// CNI network, driven by the test SPDY client (tests/unit/streaming) and by
// Debian's python3-websocket as an independent WebSocket client.
#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "oci/sys/child_process.h"
#include "oci/sys/temp_dir.h"
#include "oci/sys/unique_fd.h"
#include "tests/e2e/common/cri_e2e_fixture.h"
#include "tests/fixtures/busybox_registry.h"
#include "tests/fixtures/image_builder.h"
#include "tests/fixtures/partners.h"
#include "tests/fixtures/registry_fixture.h"
#include "tests/unit/streaming/stream_client.h"
#include "cri/client/stream_remote_command.h"
#include "tests/fixtures/test_certs.h"

namespace cricket::testing {
namespace {

using stream::ExecOptions;
using stream::SpdyExec;

constexpr char kSuccess[] = R"({"metadata":{},"status":"Success"})";

// Debian's python3-websocket, the independent WebSocket client. Debian's own
// interpreter by path: a python3 earlier on PATH (pyenv) lacks Debian's modules.
constexpr char kDebianPython[] = "/usr/bin/python3";

bool HavePythonWebsocket() {
  sys::SpawnOptions so;
  so.argv = {kDebianPython, "-c", "import websocket"};
  auto r = sys::RunCommand(so, "", std::chrono::seconds(30));
  return r.ok() && r->exit.code() == 0;
}

#define REQUIRE_PYTHON_WEBSOCKET()                                                     \
  do {                                                                                 \
    if (!HavePythonWebsocket()) {                                                      \
      if (InCI()) FAIL() << "python3-websocket not installed (CI=true)";               \
      GTEST_SKIP() << "python3-websocket not installed (run contrib/setup.sh)";        \
    }                                                                                  \
  } while (0)

class StreamingE2eTest : public CriE2eTest {
 protected:
  void SetUp() override {
    CriE2eTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ServeBusybox();
    if (HasFatalFailure()) return;
    PullBusybox();
    if (HasFatalFailure()) return;
    pod_req_ = PodRequest("stream");
    auto pod = Call(&v1::RuntimeService::Stub::RunPodSandbox, pod_req_, "RunPodSandbox");
    ASSERT_TRUE(pod.ok()) << pod.status();
    pod_ = pod->pod_sandbox_id();
  }

  // A running container of the pod.
  std::string Run(const std::string& name, const std::vector<std::string>& cmd,
                  bool stdin_open = false) {
    v1::CreateContainerRequest create;
    create.set_pod_sandbox_id(pod_);
    *create.mutable_sandbox_config() = pod_req_.config();
    auto* cfg = create.mutable_config();
    cfg->mutable_metadata()->set_name(name);
    cfg->mutable_image()->set_image(image_);
    for (const auto& a : cmd) cfg->add_command(a);
    cfg->set_stdin(stdin_open);
    cfg->mutable_linux()->mutable_security_context()->mutable_namespace_options()->set_pid(
        v1::NamespaceMode::CONTAINER);
    auto ctr = Call(&v1::RuntimeService::Stub::CreateContainer, create, "CreateContainer");
    EXPECT_TRUE(ctr.ok()) << ctr.status();
    v1::StartContainerRequest start;
    start.set_container_id(ctr->container_id());
    EXPECT_TRUE(Call(&v1::RuntimeService::Stub::StartContainer, start, "StartContainer").ok());
    return ctr->container_id();
  }

  absl::StatusOr<std::string> ExecUrl(const std::string& id, const std::vector<std::string>& cmd,
                                      bool in, bool out, bool err, bool tty) {
    v1::ExecRequest r;
    r.set_container_id(id);
    for (const auto& c : cmd) r.add_cmd(c);
    r.set_stdin(in);
    r.set_stdout(out);
    r.set_stderr(err);
    r.set_tty(tty);
    auto resp = Call(&v1::RuntimeService::Stub::Exec, r, "Exec");
    if (!resp.ok()) return resp.status();
    return resp->url();
  }

  std::string PortForwardUrl() {
    v1::PortForwardRequest r;
    r.set_pod_sandbox_id(pod_);
    auto resp = Call(&v1::RuntimeService::Stub::PortForward, r, "PortForward");
    EXPECT_TRUE(resp.ok()) << resp.status();
    return resp.ok() ? resp->url() : "";
  }

  // The python client's {channel: data}, or an empty object.
  // `ca`: the CA file that verifies a wss:// server.
  nlohmann::json Python(const std::vector<std::string>& args, const std::string& ca = "") {
    sys::SpawnOptions so;
    if (!ca.empty()) {
      so.env.emplace();
      for (char** e = environ; *e; e++) so.env->push_back(*e);
      so.env->push_back("WS_CA=" + ca);
    }
    so.argv = {kDebianPython, std::string(CRICKET_SOURCE_DIR) + "/tests/e2e/streaming/ws_client.py"};
    so.argv.insert(so.argv.end(), args.begin(), args.end());
    auto r = sys::RunCommand(so, "", std::chrono::seconds(60));
    EXPECT_TRUE(r.ok()) << r.status();
    if (!r.ok()) return nlohmann::json::object();
    EXPECT_EQ(r->exit.code(), 0) << r->err;
    auto j = nlohmann::json::parse(r->out, nullptr, false);
    return j.is_discarded() ? nlohmann::json::object() : j;
  }

  static std::string WsUrl(const std::string& http) { return "ws" + http.substr(4); }

  v1::RunPodSandboxRequest pod_req_;
  std::string pod_;
};

TEST_F(StreamingE2eTest, ExecOverSpdy) {
  std::string id = Run("main", {"sleep", "1000"});
  for (int code : {0, 1, 137}) {
    std::string script = code == 137 ? "echo out; echo err >&2; kill -9 $$"
                                     : "echo out; echo err >&2; exit " + std::to_string(code);
    auto url = ExecUrl(id, {"sh", "-c", script}, false, true, true, false);
    ASSERT_TRUE(url.ok()) << url.status();
    auto r = SpdyExec(*url, {});
    EXPECT_EQ(r.http_status, 101);
    EXPECT_EQ(r.out, "out\n") << code;
    EXPECT_EQ(r.err, "err\n") << code;
    if (code == 0) {
      EXPECT_EQ(r.error, kSuccess);
    } else {
      EXPECT_NE(r.error.find(R"("reason":"ExitCode","message":")" + std::to_string(code) + "\""),
                std::string::npos) << r.error;
    }
  }
  // 2 MiB of stdin through wc.
  auto url = ExecUrl(id, {"wc", "-c"}, true, true, false, false);
  ExecOptions o;
  o.in = true;
  o.err = false;
  o.input = std::string(2 << 20, 'x');
  auto r = SpdyExec(*url, o, 60000);
  EXPECT_EQ(r.out.substr(r.out.find_first_not_of(' ')), "2097152\n");
  EXPECT_EQ(r.error, kSuccess);
  // A tty, sized before the command asks.
  url = ExecUrl(id, {"sh", "-c", "sleep 1; stty size"}, false, true, false, true);
  ExecOptions t;
  t.tty = true;
  t.err = false;
  t.resize = R"({"Width":132,"Height":43})" "\n";
  r = SpdyExec(*url, t);
  EXPECT_EQ(r.out, "43 132\r\n");
  EXPECT_EQ(r.error, kSuccess);
  // The token was used: 404. Unknown tokens too.
  EXPECT_EQ(SpdyExec(*url, t).http_status, 404);
  std::string base = url->substr(0, url->find("/exec/"));
  EXPECT_EQ(SpdyExec(base + "/exec/AAAAAAAAAAAAAAAAAAAAAA", t).http_status, 404);
  // No upgrade headers: 400 and nothing runs.
  url = ExecUrl(id, {"true"}, false, true, false, false);
  auto u = stream::ParseUrl(*url);
  auto raw = stream::RawConn::Dial(u->host, u->port);
  ASSERT_TRUE(raw.ok());
  (*raw)->Send("GET " + u->path + " HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(stream::StatusCode((*raw)->ReadHead()), 400);
  // Invalid requests are refused by the RPC.
  EXPECT_EQ(ExecUrl(id, {"true"}, false, true, true, true).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ExecUrl("nosuch", {"true"}, false, true, false, false).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(StreamingE2eTest, FiftyConcurrentExecs) {
  std::string id = Run("main", {"sleep", "1000"});
  std::vector<std::string> urls;
  for (int i = 0; i < 50; i++) {
    auto url = ExecUrl(id, {"echo", "session-" + std::to_string(i)}, false, true, true, false);
    ASSERT_TRUE(url.ok()) << url.status();
    urls.push_back(*url);
  }
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 50; i++) {
    threads.emplace_back([&, i] {
      auto r = SpdyExec(urls[i], {}, 120000);
      if (r.out == "session-" + std::to_string(i) + "\n" && r.error == kSuccess) good++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(good, 50);
}

TEST_F(StreamingE2eTest, ExecOverPythonWebSocket) {
  REQUIRE_PYTHON_WEBSOCKET();
  std::string id = Run("main", {"sleep", "1000"});
  auto url = ExecUrl(id, {"sh", "-c", "cat; echo err >&2; exit 3"}, true, true, true, false);
  ASSERT_TRUE(url.ok());
  auto j = Python({"exec", WsUrl(*url), "v5.channel.k8s.io", "hello from python"});
  EXPECT_EQ(j.value("1", ""), "hello from python");
  EXPECT_EQ(j.value("2", ""), "err\n");
  EXPECT_NE(j.value("3", "").find("NonZeroExitCode"), std::string::npos) << j.dump();
  url = ExecUrl(id, {"echo", "v4"}, false, true, true, false);
  j = Python({"exec", WsUrl(*url), "v4.channel.k8s.io", ""});
  EXPECT_EQ(j.value("1", ""), "v4\n");
  EXPECT_EQ(j.value("3", ""), kSuccess);
}

TEST_F(StreamingE2eTest, AttachToARunningShell) {
  std::string id = Run("shell", {"sh"}, /*stdin_open=*/true);
  v1::AttachRequest r;
  r.set_container_id(id);
  r.set_stdin(true);
  r.set_stdout(true);
  r.set_stderr(true);
  auto resp = Call(&v1::RuntimeService::Stub::Attach, r, "Attach");
  ASSERT_TRUE(resp.ok()) << resp.status();
  auto c = stream::SpdyClient::Connect(resp->url(), {"v4.channel.k8s.io"});
  ASSERT_TRUE(c.ok());
  ASSERT_EQ((*c)->status(), 101);
  uint32_t error = (*c)->Open({{"streamtype", "error"}});
  uint32_t in = (*c)->Open({{"streamtype", "stdin"}});
  uint32_t out = (*c)->Open({{"streamtype", "stdout"}});
  (*c)->Open({{"streamtype", "stderr"}});
  (*c)->Send(in, "echo attached-$((6*7))\n");
  std::string got;
  for (int i = 0; i < 100 && got.find("attached-42") == std::string::npos; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    got = (*c)->Data(out);
  }
  EXPECT_EQ(got, "attached-42\n");
  // The shell exits: attach reports success and ends.
  (*c)->Send(in, "exit 5\n");
  EXPECT_TRUE((*c)->WaitFin(error, 30000));
  EXPECT_EQ((*c)->Data(error), kSuccess);
}

TEST_F(StreamingE2eTest, PortForwardToHttpdOverSpdyAndWebSocket) {
  Run("web", {"sh", "-c",
              "mkdir -p /w && echo hello-pf > /w/index.html && exec httpd -f -p 8080 -h /w"});
  std::string get = "GET /index.html HTTP/1.0\r\n\r\n";
  std::string body;
  // httpd may need a moment to listen.
  for (int attempt = 0; attempt < 20 && body.find("hello-pf") == std::string::npos; attempt++) {
    auto c = stream::SpdyClient::Connect(PortForwardUrl(), {"portforward.k8s.io"});
    ASSERT_TRUE(c.ok());
    ASSERT_EQ((*c)->status(), 101);
    body = stream::SpdyPortForwardOnce(**c, "8080", get);
  }
  EXPECT_NE(body.find("200 OK"), std::string::npos) << body;
  EXPECT_NE(body.find("hello-pf"), std::string::npos) << body;
  // Nothing listens on 8081: the error stream says so.
  auto c = stream::SpdyClient::Connect(PortForwardUrl(), {"portforward.k8s.io"});
  uint32_t e = (*c)->Open({{"streamtype", "error"}, {"port", "8081"}, {"requestid", "1"}});
  (*c)->Open({{"streamtype", "data"}, {"port", "8081"}, {"requestid", "1"}});
  EXPECT_TRUE((*c)->WaitFin(e, 10000));
  EXPECT_NE((*c)->Data(e).find("error forwarding port 8081"), std::string::npos) << (*c)->Data(e);
  if (!HavePythonWebsocket()) {
    if (InCI()) FAIL() << "python3-websocket not installed (CI=true)";
    return;
  }
  auto j = Python({"portforward", WsUrl(PortForwardUrl()) + "?port=8080", "v4.channel.k8s.io",
                   get, "hello-pf"});
  EXPECT_NE(j.value("0", "").find("hello-pf"), std::string::npos) << j.dump();
}

// The streaming server with a certificate from the config: https:// URLs,
// cricketctl's client (TLS relay) and python over wss:// with verification.
class TlsStreamingE2eTest : public StreamingE2eTest {
 protected:
  void SetUp() override {
    auto dir = sys::TempDir::Make("cricket-e2e-certs-");
    ASSERT_TRUE(dir.ok());
    certs_ = std::make_unique<sys::TempDir>(std::move(*dir));
    ASSERT_TRUE(MakeTestCertificates(certs_->path()).ok());
    extra_config_yaml_ = "streaming:\n  tls_cert: " + certs_->Sub("server.crt") +
                         "\n  tls_key: " + certs_->Sub("server.key") + "\n";
    StreamingE2eTest::SetUp();
  }

  // Runs `cmd` through the client library (as cricketctl does): exit code and stdout.
  std::pair<int, std::string> ClientExec(const std::string& url,
                                         cri::client::StreamTransport transport) {
    int out[2];
    EXPECT_EQ(pipe2(out, O_CLOEXEC), 0);
    sys::UniqueFd r(out[0]), w(out[1]);
    cri::client::RemoteCommandOptions o;
    o.transport = transport;
    o.stdout_fd = w.get();
    o.stderr_fd = w.get();
    auto code = cri::client::RunRemoteCommand(url, o);
    EXPECT_TRUE(code.ok()) << code.status();
    w.Reset();
    std::string text;
    char buf[4096];
    for (ssize_t n; (n = read(r.get(), buf, sizeof(buf))) > 0;) text.append(buf, n);
    return {code.ok() ? *code : -1, text};
  }

  std::unique_ptr<sys::TempDir> certs_;
};

TEST_F(TlsStreamingE2eTest, ExecOverTlsWithBothTransports) {
  std::string id = Run("main", {"sleep", "1000"});
  for (auto transport : {cri::client::StreamTransport::kSpdy,
                         cri::client::StreamTransport::kWebSocket}) {
    auto url = ExecUrl(id, {"sh", "-c", "echo over-tls; exit 3"}, false, true, true, false);
    ASSERT_TRUE(url.ok()) << url.status();
    EXPECT_EQ(url->rfind("https://127.0.0.1:", 0), 0u) << *url;
    auto [code, out] = ClientExec(*url, transport);
    EXPECT_EQ(code, 3);
    EXPECT_EQ(out, "over-tls\n");
  }
  // Plain HTTP to the TLS port is refused, and the server keeps serving.
  auto url = ExecUrl(id, {"echo", "still-here"}, false, true, true, false);
  ASSERT_TRUE(url.ok());
  std::string plain = "http" + url->substr(5);
  auto bad = SpdyExec(plain, {}, 10000);
  EXPECT_NE(bad.out, "still-here\n");
  auto [code, out] = ClientExec(*url, cri::client::StreamTransport::kSpdy);
  EXPECT_EQ(code, 0);
  EXPECT_EQ(out, "still-here\n");
}

TEST_F(TlsStreamingE2eTest, PythonVerifiesTheCertificateOverWss) {
  REQUIRE_PYTHON_WEBSOCKET();
  std::string id = Run("main", {"sleep", "1000"});
  auto url = ExecUrl(id, {"cat"}, true, true, true, false);
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->rfind("https://", 0), 0u) << *url;
  auto j = Python({"exec", WsUrl(*url), "v5.channel.k8s.io", "hello over wss"},
                  certs_->Sub("ca.crt"));
  EXPECT_EQ(j.value("1", ""), "hello over wss");
  EXPECT_EQ(j.value("3", ""), kSuccess);
}

}  // namespace
}  // namespace cricket::testing
