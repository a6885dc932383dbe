// Reading CRI container log files (lines as cri/wire/cri_log.h parses them):
// --since parsing, and the selection `logs` prints (joined partial lines,
// --since, --tail N, --timestamps).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "cri/wire/cri_log.h"

namespace cricket::cri::client {

// --since: an RFC3339 time, or a Go duration ("10s", "1h30m", "500ms") meaning
// that long before now_ns. InvalidArgument naming the text otherwise.
absl::StatusOr<int64_t> ParseSince(std::string_view text, int64_t now_ns);

struct LogOptions {
  int64_t since_ns = 0;    // skip records older than this (0: all)
  int64_t tail = -1;       // only the last N records (-1: all)
  bool timestamps = false; // prefix each record with its first piece's time
};

// Writes records (partials joined) to out(is_stderr, text-with-newline).
class CriLogPrinter {
 public:
  using Out = std::function<void(bool is_stderr, const std::string& text)>;
  CriLogPrinter(LogOptions opts, Out out) : opts_(opts), out_(std::move(out)) {}

  // A whole file's contents (the first read): applies --tail. Any last line
  // without '\n' is kept back for the next Feed.
  void FeedInitial(std::string_view text);
  // Text appended since (follow mode): every complete record is printed.
  void Feed(std::string_view text);

 private:
  void Line(std::string_view line, bool print);

  LogOptions opts_;
  Out out_;
  std::string pending_line_;  // bytes after the last '\n'
  std::optional<wire::CriLogLine> record_;  // a record being joined from partials
};

}  // namespace cricket::cri::client
