// The zlib dictionary SPDY/3 header blocks are compressed with (SPDY draft 3,
// section 2.6.10.1): both peers prime deflate/inflate with these 1423 bytes.
#pragma once

#include <string>

namespace cricket::cri::client {

// The dictionary, byte-exact; built once.
const std::string& SpdyDictionary();

}  // namespace cricket::cri::client
