// `cricket-oci ps <id> [ps options]`: the container's pids as a JSON array
// (`--format json`), or the host's `ps` output (default `-ef`) filtered to
// the container's processes, as runc does.
#include <cstdio>
#include <set>

#include <nlohmann/json.hpp>

#include "absl/strings/str_split.h"
#include "oci/cli/command.h"
#include "oci/sys/child_process.h"
#include "oci/sys/status.h"

namespace cricket::oci::cli {
namespace {

// Index of the PID column in ps's header line.
absl::StatusOr<size_t> PidColumn(const std::string& header) {
  std::vector<std::string> cols = absl::StrSplit(header, ' ', absl::SkipEmpty());
  for (size_t i = 0; i < cols.size(); ++i) {
    if (cols[i] == "PID") return i;
  }
  return absl::InvalidArgumentError("couldn't find PID field in ps output");
}

absl::Status PrintTable(const std::vector<pid_t>& pids, std::vector<std::string> ps_args) {
  if (ps_args.empty()) ps_args = {"-ef"};
  sys::SpawnOptions so;
  so.argv = {"ps"};
  so.argv.insert(so.argv.end(), ps_args.begin(), ps_args.end());
  so.stderr_fd = -2;
  ASSIGN_OR_RETURN(sys::CommandResult res, sys::RunCommand(so));
  if (res.exit.code() != 0) {
    return absl::InternalError("ps exited with code " + std::to_string(res.exit.code()));
  }
  std::vector<std::string> lines = absl::StrSplit(res.out, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();  // the final newline
  const std::string header = lines.empty() ? "" : lines.front();
  ASSIGN_OR_RETURN(size_t col, PidColumn(header));
  std::set<pid_t> wanted(pids.begin(), pids.end());
  std::printf("%s\n", header.c_str());
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> f = absl::StrSplit(lines[i], ' ', absl::SkipEmpty());
    if (col < f.size() && wanted.count(static_cast<pid_t>(std::atol(f[col].c_str())))) {
      std::printf("%s\n", lines[i].c_str());
    }
  }
  return absl::OkStatus();
}

int Run(Context& ctx, const Args& args) {
  auto id = ContainerId(args, 1, SIZE_MAX);
  if (!id.ok()) return Fail(ctx, id.status());
  std::string format = args.Get("format", "table");
  if (format != "table" && format != "json") {
    return Fail(ctx, absl::InvalidArgumentError("invalid format option \"" + format + "\""));
  }
  auto pids = ctx.runtime().Pids(*id);
  if (!pids.ok()) return Fail(ctx, pids.status());
  if (format == "json") {
    // runc marshals an empty Go slice as null.
    std::printf("%s\n", pids->empty() ? "null" : nlohmann::json(*pids).dump().c_str());
    return 0;
  }
  std::vector<std::string> ps_args(args.positional().begin() + 1, args.positional().end());
  if (absl::Status st = PrintTable(*pids, ps_args); !st.ok()) return Fail(ctx, st);
  return 0;
}

}  // namespace

Command PsVerb() {
  return {"ps", "[command options] <container-id> [ps options]",
          "display the processes running inside a container", {{"format", 'f', true}},
          /*stop_at_positional=*/true, Run};
}

}  // namespace cricket::oci::cli
