// In-memory images and a fake registry client for ImageService unit tests.
#include "tests/unit/image/fake_image_helpers.h"

#include <nlohmann/json.hpp>

#include "image/digest.h"
#include "image/manifest.h"

namespace cricket::image::test {

FakeImage BuildImage(const std::vector<std::vector<testing::TarEntry>>& layers,
                     const std::string& cmd) {
  FakeImage img;
  nlohmann::json m = {{"schemaVersion", 2}, {"mediaType", kMediaOciManifest}};
  m["layers"] = nlohmann::json::array();
  for (const auto& entries : layers) {
    std::string plain = *testing::MakeTar(entries);
    img.diff_ids.push_back(Sha256String(plain));
    img.layers.push_back(*testing::MakeTar(entries, testing::TarCompression::kGzip));
    m["layers"].push_back({{"mediaType", "application/vnd.oci.image.layer.v1.tar+gzip"},
                           {"digest", Sha256String(img.layers.back())},
                           {"size", img.layers.back().size()}});
  }
  nlohmann::json c = {{"architecture", "amd64"}, {"os", "linux"},
                      {"config", {{"Cmd", {cmd}}, {"User", "1000"}}},
                      {"rootfs", {{"type", "layers"}, {"diff_ids", img.diff_ids}}}};
  img.config = c.dump();
  img.config_digest = Sha256String(img.config);
  m["config"] = {{"mediaType", kMediaOciConfig}, {"digest", img.config_digest},
                 {"size", img.config.size()}};
  img.manifest = m.dump();
  img.manifest_digest = Sha256String(img.manifest);
  return img;
}

std::string BuildIndex(const FakeImage& amd64, const FakeImage& arm64) {
  auto entry = [](const FakeImage& i, const char* arch) {
    return nlohmann::json{{"mediaType", kMediaOciManifest},
                          {"digest", i.manifest_digest},
                          {"size", i.manifest.size()},
                          {"platform", {{"os", "linux"}, {"architecture", arch}}}};
  };
  nlohmann::json idx = {{"schemaVersion", 2}, {"mediaType", kMediaOciIndex},
                        {"manifests", {entry(arm64, "arm64"), entry(amd64, "amd64")}}};
  return idx.dump();
}

void FakeClient::Store::Add(const std::string& tag, const FakeImage& img) {
  std::lock_guard lock(mu);
  manifests[tag] = {kMediaOciManifest, img.manifest};
  manifests[img.manifest_digest] = {kMediaOciManifest, img.manifest};
  blobs[img.config_digest] = img.config;
  for (const std::string& l : img.layers) blobs[Sha256String(l)] = l;
}

absl::StatusOr<registry::Manifest> FakeClient::GetManifest(const Reference&,
                                                           const std::string& tag_or_digest) {
  ++s_->manifest_gets;
  std::lock_guard lock(s_->mu);
  auto it = s_->manifests.find(tag_or_digest);
  if (it == s_->manifests.end()) return absl::NotFoundError("manifest unknown: " + tag_or_digest);
  return registry::Manifest{it->second.first, Sha256String(it->second.second), it->second.second};
}

absl::Status FakeClient::FetchBlob(const Reference&, const std::string& digest, int64_t,
                                   int64_t offset, const registry::BlobSink& sink) {
  ++s_->blob_gets;
  std::string body;
  {
    std::lock_guard lock(s_->mu);
    auto it = s_->blobs.find(digest);
    if (it == s_->blobs.end()) return absl::NotFoundError("blob unknown: " + digest);
    body = it->second;
  }
  return sink(body.data() + offset, body.size() - offset);
}

absl::StatusOr<std::unique_ptr<ImageService>> OpenWithFake(const conf::Config& config,
                                                           FakeClient::Store* store) {
  ImageService::Options o;
  o.platform = {"linux", "amd64", ""};
  o.client_factory = [store](const Reference&, const registry::Credentials&)
      -> absl::StatusOr<std::unique_ptr<registry::Client>> {
    return std::make_unique<FakeClient>(store);
  };
  return ImageService::Open(config, o);
}

}  // namespace cricket::image::test
