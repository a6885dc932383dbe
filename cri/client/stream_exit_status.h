// What the remote-command error channel says about how the command ended,
// read as client-go reads it: v4+ carries a metav1.Status (Success, or
// Failure with reason NonZeroExitCode and a cause {reason: ExitCode,
// message: "N"}); v1-v3 carry plain error text.
#pragma once

#include <string_view>

#include "absl/status/statusor.h"

namespace cricket::cri::client {

// The exit code (0 for success or an empty channel), or an error carrying
// the server's message.
absl::StatusOr<int> DecodeExitStatus(std::string_view error_channel, bool json_status);

}  // namespace cricket::cri::client
