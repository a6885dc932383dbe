// errno → status code mapping, and context annotation.
#include "oci/sys/status.h"

#include <cstring>

namespace cricket::sys {

absl::StatusCode CodeFromErrno(int err) {
  switch (err) {
    case 0: return absl::StatusCode::kOk;
    case ENOENT: case ESRCH: case ENXIO: case ENODEV: return absl::StatusCode::kNotFound;
    case EEXIST: case ENOTEMPTY: return absl::StatusCode::kAlreadyExists;
    case EPERM: case EACCES: case EROFS: return absl::StatusCode::kPermissionDenied;
    case ENOSPC: case EDQUOT: case EMFILE: case ENFILE: case ENOMEM: case EAGAIN:
      return absl::StatusCode::kResourceExhausted;
    case EINVAL: case ENAMETOOLONG: case ENOTDIR: case EISDIR: case ELOOP: case EXDEV:
    case E2BIG: case ENOEXEC:
      return absl::StatusCode::kInvalidArgument;
    case ETIMEDOUT: return absl::StatusCode::kDeadlineExceeded;
    case EBUSY: case ECONNREFUSED: case ECONNRESET: case EPIPE: case EHOSTUNREACH:
    case ENETUNREACH: case EINTR:
      return absl::StatusCode::kUnavailable;
    case ENOSYS: case EOPNOTSUPP: return absl::StatusCode::kUnimplemented;
    case EIO: return absl::StatusCode::kDataLoss;
    default: return absl::StatusCode::kUnknown;
  }
}

absl::Status ErrnoStatus(int err, std::string_view what) {
  const char* name = strerrorname_np(err);
  return absl::Status(CodeFromErrno(err),
                      absl::StrCat(std::string(what), ": ", name ? name : "errno", " (", strerror(err), ")"));
}

absl::Status Annotate(const absl::Status& st, std::string_view context) {
  if (st.ok()) return st;
  return absl::Status(st.code(), absl::StrCat(std::string(context), ": ", st.message()));
}

}  // namespace cricket::sys
