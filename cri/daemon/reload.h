// Reload on SIGHUP (issue 19): re-read the config files, apply the keys that
// can change while containers run, name the ones that need a restart, and
// keep the running config when the new one is invalid.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "conf/config.h"
#include "cri/daemon/options.h"
#include "cri/service/handler_context.h"

namespace cricket::cri {

// One key whose value differs between two configs.
struct KeyChange {
  // As `cricketd config` prints it: "log_level", "runtime.default_capabilities",
  // "registries.hosts[\"docker.io\"]" (a registry entry is one key).
  std::string key;
  bool live = false;  // a reload applies it; false: it takes a restart
  bool operator==(const KeyChange&) const = default;
};

// Whether a reload applies `key`: log_level, registries.* (mirrors, auth
// file, TLS files, timeouts: read per pull), image.pinned_images, and the
// runtime defaults that only new containers read (capabilities, ulimits,
// seccomp profile, log size cap).
bool IsLiveKey(std::string_view key);

// Pure: the keys whose values differ, in the printed config's order.
std::vector<KeyChange> DiffConfig(const conf::Config& before, const conf::Config& after);

// Pure: `running` with the live keys taken from `loaded`. What is in effect
// after a reload (restart-only keys keep their running values, so the next
// reload names them again).
conf::Config MergeLive(const conf::Config& running, const conf::Config& loaded);

// Loads the config as start-up did (files, drop-ins, flag overrides). On an
// error, logs it (the loader names file:line) and changes nothing. Else
// applies the live keys to ctx's layers and ctx.current_config, logging one
// line per changed key: applied, or needs a restart. Running containers are
// not touched.
void ReloadConfig(const DaemonOptions& options, HandlerContext& ctx);

}  // namespace cricket::cri
