// `cricket-oci update <id>`: changes cgroup limits of a container, from flags
// or from a linux.resources JSON (`--resources file`, `-` for stdin).
#include <cctype>
#include <cmath>
#include <cstdio>

#include "absl/strings/numbers.h"
#include "nlohmann/json.hpp"
#include "oci/cli/command.h"
#include "oci/spec_json.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/status.h"

namespace cricket::oci::cli {
namespace {

// docker's RAMInBytes: "512", "512k", "1.5g", "2GiB"; binary multiples. "-1"
// means unlimited.
absl::StatusOr<int64_t> ParseBytes(const std::string& flag, const std::string& v) {
  if (v == "-1") return -1;
  size_t i = 0;
  while (i < v.size() && (std::isdigit(static_cast<unsigned char>(v[i])) || v[i] == '.')) ++i;
  double num = 0;
  std::string unit = v.substr(i);
  if (!unit.empty() && unit[0] == ' ') unit.erase(0, 1);
  for (char& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const std::string kUnits = "kmgtp";
  double mult = 1;
  if (!unit.empty() && kUnits.find(unit[0]) != std::string::npos) {
    mult = std::pow(1024.0, static_cast<double>(kUnits.find(unit[0]) + 1));
    unit.erase(0, 1);
    if (!unit.empty() && unit[0] == 'i') unit.erase(0, 1);
  }
  if (unit == "b") unit.clear();
  if (i == 0 || !unit.empty() || !absl::SimpleAtod(v.substr(0, i), &num)) {
    return absl::InvalidArgumentError("invalid value \"" + v + "\" for flag --" + flag +
                                      ": want bytes, e.g. 512m");
  }
  return static_cast<int64_t>(num * mult);
}

absl::StatusOr<cgroup::Resources> FromFile(const std::string& path) {
  std::string text;
  if (path == "-") {
    ASSIGN_OR_RETURN(text, sys::ReadFd(0, "stdin"));
  } else {
    ASSIGN_OR_RETURN(text, sys::ReadFile(AbsPath(path)));
  }
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return absl::InvalidArgumentError("--resources: " + path + " is not JSON");
  return ResourcesFromJson(j);
}

using R = cgroup::Resources;
cgroup::Memory& Mem(R& r) { return r.memory ? *r.memory : r.memory.emplace(); }
cgroup::Cpu& Cpu(R& r) { return r.cpu ? *r.cpu : r.cpu.emplace(); }

// runc's integer flags: name, whether it takes a byte size, and the field.
struct IntFlag {
  const char* name;
  bool bytes;
  void (*set)(R& r, int64_t v);
};
const IntFlag kIntFlags[] = {
    {"memory", true, [](R& r, int64_t v) { Mem(r).limit = v; }},
    {"memory-reservation", true, [](R& r, int64_t v) { Mem(r).reservation = v; }},
    {"memory-swap", true, [](R& r, int64_t v) { Mem(r).swap = v; }},
    {"kernel-memory", true, [](R& r, int64_t v) { Mem(r).kernel = v; }},
    {"kernel-memory-tcp", true, [](R& r, int64_t v) { Mem(r).kernel_tcp = v; }},
    {"cpu-share", false, [](R& r, int64_t v) { Cpu(r).shares = v; }},
    {"cpu-shares", false, [](R& r, int64_t v) { Cpu(r).shares = v; }},
    {"cpu-quota", false, [](R& r, int64_t v) { Cpu(r).quota = v; }},
    {"cpu-period", false, [](R& r, int64_t v) { Cpu(r).period = v; }},
    {"cpu-rt-period", false, [](R& r, int64_t v) { Cpu(r).realtime_period = v; }},
    {"cpu-rt-runtime", false, [](R& r, int64_t v) { Cpu(r).realtime_runtime = v; }},
    {"pids-limit", false, [](R& r, int64_t v) { r.pids = cgroup::Pids{v}; }},
    {"blkio-weight", false,
     [](R& r, int64_t v) {
       r.block_io.emplace();
       r.block_io->weight = static_cast<uint16_t>(v);
     }},
};

absl::StatusOr<R> FromFlags(const Args& args) {
  for (const char* f : {"l3-cache-schema", "mem-bw-schema"}) {
    if (args.Has(f)) {
      return absl::UnimplementedError(std::string("--") + f + ": no Intel RDT support");
    }
  }
  R r;
  for (const IntFlag& f : kIntFlags) {
    if (!args.Has(f.name)) continue;
    std::string v = args.Get(f.name);
    ASSIGN_OR_RETURN(int64_t n, f.bytes ? ParseBytes(f.name, v) : ParseInt(f.name, v));
    f.set(r, n);
  }
  if (args.Has("cpuset-cpus")) Cpu(r).cpus = args.Get("cpuset-cpus");
  if (args.Has("cpuset-mems")) Cpu(r).mems = args.Get("cpuset-mems");
  return r;
}

int Run(Context& ctx, const Args& args) {
  auto id = ContainerId(args);
  if (!id.ok()) return Fail(ctx, id.status());
  auto res = args.Has("resources") ? FromFile(args.Get("resources")) : FromFlags(args);
  if (!res.ok()) return Fail(ctx, res.status());
  if (absl::Status st = ctx.runtime().Update(*id, *res); !st.ok()) return Fail(ctx, st);
  return 0;
}

}  // namespace

Command UpdateVerb() {
  std::vector<FlagSpec> flags = {{"resources", 'r', true},
                                 {"cpuset-cpus", 0, true},
                                 {"cpuset-mems", 0, true},
                                 {"l3-cache-schema", 0, true},
                                 {"mem-bw-schema", 0, true}};
  for (const IntFlag& f : kIntFlags) flags.push_back({f.name, 0, true});
  return {"update", "[command options] <container-id>",
          "update container resource constraints (flags, or --resources file|-)", flags, false,
          Run};
}

}  // namespace cricket::oci::cli
