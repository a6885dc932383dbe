// The pull spinner (see pull_progress.h).
#include "cri/ctl/pull_progress.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace cricket::cri::ctl {

PullProgress::PullProgress(std::string verb, std::string what)
    : line_(std::move(verb) + " " + std::move(what)) {
  if (::isatty(STDERR_FILENO) == 1) thread_ = std::thread([this] { Draw(); });
}

PullProgress::~PullProgress() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
  }
  cv_.notify_all();
  thread_.join();
  std::fprintf(stderr, "\r\033[K");
}

void PullProgress::Draw() {
  static const char kFrames[] = "|/-\\";
  auto start = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(mu_);
  for (int i = 0; !done_; i++) {
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "\r\033[K%s %c %.1fs", line_.c_str(), kFrames[i % 4], secs);
    std::fflush(stderr);
    cv_.wait_for(lock, std::chrono::milliseconds(100), [this] { return done_; });
  }
}

}  // namespace cricket::cri::ctl
