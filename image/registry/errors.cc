// Registry error responses as statuses.
#include "image/registry/errors.h"

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace cricket::image::registry {

std::string RegistryErrorMessage(const std::string& body) {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_discarded() && j.is_object() && j.contains("errors") && j["errors"].is_array()) {
    std::string out;
    for (const nlohmann::json& e : j["errors"]) {
      if (!e.is_object()) continue;
      std::string msg = e.contains("message") && e["message"].is_string() ? e["message"] : "";
      std::string code = e.contains("code") && e["code"].is_string() ? e["code"] : "";
      if (!out.empty()) out += "; ";
      out += msg.empty() ? code : (code.empty() ? msg : absl::StrCat(msg, " (", code, ")"));
    }
    if (!out.empty()) return out;
  }
  std::string excerpt;
  for (char c : body.substr(0, 200)) excerpt += (c >= 32 && c < 127) ? c : ' ';
  return excerpt;
}

absl::StatusCode CodeForHttpStatus(long status) {
  switch (status) {
    case 400:
      return absl::StatusCode::kInvalidArgument;
    case 401:
      return absl::StatusCode::kUnauthenticated;
    case 403:
      return absl::StatusCode::kPermissionDenied;
    case 404:
      return absl::StatusCode::kNotFound;
    case 408:
    case 429:
      return absl::StatusCode::kUnavailable;
    default:
      return status >= 500 ? absl::StatusCode::kUnavailable
                           : absl::StatusCode::kFailedPrecondition;
  }
}

absl::Status HttpStatusError(const std::string& what, long status, const std::string& body) {
  std::string msg = RegistryErrorMessage(body);
  return absl::Status(CodeForHttpStatus(status),
                      absl::StrCat(what, ": HTTP ", status, msg.empty() ? "" : ": ", msg));
}

}  // namespace cricket::image::registry
