// CRI log line parsing, as the kubelet reads the lines.
#include "cri/wire/cri_log.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace cricket::cri::wire {
namespace {

absl::Status Bad(std::string_view line, const std::string& why) {
  return absl::InvalidArgumentError(
      absl::StrCat("log line \"", std::string(line.substr(0, 80)), "\": ", why));
}

}  // namespace

absl::StatusOr<int64_t> ParseRfc3339(std::string_view text) {
  absl::Time t;
  std::string err;
  if (!absl::ParseTime(absl::RFC3339_full, absl::string_view(text.data(), text.size()), &t,
                       &err)) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", std::string(text), "\" is not an RFC3339 time: ", err));
  }
  return absl::ToUnixNanos(t);
}

absl::StatusOr<CriLogLine> ParseCriLogLine(std::string_view line) {
  size_t a = line.find(' ');
  size_t b = a == std::string_view::npos ? a : line.find(' ', a + 1);
  if (b == std::string_view::npos) return Bad(line, "lacks timestamp, stream and tags");
  CriLogLine l;
  l.stream = std::string(line.substr(a + 1, b - a - 1));
  if (l.stream != "stdout" && l.stream != "stderr") {
    return Bad(line, absl::StrCat("stream \"", l.stream, "\" is not stdout or stderr"));
  }
  size_t c = line.find(' ', b + 1);
  std::string_view tags = line.substr(b + 1, c == std::string_view::npos ? c : c - b - 1);
  std::string_view flag = tags.substr(0, tags.find(':'));
  if (flag != "P" && flag != "F") {
    return Bad(line, absl::StrCat("tag \"", std::string(flag), "\" is not P or F"));
  }
  l.partial = flag == "P";
  l.timestamp = std::string(line.substr(0, a));
  auto time = ParseRfc3339(l.timestamp);
  if (!time.ok()) return Bad(line, std::string(time.status().message()));
  l.time_ns = *time;
  if (c != std::string_view::npos) l.content = std::string(line.substr(c + 1));
  return l;
}

}  // namespace cricket::cri::wire
