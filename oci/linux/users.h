// The container process' identity: groups, gid, uid, umask, and HOME from
// the container's /etc/passwd.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "oci/spec.h"

namespace cricket::oci::linux {

// setgroups (skipped when the user namespace denies it), setresgid, setresuid, umask.
absl::Status SetupUser(const User& user);

// Home directory of uid in a passwd file's text; "/" when not listed.
std::string HomeFromPasswd(const std::string& passwd, uint32_t uid);

// Appends HOME (from /etc/passwd of the current root) unless env has it.
void AddHomeEnv(std::vector<std::string>* env, uint32_t uid);

}  // namespace cricket::oci::linux
