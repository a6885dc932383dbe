// The upgrade step of a streaming request: which of SPDY/3.1 or WebSocket
// the client asks for, the subprotocol both sides speak (the kubelet's
// httpstream.Handshake and wsstream rules), and the 101 responses.
#pragma once

#include <string>
#include <vector>

#include "cri/streaming/http_request.h"

namespace cricket::cri::streaming {

// Remote command subprotocols.
inline constexpr char kProtoV5[] = "v5.channel.k8s.io";
inline constexpr char kProtoV4[] = "v4.channel.k8s.io";
inline constexpr char kProtoV3[] = "v3.channel.k8s.io";
inline constexpr char kProtoV2[] = "v2.channel.k8s.io";
inline constexpr char kProtoV1[] = "channel.k8s.io";
inline constexpr char kProtoBase64[] = "base64.channel.k8s.io";
inline constexpr char kProtoV4Base64[] = "v4.base64.channel.k8s.io";
// Port forward subprotocols.
inline constexpr char kProtoPortForward[] = "portforward.k8s.io";
inline constexpr char kProtoV4PortForward[] = "v4.portforward.k8s.io";

enum class Upgrade { kNone, kSpdy, kWebSocket };
Upgrade UpgradeKind(const HttpRequest& req);

// The outcome of a handshake: a 101 to send and the protocol, or an error
// response to send before closing.
struct Handshake {
  bool ok = false;
  std::string protocol;
  std::string response;
};

// X-Stream-Protocol-Version negotiation; 403 listing what we accept when
// nothing matches, 400 when the header is missing.
Handshake SpdyHandshake(const HttpRequest& req, const std::vector<std::string>& supported);
// Sec-WebSocket-Version 13 and Key checks, Sec-WebSocket-Protocol choice
// (first client protocol we support; "" allowed when allow_none).
Handshake WebSocketHandshake(const HttpRequest& req, const std::vector<std::string>& supported,
                             bool allow_none);

std::vector<std::string> SpdyRemoteCommandProtocols();      // v4, v3, v2, v1
std::vector<std::string> WebSocketRemoteCommandProtocols();  // v5, v4, v1 and base64 ones
std::vector<std::string> WebSocketPortForwardProtocols();

}  // namespace cricket::cri::streaming
