// What StatusResponse tells the kubelet about handlers and features: one
// place, so that each handler a config names (RuntimeClass handlers) is
// listed with the features that really work through it.
#pragma once

#include <string>
#include <vector>

#include "conf/config.h"
#include "cri/api/api.h"

namespace cricket::cri {

struct RuntimeHandlerInfo {
  std::string name;  // "" is the default handler
  bool recursive_read_only_mounts = false;
  bool user_namespaces = false;
};

// Every handler the config offers: the default ("", the built-in engine)
// first, then the configured external OCI runtimes (conf runtime_handlers).
std::vector<RuntimeHandlerInfo> ConfiguredRuntimeHandlers(const conf::Config& config);

// StatusResponse.runtime_handlers and .features.
void FillRuntimeFeatures(const conf::Config& config, runtime::v1::StatusResponse* resp);

}  // namespace cricket::cri
