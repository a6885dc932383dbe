// Exec and attach over WebSocket (wsstream channel protocols): channel-prefixed
// messages, an empty first message on the lowest writable channel, and in
// v5 the close signal (channel 255) that ends stdin.
#include "cri/streaming/handshake.h"
#include "cri/streaming/sessions.h"
#include "cri/streaming/ws_connection.h"

namespace cricket::cri::streaming {
namespace {

constexpr int kCloseSignal = 255;

class WsExec : public WsConnection::Handler, public ClientStreams {
 public:
  WsExec(Transport* t, const std::string& protocol, RemoteCommandSpec spec,
         SessionFactory factory, const ConnOptions& opts)
      : conn_(t, {protocol == kProtoBase64 || protocol == kProtoV4Base64, opts.idle_timeout,
                  opts.linger}),
        v5_(protocol == kProtoV5),
        opts_(spec.opts),
        factory_(std::move(factory)),
        rc_(std::move(spec), this, nullptr) {}

  absl::Status Serve(Transport* t, std::string pending, const std::atomic<bool>& stop) {
    // Tells the client the channels are open (wsstream does the same).
    int first = opts_.stdout ? kStdout : opts_.stderr ? kStderr : kError;
    conn_.Write(first, "");
    rc_.Start(factory_);
    absl::Status st = conn_.Serve(this, std::move(pending), stop);
    t->Shutdown();
    rc_.Stop();
    return st;
  }

  void OnMessage(int channel, std::string_view data) override {
    if (channel == kStdin) rc_.OnStdin(data);
    if (channel == kResize) rc_.OnResize(data);
    if (channel == kCloseSignal && v5_ && !data.empty() && data[0] == kStdin) rc_.OnStdinClose();
  }

  bool Write(int channel, std::string_view data) override {
    bool wanted = channel == kError || (channel == kStdout && opts_.stdout) ||
                  (channel == kStderr && opts_.stderr);
    return !wanted || conn_.Write(channel, data);
  }
  void CloseChannel(int) override {}
  void Finish() override { conn_.Finish(); }

 private:
  WsConnection conn_;
  const bool v5_;
  const pod::StreamOptions opts_;
  SessionFactory factory_;
  RemoteCommand rc_;
};

}  // namespace

absl::Status ServeExecWebSocket(Transport* t, std::string pending, const std::string& protocol,
                                RemoteCommandSpec spec, SessionFactory factory,
                                const ConnOptions& opts, const std::atomic<bool>& stop) {
  spec.format = FormatFor(protocol);
  WsExec exec(t, protocol, std::move(spec), std::move(factory), opts);
  return exec.Serve(t, std::move(pending), stop);
}

}  // namespace cricket::cri::streaming
