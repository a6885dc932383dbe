// A PullImage whose caller goes away (here its gRPC deadline passes) while a
// layer download hangs: cricketd stops the download and keeps nothing
// half-made. The image root is listed before and after; the only new files
// allowed are complete, verified blobs (the manifest and the config).
#include <chrono>
#include <filesystem>
#include <set>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "image/digest.h"
#include "tests/e2e/common/cri_e2e_fixture.h"
#include "tests/fixtures/http_server.h"
#include "tests/fixtures/partners.h"

namespace cricket::testing {
namespace {

// Every path under `dir`, relative to it.
std::set<std::string> ListTree(const std::string& dir) {
  std::set<std::string> out;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    out.insert(std::filesystem::relative(it->path(), dir).string());
  }
  return out;
}

// One image whose single layer stalls after its first 64 KiB.
struct SlowImage {
  std::string layer = std::string(1 << 20, 'l');
  std::string layer_digest = image::Sha256String(layer);
  std::string config = absl::StrCat(
      R"({"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":[")",
      layer_digest, R"("]}})");
  std::string config_digest = image::Sha256String(config);
  std::string manifest = absl::StrCat(
      R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",)",
      R"("config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":")",
      config_digest, R"(","size":)", config.size(), R"(},"layers":[{"mediaType":)",
      R"("application/vnd.oci.image.layer.v1.tar","digest":")", layer_digest, R"(","size":)",
      layer.size(), "}]}");
  std::string manifest_digest = image::Sha256String(manifest);

  HttpReply Serve(const HttpRequestIn& req) const {
    HttpReply r;
    if (req.Path() == "/v2/slow/manifests/v1") {
      r.headers = {{"Content-Type", "application/vnd.oci.image.manifest.v1+json"}};
      r.body = manifest;
    } else if (req.Path() == "/v2/slow/blobs/" + config_digest) {
      r.body = config;
    } else if (req.Path() == "/v2/slow/blobs/" + layer_digest) {
      r.body = layer;
      r.stall_after = 64 << 10;
    } else if (req.Path() != "/v2/") {
      r.status = 404;
    }
    return r;
  }
};

class PullCancelTest : public CriE2eTest {};

TEST_F(PullCancelTest, CallerDeadlineStopsThePullAndKeepsNothingHalfMade) {
  CRICKET_REQUIRE_ROOT();
  SlowImage img;
  auto reg = TinyHttpServer::Start([&img](const HttpRequestIn& req) { return img.Serve(req); });
  ASSERT_TRUE(reg.ok()) << reg.status();
  const std::string images = daemon_->dir() + "/root/images";
  const std::set<std::string> before = ListTree(images);

  cri::client::ConnectOptions co;
  co.endpoint = daemon_->endpoint();
  co.timeout = std::chrono::seconds(3);
  auto client = cri::client::Client::Connect(co);
  ASSERT_TRUE(client.ok()) << client.status();
  v1::PullImageRequest req;
  req.mutable_image()->set_image((*reg)->HostPort() + "/slow:v1");
  auto pulled = (*client)->Call((*client)->images(), &v1::ImageService::Stub::PullImage, req,
                                "PullImage");
  ASSERT_EQ(pulled.status().code(), absl::StatusCode::kDeadlineExceeded) << pulled.status();

  // cricketd's stall timer is 60 s and its partials are kept for a resume:
  // only a pull that noticed its caller leave cleans up within this wait.
  const std::set<std::string> allowed = {
      "blobs/sha256/" + img.manifest_digest.substr(7), "blobs/sha256/" + img.config_digest.substr(7)};
  std::vector<std::string> extra;
  for (int i = 0; i < 300; ++i) {
    extra.clear();
    for (const std::string& p : ListTree(images)) {
      if (!before.count(p) && !allowed.count(p)) extra.push_back(p);
    }
    if (extra.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(extra.empty()) << "left behind: " << absl::StrJoin(extra, ", ");
  // The layer was asked for once: the pull stopped instead of retrying.
  int layer_requests = 0;
  for (const HttpRequestIn& r : (*reg)->Requests()) {
    layer_requests += r.Path() == "/v2/slow/blobs/" + img.layer_digest ? 1 : 0;
  }
  EXPECT_EQ(layer_requests, 1);
  v1::ImageStatusRequest status;
  status.mutable_image()->set_image((*reg)->HostPort() + "/slow:v1");
  auto st = client_->Call(client_->images(), &v1::ImageService::Stub::ImageStatus, status,
                          "ImageStatus");
  ASSERT_TRUE(st.ok()) << st.status();
  EXPECT_FALSE(st->has_image());
}

}  // namespace
}  // namespace cricket::testing
