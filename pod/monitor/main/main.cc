// cricket-monitor: the per-container supervisor (conmon's job) and the
// exec helpers (ExecSync, streaming exec). Single-threaded; links only the engine library.
#include <iostream>
#include <string>

#include "pod/monitor/args.h"
#include "pod/monitor/exec_mode.h"
#include "pod/monitor/exec_stream.h"
#include "pod/monitor/finish.h"
#include "pod/monitor/run.h"

int main(int argc, char** argv) {
  using namespace cricket::pod::monitor;
  absl::StatusOr<Args> args = ParseArgs(argc, argv);
  if (!args.ok()) {
    std::cerr << "cricket-monitor: " << args.status().message() << "\n";
    return 2;
  }
  if (args->mode == Args::Mode::kExec && args->exec.stream) return ExecStream(args->exec);
  if (args->mode == Args::Mode::kExec) return Exec(args->exec);
  if (args->mode == Args::Mode::kSupervise) return SuperviseInherited(args->supervise);
  return Run(args->run);
}
