// `cricket-oci events <id>`: cgroup statistics as runc's event JSON, one line
// per event: once with --stats, else every --interval until the container
// stops.
#include <time.h>

#include <cstdio>

#include <nlohmann/json.hpp>

#include "absl/strings/numbers.h"
#include "oci/cli/command.h"

namespace cricket::oci::cli {
namespace {

// A Go duration as runc takes it: "5s", "250ms", "1m", "1.5s".
absl::StatusOr<double> ParseSeconds(const std::string& s) {
  struct Unit {
    const char* suffix;
    double seconds;
  };
  static const Unit kUnits[] = {{"ms", 1e-3}, {"us", 1e-6}, {"ns", 1e-9},
                                {"s", 1},     {"m", 60},    {"h", 3600}};
  for (const Unit& u : kUnits) {
    std::string suf = u.suffix;
    if (s.size() > suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0) {
      double v = 0;
      if (absl::SimpleAtod(s.substr(0, s.size() - suf.size()), &v) && v > 0) return v * u.seconds;
      break;
    }
  }
  return absl::InvalidArgumentError("invalid --interval \"" + s + "\": want e.g. 5s or 500ms");
}

absl::Status PrintStats(Runtime& rt, const std::string& id) {
  auto stats = rt.Stats(id);
  if (!stats.ok()) return stats.status();
  nlohmann::ordered_json ev;
  ev["type"] = "stats";
  ev["id"] = id;
  ev["data"] = cgroup::StatsToJson(*stats);
  std::printf("%s\n", ev.dump().c_str());
  std::fflush(stdout);
  return absl::OkStatus();
}

int Run(Context& ctx, const Args& args) {
  auto id = ContainerId(args);
  if (!id.ok()) return Fail(ctx, id.status());
  Runtime& rt = ctx.runtime();
  auto state = rt.State(*id);
  if (!state.ok()) return Fail(ctx, state.status());
  if (state->status == "stopped") {
    return Fail(ctx, absl::FailedPreconditionError("container with id " + *id +
                                                    " is not running"));
  }
  if (args.Has("stats")) {
    if (absl::Status st = PrintStats(rt, *id); !st.ok()) return Fail(ctx, st);
    return 0;
  }
  auto interval = ParseSeconds(args.Get("interval", "5s"));
  if (!interval.ok()) return Fail(ctx, interval.status());
  for (;;) {
    state = rt.State(*id);
    if (!state.ok()) return Fail(ctx, state.status());
    if (state->status == "stopped") return 0;
    if (absl::Status st = PrintStats(rt, *id); !st.ok()) return Fail(ctx, st);
    struct timespec ts;
    ts.tv_sec = static_cast<time_t>(*interval);
    ts.tv_nsec = static_cast<long>((*interval - static_cast<double>(ts.tv_sec)) * 1e9);
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
  }
}

}  // namespace

Command EventsVerb() {
  return {"events", "[command options] <container-id>",
          "display container statistics (one shot with --stats, else every --interval)",
          {{"interval", 0, true}, {"stats", 0, false}}, false, Run};
}

}  // namespace cricket::oci::cli
