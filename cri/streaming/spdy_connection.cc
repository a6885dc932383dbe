// SpdyConnection: the frame loop of one upgraded SPDY/3.1 connection.
#include "cri/streaming/spdy_connection.h"

#include "absl/strings/str_cat.h"
#include "oci/sys/log.h"

namespace cricket::cri::streaming {
namespace {

// Data frames no larger than spdystream's own (its io.Copy buffer).
constexpr size_t kMaxDataFrame = 32 * 1024;

// Returned by Dispatch when the client said GOAWAY: a clean end.
absl::Status PeerWentAway() { return absl::CancelledError("peer sent GOAWAY"); }

}  // namespace

absl::Status SpdyConnection::Serve(Handler* h, std::string buf, const std::atomic<bool>& stop) {
  pace_.Touch();
  while (true) {
    while (true) {
      size_t used = 0;
      auto f = wire::ParseSpdyFrame(buf, &used);
      if (!f.ok()) {
        WriteFrame(wire::SpdyGoAway(last_stream_, wire::kRstProtocolError));
        return f.status();
      }
      if (!f->has_value()) break;
      buf.erase(0, used);
      absl::Status st = Dispatch(h, **f);
      if (absl::IsCancelled(st)) return absl::OkStatus();
      if (!st.ok()) {
        WriteFrame(wire::SpdyGoAway(last_stream_, wire::kRstProtocolError));
        return st;
      }
    }
    if (auto end = pace_.ReadMore(t_, &buf, [h] { h->OnTick(); }, stop)) return *end;
  }
}

absl::Status SpdyConnection::Dispatch(Handler* h, wire::SpdyFrame& f) {
  if (f.control) return OnControl(h, f);
  uint32_t id = f.stream_id;
  bool known;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = streams_.find(id);
    known = it != streams_.end() && !it->second.remote_closed;
    if (known && (f.flags & wire::kSpdyFlagFin)) {
      it->second.remote_closed = true;
      if (it->second.local_closed) streams_.erase(it);
    }
  }
  if (!known) {
    if (id != 0) Reset(id, wire::kRstInvalidStream);
    return absl::OkStatus();
  }
  if (!f.payload.empty()) {
    h->OnData(id, f.payload);
    ConsumedData(id, f.payload.size());
  }
  if (f.flags & wire::kSpdyFlagFin) h->OnRemoteClose(id);
  return absl::OkStatus();
}

absl::Status SpdyConnection::OnControl(Handler* h, wire::SpdyFrame& f) {
  switch (f.type) {
    case wire::kSynStream: return OnSynStream(h, f);
    case wire::kSynReply:
    case wire::kHeaders: {
      // Nothing to do with them, but zlib's state must follow every block.
      auto hdr = wire::ParseStreamHeaders(f.payload);
      if (!hdr.ok()) return hdr.status();
      return inflate_.Decompress(hdr->second).status();
    }
    case wire::kRstStream: {
      auto w = wire::ParseTwoWords(f.payload);
      if (!w.ok()) return w.status();
      {
        std::lock_guard<std::mutex> lock(mu_);
        streams_.erase(w->first);
        window_cv_.notify_all();
      }
      h->OnReset(w->first);
      return absl::OkStatus();
    }
    case wire::kSettings: {
      auto s = wire::ParseSettings(f.payload);
      if (!s.ok()) return s.status();
      for (const auto& [id, value] : *s) {
        if (id != wire::kSettingsInitialWindowSize || value > 0x7fffffff) continue;
        std::lock_guard<std::mutex> lock(mu_);
        int64_t delta = int64_t{value} - initial_window_;
        initial_window_ = value;
        for (auto& [sid, st] : streams_) st.window += delta;
        window_cv_.notify_all();
      }
      return absl::OkStatus();
    }
    case wire::kPing:
      if (f.payload.size() != 4) return absl::InvalidArgumentError("bad SPDY frame: PING size");
      WriteFrame(wire::EncodeSpdyControl(wire::kPing, 0, f.payload));
      return absl::OkStatus();
    case wire::kGoAway: return PeerWentAway();
    case wire::kWindowUpdate: {
      auto w = wire::ParseTwoWords(f.payload);
      if (!w.ok()) return w.status();
      AddWindow(w->first, w->second & 0x7fffffff);
      return absl::OkStatus();
    }
    default: return absl::OkStatus();  // draft 3: ignore unknown control frames
  }
}

absl::Status SpdyConnection::OnSynStream(Handler* h, const wire::SpdyFrame& f) {
  auto syn = wire::ParseSynStream(f.payload);
  if (!syn.ok()) return syn.status();
  auto headers = inflate_.Decompress(syn->header_block);
  if (!headers.ok()) return headers.status();
  uint32_t id = syn->stream_id;
  if (id % 2 == 0 || id <= last_stream_) {
    return absl::InvalidArgumentError(absl::StrCat("bad SPDY frame: client stream id ", id));
  }
  last_stream_ = id;
  bool accept = h->AcceptStream(id, *headers);
  bool fin = (f.flags & wire::kSpdyFlagFin) != 0;
  std::string frame;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto block = deflate_.Compress({});
    if (!block.ok()) return block.status();
    // The kubelet refuses a stream by replying with FIN, as spdystream does.
    frame = wire::SpdySynReply(id, accept ? 0 : wire::kSpdyFlagFin, *block);
    if (accept) {
      Stream s;
      s.window = initial_window_;
      s.remote_closed = fin;
      streams_[id] = s;
    }
  }
  if (!WriteFrame(frame)) return absl::UnavailableError("streaming connection broke");
  if (!accept) return absl::OkStatus();
  h->StreamReady(id);
  if (fin) h->OnRemoteClose(id);
  return absl::OkStatus();
}

bool SpdyConnection::WriteFrame(const std::string& frame) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (down_) return false;
  }
  if (!t_->Write(frame)) {
    Abort();
    return false;
  }
  pace_.Touch();
  return true;
}

bool SpdyConnection::WriteData(uint32_t id, std::string_view data, bool fin) {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    auto usable = [&]() -> int64_t {
      auto it = streams_.find(id);
      if (down_ || it == streams_.end() || it->second.local_closed) return -1;
      if (!peer_flow_control_ || data.empty()) return int64_t{kMaxDataFrame};
      // What went out before the peer's first WINDOW_UPDATE can leave a window
      // below zero: that is "wait for more updates", never "stream gone".
      int64_t w = std::min<int64_t>(kMaxDataFrame, it->second.window);
      if (peer_session_windows_) w = std::min(w, session_window_);
      return std::max<int64_t>(w, 0);
    };
    window_cv_.wait(lock, [&] { return usable() != 0; });
    int64_t room = usable();
    if (room < 0) return false;
    size_t n = std::min(data.size(), static_cast<size_t>(room));
    bool last = fin && n == data.size();
    auto it = streams_.find(id);
    // Counted always, enforced once the peer shows it counts too.
    it->second.window -= static_cast<int64_t>(n);
    session_window_ -= static_cast<int64_t>(n);
    if (last) {
      it->second.local_closed = true;
      if (it->second.remote_closed) streams_.erase(it);
    }
    std::string frame = wire::EncodeSpdyData(id, last ? wire::kSpdyFlagFin : 0, data.substr(0, n));
    lock.unlock();
    if (!t_->Write(frame)) {
      Abort();
      return false;
    }
    pace_.Touch();
    data.remove_prefix(n);
    if (data.empty() && (!fin || last)) return true;
    lock.lock();
  }
}

void SpdyConnection::Reset(uint32_t id, uint32_t status) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    streams_.erase(id);
    window_cv_.notify_all();
  }
  WriteFrame(wire::SpdyRstStream(id, status));
}

void SpdyConnection::ConsumedData(uint32_t id, size_t n) {
  // Stream and session windows (SPDY/3.1 section 2.6.8): harmless for
  // clients that do not count, necessary for those that do.
  WriteFrame(wire::SpdyWindowUpdate(id, static_cast<uint32_t>(n)));
  WriteFrame(wire::SpdyWindowUpdate(0, static_cast<uint32_t>(n)));
}

void SpdyConnection::AddWindow(uint32_t id, int64_t delta) {
  std::lock_guard<std::mutex> lock(mu_);
  peer_flow_control_ = true;
  // Clients that only count streams (SPDY/3 style) never refill the session
  // window: enforce it only for a peer that shows it counts it.
  if (id == 0) peer_session_windows_ = true;
  if (id == 0) {
    session_window_ += delta;
  } else if (auto it = streams_.find(id); it != streams_.end()) {
    it->second.window += delta;
  }
  window_cv_.notify_all();
}

void SpdyConnection::Finish() {
  if (!pace_.StartFinishing()) return;
  WriteFrame(wire::SpdyGoAway(last_stream_, 0));
}

void SpdyConnection::Abort() {
  std::lock_guard<std::mutex> lock(mu_);
  down_ = true;
  window_cv_.notify_all();
}

}  // namespace cricket::cri::streaming
