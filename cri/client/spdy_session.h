// The client end of a SPDY/3.1 session over an upgraded connection: opens
// streams (odd ids), sends data with FIN, answers pings, tracks flow-control
// windows, and turns received bytes into per-stream events. No I/O: bytes go
// in through Feed and out through outbox(), so it is testable without sockets.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "cri/wire/spdy_frame.h"
#include "cri/wire/spdy_headers.h"

namespace cricket::cri::client {

struct SpdyEvent {
  enum Kind { kReply, kData, kFin, kReset, kGoAway };
  Kind kind = kData;
  uint32_t stream_id = 0;
  std::string data;     // kData
  uint32_t status = 0;  // kReset, kGoAway
  wire::SpdyHeaders headers;  // kReply
};

class SpdyClientSession {
 public:
  static absl::StatusOr<std::unique_ptr<SpdyClientSession>> Make();

  // SYN_STREAM with these headers; returns the new stream id.
  absl::StatusOr<uint32_t> OpenStream(const wire::SpdyHeaders& headers);
  // Queues DATA frames (split at 64 KiB); the caller asks SendWindow first.
  absl::Status Write(uint32_t stream_id, std::string_view data);
  // An empty DATA frame with FIN: this side sends no more on the stream.
  absl::Status CloseWrite(uint32_t stream_id);
  void Reset(uint32_t stream_id, uint32_t status);
  void GoAway();

  // Appends events for every whole frame in `bytes` (partial frames wait for
  // the next call). InvalidArgument on a malformed frame; the caller then
  // closes the connection.
  absl::Status Feed(std::string_view bytes, std::vector<SpdyEvent>* events);

  // How many bytes the peer lets us send on the stream now. Peers built on
  // spdystream (kubelet, containerd, CRI-O) never send WINDOW_UPDATE and do
  // not enforce windows, as kubectl ignores them; so windows are honoured only
  // once the peer has shown it does flow control by sending a WINDOW_UPDATE.
  int64_t SendWindow(uint32_t stream_id) const;

  std::string& outbox() { return outbox_; }

 private:
  SpdyClientSession() = default;
  absl::Status HandleControl(uint16_t type, uint8_t flags, std::string_view body,
                             std::vector<SpdyEvent>* events);
  absl::Status HandleData(uint32_t stream_id, uint8_t flags, std::string payload,
                          std::vector<SpdyEvent>* events);
  absl::Status HandleSettings(std::string_view body);

  struct Stream {
    int64_t send_window = 0;
    bool local_closed = false;
    bool remote_closed = false;
  };

  wire::SpdyHeaderCompressor deflate_;
  wire::SpdyHeaderDecompressor inflate_;
  std::map<uint32_t, Stream> streams_;
  uint32_t next_stream_id_ = 1;
  int64_t initial_window_ = wire::kSpdyDefaultWindow;
  int64_t session_send_window_ = wire::kSpdyDefaultWindow;
  bool peer_does_flow_control_ = false;
  bool peer_session_windows_ = false;  // the peer sent a stream-0 WINDOW_UPDATE (SPDY/3.1)
  std::string inbox_;
  std::string outbox_;
};

}  // namespace cricket::cri::client
