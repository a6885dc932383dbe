// A Kubernetes streaming connection seen as numbered channels, whatever the
// transport: over SPDY each channel is a stream the client opens with
// headers; over WebSocket each message starts with its channel byte. The
// remote-command and port-forward loops are written once against this.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "cri/wire/spdy_headers.h"
#include "oci/sys/unique_fd.h"

namespace cricket::cri::client {

enum class StreamTransport { kSpdy, kWebSocket };

// "spdy" or "websocket" (also "ws"); InvalidArgument otherwise.
absl::StatusOr<StreamTransport> ParseTransport(std::string_view name);

struct MuxEvent {
  enum Kind { kData, kEof, kReset, kClosed };
  Kind kind = kData;
  int channel = -1;  // -1 for kClosed
  std::string data;
};

class ChannelMux {
 public:
  virtual ~ChannelMux() = default;
  // SPDY: SYN_STREAM with the headers. WebSocket: channels need no opening.
  virtual absl::Status Open(int channel, const wire::SpdyHeaders& headers) = 0;
  virtual absl::Status Write(int channel, std::string_view data) = 0;
  // No more data from us on the channel: SPDY FIN; WebSocket v5 sends the
  // close signal on channel 255; older WebSocket protocols cannot say it.
  virtual absl::Status CloseWrite(int channel) = 0;
  // Drop a channel for good (SPDY RST_STREAM CANCEL); WebSocket: nothing.
  virtual void Reset(int channel) = 0;
  // Bytes we may send now on the channel (flow control).
  virtual int64_t WriteWindow(int channel) const = 0;
  virtual absl::Status Feed(std::string_view bytes, std::vector<MuxEvent>* events) = 0;
  // Orderly goodbye: SPDY GOAWAY, WebSocket close frame.
  virtual void Shutdown() = 0;

  std::string& outbox() { return outbox_; }
  const std::string& protocol() const { return protocol_; }

 protected:
  std::string outbox_;
  std::string protocol_;
};

// An upgraded connection: its socket (non-blocking), the mux, and bytes the
// server sent right after its 101 answer (feed them first).
struct MuxConnection {
  sys::UniqueFd fd;
  std::unique_ptr<ChannelMux> mux;
  std::string early_bytes;
};

// Dials the URL, upgrades to the transport offering `protocols` (best first),
// and returns the connection with the negotiated protocol.
absl::StatusOr<MuxConnection> DialMux(std::string_view url, StreamTransport transport,
                                      const std::vector<std::string>& protocols,
                                      std::chrono::milliseconds timeout);

// Sends what the mux has queued, without blocking; Unavailable if the peer
// is gone.
absl::Status FlushMux(int fd, ChannelMux& mux);

// Reads what the socket has and feeds it; sets *closed on EOF.
absl::Status ReadMux(int fd, ChannelMux& mux, std::vector<MuxEvent>* events, bool* closed);

}  // namespace cricket::cri::client
