// The CRI container log format the kubelet reads:
//   <RFC3339Nano timestamp> <stdout|stderr> <P|F> <content>\n
// F ends a line; P marks a piece of a longer line (split at max_line bytes,
// or a chunk that did not end in a newline yet), as conmon writes them.
#pragma once

#include <time.h>

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace cricket::pod {

constexpr size_t kDefaultMaxLogLine = 16 * 1024;

// "2026-11-25T03:45:08.123456789Z" (always 9 fractional digits, UTC).
std::string FormatLogTimestamp(const struct timespec& ts);

// Appends the log lines for one chunk read from a stream to *out.
void EncodeCriLog(std::string_view stream, std::string_view chunk, const struct timespec& ts,
                  size_t max_line, std::string* out);

struct CriLogLine {
  std::string timestamp;
  std::string stream;
  bool partial = false;
  std::string content;  // without the trailing newline
};

// Parses one line (without its newline). InvalidArgument naming the problem.
absl::StatusOr<CriLogLine> ParseCriLogLine(std::string_view line);

}  // namespace cricket::pod
