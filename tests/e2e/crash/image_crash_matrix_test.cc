// The image crash matrix (issue 17): every `image.` failpoint cricketd
// defines is armed as a crash and as an error, its call is driven through
// CRI, cricketd is restarted, and the store must be consistent: no half
// image listed, a re-pull succeeds, a tag names one image, and after
// RemoveImage of everything no blob, layer, record, ingest or snapshot is
// left. A point without a scenario here fails the test.
#include <functional>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"
#include "tests/e2e/crash/recovery_helpers.h"
#include "tests/fixtures/busybox_registry.h"
#include "tests/fixtures/image_builder.h"

namespace cricket::testing {
namespace {

class ImageCrashMatrixTest : public RecoveryE2eTest {
 protected:
  void SetUp() override {
    CriE2eTest::SetUp();  // no pull: each scenario starts from an empty store
    if (IsSkipped() || HasFatalFailure()) return;
    ServeBusybox();
  }

  absl::Status Pull(const std::string& ref) {
    v1::PullImageRequest r;
    r.mutable_image()->set_image(ref);
    return client_->Call(client_->images(), &v1::ImageService::Stub::PullImage, r, "PullImage")
        .status();
  }
  absl::Status Remove(const std::string& ref) {
    v1::RemoveImageRequest r;
    r.mutable_image()->set_image(ref);
    return client_->Call(client_->images(), &v1::ImageService::Stub::RemoveImage, r, "RemoveImage")
        .status();
  }
  absl::StatusOr<v1::ListImagesResponse> List() {
    return client_->Call(client_->images(), &v1::ImageService::Stub::ListImages,
                         v1::ListImagesRequest(), "ListImages");
  }
  // busybox with another command (another config, so another image id)
  // pushed as e2e/tagged:t: pulling it moves the tag from the previous image.
  void PushTagged(bool variant) {
    auto layout = sys::TempDir::Make("cricket-e2e-layout-");
    ASSERT_TRUE(layout.ok());
    auto spec = BusyboxImage();
    ASSERT_TRUE(spec.ok());
    if (variant) spec->cmd = {"/bin/true"};
    ASSERT_TRUE(WriteImage(layout->path(), *spec, "t").ok());
    ASSERT_TRUE(PushLayout(layout->path(), "t", *registry_, "e2e/tagged", false).ok());
  }
  std::string Tagged() const { return registry_->HostPort() + "/e2e/tagged:t"; }

  // What runs before the point is armed, and the call that reaches it.
  struct Scenario {
    std::function<void()> prepare;
    std::function<absl::Status()> act;
  };
  std::map<std::string, Scenario> Scenarios();
  void RunOne(const std::string& point, const std::string& action, const Scenario& s);
  void ExpectConsistentThenEmpty(const std::string& what);

  std::string Images() const { return daemon_->dir() + "/root/images"; }
};

std::map<std::string, ImageCrashMatrixTest::Scenario> ImageCrashMatrixTest::Scenarios() {
  auto pull = [this] { return Pull(image_); };
  auto pulled = [this] { ASSERT_TRUE(Pull(image_).ok()); };
  auto remove = [this] { return Remove(image_); };
  Scenario pulling{[] {}, pull};
  Scenario removing{pulled, remove};
  return {
      {"image.pull.blob_fetched", pulling},
      {"image.pull.layer_unpacked_in_temp", pulling},
      {"image.pull.layer_unpacked", pulling},
      {"image.pull.record_written", pulling},
      {"image.remove.record_deleted", removing},
      {"image.gc.blob_removed", removing},
      {"image.gc.layer_removed", removing},
      {"image.tag.new_holder_written",
       {[this] {
          PushTagged(false);
          ASSERT_TRUE(Pull(Tagged()).ok());
          PushTagged(true);
        },
        [this] { return Pull(Tagged()); }}},
  };
}

void ImageCrashMatrixTest::RunOne(const std::string& point, const std::string& action,
                                  const Scenario& s) {
  SCOPED_TRACE(point + "=" + action);
  s.prepare();
  ASSERT_FALSE(HasFatalFailure());
  KillAndRestartWith({"CRICKET_FAILPOINTS=" + point + "=" + action});
  ASSERT_FALSE(HasFatalFailure());
  absl::Status st = s.act();
  if (action == "crash") {
    EXPECT_TRUE(restarted_->WaitFor(std::chrono::seconds(20)).ok())
        << "cricketd did not crash at " << point << " (call: " << st << ")";
  } else {
    // The call may still succeed: a streamed unpack that fails is redone
    // from the stored blob, as it would be after any unpack error.
    EXPECT_NE(sys::ReadFile(RestartLog()).value_or("").find("failpoint=" + point),
              std::string::npos)
        << point << " was not reached by its call (" << st << ")";
  }
  KillAndRestartWith({});
  ASSERT_FALSE(HasFatalFailure());
  ExpectConsistentThenEmpty(point + "=" + action);
}

void ImageCrashMatrixTest::ExpectConsistentThenEmpty(const std::string& what) {
  auto list = List();
  ASSERT_TRUE(list.ok()) << list.status();
  std::map<std::string, int> tag_holders;
  for (const auto& img : list->images()) {
    v1::ImageStatusRequest r;
    r.mutable_image()->set_image(img.id());
    auto st = client_->Call(client_->images(), &v1::ImageService::Stub::ImageStatus, r,
                            "ImageStatus");
    ASSERT_TRUE(st.ok()) << st.status();
    EXPECT_TRUE(st->has_image()) << "half image " << img.id();
    for (const auto& t : img.repo_tags()) tag_holders[t]++;
  }
  for (const auto& [tag, n] : tag_holders) EXPECT_EQ(n, 1) << tag << " names " << n << " images";
  EXPECT_TRUE(Pull(image_).ok()) << "re-pull after " << what;
  list = List();
  ASSERT_TRUE(list.ok()) << list.status();
  for (const auto& img : list->images()) EXPECT_TRUE(Remove(img.id()).ok()) << img.id();
  for (const char* sub : {"blobs/sha256", "layers", "ingest", "records", "containers"}) {
    auto left = sys::ListDir(Images() + "/" + sub);
    ASSERT_TRUE(left.ok()) << left.status();
    EXPECT_TRUE(left->empty()) << sub << " after " << what << ": " << left->front();
  }
}

TEST_F(ImageCrashMatrixTest, EveryImagePointAsCrashAndAsErrorLeavesAConsistentStore) {
  auto names = RunCricketd({"failpoints"}, std::chrono::seconds(10));
  ASSERT_TRUE(names.ok()) << names.status();
  std::map<std::string, Scenario> scenarios = Scenarios();
  int points = 0;
  for (absl::string_view name : absl::StrSplit(names->out, '\n', absl::SkipEmpty())) {
    if (!absl::StartsWith(name, "image.")) continue;
    ++points;
    auto it = scenarios.find(std::string(name));
    if (it == scenarios.end()) {
      ADD_FAILURE() << "failpoint " << name << " has no scenario in the image crash matrix";
      continue;
    }
    for (const char* action : {"crash", "error"}) {
      RunOne(it->first, action, it->second);
      if (HasFatalFailure()) return;
    }
  }
  EXPECT_GT(points, 0);
  std::printf("image crash matrix: %d points x {crash, error}\n", points);
}

}  // namespace
}  // namespace cricket::testing
