// `cricketctl pull`'s progress against cricketd (cricket.v1.Images/
// PullImageWithProgress): the stream reports every layer of a several-layer
// image with the blobs' sizes and ends with the image and its digest; the
// CLI draws bars on a terminal (through script(1)) and writes one line per
// layer state change to a pipe.
#include <grpcpp/grpcpp.h>

#include <regex>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "oci/sys/atomic_file.h"
#include "tests/e2e/ctl_stream/ctl_stream_helpers.h"
#include "tests/fixtures/image_builder.h"
#include "tests/fixtures/partners.h"

namespace cricket::testing {
namespace {

namespace cv1 = ::cricket::v1;

struct Blob {
  std::string digest;
  int64_t size = 0;
};

class CtlPullProgressTest : public CtlStreamTest {
 protected:
  void SetUp() override {
    CtlStreamTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto spec = LayeredImage();
    ASSERT_TRUE(spec.ok()) << spec.status();
    auto layout = sys::TempDir::Make("cricket-pull-layout-");
    ASSERT_TRUE(layout.ok());
    auto digest = WriteImage(layout->path(), *spec, "1.0");
    ASSERT_TRUE(digest.ok()) << digest.status();
    manifest_digest_ = *digest;
    auto body = sys::ReadFile(layout->Sub("blobs/sha256/" + digest->substr(7)));
    ASSERT_TRUE(body.ok());
    nlohmann::json m = nlohmann::json::parse(*body);
    config_digest_ = m["config"]["digest"];
    for (const auto& l : m["layers"]) layers_.push_back({l["digest"], l["size"]});
    ASSERT_GE(layers_.size(), 3u);
    ASSERT_TRUE(PushLayout(layout->path(), "1.0", *registry_, "e2e/layered", false).ok());
    ref_ = registry_->HostPort() + "/e2e/layered:1.0";
  }

  // The whole stream of one PullImageWithProgress.
  std::vector<cv1::PullImageProgress> Stream(grpc::Status* st) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(1));
    v1::PullImageRequest req;
    req.mutable_image()->set_image(ref_);
    auto reader = client_->cricket_images().PullImageWithProgress(&ctx, req);
    std::vector<cv1::PullImageProgress> out;
    cv1::PullImageProgress m;
    while (reader->Read(&m)) out.push_back(m);
    *st = reader->Finish();
    return out;
  }

  // Every layer report of the stream, in order, and the image's closing message.
  static std::vector<cv1::LayerProgress> Flat(const std::vector<cv1::PullImageProgress>& msgs) {
    std::vector<cv1::LayerProgress> out;
    for (const auto& m : msgs) out.insert(out.end(), m.layers().begin(), m.layers().end());
    return out;
  }

  std::string Short(const Blob& b) const { return b.digest.substr(0, 19); }
  std::string RepoDigest() const {
    return registry_->HostPort() + "/e2e/layered@" + manifest_digest_;
  }

  std::string ref_, manifest_digest_, config_digest_;
  std::vector<Blob> layers_;
};

TEST_F(CtlPullProgressTest, StreamReportsEveryLayerAndEndsWithTheDigest) {
  grpc::Status st;
  std::vector<cv1::PullImageProgress> msgs = Stream(&st);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_GE(msgs.size(), 2u);
  // First: every layer, in the manifest's order, waiting, with its blob's size.
  std::vector<cv1::LayerProgress> flat = Flat(msgs);
  ASSERT_GE(flat.size(), layers_.size());
  for (size_t i = 0; i < layers_.size(); i++) {
    EXPECT_EQ(flat[i].digest(), layers_[i].digest);
    EXPECT_EQ(flat[i].total(), layers_[i].size);
    EXPECT_EQ(flat[i].state(), cv1::LAYER_WAITING);
  }
  // Then each layer downloads all its bytes and ends done; states only go forward.
  for (const Blob& b : layers_) {
    std::vector<cv1::LayerState> states;
    int64_t downloaded = 0;
    for (const auto& l : flat) {
      if (l.digest() != b.digest) continue;
      EXPECT_EQ(l.total(), b.size);
      if (states.empty() || states.back() != l.state()) states.push_back(l.state());
      if (l.state() == cv1::LAYER_DOWNLOADING) downloaded = l.done();
    }
    EXPECT_EQ(states, (std::vector<cv1::LayerState>{cv1::LAYER_WAITING, cv1::LAYER_DOWNLOADING,
                                                     cv1::LAYER_UNPACKING, cv1::LAYER_DONE}))
        << b.digest;
    EXPECT_EQ(downloaded, b.size) << b.digest;
  }
  EXPECT_EQ(msgs.back().image_ref(), config_digest_);
  EXPECT_EQ(msgs.back().repo_digest(), RepoDigest());
  EXPECT_EQ(msgs.back().layers_size(), 0);

  // Again: nothing to fetch, every layer already exists, same image.
  msgs = Stream(&st);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_FALSE(msgs.empty());
  flat = Flat(msgs);
  ASSERT_EQ(flat.size(), layers_.size());
  for (size_t i = 0; i < layers_.size(); i++) {
    EXPECT_EQ(flat[i].digest(), layers_[i].digest);
    EXPECT_EQ(flat[i].state(), cv1::LAYER_ALREADY_EXISTS);
    EXPECT_EQ(flat[i].done(), layers_[i].size);
  }
  EXPECT_EQ(msgs.back().image_ref(), config_digest_);
  EXPECT_EQ(msgs.back().repo_digest(), RepoDigest());
}

TEST_F(CtlPullProgressTest, LinesToAPipeAndBarsOnATerminal) {
  CRICKET_REQUIRE_PROGRAM(script, "script");
  // Not a terminal: stdout has crictl's one result line (scripts parse it);
  // stderr one line per layer state change, no escape sequences.
  auto piped = Ctl({"pull", ref_});
  ASSERT_TRUE(piped.ok());
  ASSERT_EQ(piped->exit.code(), 0) << piped->err;
  EXPECT_EQ(piped->out, "Image is up to date for " + config_digest_ + "\n");
  EXPECT_EQ(piped->err.find('\033'), std::string::npos) << piped->err;
  for (const Blob& b : layers_) {
    std::string size = "\\([0-9.]+ (B|KiB|MiB)\\)\n";
    std::regex lines(Short(b) + ": waiting " + size + "(.*\n)*" + Short(b) + ": downloading " +
                     size + "(.*\n)*" + Short(b) + ": done " + size);
    EXPECT_TRUE(std::regex_search(piped->err, lines)) << Short(b) << "\n" << piped->err;
  }
  EXPECT_TRUE(std::regex_search(
      piped->err, std::regex("elapsed: [0-9.]+ s  total: [0-9.]+ (KiB|MiB) \\([0-9.]+ "
                             "(B|KiB|MiB)/s\\)\nDigest: " + RepoDigest() + "\n$")))
      << piped->err;

  // A terminal (script's pty): bars redrawn in place, one line per layer
  // plus the totals, the digest at the end. The layers are here by now.
  std::string line;
  for (const std::string& a : CtlArgv({"pull", ref_})) line += "'" + a + "' ";
  auto tty = sys::RunCommand({.argv = {script, "-qec", line, "/dev/null"}});
  ASSERT_TRUE(tty.ok());
  ASSERT_EQ(tty->exit.code(), 0) << tty->out << tty->err;
  EXPECT_NE(tty->out.find("[++++++++++++++++++++]"), std::string::npos) << tty->out;
  EXPECT_NE(tty->out.find(absl::StrCat("\033[", layers_.size() + 1, "A")), std::string::npos)
      << tty->out;
  for (const Blob& b : layers_) {
    EXPECT_TRUE(std::regex_search(tty->out, std::regex(Short(b) + " +already exists +\\[\\+")))
        << tty->out;
  }
  EXPECT_TRUE(std::regex_search(tty->out, std::regex("Digest: " + RepoDigest() + "\r?\n$")))
      << tty->out;

  // -q: only the id.
  EXPECT_EQ(Ctl({"pull", "-q", ref_})->out, config_digest_ + "\n");
}

}  // namespace
}  // namespace cricket::testing
