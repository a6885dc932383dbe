// Decoding the remote command's exit from its error channel.
#include "cri/client/stream_exit_status.h"

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace cricket::cri::client {
namespace {

absl::StatusOr<int> FromStatusJson(const nlohmann::json& j) {
  std::string status = j.value("status", "");
  if (status == "Success") return 0;
  if (status != "Failure") {
    return absl::InvalidArgumentError(
        absl::StrCat("error stream protocol error: unknown status \"", status, "\""));
  }
  std::string message = j.value("message", "");
  if (j.value("reason", "") != "NonZeroExitCode") {
    return absl::UnknownError(message.empty() ? "remote command failed" : message);
  }
  if (j.contains("details") && j["details"].is_object() && j["details"].contains("causes") &&
      j["details"]["causes"].is_array()) {
    for (const auto& cause : j["details"]["causes"]) {
      if (!cause.is_object() || cause.value("reason", "") != "ExitCode") continue;
      int code = 0;
      if (absl::SimpleAtoi(cause.value("message", ""), &code)) return code;
      return absl::InvalidArgumentError(
          absl::StrCat("error stream protocol error: invalid exit code value \"",
                       cause.value("message", ""), "\""));
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat("error stream protocol error: no exit code in \"", message, "\""));
}

}  // namespace

absl::StatusOr<int> DecodeExitStatus(std::string_view error_channel, bool json_status) {
  std::string text(
      absl::StripAsciiWhitespace(absl::string_view(error_channel.data(), error_channel.size())));
  if (text.empty()) return 0;
  if (!json_status) return absl::UnknownError(text);
  try {
    nlohmann::json j = nlohmann::json::parse(text);
    if (!j.is_object()) throw nlohmann::json::type_error::create(302, "not an object", nullptr);
    return FromStatusJson(j);
  } catch (const nlohmann::json::exception&) {
    return absl::InvalidArgumentError(
        absl::StrCat("error stream protocol error: not a Status: ", text.substr(0, 200)));
  }
}

}  // namespace cricket::cri::client
