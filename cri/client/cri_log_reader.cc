// CRI log file reading for `cricketctl logs` (see cri_log_reader.h).
#include "cri/client/cri_log_reader.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace cricket::cri::client {

absl::StatusOr<int64_t> ParseSince(std::string_view text, int64_t now_ns) {
  absl::Duration d;
  if (absl::ParseDuration(absl::string_view(text.data(), text.size()), &d)) {
    if (d < absl::ZeroDuration()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--since ", std::string(text), ": a negative duration"));
    }
    return now_ns - absl::ToInt64Nanoseconds(d);
  }
  auto t = wire::ParseRfc3339(text);
  if (!t.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--since ", std::string(text),
        ": neither a duration (10s, 5m, 1h30m) nor an RFC3339 time (2006-01-02T15:04:05Z)"));
  }
  return *t;
}

void CriLogPrinter::FeedInitial(std::string_view text) {
  if (opts_.tail < 0) {
    Feed(text);
    return;
  }
  // Collect the complete records first, then print the last N of them.
  std::vector<wire::CriLogLine> records;
  size_t pos = 0;
  while (true) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) break;
    Line(text.substr(pos, nl - pos), false);
    pos = nl + 1;
    if (record_ && !record_->partial) {
      if (record_->time_ns >= opts_.since_ns) records.push_back(std::move(*record_));
      record_.reset();
    }
  }
  pending_line_ = std::string(text.substr(pos));
  size_t first = records.size() > static_cast<size_t>(opts_.tail) ? records.size() - opts_.tail : 0;
  for (size_t i = first; i < records.size(); i++) {
    std::string prefix = opts_.timestamps ? records[i].timestamp + " " : "";
    out_(records[i].is_stderr(), prefix + records[i].content + "\n");
  }
}

void CriLogPrinter::Feed(std::string_view text) {
  pending_line_.append(text.data(), text.size());
  size_t pos = 0;
  while (true) {
    size_t nl = pending_line_.find('\n', pos);
    if (nl == std::string::npos) break;
    Line(std::string_view(pending_line_).substr(pos, nl - pos), true);
    pos = nl + 1;
  }
  pending_line_.erase(0, pos);
}

// Joins a line into the current record; prints the record once it is full.
void CriLogPrinter::Line(std::string_view line, bool print) {
  auto parsed = wire::ParseCriLogLine(line);
  if (!parsed.ok()) return;  // not ours to judge: skip what is not a CRI log line
  if (record_ && record_->partial && record_->stream == parsed->stream) {
    record_->content += parsed->content;
    record_->partial = parsed->partial;
  } else {
    record_ = std::move(*parsed);
  }
  if (record_->partial || !print) return;
  if (record_->time_ns >= opts_.since_ns) {
    std::string prefix = opts_.timestamps ? record_->timestamp + " " : "";
    out_(record_->is_stderr(), prefix + record_->content + "\n");
  }
  record_.reset();
}

}  // namespace cricket::cri::client
