// Turns a pull's progress callbacks (from its worker threads) into stream
// messages for cricket.v1 PullImageWithProgress: every state change is kept,
// byte counts of one layer in one state are merged, so a slow reader gets
// fewer, fuller messages and never holds the pull back.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "cri/api/cricket.pb.h"
#include "image/image_service.h"

namespace cricket::cri {

::cricket::v1::LayerState ToProto(image::LayerState s);

class ProgressBatch {
 public:
  struct Taken {
    std::vector<::cricket::v1::LayerProgress> layers;  // in the order things happened
    bool finished = false;  // Finish() was called and everything is taken
  };
  void Add(const image::PullProgress& p);  // any thread
  void Finish();
  // Waits for news, returning no sooner than `interval` after the previous
  // Take (a terminal redraws ten times a second, not once per chunk), and
  // at once when the pull finished.
  Taken Take(std::chrono::milliseconds interval);

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<::cricket::v1::LayerProgress> pending_;
  // digest → its last entry in pending_ (merged into while the state stays).
  std::map<std::string, size_t> last_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point last_take_;
};

}  // namespace cricket::cri
