// Where credentials go, against fake registries: never to a mirror without
// credentials of its own, never over plain http to a host that is not
// loopback (nor to a token realm there), and never after an https → http
// redirect. The non-loopback address (192.0.2.1, TEST-NET-1) lives on the
// loopback device of a network namespace private to one test thread, so
// nothing on the host changes and it vanishes with the thread.
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "image/digest.h"
#include "image/manifest.h"
#include "image/registry/client.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/child_process.h"
#include "oci/sys/status.h"
#include "oci/sys/temp_dir.h"
#include "tests/fixtures/partners.h"
#include "tests/fixtures/registry_fixture.h"
#include "tests/fixtures/test_certs.h"
#include "tests/integration/image/fake_registry_helpers.h"

namespace cricket::testing {
namespace {

using image::registry::Credentials;
using image::registry::NewClient;

const char kIndex[] = R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]})";
const char kPrivateIp[] = "192.0.2.1";

std::string Msg(const absl::Status& st) { return std::string(st.message()); }

Credentials UserPass() {
  Credentials c;
  c.username = "user";
  c.password = "pass";
  return c;
}

// Answers 401 with `challenge` to anything without an Authorization header,
// and `ok` to anything with one.
testing::Route Challenging(const std::string& challenge, testing::Route ok) {
  return [challenge, ok](const HttpRequestIn& req, int hit) {
    if (!req.Header("authorization").empty()) return ok(req, hit);
    HttpReply r;
    r.status = 401;
    r.headers = {{"WWW-Authenticate", challenge}};
    r.body = ErrorJson("UNAUTHORIZED", "authentication required");
    return r;
  };
}

testing::Route ServeIndex() {
  return [](const HttpRequestIn&, int) {
    HttpReply r;
    r.headers = {{"Content-Type", image::kMediaOciIndex}};
    r.body = kIndex;
    return r;
  };
}

int RequestsWithAuthorization(const FakeRegistry& f) {
  int n = 0;
  for (const HttpRequestIn& r : f.Requests()) n += r.Header("authorization").empty() ? 0 : 1;
  return n;
}

TEST(RegistryCredentials, MirrorWithoutCredentialsOfItsOwnNeverSeesThem) {
  auto mirror = FakeRegistry::Start();
  auto origin = FakeRegistry::Start("127.0.0.2");
  ASSERT_TRUE(mirror.ok() && origin.ok());
  // A mirror that asks for credentials, as a hostile one would.
  (*mirror)->Route("/v2/team/app/manifests/v1",
                   Challenging("Basic realm=\"mirror\"", ServeIndex()));
  (*origin)->Route("/v2/team/app/manifests/v1",
                   Challenging("Basic realm=\"origin\"", ServeIndex()));
  conf::Config config = FastConfig();
  config.registries.hosts[(*origin)->HostPort()].mirrors = {"http://" + (*mirror)->HostPort()};
  auto ref = Ref((*origin)->HostPort(), "team/app", "v1");
  auto client = NewClient(config, ref, UserPass());
  ASSERT_TRUE(client.ok()) << client.status();
  auto m = (*client)->GetManifest(ref, "v1");
  ASSERT_TRUE(m.ok()) << m.status();  // the origin got them and answered
  EXPECT_EQ((*mirror)->Hits("/v2/team/app/manifests/v1"), 1);
  EXPECT_EQ(RequestsWithAuthorization(**mirror), 0);
  EXPECT_EQ(RequestsWithAuthorization(**origin), 1);
}

// Runs fn on a thread in a network namespace of its own, with lo up and
// kPrivateIp on it: a reachable address that is not loopback.
void InPrivateNetns(const std::function<void()>& fn) {
  std::thread t([&] {
    if (::unshare(CLONE_NEWNET) != 0) {
      ADD_FAILURE() << "unshare(CLONE_NEWNET): " << strerror(errno);
      return;
    }
    // Children forked from this thread inherit its namespace.
    absl::Status st = RunChecked({"ip", "link", "set", "lo", "up"});
    if (st.ok()) st = RunChecked({"ip", "addr", "add", absl::StrCat(kPrivateIp, "/32"), "dev", "lo"});
    if (!st.ok()) {
      ADD_FAILURE() << st;
      return;
    }
    fn();
  });
  t.join();
}

TEST(RegistryCredentials, NotSentOverPlainHttpToANonLoopbackHost) {
  CRICKET_REQUIRE_ROOT();
  InPrivateNetns([] {
    auto reg = FakeRegistry::Start(kPrivateIp);
    ASSERT_TRUE(reg.ok()) << reg.status();
    (*reg)->Route("/v2/team/app/manifests/v1", Challenging("Basic realm=\"r\"", ServeIndex()));
    conf::Config config = FastConfig();
    // Insecure allows plain http, not credentials over it.
    config.registries.hosts[(*reg)->HostPort()].insecure = true;
    auto ref = Ref((*reg)->HostPort(), "team/app", "v1");
    auto m = (*NewClient(config, ref, UserPass()))->GetManifest(ref, "v1");
    EXPECT_EQ(m.status().code(), absl::StatusCode::kFailedPrecondition) << m.status();
    EXPECT_NE(Msg(m.status()).find("registry " + (*reg)->HostPort()), std::string::npos);
    EXPECT_NE(Msg(m.status()).find("manifest team/app:v1"), std::string::npos);
    EXPECT_NE(Msg(m.status()).find("not sent over plain http"), std::string::npos);
    EXPECT_EQ(RequestsWithAuthorization(**reg), 0);
    // Anonymous pulls from it still work.
    (*reg)->Route("/v2/team/app/manifests/v2", ServeIndex());
    EXPECT_TRUE((*NewClient(config, ref, UserPass()))->GetManifest(ref, "v2").ok());
  });
}

TEST(RegistryCredentials, NotSentToAPlainHttpTokenRealmThatIsNotLoopback) {
  CRICKET_REQUIRE_ROOT();
  InPrivateNetns([] {
    auto reg = FakeRegistry::Start();  // loopback: trusted
    auto realm = FakeRegistry::Start(kPrivateIp);
    ASSERT_TRUE(reg.ok() && realm.ok());
    (*realm)->Route("/token", [](const HttpRequestIn&, int) {
      HttpReply r;
      r.body = R"({"token":"t0ken"})";
      return r;
    });
    std::string challenge = absl::StrCat("Bearer realm=\"http://", (*realm)->HostPort(),
                                         "/token\",service=\"s\"");
    (*reg)->Route("/v2/team/app/manifests/v1", Challenging(challenge, ServeIndex()));
    auto ref = Ref((*reg)->HostPort(), "team/app", "v1");
    auto m = (*NewClient(FastConfig(), ref, UserPass()))->GetManifest(ref, "v1");
    EXPECT_EQ(m.status().code(), absl::StatusCode::kFailedPrecondition) << m.status();
    EXPECT_NE(Msg(m.status()).find("token realm http://" + (*realm)->HostPort()),
              std::string::npos);
    EXPECT_NE(Msg(m.status()).find("not sent over plain http"), std::string::npos);
    EXPECT_EQ((*realm)->TotalRequests(), 0u);
    // Without credentials the realm hands out an anonymous token as usual.
    EXPECT_TRUE((*NewClient(FastConfig(), ref, {}))->GetManifest(ref, "v1").ok());
    EXPECT_EQ(RequestsWithAuthorization(**realm), 0);
  });
}

// An https server (Python's ssl module, the fixture CA's certificate for
// 127.0.0.1) on `ip`. Mode "redirect": every GET gets a 307 to `arg` + the
// request path. Mode "token": every GET gets a token, and a line "auth" or
// "anon" (whether it carried an Authorization header) is appended to `arg`.
constexpr char kTlsServer[] = R"(
import http.server, ssl, sys
ip, cert, key, mode, arg = sys.argv[1:6]
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if mode == "redirect":
            self.send_response(307)
            self.send_header("Location", arg + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        with open(arg, "a") as f:
            f.write(("auth" if self.headers.get("Authorization") else "anon") + "\n")
        body = b'{"token":"t0ken"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
srv = http.server.HTTPServer((ip, 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
print(srv.server_address[1], flush=True)
srv.serve_forever()
)";

struct TlsServer {
  std::unique_ptr<sys::ChildProcess> process;  // killed when this goes
  std::string host;                            // ip:port
  // Its stdout stays open: a write to a closed pipe would kill it.
  sys::UniqueFd stdout_pipe;
};

// Starts kTlsServer with certificates made in `dir` (from the calling thread,
// so in its network namespace).
absl::StatusOr<TlsServer> StartTlsServer(const std::string& python, const sys::TempDir& dir,
                                         const std::string& ip, const std::string& mode,
                                         const std::string& arg) {
  RETURN_IF_ERROR(MakeTestCertificates(dir.path()));
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return sys::ErrnoStatus(errno, "pipe2");
  sys::UniqueFd read_end(out[0]), write_end(out[1]);
  sys::SpawnOptions so;
  so.argv = {python, "-c", kTlsServer, ip, dir.Sub("server.crt"), dir.Sub("server.key"),
             mode, arg};
  so.stdout_fd = write_end.get();
  so.stderr_fd = -2;
  ASSIGN_OR_RETURN(sys::ChildProcess child, sys::ChildProcess::Spawn(so));
  TlsServer server{std::make_unique<sys::ChildProcess>(std::move(child)), "", sys::UniqueFd()};
  write_end.Reset();
  char buf[16] = {};
  if (::read(read_end.get(), buf, sizeof(buf) - 1) <= 0) {
    return absl::UnavailableError("the python https server did not start");
  }
  server.host = absl::StrCat(ip, ":", std::stoi(buf));
  server.stdout_pipe = std::move(read_end);
  return server;
}

// The registry at 127.0.0.1 is insecure by the loopback rule; its token realm
// on another host is not, and gets the credentials only when verified or
// when that host's own entry says insecure.
TEST(RegistryCredentials, UnverifiedTokenRealmGetsThemOnlyWhenConfiguredInsecure) {
  CRICKET_REQUIRE_ROOT();
  CRICKET_REQUIRE_PROGRAM(python, "python3");
  CRICKET_REQUIRE_PROGRAM(openssl_bin, "openssl");
  InPrivateNetns([&] {
    auto dir = sys::TempDir::Make("cricket-realm-");
    ASSERT_TRUE(dir.ok());
    const std::string log = dir->Sub("realm.log");
    auto realm = StartTlsServer(python, *dir, kPrivateIp, "token", log);
    ASSERT_TRUE(realm.ok()) << realm.status();
    auto reg = FakeRegistry::Start();
    ASSERT_TRUE(reg.ok());
    (*reg)->Route("/v2/team/app/manifests/v1",
                  Challenging(absl::StrCat("Bearer realm=\"https://", realm->host,
                                           "/token\",service=\"s\""),
                              ServeIndex()));
    conf::Config config = FastConfig();
    auto ref = Ref((*reg)->HostPort(), "team/app", "v1");
    auto m = (*NewClient(config, ref, UserPass()))->GetManifest(ref, "v1");
    EXPECT_FALSE(m.ok()) << "the realm's certificate (for 127.0.0.1) was not verified";
    EXPECT_NE(Msg(m.status()).find("registry " + (*reg)->HostPort()), std::string::npos)
        << m.status();
    EXPECT_NE(Msg(m.status()).find("token from https://" + realm->host), std::string::npos)
        << m.status();
    EXPECT_NE(Msg(m.status()).find("SSL certificate problem"), std::string::npos) << m.status();
    EXPECT_FALSE(sys::ReadFile(log).ok()) << "the realm was reached: " << *sys::ReadFile(log);
    config.registries.hosts[realm->host].insecure = true;
    m = (*NewClient(config, ref, UserPass()))->GetManifest(ref, "v1");
    EXPECT_TRUE(m.ok()) << m.status();
    EXPECT_EQ(sys::ReadFile(log).value_or(""), "auth\n");
  });
}

TEST(RegistryCredentials, HttpsRedirectToHttpIsRefused) {
  CRICKET_REQUIRE_PROGRAM(python, "python3");
  CRICKET_REQUIRE_PROGRAM(openssl_bin, "openssl");
  auto dir = sys::TempDir::Make("cricket-redirect-");
  ASSERT_TRUE(dir.ok());
  auto storage = FakeRegistry::Start("127.0.0.3");
  ASSERT_TRUE(storage.ok());
  std::string blob = "blob bytes";
  std::string digest = image::Sha256String(blob);
  (*storage)->Blob("app", digest, blob);
  auto server =
      StartTlsServer(python, *dir, "127.0.0.1", "redirect", "http://" + (*storage)->HostPort());
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string host = server->host;
  conf::Config config = FastConfig();
  config.registries.hosts[host].ca_file = dir->Sub("ca.crt");  // verified TLS
  auto ref = Ref(host, "app", "v1");
  Credentials creds;
  creds.registry_token = "secret";
  auto client = NewClient(config, ref, creds);
  ASSERT_TRUE(client.ok()) << client.status();
  std::string got;
  absl::Status st = FetchAll(**client, ref, digest, blob.size(), &got);
  EXPECT_EQ(st.code(), absl::StatusCode::kPermissionDenied) << st;
  EXPECT_NE(Msg(st).find("registry " + host), std::string::npos) << st;
  EXPECT_NE(Msg(st).find("blob app@" + digest), std::string::npos) << st;
  EXPECT_NE(Msg(st).find("refused a redirect from https to http://" + (*storage)->HostPort()),
            std::string::npos)
      << st;
  EXPECT_EQ((*storage)->TotalRequests(), 0u);
  EXPECT_TRUE(got.empty());
}

}  // namespace
}  // namespace cricket::testing
