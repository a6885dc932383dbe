// cricket-monitor-supervise: the lean half of cricket-monitor that a running
// container's monitor execs into (pod/monitor/handoff.h). Linked statically and
// without the engine, so each container costs a few hundred KiB of memory.
// Its name keeps the first 15 characters of cricket-monitor's, so the process
// name (comm) that ps and pgrep show stays "cricket-monitor".
#include <unistd.h>

#include <string>

#include "pod/monitor/args.h"
#include "pod/monitor/finish.h"
#include "pod/monitor/shed_pages.h"

int main(int argc, char** argv) {
  using namespace cricket::pod::monitor;
  absl::StatusOr<Args> args = ParseArgs(argc, argv);
  if (!args.ok() || args->mode != Args::Mode::kSupervise) {
    std::string msg = args.ok() ? "only the supervise mode runs here" : std::string(args.status().message());
    msg = "cricket-monitor-supervise: " + msg + "\n";
    ssize_t n = ::write(2, msg.data(), msg.size());
    (void)n;
    return 2;
  }
  ShedStartupPages();
  return SuperviseInherited(args->supervise);
}
