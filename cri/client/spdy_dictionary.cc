// The SPDY/3 header dictionary, written as its structure (length-prefixed
// common header names and values, then a run of status codes, reason phrases,
// dates and media types) instead of a 1423-entry byte table.
#include "cri/client/spdy_dictionary.h"

#include <cstdint>

#include "cri/client/spdy_frame.h"

namespace cricket::cri::client {
namespace {

constexpr const char* kPrefixed[] = {"options",
                                     "head",
                                     "post",
                                     "put",
                                     "delete",
                                     "trace",
                                     "accept",
                                     "accept-charset",
                                     "accept-encoding",
                                     "accept-language",
                                     "accept-ranges",
                                     "age",
                                     "allow",
                                     "authorization",
                                     "cache-control",
                                     "connection",
                                     "content-base",
                                     "content-encoding",
                                     "content-language",
                                     "content-length",
                                     "content-location",
                                     "content-md5",
                                     "content-range",
                                     "content-type",
                                     "date",
                                     "etag",
                                     "expect",
                                     "expires",
                                     "from",
                                     "host",
                                     "if-match",
                                     "if-modified-since",
                                     "if-none-match",
                                     "if-range",
                                     "if-unmodified-since",
                                     "last-modified",
                                     "location",
                                     "max-forwards",
                                     "pragma",
                                     "proxy-authenticate",
                                     "proxy-authorization",
                                     "range",
                                     "referer",
                                     "retry-after",
                                     "server",
                                     "te",
                                     "trailer",
                                     "transfer-encoding",
                                     "upgrade",
                                     "user-agent",
                                     "vary",
                                     "via",
                                     "warning",
                                     "www-authenticate",
                                     "method",
                                     "get",
                                     "status",
                                     "200 OK",
                                     "version",
                                     "HTTP/1.1",
                                     "url",
                                     "public",
                                     "set-cookie",
                                     "keep-alive",
                                     "origin"};

constexpr const char* kTail[] = {
    "100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505",
    "203 Non-Authoritative Information",
    "204 No Content",
    "301 Moved Permanently",
    "400 Bad Request",
    "401 Unauthorized",
    "403 Forbidden",
    "404 Not Found",
    "500 Internal Server Error",
    "501 Not Implemented",
    "503 Service Unavailable",
    "Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 ",
    "Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT",
    "chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,",
    "text/plain,text/javascript,publicprivatemax-age=gzip,deflate,sdch",
    "charset=utf-8charset=iso-8859-1,utf-,*,enq=0."};

std::string Build() {
  std::string d;
  for (const char* s : kPrefixed) {
    std::string v(s);
    SpdyPut32(d, v.size());
    d += v;
  }
  for (const char* s : kTail) d += s;
  return d;
}

}  // namespace

const std::string& SpdyDictionary() {
  static const std::string* kDict = new std::string(Build());
  return *kDict;
}

}  // namespace cricket::cri::client
