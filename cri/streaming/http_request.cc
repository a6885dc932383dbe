// HTTP/1.1 request-head parsing for the streaming server (RFC 9112 subset:
// no bodies, no obs-fold), and error responses.
#include "cri/streaming/http_request.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace cricket::cri::streaming {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsTokenChar(char c) {
  if (c >= 'a' && c <= 'z') return true;
  if (c >= 'A' && c <= 'Z') return true;
  if (c >= '0' && c <= '9') return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

absl::Status Bad(std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("malformed HTTP request: ", std::string(what)));
}

absl::Status ParseRequestLine(std::string_view line, HttpRequest& req) {
  size_t sp1 = line.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
    return Bad("request line is not METHOD TARGET VERSION");
  }
  req.method = std::string(line.substr(0, sp1));
  req.target = std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
  req.version = std::string(line.substr(sp2 + 1));
  if (req.method.empty() || !std::all_of(req.method.begin(), req.method.end(), IsTokenChar)) {
    return Bad("bad method");
  }
  if (req.version != "HTTP/1.1" && req.version != "HTTP/1.0") return Bad("unsupported version");
  if (req.target.empty() || req.target[0] != '/') return Bad("target is not an absolute path");
  size_t q = req.target.find('?');
  auto path = PercentDecode(std::string_view(req.target).substr(0, q), false);
  if (!path.ok()) return path.status();
  req.path = *path;
  if (q == std::string::npos) return absl::OkStatus();
  std::string_view query = std::string_view(req.target).substr(q + 1);
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view kv = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (kv.empty()) continue;
    size_t eq = kv.find('=');
    auto k = PercentDecode(kv.substr(0, eq), true);
    auto v = PercentDecode(eq == std::string_view::npos ? "" : kv.substr(eq + 1), true);
    if (!k.ok()) return k.status();
    if (!v.ok()) return v.status();
    req.query.emplace(*k, *v);
  }
  return absl::OkStatus();
}

}  // namespace

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string HttpRequest::Header(std::string_view name) const {
  auto it = headers.find(AsciiLower(name));
  return it == headers.end() ? "" : it->second;
}

std::vector<std::string> HttpRequest::HeaderTokens(std::string_view name) const {
  std::vector<std::string> out;
  auto [b, e] = headers.equal_range(AsciiLower(name));
  for (auto it = b; it != e; ++it) {
    std::string_view v = it->second;
    while (!v.empty()) {
      size_t comma = v.find(',');
      std::string_view t = Trim(v.substr(0, comma));
      if (!t.empty()) out.emplace_back(t);
      v = comma == std::string_view::npos ? std::string_view() : v.substr(comma + 1);
    }
  }
  return out;
}

bool HttpRequest::HeaderHasToken(std::string_view name, std::string_view token) const {
  std::string want = AsciiLower(token);
  for (const auto& t : HeaderTokens(name)) {
    if (AsciiLower(t) == want) return true;
  }
  return false;
}

std::vector<std::string> HttpRequest::QueryValues(std::string_view name) const {
  std::vector<std::string> out;
  auto [b, e] = query.equal_range(std::string(name));
  for (auto it = b; it != e; ++it) out.push_back(it->second);
  return out;
}

std::optional<size_t> FindHeadEnd(std::string_view buf) {
  size_t p = buf.find("\r\n\r\n");
  if (p != std::string_view::npos) return p + 4;
  return std::nullopt;
}

absl::StatusOr<std::string> PercentDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < s.size(); i++) {
    if (s[i] == '%') {
      if (i + 2 >= s.size()) return Bad("truncated %-escape");
      int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
      if (hi < 0 || lo < 0) return Bad("bad %-escape");
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (s[i] == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

absl::StatusOr<HttpRequest> ParseHttpRequest(std::string_view head) {
  if (head.size() > kMaxRequestHead) return Bad("request head too large");
  HttpRequest req;
  size_t eol = head.find("\r\n");
  if (eol == std::string_view::npos) return Bad("no request line");
  absl::Status st = ParseRequestLine(head.substr(0, eol), req);
  if (!st.ok()) return st;
  std::string_view rest = head.substr(eol + 2);
  while (true) {
    eol = rest.find("\r\n");
    if (eol == std::string_view::npos) return Bad("head does not end with a blank line");
    std::string_view line = rest.substr(0, eol);
    rest = rest.substr(eol + 2);
    if (line.empty()) break;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return Bad("header line without a name");
    std::string_view name = line.substr(0, colon);
    if (!std::all_of(name.begin(), name.end(), IsTokenChar)) return Bad("bad header name");
    std::string_view value = Trim(line.substr(colon + 1));
    for (char c : value) {
      if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) {
        return Bad("control character in a header value");
      }
    }
    req.headers.emplace(AsciiLower(name), std::string(value));
  }
  return req;
}

std::string HttpErrorResponse(int code, std::string_view body,
                              const std::vector<std::pair<std::string, std::string>>& extra) {
  const char* reason = "Error";
  switch (code) {
    case 400: reason = "Bad Request"; break;
    case 403: reason = "Forbidden"; break;
    case 404: reason = "Not Found"; break;
    case 405: reason = "Method Not Allowed"; break;
    case 426: reason = "Upgrade Required"; break;
    case 429: reason = "Too Many Requests"; break;
    case 500: reason = "Internal Server Error"; break;
    case 503: reason = "Service Unavailable"; break;
  }
  std::string out = absl::StrCat("HTTP/1.1 ", code, " ", reason, "\r\n");
  absl::StrAppend(&out, "Content-Type: text/plain; charset=utf-8\r\n");
  absl::StrAppend(&out, "X-Content-Type-Options: nosniff\r\n");
  for (const auto& [k, v] : extra) absl::StrAppend(&out, k, ": ", v, "\r\n");
  absl::StrAppend(&out, "Content-Length: ", body.size() + 1, "\r\nConnection: close\r\n\r\n");
  out.append(body);
  out.push_back('\n');
  return out;
}

}  // namespace cricket::cri::streaming
