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
#include "cri/streaming/unauth_limits.h"

namespace cricket::cri::streaming {

struct StreamingServer::State {
  State(Options o, std::shared_ptr<StreamRuntime> rt)
      : opts(std::move(o)),
        runtime(std::move(rt)),
        tokens(opts.token_ttl),
        unauthenticated(opts.max_unauthenticated_per_client, opts.max_unauthenticated) {}

  const Options opts;
  std::shared_ptr<StreamRuntime> runtime;
  TokenCache tokens;
  UnauthenticatedLimits unauthenticated;
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

// Serves one accepted connection to its end (router.cc); `ticket` is its
// place in state->unauthenticated, released once a token matches.
void ServeConnection(const std::shared_ptr<StreamingServer::State>& state, sys::UniqueFd fd,
                     uint64_t ticket);

}  // namespace cricket::cri::streaming
