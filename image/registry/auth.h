// Registry authentication: WWW-Authenticate challenges, Basic auth, the Bearer
// token flow (anonymous, Basic-credentialed, or an OAuth2 refresh token) with
// a process-wide token cache, and the docker config.json / containers
// auth.json credential file.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "image/registry/client.h"
#include "image/registry/http.h"

namespace cricket::image::registry {

struct Challenge {
  std::string scheme;                         // lower case: "bearer", "basic"
  std::map<std::string, std::string> params;  // lower-case keys: realm, service, scope, error
};

// Parses a WWW-Authenticate header value (RFC 7235: one or more challenges,
// quoted-string or token parameter values). Unparseable parts are skipped.
std::vector<Challenge> ParseWwwAuthenticate(const std::string& value);

// Fills username/password from `auth` (base64 "user:pass") when they are
// empty. InvalidArgument when `auth` is not valid base64 or has no ':'.
absl::StatusOr<Credentials> NormalizeCredentials(const Credentials& creds);

// Looks `domain` up in an auth file ({"auths": {"<key>": {"auth": ...,
// "identitytoken": ...}}}). Keys may carry a scheme and path
// ("https://host/v1/"); docker.io also matches "https://index.docker.io/v1/".
// A missing file or entry gives empty credentials; a malformed file is
// InvalidArgument naming it.
absl::StatusOr<Credentials> LookupAuthFile(const std::string& path, const std::string& domain);

// "Basic <base64(user:pass)>"
std::string BasicAuthorization(const std::string& user, const std::string& password);

// "repository:<path>:pull"
std::string PullScope(const std::string& repo_path);

// TLS for a token realm on another host than the registry's, and whether
// that host is itself configured insecure.
struct HostTls {
  TlsOptions tls;
  bool insecure = false;
};
using HostTlsFn = std::function<absl::StatusOr<HostTls>(const std::string& host)>;

// Authorization state for one registry endpoint and one set of credentials.
class Authenticator {
 public:
  // `registry` is the endpoint's host[:port]. A realm on another host gets
  // its TLS from realm_tls (empty: the endpoint's own, for tests).
  Authenticator(Credentials creds, std::string registry, HostTlsFn realm_tls = {});

  bool has_credentials() const { return !creds_.empty(); }

  // The Authorization header value for a request needing `scope`, "" when
  // nothing is known yet (the first request goes anonymous, as Docker's does).
  std::string HeaderFor(const std::string& scope);

  // Handles a 401: parses the challenge and, for Bearer, fetches a token for
  // `scope` (with `base` giving TLS options and timeouts for the token
  // request). Unauthenticated when credentials are required or rejected.
  absl::Status OnUnauthorized(const std::string& www_authenticate, const std::string& scope,
                              HttpSession& session, const HttpRequest& base);

  // For a 401 to the retry that carried what the challenge asked for:
  // Unauthenticated naming the registry and whose credentials (or that none)
  // were refused, instead of the registry's bare "authentication required".
  absl::Status Refused(const std::string& scope) const;

 private:
  absl::StatusOr<std::string> FetchToken(const std::string& scope, HttpSession& session,
                                         const HttpRequest& base);
  // The realm's TLS, and an error when credentials may not go there.
  absl::StatusOr<TlsOptions> RealmTls(const HttpRequest& base) const;
  std::string CacheKey(const std::string& scope) const;

  Credentials creds_;
  std::string registry_;  // for messages
  std::string scheme_;    // "", "basic" or "bearer" (from the last challenge)
  std::string realm_, service_;
  HostTlsFn realm_tls_;
};

// The token response of a token server: {"token"|"access_token", "expires_in"}.
struct TokenResponse {
  std::string token;
  int64_t expires_in = 60;
};
absl::StatusOr<TokenResponse> ParseTokenResponse(const std::string& body);

}  // namespace cricket::image::registry
