// Deduplicates concurrent work by key: the first caller runs it, others wait
// and share its result (Go's singleflight). Used so two pulls of the same
// blob or layer download and unpack it once.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/status.h"

namespace cricket::image {

class SingleFlight {
 public:
  // Runs fn unless another thread is running it for `key`; then waits for that
  // one. When the other run failed, fn is run again here (one failed
  // download must not fail every waiter without a try of its own).
  absl::Status Do(const std::string& key, const std::function<absl::Status()>& fn) {
    std::shared_ptr<Call> call;
    {
      std::unique_lock lock(mu_);
      for (auto it = calls_.find(key); it != calls_.end(); it = calls_.find(key)) {
        std::shared_ptr<Call> other = it->second;
        cv_.wait(lock, [&] { return other->done; });
        if (other->status.ok()) return absl::OkStatus();
      }
      call = std::make_shared<Call>();
      calls_[key] = call;
    }
    absl::Status st = fn();
    {
      std::lock_guard lock(mu_);
      call->status = st;
      call->done = true;
      calls_.erase(key);
    }
    cv_.notify_all();
    return st;
  }

 private:
  struct Call {
    bool done = false;
    absl::Status status;
  };
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, std::shared_ptr<Call>> calls_;
};

}  // namespace cricket::image
