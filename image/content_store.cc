// Content store: write-hash-verify-rename, with resumable partial ingests.
#include "image/content_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "image/digest.h"
#include "image/paths.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/failpoint.h"
#include "oci/sys/fds.h"
#include "oci/sys/fs.h"
#include "oci/sys/status.h"
#include "oci/sys/unique_fd.h"

namespace cricket::image {
namespace {

// After each blob (manifest, config, layer) is stored, verified and renamed.
CRICKET_DEFINE_FAILPOINT(kBlobFetched, "image.pull.blob_fetched");

absl::Status WriteAll(int fd, const char* data, size_t len, const std::string& what) {
  while (len > 0) {
    ssize_t n = ::write(fd, data, len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sys::ErrnoStatus(errno, "write %s", what);
    data += n;
    len -= static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

// Starts writeback of each few megabytes as they are written, so the disk
// works during the download and the fsync before the rename only waits for
// the tail (the kernel would otherwise keep the whole blob dirty in memory
// until then). Durability still comes from that fsync.
class WritebackKicker {
 public:
  WritebackKicker(int fd, int64_t offset) : fd_(fd), kicked_(offset), written_(offset) {}
  void Wrote(size_t len) {
    written_ += static_cast<int64_t>(len);
    if (written_ - kicked_ < kChunk) return;
    (void)::sync_file_range(fd_, kicked_, written_ - kicked_, SYNC_FILE_RANGE_WRITE);
    kicked_ = written_;
  }

 private:
  static constexpr int64_t kChunk = 8 << 20;
  int fd_;
  int64_t kicked_, written_;
};

// Feeds the first `len` bytes of fd to the verifier (to resume a partial).
absl::Status HashPrefix(int fd, int64_t len, DigestVerifier& v, const std::string& what) {
  std::string buf(1 << 20, '\0');
  int64_t off = 0;
  while (off < len) {
    ssize_t n = ::pread(fd, buf.data(), std::min<int64_t>(buf.size(), len - off), off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return sys::ErrnoStatus(n < 0 ? errno : EIO, "read partial %s", what);
    RETURN_IF_ERROR(v.Update(buf.data(), static_cast<size_t>(n)));
    off += n;
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ContentStore::Init() {
  RETURN_IF_ERROR(sys::MkdirAllWithMode(blobs_, 0700));
  return sys::MkdirAllWithMode(ingest_, 0700);
}

std::string ContentStore::BlobPath(const std::string& digest) const {
  return blobs_ + "/" + DigestHex(digest);
}

bool ContentStore::Has(const std::string& digest, int64_t size) const {
  struct stat st;
  if (::stat(BlobPath(digest).c_str(), &st) != 0) return false;
  return size < 0 || st.st_size == size;
}

absl::Status ContentStore::Ingest(const std::string& digest, int64_t size, const BlobFetch& fetch) {
  RETURN_IF_ERROR(ParseDigest(digest).status());
  return flights_.Do(digest, [&]() -> absl::Status {
    if (Has(digest, size)) return absl::OkStatus();
    absl::Status st = IngestOnce(digest, size, fetch, /*resume=*/true);
    // A partial left by a crash may hold bytes that never reached the disk
    // intact; one fresh try from offset 0 settles it.
    if (st.code() == absl::StatusCode::kDataLoss) st = IngestOnce(digest, size, fetch, false);
    RETURN_IF_ERROR(st);
    return sys::Failpoint(kBlobFetched);
  });
}

absl::Status ContentStore::IngestOnce(const std::string& digest, int64_t size,
                                      const BlobFetch& fetch, bool resume) {
  std::string partial = ingest_ + "/" + DigestHex(digest);
  absl::StatusOr<sys::UniqueFd> ingest = sys::Open(partial, O_RDWR | O_CREAT, 0600);
  if (!ingest.ok()) return sys::Annotate(ingest.status(), "ingest");
  sys::UniqueFd fd = std::move(*ingest);
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return sys::ErrnoStatus(errno, "stat %s", partial);
  int64_t offset = resume ? st.st_size : 0;
  if (size >= 0 && offset > size) offset = 0;
  if (::ftruncate(fd.get(), offset) != 0) return sys::ErrnoStatus(errno, "truncate %s", partial);
  if (::lseek(fd.get(), offset, SEEK_SET) < 0) return sys::ErrnoStatus(errno, "seek %s", partial);
  DigestVerifier verifier(digest, size);
  RETURN_IF_ERROR(HashPrefix(fd.get(), offset, verifier, partial));
  WritebackKicker kicker(fd.get(), offset);
  // A partial that already holds every byte (a crash between the last write
  // and the rename) needs no fetch: a registry answers a Range starting at
  // the end with 416, which would fail every later pull of this blob.
  absl::Status fetched =
      size >= 0 && offset == size
          ? absl::OkStatus()
          : fetch(offset, [&](const char* data, size_t len) -> absl::Status {
              RETURN_IF_ERROR(verifier.Update(data, len));
              RETURN_IF_ERROR(WriteAll(fd.get(), data, len, partial));
              kicker.Wrote(len);
              return absl::OkStatus();
            });
  if (!fetched.ok()) {
    // Keep what arrived for a resume, unless the bytes themselves are wrong
    // or the caller went away (a cancelled pull keeps nothing half-made).
    if (absl::IsDataLoss(fetched) || absl::IsCancelled(fetched)) ::unlink(partial.c_str());
    return sys::Annotate(fetched, "fetch blob %s", digest);
  }
  absl::Status verified = verifier.Verify();
  if (!verified.ok()) {
    ::unlink(partial.c_str());
    return verified;
  }
  if (::fsync(fd.get()) != 0) return sys::ErrnoStatus(errno, "fsync %s", partial);
  std::string final_path = BlobPath(digest);
  if (::fchmod(fd.get(), 0444) != 0) return sys::ErrnoStatus(errno, "chmod %s", partial);
  if (::rename(partial.c_str(), final_path.c_str()) != 0) {
    return sys::ErrnoStatus(errno, "rename %s to %s", partial, final_path);
  }
  return sys::SyncDir(blobs_);
}

absl::Status ContentStore::IngestFile(const std::string& digest, int64_t size,
                                      const std::string& path) {
  return Ingest(digest, size, [&](int64_t offset, const ByteSink& sink) -> absl::Status {
    ASSIGN_OR_RETURN(sys::UniqueFd in, sys::Open(path, O_RDONLY));
    std::string buf(1 << 20, '\0');
    for (int64_t off = offset;;) {
      ssize_t n = ::pread(in.get(), buf.data(), buf.size(), off);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return sys::ErrnoStatus(errno, "read %s", path);
      if (n == 0) return absl::OkStatus();
      RETURN_IF_ERROR(sink(buf.data(), static_cast<size_t>(n)));
      off += n;
    }
  });
}

absl::StatusOr<std::string> ContentStore::Read(const std::string& digest, int64_t max_bytes) const {
  std::string path = BlobPath(digest);
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return sys::ErrnoStatus(errno, "blob %s", digest);
  if (st.st_size > max_bytes) {
    return absl::InvalidArgumentError(absl::StrCat("blob ", digest, " is ", st.st_size,
                                                   " bytes, over the limit of ", max_bytes));
  }
  return sys::ReadFile(path);
}

absl::Status ContentStore::Remove(const std::string& digest) {
  std::string path = BlobPath(digest);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return sys::ErrnoStatus(errno, "remove blob %s", digest);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> ContentStore::List() const {
  return ListDigestDir(blobs_);
}

absl::Status ContentStore::DropIngests(const std::function<bool(const std::string&)>& keep) {
  ASSIGN_OR_RETURN(std::vector<std::string> names, sys::ListDir(ingest_));
  for (const std::string& n : names) {
    if (keep && keep("sha256:" + n)) continue;
    RETURN_IF_ERROR(sys::RemoveAll(ingest_ + "/" + n));
  }
  return absl::OkStatus();
}

}  // namespace cricket::image
