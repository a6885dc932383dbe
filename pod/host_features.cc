#include "pod/host_features.h"

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace cricket::pod {

bool RecursiveReadOnlyMountsWork() {
  // An invalid fd and no attributes: a kernel with the syscall answers EBADF
  // (or EINVAL), one without ENOSYS. Nothing is changed either way.
  static const bool works = [] {
    long r = ::syscall(SYS_mount_setattr, -1, "", AT_EMPTY_PATH, nullptr, 0);
    return !(r != 0 && errno == ENOSYS);
  }();
  return works;
}

}  // namespace cricket::pod
