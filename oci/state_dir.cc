// state.json and the exec FIFO under <root>/<id>/.
#include "oci/state_dir.h"

#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "oci/json_read.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/status.h"

namespace cricket::oci {

using nlohmann::json;

absl::Status ValidateId(const std::string& id) {
  if (id.empty()) return absl::InvalidArgumentError("container id must not be empty");
  if (id == "." || id == "..")
    return absl::InvalidArgumentError("invalid container id \"" + id + "\"");
  if (id.size() > 1024) return absl::InvalidArgumentError("container id is longer than 1024 bytes");
  for (char c : id) {
    if (c == '/' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return absl::InvalidArgumentError("invalid container id \"" + id +
                                        "\": no '/' or control characters allowed");
    }
  }
  if (id.find("..") != std::string::npos) {
    return absl::InvalidArgumentError("invalid container id \"" + id + "\": contains \"..\"");
  }
  return absl::OkStatus();
}

absl::Status StateDir::Create() {
  RETURN_IF_ERROR(sys::MkdirAll(root_, 0711));
  if (::mkdir(dir().c_str(), 0711) != 0) {
    if (errno == EEXIST) return absl::AlreadyExistsError("container " + id_ + " already exists");
    return sys::ErrnoStatus(errno, "mkdir %s", dir());
  }
  return absl::OkStatus();
}

absl::Status StateDir::MakeFifo() {
  // Only the runtime opens it by path: init inherits its read end.
  if (::mkfifo(fifo_path().c_str(), 0600) != 0) {
    return sys::ErrnoStatus(errno, "mkfifo %s", fifo_path());
  }
  return absl::OkStatus();
}

bool StateDir::FifoExists() const { return sys::PathExists(fifo_path()); }

// Both files are boot-only: after a machine crash every pid in them is gone
// (and Delete with force clears a state.json the crash left empty).
absl::Status StateDir::Write(const StoredState& s) {
  return sys::WriteFileAtomic(state_path(), StoredStateToJson(s).dump(), 0600,
                              sys::Durability::kBootOnly);
}

absl::Status StateDir::WriteConfig(const json& config) {
  return sys::WriteFileAtomic(config_path(), config.dump(), 0600, sys::Durability::kBootOnly);
}

namespace {

absl::StatusOr<json> ReadJson(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, sys::ReadFile(path));
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return absl::DataLossError(path + ": invalid JSON");
  return j;
}

}  // namespace

absl::StatusOr<StoredState> StateDir::Read(bool with_config) const {
  auto j = ReadJson(state_path());
  if (absl::IsNotFound(j.status())) {
    // runc's words, byte for byte: containerd and CRI-O match on them.
    return absl::NotFoundError("container does not exist");
  }
  if (!j.ok()) return j.status();
  auto st = StoredStateFromJson(*j);
  if (!st.ok()) return sys::Annotate(st.status(), state_path());
  // State dirs of earlier versions keep the config inside state.json.
  if (with_config && st->config.is_null()) {
    auto config = ReadJson(config_path());
    if (!config.ok()) return config.status();
    st->config = std::move(*config);
  }
  return st;
}

absl::Status StateDir::Remove() { return sys::RemoveAll(dir()); }

absl::StatusOr<std::vector<std::string>> ListIds(const std::string& root) {
  auto names = sys::ListDir(root);
  if (!names.ok()) {
    if (absl::IsNotFound(names.status())) return std::vector<std::string>{};
    return names.status();
  }
  std::vector<std::string> ids;
  for (const std::string& n : *names) {
    if (sys::PathExists(root + "/" + n + "/state.json")) ids.push_back(n);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

namespace {

// Fields of /proc/<pid>/stat after the ")" that ends comm: field 3 is [0].
std::vector<std::string> StatFields(pid_t pid) {
  auto text = sys::ReadFile(absl::StrFormat("/proc/%d/stat", pid));
  if (!text.ok()) return {};
  size_t rp = text->rfind(')');
  if (rp == std::string::npos) return {};
  return absl::StrSplit(text->substr(rp + 2), ' ', absl::SkipEmpty());
}

}  // namespace

ProcInfo ReadProcInfo(pid_t pid) {
  ProcInfo p;
  if (pid <= 0) return p;
  std::vector<std::string> f = StatFields(pid);
  p.alive = !f.empty() && f[0] != "Z" && f[0] != "X";
  if (f.size() >= 20) p.start_time = std::strtoull(f[19].c_str(), nullptr, 10);  // field 22
  return p;
}

uint64_t ProcStartTime(pid_t pid) { return ReadProcInfo(pid).start_time; }

bool ProcAlive(pid_t pid) { return ReadProcInfo(pid).alive; }

std::string Rfc3339Now() {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  struct tm tm;
  gmtime_r(&ts.tv_sec, &tm);
  // Formatted by hand: strftime calls tzset, which reads /etc/localtime
  // for a UTC string that needs no time zone.
  return absl::StrFormat("%04d-%02d-%02dT%02d:%02d:%02d.%09dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                         tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                         static_cast<int>(ts.tv_nsec));
}

json StoredStateToJson(const StoredState& s) {
  const ContainerState& c = s.state;
  return json{{"ociVersion", c.oci_version},
              {"id", c.id},
              {"pid", c.pid},
              {"status", c.status},
              {"bundle", c.bundle},
              {"rootfs", c.rootfs},
              {"created", c.created},
              {"owner", c.owner},
              {"annotations", c.annotations},
              {"init_process_start", s.init_start_time},
              {"cgroups_path", s.cgroups_path},
              {"systemd_cgroup", s.systemd_cgroup},
              {"foreground", s.foreground}};
}

absl::StatusOr<StoredState> StoredStateFromJson(const json& j) {
  using json_read::Opt;
  if (!j.is_object()) return absl::DataLossError("state must be an object");
  StoredState s;
  ContainerState& c = s.state;
  RETURN_IF_ERROR(Opt(j, "", "ociVersion", &c.oci_version));
  RETURN_IF_ERROR(Opt(j, "", "id", &c.id));
  RETURN_IF_ERROR(Opt(j, "", "pid", &c.pid));
  RETURN_IF_ERROR(Opt(j, "", "status", &c.status));
  RETURN_IF_ERROR(Opt(j, "", "bundle", &c.bundle));
  RETURN_IF_ERROR(Opt(j, "", "rootfs", &c.rootfs));
  RETURN_IF_ERROR(Opt(j, "", "created", &c.created));
  RETURN_IF_ERROR(Opt(j, "", "owner", &c.owner));
  RETURN_IF_ERROR(Opt(j, "", "annotations", &c.annotations));
  RETURN_IF_ERROR(Opt(j, "", "init_process_start", &s.init_start_time));
  RETURN_IF_ERROR(Opt(j, "", "cgroups_path", &s.cgroups_path));
  RETURN_IF_ERROR(Opt(j, "", "systemd_cgroup", &s.systemd_cgroup));
  RETURN_IF_ERROR(Opt(j, "", "foreground", &s.foreground));
  if (auto it = j.find("config"); it != j.end()) s.config = *it;
  return s;
}

}  // namespace cricket::oci
