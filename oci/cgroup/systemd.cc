// systemd driver: slice expansion, cgroupsPath parsing and the D-Bus calls
// (sd-bus, see sd_bus.h) that create and stop the container's scope.
#include "oci/cgroup/systemd.h"

#include <unistd.h>

#include <cstdlib>
#include <limits>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "oci/cgroup/plan.h"
#include "oci/cgroup/sd_bus.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"

namespace cricket::oci::cgroup {
namespace {

struct BusDeleter {
  const SdBus* sd;
  void operator()(sd_bus* b) const { sd->flush_close_unref(b); }
};
struct MsgDeleter {
  const SdBus* sd;
  void operator()(sd_bus_message* m) const { sd->message_unref(m); }
};
using BusPtr = std::unique_ptr<sd_bus, BusDeleter>;
using MsgPtr = std::unique_ptr<sd_bus_message, MsgDeleter>;

absl::Status BusError(int r, const sd_bus_error& e, const std::string& what) {
  if (e.message != nullptr) {
    return absl::UnavailableError(absl::StrCat(what, ": ", e.name ? e.name : "", ": ", e.message));
  }
  return sys::ErrnoStatus(-r, what);
}

absl::StatusOr<BusPtr> OpenBus(const SdBus& sd) {
  sd_bus* bus = nullptr;
  int r = sd.open_system(&bus);
  if (r < 0) return sys::ErrnoStatus(-r, "connect to the systemd system bus");
  return BusPtr(bus, BusDeleter{&sd});
}

// Calls a org.freedesktop.systemd1.Manager method; `fill` appends the
// arguments, `read` (after a successful call) takes the reply on the same
// bus. Both return a negative errno on failure.
template <typename Fill, typename Read>
absl::Status CallManager(const char* method, const std::string& unit, Fill fill, Read read) {
  ASSIGN_OR_RETURN(const SdBus* sd, LoadSdBus());
  ASSIGN_OR_RETURN(BusPtr bus, OpenBus(*sd));
  sd_bus_message* raw = nullptr;
  int r = sd->message_new_method_call(bus.get(), &raw, "org.freedesktop.systemd1",
                                      "/org/freedesktop/systemd1",
                                      "org.freedesktop.systemd1.Manager", method);
  if (r < 0) return sys::ErrnoStatus(-r, "build systemd %s call", method);
  MsgPtr msg(raw, MsgDeleter{sd});
  if ((r = fill(*sd, msg.get())) < 0) return sys::ErrnoStatus(-r, "build systemd %s call", method);
  sd_bus_error err = SD_BUS_ERROR_NULL;
  sd_bus_message* reply = nullptr;
  r = sd->call(bus.get(), msg.get(), 0, &err, &reply);
  MsgPtr reply_ptr(reply, MsgDeleter{sd});
  absl::Status st;
  if (r < 0 && !(err.name && absl::string_view(err.name) == "org.freedesktop.systemd1.UnitExists")) {
    st = BusError(r, err, absl::StrCat("systemd ", method, " ", unit));
  } else if (r >= 0 && (r = read(*sd, bus.get(), reply)) < 0) {
    st = sys::ErrnoStatus(-r, "read the reply to systemd %s %s", method, unit);
  }
  sd->error_free(&err);
  return st;
}

template <typename Fill>
absl::Status CallManager(const char* method, const std::string& unit, Fill fill) {
  return CallManager(method, unit, fill, [](const SdBus&, sd_bus*, sd_bus_message*) { return 0; });
}

// Waits until the job StartTransientUnit queued is done (its object gone), as
// runc does: the job realizes the scope's cgroup and writes the files systemd
// manages, so files written before it ends may be overwritten (cpuset, and
// memory.oom.group when a controller is newly enabled on the way). A job
// still there after 10 s is left to finish on its own, with a warning.
int AwaitJob(const SdBus& sd, sd_bus* bus, sd_bus_message* reply, const std::string& unit) {
  const char* job = nullptr;
  int r = sd.message_read(reply, "o", &job);
  if (r < 0) return r;
  for (int i = 0; i < 10000; ++i) {
    sd_bus_error err = SD_BUS_ERROR_NULL;
    char* state = nullptr;
    r = sd.get_property_string(bus, "org.freedesktop.systemd1", job, "org.freedesktop.systemd1.Job",
                               "State", &err, &state);
    sd.error_free(&err);
    ::free(state);
    if (r < 0) return 0;  // no such job any more: done
    ::usleep(1000);
  }
  sys::LogWarn("systemd's start job of the scope is still running after 10 s",
               {{"unit", unit}, {"job", job}});
  return 0;
}

// The limits as (sv) entries of an open a(sv): the uint64 ones, then the masks.
int AppendProperties(const SdBus& sd, sd_bus_message* m, const Resources* r,
                     const ByteMaskProperties& masks) {
  int rc = 0;
  if (r != nullptr) {
    for (const auto& [name, value] : SystemdResourceProperties(*r)) {
      if (rc >= 0) rc = sd.message_append(m, "(sv)", name.c_str(), "t", value);
    }
  }
  for (const auto& [name, bytes] : masks) {
    if (rc >= 0) rc = sd.message_open_container(m, 'r', "sv");
    if (rc >= 0) rc = sd.message_append(m, "s", name.c_str());
    if (rc >= 0) rc = sd.message_open_container(m, 'v', "ay");
    if (rc >= 0) rc = sd.message_append_array(m, 'y', bytes.data(), bytes.size());
    if (rc >= 0) rc = sd.message_close_container(m);
    if (rc >= 0) rc = sd.message_close_container(m);
  }
  return rc;
}

bool WantsGroupOomKill(const Resources& r) {
  auto it = r.unified.find("memory.oom.group");
  return it != r.unified.end() && absl::StripAsciiWhitespace(it->second) == "1";
}

absl::Status StartScope(const SystemdUnit& u, pid_t pid, const Resources* r) {
  const Resources* res = r;
  ByteMaskProperties masks;
  if (r != nullptr) {
    ASSIGN_OR_RETURN(masks, SystemdCpusetProperties(*r));
  }
  return CallManager("StartTransientUnit", u.unit, [&](const SdBus& sd, sd_bus_message* m) {
    int r = sd.message_append(m, "ss", u.unit.c_str(), "replace");
    if (r >= 0) r = sd.message_open_container(m, 'a', "(sv)");
    if (r >= 0) r = sd.message_append(m, "(sv)", "Description", "s", "cricket container");
    if (r >= 0 && absl::EndsWith(u.unit, ".scope")) {
      r = sd.message_append(m, "(sv)", "Slice", "s", u.slice.c_str());
    }
    // Delegate: the subtree is ours to write; no default deps: the scope must
    // not be stopped at shutdown ordering points the container knows nothing of.
    if (r >= 0) r = sd.message_append(m, "(sv)", "Delegate", "b", 1);
    if (r >= 0) r = sd.message_append(m, "(sv)", "DefaultDependencies", "b", 0);
    if (r >= 0) r = sd.message_append(m, "(sv)", "PIDs", "au", 1, static_cast<uint32_t>(pid));
    if (r >= 0) r = AppendProperties(sd, m, res, masks);
    // systemd (252 too) rewrites a scope's memory.oom.group from its OOMPolicy
    // (0 unless "kill") at every realization, daemon-reload included: a group
    // kill asked for in the unified map must be the unit's policy to last.
    if (r >= 0 && res != nullptr && WantsGroupOomKill(*res)) {
      r = sd.message_append(m, "(sv)", "OOMPolicy", "s", "kill");
    }
    if (r >= 0) r = sd.message_close_container(m);
    if (r >= 0) r = sd.message_append(m, "a(sa(sv))", 0);
    return r;
  }, [&](const SdBus& sd, sd_bus* bus, sd_bus_message* reply) {
    return AwaitJob(sd, bus, reply, u.unit);
  });
}

// A started unit's limits, changed at run time (UpdateContainerResources).
absl::Status SetProperties(const SystemdUnit& u, const Resources& r) {
  ASSIGN_OR_RETURN(ByteMaskProperties masks, SystemdCpusetProperties(r));
  if (SystemdResourceProperties(r).empty() && masks.empty()) return absl::OkStatus();
  return CallManager("SetUnitProperties", u.unit, [&](const SdBus& sd, sd_bus_message* m) {
    int rc = sd.message_append(m, "sb", u.unit.c_str(), 1);  // runtime: gone at reboot
    if (rc >= 0) rc = sd.message_open_container(m, 'a', "(sv)");
    if (rc >= 0) rc = AppendProperties(sd, m, &r, masks);
    if (rc >= 0) rc = sd.message_close_container(m);
    return rc;
  });
}

// Whether systemd has the unit: a manager attached to a running container
// (update, stats) finds its scope started by the process that created it.
absl::StatusOr<bool> UnitExists(const SystemdUnit& u) {
  absl::Status st = CallManager("GetUnit", u.unit, [&](const SdBus& sd, sd_bus_message* m) {
    return sd.message_append(m, "s", u.unit.c_str());
  });
  if (st.ok()) return true;
  if (absl::StrContains(st.message(), "NoSuchUnit")) return false;
  return st;
}

class SystemdManager : public Manager {
 public:
  SystemdManager(SystemdUnit unit, std::unique_ptr<Manager> fs)
      : unit_(std::move(unit)), fs_(std::move(fs)) {}

  absl::Status Create() override { return absl::OkStatus(); }  // the scope needs a pid first
  absl::Status AddProcess(pid_t pid) override {
    if (!started_) {
      RETURN_IF_ERROR(StartScope(unit_, pid, pending_ ? &*pending_ : nullptr));
      started_ = true;
      // systemd made the dirs it manages; make the rest and join every hierarchy.
      RETURN_IF_ERROR(fs_->Create());
      if (pending_) RETURN_IF_ERROR(fs_->Set(*pending_));
      pending_.reset();
    }
    return fs_->AddProcess(pid);
  }
  absl::Status Set(const Resources& r) override {
    if (!started_) {
      ASSIGN_OR_RETURN(started_, UnitExists(unit_));
    }
    if (!started_) {
      pending_ = r;  // applied once the scope exists
      return absl::OkStatus();
    }
    RETURN_IF_ERROR(SetProperties(unit_, r));
    return fs_->Set(r);
  }
  absl::Status Freeze() override { return fs_->Freeze(); }
  absl::Status Thaw() override { return fs_->Thaw(); }
  absl::StatusOr<Stats> GetStats() override { return fs_->GetStats(); }
  absl::StatusOr<std::vector<pid_t>> Pids() override { return fs_->Pids(); }
  absl::Status KillAll(int sig) override { return fs_->KillAll(sig); }
  absl::Status Destroy() override {
    absl::Status stop =
        CallManager("StopUnit", unit_.unit, [&](const SdBus& sd, sd_bus_message* m) {
          return sd.message_append(m, "ss", unit_.unit.c_str(), "replace");
        });
    // A scope systemd stopped itself (systemd < 253 stops a scope on any OOM
    // kill in it) stays loaded as failed until reset: drop it, as runc does.
    absl::Status reset =
        CallManager("ResetFailedUnit", unit_.unit, [&](const SdBus& sd, sd_bus_message* m) {
          return sd.message_append(m, "s", unit_.unit.c_str());
        });
    if (!reset.ok() && !absl::StrContains(reset.message(), "NoSuchUnit")) {
      sys::LogDebug("reset failed scope", {{"unit", unit_.unit}, {"error", reset.ToString()}});
    }
    absl::Status st = fs_->Destroy();
    // A unit that is already gone is fine; the dirs are what must not leak.
    return st.ok() && !absl::IsUnavailable(stop) ? stop : st;
  }
  bool OomKilled() override { return fs_->OomKilled(); }
  std::string Path() const override { return fs_->Path(); }

 private:
  SystemdUnit unit_;
  std::unique_ptr<Manager> fs_;
  bool started_ = false;
  std::optional<Resources> pending_;
};

}  // namespace

std::vector<std::pair<std::string, uint64_t>> SystemdResourceProperties(const Resources& r) {
  std::vector<std::pair<std::string, uint64_t>> p;
  constexpr uint64_t kInfinity = std::numeric_limits<uint64_t>::max();
  if (r.memory && r.memory->limit) {
    int64_t limit = *r.memory->limit;
    p.emplace_back("MemoryMax", limit > 0 ? static_cast<uint64_t>(limit) : kInfinity);
    // OCI's swap is memory+swap; systemd's MemorySwapMax is the swap alone.
    if (r.memory->swap && *r.memory->swap > 0 && limit > 0 && *r.memory->swap >= limit) {
      p.emplace_back("MemorySwapMax", static_cast<uint64_t>(*r.memory->swap - limit));
    }
  }
  if (r.cpu && r.cpu->shares && *r.cpu->shares > 0) {
    p.emplace_back("CPUWeight", CpuSharesToWeight(*r.cpu->shares));
  }
  if (r.cpu && r.cpu->quota) {
    uint64_t period = r.cpu->period.value_or(100000);
    if (*r.cpu->quota > 0 && period > 0) {
      // systemd keeps the quota per second in 10 ms steps: round up, as runc.
      uint64_t per_sec = static_cast<uint64_t>(*r.cpu->quota) * 1000000 / period;
      per_sec = (per_sec + 9999) / 10000 * 10000;
      p.emplace_back("CPUQuotaPerSecUSec", per_sec);
      p.emplace_back("CPUQuotaPeriodUSec", period);
    } else {
      p.emplace_back("CPUQuotaPerSecUSec", kInfinity);
    }
  }
  if (r.pids && r.pids->limit) {
    p.emplace_back("TasksMax", *r.pids->limit > 0 ? static_cast<uint64_t>(*r.pids->limit) : kInfinity);
  }
  return p;
}

absl::StatusOr<std::string> ExpandSlice(const std::string& slice) {
  const std::string suffix = ".slice";
  auto bad = [&] { return absl::InvalidArgumentError("invalid slice name \"" + slice + "\""); };
  if (slice.size() <= suffix.size() || !absl::EndsWith(slice, suffix) ||
      slice.find('/') != std::string::npos) {
    return bad();
  }
  const std::string name = slice.substr(0, slice.size() - suffix.size());
  if (name == "-") return std::string("/");
  std::string path, prefix;
  for (absl::string_view part : absl::StrSplit(name, '-')) {
    if (part.empty()) return bad();  // "a--b.slice" and "-a.slice" are not valid
    path += "/" + prefix + std::string(part) + suffix;
    prefix += std::string(part) + "-";
  }
  return path;
}

absl::StatusOr<SystemdUnit> ParseSystemdCgroupsPath(const std::string& cgroups_path,
                                                    const std::string& container_id) {
  std::vector<std::string> f = cgroups_path.empty()
                                   ? std::vector<std::string>{"", "cricket", container_id}
                                   : absl::StrSplit(cgroups_path, ':');
  if (f.size() != 3) {
    return absl::InvalidArgumentError(absl::StrCat(
        "linux.cgroupsPath: expected \"slice:prefix:name\" for the systemd cgroup driver, got \"",
        cgroups_path, "\""));
  }
  SystemdUnit u;
  u.slice = f[0].empty() ? "system.slice" : f[0];
  if (f[2].empty()) return absl::InvalidArgumentError("linux.cgroupsPath: empty unit name");
  u.unit = absl::EndsWith(f[2], ".slice") ? f[2]
           : f[1].empty()                 ? f[2] + ".scope"
                                          : absl::StrCat(f[1], "-", f[2], ".scope");
  absl::StatusOr<std::string> slice_path = ExpandSlice(u.slice);
  if (!slice_path.ok()) return slice_path.status();
  // As runc: the unit's dir sits directly in its parent slice's dir.
  u.path = absl::StrCat(*slice_path == "/" ? std::string() : *slice_path, "/", u.unit);
  return u;
}

// sd_booted()'s test, without loading libsystemd for it.
bool SystemdRunning() { return ::access("/run/systemd/system/", F_OK) == 0; }

absl::StatusOr<std::unique_ptr<Manager>> NewSystemdManager(const SystemdUnit& unit,
                                                           std::unique_ptr<Manager> fs) {
  if (!SystemdRunning()) {
    return absl::FailedPreconditionError(
        "systemd cgroup driver requested but systemd is not running");
  }
  return std::unique_ptr<Manager>(new SystemdManager(unit, std::move(fs)));
}

}  // namespace cricket::oci::cgroup
