// log_path and pod identity checks (see host_input_checks.h).
#include "cri/service/host_input_checks.h"

#include <cctype>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace cricket::cri {
namespace {

constexpr size_t kMaxIdentityLength = 253;  // a DNS subdomain, Kubernetes' longest name

bool IdentityChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
}

}  // namespace

absl::Status ValidateLogPath(const std::string& log_path) {
  if (log_path.empty()) return absl::OkStatus();  // no log file
  if (log_path[0] == '/') {
    return absl::InvalidArgumentError(absl::StrCat(
        "container config: log_path \"", log_path,
        "\" is absolute; it must be relative to the pod's log_directory"));
  }
  for (absl::string_view part : absl::StrSplit(log_path, '/')) {
    if (part == "..") {
      return absl::InvalidArgumentError(absl::StrCat(
          "container config: log_path \"", log_path,
          "\" has a \"..\" component; it must stay inside the pod's log_directory"));
    }
  }
  if (log_path.find('\0') != std::string::npos) {
    return absl::InvalidArgumentError("container config: log_path contains a NUL byte");
  }
  return absl::OkStatus();
}

absl::Status ValidatePodIdentity(const runtime::v1::PodSandboxMetadata& m) {
  for (const auto& [field, value] : {std::pair<const char*, const std::string*>{"name", &m.name()},
                                     {"namespace", &m.namespace_()}, {"uid", &m.uid()}}) {
    if (value->size() > kMaxIdentityLength) {
      return absl::InvalidArgumentError(absl::StrCat("pod sandbox config: metadata.", field,
                                                     " is longer than ", kMaxIdentityLength,
                                                     " characters"));
    }
    for (char c : *value) {
      if (!IdentityChar(c)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "pod sandbox config: metadata.", field, " \"", absl::CHexEscape(*value),
            "\" may only hold letters, digits, '.', '-' and '_' (it is passed to CNI plugins)"));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace cricket::cri
