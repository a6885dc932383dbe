// The sync line's two ends: written by cricket-monitor, read by cricketd.
#include "pod/monitor/protocol/sync.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"

namespace cricket::pod {
namespace {

std::string Line(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace

std::string SyncStartedLine(const MonitorStarted& s) {
  return Line({{"pid", s.pid}, {"monitor_pid", s.monitor_pid}});
}

std::string SyncErrorLine(const absl::Status& st) {
  return Line({{"error", std::string(st.message())}, {"code", static_cast<int>(st.code())}});
}

absl::Status HelperErrorStatus(const nlohmann::json& j, const std::string& what) {
  int code = j.value("code", static_cast<int>(absl::StatusCode::kInternal));
  if (code <= 0 || code > 16) code = static_cast<int>(absl::StatusCode::kInternal);
  std::string msg = j.value("error", std::string("unknown error"));
  if (msg.rfind(what, 0) != 0) msg = absl::StrCat(what, ": ", msg);
  return absl::Status(static_cast<absl::StatusCode>(code), msg);
}

absl::StatusOr<MonitorStarted> ParseSyncLine(const std::string& id, const std::string& line) {
  std::string what = absl::StrCat("create container ", id);
  if (line.empty()) return absl::InternalError(what + ": monitor exited without reporting");
  nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
  if (!j.is_object()) return absl::InternalError(what + ": bad monitor report: " + line);
  if (j.contains("error")) return HelperErrorStatus(j, what);
  MonitorStarted s;
  s.pid = j.value("pid", 0);
  s.monitor_pid = j.value("monitor_pid", 0);
  if (s.pid <= 0) return absl::InternalError(what + ": monitor reported no pid: " + line);
  return s;
}

}  // namespace cricket::pod
