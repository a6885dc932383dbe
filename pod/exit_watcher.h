// Watches the exits dir (inotify) and calls back with the container id of
// each exit file the monitors write (<dir>/<id>.json, renamed into place).
// Scan() lists the files already there, for recovery after a restart.
#pragma once

#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "oci/sys/unique_fd.h"

namespace cricket::pod {

class ExitWatcher {
 public:
  using Callback = std::function<void(const std::string& container_id)>;

  explicit ExitWatcher(std::string dir) : dir_(std::move(dir)) {}
  ~ExitWatcher() { Stop(); }
  ExitWatcher(const ExitWatcher&) = delete;
  ExitWatcher& operator=(const ExitWatcher&) = delete;

  // Creates the dir if needed and starts the watching thread.
  absl::Status Start(Callback cb);
  void Stop();
  // Ids with an exit file now.
  absl::StatusOr<std::vector<std::string>> Scan() const;

  // "<id>.json" → id; "" for anything else (temp files of atomic writes).
  static std::string IdFromName(const std::string& name);

 private:
  void Loop();

  std::string dir_;
  Callback cb_;
  sys::UniqueFd inotify_, wake_;
  std::thread thread_;
};

}  // namespace cricket::pod
