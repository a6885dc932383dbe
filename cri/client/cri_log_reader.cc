// CRI log file reading for `cricketctl logs` (see cri_log_reader.h).
#include "cri/client/cri_log_reader.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace cricket::cri::client {
namespace {

absl::string_view AbslView(std::string_view s) { return absl::string_view(s.data(), s.size()); }

}  // namespace

std::optional<CriLogLine> ParseCriLogLine(std::string_view line) {
  size_t a = line.find(' ');
  if (a == std::string_view::npos) return std::nullopt;
  size_t b = line.find(' ', a + 1);
  if (b == std::string_view::npos) return std::nullopt;
  std::string_view stream = line.substr(a + 1, b - a - 1);
  if (stream != "stdout" && stream != "stderr") return std::nullopt;
  size_t c = line.find(' ', b + 1);
  std::string_view tags = line.substr(b + 1, c == std::string_view::npos ? c : c - b - 1);
  // Tags are ':'-separated; the first says partial (P) or full (F).
  std::string_view flag = tags.substr(0, tags.find(':'));
  if (flag != "P" && flag != "F") return std::nullopt;
  auto time = ParseRfc3339(line.substr(0, a));
  if (!time.ok()) return std::nullopt;
  CriLogLine out;
  out.time_ns = *time;
  out.timestamp = std::string(line.substr(0, a));
  out.is_stderr = stream == "stderr";
  out.partial = flag == "P";
  if (c != std::string_view::npos) out.message = std::string(line.substr(c + 1));
  return out;
}

absl::StatusOr<int64_t> ParseRfc3339(std::string_view text) {
  absl::Time t;
  std::string err;
  if (!absl::ParseTime(absl::RFC3339_full, AbslView(text), &t, &err)) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", std::string(text), "\" is not an RFC3339 time: ", err));
  }
  return absl::ToUnixNanos(t);
}

absl::StatusOr<int64_t> ParseSince(std::string_view text, int64_t now_ns) {
  absl::Duration d;
  if (absl::ParseDuration(AbslView(text), &d)) {
    if (d < absl::ZeroDuration()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--since ", std::string(text), ": a negative duration"));
    }
    return now_ns - absl::ToInt64Nanoseconds(d);
  }
  auto t = ParseRfc3339(text);
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
  std::vector<CriLogLine> records;
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
    out_(records[i].is_stderr, prefix + records[i].message + "\n");
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
  auto parsed = ParseCriLogLine(line);
  if (!parsed) return;  // not ours to judge: skip what is not a CRI log line
  if (record_ && record_->partial && record_->is_stderr == parsed->is_stderr) {
    record_->message += parsed->message;
    record_->partial = parsed->partial;
  } else {
    record_ = std::move(*parsed);
  }
  if (record_->partial || !print) return;
  if (record_->time_ns >= opts_.since_ns) {
    std::string prefix = opts_.timestamps ? record_->timestamp + " " : "";
    out_(record_->is_stderr, prefix + record_->message + "\n");
  }
  record_.reset();
}

}  // namespace cricket::cri::client
