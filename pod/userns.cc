// User namespace options of pods and containers (see userns.h).
#include "pod/userns.h"

#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"

namespace cricket::pod {
namespace {

using runtime::v1::IDMapping;
using runtime::v1::NamespaceMode;
using Mappings = google::protobuf::RepeatedPtrField<IDMapping>;

constexpr int kMaxMappings = 340;  // uid_map lines the kernel accepts
constexpr uint64_t kIdLimit = uint64_t{1} << 32;

std::string Describe(const IDMapping& m) {
  return absl::StrCat("{container_id ", m.container_id(), ", host_id ", m.host_id(), ", length ",
                      m.length(), "}");
}

// The first pair of entries whose [start, start+length) overlap on one side.
absl::Status CheckOverlap(const Mappings& m, const std::string& what, bool host_side) {
  std::vector<const IDMapping*> sorted;
  for (const IDMapping& e : m) sorted.push_back(&e);
  auto start = [host_side](const IDMapping* e) -> uint64_t {
    return host_side ? e->host_id() : e->container_id();
  };
  std::sort(sorted.begin(), sorted.end(),
            [&](const IDMapping* a, const IDMapping* b) { return start(a) < start(b); });
  for (size_t i = 1; i < sorted.size(); ++i) {
    if (start(sorted[i - 1]) + sorted[i - 1]->length() > start(sorted[i])) {
      return absl::InvalidArgumentError(absl::StrCat(
          what, ": ", Describe(*sorted[i - 1]), " and ", Describe(*sorted[i]), " overlap on the ",
          host_side ? "host" : "container", " side"));
    }
  }
  return absl::OkStatus();
}

bool Maps(const Mappings& m, uint32_t id, bool host_side) {
  for (const IDMapping& e : m) {
    uint64_t start = host_side ? e.host_id() : e.container_id();
    if (id >= start && id < start + e.length()) return true;
  }
  return false;
}

std::string MapText(const Mappings& m) {
  std::string out;
  for (const IDMapping& e : m) absl::StrAppend(&out, e.container_id(), " ", e.host_id(), " ", e.length(), "\n");
  return out;
}

uint32_t HostIdOfRoot(const Mappings& m) {
  for (const IDMapping& e : m) {
    if (e.container_id() == 0) return e.host_id();
  }
  return 0;  // unreachable after ValidateIdMappings
}

}  // namespace

absl::Status ValidateIdMappings(const Mappings& m, const std::string& what) {
  if (m.empty()) return absl::InvalidArgumentError(absl::StrCat(what, ": no mappings given"));
  if (m.size() > kMaxMappings) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": ", m.size(), " mappings (the kernel takes at most ", kMaxMappings, ")"));
  }
  for (const IDMapping& e : m) {
    if (e.length() == 0) {
      return absl::InvalidArgumentError(absl::StrCat(what, ": ", Describe(e), " has length 0"));
    }
    if (uint64_t{e.container_id()} + e.length() > kIdLimit ||
        uint64_t{e.host_id()} + e.length() > kIdLimit) {
      return absl::InvalidArgumentError(absl::StrCat(what, ": ", Describe(e), " runs past 2^32"));
    }
  }
  if (absl::Status st = CheckOverlap(m, what, false); !st.ok()) return st;
  if (absl::Status st = CheckOverlap(m, what, true); !st.ok()) return st;
  if (!Maps(m, 0, false)) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": container id 0 (root) is not mapped"));
  }
  if (Maps(m, 0, true)) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": maps host id 0 (host root) into the pod"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<UsernsMaps>> PodUserns(const runtime::v1::NamespaceOption& opts) {
  if (!opts.has_userns_options()) return std::nullopt;
  const runtime::v1::UserNamespace& u = opts.userns_options();
  const std::string f = "namespace_options.userns_options";
  switch (u.mode()) {
    case NamespaceMode::NODE:
      if (!u.uids().empty() || !u.gids().empty()) {
        return absl::InvalidArgumentError(f + ": mappings given with mode NODE");
      }
      return std::nullopt;
    case NamespaceMode::POD: break;
    default:
      return absl::UnimplementedError(absl::StrCat(
          f, ": mode ", NamespaceMode_Name(u.mode()), " (only POD and NODE are supported)"));
  }
  if (opts.network() == NamespaceMode::NODE || opts.pid() == NamespaceMode::NODE ||
      opts.ipc() == NamespaceMode::NODE) {
    return absl::InvalidArgumentError(
        f + ": a pod in its own user namespace cannot use the host's network, pid or IPC namespace");
  }
  if (absl::Status st = ValidateIdMappings(u.uids(), f + ".uids"); !st.ok()) return st;
  if (absl::Status st = ValidateIdMappings(u.gids(), f + ".gids"); !st.ok()) return st;
  UsernsMaps out;
  out.uid_map = MapText(u.uids());
  out.gid_map = MapText(u.gids());
  out.root_uid = HostIdOfRoot(u.uids());
  out.root_gid = HostIdOfRoot(u.gids());
  return out;
}

absl::Status CheckContainerUserns(const runtime::v1::NamespaceOption& pod,
                                  const runtime::v1::NamespaceOption& container) {
  if (!container.has_userns_options()) return absl::OkStatus();
  runtime::v1::UserNamespace want = pod.userns_options();  // unset → NODE semantics below
  if (!pod.has_userns_options()) want.set_mode(NamespaceMode::NODE);
  if (google::protobuf::util::MessageDifferencer::Equals(want, container.userns_options())) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      "container namespace_options.userns_options differ from the pod's: a container shares the "
      "pod's user namespace");
}

}  // namespace cricket::pod
