// Base64 (RFC 4648): the WebSocket keys, the base64 channel protocols of the
// streaming server, and its URL tokens.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cricket::cri::wire {

std::string Base64Encode(std::string_view in);         // standard alphabet, padded
std::string Base64UrlEncode(std::string_view in);      // url alphabet, unpadded
// Standard alphabet; padding optional; nullopt on any other character.
std::optional<std::string> Base64Decode(std::string_view in);

}  // namespace cricket::cri::wire
