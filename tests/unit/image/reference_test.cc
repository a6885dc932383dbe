// Reference parsing and docker.io normalisation, as a table.
#include "image/reference.h"

#include "gtest/gtest.h"

namespace cricket::image {
namespace {

const std::string kHex(64, 'a');

struct Good {
  std::string in, domain, path, tag, digest, normal;
};

TEST(ReferenceTest, Normalises) {
  const std::vector<Good> cases = {
      {"busybox", "docker.io", "library/busybox", "latest", "", "docker.io/library/busybox:latest"},
      {"busybox:1.36", "docker.io", "library/busybox", "1.36", "", "docker.io/library/busybox:1.36"},
      {"user/app", "docker.io", "user/app", "latest", "", "docker.io/user/app:latest"},
      {"index.docker.io/library/busybox", "docker.io", "library/busybox", "latest", "",
       "docker.io/library/busybox:latest"},
      {"docker.io/busybox", "docker.io", "library/busybox", "latest", "",
       "docker.io/library/busybox:latest"},
      {"quay.io/a/b/c:v1", "quay.io", "a/b/c", "v1", "", "quay.io/a/b/c:v1"},
      {"localhost/app", "localhost", "app", "latest", "", "localhost/app:latest"},
      {"localhost:5000/app:x", "localhost:5000", "app", "x", "", "localhost:5000/app:x"},
      {"127.0.0.1:5000/a_b.c-d__e", "127.0.0.1:5000", "a_b.c-d__e", "latest", "",
       "127.0.0.1:5000/a_b.c-d__e:latest"},
      {"[::1]:5000/x", "[::1]:5000", "x", "latest", "", "[::1]:5000/x:latest"},
      {"[fe80::1]/x:t", "[fe80::1]", "x", "t", "", "[fe80::1]/x:t"},
      {"Registry/app", "Registry", "app", "latest", "", "Registry/app:latest"},
      {"busybox@sha256:" + kHex, "docker.io", "library/busybox", "", "sha256:" + kHex,
       "docker.io/library/busybox@sha256:" + kHex},
      {"r.io:443/busybox:1@sha256:" + kHex, "r.io:443", "busybox", "1", "sha256:" + kHex,
       "r.io:443/busybox:1@sha256:" + kHex},
  };
  for (const Good& c : cases) {
    auto r = ParseReference(c.in);
    ASSERT_TRUE(r.ok()) << c.in << ": " << r.status();
    EXPECT_EQ(r->domain, c.domain) << c.in;
    EXPECT_EQ(r->path, c.path) << c.in;
    EXPECT_EQ(r->tag, c.tag) << c.in;
    EXPECT_EQ(r->digest, c.digest) << c.in;
    EXPECT_EQ(r->String(), c.normal) << c.in;
    // Normal forms are fixed points.
    auto again = ParseReference(r->String());
    ASSERT_TRUE(again.ok()) << r->String();
    EXPECT_EQ(*again, *r);
  }
}

TEST(ReferenceTest, RejectsWithReason) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "empty"},
      {"Busybox", "lowercase"},
      {"docker.io/Library/x", "lowercase"},
      {"busybox:", "tag"},
      {"busybox:-x", "tag"},
      {"busybox:" + std::string(129, 'a'), "tag"},
      {"busybox@sha256:abc", "64 hex"},
      {"busybox@md5:" + kHex, "unsupported algorithm"},
      {"a//b", "path component"},
      {"a/b_", "path component"},
      {"a/.b", "path component"},
      {"-host.io/x", "registry host"},
      {"host.io:99999999/x", "registry host"},
      {"[::1/x", "registry host"},
      {"r.io/" + std::string(260, 'a'), "longer than 255"},
      {":tag", "missing repository"},
  };
  for (const auto& [in, why] : cases) {
    auto r = ParseReference(in);
    ASSERT_FALSE(r.ok()) << in << " parsed as " << r->String();
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << in;
    std::string msg(r.status().message());
    EXPECT_NE(msg.find(why), std::string::npos) << in << ": " << msg;
    EXPECT_NE(msg.find("\"" + in + "\""), std::string::npos) << msg;
  }
}

TEST(ReferenceTest, TagOrDigest) {
  auto r = ParseReference("x:1@sha256:" + kHex);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->TagOrDigest(), "sha256:" + kHex);
  EXPECT_EQ(r->Repository(), "docker.io/library/x");
}

}  // namespace
}  // namespace cricket::image
