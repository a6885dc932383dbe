// ImageFsInfo: bytes and inodes of the image store and of the containers'
// writable layers.
#include "cri/service/image_handlers.h"
#include "oci/sys/status.h"

namespace cricket::cri {
namespace {

void Fill(int64_t ts, const image::FsUsage& u, v1::FilesystemUsage* out) {
  out->set_timestamp(ts);
  out->mutable_fs_id()->set_mountpoint(u.path);
  out->mutable_used_bytes()->set_value(static_cast<uint64_t>(u.bytes));
  out->mutable_inodes_used()->set_value(static_cast<uint64_t>(u.inodes));
}

}  // namespace

absl::Status ImageHandlers::ImageFsInfo(const v1::ImageFsInfoRequest& req,
                                        v1::ImageFsInfoResponse* resp) {
  ASSIGN_OR_RETURN(image::ImageFsUsage u, ctx().images->FsInfo());
  Fill(u.timestamp_ns, u.images, resp->add_image_filesystems());
  Fill(u.timestamp_ns, u.containers, resp->add_container_filesystems());
  return absl::OkStatus();
}

}  // namespace cricket::cri
