// CRI log line encoding and parsing. Pure: the monitor does the I/O.
#include "pod/cri_log.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace cricket::pod {

std::string FormatLogTimestamp(const struct timespec& ts) {
  struct tm tm;
  gmtime_r(&ts.tv_sec, &tm);
  return absl::StrFormat("%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
                         tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec);
}

void EncodeCriLog(std::string_view stream, std::string_view chunk, const struct timespec& ts,
                  size_t max_line, std::string* out) {
  if (chunk.empty()) return;
  if (max_line == 0) max_line = kDefaultMaxLogLine;
  const std::string prefix = absl::StrCat(FormatLogTimestamp(ts), " ", std::string(stream), " ");
  while (!chunk.empty()) {
    size_t nl = chunk.find('\n');
    bool full = nl != std::string_view::npos && nl <= max_line;
    size_t take = full ? nl : std::min(chunk.size(), max_line);
    out->append(prefix);
    out->append(full ? "F " : "P ");
    out->append(chunk.data(), take);
    out->push_back('\n');
    chunk.remove_prefix(full ? take + 1 : take);
  }
}

absl::StatusOr<CriLogLine> ParseCriLogLine(std::string_view line) {
  CriLogLine l;
  size_t a = line.find(' ');
  size_t b = a == std::string_view::npos ? a : line.find(' ', a + 1);
  if (b == std::string_view::npos || b + 2 > line.size()) {
    return absl::InvalidArgumentError(absl::StrCat("log line \"", std::string(line.substr(0, 80)),
                                                   "\" lacks timestamp, stream and tag"));
  }
  l.timestamp = std::string(line.substr(0, a));
  l.stream = std::string(line.substr(a + 1, b - a - 1));
  if (l.stream != "stdout" && l.stream != "stderr") {
    return absl::InvalidArgumentError(absl::StrCat("log line stream \"", l.stream, "\" is not stdout or stderr"));
  }
  char tag = line[b + 1];
  if (tag != 'P' && tag != 'F') {
    return absl::InvalidArgumentError(absl::StrCat("log line tag \"", std::string(1, tag), "\" is not P or F"));
  }
  l.partial = tag == 'P';
  if (b + 2 < line.size()) {
    if (line[b + 2] != ' ') return absl::InvalidArgumentError("log line: no space after the tag");
    l.content = std::string(line.substr(b + 3));
  }
  return l;
}

}  // namespace cricket::pod
