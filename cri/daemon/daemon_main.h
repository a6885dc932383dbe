// cricketd's entry point (cri/daemon/main.cc only calls this) and its serve loop.
#pragma once

#include "conf/config.h"
#include "cri/daemon/options.h"

namespace cricket::cri {

// Parses arguments, loads the config and runs the requested command.
// Returns the process exit code.
int DaemonMain(int argc, char** argv);

// Serves until SIGTERM or SIGINT, then shuts down gracefully and returns 0;
// returns 1 when the server cannot start (e.g. another daemon owns the socket).
// SIGHUP re-reads the config `options` name (cri/daemon/reload.h).
int RunDaemon(const DaemonOptions& options, const conf::Config& config);

}  // namespace cricket::cri
