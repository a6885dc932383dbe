// RFC 6455 section 4.1/4.2.2: the client's upgrade request and answer checks.
#include "cri/client/websocket_handshake.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cri/wire/websocket.h"

namespace cricket::cri::client {

std::string WsUpgradeRequest(const StreamUrl& url, std::string_view key,
                             const std::vector<std::string>& protocols) {
  return absl::StrCat("GET ", url.path_query, " HTTP/1.1\r\nHost: ", url.HostHeader(),
                      "\r\nUser-Agent: cricketctl\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\nSec-WebSocket-Key: ",
                      std::string(key), "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ",
                      absl::StrJoin(protocols, ", "), "\r\n\r\n");
}

absl::StatusOr<std::string> CheckWsUpgrade(const HttpResponseHead& head, std::string_view key,
                                           const std::vector<std::string>& offered) {
  auto bad = [](const std::string& why) {
    return absl::FailedPreconditionError(absl::StrCat("websocket upgrade: ", why));
  };
  if (head.status != 101) return bad(absl::StrCat("status ", head.status));
  auto upgrade = head.Get("upgrade");
  if (!upgrade || absl::AsciiStrToLower(*upgrade) != "websocket") {
    return bad("no \"Upgrade: websocket\" in the answer");
  }
  auto accept = head.Get("sec-websocket-accept");
  if (!accept || *accept != wire::WsAcceptKey(key)) return bad("wrong Sec-WebSocket-Accept");
  std::string proto = head.Get("sec-websocket-protocol").value_or("");
  if (proto.empty()) return bad("the server chose no subprotocol");
  if (std::find(offered.begin(), offered.end(), proto) == offered.end()) {
    return bad(absl::StrCat("the server chose subprotocol \"", proto, "\", which was not offered"));
  }
  return proto;
}

}  // namespace cricket::cri::client
