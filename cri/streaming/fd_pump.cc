// FdReader / FdWriter: poll-driven copy loops that can always be stopped
// (poll with a short timeout, writes no larger than what poll promised).
#include "cri/streaming/fd_pump.h"

#include <limits.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>

namespace cricket::cri::streaming {
namespace {

constexpr int kPollMs = 100;
constexpr size_t kReadChunk = 32 * 1024;

}  // namespace

FdReader::FdReader(int fd, std::function<bool(std::string_view)> on_data,
                   std::function<void()> on_end)
    : fd_(fd), on_data_(std::move(on_data)), on_end_(std::move(on_end)) {
  thread_ = std::thread([this] { Run(); });
}

FdReader::~FdReader() {
  Stop();
  Join();
}

void FdReader::Stop() { stop_ = true; }

void FdReader::Join() {
  if (thread_.joinable()) thread_.join();
}

void FdReader::Run() {
  std::string buf(kReadChunk, '\0');
  while (!stop_) {
    pollfd p{fd_, POLLIN, 0};
    int r = ::poll(&p, 1, kPollMs);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) break;
    if (r == 0) {
      if (drain_) break;  // process gone and nothing left to read
      continue;
    }
    ssize_t n = ::read(fd_, buf.data(), buf.size());
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) break;  // EOF, or EIO from a pty whose other side closed
    if (!on_data_(std::string_view(buf.data(), static_cast<size_t>(n)))) break;
  }
  if (on_end_) on_end_();
}

FdWriter::FdWriter(std::function<void(size_t)> on_written, std::function<void()> on_closed,
                   size_t max_queued)
    : on_written_(std::move(on_written)),
      on_closed_(std::move(on_closed)),
      max_queued_(max_queued) {}

FdWriter::~FdWriter() { Stop(); }

void FdWriter::Start(int fd) {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable() || stop_) return;
  thread_ = std::thread([this, fd] { Run(fd); });
}

bool FdWriter::Push(std::string_view data) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return stop_ || broken_ || closed_ || queued_ < max_queued_; });
  if (stop_ || broken_ || closed_) return false;
  queue_.emplace_back(data);
  queued_ += data.size();
  cv_.notify_all();
  return true;
}

void FdWriter::CloseInput() {
  std::lock_guard<std::mutex> lock(mu_);
  closed_ = true;
  cv_.notify_all();
}

void FdWriter::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

bool FdWriter::WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    if (stop_) return false;
    pollfd p{fd, POLLOUT, 0};
    int r = ::poll(&p, 1, kPollMs);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return false;
    if (r == 0) continue;
    if (p.revents & (POLLERR | POLLNVAL)) return false;
    // No more than PIPE_BUF: POLLOUT promises that much room, so this write
    // cannot block and Stop() is never stuck behind it.
    size_t n = data.size() < PIPE_BUF ? data.size() : PIPE_BUF;
    ssize_t w = ::write(fd, data.data(), n);
    if (w < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (w <= 0) return false;
    data.remove_prefix(static_cast<size_t>(w));
  }
  return true;
}

void FdWriter::Run(int fd) {
  while (true) {
    std::string chunk;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stop_ || closed_ || !queue_.empty(); });
      if (stop_) return;
      if (queue_.empty()) break;  // closed and drained
      chunk = std::move(queue_.front());
      queue_.pop_front();
    }
    bool ok = WriteAll(fd, chunk);
    {
      std::lock_guard<std::mutex> lock(mu_);
      queued_ -= chunk.size();
      if (!ok) broken_ = true;
      cv_.notify_all();
    }
    if (!ok) return;
    if (on_written_) on_written_(chunk.size());
  }
  if (on_closed_) on_closed_();
}

}  // namespace cricket::cri::streaming
