// One streaming connection: TLS handshake, the HTTP request head, token
// lookup, the upgrade, then the exec/attach/port-forward session.
#include <charconv>
#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cri/streaming/handshake.h"
#include "cri/streaming/server_state.h"
#include "cri/streaming/sessions.h"
#include "oci/sys/log.h"

namespace cricket::cri::streaming {
namespace {

namespace v1 = ::runtime::v1;

constexpr int kHeadTimeoutMs = 10000;

struct Conn {
  std::shared_ptr<StreamingServer::State> st;
  std::unique_ptr<Transport> t;
  UnauthenticatedSlot unauthenticated;  // released when a token matches
  HttpRequest req;
  std::string pending;  // bytes after the head
  ConnOptions opts;
};

// Reads up to the blank line; false (after answering when useful) otherwise.
bool ReadHead(Conn& c) {
  std::string buf;
  char chunk[4096];
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kHeadTimeoutMs);
  while (true) {
    if (auto end = FindHeadEnd(buf)) {
      auto req = ParseHttpRequest(std::string_view(buf).substr(0, *end));
      if (!req.ok()) {
        sys::LogWarn("streaming: bad request", {{"error", req.status().ToString()}});
        c.t->Write(HttpErrorResponse(400, std::string(req.status().message())));
        return false;
      }
      c.req = std::move(*req);
      c.pending = buf.substr(*end);
      return true;
    }
    if (buf.size() > kMaxRequestHead) {
      c.t->Write(HttpErrorResponse(400, "request head too large"));
      return false;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) return false;
    ssize_t n = c.t->Read(chunk, sizeof(chunk), static_cast<int>(left));
    if (n == Transport::kTimeout) return false;
    if (n <= 0) return false;
    buf.append(chunk, static_cast<size_t>(n));
  }
}

std::string CmdText(const google::protobuf::RepeatedPtrField<std::string>& cmd) {
  return absl::StrCat("[", absl::StrJoin(cmd, " "), "]");  // Go's %v of a []string
}

pod::StreamOptions OptionsOf(bool in, bool out, bool err, bool tty) {
  pod::StreamOptions o;
  o.stdin = in;
  o.stdout = out;
  o.stderr = err && !tty;
  o.tty = tty;
  return o;
}

absl::Status ServeRemoteCommand(Conn& c, RemoteCommandSpec spec, SessionFactory factory) {
  Upgrade up = UpgradeKind(c.req);
  Handshake hs = up == Upgrade::kSpdy
                     ? SpdyHandshake(c.req, SpdyRemoteCommandProtocols())
                     : WebSocketHandshake(c.req, WebSocketRemoteCommandProtocols(), true);
  if (!c.t->Write(hs.response) || !hs.ok) {
    return absl::InvalidArgumentError("upgrade refused: " + hs.response.substr(0, hs.response.find('\r')));
  }
  sys::LogInfo("streaming session", {{"session", spec.what}, {"protocol", hs.protocol}});
  if (up == Upgrade::kSpdy) {
    return ServeExecSpdy(c.t.get(), std::move(c.pending), hs.protocol, std::move(spec),
                         std::move(factory), c.opts, c.st->stop);
  }
  return ServeExecWebSocket(c.t.get(), std::move(c.pending), hs.protocol, std::move(spec),
                            std::move(factory), c.opts, c.st->stop);
}

absl::Status ServeExec(Conn& c, const v1::ExecRequest& r) {
  RemoteCommandSpec spec;
  spec.opts = OptionsOf(r.stdin(), r.stdout(), r.stderr(), r.tty());
  spec.cmd_text = CmdText(r.cmd());
  spec.what = absl::StrCat("exec ", spec.cmd_text, " in ", r.container_id());
  std::vector<std::string> cmd(r.cmd().begin(), r.cmd().end());
  auto rt = c.st->runtime;
  SessionFactory f = [rt, id = r.container_id(), cmd](const pod::StreamOptions& o) {
    return rt->Exec(id, cmd, o);
  };
  return ServeRemoteCommand(c, std::move(spec), std::move(f));
}

absl::Status ServeAttach(Conn& c, const v1::AttachRequest& r) {
  RemoteCommandSpec spec;
  spec.opts = OptionsOf(r.stdin(), r.stdout(), r.stderr(), r.tty());
  spec.is_exec = false;
  spec.what = absl::StrCat("attach to ", r.container_id());
  auto rt = c.st->runtime;
  SessionFactory f = [rt, id = r.container_id()](const pod::StreamOptions& o) {
    return rt->Attach(id, o);
  };
  return ServeRemoteCommand(c, std::move(spec), std::move(f));
}

// ?port=80&port=8080,9090 as the kubelet's NewV4Options reads it.
absl::StatusOr<std::vector<uint16_t>> QueryPorts(const HttpRequest& req) {
  std::vector<uint16_t> ports;
  for (const std::string& value : req.QueryValues("port")) {
    std::string_view rest = value;
    do {
      size_t comma = rest.find(',');
      std::string_view p = rest.substr(0, comma);
      unsigned v = 0;
      auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), v);
      if (ec != std::errc() || end != p.data() + p.size() || v < 1 || v > 65535) {
        return absl::InvalidArgumentError(absl::StrCat("unable to parse \"", value, "\" as a port"));
      }
      ports.push_back(static_cast<uint16_t>(v));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    } while (!rest.empty());
  }
  return ports;
}

absl::Status ServePortForward(Conn& c, const v1::PortForwardRequest& r) {
  auto rt = c.st->runtime;
  PortConnector connect = [rt, id = r.pod_sandbox_id()](uint16_t port) {
    return rt->PortForward(id, port);
  };
  std::string what = absl::StrCat("port-forward to pod ", r.pod_sandbox_id());
  if (UpgradeKind(c.req) == Upgrade::kSpdy) {
    Handshake hs = SpdyHandshake(c.req, {kProtoPortForward});
    if (!c.t->Write(hs.response) || !hs.ok) return absl::InvalidArgumentError("upgrade refused");
    sys::LogInfo("streaming session", {{"session", what}, {"protocol", hs.protocol}});
    return ServePortForwardSpdy(c.t.get(), std::move(c.pending), r.pod_sandbox_id(), connect,
                                c.opts, c.st->stop);
  }
  auto ports = QueryPorts(c.req);
  if (ports.ok() && ports->empty()) {
    for (int32_t p : r.port()) {
      if (p > 0 && p < 65536) ports->push_back(static_cast<uint16_t>(p));
    }
  }
  if (!ports.ok() || ports->empty()) {
    std::string msg = ports.ok() ? "query parameter \"port\" is required"
                                 : std::string(ports.status().message());
    c.t->Write(HttpErrorResponse(400, msg));
    return absl::InvalidArgumentError(msg);
  }
  Handshake hs = WebSocketHandshake(c.req, WebSocketPortForwardProtocols(), true);
  if (!c.t->Write(hs.response) || !hs.ok) return absl::InvalidArgumentError("upgrade refused");
  sys::LogInfo("streaming session", {{"session", what}, {"protocol", hs.protocol}});
  return ServePortForwardWebSocket(c.t.get(), std::move(c.pending), hs.protocol, *ports,
                                   r.pod_sandbox_id(), connect, c.opts, c.st->stop);
}

absl::Status Route(Conn& c) {
  if (c.req.method != "GET" && c.req.method != "POST") {
    c.t->Write(HttpErrorResponse(405, "only GET and POST are served here"));
    return absl::InvalidArgumentError("method " + c.req.method);
  }
  std::string_view path = c.req.path;
  std::string kind, token;
  for (const char* k : {"exec", "attach", "portforward"}) {
    std::string prefix = absl::StrCat("/", k, "/");
    if (path.substr(0, prefix.size()) == prefix) {
      kind = k;
      token = std::string(path.substr(prefix.size()));
    }
  }
  std::optional<StreamRequest> r;
  if (!kind.empty() && !token.empty() && token.find('/') == std::string::npos) {
    r = c.st->tokens.Consume(token);
  }
  bool match = r && ((kind == "exec" && std::holds_alternative<v1::ExecRequest>(*r)) ||
                     (kind == "attach" && std::holds_alternative<v1::AttachRequest>(*r)) ||
                     (kind == "portforward" && std::holds_alternative<v1::PortForwardRequest>(*r)));
  if (match) c.unauthenticated.Release();
  if (!match) {
    c.t->Write(HttpErrorResponse(404, "streaming URL not found: unknown, expired or used token"));
    return absl::NotFoundError(absl::StrCat("no request for ", c.req.path));
  }
  if (UpgradeKind(c.req) == Upgrade::kNone) {
    c.t->Write(HttpErrorResponse(
        400, "unable to upgrade: missing upgrade headers in request (want SPDY/3.1 or websocket)"));
    return absl::InvalidArgumentError("no upgrade headers");
  }
  if (kind == "exec") return ServeExec(c, std::get<v1::ExecRequest>(*r));
  if (kind == "attach") return ServeAttach(c, std::get<v1::AttachRequest>(*r));
  return ServePortForward(c, std::get<v1::PortForwardRequest>(*r));
}

}  // namespace

void ServeConnection(const std::shared_ptr<StreamingServer::State>& st, sys::UniqueFd fd,
                     uint64_t ticket) {
  Conn c;
  c.st = st;
  c.unauthenticated.Hold(&st->unauthenticated, ticket);
  c.opts.idle_timeout = st->opts.idle_timeout;
  c.opts.stream_creation_timeout = st->opts.stream_creation_timeout;
  c.opts.linger = st->opts.linger;
  if (st->tls) {
    auto t = st->tls->Accept(std::move(fd), kHeadTimeoutMs);
    if (!t.ok()) {
      sys::LogDebug("streaming: TLS handshake failed", {{"error", t.status().ToString()}});
      return;
    }
    c.t = std::move(*t);
  } else {
    c.t = MakePlainTransport(std::move(fd));
  }
  if (!ReadHead(c)) {
    c.t->Shutdown();
    return;
  }
  absl::Status s = Route(c);
  c.t->Shutdown();
  if (!s.ok()) {
    sys::LogInfo("streaming connection ended",
                 {{"path", c.req.path.substr(0, c.req.path.rfind('/') + 1) + "..."},
                  {"error", s.ToString()}});
  }
}

}  // namespace cricket::cri::streaming
