// Base64 (RFC 4648) for the streaming server: the WebSocket accept key, the
// base64 channel protocols, and URL tokens.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cricket::cri::streaming {

std::string Base64Encode(std::string_view in);         // standard alphabet, padded
std::string Base64UrlEncode(std::string_view in);      // url alphabet, unpadded
// Standard alphabet; padding optional; nullopt on any other character.
std::optional<std::string> Base64Decode(std::string_view in);

}  // namespace cricket::cri::streaming
