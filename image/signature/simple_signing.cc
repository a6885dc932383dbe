// Parsers for cosign's signature manifest and simple-signing payload. Both
// come from the registry, so every field is type-checked before use.
#include "image/signature/simple_signing.h"

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "oci/sys/status.h"

namespace cricket::image::signature {
namespace {

using nlohmann::json;

absl::Status Invalid(const std::string& what, const std::string& why) {
  return absl::InvalidArgumentError(absl::StrCat(what, ": ", why));
}

// o[key] as a non-empty string, or an error naming `what`.
absl::StatusOr<std::string> Str(const json& o, const char* key, const std::string& what) {
  if (!o.is_object()) return Invalid(what, "not an object");
  auto it = o.find(key);
  if (it == o.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
    return Invalid(what, absl::StrCat("\"", key, "\" is missing or not a string"));
  }
  return it->get<std::string>();
}

bool IsSha256Digest(const std::string& d) {
  if (d.size() != 71 || d.rfind("sha256:", 0) != 0) return false;
  for (char c : d.substr(7)) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

absl::StatusOr<SignatureLayer> ParseLayer(const json& l, const std::string& what) {
  SignatureLayer s;
  ASSIGN_OR_RETURN(s.digest, Str(l, "digest", what));
  if (!IsSha256Digest(s.digest)) return Invalid(what, "digest \"" + s.digest + "\" is not sha256");
  auto size = l.find("size");
  if (size == l.end() || !size->is_number_integer() || size->get<int64_t>() < 0) {
    return Invalid(what, "\"size\" is missing or not a size");
  }
  s.size = size->get<int64_t>();
  auto ann = l.find("annotations");
  if (ann != l.end() && ann->is_object()) {
    auto sig = ann->find(kSignatureAnnotation);
    if (sig != ann->end() && sig->is_string()) s.signature = sig->get<std::string>();
  }
  return s;
}

}  // namespace

std::string SignatureTag(const std::string& manifest_digest) {
  std::string tag = manifest_digest;
  size_t colon = tag.find(':');
  if (colon != std::string::npos) tag[colon] = '-';
  return tag + ".sig";
}

absl::StatusOr<std::vector<SignatureLayer>> ParseSignatureManifest(std::string_view body) {
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Invalid("signature manifest", "not a JSON object");
  auto layers = j.find("layers");
  if (layers == j.end() || !layers->is_array()) {
    return Invalid("signature manifest", "\"layers\" is missing or not a list");
  }
  std::vector<SignatureLayer> out;
  for (size_t i = 0; i < layers->size() && out.size() < kMaxSignatureLayers; ++i) {
    const json& l = (*layers)[i];
    const std::string what = absl::StrCat("signature manifest layer ", i);
    ASSIGN_OR_RETURN(std::string media_type, Str(l, "mediaType", what));
    if (media_type != kSimpleSigningMediaType) continue;
    ASSIGN_OR_RETURN(SignatureLayer s, ParseLayer(l, what));
    out.push_back(std::move(s));
  }
  return out;
}

absl::StatusOr<SignedClaim> ParseSimpleSigning(std::string_view payload) {
  json j = json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Invalid("payload", "not a JSON object");
  auto critical = j.find("critical");
  if (critical == j.end() || !critical->is_object()) {
    return Invalid("payload", "\"critical\" is missing or not an object");
  }
  for (const auto& [k, v] : critical->items()) {
    if (k != "identity" && k != "image" && k != "type") {
      return Invalid("payload", "unknown field critical." + k);
    }
  }
  ASSIGN_OR_RETURN(std::string type, Str(*critical, "type", "payload critical"));
  if (type != kCosignSignatureType) {
    return Invalid("payload", "critical.type is \"" + type + "\", not \"" +
                                  kCosignSignatureType + "\"");
  }
  SignedClaim c;
  auto identity = critical->find("identity");
  auto image = critical->find("image");
  if (identity == critical->end() || image == critical->end()) {
    return Invalid("payload", "critical.identity or critical.image is missing");
  }
  ASSIGN_OR_RETURN(c.docker_reference, Str(*identity, "docker-reference", "payload identity"));
  ASSIGN_OR_RETURN(c.manifest_digest, Str(*image, "docker-manifest-digest", "payload image"));
  if (!IsSha256Digest(c.manifest_digest)) {
    return Invalid("payload", "docker-manifest-digest \"" + c.manifest_digest + "\" is not sha256");
  }
  return c;
}

}  // namespace cricket::image::signature
