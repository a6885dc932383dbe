// Test images built in memory (layers, config, manifest, optional index) and
// a fake registry::Client serving them, counting what it was asked for.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "image/image_service.h"
#include "image/registry/client.h"
#include "tests/fixtures/layer_tar.h"

namespace cricket::image::test {

struct FakeImage {
  std::vector<std::string> layers;  // compressed blobs
  std::vector<std::string> diff_ids;
  std::string config, config_digest;
  std::string manifest, manifest_digest;
};

// Layers from entry lists (gzip); config with the given Cmd.
FakeImage BuildImage(const std::vector<std::vector<testing::TarEntry>>& layers,
                     const std::string& cmd = "sh");
// An OCI index pointing at `amd64` for linux/amd64 and `arm64` for linux/arm64.
std::string BuildIndex(const FakeImage& amd64, const FakeImage& arm64);

class FakeClient : public registry::Client {
 public:
  struct Store {
    std::mutex mu;
    std::map<std::string, std::pair<std::string, std::string>> manifests;  // ref → type, body
    std::map<std::string, std::string> blobs;                             // digest → bytes
    std::atomic<int> manifest_gets{0}, blob_gets{0};
    void Add(const std::string& tag, const FakeImage& img);
  };
  explicit FakeClient(Store* s) : s_(s) {}
  absl::StatusOr<registry::Manifest> GetManifest(const Reference& ref,
                                                 const std::string& tag_or_digest) override;
  absl::Status FetchBlob(const Reference& ref, const std::string& digest, int64_t size,
                         int64_t offset, const registry::BlobSink& sink) override;

 private:
  Store* s_;
};

// An ImageService for linux/amd64 whose registry client is a FakeClient on `store`.
absl::StatusOr<std::unique_ptr<ImageService>> OpenWithFake(const conf::Config& config,
                                                           FakeClient::Store* store);

}  // namespace cricket::image::test
