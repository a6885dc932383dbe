// Content store: verified ingest, resume after an interruption, a bad
// partial, shared concurrent downloads, removal.
#include "image/content_store.h"

#include <sys/stat.h>

#include <atomic>
#include <thread>

#include "gtest/gtest.h"
#include "image/digest.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/status.h"
#include "oci/sys/temp_dir.h"

namespace cricket::image {
namespace {

class ContentStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = sys::TempDir::Make("cs-", "/var/tmp");
    ASSERT_TRUE(t.ok());
    tmp_ = std::make_unique<sys::TempDir>(std::move(*t));
    store_ = std::make_unique<ContentStore>(tmp_->Sub("blobs/sha256"), tmp_->Sub("ingest"));
    ASSERT_TRUE(store_->Init().ok());
  }
  // Serves `data` from the offset asked for, stopping after `limit` bytes.
  static BlobFetch Serve(const std::string& data, std::atomic<int>* calls = nullptr,
                         size_t limit = std::string::npos, int64_t* offset_seen = nullptr) {
    return [=](int64_t off, const ByteSink& sink) -> absl::Status {
      if (calls) ++*calls;
      if (offset_seen) *offset_seen = off;
      std::string part = data.substr(off);
      if (part.size() > limit) {
        RETURN_IF_ERROR(sink(part.data(), limit));
        return absl::UnavailableError("connection reset");
      }
      return sink(part.data(), part.size());
    };
  }
  std::unique_ptr<sys::TempDir> tmp_;
  std::unique_ptr<ContentStore> store_;
};

TEST_F(ContentStoreTest, IngestVerifiesAndCommits) {
  std::string data(300000, 'z');
  std::string d = Sha256String(data);
  ASSERT_TRUE(store_->Ingest(d, data.size(), Serve(data)).ok());
  EXPECT_TRUE(store_->Has(d, data.size()));
  EXPECT_FALSE(store_->Has(d, 1));
  EXPECT_EQ(*store_->Read(d, 1 << 20), data);
  EXPECT_EQ(store_->Read(d, 10).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(sys::ListDir(tmp_->Sub("ingest"))->empty());
  auto listed = store_->List();
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(*listed, std::vector<std::string>{d});
  // Present: no fetch at all.
  std::atomic<int> calls{0};
  ASSERT_TRUE(store_->Ingest(d, data.size(), Serve(data, &calls)).ok());
  EXPECT_EQ(calls, 0);
  ASSERT_TRUE(store_->Remove(d).ok());
  EXPECT_FALSE(store_->Has(d));
}

TEST_F(ContentStoreTest, WrongBytesAreDataLossAndLeaveNothing) {
  std::string d = Sha256String("right");
  absl::Status st = store_->Ingest(d, 5, Serve("wrong"));
  EXPECT_EQ(st.code(), absl::StatusCode::kDataLoss) << st;
  EXPECT_FALSE(store_->Has(d));
  EXPECT_TRUE(sys::ListDir(tmp_->Sub("ingest"))->empty());
  st = store_->Ingest(d, 5, Serve("right and more"));
  EXPECT_EQ(st.code(), absl::StatusCode::kDataLoss) << st;
  st = store_->Ingest(d, 5, Serve("rig"));
  EXPECT_EQ(st.code(), absl::StatusCode::kDataLoss) << st;
  EXPECT_EQ(store_->Ingest("sha256:nothex", 1, Serve("x")).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(ContentStoreTest, ResumesAnInterruptedIngest) {
  std::string data;
  for (int i = 0; i < 50000; ++i) data += std::to_string(i);
  std::string d = Sha256String(data);
  absl::Status st = store_->Ingest(d, data.size(), Serve(data, nullptr, 1000));
  EXPECT_EQ(st.code(), absl::StatusCode::kUnavailable);
  EXPECT_FALSE(store_->Has(d));
  int64_t offset = -1;
  ASSERT_TRUE(store_->Ingest(d, data.size(), Serve(data, nullptr, std::string::npos, &offset)).ok());
  EXPECT_EQ(offset, 1000);
  EXPECT_EQ(*store_->Read(d, 1 << 20), data);
}

TEST_F(ContentStoreTest, BadPartialIsRefetchedFromZero) {
  std::string data(5000, 'q');
  std::string d = Sha256String(data);
  // A partial whose bytes did not survive (e.g. a crash before they hit disk).
  ASSERT_TRUE(sys::WriteFileAtomic(tmp_->Sub("ingest/") + d.substr(7), std::string(100, '\0')).ok());
  std::atomic<int> calls{0};
  ASSERT_TRUE(store_->Ingest(d, data.size(), Serve(data, &calls)).ok());
  EXPECT_EQ(calls, 2);  // resumed at 100 → digest mismatch → from 0
  EXPECT_EQ(*store_->Read(d, 1 << 20), data);
}

TEST_F(ContentStoreTest, ConcurrentIngestsShareOneDownload) {
  std::string data(1 << 20, 'c');
  std::string d = Sha256String(data);
  std::atomic<int> calls{0};
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (store_->Ingest(d, data.size(), Serve(data, &calls)).ok()) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 8);
  EXPECT_EQ(calls, 1);
}

TEST_F(ContentStoreTest, DropIngestsKeepsWhatIsAsked) {
  ASSERT_TRUE(sys::WriteFileAtomic(tmp_->Sub("ingest/") + std::string(64, 'a'), "x").ok());
  ASSERT_TRUE(sys::WriteFileAtomic(tmp_->Sub("ingest/") + std::string(64, 'b'), "x").ok());
  ASSERT_TRUE(store_->DropIngests([](const std::string& d) { return d.back() == 'a'; }).ok());
  EXPECT_EQ(*sys::ListDir(tmp_->Sub("ingest")), std::vector<std::string>{std::string(64, 'a')});
}

}  // namespace
}  // namespace cricket::image
