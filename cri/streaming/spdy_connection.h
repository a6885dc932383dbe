// The server side of one SPDY/3.1 connection after the HTTP upgrade: a read
// loop that dispatches frames to a handler (new client streams, data, FIN,
// reset), answers PING and SETTINGS, and thread-safe writes that honour the
// peer's flow-control windows once the peer shows it keeps them.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "cri/streaming/connection_pace.h"
#include "cri/streaming/transport.h"
#include "cri/wire/spdy_frame.h"
#include "cri/wire/spdy_headers.h"

namespace cricket::cri::streaming {

class SpdyConnection {
 public:
  class Handler {
   public:
    virtual ~Handler() = default;
    // A client SYN_STREAM: false refuses it (SYN_REPLY with FIN, then RST).
    virtual bool AcceptStream(uint32_t id, const wire::SpdyHeaders& headers) = 0;
    // After the SYN_REPLY went out: data may be written on the stream now.
    virtual void StreamReady(uint32_t id) {}
    virtual void OnData(uint32_t id, std::string_view data) = 0;
    virtual void OnRemoteClose(uint32_t id) {}  // FIN from the client
    virtual void OnReset(uint32_t id) {}
    virtual void OnTick() {}  // about once a second
  };

  struct Options {
    std::chrono::seconds idle_timeout{4 * 3600};
    // After Finish(): how long the client may take to close its side.
    std::chrono::milliseconds linger{5000};
  };

  SpdyConnection(Transport* t, Options opts)
      : t_(t), opts_(opts), pace_(opts.idle_timeout, opts.linger) {}

  // Reads and dispatches until the client closes or sends GOAWAY, a protocol
  // error (GOAWAY sent, error returned), the idle timeout, stop, or Finish()
  // plus the linger. `pending` holds bytes read past the HTTP head.
  absl::Status Serve(Handler* h, std::string pending, const std::atomic<bool>& stop);

  // Thread-safe. Blocks while the peer's window is closed; false once the
  // connection is down or the stream was reset.
  bool WriteData(uint32_t id, std::string_view data, bool fin);
  void Reset(uint32_t id, uint32_t status);
  // No more streams: GOAWAY, then Serve returns once the client closes or
  // the linger passes.
  void Finish();
  // Fails every write at once (the connection is being torn down).
  void Abort();

 private:
  absl::Status Dispatch(Handler* h, wire::SpdyFrame& f);
  absl::Status OnControl(Handler* h, wire::SpdyFrame& f);
  absl::Status OnSynStream(Handler* h, const wire::SpdyFrame& f);
  bool WriteFrame(const std::string& frame);
  void AddWindow(uint32_t id, int64_t delta);
  // Window back to the client once OnData has taken the bytes.
  void ConsumedData(uint32_t id, size_t n);

  struct Stream {
    int64_t window = wire::kSpdyDefaultWindow;
    bool local_closed = false;
    bool remote_closed = false;
  };

  Transport* const t_;
  const Options opts_;
  wire::SpdyHeaderDecompressor inflate_;  // reader thread only
  wire::SpdyHeaderCompressor deflate_;    // under mu_
  std::mutex mu_;
  std::condition_variable window_cv_;
  std::map<uint32_t, Stream> streams_;  // accepted client streams; under mu_
  int64_t session_window_ = wire::kSpdyDefaultWindow;
  int64_t initial_window_ = wire::kSpdyDefaultWindow;
  bool peer_flow_control_ = false;     // the peer has sent a WINDOW_UPDATE
  bool peer_session_windows_ = false;  // ... and one for the session (stream 0)
  bool down_ = false;
  ConnectionPace pace_;
  uint32_t last_stream_ = 0;
};

}  // namespace cricket::cri::streaming
