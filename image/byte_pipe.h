// A bounded in-memory pipe between a download (producer) and an unpacker
// (consumer) so a layer is decompressed and unpacked while it downloads.
// The producer never blocks on a consumer that has gone away, and Abandon()
// tells the consumer the stream is not the whole blob (it then fails, and the
// caller unpacks from the stored blob instead).
#pragma once

#include <condition_variable>
#include <cstring>
#include <algorithm>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace cricket::image {

class BytePipe {
 public:
  explicit BytePipe(size_t capacity) : capacity_(capacity), ring_(capacity) {}

  // Producer: blocks while the pipe is full. Dropped after Abandon() or once
  // the reader has gone.
  void Push(const char* data, size_t len) {
    std::unique_lock lock(mu_);
    while (len > 0) {
      cv_.wait(lock, [&] { return size_ < capacity_ || reader_gone_ || abandoned_; });
      if (reader_gone_ || abandoned_) return;
      size_t tail = (head_ + size_) % capacity_;
      size_t n = std::min({len, capacity_ - size_, capacity_ - tail});
      std::memcpy(ring_.data() + tail, data, n);
      size_ += n;
      data += n;
      len -= n;
      cv_.notify_all();
    }
  }
  void Abandon() {
    std::lock_guard lock(mu_);
    abandoned_ = true;
    cv_.notify_all();
  }
  // Producer: the end. OK means everything was pushed and verified.
  void Close(absl::Status st) {
    std::lock_guard lock(mu_);
    closed_ = true;
    status_ = abandoned_ ? absl::AbortedError("layer stream abandoned") : std::move(st);
    cv_.notify_all();
  }

  // Consumer: up to len bytes; 0 at a clean end, the producer's error otherwise.
  absl::StatusOr<size_t> Read(char* out, size_t len) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return size_ > 0 || closed_ || abandoned_; });
    if (abandoned_) return absl::AbortedError("layer stream abandoned");
    if (size_ == 0) {
      if (!status_.ok()) return status_;
      return 0;
    }
    size_t n = std::min({len, size_, capacity_ - head_});
    std::memcpy(out, ring_.data() + head_, n);
    head_ = (head_ + n) % capacity_;
    size_ -= n;
    cv_.notify_all();
    return n;
  }
  void CloseReader() {
    std::lock_guard lock(mu_);
    reader_gone_ = true;
    cv_.notify_all();
  }

 private:
  const size_t capacity_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<char> ring_;
  size_t head_ = 0, size_ = 0;
  bool closed_ = false, abandoned_ = false, reader_gone_ = false;
  absl::Status status_;
};

}  // namespace cricket::image
