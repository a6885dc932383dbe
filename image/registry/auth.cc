// Registry authentication: challenges, tokens, credential files.
#include "image/registry/auth.h"

#include <cctype>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "image/registry/endpoints.h"
#include "nlohmann/json.hpp"
#include "oci/sys/atomic_file.h"
#include "oci/sys/status.h"

namespace cricket::image::registry {
namespace {

using Clock = std::chrono::steady_clock;

// Process-wide: tokens outlive one pull's Client, as containerd's do.
struct TokenCache {
  std::mutex mu;
  std::map<std::string, std::pair<std::string, Clock::time_point>> tokens;
};
TokenCache& Cache() {
  static TokenCache* cache = new TokenCache;  // never destroyed: used from any thread
  return *cache;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string UrlEncode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// Skips spaces and commas from i.
size_t SkipSep(const std::string& v, size_t i) {
  while (i < v.size() && (v[i] == ' ' || v[i] == '\t' || v[i] == ',')) ++i;
  return i;
}

bool IsTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || std::string("!#$%&'*+-.^_`|~/:=").find(c) != std::string::npos;
}

// Reads `key=value` at i (value quoted or a token); false when not a param.
bool ReadParam(const std::string& v, size_t& i, std::string& key, std::string& value) {
  size_t k = i;
  while (k < v.size() && IsTokenChar(v[k]) && v[k] != '=') ++k;
  size_t eq = k;
  while (eq < v.size() && v[eq] == ' ') ++eq;
  if (k == i || eq >= v.size() || v[eq] != '=') return false;
  key = Lower(v.substr(i, k - i));
  size_t j = eq + 1;
  while (j < v.size() && v[j] == ' ') ++j;
  value.clear();
  if (j < v.size() && v[j] == '"') {
    for (++j; j < v.size() && v[j] != '"'; ++j) {
      if (v[j] == '\\' && j + 1 < v.size()) ++j;
      value += v[j];
    }
    if (j < v.size()) ++j;  // closing quote
  } else {
    while (j < v.size() && v[j] != ',' && v[j] != ' ') value += v[j++];
  }
  i = j;
  return true;
}

}  // namespace

std::vector<Challenge> ParseWwwAuthenticate(const std::string& v) {
  std::vector<Challenge> out;
  size_t i = SkipSep(v, 0);
  while (i < v.size()) {
    // A scheme is a token followed by a space (or the end), not by '='.
    size_t k = i;
    while (k < v.size() && IsTokenChar(v[k]) && v[k] != '=') ++k;
    if (k == i) {
      ++i;
      continue;
    }
    std::string key, value;
    size_t probe = i;
    if (!out.empty() && ReadParam(v, probe, key, value)) {
      out.back().params[key] = value;
      i = SkipSep(v, probe);
      continue;
    }
    out.push_back(Challenge{Lower(v.substr(i, k - i)), {}});
    i = SkipSep(v, k);
  }
  return out;
}

absl::StatusOr<Credentials> NormalizeCredentials(const Credentials& in) {
  Credentials c = in;
  if (!c.auth.empty() && c.username.empty() && c.password.empty()) {
    std::string decoded;
    if (!absl::Base64Unescape(c.auth, &decoded)) {
      return absl::InvalidArgumentError("credentials: \"auth\" is not valid base64");
    }
    size_t colon = decoded.find(':');
    if (colon == std::string::npos) {
      return absl::InvalidArgumentError("credentials: \"auth\" does not decode to user:password");
    }
    c.username = decoded.substr(0, colon);
    c.password = decoded.substr(colon + 1);
  }
  return c;
}

absl::StatusOr<Credentials> LookupAuthFile(const std::string& path, const std::string& domain) {
  if (path.empty()) return Credentials{};
  auto data = sys::ReadFile(path);
  if (absl::IsNotFound(data.status())) return Credentials{};
  if (!data.ok()) return sys::Annotate(data.status(), "read auth file %s", path);
  nlohmann::json j = nlohmann::json::parse(*data, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return absl::InvalidArgumentError(absl::StrCat("auth file ", path, ": not a JSON object"));
  }
  auto auths = j.find("auths");
  if (auths == j.end() || !auths->is_object()) return Credentials{};
  bool docker_hub = domain == "docker.io" || domain == "index.docker.io" ||
                    domain == "registry-1.docker.io";
  for (auto it = auths->begin(); it != auths->end(); ++it) {
    std::string key = it.key();
    size_t sep = key.find("://");
    if (sep != std::string::npos) key = key.substr(sep + 3);
    key = key.substr(0, key.find('/'));  // "host/v1/" → "host"
    bool match = key == domain || (docker_hub && (key == "index.docker.io" ||
                                                  key == "docker.io" ||
                                                  key == "registry-1.docker.io"));
    if (!match || !it.value().is_object()) continue;
    Credentials c;
    const nlohmann::json& e = it.value();
    if (e.contains("auth") && e["auth"].is_string()) c.auth = e["auth"];
    if (e.contains("identitytoken") && e["identitytoken"].is_string()) {
      c.identity_token = e["identitytoken"];
    }
    if (e.contains("username") && e["username"].is_string()) c.username = e["username"];
    if (e.contains("password") && e["password"].is_string()) c.password = e["password"];
    auto norm = NormalizeCredentials(c);
    if (!norm.ok()) return sys::Annotate(norm.status(), "auth file %s entry %s", path, it.key());
    return norm;
  }
  return Credentials{};
}

std::string BasicAuthorization(const std::string& user, const std::string& password) {
  return "Basic " + absl::Base64Escape(user + ":" + password);
}

std::string PullScope(const std::string& repo_path) {
  return absl::StrCat("repository:", repo_path, ":pull");
}

absl::StatusOr<TokenResponse> ParseTokenResponse(const std::string& body) {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return absl::InvalidArgumentError("token response is not a JSON object");
  }
  TokenResponse r;
  for (const char* key : {"token", "access_token"}) {
    if (j.contains(key) && j[key].is_string() && !j[key].get<std::string>().empty()) {
      r.token = j[key];
      break;
    }
  }
  if (r.token.empty()) return absl::InvalidArgumentError("token response has no token");
  if (j.contains("expires_in") && j["expires_in"].is_number_integer()) {
    r.expires_in = std::max<int64_t>(j["expires_in"].get<int64_t>(), 1);
  }
  return r;
}

Authenticator::Authenticator(Credentials creds, std::string registry, HostTlsFn realm_tls)
    : creds_(std::move(creds)), registry_(std::move(registry)), realm_tls_(std::move(realm_tls)) {}

absl::StatusOr<TlsOptions> Authenticator::RealmTls(const HttpRequest& base) const {
  std::string what = absl::StrCat("registry ", registry_, ": token realm ", realm_);
  auto dest = ParseUrlDestination(realm_);
  if (!dest.ok()) return sys::Annotate(dest.status(), what);
  // The registry's own host keeps its TLS (CA, client certificate); any other
  // host is verified unless its own entry says insecure: the realm is chosen
  // by the registry, not by the operator.
  TlsOptions tls = base.tls;
  dest->verify_tls = tls.verify;
  dest->configured_insecure = !tls.verify;
  if (dest->host != registry_ && realm_tls_) {
    auto host = realm_tls_(dest->host);
    if (!host.ok()) return sys::Annotate(host.status(), what);
    tls = host->tls;
    dest->verify_tls = tls.verify;
    dest->configured_insecure = host->insecure;
  }
  bool sends_secret = !creds_.username.empty() || !creds_.password.empty() ||
                      !creds_.identity_token.empty();
  if (sends_secret) {
    absl::Status may = CredentialsMayGo(*dest);
    if (!may.ok()) return sys::Annotate(may, what);
  }
  return tls;
}

std::string Authenticator::CacheKey(const std::string& scope) const {
  // The secret is part of the key so two users never share a token; the map
  // lives only in memory.
  return absl::StrCat(realm_, "\n", service_, "\n", scope, "\n", creds_.username, "\n",
                      creds_.password, "\n", creds_.identity_token);
}

std::string Authenticator::HeaderFor(const std::string& scope) {
  if (!creds_.registry_token.empty()) return "Bearer " + creds_.registry_token;
  if (scheme_ == "basic") return BasicAuthorization(creds_.username, creds_.password);
  if (scheme_ != "bearer") return "";
  TokenCache& cache = Cache();
  std::lock_guard<std::mutex> lock(cache.mu);
  auto it = cache.tokens.find(CacheKey(scope));
  if (it == cache.tokens.end() || Clock::now() >= it->second.second) return "";
  return "Bearer " + it->second.first;
}

absl::Status Authenticator::OnUnauthorized(const std::string& www_authenticate,
                                           const std::string& scope, HttpSession& session,
                                           const HttpRequest& base) {
  std::vector<Challenge> challenges = ParseWwwAuthenticate(www_authenticate);
  bool had_scheme = !scheme_.empty();
  for (const Challenge& c : challenges) {
    if (c.scheme == "bearer" && c.params.count("realm")) {
      scheme_ = "bearer";
      realm_ = c.params.at("realm");
      service_ = c.params.count("service") ? c.params.at("service") : "";
      // A fresh authenticator may find a token an earlier pull cached; one
      // that already sent its token and got 401 needs a new one.
      if (!had_scheme && !HeaderFor(scope).empty()) return absl::OkStatus();
      ASSIGN_OR_RETURN(std::string token, FetchToken(scope, session, base));
      (void)token;
      return absl::OkStatus();
    }
  }
  for (const Challenge& c : challenges) {
    if (c.scheme != "basic") continue;
    if (creds_.username.empty() && creds_.password.empty()) {
      return absl::UnauthenticatedError(
          absl::StrCat("registry ", registry_, " requires credentials (Basic auth) and none were given"));
    }
    if (had_scheme && scheme_ == "basic") {
      return absl::UnauthenticatedError(absl::StrCat(
          "registry ", registry_, " rejected the credentials of user \"", creds_.username, "\""));
    }
    scheme_ = "basic";
    return absl::OkStatus();
  }
  return absl::UnauthenticatedError(absl::StrCat("registry ", registry_,
                                                 " answered 401 with no usable challenge: \"",
                                                 www_authenticate, "\""));
}

absl::Status Authenticator::Refused(const std::string& scope) const {
  if (creds_.empty()) {
    return absl::UnauthenticatedError(absl::StrCat(
        "registry ", registry_, " requires credentials for ", scope, " and none were given"));
  }
  std::string whose = !creds_.registry_token.empty()   ? "the registry token"
                      : !creds_.identity_token.empty() ? "the identity token"
                      : absl::StrCat("the credentials of user \"", creds_.username, "\"");
  return absl::UnauthenticatedError(
      absl::StrCat("registry ", registry_, " rejected ", whose, " for ", scope));
}

absl::StatusOr<std::string> Authenticator::FetchToken(const std::string& scope,
                                                      HttpSession& session,
                                                      const HttpRequest& base) {
  HttpRequest req = base;
  ASSIGN_OR_RETURN(req.tls, RealmTls(base));
  req.headers.clear();
  req.range_from = 0;
  req.max_body = 1 << 20;
  std::string query = absl::StrCat("service=", UrlEncode(service_), "&scope=", UrlEncode(scope));
  if (!creds_.identity_token.empty()) {
    // OAuth2 refresh-token grant, as docker and containerd send an identity token.
    req.method = "POST";
    req.url = realm_;
    req.headers.push_back("Content-Type: application/x-www-form-urlencoded");
    req.body = absl::StrCat("grant_type=refresh_token&client_id=cricket&refresh_token=",
                            UrlEncode(creds_.identity_token), "&", query);
  } else {
    req.method = "GET";
    req.url = absl::StrCat(realm_, realm_.find('?') == std::string::npos ? "?" : "&", query);
    if (!creds_.username.empty() || !creds_.password.empty()) {
      req.headers.push_back("Authorization: " +
                            BasicAuthorization(creds_.username, creds_.password));
    }
  }
  ASSIGN_OR_RETURN(HttpResponse resp, session.Perform(req));
  std::string what = absl::StrCat("registry ", registry_, ": token from ", realm_);
  if (resp.curl_code != 0) {
    return absl::UnavailableError(absl::StrCat(what, ": ", DescribeTransportError(req, resp)));
  }
  if (resp.status == 401 || resp.status == 403) {
    return absl::UnauthenticatedError(absl::StrCat(
        what, ": HTTP ", resp.status, ": credentials rejected",
        creds_.username.empty() ? "" : absl::StrCat(" for user \"", creds_.username, "\"")));
  }
  if (resp.status != 200) {
    auto code = resp.status >= 500 ? absl::StatusCode::kUnavailable
                                   : absl::StatusCode::kFailedPrecondition;
    return absl::Status(code, absl::StrCat(what, ": HTTP ", resp.status));
  }
  auto parsed = ParseTokenResponse(resp.body);
  if (!parsed.ok()) return sys::Annotate(parsed.status(), what);
  // Refresh a little early so a token does not expire between check and use.
  int64_t margin = std::min<int64_t>(10, parsed->expires_in / 2);
  auto expiry = Clock::now() + std::chrono::seconds(parsed->expires_in - margin);
  TokenCache& cache = Cache();
  std::lock_guard<std::mutex> lock(cache.mu);
  cache.tokens[CacheKey(scope)] = {parsed->token, expiry};
  return parsed->token;
}

}  // namespace cricket::image::registry
