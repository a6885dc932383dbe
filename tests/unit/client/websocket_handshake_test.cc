// The client's RFC 6455 opening handshake: the upgrade request and the checks
// on the server's answer (the frames and keys are cri/wire's, tested in
// tests/unit/wire).
#include "cri/client/websocket_handshake.h"

#include <gtest/gtest.h>

#include "cri/wire/websocket.h"

namespace cricket::cri::client {
namespace {

TEST(WebSocketHandshake, RequestAndAnswerChecks) {
  StreamUrl url{"127.0.0.1", 4242, "/exec/tok"};
  std::string key = wire::NewWsKey();
  EXPECT_EQ(key.size(), 24u);
  std::string req = WsUpgradeRequest(url, key, {"v5.channel.k8s.io", "v4.channel.k8s.io"});
  EXPECT_TRUE(req.starts_with("GET /exec/tok HTTP/1.1\r\n"));
  EXPECT_NE(req.find("Sec-WebSocket-Protocol: v5.channel.k8s.io, v4.channel.k8s.io\r\n"),
            std::string::npos);
  EXPECT_NE(req.find("Host: 127.0.0.1:4242\r\n"), std::string::npos);
  HttpResponseHead head;
  head.status = 101;
  head.headers = {{"upgrade", "websocket"},
                  {"sec-websocket-accept", wire::WsAcceptKey(key)},
                  {"sec-websocket-protocol", "v4.channel.k8s.io"}};
  auto proto = CheckWsUpgrade(head, key, {"v5.channel.k8s.io", "v4.channel.k8s.io"});
  ASSERT_TRUE(proto.ok()) << proto.status();
  EXPECT_EQ(*proto, "v4.channel.k8s.io");
  head.headers[1].second = wire::WsAcceptKey("other");
  EXPECT_FALSE(CheckWsUpgrade(head, key, {"v4.channel.k8s.io"}).ok());
  head.headers[1].second = wire::WsAcceptKey(key);
  EXPECT_FALSE(CheckWsUpgrade(head, key, {"v5.channel.k8s.io"}).ok());  // not offered
}

}  // namespace
}  // namespace cricket::cri::client
