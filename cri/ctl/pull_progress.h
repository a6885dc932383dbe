// A progress line for `cricketctl pull` on a terminal: CRI reports no bytes,
// so a spinner with the elapsed time on stderr, erased when the pull ends.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace cricket::cri::ctl {

class PullProgress {
 public:
  // Draws "<verb> <what> | 1.2s" only when stderr is a terminal.
  PullProgress(std::string verb, std::string what);
  PullProgress(const PullProgress&) = delete;
  PullProgress& operator=(const PullProgress&) = delete;
  ~PullProgress();  // stops drawing and clears the line

 private:
  void Draw();

  std::string line_;  // "Pulling busybox"
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace cricket::cri::ctl
