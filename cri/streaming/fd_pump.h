// The two halves of relaying between a client stream and a file descriptor:
// FdReader copies what an fd yields into a callback from its own thread;
// FdWriter queues client bytes and writes them to an fd from its own thread,
// so the connection's reader never blocks on a slow process or socket.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace cricket::cri::streaming {

class FdReader {
 public:
  // on_data returns false to stop (the client is gone); on_end runs once at
  // EOF, error or Stop, from the reader's thread.
  FdReader(int fd, std::function<bool(std::string_view)> on_data, std::function<void()> on_end);
  ~FdReader();  // Stop()
  // Once the process has ended: finish as soon as the fd has nothing more to
  // give, even without EOF (a background child may hold the pty open).
  void Drain() { drain_ = true; }
  void Stop();
  void Join();

 private:
  void Run();
  int fd_;
  std::function<bool(std::string_view)> on_data_;
  std::function<void()> on_end_;
  std::atomic<bool> drain_{false}, stop_{false};
  std::thread thread_;
};

class FdWriter {
 public:
  // on_written(n) after n bytes reached the fd (SPDY window updates);
  // on_closed once CloseInput's queue is written (close stdin, SHUT_WR).
  FdWriter(std::function<void(size_t)> on_written, std::function<void()> on_closed,
           size_t max_queued = 4 << 20);
  ~FdWriter();  // Stop()
  // Begins writing to fd; bytes pushed before are kept.
  void Start(int fd);
  // Blocks while more than max_queued bytes wait; false once stopped or broken.
  bool Push(std::string_view data);
  void CloseInput();
  void Stop();

 private:
  void Run(int fd);
  bool WriteAll(int fd, std::string_view data);
  std::function<void(size_t)> on_written_;
  std::function<void()> on_closed_;
  size_t max_queued_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;
  size_t queued_ = 0;
  bool closed_ = false, broken_ = false;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace cricket::cri::streaming
