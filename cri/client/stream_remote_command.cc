// One poll loop moving bytes between local fds and the channels of a remote
// command, ended when the server has closed what it sends.
#include "cri/client/stream_remote_command.h"

#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>

#include "absl/strings/str_cat.h"
#include "cri/client/stream_exit_status.h"
#include "cri/client/stream_http.h"
#include "oci/sys/status.h"

namespace cricket::cri::client {
namespace {

enum Channel { kStdin = 0, kStdout = 1, kStderr = 2, kError = 3, kResize = 4 };
constexpr size_t kMaxOutbox = 256 * 1024;  // stop reading stdin while this much waits

struct LoopState {
  bool stdin_open = false;
  bool stdout_open = false;
  bool stderr_open = false;
  bool error_open = true;
  bool closed = false;
  std::string error_text;
};

// SPDY streams carry a streamtype header; WebSocket channels just exist.
absl::Status OpenChannels(ChannelMux& mux, const RemoteCommandOptions& o, bool resize) {
  auto open = [&](int ch, const char* type) {
    return mux.Open(ch, wire::SpdyHeaders{{"streamtype", type}});
  };
  RETURN_IF_ERROR(open(kError, "error"));
  if (o.stdin) RETURN_IF_ERROR(open(kStdin, "stdin"));
  if (o.stdout) RETURN_IF_ERROR(open(kStdout, "stdout"));
  if (o.stderr && !o.tty) RETURN_IF_ERROR(open(kStderr, "stderr"));
  if (o.tty && resize) RETURN_IF_ERROR(open(kResize, "resize"));
  return absl::OkStatus();
}

absl::Status SendSize(ChannelMux& mux, int size_fd) {
  winsize ws{};
  if (size_fd < 0 || ioctl(size_fd, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0) {
    return absl::OkStatus();  // not a terminal: nothing to tell
  }
  return mux.Write(kResize, absl::StrCat("{\"Width\":", ws.ws_col, ",\"Height\":", ws.ws_row, "}"));
}

absl::Status Deliver(const std::vector<MuxEvent>& events, const RemoteCommandOptions& o,
                     LoopState& s) {
  for (const MuxEvent& e : events) {
    if (e.kind == MuxEvent::kClosed) {
      s.closed = true;
    } else if (e.kind == MuxEvent::kData) {
      if (e.channel == kStdout) RETURN_IF_ERROR(WriteAll(o.stdout_fd, e.data));
      if (e.channel == kStderr) RETURN_IF_ERROR(WriteAll(o.stderr_fd, e.data));
      if (e.channel == kError) s.error_text += e.data;
    } else {  // kEof, kReset: the server sends no more on it
      if (e.channel == kStdout) s.stdout_open = false;
      if (e.channel == kStderr) s.stderr_open = false;
      if (e.channel == kError) s.error_open = false;
      if (e.channel == kStdin && e.kind == MuxEvent::kReset) s.stdin_open = false;
    }
  }
  return absl::OkStatus();
}

// Reads a chunk of stdin into the stdin channel; EOF closes the channel.
absl::Status PumpStdin(ChannelMux& mux, const RemoteCommandOptions& o, LoopState& s) {
  char buf[32 * 1024];
  size_t want = std::min<int64_t>(sizeof(buf), mux.WriteWindow(kStdin));
  if (want == 0) return absl::OkStatus();
  ssize_t n = read(o.stdin_fd, buf, want);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return absl::OkStatus();
  if (n <= 0) {  // EOF, or EIO from a hung-up terminal
    s.stdin_open = false;
    return mux.CloseWrite(kStdin);
  }
  return mux.Write(kStdin, std::string_view(buf, n));
}

// Drains signal_fd: true when asked to stop.
bool HandleSignals(ChannelMux& mux, const RemoteCommandOptions& o, bool resize) {
  char buf[64];
  ssize_t n = read(o.signal_fd, buf, sizeof(buf));
  bool stop = false, winch = false;
  for (ssize_t i = 0; i < n; i++) (buf[i] == 'W' ? winch : stop) = true;
  if (winch && resize) SendSize(mux, o.size_fd).IgnoreError();
  return stop;
}

bool Done(const LoopState& s, bool spdy) {
  if (s.closed) return true;
  // Over SPDY each stream ends on its own (FIN); over WebSocket only the
  // connection's close says the output is complete.
  return spdy && !s.error_open && !s.stdout_open && !s.stderr_open;
}

}  // namespace

const std::vector<std::string>& RemoteCommandProtocols(StreamTransport transport) {
  static const std::vector<std::string> kSpdy = {"v4.channel.k8s.io", "v3.channel.k8s.io",
                                                 "v2.channel.k8s.io", "channel.k8s.io"};
  static const std::vector<std::string> kWs = {"v5.channel.k8s.io", "v4.channel.k8s.io"};
  return transport == StreamTransport::kSpdy ? kSpdy : kWs;
}

absl::StatusOr<int> RunRemoteCommand(std::string_view url, const RemoteCommandOptions& o) {
  ASSIGN_OR_RETURN(MuxConnection c,
                   DialMux(url, o.transport, RemoteCommandProtocols(o.transport), o.dial_timeout));
  ChannelMux& mux = *c.mux;
  const std::string proto = mux.protocol();
  const bool spdy = o.transport == StreamTransport::kSpdy;
  const bool json_status = proto.starts_with("v4.") || proto.starts_with("v5.");
  const bool resize = proto != "channel.k8s.io" && proto != "v2.channel.k8s.io";
  RETURN_IF_ERROR(OpenChannels(mux, o, resize));
  if (o.tty && resize) RETURN_IF_ERROR(SendSize(mux, o.size_fd));
  LoopState s;
  s.stdin_open = o.stdin;
  s.stdout_open = o.stdout;
  s.stderr_open = o.stderr && !o.tty;
  std::vector<MuxEvent> events;
  RETURN_IF_ERROR(mux.Feed(c.early_bytes, &events));
  RETURN_IF_ERROR(Deliver(events, o, s));
  while (!Done(s, spdy)) {
    RETURN_IF_ERROR(FlushMux(c.fd.get(), mux));
    pollfd p[3] = {{c.fd.get(), POLLIN, 0}, {-1, POLLIN, 0}, {o.signal_fd, POLLIN, 0}};
    if (!mux.outbox().empty()) p[0].events |= POLLOUT;
    if (s.stdin_open && mux.outbox().size() < kMaxOutbox && mux.WriteWindow(kStdin) > 0) {
      p[1].fd = o.stdin_fd;
    }
    // A window of 0 waits for the server's WINDOW_UPDATE, which arrives on the socket.
    if (poll(p, 3, -1) < 0) {
      if (errno == EINTR) continue;
      return sys::ErrnoStatus(errno, "poll");
    }
    if (p[2].revents & POLLIN && HandleSignals(mux, o, o.tty && resize)) {
      mux.Shutdown();
      FlushMux(c.fd.get(), mux).IgnoreError();
      return absl::CancelledError("interrupted");
    }
    if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) RETURN_IF_ERROR(PumpStdin(mux, o, s));
    if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      events.clear();
      RETURN_IF_ERROR(ReadMux(c.fd.get(), mux, &events, &s.closed));
      RETURN_IF_ERROR(Deliver(events, o, s));
    }
  }
  mux.Shutdown();
  FlushMux(c.fd.get(), mux).IgnoreError();
  return DecodeExitStatus(s.error_text, json_status);
}

}  // namespace cricket::cri::client
