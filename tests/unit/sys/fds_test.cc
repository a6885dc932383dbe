// sys::Pipe, sys::SocketPair and sys::Open: close-on-exec fds that work, and
// errors that name what was opened.
#include "oci/sys/fds.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "oci/sys/temp_dir.h"

namespace cricket::sys {
namespace {

bool CloseOnExec(int fd) { return (::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0; }

// While it lives no new fd can be made (EMFILE): the fds already open stay.
class NoNewFds {
 public:
  NoNewFds() {
    ::getrlimit(RLIMIT_NOFILE, &saved_);
    struct rlimit none = {0, saved_.rlim_max};
    ::setrlimit(RLIMIT_NOFILE, &none);
  }
  ~NoNewFds() { ::setrlimit(RLIMIT_NOFILE, &saved_); }

 private:
  struct rlimit saved_ = {};
};

TEST(FdsTest, PipeCarriesBytesAndClosesOnExec) {
  auto p = Pipe("test", O_NONBLOCK);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_TRUE(CloseOnExec(p->read.get()));
  EXPECT_TRUE(CloseOnExec(p->write.get()));
  EXPECT_TRUE(::fcntl(p->read.get(), F_GETFL) & O_NONBLOCK);
  ASSERT_EQ(::write(p->write.get(), "x", 1), 1);
  char c = 0;
  ASSERT_EQ(::read(p->read.get(), &c, 1), 1);
  EXPECT_EQ(c, 'x');
  EXPECT_FALSE(::fcntl(Pipe("plain")->read.get(), F_GETFL) & O_NONBLOCK);
}

TEST(FdsTest, PipeErrorNamesThePipe) {
  absl::StatusOr<PipeFds> p;
  {
    NoNewFds guard;
    p = Pipe("sync");
  }
  EXPECT_EQ(p.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(p.status().message(), "create sync pipe: EMFILE (Too many open files)");
}

TEST(FdsTest, SocketPairHasTheTypeAndClosesOnExec) {
  auto s = SocketPair(SOCK_SEQPACKET, "test");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_TRUE(CloseOnExec(s->first.get()));
  EXPECT_TRUE(CloseOnExec(s->second.get()));
  int type = 0;
  socklen_t len = sizeof(type);
  ASSERT_EQ(::getsockopt(s->first.get(), SOL_SOCKET, SO_TYPE, &type, &len), 0);
  EXPECT_EQ(type, SOCK_SEQPACKET);
  ASSERT_EQ(::write(s->second.get(), "ab", 2), 2);
  char buf[4];
  EXPECT_EQ(::read(s->first.get(), buf, sizeof(buf)), 2);
}

TEST(FdsTest, SocketPairErrorNamesThePair) {
  absl::StatusOr<SocketPairFds> s;
  {
    NoNewFds guard;
    s = SocketPair(SOCK_STREAM, "attach");
  }
  EXPECT_EQ(s.status().message(), "create attach socket pair: EMFILE (Too many open files)");
}

TEST(FdsTest, OpenClosesOnExecAndHonoursFlagsAndMode) {
  auto dir = TempDir::Make();
  ASSERT_TRUE(dir.ok());
  std::string path = dir->Sub("f");
  ::umask(022);
  auto fd = Open(path, O_WRONLY | O_CREAT | O_EXCL, 0640);
  ASSERT_TRUE(fd.ok()) << fd.status();
  EXPECT_TRUE(CloseOnExec(fd->get()));
  struct stat st;
  ASSERT_EQ(::fstat(fd->get(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
  EXPECT_EQ(::write(fd->get(), "hi", 2), 2);
  auto again = Open(path, O_WRONLY | O_CREAT | O_EXCL, 0640);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(again.status().message(), "create " + path + ": EEXIST (File exists)");
}

TEST(FdsTest, OpenErrorNamesThePathWithTheErrnoCode) {
  auto missing = Open("/nonexistent-cricket/x", O_RDONLY);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(),
            "open /nonexistent-cricket/x: ENOENT (No such file or directory)");
  auto not_dir = Open("/dev/null", O_RDONLY | O_DIRECTORY);
  EXPECT_EQ(not_dir.status().message(), "open /dev/null: ENOTDIR (Not a directory)");
}

}  // namespace
}  // namespace cricket::sys
