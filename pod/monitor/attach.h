// The monitor's attach socket (protocol: pod/attach_protocol.h): clients
// come and go while the container runs; each gets the output from the time
// it attached, and stdin clients feed the container's stdin. Nothing here
// blocks the monitor: sockets are non-blocking, a client that falls more
// than kMaxPending behind is dropped, and stdin is only read while the
// container takes it.
#pragma once

#include <poll.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "oci/sys/unique_fd.h"

namespace cricket::pod::monitor {

class AttachServer {
 public:
  static constexpr size_t kMaxPending = 4 << 20;

  // Binds <dir>/attach (through /proc/self/fd/<dirfd>, so long dirs work).
  absl::Status Listen(const std::string& dir);
  // Takes the dir and socket Listen() made in the process we were exec'd from.
  void Adopt(sys::UniqueFd dir, sys::UniqueFd listener);
  int dir_fd() const { return dir_.get(); }
  int listener_fd() const { return listener_.get(); }
  int stdin_fifo_fd() const { return fifo_.get(); }
  // The container's terminal (pty master, not owned; -1 without a tty): for
  // resize, and stdin's target with a tty. With `stdin`, fifo_writer is the
  // stdin FIFO's writer without a tty (taken over: closing it is stdin's
  // EOF). Not called, or no stdin: stdin clients are refused.
  void SetContainerIo(int pty_master, sys::UniqueFd fifo_writer, bool stdin, bool stdin_once);

  // Adds its fds to the poll set; Handle() then looks at those entries.
  void AddPollFds(std::vector<struct pollfd>* p);
  void Handle(const std::vector<struct pollfd>& p);
  // A chunk of the container's output, for attached clients of that stream.
  void Output(bool is_stderr, std::string_view chunk);
  // Init ended: "exit <code>" to control clients, a bounded flush, and every
  // connection and the socket closed.
  void Finish(int exit_code);

 private:
  struct Client {
    sys::UniqueFd fd;
    char kind = 0;  // 0 until the client said which stream it is
    std::string pending;  // for the client, not yet sent
    std::string partial;  // a resize record split across reads
  };
  void Accept();
  // False when the client is to be dropped.
  bool OnReadable(Client& c);
  bool Flush(Client& c);
  void FlushAll(char kind, int64_t deadline);
  void WriteStdin();
  void CloseStdin();
  int StdinFd() const { return fifo_ ? fifo_.get() : master_; }
  void Resize(const unsigned char* rec);

  sys::UniqueFd dir_, listener_;
  std::vector<std::unique_ptr<Client>> clients_;
  size_t first_ = 0;  // index of our first entry in the poll set
  sys::UniqueFd fifo_;
  int master_ = -1;
  bool stdin_open_ = false, stdin_once_ = false;
  bool stdin_eof_ = false;  // EOF asked for; done once stdin_pending_ is out
  std::string stdin_pending_;
  size_t polled_clients_ = 0;  // clients_ entries in the poll set
  bool polled_stdin_ = false;
};

}  // namespace cricket::pod::monitor
