// The pure half of driving an external runc-compatible runtime: its command
// lines, the meaning of its failures, and the exec process it is given.
// Unit-tested without the binary.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "oci/runtime.h"
#include "pod/monitor/runtime/driver.h"

namespace cricket::pod::driver {

// <binary> --root=<root> [--systemd-cgroup] [--log=<log> --log-format=json]
// <options...> <verb> <args...>: runc's and crun's global flags.
std::vector<std::string> ExternalArgv(const DriverConfig& c, const std::string& verb,
                                      const std::vector<std::string>& args,
                                      const std::string& log_file = "");

// The error message of a failed run: the last "error"/"fatal" entry of a
// --log-format=json log (runc and crun write {"level":..,"msg":..}), else the
// last non-empty line of the text.
std::string LastErrorMessage(const std::string& text);

// A failed `<verb> <id>`: NotFound when the runtime says the container does
// not exist, FailedPrecondition when it is not running (or its init is
// gone), else Unknown (what CRI-O answers with a runtime's own failure).
// The message names the binary, the verb, the container and the runtime's text.
absl::Status ExternalError(const DriverConfig& c, const std::string& verb, const std::string& id,
                           int exit_code, const std::string& message);

// The `exec --process` document: the container's own process (from its
// config.json text) with the exec's args, terminal and console size, and its
// env and cwd when set. Fields the driver cannot pass are an error naming them.
absl::StatusOr<std::string> ExecProcessJson(const std::string& config_json,
                                            const oci::ExecOptions& opts);

}  // namespace cricket::pod::driver
