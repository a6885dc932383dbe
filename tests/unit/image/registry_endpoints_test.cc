// Endpoint order, schemes and the loopback-is-insecure rule.
#include "image/registry/endpoints.h"

#include "gtest/gtest.h"

namespace cricket::image::registry {
namespace {

TEST(Loopback, Hosts) {
  EXPECT_TRUE(IsLoopbackHost("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackHost("127.0.0.1:5000"));
  EXPECT_TRUE(IsLoopbackHost("127.200.3.4:80"));
  EXPECT_TRUE(IsLoopbackHost("localhost:5000"));
  EXPECT_TRUE(IsLoopbackHost("[::1]:5000"));
  EXPECT_TRUE(IsLoopbackHost("::1"));
  EXPECT_FALSE(IsLoopbackHost("128.0.0.1:5000"));
  EXPECT_FALSE(IsLoopbackHost("docker.io"));
  EXPECT_FALSE(IsLoopbackHost("localhost.example"));
  EXPECT_FALSE(IsLoopbackHost("[::2]:5000"));
}

TEST(HostName, StripsPortAndBrackets) {
  EXPECT_EQ(HostName("[::1]:5000"), "::1");
  EXPECT_EQ(HostName("host:5000"), "host");
  EXPECT_EQ(HostName("host"), "host");
  EXPECT_EQ(HostName("fe80::1"), "fe80::1");
}

TEST(Endpoints, DockerHubOrigin) {
  conf::Config::Registries reg;
  auto eps = Endpoints(reg, "docker.io");
  ASSERT_TRUE(eps.ok());
  ASSERT_EQ(eps->size(), 1u);
  EXPECT_EQ((*eps)[0].BaseUrl(), "https://registry-1.docker.io");
  EXPECT_FALSE((*eps)[0].insecure);
  EXPECT_FALSE((*eps)[0].mirror);
}

TEST(Endpoints, LoopbackInsecureByDefault) {
  conf::Config::Registries reg;
  auto eps = Endpoints(reg, "127.0.0.1:5000");
  ASSERT_TRUE(eps.ok());
  ASSERT_EQ(eps->size(), 1u);
  EXPECT_TRUE((*eps)[0].insecure);
  EXPECT_EQ((*eps)[0].scheme, "https");  // tried first; falls back to http
  // A loopback entry without a CA stays insecure; naming a CA asks for verification.
  reg.hosts["127.0.0.1:5000"].mirrors = {};
  eps = Endpoints(reg, "127.0.0.1:5000");
  EXPECT_TRUE((*eps)[0].insecure);
  reg.hosts["127.0.0.1:5000"].ca_file = "/etc/cricket/ca.pem";
  eps = Endpoints(reg, "127.0.0.1:5000");
  EXPECT_FALSE((*eps)[0].insecure);
}

TEST(Endpoints, MirrorsFirstThenOrigin) {
  conf::Config::Registries reg;
  reg.hosts["registry.k8s.io"].mirrors = {"127.0.0.2:6000", "https://mirror.invalid/cache/v2/",
                                          "http://plain.invalid:81"};
  reg.hosts["mirror.invalid"].insecure = true;
  auto eps = Endpoints(reg, "registry.k8s.io");
  ASSERT_TRUE(eps.ok()) << eps.status();
  ASSERT_EQ(eps->size(), 4u);
  EXPECT_TRUE((*eps)[0].mirror);
  EXPECT_TRUE((*eps)[0].insecure);  // loopback mirror
  EXPECT_EQ((*eps)[0].BaseUrl(), "https://127.0.0.2:6000");
  EXPECT_EQ((*eps)[1].BaseUrl(), "https://mirror.invalid/cache");
  EXPECT_TRUE((*eps)[1].insecure);
  EXPECT_TRUE((*eps)[1].explicit_scheme);
  EXPECT_EQ((*eps)[2].BaseUrl(), "http://plain.invalid:81");
  EXPECT_FALSE((*eps)[2].insecure);
  EXPECT_FALSE((*eps)[3].mirror);
  EXPECT_EQ((*eps)[3].BaseUrl(), "https://registry.k8s.io");
}

TEST(Endpoints, BadMirrorRejected) {
  conf::Config::Registries reg;
  reg.hosts["a.invalid"].mirrors = {"ftp://x.invalid"};
  EXPECT_EQ(Endpoints(reg, "a.invalid").status().code(), absl::StatusCode::kInvalidArgument);
  reg.hosts["a.invalid"].mirrors = {"https://"};
  EXPECT_EQ(Endpoints(reg, "a.invalid").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(RegistryEndpoints, ParseUrlDestination) {
  auto d = ParseUrlDestination("HTTPS://User@Auth.Example:8443/token?service=x");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->scheme, "https");
  EXPECT_EQ(d->host, "auth.example:8443");
  EXPECT_EQ(ParseUrlDestination("http://[::1]:5000")->host, "[::1]:5000");
  EXPECT_FALSE(ParseUrlDestination("ftp://auth.example/token").ok());
  EXPECT_FALSE(ParseUrlDestination("auth.example/token").ok());
  EXPECT_FALSE(ParseUrlDestination("https:///token").ok());
}

TEST(RegistryEndpoints, WhereCredentialsMayGo) {
  struct Case {
    Destination to;
    bool ok;
  } cases[] = {
      {{"https", "registry.example", true, false}, true},
      {{"https", "registry.example", false, true}, true},    // configured insecure
      {{"https", "registry.example", false, false}, false},  // unverified, not configured
      {{"http", "registry.example", false, true}, false},    // insecure allows http, not creds
      {{"http", "10.0.0.5:5000", false, true}, false},
      {{"http", "127.0.0.1:5000", false, false}, true},      // loopback never leaves the node
      {{"http", "localhost:5000", false, false}, true},
      {{"http", "[::1]:5000", false, false}, true},
  };
  for (const Case& c : cases) {
    absl::Status st = CredentialsMayGo(c.to);
    EXPECT_EQ(st.ok(), c.ok) << c.to.scheme << "://" << c.to.host << ": " << st;
    if (!st.ok()) {
      EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
      EXPECT_NE(std::string(st.message()).find(c.to.host), std::string::npos) << st;
    }
  }
}

}  // namespace
}  // namespace cricket::image::registry
