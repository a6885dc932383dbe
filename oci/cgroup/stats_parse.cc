// Parsers for cgroup file formats; pure and unit-tested.
#include "oci/cgroup/stats_parse.h"

#include <charconv>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace cricket::oci::cgroup {
namespace {

absl::Status Bad(const std::string& what, const std::string& text) {
  return absl::InvalidArgumentError(absl::StrCat("cannot parse ", what, " from \"", text, "\""));
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  for (absl::string_view l : absl::StrSplit(text, '\n', absl::SkipWhitespace())) {
    out.emplace_back(absl::StripAsciiWhitespace(l));
  }
  return out;
}

// "8:0" → major, minor.
bool ParseDev(absl::string_view s, uint64_t& major, uint64_t& minor) {
  std::vector<absl::string_view> mm = absl::StrSplit(s, ':');
  return mm.size() == 2 && absl::SimpleAtoi(mm[0], &major) && absl::SimpleAtoi(mm[1], &minor);
}

}  // namespace

absl::StatusOr<uint64_t> ParseUint(const std::string& text) {
  absl::string_view t = absl::StripAsciiWhitespace(text);
  if (t == "max") return kMaxValue;
  uint64_t v = 0;
  if (!absl::SimpleAtoi(t, &v)) {
    // v1 reports some unset values as -1 (e.g. cpu.cfs_quota_us): treat as unlimited.
    int64_t s = 0;
    if (absl::SimpleAtoi(t, &s) && s == -1) return kMaxValue;
    return Bad("a number", text);
  }
  return v;
}

absl::StatusOr<std::vector<uint64_t>> ParseUintList(const std::string& text) {
  std::vector<uint64_t> out;
  for (absl::string_view f : absl::StrSplit(text, absl::ByAnyChar(" \n\t"), absl::SkipEmpty())) {
    uint64_t v = 0;
    if (!absl::SimpleAtoi(f, &v)) return Bad("a list of numbers", text);
    out.push_back(v);
  }
  return out;
}

absl::StatusOr<std::map<std::string, uint64_t>> ParseFlatKeyed(const std::string& text) {
  std::map<std::string, uint64_t> out;
  for (const std::string& l : Lines(text)) {
    std::vector<absl::string_view> kv = absl::StrSplit(l, ' ', absl::SkipEmpty());
    uint64_t v = 0;
    if (kv.size() != 2 || !absl::SimpleAtoi(kv[1], &v)) return Bad("\"key value\"", l);
    out[std::string(kv[0])] = v;
  }
  return out;
}

absl::StatusOr<std::vector<BlkioEntry>> ParseBlkioV1(const std::string& text) {
  std::vector<BlkioEntry> out;
  for (const std::string& l : Lines(text)) {
    std::vector<absl::string_view> f = absl::StrSplit(l, ' ', absl::SkipEmpty());
    if (f.size() == 2 && f[0] == "Total") continue;
    BlkioEntry e;
    if (f.size() != 3 || !ParseDev(f[0], e.major, e.minor) || !absl::SimpleAtoi(f[2], &e.value)) {
      return Bad("a blkio entry", l);
    }
    e.op = std::string(f[1]);
    out.push_back(e);
  }
  return out;
}

absl::StatusOr<BlkioStats> ParseIoStatV2(const std::string& text) {
  static const std::map<std::string, std::pair<bool, std::string>> kKeys = {
      {"rbytes", {true, "Read"}},  {"wbytes", {true, "Write"}},  {"dbytes", {true, "Discard"}},
      {"rios", {false, "Read"}},   {"wios", {false, "Write"}},   {"dios", {false, "Discard"}}};
  BlkioStats out;
  for (const std::string& l : Lines(text)) {
    std::vector<absl::string_view> f = absl::StrSplit(l, ' ', absl::SkipEmpty());
    uint64_t major = 0, minor = 0;
    if (f.empty() || !ParseDev(f[0], major, minor)) return Bad("an io.stat line", l);
    for (size_t i = 1; i < f.size(); ++i) {
      std::pair<absl::string_view, absl::string_view> kv = absl::StrSplit(f[i], '=');
      auto it = kKeys.find(std::string(kv.first));
      if (it == kKeys.end()) continue;  // newer kernels add keys (cost.*); ignore them
      BlkioEntry e{major, minor, it->second.second, 0};
      if (!absl::SimpleAtoi(kv.second, &e.value)) return Bad("an io.stat value", l);
      (it->second.first ? out.io_service_bytes_recursive : out.io_serviced_recursive).push_back(e);
    }
  }
  return out;
}

std::string HugePageSizeName(uint64_t bytes) {
  static const char* kUnits[] = {"B", "KB", "MB", "GB", "TB", "PB"};
  size_t u = 0;
  while (bytes >= 1024 && bytes % 1024 == 0 && u + 1 < std::size(kUnits)) {
    bytes /= 1024;
    ++u;
  }
  return absl::StrCat(bytes, kUnits[u]);
}

}  // namespace cricket::oci::cgroup
