// A scriptable fake registry on the tiny loopback HTTP server: per-path
// routes (with a hit counter) for the misbehaviours a real registry will not
// produce on demand (tampered, truncated, stalled, 500s, huge manifests).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "conf/config.h"
#include "image/reference.h"
#include "image/registry/client.h"
#include "tests/fixtures/http_server.h"

namespace cricket::testing {

// hit = 1 for the first request to the path.
using Route = std::function<HttpReply(const HttpRequestIn& req, int hit)>;

class FakeRegistry {
 public:
  static absl::StatusOr<std::unique_ptr<FakeRegistry>> Start(const std::string& ip = "127.0.0.1");

  // Routes by exact path ("/v2/app/blobs/sha256:..."); /v2/ answers 200.
  void Route(const std::string& path, testing::Route r);
  void Manifest(const std::string& repo, const std::string& ref, const std::string& media_type,
                const std::string& body);
  void Blob(const std::string& repo, const std::string& digest, const std::string& body);
  // Serves `body` for a blob path, honouring Range (206).
  static HttpReply BlobReply(const HttpRequestIn& req, const std::string& body);

  std::string HostPort() const { return server_->HostPort(); }
  int Hits(const std::string& path) const;
  std::vector<HttpRequestIn> Requests() const { return server_->Requests(); }
  size_t TotalRequests() const { return server_->Requests().size(); }

 private:
  HttpReply Handle(const HttpRequestIn& req);
  mutable std::mutex mu_;
  std::map<std::string, testing::Route> routes_;
  std::map<std::string, int> hits_;
  std::unique_ptr<TinyHttpServer> server_;
};

// A registry error body: {"errors":[{"code":code,"message":message}]}.
std::string ErrorJson(const std::string& code, const std::string& message);

// Config with small timeouts for fault tests.
conf::Config FastConfig();

// Fetches a whole blob from offset 0 into *out.
absl::Status FetchAll(image::registry::Client& client, const image::Reference& ref,
                      const std::string& digest, int64_t size, std::string* out);

image::Reference Ref(const std::string& domain, const std::string& path, const std::string& tag);

}  // namespace cricket::testing
