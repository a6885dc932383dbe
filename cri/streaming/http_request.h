// The HTTP/1.1 request head the streaming server reads before an upgrade:
// request line, headers (case-insensitive, multi-valued) and query, parsed
// from bytes without a socket; plus the plain responses it answers with.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace cricket::cri::streaming {

// Requests whose head is longer than this are refused (431-like, as 400).
constexpr size_t kMaxRequestHead = 16 * 1024;

struct HttpRequest {
  std::string method;
  std::string target;  // as sent: path plus query
  std::string path;    // percent-decoded, no query
  std::string version;  // "HTTP/1.1"
  // Lower-cased names; repeated headers keep every value in order.
  std::multimap<std::string, std::string> headers;
  std::multimap<std::string, std::string> query;

  // The first value of a header, or "".
  std::string Header(std::string_view name) const;
  // Every value of a header, comma lists split and trimmed.
  std::vector<std::string> HeaderTokens(std::string_view name) const;
  // True when a comma list header holds token (case-insensitive).
  bool HeaderHasToken(std::string_view name, std::string_view token) const;
  std::vector<std::string> QueryValues(std::string_view name) const;
};

// Offset just past the blank line ending the head, or nullopt if not there yet.
std::optional<size_t> FindHeadEnd(std::string_view buf);

// Parses a complete head (up to and including the blank line). InvalidArgument
// names what is malformed.
absl::StatusOr<HttpRequest> ParseHttpRequest(std::string_view head);

// Decodes %XX and '+' (in queries). InvalidArgument on a bad escape.
absl::StatusOr<std::string> PercentDecode(std::string_view s, bool plus_is_space);

// "HTTP/1.1 <code> <reason>" with a text body and Connection: close.
std::string HttpErrorResponse(int code, std::string_view body,
                              const std::vector<std::pair<std::string, std::string>>& extra = {});

std::string AsciiLower(std::string_view s);

}  // namespace cricket::cri::streaming
