// The RFC 6455 opening handshake, client side: the GET upgrade request with a
// random Sec-WebSocket-Key and the subprotocols we offer, and the checks on
// the server's 101 answer (Sec-WebSocket-Accept, the chosen subprotocol).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "cri/client/stream_http.h"

namespace cricket::cri::client {

// The key comes from wire::NewWsKey(); the answer must carry wire::WsAcceptKey(key).
std::string WsUpgradeRequest(const StreamUrl& url, std::string_view key,
                             const std::vector<std::string>& protocols);
// The negotiated subprotocol; FailedPrecondition when the answer does not
// prove the server read our key or picks a protocol we did not offer.
absl::StatusOr<std::string> CheckWsUpgrade(const HttpResponseHead& head, std::string_view key,
                                           const std::vector<std::string>& offered);

}  // namespace cricket::cri::client
