// Exec and Attach, independent of the wire protocol: the process's stdio
// relayed to numbered client channels, stdin close, terminal resize, and the
// exit status written on the error channel the way kubectl reads it.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "absl/status/statusor.h"
#include "cri/streaming/fd_pump.h"
#include "pod/stream_session.h"

namespace cricket::cri::streaming {

// Channel numbers of the Kubernetes remote command protocols.
enum Channel : int { kStdin = 0, kStdout = 1, kStderr = 2, kError = 3, kResize = 4 };

// The server-to-client side of a connection, as SPDY streams or WebSocket channels.
class ClientStreams {
 public:
  virtual ~ClientStreams() = default;
  // False once the client is gone. May block on flow control.
  virtual bool Write(int channel, std::string_view data) = 0;
  // No more data on this channel (SPDY FIN; nothing for WebSocket).
  virtual void CloseChannel(int channel) = 0;
  // All done: close the connection once the client has read everything.
  virtual void Finish() = 0;
};

// v1-v3 send the failure message as text; v4 and v5 a metav1.Status in JSON.
enum class StatusFormat { kText, kJson };

// {"metadata":{},"status":"Success"} or the Failure for a non-zero exit code.
std::string ExitStatusJson(int exit_code, const std::string& cmd);
// A Failure with reason InternalError for an error other than an exit code.
std::string ErrorStatusJson(const std::string& message);
// "command terminated with non-zero exit code: ..." as v1-v3 write it.
std::string ExitStatusText(int exit_code, const std::string& cmd);

// Splits concatenated JSON objects (a json.Encoder stream) into
// {"Width":W,"Height":H} pairs; partial objects wait for more bytes.
class ResizeDecoder {
 public:
  // The sizes completed by data; InvalidArgument for something that is not
  // a size object.
  absl::StatusOr<std::vector<std::pair<uint16_t, uint16_t>>> Add(std::string_view data);

 private:
  std::string buf_;
};

struct RemoteCommandSpec {
  pod::StreamOptions opts;
  bool is_exec = true;   // attach reports success when the container ends
  std::string what;      // "exec [sh -c ...] in <id>" for logs and messages
  std::string cmd_text;  // "[sh -c exit 3]" for the exit message
  StatusFormat format = StatusFormat::kJson;
};

// Makes the session with the spec's options, plus the terminal size if the
// client sent one before the process starts.
using SessionFactory =
    std::function<absl::StatusOr<std::unique_ptr<pod::StreamSession>>(const pod::StreamOptions&)>;

class RemoteCommand {
 public:
  RemoteCommand(RemoteCommandSpec spec, ClientStreams* out, std::function<void(size_t)> on_stdin_written);
  ~RemoteCommand();  // Stop()

  // Creates the process side in a thread and relays until it ends, then
  // writes the status and calls out->Finish().
  void Start(SessionFactory factory);
  // From the connection's reader thread.
  void OnStdin(std::string_view data);
  void OnStdinClose();
  void OnResize(std::string_view data);
  // The client went away: detach or kill the process side and join.
  void Stop();

 private:
  void Run(SessionFactory factory);
  void Relay(pod::StreamSession& s);
  void WriteStatus(const absl::StatusOr<int>& exit);
  void ApplyResize(uint16_t w, uint16_t h);

  const RemoteCommandSpec spec_;
  ClientStreams* const out_;
  FdWriter stdin_;
  ResizeDecoder resize_decoder_;
  std::mutex mu_;
  pod::StreamSession* session_ = nullptr;  // guarded by mu_; owned by Run
  std::optional<std::pair<uint16_t, uint16_t>> pending_size_;
  std::condition_variable size_cv_;  // pending_size_ set, or stopped
  bool stopped_ = false;
  std::thread thread_;
};

}  // namespace cricket::cri::streaming
