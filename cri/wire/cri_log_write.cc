// CRI log line encoding. Pure: the monitor does the I/O.
#include "cri/wire/cri_log.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace cricket::cri::wire {

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

}  // namespace cricket::cri::wire
