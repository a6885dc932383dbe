// SPDY/3.1 client session state: streams, windows, pings, frame dispatch.
#include "cri/client/spdy_session.h"

#include <algorithm>
#include <limits>

#include "absl/strings/str_cat.h"

namespace cricket::cri::client {
namespace {

constexpr size_t kMaxDataFrame = 64 * 1024;

SpdyEvent Ev(SpdyEvent::Kind kind, uint32_t id, std::string data = "", uint32_t status = 0) {
  SpdyEvent e;
  e.kind = kind;
  e.stream_id = id;
  e.data = std::move(data);
  e.status = status;
  return e;
}

absl::Status Malformed(std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("spdy: ", std::string(what)));
}

}  // namespace

absl::StatusOr<std::unique_ptr<SpdyClientSession>> SpdyClientSession::Make() {
  return std::unique_ptr<SpdyClientSession>(new SpdyClientSession());
}

absl::StatusOr<uint32_t> SpdyClientSession::OpenStream(const wire::SpdyHeaders& headers) {
  auto block = deflate_.Compress(headers);
  if (!block.ok()) return block.status();
  uint32_t id = next_stream_id_;
  next_stream_id_ += 2;
  streams_[id] = Stream{initial_window_, false, false};
  outbox_ += wire::SpdySynStream(id, 0, *block);
  return id;
}

absl::Status SpdyClientSession::Write(uint32_t stream_id, std::string_view data) {
  auto it = streams_.find(stream_id);
  if (it == streams_.end() || it->second.local_closed) {
    return absl::FailedPreconditionError(absl::StrCat("spdy: stream ", stream_id, " is closed"));
  }
  while (!data.empty()) {
    size_t n = std::min(data.size(), kMaxDataFrame);
    outbox_ += wire::EncodeSpdyData(stream_id, 0, data.substr(0, n));
    it->second.send_window -= n;
    session_send_window_ -= n;
    data.remove_prefix(n);
  }
  return absl::OkStatus();
}

absl::Status SpdyClientSession::CloseWrite(uint32_t stream_id) {
  auto it = streams_.find(stream_id);
  if (it == streams_.end()) return absl::NotFoundError(absl::StrCat("spdy: no stream ", stream_id));
  if (it->second.local_closed) return absl::OkStatus();
  it->second.local_closed = true;
  outbox_ += wire::EncodeSpdyData(stream_id, wire::kSpdyFlagFin, "");
  return absl::OkStatus();
}

void SpdyClientSession::Reset(uint32_t stream_id, uint32_t status) {
  outbox_ += wire::SpdyRstStream(stream_id, status);
  streams_.erase(stream_id);
}

void SpdyClientSession::GoAway() { outbox_ += wire::SpdyGoAway(0, 0); }

int64_t SpdyClientSession::SendWindow(uint32_t stream_id) const {
  auto it = streams_.find(stream_id);
  if (it == streams_.end() || it->second.local_closed) return 0;
  if (!peer_does_flow_control_) return std::numeric_limits<int32_t>::max();
  int64_t w = it->second.send_window;
  if (peer_session_windows_) w = std::min(w, session_send_window_);
  return std::max<int64_t>(w, 0);
}

absl::Status SpdyClientSession::Feed(std::string_view bytes, std::vector<SpdyEvent>* events) {
  inbox_.append(bytes);
  size_t used = 0;
  while (true) {
    size_t consumed = 0;
    auto frame = wire::ParseSpdyFrame(std::string_view(inbox_).substr(used), &consumed);
    if (!frame.ok()) return frame.status();
    if (!frame->has_value()) break;
    used += consumed;
    wire::SpdyFrame& f = **frame;
    absl::Status st = f.control ? HandleControl(f.type, f.flags, f.payload, events)
                                : HandleData(f.stream_id, f.flags, std::move(f.payload), events);
    if (!st.ok()) return st;
  }
  inbox_.erase(0, used);  // less than one frame (wire::kSpdyMaxFrameLength) stays
  return absl::OkStatus();
}

absl::Status SpdyClientSession::HandleData(uint32_t stream_id, uint8_t flags, std::string payload,
                                           std::vector<SpdyEvent>* events) {
  if (stream_id == 0) return Malformed("data frame on stream 0");
  auto it = streams_.find(stream_id);
  if (it == streams_.end()) {
    outbox_ += wire::SpdyRstStream(stream_id, wire::kRstInvalidStream);
    return absl::OkStatus();
  }
  if (!payload.empty()) {
    // The data is consumed as soon as the caller gets the event, so the
    // window is given back at once.
    // Stream and session (SPDY/3.1) both, from the first byte: a server that
    // counts its session window from the start must get every byte back.
    outbox_ += wire::SpdyWindowUpdate(stream_id, payload.size());
    outbox_ += wire::SpdyWindowUpdate(0, payload.size());
    events->push_back(Ev(SpdyEvent::kData, stream_id, std::move(payload)));
  }
  if (flags & wire::kSpdyFlagFin) {
    it->second.remote_closed = true;
    events->push_back(Ev(SpdyEvent::kFin, stream_id));
  }
  return absl::OkStatus();
}

absl::Status SpdyClientSession::HandleSettings(std::string_view body) {
  auto settings = wire::ParseSettings(body);
  if (!settings.ok()) return settings.status();
  for (const auto& [id, value] : *settings) {
    if (id != wire::kSettingsInitialWindowSize) continue;
    int64_t delta = static_cast<int64_t>(value) - initial_window_;
    initial_window_ = value;
    for (auto& [sid, s] : streams_) s.send_window += delta;
  }
  return absl::OkStatus();
}

absl::Status SpdyClientSession::HandleControl(uint16_t type, uint8_t flags, std::string_view body,
                                              std::vector<SpdyEvent>* events) {
  auto need = [&](size_t n, const char* what) {
    return body.size() < n ? Malformed(absl::StrCat("short ", what, " frame")) : absl::OkStatus();
  };
  switch (type) {
    case wire::kSynReply:
    case wire::kHeaders: {
      if (auto st = need(4, "SYN_REPLY/HEADERS"); !st.ok()) return st;
      uint32_t id = wire::ReadBe32(body, 0) & 0x7fffffff;
      auto headers = inflate_.Decompress(body.substr(4));
      if (!headers.ok()) return headers.status();
      events->push_back(Ev(SpdyEvent::kReply, id));
      events->back().headers = std::move(*headers);
      if (flags & wire::kSpdyFlagFin) events->push_back(Ev(SpdyEvent::kFin, id));
      return absl::OkStatus();
    }
    case wire::kSynStream: {
      // Servers never push streams in these protocols: refuse it, but the
      // header block still has to go through the shared inflate stream.
      if (auto st = need(10, "SYN_STREAM"); !st.ok()) return st;
      auto headers = inflate_.Decompress(body.substr(10));
      if (!headers.ok()) return headers.status();
      outbox_ += wire::SpdyRstStream(wire::ReadBe32(body, 0) & 0x7fffffff, wire::kRstRefusedStream);
      return absl::OkStatus();
    }
    case wire::kRstStream: {
      if (auto st = need(8, "RST_STREAM"); !st.ok()) return st;
      uint32_t id = wire::ReadBe32(body, 0) & 0x7fffffff;
      streams_.erase(id);
      events->push_back(Ev(SpdyEvent::kReset, id, "", wire::ReadBe32(body, 4)));
      return absl::OkStatus();
    }
    case wire::kSettings:
      return HandleSettings(body);
    case wire::kPing: {
      if (auto st = need(4, "PING"); !st.ok()) return st;
      uint32_t id = wire::ReadBe32(body, 0);
      if (id % 2 == 0) outbox_ += wire::SpdyPing(id);  // even ids are the server's: echo them
      return absl::OkStatus();
    }
    case wire::kGoAway: {
      if (auto st = need(4, "GOAWAY"); !st.ok()) return st;
      events->push_back(Ev(SpdyEvent::kGoAway, wire::ReadBe32(body, 0) & 0x7fffffff, "",
                           body.size() >= 8 ? wire::ReadBe32(body, 4) : 0));
      return absl::OkStatus();
    }
    case wire::kWindowUpdate: {
      if (auto st = need(8, "WINDOW_UPDATE"); !st.ok()) return st;
      uint32_t id = wire::ReadBe32(body, 0) & 0x7fffffff;
      int64_t delta = wire::ReadBe32(body, 4) & 0x7fffffff;
      peer_does_flow_control_ = true;
      if (id == 0) {
        peer_session_windows_ = true;
        session_send_window_ += delta;
      } else if (auto it = streams_.find(id); it != streams_.end()) {
        it->second.send_window += delta;
      }
      return absl::OkStatus();
    }
  }
  return absl::OkStatus();  // unknown control frames are ignored (SPDY/3 section 2.2.1)
}

}  // namespace cricket::cri::client
