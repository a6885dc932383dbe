// Writable-layer usage of a container: bytes and inodes of its overlay upper
// dir, walked without crossing mounts and cached per container for a few
// seconds, so ListContainerStats over 100 containers stays cheap.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "absl/synchronization/mutex.h"

namespace cricket::pod {

struct FsUsageSample {
  std::string mountpoint;  // CRI FilesystemIdentifier: the containers dir
  uint64_t bytes = 0;      // allocated blocks, hard links counted once
  uint64_t inodes = 0;
  int64_t timestamp_ns = 0;
};

// Walks dir (physical, one filesystem). A missing dir measures 0.
FsUsageSample MeasureDir(const std::string& dir);

class FsUsageCache {
 public:
  static constexpr int64_t kTtlNs = 5'000'000'000;

  // The cached sample of key when younger than kTtlNs, else a fresh walk of dir.
  FsUsageSample Get(const std::string& key, const std::string& dir, const std::string& mountpoint,
                    int64_t now_ns);
  void Prune(int64_t cutoff_ns);

 private:
  absl::Mutex mu_;
  std::map<std::string, FsUsageSample> cache_;
};

}  // namespace cricket::pod
