// A container as cricket keeps it: the kubelet's config, its state and
// times, what was made for it (rootfs, bundle, monitor), and how it ended.
// Persisted as JSON in the RecordStore under kind "containers".
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "absl/status/statusor.h"
#include "cri/api/api.h"
#include "pod/state.h"

namespace cricket::pod {

struct ExitRecord;  // pod/monitor/protocol/exit_file.h

struct Container : Stateful<Container, ContainerState> {
  std::string Describe() const { return "container " + id; }

  std::string id;
  std::string pod_id;
  std::string name;      // metadata.name
  std::string name_key;  // <name>_<pod name>_<pod ns>_<pod uid>_<attempt>
  int64_t created_at_ns = 0, started_at_ns = 0, finished_at_ns = 0;
  int exit_code = 0;
  std::string reason, message;
  std::string image;      // as the kubelet asked (config.image.image)
  std::string image_ref;  // what it resolved to: a repo digest, else the image id
  std::string image_id;   // "sha256:<hex>"
  std::string stop_signal;  // the config's stop_signal, else the image's ("" = SIGTERM)
  std::string log_path;     // absolute; "" when the kubelet gave none
  std::string rootfs;       // prepared by the image layer
  // Image volumes (Mount.image): container_path → image id, so RemoveImage
  // refuses an image mounted in a container.
  std::map<std::string, std::string> image_volumes;
  std::map<std::string, std::string> labels, annotations;
  runtime::v1::ContainerConfig config;
  pid_t pid = 0;          // container init
  // The identity init started with (the spec's process.user), for
  // ContainerStatus.user; uid -1 in records older than this field.
  int64_t uid = -1, gid = -1;
  std::vector<int64_t> supplemental_groups;
  pid_t monitor_pid = 0;
  // Its pod's RuntimeClass handler: "" = the built-in engine, else a name in
  // the config's runtime_handlers (kept so a restart drives the same runtime).
  std::string runtime_handler;

  nlohmann::json ToJson() const;
  static absl::StatusOr<Container> FromJson(const nlohmann::json& j);
};

// "<name>_<pod name>_<pod ns>_<pod uid>_<attempt>" (the container's attempt).
std::string ContainerNameKey(const runtime::v1::ContainerMetadata& m,
                             const runtime::v1::PodSandboxMetadata& pod);

// Applies an exit record to a Created or Running container (→ Exited).
// Returns false when the container already had an exit recorded.
bool ApplyExit(const ExitRecord& exit, Container* c);

struct ContainerFilter {
  std::string id_prefix;
  std::optional<ContainerState> state;
  std::string pod_id_prefix;
  std::map<std::string, std::string> labels;  // all must match
};

bool Matches(const ContainerFilter& f, const Container& c);

}  // namespace cricket::pod
