// Tables, sizes and ages for cricketctl (see text_table.h).
#include "cri/client/text_table.h"

#include <algorithm>
#include <cstdio>

namespace cricket::cri::client {

std::string FormatTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line += std::string(widths[c] - row[c].size() + 3, ' ');
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
  }
  return out;
}

std::string HumanSize(double bytes) {
  static const char* const kUnits[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
  size_t i = 0;
  while (bytes >= 1000 && i + 1 < std::size(kUnits)) {
    bytes /= 1000;
    ++i;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3g%s", bytes, kUnits[i]);
  return buf;
}

std::string HumanDuration(int64_t then_ns, int64_t now_ns) {
  int64_t secs = (now_ns - then_ns) / 1000000000;
  auto n = [](int64_t v, const char* unit) { return std::to_string(v) + " " + unit; };
  if (secs < 1) return "Less than a second";
  if (secs == 1) return "1 second";
  if (secs < 60) return n(secs, "seconds");
  int64_t mins = secs / 60;
  if (mins == 1) return "About a minute";
  if (mins < 60) return n(mins, "minutes");
  int64_t hours = secs / 3600;
  if (hours == 1) return "About an hour";
  if (hours < 48) return n(hours, "hours");
  if (hours < 24 * 7 * 2) return n(hours / 24, "days");
  if (hours < 24 * 30 * 2) return n(hours / 24 / 7, "weeks");
  if (hours < 24 * 365 * 2) return n(hours / 24 / 30, "months");
  return n(hours / 24 / 365, "years");
}

std::string HumanAgo(int64_t then_ns, int64_t now_ns) {
  return HumanDuration(then_ns, now_ns) + " ago";
}

std::string ShortId(const std::string& id) {
  std::string s = id.rfind("sha256:", 0) == 0 ? id.substr(7) : id;
  return s.substr(0, 13);
}

}  // namespace cricket::cri::client
