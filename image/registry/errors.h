// Registry answers → absl::Status: the code from the HTTP status and the
// message from the registry's error JSON ({"errors":[{"code","message"}]}).
#pragma once

#include <string>

#include "absl/status/status.h"

namespace cricket::image::registry {

// "manifest unknown (MANIFEST_UNKNOWN); ..." from an error body, or a short
// printable excerpt of a non-JSON body, or "" for an empty one.
std::string RegistryErrorMessage(const std::string& body);

// 401 → Unauthenticated, 403 → PermissionDenied, 404 → NotFound, 408/429/5xx
// → Unavailable, 400 → InvalidArgument, others → FailedPrecondition.
absl::StatusCode CodeForHttpStatus(long status);

// "<what>: HTTP <status>: <registry message>" with CodeForHttpStatus.
absl::Status HttpStatusError(const std::string& what, long status, const std::string& body);

}  // namespace cricket::image::registry
