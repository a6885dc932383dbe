#include "pod/host_features.h"

#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

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

bool IdMappedMountsWork() {
  // Whether a filesystem can be id-mapped is only known by trying on it (the
  // engine does, with a clear error); what the kernel offers is its version.
  static const bool works = [] {
    struct utsname u;
    int major = 0, minor = 0;
    if (::uname(&u) != 0 || std::sscanf(u.release, "%d.%d", &major, &minor) != 2) return false;
    return RecursiveReadOnlyMountsWork() && (major > 5 || (major == 5 && minor >= 19));
  }();
  return works;
}

}  // namespace cricket::pod
