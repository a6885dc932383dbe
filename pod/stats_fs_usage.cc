// fts(3) walk of a writable layer, and its per-container cache.
#include "pod/stats_fs_usage.h"

#include <fts.h>
#include <sys/stat.h>

#include <set>
#include <utility>

#include "pod/monitor/protocol/exit_file.h"

namespace cricket::pod {

FsUsageSample MeasureDir(const std::string& dir) {
  FsUsageSample u;
  u.timestamp_ns = RealtimeNs();
  std::string path = dir;
  char* roots[] = {path.data(), nullptr};
  FTS* fts = ::fts_open(roots, FTS_PHYSICAL | FTS_XDEV | FTS_NOCHDIR, nullptr);
  if (fts == nullptr) return u;
  std::set<std::pair<dev_t, ino_t>> seen;
  while (FTSENT* e = ::fts_read(fts)) {
    if (e->fts_info == FTS_DP || e->fts_statp == nullptr) continue;  // dirs come twice
    if (e->fts_info == FTS_NS || e->fts_info == FTS_ERR || e->fts_info == FTS_DNR) continue;
    const struct stat* st = e->fts_statp;
    if (!S_ISDIR(st->st_mode) && st->st_nlink > 1 && !seen.insert({st->st_dev, st->st_ino}).second) {
      continue;  // a hard link already counted
    }
    u.bytes += static_cast<uint64_t>(st->st_blocks) * 512;
    u.inodes += 1;
  }
  ::fts_close(fts);
  return u;
}

FsUsageSample FsUsageCache::Get(const std::string& key, const std::string& dir,
                                const std::string& mountpoint, int64_t now_ns) {
  {
    absl::MutexLock l(&mu_);
    auto it = cache_.find(key);
    if (it != cache_.end() && now_ns - it->second.timestamp_ns < kTtlNs &&
        now_ns >= it->second.timestamp_ns) {
      return it->second;
    }
  }
  // Walk outside the lock: other containers' lookups must not wait for it.
  FsUsageSample u = MeasureDir(dir);
  u.mountpoint = mountpoint;
  u.timestamp_ns = now_ns;
  absl::MutexLock l(&mu_);
  cache_[key] = u;
  return u;
}

void FsUsageCache::Prune(int64_t cutoff_ns) {
  absl::MutexLock l(&mu_);
  std::erase_if(cache_, [cutoff_ns](const auto& kv) { return kv.second.timestamp_ns < cutoff_ns; });
}

}  // namespace cricket::pod
