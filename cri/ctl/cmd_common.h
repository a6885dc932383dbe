// Helpers the pod, container and image commands share: id prefixes over a
// connection, label flags, verbose-info trees, name filters and ordering.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cri/ctl/command.h"
#include "cri/ctl/flags.h"
#include "google/protobuf/map.h"
#include "nlohmann/json_fwd.hpp"

namespace cricket::cri::ctl {

using Resolver = std::function<absl::StatusOr<std::string>(client::Client&, const std::string&)>;

// Resolves each id with `resolve`, runs `one` on the full id and prints it.
// Stops at the first error.
absl::Status ForEachResolved(client::Client& c, const std::vector<std::string>& ids,
                             const Resolver& resolve,
                             const std::function<absl::Status(const std::string&)>& one);

// --label k=v → {k: v}; InvalidArgument for one without '='.
absl::StatusOr<std::map<std::string, std::string>> LabelsFrom(const Flags& f);

// The response's JSON with its `info` map's values parsed as JSON documents
// (kept as strings otherwise), as crictl's inspect commands print it.
absl::StatusOr<nlohmann::json> VerboseTree(
    const google::protobuf::Message& msg,
    const google::protobuf::Map<std::string, std::string>& info);

// crictl's --name/--namespace match: a regular expression search, or a plain
// substring when the pattern is not a valid expression.
bool NameMatches(const std::string& pattern, const std::string& name);

// Sorts newest first by created_at and keeps --latest (1) / --last N.
template <typename T>
absl::Status NewestFirst(std::vector<T>& items, const Flags& f) {
  std::stable_sort(items.begin(), items.end(),
                   [](const T& a, const T& b) { return a.created_at() > b.created_at(); });
  auto last = f.GetInt("last", 0);
  if (!last.ok()) return last.status();
  size_t keep = f.On("latest") ? 1 : *last > 0 ? static_cast<size_t>(*last) : items.size();
  if (items.size() > keep) items.resize(keep);
  return absl::OkStatus();
}

// "k -> v" lines of a map, sorted, for -v output.
std::string MapLines(const google::protobuf::Map<std::string, std::string>& m);

// "512m", "1g", "100000", "64Ki" → bytes (binary units, as docker's
// RAMInBytes); InvalidArgument naming --memory otherwise.
absl::StatusOr<int64_t> MemoryBytes(const std::string& text);

// The id as tables show it (13 chars) unless --no-trunc.
std::string TableId(const std::string& id, const Flags& f);

}  // namespace cricket::cri::ctl
