// The daemon's unix socket file: make room for it (refusing when a live daemon
// answers there, replacing a stale file from a dead one), secure it, remove it.
#pragma once

#include <string>

#include "absl/status/status.h"

namespace cricket::cri {

// Creates the parent directory and clears the path for bind(2):
//  - nothing there: OK;
//  - a socket nobody accepts on (ECONNREFUSED): stale, removed, OK;
//  - a socket that accepts: AlreadyExists ("another daemon is serving on ...");
//  - anything else (a file, a dir): FailedPrecondition naming it.
absl::Status PrepareSocketPath(const std::string& path);

// True when something accepts connections on the unix socket at `path`.
bool SocketAnswers(const std::string& path);

// Mode 0660 owned by root:root (the kubelet runs as root; group access is
// the operator's choice via the group owner).
absl::Status SecureSocket(const std::string& path);

// Unlinks the socket; a missing file is fine.
absl::Status RemoveSocket(const std::string& path);

}  // namespace cricket::cri
