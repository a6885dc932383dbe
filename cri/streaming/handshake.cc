// Upgrade negotiation for SPDY/3.1 (k8s.io/apimachinery httpstream) and
// WebSocket (RFC 6455 section 4.2 plus wsstream's protocol choice).
#include "cri/streaming/handshake.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cri/wire/base64.h"
#include "cri/wire/websocket.h"

namespace cricket::cri::streaming {
namespace {

Handshake Fail(int code, const std::string& body,
               const std::vector<std::pair<std::string, std::string>>& extra = {}) {
  Handshake h;
  h.response = HttpErrorResponse(code, body, extra);
  return h;
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

Upgrade UpgradeKind(const HttpRequest& req) {
  if (!req.HeaderHasToken("Connection", "upgrade")) return Upgrade::kNone;
  std::string up = AsciiLower(req.Header("Upgrade"));
  if (up == "websocket") return Upgrade::kWebSocket;
  if (up == "spdy/3.1") return Upgrade::kSpdy;
  return Upgrade::kNone;
}

std::vector<std::string> SpdyRemoteCommandProtocols() {
  return {kProtoV4, kProtoV3, kProtoV2, kProtoV1};
}

std::vector<std::string> WebSocketRemoteCommandProtocols() {
  return {kProtoV5, kProtoV4, kProtoV4Base64, kProtoV1, kProtoBase64};
}

std::vector<std::string> WebSocketPortForwardProtocols() {
  return {kProtoV4PortForward, kProtoPortForward, kProtoV4, kProtoV4Base64};
}

Handshake SpdyHandshake(const HttpRequest& req, const std::vector<std::string>& supported) {
  std::vector<std::string> client = req.HeaderTokens("X-Stream-Protocol-Version");
  if (client.empty()) {
    return Fail(400, "unable to upgrade: X-Stream-Protocol-Version is required");
  }
  for (const auto& p : client) {
    if (!Contains(supported, p)) continue;
    Handshake h;
    h.ok = true;
    h.protocol = p;
    h.response = absl::StrCat(
        "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n",
        "X-Stream-Protocol-Version: ", p, "\r\n\r\n");
    return h;
  }
  std::string accepted = absl::StrJoin(supported, ", ");
  return Fail(403,
              absl::StrCat("unable to upgrade: unable to negotiate protocol: client supports [",
                           absl::StrJoin(client, " "), "], server accepts [", accepted, "]"),
              {{"X-Accepted-Stream-Protocol-Versions", accepted}});
}

Handshake WebSocketHandshake(const HttpRequest& req, const std::vector<std::string>& supported,
                             bool allow_none) {
  if (req.method != "GET") return Fail(405, "WebSocket upgrade needs GET");
  if (req.Header("Sec-WebSocket-Version") != "13") {
    return Fail(426, "unsupported Sec-WebSocket-Version (want 13)",
                {{"Sec-WebSocket-Version", "13"}});
  }
  std::string key = req.Header("Sec-WebSocket-Key");
  auto raw = wire::Base64Decode(key);
  if (!raw || raw->size() != 16) return Fail(400, "bad or missing Sec-WebSocket-Key");
  std::vector<std::string> client = req.HeaderTokens("Sec-WebSocket-Protocol");
  std::string chosen;
  bool found = false;
  for (const auto& p : client) {
    if (Contains(supported, p)) {
      chosen = p;
      found = true;
      break;
    }
  }
  if (!found && !(client.empty() && allow_none)) {
    return Fail(400, absl::StrCat("unable to upgrade: no supported WebSocket protocol in [",
                                  absl::StrJoin(client, ", "), "], server accepts [",
                                  absl::StrJoin(supported, ", "), "]"));
  }
  Handshake h;
  h.ok = true;
  h.protocol = chosen;
  h.response = absl::StrCat(
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n",
      "Sec-WebSocket-Accept: ", wire::WsAcceptKey(key), "\r\n");
  if (found) absl::StrAppend(&h.response, "Sec-WebSocket-Protocol: ", chosen, "\r\n");
  h.response += "\r\n";
  return h;
}

}  // namespace cricket::cri::streaming
