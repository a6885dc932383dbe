// RemoteCommand: relay threads around a pod::StreamSession, resize decoding,
// and the status documents of kubelet's remotecommand server (v4WriteStatusFunc).
#include "cri/streaming/remote_command.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "oci/sys/log.h"

namespace cricket::cri::streaming {
namespace {

std::string Quote(const std::string& s) { return nlohmann::json(s).dump(); }

std::string ExitMessage(int exit_code, const std::string& cmd) {
  // containerd's wording inside the kubelet's prefix; kubectl reads the code
  // from details.causes, people read the message.
  return absl::StrCat("command terminated with non-zero exit code: error executing command ", cmd,
                      ", exit code ", exit_code);
}

}  // namespace

std::string ExitStatusJson(int exit_code, const std::string& cmd) {
  if (exit_code == 0) return R"({"metadata":{},"status":"Success"})";
  return absl::StrCat(R"({"metadata":{},"status":"Failure","message":)",
                      Quote(ExitMessage(exit_code, cmd)),
                      R"(,"reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode",)",
                      R"("message":")", exit_code, R"("}]}})");
}

std::string ErrorStatusJson(const std::string& message) {
  return absl::StrCat(R"({"metadata":{},"status":"Failure","message":)",
                      Quote("Internal error occurred: " + message),
                      R"(,"reason":"InternalError","details":{"causes":[{"message":)",
                      Quote(message), R"(}]},"code":500})");
}

std::string ExitStatusText(int exit_code, const std::string& cmd) {
  return ExitMessage(exit_code, cmd);
}

absl::StatusOr<std::vector<std::pair<uint16_t, uint16_t>>> ResizeDecoder::Add(
    std::string_view data) {
  buf_.append(data);
  std::vector<std::pair<uint16_t, uint16_t>> out;
  while (true) {
    size_t start = buf_.find_first_not_of(" \t\r\n");
    if (start == std::string::npos) {
      buf_.clear();
      return out;
    }
    if (buf_[start] != '{') return absl::InvalidArgumentError("resize: not a JSON object");
    int depth = 0;
    bool in_str = false, esc = false;
    size_t end = std::string::npos;
    for (size_t i = start; i < buf_.size() && end == std::string::npos; i++) {
      char c = buf_[i];
      if (in_str) {
        if (esc) esc = false;
        else if (c == '\\') esc = true;
        else if (c == '"') in_str = false;
      } else if (c == '"') {
        in_str = true;
      } else if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        end = i + 1;
      }
    }
    if (end == std::string::npos) {
      if (buf_.size() > 4096) return absl::InvalidArgumentError("resize: object too long");
      buf_.erase(0, start);
      return out;
    }
    nlohmann::json j = nlohmann::json::parse(buf_.substr(start, end - start), nullptr, false);
    buf_.erase(0, end);
    if (j.is_discarded() || !j.is_object()) return absl::InvalidArgumentError("resize: bad JSON");
    // Go's encoding/json matches field names case-insensitively.
    int64_t w = -1, h = -1;
    for (auto it = j.begin(); it != j.end(); ++it) {
      std::string k = it.key();
      for (char& c : k) c = static_cast<char>(tolower(c));
      if (!it.value().is_number_integer()) continue;
      if (k == "width") w = it.value().get<int64_t>();
      if (k == "height") h = it.value().get<int64_t>();
    }
    if (w < 0 || h < 0 || w > 65535 || h > 65535) {
      return absl::InvalidArgumentError("resize: Width and Height must be 0..65535");
    }
    out.emplace_back(static_cast<uint16_t>(w), static_cast<uint16_t>(h));
  }
}

RemoteCommand::RemoteCommand(RemoteCommandSpec spec, ClientStreams* out,
                             std::function<void(size_t)> on_stdin_written)
    : spec_(std::move(spec)),
      out_(out),
      stdin_(std::move(on_stdin_written), [this] {
        std::lock_guard<std::mutex> lock(mu_);
        if (session_) {
          absl::Status st = session_->CloseStdin();
          if (!st.ok()) sys::LogDebug("close stdin", {{"session", spec_.what}, {"error", st.ToString()}});
        }
      }) {}

RemoteCommand::~RemoteCommand() { Stop(); }

void RemoteCommand::Start(SessionFactory factory) {
  thread_ = std::thread([this, f = std::move(factory)] { Run(f); });
}

void RemoteCommand::OnStdin(std::string_view data) {
  if (spec_.opts.stdin) stdin_.Push(data);
}

void RemoteCommand::OnStdinClose() {
  if (spec_.opts.stdin) stdin_.CloseInput();
}

void RemoteCommand::OnResize(std::string_view data) {
  auto sizes = resize_decoder_.Add(data);
  if (!sizes.ok()) {
    sys::LogWarn("bad resize message", {{"session", spec_.what}, {"error", sizes.status().ToString()}});
    return;
  }
  for (const auto& [w, h] : *sizes) ApplyResize(w, h);
}

void RemoteCommand::ApplyResize(uint16_t w, uint16_t h) {
  if (!spec_.opts.tty) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (!session_) {
    pending_size_ = std::make_pair(w, h);  // before the process exists: applied at start
    size_cv_.notify_all();
    return;
  }
  absl::Status st = session_->Resize(w, h);
  if (!st.ok()) sys::LogDebug("resize", {{"session", spec_.what}, {"error", st.ToString()}});
}

void RemoteCommand::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopped_ = true;
    if (session_) session_->Close();
    size_cv_.notify_all();
  }
  stdin_.Stop();
  if (thread_.joinable()) thread_.join();
}

void RemoteCommand::Run(SessionFactory factory) {
  pod::StreamOptions opts = spec_.opts;
  if (opts.tty) {
    // Clients send the terminal's size right after opening their streams:
    // wait a moment for it, so the process starts with a sized terminal
    // instead of racing the first resize.
    std::unique_lock<std::mutex> lock(mu_);
    size_cv_.wait_for(lock, std::chrono::milliseconds(500),
                      [&] { return pending_size_.has_value() || stopped_; });
    if (pending_size_) std::tie(opts.width, opts.height) = *pending_size_;
  }
  auto made = factory(opts);
  if (!made.ok()) {
    sys::LogWarn("streaming session failed", {{"session", spec_.what}, {"error", made.status().ToString()}});
    stdin_.Stop();  // nothing will write: never let OnStdin block
    WriteStatus(made.status());
    out_->CloseChannel(kError);
    out_->Finish();
    return;
  }
  std::unique_ptr<pod::StreamSession> s = std::move(*made);
  {
    std::lock_guard<std::mutex> lock(mu_);
    session_ = s.get();
    if (stopped_) s->Close();
    if (pending_size_) (void)s->Resize(pending_size_->first, pending_size_->second);
  }
  Relay(*s);
  std::lock_guard<std::mutex> lock(mu_);
  session_ = nullptr;
}

void RemoteCommand::Relay(pod::StreamSession& s) {
  if (spec_.opts.stdin && s.in_fd() >= 0) stdin_.Start(s.in_fd());
  auto reader = [this](int fd, int channel, bool wanted) -> std::unique_ptr<FdReader> {
    if (fd < 0) return nullptr;
    return std::make_unique<FdReader>(
        fd, [this, channel, wanted](std::string_view d) { return !wanted || out_->Write(channel, d); },
        nullptr);
  };
  auto out = reader(s.out_fd(), kStdout, spec_.opts.stdout);
  // With a tty err_fd is -1, or the same pty as out_fd: read it once.
  auto err = s.err_fd() == s.out_fd() ? nullptr : reader(s.err_fd(), kStderr, spec_.opts.stderr);
  absl::StatusOr<int> exit = s.Wait();
  for (auto* r : {out.get(), err.get()}) {
    if (r) {
      r->Drain();
      r->Join();
    }
  }
  sys::LogDebug("streaming session ended",
                {{"session", spec_.what}, {"exit", exit.ok() ? std::to_string(*exit) : exit.status().ToString()}});
  WriteStatus(exit);
  if (spec_.opts.stdout) out_->CloseChannel(kStdout);
  if (spec_.opts.stderr && !spec_.opts.tty) out_->CloseChannel(kStderr);
  out_->CloseChannel(kError);
  out_->Finish();
}

void RemoteCommand::WriteStatus(const absl::StatusOr<int>& exit) {
  bool json = spec_.format == StatusFormat::kJson;
  if (!exit.ok()) {
    std::string msg(exit.status().message());
    out_->Write(kError, json ? ErrorStatusJson(msg) : msg);
    return;
  }
  if (spec_.is_exec && *exit != 0) {
    out_->Write(kError, json ? ExitStatusJson(*exit, spec_.cmd_text)
                             : ExitStatusText(*exit, spec_.cmd_text));
    return;
  }
  if (json) out_->Write(kError, ExitStatusJson(0, ""));
}

}  // namespace cricket::cri::streaming
