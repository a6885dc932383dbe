// See pull_progress_batch.h.
#include "cri/service/pull_progress_batch.h"

namespace cricket::cri {

::cricket::v1::LayerState ToProto(image::LayerState s) {
  switch (s) {
    case image::LayerState::kWaiting:
      return ::cricket::v1::LAYER_WAITING;
    case image::LayerState::kDownloading:
      return ::cricket::v1::LAYER_DOWNLOADING;
    case image::LayerState::kUnpacking:
      return ::cricket::v1::LAYER_UNPACKING;
    case image::LayerState::kDone:
      return ::cricket::v1::LAYER_DONE;
    case image::LayerState::kAlreadyExists:
      return ::cricket::v1::LAYER_ALREADY_EXISTS;
  }
  return ::cricket::v1::LAYER_WAITING;  // unreachable: the switch names every state
}

void ProgressBatch::Add(const image::PullProgress& p) {
  std::lock_guard<std::mutex> lock(mu_);
  const ::cricket::v1::LayerState state = ToProto(p.state);
  auto it = last_.find(p.digest);
  if (it != last_.end() && pending_[it->second].state() == state) {
    pending_[it->second].set_done(p.done);
    return;
  }
  ::cricket::v1::LayerProgress& l = pending_.emplace_back();
  l.set_digest(p.digest);
  l.set_total(p.total);
  l.set_done(p.done);
  l.set_state(state);
  last_[p.digest] = pending_.size() - 1;
  cv_.notify_one();
}

void ProgressBatch::Finish() {
  std::lock_guard<std::mutex> lock(mu_);
  finished_ = true;
  cv_.notify_one();
}

ProgressBatch::Taken ProgressBatch::Take(std::chrono::milliseconds interval) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_until(lock, last_take_ + interval, [this] { return finished_; });
  cv_.wait(lock, [this] { return finished_ || !pending_.empty(); });
  last_take_ = std::chrono::steady_clock::now();
  Taken t;
  t.layers.swap(pending_);
  last_.clear();
  t.finished = finished_;
  return t;
}

}  // namespace cricket::cri
