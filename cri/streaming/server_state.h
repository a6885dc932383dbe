// Internal to the streaming server: what the accept loop and connection
// threads share. Threads hold it by shared_ptr, so it outlives them.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "cri/streaming/server.h"
#include "cri/streaming/token_cache.h"
#include "cri/streaming/transport.h"

namespace cricket::cri::streaming {

struct StreamingServer::State {
  State(Options o, std::shared_ptr<StreamRuntime> rt)
      : opts(std::move(o)), runtime(std::move(rt)), tokens(opts.token_ttl) {}

  const Options opts;
  std::shared_ptr<StreamRuntime> runtime;
  TokenCache tokens;
  std::unique_ptr<TlsServerContext> tls;
  sys::UniqueFd listen_fd;
  std::string base_url;
  int port = 0;
  std::atomic<bool> stop{false};
  std::thread accept_thread;
  std::mutex mu;
  std::condition_variable cv;
  size_t active = 0;  // connection threads running; under mu
};

// Serves one accepted connection to its end (router.cc).
void ServeConnection(const std::shared_ptr<StreamingServer::State>& state, sys::UniqueFd fd);

}  // namespace cricket::cri::streaming
