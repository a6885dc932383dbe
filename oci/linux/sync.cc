// Typed messages over a SOCK_SEQPACKET socketpair: a 4-byte type, then payload.
#include "oci/linux/sync.h"

#include <sys/socket.h>

#include <cstring>
#include <vector>

#include "absl/strings/numbers.h"
#include "oci/sys/fds.h"
#include "oci/sys/status.h"

namespace cricket::oci::linux {

const char* SyncMsgName(SyncMsg m) {
  switch (m) {
    case SyncMsg::kParentReady:
      return "parent-ready";
    case SyncMsg::kChildHooks:
      return "child-hooks";
    case SyncMsg::kParentHooksDone:
      return "parent-hooks-done";
    case SyncMsg::kChildReady:
      return "child-ready";
    case SyncMsg::kChildError:
      return "child-error";
  }
  return "unknown";
}

absl::StatusOr<std::pair<SyncSocket, SyncSocket>> SyncSocket::Pair() {
  ASSIGN_OR_RETURN(sys::SocketPairFds sv, sys::SocketPair(SOCK_SEQPACKET, "init sync"));
  return std::make_pair(SyncSocket(std::move(sv.first)), SyncSocket(std::move(sv.second)));
}

absl::Status SyncSocket::Send(SyncMsg type, const std::string& payload) {
  std::string buf(sizeof(uint32_t), '\0');
  uint32_t t = static_cast<uint32_t>(type);
  memcpy(buf.data(), &t, sizeof t);
  buf += payload;
  for (;;) {
    ssize_t n = ::send(fd_.get(), buf.data(), buf.size(), MSG_NOSIGNAL);
    if (n >= 0) return absl::OkStatus();
    if (errno != EINTR) return sys::ErrnoStatus(errno, "send %s", SyncMsgName(type));
  }
}

absl::Status SyncSocket::SendError(const absl::Status& st) {
  return Send(SyncMsg::kChildError,
              std::to_string(static_cast<int>(st.code())) + "\n" + std::string(st.message()));
}

absl::StatusOr<SyncMessage> SyncSocket::Recv() {
  ssize_t size;
  do {
    size = ::recv(fd_.get(), nullptr, 0, MSG_PEEK | MSG_TRUNC);
  } while (size < 0 && errno == EINTR);
  if (size < 0) return sys::ErrnoStatus(errno, "receive from init");
  if (size == 0) return absl::UnavailableError("container init exited during setup");
  std::vector<char> buf(size);
  ssize_t n;
  do {
    n = ::recv(fd_.get(), buf.data(), buf.size(), 0);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return sys::ErrnoStatus(errno, "receive from init");
  if (n < static_cast<ssize_t>(sizeof(uint32_t))) return absl::InternalError("short sync message");
  uint32_t t;
  memcpy(&t, buf.data(), sizeof t);
  SyncMessage m;
  m.type = static_cast<SyncMsg>(t);
  m.payload.assign(buf.data() + sizeof t, n - sizeof t);
  return m;
}

absl::StatusOr<std::string> SyncSocket::Expect(SyncMsg want) {
  ASSIGN_OR_RETURN(SyncMessage m, Recv());
  if (m.type == SyncMsg::kChildError) return DecodeError(m.payload);
  if (m.type != want) {
    return absl::InternalError(std::string("sync: expected ") + SyncMsgName(want) + ", got " +
                               SyncMsgName(m.type));
  }
  return m.payload;
}

absl::Status DecodeError(const std::string& payload) {
  size_t nl = payload.find('\n');
  int code = 0;
  if (nl == std::string::npos || !absl::SimpleAtoi(payload.substr(0, nl), &code) || code <= 0 ||
      code > 16) {
    return absl::UnknownError(payload);
  }
  return absl::Status(static_cast<absl::StatusCode>(code), payload.substr(nl + 1));
}

}  // namespace cricket::oci::linux
