// Layer dirs: temp dir → unpack → syncfs → rename → fsync parent.
#include "image/layer_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "oci/sys/log.h"
#include "image/digest.h"
#include "image/paths.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/failpoint.h"
#include "oci/sys/fds.h"
#include "oci/sys/fs.h"
#include "oci/sys/status.h"
#include "oci/sys/temp_dir.h"
#include "oci/sys/unique_fd.h"

namespace cricket::image {
namespace {

// A layer unpacked and synced in its temp dir, not yet renamed; then renamed.
CRICKET_DEFINE_FAILPOINT(kLayerUnpackedTemp, "image.pull.layer_unpacked_in_temp");
CRICKET_DEFINE_FAILPOINT(kLayerUnpacked, "image.pull.layer_unpacked");

std::string Millis(absl::Duration d) { return absl::StrCat(absl::ToInt64Milliseconds(d)); }

}  // namespace

absl::Status LayerStore::Init() { return sys::MkdirAllWithMode(dir_, 0700); }

std::string LayerStore::FsPath(const std::string& chain_id) const {
  return dir_ + "/" + DigestHex(chain_id) + "/fs";
}

bool LayerStore::Has(const std::string& chain_id) const {
  struct stat st;
  return ::stat(FsPath(chain_id).c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

absl::Status LayerStore::Ensure(const std::string& chain_id, const std::string& diff_id,
                                const std::string& blob_path, const UnpackOptions& opts) {
  RETURN_IF_ERROR(ParseDigest(chain_id).status());
  return flights_.Do(chain_id, [&]() -> absl::Status {
    if (Has(chain_id)) return absl::OkStatus();
    absl::StatusOr<sys::UniqueFd> blob_fd = sys::Open(blob_path, O_RDONLY);
    if (!blob_fd.ok()) return sys::Annotate(blob_fd.status(), "layer blob");
    sys::UniqueFd blob = std::move(*blob_fd);
    return sys::Annotate(Unpack(chain_id, diff_id, FdSource(blob.get()), opts), "unpack layer %s",
                         diff_id);
  });
}

absl::Status LayerStore::UnpackStreamed(const std::string& chain_id, const std::string& diff_id,
                                        PlainReader::Source source, const UnpackOptions& opts) {
  RETURN_IF_ERROR(ParseDigest(chain_id).status());
  if (Has(chain_id)) return absl::OkStatus();
  return sys::Annotate(Unpack(chain_id, diff_id, std::move(source), opts), "unpack layer %s",
                       diff_id);
}

absl::Status LayerStore::Unpack(const std::string& chain_id, const std::string& diff_id,
                                PlainReader::Source source, const UnpackOptions& opts) {
  ASSIGN_OR_RETURN(sys::TempDir tmp,
                   sys::TempDir::Make(".tmp-" + DigestHex(chain_id).substr(0, 12) + "-", dir_));
  std::string fs = tmp.Sub("fs");
  if (::mkdir(fs.c_str(), 0755) != 0) return sys::ErrnoStatus(errno, "mkdir %s", fs);
  // Opened before the first write: syncfs reports the writeback errors seen
  // since its fd was opened, and the unpacker starts writeback early.
  ASSIGN_OR_RETURN(sys::UniqueFd fsfd, sys::Open(fs, O_RDONLY | O_DIRECTORY));
  UnpackOptions checked = opts;
  checked.diff_id_checked = true;  // compared just below, before anything is committed
  absl::Time start = absl::Now();
  ASSIGN_OR_RETURN(std::string got, UnpackStream(std::move(source), fs, checked));
  if (got != diff_id) {
    return absl::DataLossError(absl::StrCat("uncompressed layer has digest ", got,
                                            ", the image config says ", diff_id));
  }
  absl::Time unpacked = absl::Now();
  // Everything written must be on disk before the rename makes it visible.
  if (::syncfs(fsfd.get()) != 0) return sys::ErrnoStatus(errno, "sync %s", fs);
  sys::LogDebug("layer unpacked", {{"diff_id", diff_id},
                                   {"unpack_ms", Millis(unpacked - start)},
                                   {"sync_ms", Millis(absl::Now() - unpacked)}});
  if (::chmod(tmp.path().c_str(), 0700) != 0) return sys::ErrnoStatus(errno, "chmod %s", tmp.path());
  RETURN_IF_ERROR(sys::Failpoint(kLayerUnpackedTemp));
  std::string final_dir = dir_ + "/" + DigestHex(chain_id);
  if (::rename(tmp.path().c_str(), final_dir.c_str()) != 0) {
    // Another unpack of the same layer finished first; ours is dropped with tmp.
    if ((errno == ENOTEMPTY || errno == EEXIST) && Has(chain_id)) return absl::OkStatus();
    return sys::ErrnoStatus(errno, "rename %s to %s", tmp.path(), final_dir);
  }
  tmp.Release();
  RETURN_IF_ERROR(sys::SyncDir(dir_));
  return sys::Failpoint(kLayerUnpacked);
}

absl::Status LayerStore::Remove(const std::string& chain_id) {
  // Rename first so a crash mid-delete leaves a .tmp dir (dropped on start),
  // never a half layer under its real name.
  std::string path = dir_ + "/" + DigestHex(chain_id);
  std::string doomed = dir_ + "/.tmp-rm-" + DigestHex(chain_id);
  if (::rename(path.c_str(), doomed.c_str()) != 0) {
    if (errno == ENOENT) return absl::OkStatus();
    return sys::ErrnoStatus(errno, "remove layer %s", chain_id);
  }
  return sys::RemoveAll(doomed);
}

absl::StatusOr<std::vector<std::string>> LayerStore::List() const {
  return ListDigestDir(dir_);
}

absl::Status LayerStore::DropTemps() {
  ASSIGN_OR_RETURN(std::vector<std::string> names, sys::ListDir(dir_));
  for (const std::string& n : names) {
    if (n.rfind(".tmp-", 0) == 0) RETURN_IF_ERROR(sys::RemoveAll(dir_ + "/" + n));
  }
  return absl::OkStatus();
}

}  // namespace cricket::image
