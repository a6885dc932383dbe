// SIGHUP: diff the loaded config against the running one key by key (over
// the printed JSON, so every key conf/ knows is covered without a list here),
// apply the live ones to the layers that read them per call, and say which
// need a restart.
#include "cri/daemon/reload.h"

#include <systemd/sd-daemon.h>

#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "conf/config_holder.h"
#include "nlohmann/json.hpp"
#include "oci/sys/log.h"

namespace cricket::cri {
namespace {

// Keys a reload applies: exact, or every key under a prefix ending in ".".
constexpr std::string_view kLiveKeys[] = {
    "log_level",
    "registries.",
    "image.pinned_images",
    "image.signature_policy",
    "runtime.default_capabilities",
    "runtime.default_ulimits",
    "runtime.seccomp_profile",
    "runtime.log_size_max",
};

// Leaves of the printed config by key path. A registry entry is one key (a
// changed mirror says which registry, not five lines); an empty map adds
// nothing, so adding the first registry names only that registry.
void Flatten(const nlohmann::json& j, const std::string& path,
             std::map<std::string, nlohmann::json>& out) {
  bool registry_entry = absl::StartsWith(path, "registries.hosts[");
  if (!j.is_object() || registry_entry) {
    out[path] = j;
    return;
  }
  for (const auto& [k, v] : j.items()) {
    std::string child = path.empty()               ? k
                        : path == "registries.hosts" ? absl::StrCat(path, "[\"", k, "\"]")
                                                     : absl::StrCat(path, ".", k);
    Flatten(v, child, out);
  }
}

std::map<std::string, nlohmann::json> Leaves(const conf::Config& c) {
  std::map<std::string, nlohmann::json> out;
  Flatten(conf::ToJson(c), "", out);
  return out;
}

// Applies the live keys to the layers that read them per call.
void ApplyToLayers(const conf::Config& c, HandlerContext& ctx) {
  ctx.images->SetRegistries(c.registries);
  ctx.images->SetPinnedImages(c.image.pinned_images);
  // Re-read on every reload, changed path or not: the file's text is what an
  // operator edits. A bad file keeps the policy in use.
  if (absl::Status st = ctx.images->SetSignaturePolicy(c.image.signature_policy); !st.ok()) {
    sys::LogError("config reload: the signature policy in use stays",
                  {{"error", std::string(st.message())}});
  }
  pod::ContainerManager::LiveDefaults d;
  d.capabilities = c.runtime.default_capabilities;
  for (const conf::Ulimit& u : c.runtime.default_ulimits) d.ulimits.push_back({u.name, u.soft, u.hard});
  d.seccomp_path = c.runtime.seccomp_profile;
  d.log_size_max = c.runtime.log_size_max;
  ctx.containers->SetLiveDefaults(std::move(d));
}

void LogChanges(const std::vector<KeyChange>& changes) {
  if (changes.empty()) sys::LogInfo("config reloaded: no key changed");
  for (const KeyChange& ch : changes) {
    if (ch.live) {
      sys::LogInfo("config reloaded: key applied", {{"key", ch.key}});
    } else {
      sys::LogWarn("config reloaded: key needs a restart", {{"key", ch.key}});
    }
  }
}

}  // namespace

bool IsLiveKey(std::string_view key) {
  for (std::string_view live : kLiveKeys) {
    if (live.ends_with('.') ? key.starts_with(live) : key == live) return true;
  }
  return false;
}

std::vector<KeyChange> DiffConfig(const conf::Config& before, const conf::Config& after) {
  std::map<std::string, nlohmann::json> a = Leaves(before), b = Leaves(after);
  std::map<std::string, bool> keys;  // sorted union
  for (const auto& kv : a) keys[kv.first] = true;
  for (const auto& kv : b) keys[kv.first] = true;
  std::vector<KeyChange> out;
  for (const auto& kv : keys) {
    auto x = a.find(kv.first), y = b.find(kv.first);
    if (x != a.end() && y != b.end() && x->second == y->second) continue;
    out.push_back({kv.first, IsLiveKey(kv.first)});
  }
  return out;
}

conf::Config MergeLive(const conf::Config& running, const conf::Config& loaded) {
  conf::Config c = running;
  c.log_level = loaded.log_level;
  c.registries = loaded.registries;
  c.image.pinned_images = loaded.image.pinned_images;
  c.image.signature_policy = loaded.image.signature_policy;
  c.runtime.default_capabilities = loaded.runtime.default_capabilities;
  c.runtime.default_ulimits = loaded.runtime.default_ulimits;
  c.runtime.seccomp_profile = loaded.runtime.seccomp_profile;
  c.runtime.log_size_max = loaded.runtime.log_size_max;
  return c;
}

void ReloadConfig(const DaemonOptions& options, HandlerContext& ctx) {
  sd_notify(0, "RELOADING=1");
  absl::StatusOr<conf::Config> loaded = EffectiveConfig(options);
  if (!loaded.ok()) {
    sys::LogError("config reload failed: the running config stays",
                  {{"error", std::string(loaded.status().message())}});
    sd_notify(0, "READY=1");
    return;
  }
  std::shared_ptr<const conf::Config> running = ctx.current_config->Get();
  std::vector<KeyChange> changes = DiffConfig(*running, *loaded);
  conf::Config next = MergeLive(*running, *loaded);
  ApplyToLayers(next, ctx);
  // The lines below are said at the more verbose of the two levels, so
  // that turning the level down still shows what the reload did.
  auto before = sys::ParseLogLevel(running->log_level);
  auto after = sys::ParseLogLevel(next.log_level);
  bool quieter = before.ok() && after.ok() && *after > *before;
  if (after.ok() && !quieter) sys::SetLogLevel(*after);
  LogChanges(changes);
  if (after.ok() && quieter) sys::SetLogLevel(*after);
  ctx.current_config->Set(std::move(next));
  sd_notify(0, "READY=1");
}

}  // namespace cricket::cri
