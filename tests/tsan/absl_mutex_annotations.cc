// TSan builds only: tells ThreadSanitizer about absl::Mutex. Debian's libabsl
// is not built with TSan, so its Mutex (atomics and futexes inside the shared
// library) creates no happens-before edge TSan can see, and every structure
// an absl::Mutex guards (the pod layer's) reports false races. The test
// binaries of a TSan build link with --wrap for the Mutex calls cricket
// makes (cmake/sanitizers.cmake) and these wrappers annotate them.
#include <sanitizer/tsan_interface.h>

#include "absl/synchronization/mutex.h"

using absl::Condition;
using absl::Duration;
using absl::Mutex;

extern "C" {
void __real__ZN4absl7debian35Mutex4LockEv(Mutex* m);
void __real__ZN4absl7debian35Mutex6UnlockEv(Mutex* m);
bool __real__ZN4absl7debian35Mutex7TryLockEv(Mutex* m);
bool __real__ZN4absl7debian35Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE(
    Mutex* m, const Condition& c, Duration d);

void __wrap__ZN4absl7debian35Mutex4LockEv(Mutex* m) {
  __tsan_mutex_pre_lock(m, 0);
  __real__ZN4absl7debian35Mutex4LockEv(m);
  __tsan_mutex_post_lock(m, 0, 0);
}

void __wrap__ZN4absl7debian35Mutex6UnlockEv(Mutex* m) {
  __tsan_mutex_pre_unlock(m, 0);
  __real__ZN4absl7debian35Mutex6UnlockEv(m);
  __tsan_mutex_post_unlock(m, 0);
}

bool __wrap__ZN4absl7debian35Mutex7TryLockEv(Mutex* m) {
  __tsan_mutex_pre_lock(m, __tsan_mutex_try_lock);
  bool ok = __real__ZN4absl7debian35Mutex7TryLockEv(m);
  __tsan_mutex_post_lock(m, ok ? __tsan_mutex_try_lock : __tsan_mutex_try_lock_failed, 0);
  return ok;
}

// Await releases the mutex while it waits and holds it again on return.
bool __wrap__ZN4absl7debian35Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE(
    Mutex* m, const Condition& c, Duration d) {
  __tsan_mutex_pre_unlock(m, 0);
  __tsan_mutex_post_unlock(m, 0);
  bool ok = __real__ZN4absl7debian35Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE(m, c, d);
  __tsan_mutex_pre_lock(m, 0);
  __tsan_mutex_post_lock(m, 0, 0);
  return ok;
}
}
