// Exec and attach over SPDY/3.1: the client opens one stream per channel,
// named by its streamType header; once all expected streams are there the
// command starts (the kubelet's remotecommand v1-v4 waitForStreams).
#include <map>
#include <memory>

#include "cri/streaming/handshake.h"
#include "cri/streaming/sessions.h"
#include "cri/streaming/spdy_connection.h"
#include "oci/sys/log.h"

namespace cricket::cri::streaming {
namespace {

int ChannelOf(const std::string& stream_type) {
  if (stream_type == "stdin") return kStdin;
  if (stream_type == "stdout") return kStdout;
  if (stream_type == "stderr") return kStderr;
  if (stream_type == "error") return kError;
  if (stream_type == "resize") return kResize;
  return -1;
}

class SpdyExec : public SpdyConnection::Handler, public ClientStreams {
 public:
  SpdyExec(Transport* t, const std::string& protocol, RemoteCommandSpec spec,
           SessionFactory factory, const ConnOptions& opts)
      : conn_(t, {opts.idle_timeout, opts.linger}),
        spec_(spec),
        factory_(std::move(factory)),
        rc_(std::move(spec), this, nullptr),
        creation_timeout_(opts.stream_creation_timeout),
        created_(std::chrono::steady_clock::now()) {
    expected_ = 1 + spec_.opts.stdin + spec_.opts.stdout + spec_.opts.stderr;
    // Terminal resizing came with v3.
    if (spec_.opts.tty && protocol != kProtoV1 && protocol != kProtoV2) {
      expected_++;
      resize_ok_ = true;
    }
  }

  absl::Status Serve(Transport* t, std::string pending, const std::atomic<bool>& stop) {
    absl::Status st = conn_.Serve(this, std::move(pending), stop);
    conn_.Abort();
    t->Shutdown();
    rc_.Stop();
    return st;
  }

  bool AcceptStream(uint32_t id, const wire::SpdyHeaders& headers) override {
    std::string type = wire::SpdyHeaderValue(headers, "streamtype");
    int ch = ChannelOf(type);
    bool wanted = ch == kError || (ch == kStdin && spec_.opts.stdin) ||
                  (ch == kStdout && spec_.opts.stdout) || (ch == kStderr && spec_.opts.stderr) ||
                  (ch == kResize && resize_ok_);
    std::lock_guard<std::mutex> lock(mu_);
    if (!wanted || started_ || channel_to_id_.count(ch)) {
      sys::LogWarn("refused SPDY stream", {{"session", spec_.what}, {"streamType", type}});
      return false;
    }
    channel_to_id_[ch] = id;
    id_to_channel_[id] = ch;
    return true;
  }

  void StreamReady(uint32_t) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (started_ || static_cast<int>(channel_to_id_.size()) < expected_) return;
      started_ = true;
    }
    rc_.Start(factory_);
  }

  void OnData(uint32_t id, std::string_view data) override {
    int ch = Channel(id);
    if (ch == kStdin) rc_.OnStdin(data);
    if (ch == kResize) rc_.OnResize(data);
  }
  void OnRemoteClose(uint32_t id) override {
    if (Channel(id) == kStdin) rc_.OnStdinClose();
  }
  void OnReset(uint32_t id) override { OnRemoteClose(id); }
  void OnTick() override {
    std::lock_guard<std::mutex> lock(mu_);
    if (started_ || std::chrono::steady_clock::now() - created_ < creation_timeout_) return;
    started_ = true;  // never start now
    sys::LogWarn("timed out waiting for the client to create streams", {{"session", spec_.what}});
    conn_.Finish();
  }

  bool Write(int channel, std::string_view data) override {
    uint32_t id = Stream(channel);
    return id == 0 || conn_.WriteData(id, data, false);
  }
  void CloseChannel(int channel) override {
    if (uint32_t id = Stream(channel); id != 0) conn_.WriteData(id, "", true);
  }
  void Finish() override { conn_.Finish(); }

 private:
  int Channel(uint32_t id) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = id_to_channel_.find(id);
    return it == id_to_channel_.end() ? -1 : it->second;
  }
  uint32_t Stream(int channel) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = channel_to_id_.find(channel);
    return it == channel_to_id_.end() ? 0 : it->second;
  }

  SpdyConnection conn_;
  const RemoteCommandSpec spec_;
  SessionFactory factory_;
  RemoteCommand rc_;
  const std::chrono::seconds creation_timeout_;
  const std::chrono::steady_clock::time_point created_;
  int expected_ = 0;
  bool resize_ok_ = false;
  std::mutex mu_;
  bool started_ = false;
  std::map<int, uint32_t> channel_to_id_;
  std::map<uint32_t, int> id_to_channel_;
};

}  // namespace

StatusFormat FormatFor(const std::string& protocol) {
  if (protocol == kProtoV4 || protocol == kProtoV5 || protocol == kProtoV4Base64) {
    return StatusFormat::kJson;
  }
  return StatusFormat::kText;
}

absl::Status ServeExecSpdy(Transport* t, std::string pending, const std::string& protocol,
                           RemoteCommandSpec spec, SessionFactory factory,
                           const ConnOptions& opts, const std::atomic<bool>& stop) {
  spec.format = FormatFor(protocol);
  SpdyExec exec(t, protocol, std::move(spec), std::move(factory), opts);
  return exec.Serve(t, std::move(pending), stop);
}

}  // namespace cricket::cri::streaming
