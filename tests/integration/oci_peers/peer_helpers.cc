// Shared pieces of the partner tests (see peer_helpers.h).
#include "tests/integration/oci_peers/peer_helpers.h"

#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/child_process.h"
#include "oci/sys/fs.h"
#include "oci/sys/scoped_mount.h"
#include "oci/sys/status.h"
#include "tests/fixtures/rootfs_builder.h"

namespace cricket::testing {

std::ostream& operator<<(std::ostream& os, const CmdResult& r) {
  return os << "exit " << r.code << "\nstdout: " << r.out << "\nstderr: " << r.err;
}

CmdResult RunCmd(const std::vector<std::string>& argv, const std::string& input,
                 std::chrono::seconds timeout) {
  sys::SpawnOptions so;
  so.argv = argv;
  CmdResult r;
  auto res = sys::RunCommand(so, input, timeout);
  if (!res.ok()) {
    r.err = std::string(res.status().message());
    return r;
  }
  r.code = res->exit.code();
  r.out = std::move(res->out);
  r.err = std::move(res->err);
  return r;
}

absl::StatusOr<std::string> WriteArgvLogger(const std::string& dir, const std::string& name,
                                            const std::string& runtime) {
  std::string path = dir + "/" + name;
  // exec keeps the pid the partner waits for and hands the runtime the
  // partner's stdio untouched (conmon and the shim pass container stdio).
  std::string script = absl::StrCat("#!/bin/sh\nprintf '%s\\n' \"$*\" >> '", path, ".log'\nexec '",
                                    runtime, "' \"$@\"\n");
  RETURN_IF_ERROR(sys::WriteFileAtomic(path, script, 0755));
  return path;
}

std::vector<std::string> LoggedVerbs(const std::string& logger_path) {
  // runc's global flags that take a value; the others stand alone.
  static const std::set<std::string> kWithValue = {"--root", "--log", "--log-format", "--criu"};
  std::vector<std::string> verbs;
  auto text = sys::ReadFile(logger_path + ".log");
  if (!text.ok()) return verbs;
  for (absl::string_view line : absl::StrSplit(*text, '\n', absl::SkipEmpty())) {
    std::vector<std::string> words = absl::StrSplit(line, ' ', absl::SkipEmpty());
    for (size_t i = 0; i < words.size(); ++i) {
      if (kWithValue.count(words[i])) {
        ++i;
      } else if (words[i].rfind("--", 0) != 0) {
        verbs.push_back(words[i]);
        break;
      }
    }
  }
  return verbs;
}

absl::Status MakeBusyboxBundle(const std::string& dir, const std::string& cricket_oci,
                               const std::vector<std::string>& args,
                               const std::string& cgroups_path) {
  RETURN_IF_ERROR(BuildBusyboxRootfs(dir + "/rootfs"));
  CmdResult spec = RunCmd({cricket_oci, "spec", "--bundle", dir});
  if (spec.code != 0) return absl::InternalError(absl::StrCat("cricket-oci spec: ", spec.err));
  ASSIGN_OR_RETURN(std::string text, sys::ReadFile(dir + "/config.json"));
  nlohmann::json config = nlohmann::json::parse(text, nullptr, false);
  if (config.is_discarded()) return absl::InternalError("cricket-oci spec wrote bad JSON");
  config["process"]["terminal"] = false;
  config["process"]["args"] = args;
  config["linux"]["cgroupsPath"] = cgroups_path;
  return sys::WriteFileAtomic(dir + "/config.json", config.dump(2));
}

bool WaitUntil(const std::function<bool()>& done, std::chrono::seconds limit) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

bool ProcessGone(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  size_t paren = line.rfind(')');
  return paren == std::string::npos || line.substr(paren + 2, 1) == "Z";
}

std::vector<pid_t> PidsMentioning(const std::string& text) {
  std::vector<pid_t> pids;
  auto entries = sys::ListDir("/proc");
  if (!entries.ok()) return pids;
  for (const std::string& e : *entries) {
    if (e.empty() || !std::all_of(e.begin(), e.end(), ::isdigit)) continue;
    pid_t pid = std::stoi(e);
    if (pid == getpid()) continue;
    auto cmdline = sys::ReadFile("/proc/" + e + "/cmdline");
    if (cmdline.ok() && cmdline->find(text) != std::string::npos && !ProcessGone(pid)) {
      pids.push_back(pid);
    }
  }
  return pids;
}

void KillPids(const std::vector<pid_t>& pids) {
  for (pid_t pid : pids) (void)sys::SignalPid(pid, SIGKILL);
  for (pid_t pid : pids) WaitUntil([&] { return ProcessGone(pid); }, std::chrono::seconds(10));
}

void UnmountUnder(const std::string& dir) {
  std::ifstream in("/proc/self/mountinfo");
  std::vector<std::string> targets;
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> w = absl::StrSplit(line, ' ');
    if (w.size() > 4 && (w[4] == dir || w[4].rfind(dir + "/", 0) == 0)) targets.push_back(w[4]);
  }
  // Longest path first, so nested mounts go before their parents.
  std::sort(targets.begin(), targets.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const std::string& t : targets) (void)sys::Unmount(t, MNT_DETACH);
}

std::vector<std::string> CgroupDirs(const std::string& relative) {
  std::vector<std::string> dirs;
  auto controllers = sys::ListDir("/sys/fs/cgroup");
  if (!controllers.ok() || relative.empty()) return dirs;
  for (const std::string& c : *controllers) {
    std::string d = absl::StrCat("/sys/fs/cgroup/", c, "/", relative);
    if (sys::PathExists(d)) dirs.push_back(d);
  }
  return dirs;
}

std::vector<std::string> ChildCgroups(const std::string& relative) {
  std::vector<std::string> children;
  for (const std::string& d : CgroupDirs(relative)) {
    auto subs = sys::ListDir(d);
    for (const std::string& s : subs.ok() ? *subs : std::vector<std::string>{}) {
      if (sys::PathExists(d + "/" + s + "/cgroup.procs")) children.push_back(d + "/" + s);
    }
  }
  return children;
}

namespace {

// Every dir at and below `dir`, parents before children.
void Walk(const std::string& dir, std::vector<std::string>& out) {
  out.push_back(dir);
  auto entries = sys::ListDir(dir);
  if (!entries.ok()) return;
  for (const std::string& e : *entries) {
    std::string sub = dir + "/" + e;
    struct stat st;
    if (lstat(sub.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) Walk(sub, out);
  }
}

}  // namespace

void RemoveCgroups(const std::string& relative) {
  std::vector<std::string> all;
  for (const std::string& d : CgroupDirs(relative)) Walk(d, all);
  std::vector<pid_t> left;
  for (const std::string& d : all) {
    auto procs = sys::ReadFile(d + "/cgroup.procs");
    if (!procs.ok()) continue;
    for (absl::string_view p : absl::StrSplit(*procs, '\n', absl::SkipEmpty())) {
      left.push_back(std::stoi(std::string(p)));
    }
  }
  KillPids(left);
  for (auto it = all.rbegin(); it != all.rend(); ++it) (void)sys::RemoveDir(*it);
}

}  // namespace cricket::testing
