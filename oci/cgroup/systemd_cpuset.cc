// The cpuset as systemd unit properties (systemd.h: SystemdCpusetProperties).
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "oci/cgroup/systemd.h"
#include "oci/sys/status.h"

namespace cricket::oci::cgroup {
namespace {

// Far above any machine's cpu or node count; bounds the mask's size.
constexpr uint32_t kMaxIndex = 8191;

// "0-3,5" → bytes with bits 0..3 and 5 set. "" → empty mask.
absl::StatusOr<std::vector<uint8_t>> ListMask(const std::string& what, const std::string& list) {
  std::vector<uint8_t> mask;
  for (absl::string_view part : absl::StrSplit(list, ',', absl::SkipWhitespace())) {
    part = absl::StripAsciiWhitespace(part);
    std::vector<absl::string_view> ends = absl::StrSplit(part, absl::MaxSplits('-', 1));
    uint32_t lo = 0, hi = 0;
    if (!absl::SimpleAtoi(ends[0], &lo) ||
        !absl::SimpleAtoi(ends.size() == 2 ? ends[1] : ends[0], &hi) || lo > hi || hi > kMaxIndex) {
      return absl::InvalidArgumentError(
          absl::StrCat("cpuset ", what, " \"", list, "\": bad range \"", part, "\""));
    }
    if (mask.size() <= hi / 8) mask.resize(hi / 8 + 1, 0);
    for (uint32_t i = lo; i <= hi; ++i) mask[i / 8] |= static_cast<uint8_t>(1u << (i % 8));
  }
  return mask;
}

}  // namespace

absl::StatusOr<ByteMaskProperties> SystemdCpusetProperties(const Resources& r) {
  ByteMaskProperties p;
  if (!r.cpu) return p;
  // An empty list is systemd's "no restriction", as the file's "".
  if (r.cpu->cpus) {
    ASSIGN_OR_RETURN(std::vector<uint8_t> m, ListMask("cpus", *r.cpu->cpus));
    p.emplace_back("AllowedCPUs", std::move(m));
  }
  if (r.cpu->mems) {
    ASSIGN_OR_RETURN(std::vector<uint8_t> m, ListMask("mems", *r.cpu->mems));
    p.emplace_back("AllowedMemoryNodes", std::move(m));
  }
  return p;
}

}  // namespace cricket::oci::cgroup
