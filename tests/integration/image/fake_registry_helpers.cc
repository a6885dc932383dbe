// The scriptable fake registry.
#include "tests/integration/image/fake_registry_helpers.h"

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace cricket::testing {

std::string ErrorJson(const std::string& code, const std::string& message) {
  nlohmann::json j = {{"errors", {{{"code", code}, {"message", message}}}}};
  return j.dump();
}

conf::Config FastConfig() {
  conf::Config c;
  c.registries.connect_timeout_seconds = 5;
  c.registries.request_timeout_seconds = 10;
  c.registries.retries = 2;
  c.registries.certs_dir = "/nonexistent-cricket-certs";
  c.image.stall_timeout_seconds = 1;
  return c;
}

absl::Status FetchAll(image::registry::Client& client, const image::Reference& ref,
                      const std::string& digest, int64_t size, std::string* out) {
  return client.FetchBlob(ref, digest, size, 0, [out](const char* d, size_t n) {
    out->append(d, n);
    return absl::OkStatus();
  });
}

image::Reference Ref(const std::string& domain, const std::string& path, const std::string& tag) {
  image::Reference r;
  r.domain = domain;
  r.path = path;
  if (tag.rfind("sha256:", 0) == 0) {
    r.digest = tag;
  } else {
    r.tag = tag;
  }
  return r;
}

absl::StatusOr<std::unique_ptr<FakeRegistry>> FakeRegistry::Start(const std::string& ip) {
  std::unique_ptr<FakeRegistry> f(new FakeRegistry);
  auto server = TinyHttpServer::Start([raw = f.get()](const HttpRequestIn& r) {
    return raw->Handle(r);
  }, ip);
  if (!server.ok()) return server.status();
  f->server_ = std::move(*server);
  return f;
}

void FakeRegistry::Route(const std::string& path, testing::Route r) {
  std::lock_guard<std::mutex> lock(mu_);
  routes_[path] = std::move(r);
}

void FakeRegistry::Manifest(const std::string& repo, const std::string& ref,
                            const std::string& media_type, const std::string& body) {
  Route(absl::StrCat("/v2/", repo, "/manifests/", ref),
        [media_type, body](const HttpRequestIn&, int) {
          HttpReply r;
          r.headers = {{"Content-Type", media_type}};
          r.body = body;
          return r;
        });
}

void FakeRegistry::Blob(const std::string& repo, const std::string& digest,
                        const std::string& body) {
  Route(absl::StrCat("/v2/", repo, "/blobs/", digest),
        [body](const HttpRequestIn& req, int) { return BlobReply(req, body); });
}

HttpReply FakeRegistry::BlobReply(const HttpRequestIn& req, const std::string& body) {
  HttpReply r;
  r.headers = {{"Content-Type", "application/octet-stream"}};
  std::string range = req.Header("range");
  if (range.rfind("bytes=", 0) == 0) {
    size_t from = std::stoul(range.substr(6));
    r.status = 206;
    r.headers.push_back({"Content-Range", absl::StrCat("bytes ", from, "-", body.size() - 1, "/",
                                                       body.size())});
    r.body = body.substr(from);
    return r;
  }
  r.body = body;
  return r;
}

int FakeRegistry::Hits(const std::string& path) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = hits_.find(path);
  return it == hits_.end() ? 0 : it->second;
}

HttpReply FakeRegistry::Handle(const HttpRequestIn& req) {
  testing::Route route;
  int hit = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    hit = ++hits_[req.Path()];
    auto it = routes_.find(req.Path());
    if (it != routes_.end()) route = it->second;
  }
  if (route) return route(req, hit);
  HttpReply r;
  if (req.Path() == "/v2/") return r;
  r.status = 404;
  r.headers = {{"Content-Type", "application/json"}};
  bool manifest = req.Path().find("/manifests/") != std::string::npos;
  r.body = manifest ? ErrorJson("MANIFEST_UNKNOWN", "manifest unknown")
                    : ErrorJson("BLOB_UNKNOWN", "blob unknown to registry");
  return r;
}

}  // namespace cricket::testing
