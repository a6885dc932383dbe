// Pinned images over CRI (issue 19): image.pinned_images makes ImageStatus
// and ListImages report pinned for the images it names; RemoveImage of a
// pinned image asked for by name still removes it (as CRI-O).
#include "tests/e2e/common/cri_e2e_fixture.h"
#include "tests/fixtures/busybox_registry.h"

namespace cricket::testing {
namespace {

class PinnedCriTest : public CriE2eTest {
 protected:
  void SetUp() override {
    extra_config_yaml_ = "image:\n  pinned_images: [\"*/e2e/busybox:1.0*\", \"nothing.test/*\"]\n";
    CriE2eTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ServeBusybox();  // image_ = 127.0.0.1:<port>/e2e/busybox:1.0
  }
  absl::StatusOr<v1::ImageStatusResponse> ImageStatus(const std::string& ref) {
    v1::ImageStatusRequest r;
    r.mutable_image()->set_image(ref);
    return client_->Call(client_->images(), &v1::ImageService::Stub::ImageStatus, r, "ImageStatus");
  }
  absl::Status Pull(const std::string& ref) {
    v1::PullImageRequest r;
    r.mutable_image()->set_image(ref);
    return client_->Call(client_->images(), &v1::ImageService::Stub::PullImage, r, "PullImage")
        .status();
  }
};

TEST_F(PinnedCriTest, StatusAndListReportPinnedAndRemoveStillWorks) {
  // The same image under a name no pattern matches: not pinned.
  auto other = PushBusybox(*registry_, "e2e/other", "2.0");
  ASSERT_TRUE(other.ok()) << other.status();
  ASSERT_TRUE(Pull(*other).ok());
  auto st = ImageStatus(*other);
  ASSERT_TRUE(st.ok()) << st.status();
  ASSERT_TRUE(st->has_image());
  EXPECT_FALSE(st->image().pinned());

  // Pulled under the pinned name, the image (one record, both tags) is pinned.
  ASSERT_TRUE(Pull(image_).ok());
  st = ImageStatus(image_);
  ASSERT_TRUE(st.ok()) << st.status();
  EXPECT_TRUE(st->image().pinned());
  auto list = client_->Call(client_->images(), &v1::ImageService::Stub::ListImages,
                            v1::ListImagesRequest(), "ListImages");
  ASSERT_TRUE(list.ok()) << list.status();
  ASSERT_EQ(list->images_size(), 1);
  EXPECT_TRUE(list->images(0).pinned());
  EXPECT_EQ(list->images(0).repo_tags_size(), 2);

  // An explicit RemoveImage by id takes it, pinned or not.
  v1::RemoveImageRequest rmi;
  rmi.mutable_image()->set_image(st->image().id());
  ASSERT_TRUE(client_->Call(client_->images(), &v1::ImageService::Stub::RemoveImage, rmi,
                            "RemoveImage").ok());
  st = ImageStatus(image_);
  ASSERT_TRUE(st.ok()) << st.status();
  EXPECT_FALSE(st->has_image());
}

}  // namespace
}  // namespace cricket::testing
