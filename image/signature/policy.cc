// containers-policy.json(5) parsing and scope selection. Parsing is strict, as
// containers/image's is: a policy that says something cricket would not
// honour must fail loudly, not weaken silently.
#include "image/signature/policy.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "oci/sys/status.h"

namespace cricket::image::signature {
namespace {

using nlohmann::json;

absl::Status Invalid(const std::string& where, const std::string& why) {
  return absl::InvalidArgumentError(absl::StrCat(where, ": ", why));
}

// Every key of `o` must be in `allowed`.
absl::Status OnlyFields(const json& o, const std::string& where,
                        std::initializer_list<std::string_view> allowed) {
  for (const auto& [k, v] : o.items()) {
    bool ok = false;
    for (std::string_view a : allowed) ok = ok || k == a;
    if (!ok) return Invalid(where, absl::StrCat("field \"", k, "\" is unknown or not supported"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> StringField(const json& o, const std::string& where,
                                        const char* key) {
  auto it = o.find(key);
  if (it == o.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
    return Invalid(where, absl::StrCat("\"", key, "\" must be a non-empty string"));
  }
  return it->get<std::string>();
}

absl::Status ParseIdentity(const json& j, const std::string& where, Requirement& r) {
  if (!j.is_object()) return Invalid(where, "must be an object");
  ASSIGN_OR_RETURN(std::string type, StringField(j, where, "type"));
  const std::pair<std::string_view, IdentityMatch> plain[] = {
      {"matchRepoDigestOrExact", IdentityMatch::kMatchRepoDigestOrExact},
      {"matchExact", IdentityMatch::kMatchExact},
      {"matchRepository", IdentityMatch::kMatchRepository}};
  for (const auto& [name, match] : plain) {
    if (type != name) continue;
    r.identity = match;
    return OnlyFields(j, where, {"type"});
  }
  const char* key = type == "exactReference"    ? "dockerReference"
                    : type == "exactRepository" ? "dockerRepository"
                                                : nullptr;
  if (key == nullptr) return Invalid(where, "type \"" + type + "\" is not supported");
  RETURN_IF_ERROR(OnlyFields(j, where, {"type", key}));
  r.identity = type == "exactReference" ? IdentityMatch::kExactReference
                                        : IdentityMatch::kExactRepository;
  ASSIGN_OR_RETURN(r.identity_reference, StringField(j, where, key));
  ASSIGN_OR_RETURN(Reference ref, ParseReference(r.identity_reference));
  if (r.identity == IdentityMatch::kExactRepository && r.identity_reference != ref.Repository()) {
    return Invalid(where, "\"" + r.identity_reference + "\" is not a full repository name");
  }
  return absl::OkStatus();
}

// keyPath / keyPaths / keyData / keyDatas: exactly one of them.
absl::Status ParseKeys(const json& j, const std::string& where, Requirement& r) {
  int given = 0;
  for (const char* k : {"keyPath", "keyPaths", "keyData", "keyDatas"}) {
    auto it = j.find(k);
    if (it == j.end()) continue;
    ++given;
    const bool many = std::string_view(k).back() == 's';
    const bool is_path = std::string_view(k).substr(0, 7) == "keyPath";
    json items = many ? *it : json::array({*it});
    if (!items.is_array() || items.empty()) return Invalid(where, std::string(k) + " is empty");
    for (const json& v : items) {
      if (!v.is_string() || v.get_ref<const std::string&>().empty()) {
        return Invalid(where, std::string(k) + " must hold non-empty strings");
      }
      const std::string& s = v.get_ref<const std::string&>();
      if (is_path) {
        if (s.front() != '/') return Invalid(where, "keyPath \"" + s + "\" is not absolute");
        r.key_paths.push_back(s);
        continue;
      }
      std::string pem;
      if (!absl::Base64Unescape(s, &pem)) return Invalid(where, std::string(k) + " is not base64");
      r.keys.push_back({absl::StrCat(where, ".", k, "[", r.keys.size(), "]"), std::move(pem)});
    }
  }
  if (given != 1) {
    return Invalid(where, "exactly one of keyPath, keyPaths, keyData, keyDatas must be given");
  }
  return absl::OkStatus();
}

absl::StatusOr<Requirement> ParseRequirement(const json& j, const std::string& where) {
  if (!j.is_object()) return Invalid(where, "a requirement must be an object");
  ASSIGN_OR_RETURN(std::string type, StringField(j, where, "type"));
  Requirement r;
  if (type == "insecureAcceptAnything" || type == "reject") {
    r.type = type == "reject" ? Requirement::kReject : Requirement::kInsecureAcceptAnything;
    RETURN_IF_ERROR(OnlyFields(j, where, {"type"}));
    return r;
  }
  if (type != "sigstoreSigned") {
    return Invalid(where, "requirement type \"" + type + "\" is not supported (cricket knows "
                          "insecureAcceptAnything, reject and sigstoreSigned)");
  }
  r.type = Requirement::kSigstoreSigned;
  RETURN_IF_ERROR(
      OnlyFields(j, where, {"type", "keyPath", "keyPaths", "keyData", "keyDatas", "signedIdentity"}));
  RETURN_IF_ERROR(ParseKeys(j, where, r));
  if (auto it = j.find("signedIdentity"); it != j.end()) {
    RETURN_IF_ERROR(ParseIdentity(*it, where + ".signedIdentity", r));
  }
  return r;
}

absl::StatusOr<Requirements> ParseRequirements(const json& j, const std::string& where) {
  if (!j.is_array() || j.empty()) return Invalid(where, "must be a non-empty list of requirements");
  Requirements out;
  for (size_t i = 0; i < j.size(); ++i) {
    ASSIGN_OR_RETURN(Requirement r, ParseRequirement(j[i], absl::StrCat(where, "[", i, "]")));
    out.push_back(std::move(r));
  }
  return out;
}

// A docker scope is "", *.domain, a host, a namespace or repository in full
// form ("docker.io/library", not "library"), or one with :tag or @digest.
absl::Status CheckDockerScope(const std::string& scope, const std::string& where) {
  if (scope.empty()) return absl::OkStatus();
  if (scope.rfind("*.", 0) == 0) {
    auto r = ParseReference(scope.substr(2) + "/x");
    if (r.ok() && r->domain == scope.substr(2)) return absl::OkStatus();
    return Invalid(where, "not a valid *.domain scope");
  }
  size_t slash = scope.find('/');
  if (slash == std::string::npos) {
    auto r = ParseReference(scope + "/x");
    if (r.ok() && r->domain == scope) return absl::OkStatus();
    return Invalid(where, "not a registry host");
  }
  auto r = ParseReference(scope);
  if (!r.ok()) return Invalid(where, std::string(r.status().message()));
  const bool pinned = scope.find('@') != std::string::npos ||
                      scope.find(':', scope.rfind('/')) != std::string::npos;
  if ((pinned ? r->String() : r->Repository()) != scope) {
    return Invalid(where, "scopes must name the image in full (\"" +
                              (pinned ? r->String() : r->Repository()) + "\")");
  }
  return absl::OkStatus();
}

absl::Status ParseTransports(const json& j, Policy& p) {
  if (!j.is_object()) return Invalid("transports", "must be an object");
  for (const auto& [transport, scopes] : j.items()) {
    const std::string where = "transports." + transport;
    if (!scopes.is_object()) return Invalid(where, "must be an object of scopes");
    for (const auto& [scope, reqs] : scopes.items()) {
      const std::string at = absl::StrCat(where, "[\"", scope, "\"]");
      ASSIGN_OR_RETURN(Requirements r, ParseRequirements(reqs, at));
      if (transport != "docker") continue;
      RETURN_IF_ERROR(CheckDockerScope(scope, at));
      p.docker[scope] = std::move(r);
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Policy> ParsePolicy(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Invalid("policy", "not a JSON object");
  RETURN_IF_ERROR(OnlyFields(j, "policy", {"default", "transports"}));
  auto def = j.find("default");
  if (def == j.end()) return Invalid("policy", "\"default\" is missing");
  Policy p;
  ASSIGN_OR_RETURN(p.default_requirements, ParseRequirements(*def, "default"));
  if (auto t = j.find("transports"); t != j.end()) RETURN_IF_ERROR(ParseTransports(*t, p));
  return p;
}

Scope SelectScope(const Policy& policy, const Reference& ref) {
  std::vector<std::string> candidates;
  const std::string repo = ref.Repository();
  if (!ref.digest.empty()) candidates.push_back(repo + "@" + ref.digest);
  if (!ref.tag.empty()) candidates.push_back(repo + ":" + ref.tag);
  for (std::string ns = repo;; ns.resize(ns.rfind('/'))) {
    candidates.push_back(ns);
    if (ns.find('/') == std::string::npos) break;
  }
  // *.example.com for hosts named by DNS (a port or an IP literal has none).
  if (ref.domain.find_first_of(":[") == std::string::npos) {
    for (size_t dot = ref.domain.find('.'); dot != std::string::npos;
         dot = ref.domain.find('.', dot + 1)) {
      candidates.push_back("*" + ref.domain.substr(dot));
    }
  }
  candidates.push_back("");
  for (const std::string& c : candidates) {
    auto it = policy.docker.find(c);
    if (it != policy.docker.end()) return {c.empty() ? "docker" : c, &it->second};
  }
  return {"default", &policy.default_requirements};
}

}  // namespace cricket::image::signature
