// A private containerd (Debian's 1.6, no CRI plugin) under a temp dir, with
// the busybox image of the fixtures imported, driven by `ctr`. Its runc v2
// shims run whatever runtime binary a `ctr run --runc-binary` names. Nothing
// reaches the network: the image is imported, never pulled.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "oci/sys/child_process.h"
#include "oci/sys/temp_dir.h"
#include "tests/integration/oci_peers/peer_helpers.h"

namespace cricket::testing {

class PrivateContainerd {
 public:
  static constexpr char kImage[] = "cricket.local/peers/busybox:1.0";

  // Starts containerd and imports the image; `dir` is the temp dir everything
  // of this instance lives under (state, root, sockets, runtime roots, fifos).
  static absl::StatusOr<std::unique_ptr<PrivateContainerd>> Start(sys::TempDir dir);
  // Cleans up (see Stop) if the test did not.
  ~PrivateContainerd();

  // `ctr --address <ours> --namespace <ours> args...`.
  CmdResult Ctr(const std::vector<std::string>& args, const std::string& input = "") const;
  // The same command line, quoted for a shell (for script(1)).
  std::string CtrShellLine(const std::vector<std::string>& args) const;
  // `ctr run` flags that keep the runtime's state root and the stdio fifos
  // under our dir; `runtime` empty means the shim's default, runc from PATH.
  std::vector<std::string> RunFlags(const std::string& runtime, const std::string& root) const;
  // `task ls` status of one task ("RUNNING", "PAUSED", "STOPPED"), "" if none.
  std::string TaskStatus(const std::string& id) const;
  int TaskPid(const std::string& id) const;
  // Remembers a container id so clean-up can find its shim socket.
  void Track(const std::string& id) { ids_.insert(id); }
  // Where the shim of container `id` listens (under /run/containerd/s).
  std::string ShimSocket(const std::string& id) const;

  // Removes every task and container (through ctr), stops containerd, then
  // kills leftover shims and containers by pid, unmounts what is left under
  // the dir, removes the namespace's cgroups and our shim sockets. Returns
  // what was still there when it looked (should be nothing).
  std::vector<std::string> Stop();

  const std::string& dir() const { return dir_.path(); }
  const std::string& ns() const { return ns_; }
  std::string Log() const;  // the tail of containerd's log, the shims' included

 private:
  PrivateContainerd(sys::TempDir dir, std::string ns) : dir_(std::move(dir)), ns_(std::move(ns)) {}
  absl::Status Launch();
  absl::Status ImportImage();
  void RemoveContainers();

  sys::TempDir dir_;
  std::string ns_;
  std::optional<sys::ChildProcess> daemon_;
  std::set<std::string> ids_;
  bool run_containerd_existed_ = true;
  bool stopped_ = false;
};

}  // namespace cricket::testing
