// File layout: <dir>/results/<network>-<container id>-<ifname>, one JSON
// document each (libcni's layout, our own fields).
#include "network/cni_cache.h"

#include <unistd.h>

#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"

namespace cricket::network {
namespace {

using nlohmann::json;
constexpr char kKind[] = "cricketCniCacheV1";

bool SafeComponent(const std::string& s) {
  return !s.empty() && s.find('/') == std::string::npos && s != "." && s != "..";
}

}  // namespace

json CacheEntryToJson(const CacheEntry& e) {
  json args = json::array();
  for (const auto& [k, v] : e.cni_args) args.push_back({k, v});
  return {{"kind", kKind},         {"networkName", e.network_name},
          {"containerId", e.container_id}, {"ifName", e.ifname},
          {"netns", e.netns},      {"config", e.config},
          {"cniArgs", args},       {"runtimeConfig", e.runtime_config},
          {"result", e.result}};
}

absl::StatusOr<CacheEntry> CacheEntryFromJson(const std::string& text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || j.value("kind", json()) != kKind) {
    return absl::DataLossError("not a cricket CNI cache entry");
  }
  try {
    CacheEntry e;
    e.network_name = j.at("networkName").get<std::string>();
    e.container_id = j.at("containerId").get<std::string>();
    e.ifname = j.at("ifName").get<std::string>();
    e.netns = j.value("netns", "");
    e.config = j.at("config").get<std::string>();
    for (const auto& kv : j.value("cniArgs", json::array())) {
      e.cni_args.emplace_back(kv.at(0).get<std::string>(), kv.at(1).get<std::string>());
    }
    e.runtime_config = j.value("runtimeConfig", json::object());
    e.result = j.value("result", json());
    return e;
  } catch (const json::exception& ex) {
    return absl::DataLossError(absl::StrCat("CNI cache entry: ", ex.what()));
  }
}

std::string CniCache::PathFor(const std::string& network, const std::string& id,
                              const std::string& ifname) const {
  return absl::StrCat(dir_, "/results/", network, "-", id, "-", ifname);
}

absl::Status CniCache::Save(const CacheEntry& e) const {
  if (!SafeComponent(e.network_name) || !SafeComponent(e.container_id) ||
      !SafeComponent(e.ifname)) {
    return absl::InvalidArgumentError(absl::StrCat("CNI cache key ", e.network_name, "/",
                                                   e.container_id, "/", e.ifname,
                                                   " is not usable as a file name"));
  }
  RETURN_IF_ERROR(sys::MkdirAll(dir_ + "/results", 0700));
  std::string path = PathFor(e.network_name, e.container_id, e.ifname);
  return sys::Annotate(sys::WriteFileAtomic(path, CacheEntryToJson(e).dump(), 0600),
                       "write CNI cache %s", path);
}

absl::StatusOr<CacheEntry> CniCache::Load(const std::string& network, const std::string& id,
                                          const std::string& ifname) const {
  std::string path = PathFor(network, id, ifname);
  ASSIGN_OR_RETURN(std::string text, sys::ReadFile(path));
  auto e = CacheEntryFromJson(text);
  if (!e.ok()) return sys::Annotate(e.status(), "read CNI cache %s", path);
  return e;
}

std::vector<CacheEntry> CniCache::Scan(const std::string& must_contain) const {
  std::vector<CacheEntry> out;
  auto names = sys::ListDir(dir_ + "/results");
  if (!names.ok()) return out;
  for (const auto& name : *names) {
    if (name.find(must_contain) == std::string::npos || name.find(".tmp") != std::string::npos) {
      continue;
    }
    std::string path = dir_ + "/results/" + name;
    auto text = sys::ReadFile(path);
    auto e = text.ok() ? CacheEntryFromJson(*text) : absl::StatusOr<CacheEntry>(text.status());
    if (!e.ok()) {
      sys::LogWarn("skipping CNI cache file", {{"file", path}, {"error", e.status().ToString()}});
      continue;
    }
    out.push_back(std::move(*e));
  }
  return out;
}

std::vector<CacheEntry> CniCache::ForContainer(const std::string& container_id) const {
  std::vector<CacheEntry> out;
  for (auto& e : Scan("-" + container_id + "-")) {
    if (e.container_id == container_id) out.push_back(std::move(e));
  }
  return out;
}

std::vector<CacheEntry> CniCache::All() const { return Scan(""); }

absl::Status CniCache::Remove(const CacheEntry& e) const {
  std::string path = PathFor(e.network_name, e.container_id, e.ifname);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return sys::ErrnoStatus(errno, "remove CNI cache %s", path);
  }
  return absl::OkStatus();
}

}  // namespace cricket::network
