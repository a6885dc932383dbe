// The CRI container log format the kubelet reads:
//   <RFC3339Nano timestamp> <stdout|stderr> <tags> <content>\n
// where tags are ':'-separated and the first is F (ends a line) or P (a piece
// of a longer line: split at max_line bytes, or a chunk that did not end in a
// newline yet), as conmon writes them. The monitor writes (cri_log_write.cc,
// linked alone into the static monitor); the client and tests read.
#pragma once

#include <time.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace cricket::cri::wire {

// conmon's and the kubelet's default: longer lines are split into P pieces.
inline constexpr size_t kDefaultMaxLogLine = 16 * 1024;

// "2026-11-25T03:45:08.123456789Z" (always 9 fractional digits, UTC).
std::string FormatLogTimestamp(const struct timespec& ts);

// Appends the log lines for one chunk read from a stream to *out.
void EncodeCriLog(std::string_view stream, std::string_view chunk, const struct timespec& ts,
                  size_t max_line, std::string* out);

struct CriLogLine {
  std::string timestamp;  // as written
  int64_t time_ns = 0;    // the timestamp as Unix ns
  std::string stream;     // "stdout" or "stderr"
  bool partial = false;   // P: the content continues in the next line
  std::string content;    // without the trailing newline
  bool is_stderr() const { return stream == "stderr"; }
};

// Parses one line (without its newline). InvalidArgument naming the problem.
absl::StatusOr<CriLogLine> ParseCriLogLine(std::string_view line);

// RFC3339 (with optional fraction and zone) to Unix ns.
absl::StatusOr<int64_t> ParseRfc3339(std::string_view text);

}  // namespace cricket::cri::wire
