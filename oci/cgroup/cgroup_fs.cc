// Shared cgroup directory operations (see cgroup_fs.h).
#include "oci/cgroup/cgroup_fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "oci/cgroup/stats_parse.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/child_process.h"
#include "oci/sys/fds.h"
#include "oci/sys/fs.h"
#include "oci/sys/status.h"
#include "oci/sys/unique_fd.h"

namespace cricket::oci::cgroup {
namespace {

bool IsDir(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// Child cgroups of dir. The d_type readdir gives (cgroupfs fills it in)
// spares an lstat of each of the dozens of control files per directory.
absl::StatusOr<std::vector<std::string>> SubDirs(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return sys::ErrnoStatus(errno, "open dir %s", dir);
  std::vector<std::string> out;
  while (struct dirent* e = ::readdir(d)) {
    std::string_view n = e->d_name;
    if (n == "." || n == ".." || (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN)) continue;
    std::string path = dir + "/" + e->d_name;
    if (e->d_type == DT_DIR || IsDir(path)) out.push_back(std::move(path));
  }
  ::closedir(d);
  return out;
}

}  // namespace

absl::Status WriteCgroupFile(const std::string& dir, const std::string& file,
                             const std::string& value) {
  const std::string path = dir + "/" + file;
  ASSIGN_OR_RETURN(sys::UniqueFd fd, sys::Open(path, O_WRONLY | O_TRUNC));
  ssize_t n;
  do {
    n = ::write(fd.get(), value.data(), value.size());
  } while (n < 0 && errno == EINTR);
  if (n < 0) return sys::ErrnoStatus(errno, "write \"%s\" to %s", value, path);
  if (static_cast<size_t>(n) != value.size()) {
    return absl::InternalError(absl::StrFormat("short write of \"%s\" to %s", value, path));
  }
  return absl::OkStatus();
}

absl::Status JoinSelf(const std::vector<std::string>& dirs) {
  for (const std::string& dir : dirs) RETURN_IF_ERROR(WriteCgroupFile(dir, "tasks", "0"));
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadCgroupFile(const std::string& dir, const std::string& file) {
  return sys::ReadFile(dir + "/" + file);
}

bool CgroupFileExists(const std::string& dir, const std::string& file) {
  return sys::PathExists(dir + "/" + file);
}

absl::StatusOr<std::vector<pid_t>> PidsUnder(const std::string& dir) {
  ASSIGN_OR_RETURN(std::string procs, ReadCgroupFile(dir, "cgroup.procs"));
  std::vector<pid_t> pids;
  for (absl::string_view l : absl::StrSplit(procs, '\n', absl::SkipWhitespace())) {
    pid_t p = 0;
    if (!absl::SimpleAtoi(l, &p)) {
      return absl::InternalError(absl::StrFormat("bad pid \"%s\" in %s/cgroup.procs",
                                                 std::string(l), dir));
    }
    pids.push_back(p);
  }
  ASSIGN_OR_RETURN(std::vector<std::string> subs, SubDirs(dir));
  for (const auto& sub : subs) {
    absl::StatusOr<std::vector<pid_t>> more = PidsUnder(sub);
    // A child cgroup removed while we walk is not an error.
    if (!more.ok() && absl::IsNotFound(more.status())) continue;
    if (!more.ok()) return more.status();
    pids.insert(pids.end(), more->begin(), more->end());
  }
  return pids;
}

absl::Status SignalPids(const std::vector<pid_t>& pids, int sig) {
  for (pid_t p : pids) {
    absl::Status st = sys::SignalPid(p, sig);
    if (!st.ok() && !absl::IsNotFound(st)) return st;
  }
  return absl::OkStatus();
}

absl::Status RemoveCgroupTree(const std::string& dir) {
  if (!sys::PathExists(dir)) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::vector<std::string> subs, SubDirs(dir));
  for (const auto& sub : subs) RETURN_IF_ERROR(RemoveCgroupTree(sub));
  absl::Status st;
  for (int attempt = 0; attempt < 10; ++attempt) {
    st = sys::RemoveDir(dir);
    if (!absl::IsUnavailable(st)) break;  // EBUSY maps to Unavailable
    std::this_thread::sleep_for(std::chrono::milliseconds(10 << std::min(attempt, 4)));
  }
  return st;
}

absl::Status WaitEmpty(const std::string& dir) {
  for (int i = 0; i < 200; ++i) {
    absl::StatusOr<std::vector<pid_t>> pids = PidsUnder(dir);
    if (!pids.ok() && absl::IsNotFound(pids.status())) return absl::OkStatus();
    if (!pids.ok()) return pids.status();
    if (pids->empty()) return absl::OkStatus();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return absl::DeadlineExceededError(absl::StrFormat("tasks still in %s after SIGKILL", dir));
}

uint64_t ReadKeyedValue(const std::string& dir, const std::string& file, const std::string& key) {
  if (dir.empty()) return 0;
  absl::StatusOr<std::string> text = ReadCgroupFile(dir, file);
  if (!text.ok()) return 0;
  absl::StatusOr<std::map<std::string, uint64_t>> m = ParseFlatKeyed(*text);
  if (!m.ok() || m->count(key) == 0) return 0;
  return m->at(key);
}

std::map<std::string, std::string> ParseProcCgroup(const std::string& text) {
  std::map<std::string, std::string> out;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipWhitespace())) {
    std::vector<std::string> f = absl::StrSplit(line, absl::MaxSplits(':', 2));
    if (f.size() != 3) continue;
    if (f[1].empty()) {
      out[""] = f[2];
      continue;
    }
    for (absl::string_view c : absl::StrSplit(f[1], ',')) out[std::string(c)] = f[2];
  }
  return out;
}

std::string CleanPath(const std::string& path) {
  std::vector<std::string> parts;
  for (absl::string_view p : absl::StrSplit(path, '/', absl::SkipEmpty())) {
    if (p == ".") continue;
    if (p == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    parts.emplace_back(p);
  }
  return "/" + absl::StrJoin(parts, "/");
}

}  // namespace cricket::oci::cgroup
