// The SPDY/3 header compression dictionary: length-prefixed words followed by
// a run of common values, exactly as draft 3 lists them (no trailing NUL).
#include <initializer_list>
#include <string>

#include "cri/wire/spdy_frame.h"
#include "cri/wire/spdy_headers.h"

namespace cricket::cri::wire {
namespace {

std::string BuildDictionary() {
  std::string d;
  for (const char* w :
       {"options", "head", "post", "put", "delete", "trace", "accept", "accept-charset",
        "accept-encoding", "accept-language", "accept-ranges", "age", "allow", "authorization",
        "cache-control", "connection", "content-base", "content-encoding", "content-language",
        "content-length", "content-location", "content-md5", "content-range", "content-type",
        "date", "etag", "expect", "expires", "from", "host", "if-match", "if-modified-since",
        "if-none-match", "if-range", "if-unmodified-since", "last-modified", "location",
        "max-forwards", "pragma", "proxy-authenticate", "proxy-authorization", "range",
        "referer", "retry-after", "server", "te", "trailer", "transfer-encoding", "upgrade",
        "user-agent", "vary", "via", "warning", "www-authenticate", "method", "get", "status",
        "200 OK", "version", "HTTP/1.1", "url", "public", "set-cookie", "keep-alive", "origin"}) {
    AppendBe32(d, static_cast<uint32_t>(std::char_traits<char>::length(w)));
    d += w;
  }
  d +=
      "100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505"
      "203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 "
      "Unauthorized403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 "
      "Service UnavailableJan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, "
      "Wed, Thu, Fri, Sat, Sun, GMTchunked,text/html,image/png,image/jpg,image/gif,application/"
      "xml,application/xhtml+xml,text/plain,text/javascript,publicprivatemax-age=gzip,deflate,"
      "sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.";
  return d;
}

}  // namespace

const std::string& SpdyDictionary() {
  static const std::string* dict = new std::string(BuildDictionary());
  return *dict;
}

}  // namespace cricket::cri::wire
