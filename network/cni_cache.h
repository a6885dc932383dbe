// The CNI attachment cache: per (network, container id, ifname) the config,
// arguments and result of an ADD, written atomically, so DEL and CHECK work
// after a restart or a change of the conf dir (DEL uses the cached config).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace cricket::network {

struct CacheEntry {
  std::string network_name;
  std::string container_id;
  std::string ifname;
  std::string netns;
  std::string config;  // the network config list as JSON text
  std::vector<std::pair<std::string, std::string>> cni_args;
  nlohmann::json runtime_config = nlohmann::json::object();  // all capability args
  nlohmann::json result;  // null until ADD finished
};

class CniCache {
 public:
  explicit CniCache(std::string dir) : dir_(std::move(dir)) {}

  // Creates or replaces the entry (atomic write).
  absl::Status Save(const CacheEntry& entry) const;
  // NotFound when there is no entry.
  absl::StatusOr<CacheEntry> Load(const std::string& network, const std::string& container_id,
                                  const std::string& ifname) const;
  // Every entry of a container (any network or ifname); unreadable files are
  // logged and skipped.
  std::vector<CacheEntry> ForContainer(const std::string& container_id) const;
  // Every entry.
  std::vector<CacheEntry> All() const;
  // A missing entry is fine.
  absl::Status Remove(const CacheEntry& entry) const;

  const std::string& dir() const { return dir_; }

 private:
  std::string PathFor(const std::string& network, const std::string& container_id,
                      const std::string& ifname) const;
  std::vector<CacheEntry> Scan(const std::string& must_contain) const;
  std::string dir_;
};

nlohmann::json CacheEntryToJson(const CacheEntry& entry);
absl::StatusOr<CacheEntry> CacheEntryFromJson(const std::string& text);

}  // namespace cricket::network
