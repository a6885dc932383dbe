// Host-state snapshots for the crash matrix: /proc, /sys/fs/cgroup, `ip`,
// host-local's dataDir and a walk of cricketd's dirs.
#include "tests/e2e/crash/crash_helpers.h"

#include <dirent.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "oci/sys/child_process.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"

namespace cricket::testing {
namespace {

std::vector<std::string> Entries(const std::string& dir) {
  auto names = sys::ListDir(dir);
  return names.ok() ? *names : std::vector<std::string>{};
}

std::string Link(const std::string& path) {
  char buf[4096];
  ssize_t n = ::readlink(path.c_str(), buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, n) : "";
}

// Mount points as /proc/self/mountinfo spells them (octal escapes kept: our
// temp dirs have none).
std::vector<std::string> MountPoints() {
  std::ifstream in("/proc/self/mountinfo");
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    std::istringstream f(line);
    std::string id, parent, dev, root, point;
    if (f >> id >> parent >> dev >> root >> point) out.push_back(point);
  }
  return out;
}

bool Under(const std::string& path, const std::string& dir) {
  return path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 && path[dir.size()] == '/';
}

void WalkFiles(const std::string& dir, const std::set<std::string>& mounts, std::set<std::string>* out) {
  for (const std::string& name : Entries(dir)) {
    std::string path = dir + "/" + name;
    out->insert(path);
    struct stat st;
    if (mounts.count(path) || ::lstat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) continue;
    WalkFiles(path, mounts, out);
  }
}

void WalkCgroups(const std::string& dir, const std::string& label, std::set<std::string>* out) {
  for (const std::string& name : Entries(dir)) {
    std::string path = dir + "/" + name;
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) continue;
    out->insert(label + "/" + name);
    WalkCgroups(path, label + "/" + name, out);
  }
}

bool Ours(pid_t pid, const CrashScope& scope) {
  std::string base = "/proc/" + std::to_string(pid);
  std::string cmdline = sys::ReadFile(base + "/cmdline").value_or("");
  std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
  std::string cgroup = sys::ReadFile(base + "/cgroup").value_or("");
  for (const std::string& s : {cmdline, Link(base + "/exe"), Link(base + "/cwd"), Link(base + "/root")}) {
    if (s.find(scope.daemon_dir) != std::string::npos) return true;
  }
  return cgroup.find(scope.cgroup_parent + "/") != std::string::npos;
}

std::set<std::string> Processes(const CrashScope& scope) {
  std::set<std::string> out;
  for (const std::string& name : Entries("/proc")) {
    pid_t pid = static_cast<pid_t>(std::atoi(name.c_str()));
    if (pid <= 0 || pid == ::getpid()) continue;
    if (std::count(scope.ignore_pids.begin(), scope.ignore_pids.end(), pid)) continue;
    // A zombie holds nothing but its pid (and is its parent's to reap).
    std::string stat = sys::ReadFile("/proc/" + name + "/stat").value_or("");
    size_t paren = stat.rfind(')');
    if (paren != std::string::npos && stat.compare(paren, 4, ") Z ") == 0) continue;
    if (!Ours(pid, scope)) continue;
    std::string comm = sys::ReadFile("/proc/" + name + "/comm").value_or("?");
    if (!comm.empty() && comm.back() == '\n') comm.pop_back();
    out.insert(name + " " + comm);
  }
  return out;
}

std::set<std::string> Veths(const std::string& bridge) {
  sys::SpawnOptions o;
  o.argv = {"ip", "-o", "link", "show", "master", bridge};
  auto res = sys::RunCommand(o, "", std::chrono::seconds(10));
  std::set<std::string> out;
  std::istringstream in(res.ok() ? res->out : "");
  for (std::string line; std::getline(in, line);) {
    size_t a = line.find(": "), b = line.find('@');
    if (a != std::string::npos && b != std::string::npos && b > a) out.insert(line.substr(a + 2, b - a - 2));
  }
  return out;
}

// Only what appeared: what vanished is a leftover of an earlier failure that
// the restart cleaned up, or the survivor's, which is checked through CRI.
void Diff(const char* what, const std::set<std::string>& a, const std::set<std::string>& b,
          std::string* out) {
  for (const auto& x : b) {
    if (!a.count(x)) *out += std::string("+ ") + what + " " + x + "\n";
  }
}

}  // namespace

HostState TakeHostState(const CrashScope& scope) {
  HostState s;
  for (const std::string& ip : Entries(scope.ipam_dir)) {
    if (ip != "lock" && ip.rfind("last_reserved_ip", 0) != 0) s.ips.insert(ip);
  }
  s.veths = Veths(scope.bridge);
  for (const std::string& m : MountPoints()) {
    if (Under(m, scope.daemon_dir)) s.mounts.insert(m);
  }
  for (const std::string& h : Entries("/sys/fs/cgroup")) {
    WalkCgroups("/sys/fs/cgroup/" + h + scope.cgroup_parent, h, &s.cgroups);
  }
  s.processes = Processes(scope);
  WalkFiles(scope.daemon_dir, s.mounts, &s.files);
  return s;
}

std::string DiffHostState(const HostState& before, const HostState& after) {
  std::string out;
  Diff("ip", before.ips, after.ips, &out);
  Diff("veth", before.veths, after.veths, &out);
  Diff("mount", before.mounts, after.mounts, &out);
  Diff("cgroup", before.cgroups, after.cgroups, &out);
  Diff("process", before.processes, after.processes, &out);
  Diff("file", before.files, after.files, &out);
  return out;
}

void SweepLeaks(const HostState& baseline, const CrashScope& scope) {
  HostState now = TakeHostState(scope);
  for (const std::string& p : now.processes) {
    if (!baseline.processes.count(p)) ::kill(std::atoi(p.c_str()), SIGKILL);
  }
  ::usleep(200 * 1000);  // let the killed go before their cgroups are removed
  for (auto it = now.mounts.rbegin(); it != now.mounts.rend(); ++it) {
    if (!baseline.mounts.count(*it)) ::umount2(it->c_str(), MNT_DETACH);
  }
  for (auto it = now.cgroups.rbegin(); it != now.cgroups.rend(); ++it) {
    if (baseline.cgroups.count(*it)) continue;
    std::string h = it->substr(0, it->find('/'));
    std::string rest = it->substr(h.size());
    ::rmdir(("/sys/fs/cgroup/" + h + scope.cgroup_parent + rest).c_str());
  }
}

}  // namespace cricket::testing
