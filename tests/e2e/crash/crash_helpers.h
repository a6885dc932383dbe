// What a crash of cricketd could leave on the host, seen from outside: the
// crash matrix (pod_crash_matrix_test.cc) snapshots it with a survivor pod
// running, and after each scenario's cleanup the snapshot must be the same.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace cricket::testing {

struct CrashScope {
  std::string daemon_dir;     // cricketd's root, state and socket live under it
  std::string cgroup_parent;  // "/cricket-e2e-<pid>": every test pod's parent
  std::string bridge;         // the test's CNI bridge
  std::string ipam_dir;       // host-local's dataDir for the test's network
  std::vector<pid_t> ignore_pids;  // the daemons themselves
};

struct HostState {
  std::set<std::string> ips;        // addresses the IPAM store holds
  std::set<std::string> veths;      // links enslaved to the bridge
  std::set<std::string> mounts;     // mount points under the daemon dir
  std::set<std::string> cgroups;    // "<hierarchy>/<path>" under the parent
  std::set<std::string> processes;  // "<pid> <comm>": cmdline, exe, cwd, root or cgroup ours (no zombies)
  std::set<std::string> files;      // paths under the daemon dir (mounts not entered)
};

HostState TakeHostState(const CrashScope& scope);
// One line per thing in `after` and not in `before` ("+ mount /x"); "" when none.
std::string DiffHostState(const HostState& before, const HostState& after);

// Best effort, for what a failing run leaked beyond `baseline`: kills the
// processes, lazily unmounts the mounts (deepest first), removes the cgroups
// (deepest first). The rest goes with the temp dirs and the bridge.
void SweepLeaks(const HostState& baseline, const CrashScope& scope);

}  // namespace cricket::testing
