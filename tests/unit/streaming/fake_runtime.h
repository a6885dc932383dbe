// A StreamRuntime test double: "processes" are threads behind pipes (or a
// socketpair standing in for a pty), and port forwarding dials a TCP echo
// server on 127.0.0.1. Lets the protocol tests run without root.
#pragma once

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "cri/streaming/server.h"

namespace cricket::testing::stream {

class FakeSession : public pod::StreamSession {
 public:
  FakeSession(std::vector<std::string> cmd, pod::StreamOptions o) : cmd_(std::move(cmd)), o_(o) {
    if (o.tty) {
      int sv[2];
      ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);
      server_io_.Reset(sv[0]);
      proc_in_.Reset(sv[1]);
    } else {
      int p[2];
      if (o.stdin) {
        ::pipe2(p, O_CLOEXEC);
        proc_in_.Reset(p[0]);
        in_w_.Reset(p[1]);
      }
      ::pipe2(p, O_CLOEXEC);
      out_r_.Reset(p[0]);
      out_w_.Reset(p[1]);
      ::pipe2(p, O_CLOEXEC);
      err_r_.Reset(p[0]);
      err_w_.Reset(p[1]);
    }
    thread_ = std::thread([this] { code_ = Run(); });
  }
  ~FakeSession() override {
    Close();
    if (thread_.joinable()) thread_.join();
  }
  int in_fd() const override { return o_.tty ? server_io_.get() : in_w_.get(); }
  int out_fd() const override { return o_.tty ? server_io_.get() : out_r_.get(); }
  int err_fd() const override { return o_.tty ? -1 : err_r_.get(); }
  absl::Status CloseStdin() override {
    if (o_.tty) {
      ::shutdown(server_io_.get(), SHUT_WR);
    } else {
      in_w_.Reset();
    }
    return absl::OkStatus();
  }
  absl::Status Resize(uint16_t w, uint16_t h) override {
    if (!o_.tty) return absl::FailedPreconditionError("no tty");
    std::lock_guard<std::mutex> lock(mu_);
    size_ = std::to_string(h) + " " + std::to_string(w);
    cv_.notify_all();
    return absl::OkStatus();
  }
  absl::StatusOr<int> Wait() override {
    if (thread_.joinable()) thread_.join();
    return code_;
  }
  void Close() override {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    cv_.notify_all();
  }

 private:
  int OutFd() { return o_.tty ? proc_in_.get() : out_w_.get(); }
  void Put(int fd, const std::string& s) {
    if (fd >= 0) (void)!::write(fd, s.data(), s.size());
  }
  int Run() {
    int code = 0;
    const std::string& what = cmd_.empty() ? "" : cmd_[0];
    if (what == "cat") {
      char buf[65536];
      while (true) {
        pollfd p{proc_in_.get(), POLLIN, 0};
        if (::poll(&p, 1, 100) == 0) {
          std::lock_guard<std::mutex> lock(mu_);
          if (closed_) break;
          continue;
        }
        ssize_t n = ::read(proc_in_.get(), buf, sizeof(buf));
        if (n <= 0) break;
        Put(OutFd(), std::string(buf, n));
      }
    } else if (what == "exit") {
      Put(OutFd(), "out\n");
      Put(o_.tty ? -1 : err_w_.get(), "err\n");
      code = std::stoi(cmd_.at(1));
    } else if (what == "size") {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return !size_.empty() || closed_; });
      Put(OutFd(), size_ + "\n");
    } else if (what == "sleep") {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return closed_; });
      code = 137;
    }
    // The process side closes its ends: EOF for the relays.
    proc_in_.Reset();
    out_w_.Reset();
    err_w_.Reset();
    return code;
  }

  std::vector<std::string> cmd_;
  pod::StreamOptions o_;
  sys::UniqueFd server_io_, proc_in_, in_w_, out_r_, out_w_, err_r_, err_w_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool closed_ = false;
  std::string size_;
  int code_ = -1;
  std::thread thread_;
};

class FakeRuntime : public cri::streaming::StreamRuntime {
 public:
  absl::StatusOr<std::unique_ptr<pod::StreamSession>> Exec(
      const std::string& id, const std::vector<std::string>& cmd,
      const pod::StreamOptions& opts) override {
    if (id == "missing") return absl::NotFoundError("container missing not found");
    execs++;
    return std::unique_ptr<pod::StreamSession>(new FakeSession(cmd, opts));
  }
  absl::StatusOr<std::unique_ptr<pod::StreamSession>> Attach(
      const std::string& id, const pod::StreamOptions& opts) override {
    return std::unique_ptr<pod::StreamSession>(new FakeSession({"cat"}, opts));
  }
  absl::StatusOr<sys::UniqueFd> PortForward(const std::string& pod, uint16_t port) override {
    sys::UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
      return absl::UnavailableError("connection refused on port " + std::to_string(port));
    }
    return fd;
  }
  std::atomic<int> execs{0};
};

// A TCP server on 127.0.0.1 that answers every connection with the
// upper-cased bytes it receives, until the client half-closes.
class UpperEchoServer {
 public:
  UpperEchoServer() {
    fd_.Reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(a);
    ::bind(fd_.get(), reinterpret_cast<sockaddr*>(&a), sizeof(a));
    ::listen(fd_.get(), 64);
    ::getsockname(fd_.get(), reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { Loop(); });
  }
  ~UpperEchoServer() {
    stop_ = true;
    thread_.join();
    for (auto& t : conns_) t.join();
  }
  uint16_t port() const { return port_; }

 private:
  void Loop() {
    while (!stop_) {
      pollfd p{fd_.get(), POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      int c = ::accept4(fd_.get(), nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) continue;
      conns_.emplace_back([c] {
        sys::UniqueFd fd(c);
        char buf[4096];
        ssize_t n;
        while ((n = ::read(fd.get(), buf, sizeof(buf))) > 0) {
          for (ssize_t i = 0; i < n; i++) buf[i] = static_cast<char>(toupper(buf[i]));
          (void)!::write(fd.get(), buf, n);
        }
      });
    }
  }
  sys::UniqueFd fd_;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::vector<std::thread> conns_;
};

}  // namespace cricket::testing::stream
