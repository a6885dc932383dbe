// The named parent↔child handshake of container setup, as typed messages over
// a SOCK_SEQPACKET socketpair (one message per packet). A failure in the
// child travels up as kChildError carrying the status code and text.
//
//   parent                               child (init)
//     clone ──────────────────────────►  waits
//     uid/gid maps, cgroup join
//       (v1 without userns: init joins
//        itself, its first step)
//     kParentReady{state json} ───────►  namespaces, mounts, devices
//     prestart+createRuntime hooks ◄───  kChildHooks
//     kParentHooksDone ───────────────►  pivot_root, paths, user, caps…
//     Create returns ◄────────────────  kChildReady, waits for the byte Start
//                                        writes into exec.fifo (its read end
//                                        inherited from the parent)
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "oci/sys/unique_fd.h"

namespace cricket::oci::linux {

enum class SyncMsg : uint32_t {
  kParentReady = 1,
  kChildHooks = 2,
  kParentHooksDone = 3,
  kChildReady = 4,
  kChildError = 5,
};

const char* SyncMsgName(SyncMsg m);

struct SyncMessage {
  SyncMsg type = SyncMsg::kChildError;
  std::string payload;
};

class SyncSocket {
 public:
  // A connected pair: [0] for the parent, [1] for the child (both O_CLOEXEC).
  static absl::StatusOr<std::pair<SyncSocket, SyncSocket>> Pair();
  SyncSocket() = default;
  explicit SyncSocket(sys::UniqueFd fd) : fd_(std::move(fd)) {}

  int fd() const { return fd_.get(); }
  void Close() { fd_.Reset(); }

  absl::Status Send(SyncMsg type, const std::string& payload = "");
  // Sends kChildError with the status' code and message.
  absl::Status SendError(const absl::Status& st);
  // Unavailable on EOF (the peer exited).
  absl::StatusOr<SyncMessage> Recv();
  // Receives one message; a kChildError becomes that error, any other type
  // than `want` is Internal. Returns the payload.
  absl::StatusOr<std::string> Expect(SyncMsg want);

 private:
  sys::UniqueFd fd_;
};

// Parses a kChildError payload back into a status.
absl::Status DecodeError(const std::string& payload);

}  // namespace cricket::oci::linux
