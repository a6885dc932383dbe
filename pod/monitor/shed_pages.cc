// /proc/self/smaps gives each mapping's path, permissions and its Anonymous
// (copy-on-write) size; only untouched file pages are dropped, since dropping a
// written private page would bring back the file's contents.
#include "pod/monitor/shed_pages.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace cricket::pod::monitor {
namespace {

struct Range {
  unsigned long start = 0, end = 0;
  bool candidate = false;  // ours, not writable
};

void Shed(const Range& r, long anonymous_kb) {
  if (!r.candidate || anonymous_kb != 0 || r.end <= r.start) return;
  (void)::madvise(reinterpret_cast<void*>(r.start), r.end - r.start, MADV_DONTNEED);
}

}  // namespace

void ShedStartupPages() {
  char self[4096] = {};
  if (::readlink("/proc/self/exe", self, sizeof(self) - 1) <= 0) return;
  FILE* f = std::fopen("/proc/self/smaps", "re");
  if (f == nullptr) return;
  // The ranges are only collected here: madvise while smaps is being read
  // would change what the next read returns.
  Range ranges[32];
  long anon[32] = {};
  int n = -1;
  char line[4352];
  while (std::fgets(line, sizeof(line), f) != nullptr) {
    unsigned long a, b;
    char perm[5];
    long kb;
    if (std::sscanf(line, "%lx-%lx %4s", &a, &b, perm) == 3) {
      if (++n >= 32) break;
      char* path = std::strchr(line, '/');
      if (path != nullptr) path[std::strcspn(path, "\n")] = '\0';
      ranges[n] = {a, b, perm[1] != 'w' && path != nullptr && std::strcmp(path, self) == 0};
      anon[n] = -1;  // unknown until its Anonymous line: kept
    } else if (n >= 0 && std::sscanf(line, "Anonymous: %ld kB", &kb) == 1) {
      anon[n] = kb;
    }
  }
  std::fclose(f);
  for (int i = 0; i <= n && i < 32; ++i) Shed(ranges[i], anon[i]);
}

}  // namespace cricket::pod::monitor
