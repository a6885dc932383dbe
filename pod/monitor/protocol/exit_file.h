// The exit file cricket-monitor writes when a container's init ends, and that
// the pod layer reads (header-only: the monitor links no pod library).
//   {"exit_code":N,"finished_at_ns":T,"reason":"Completed|Error|OOMKilled","signal":S}
#pragma once

#include <time.h>

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"

namespace cricket::pod {

struct ExitRecord {
  int exit_code = 0;
  int64_t finished_at_ns = 0;
  std::string reason;  // Completed | Error | OOMKilled
  int signal = 0;      // the signal that killed init, 0 when it exited
};

// Wall-clock time in ns since the epoch (CRI timestamps).
inline int64_t RealtimeNs() {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// Kubelet's reasons: OOMKilled wins, then the exit code decides.
inline std::string ExitReason(int exit_code, bool oom_killed) {
  if (oom_killed) return "OOMKilled";
  return exit_code == 0 ? "Completed" : "Error";
}

inline std::string ExitRecordToJson(const ExitRecord& r) {
  nlohmann::json j = {{"exit_code", r.exit_code},
                      {"finished_at_ns", r.finished_at_ns},
                      {"reason", r.reason},
                      {"signal", r.signal}};
  return j.dump();
}

inline absl::StatusOr<ExitRecord> ParseExitRecord(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("exit_code") || !j["exit_code"].is_number_integer()) {
    return absl::InvalidArgumentError(absl::StrCat("exit file: not an exit record: ",
                                                   text.substr(0, 200)));
  }
  ExitRecord r;
  r.exit_code = j["exit_code"].get<int>();
  if (j.contains("finished_at_ns") && j["finished_at_ns"].is_number_integer()) {
    r.finished_at_ns = j["finished_at_ns"].get<int64_t>();
  }
  if (j.contains("reason") && j["reason"].is_string()) r.reason = j["reason"].get<std::string>();
  if (j.contains("signal") && j["signal"].is_number_integer()) r.signal = j["signal"].get<int>();
  if (r.reason.empty()) r.reason = ExitReason(r.exit_code, false);
  return r;
}

}  // namespace cricket::pod
