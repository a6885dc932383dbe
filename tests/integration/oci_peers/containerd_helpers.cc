// A private containerd for the partner tests (see containerd_helpers.h).
#include "tests/integration/oci_peers/containerd_helpers.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <signal.h>
#include <unistd.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/status.h"
#include "oci/sys/unique_fd.h"
#include "tests/fixtures/image_builder.h"

namespace cricket::testing {
namespace {

// containerd 1.6 puts every shim's socket here, whatever its own paths are.
constexpr char kRunContainerd[] = "/run/containerd";

// Plugins that would reach outside our dir (opt, the CRI plugin and its
// network, other snapshotters) are off; the debug level brings the shims'
// logs into containerd's.
std::string ConfigToml(const std::string& dir) {
  return absl::StrCat(R"(version = 2
root = ")",
                      dir, R"(/root"
state = ")",
                      dir, R"(/state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.internal.v1.opt",
  "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.native", "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = ")",
                      dir, R"(/containerd.sock"
[ttrpc]
  address = ")",
                      dir, R"(/containerd.sock.ttrpc"
[debug]
  level = "debug"
)");
}

}  // namespace

absl::StatusOr<std::unique_ptr<PrivateContainerd>> PrivateContainerd::Start(sys::TempDir dir) {
  std::string ns = absl::StrCat("crkpeers-", getpid());
  std::unique_ptr<PrivateContainerd> c(new PrivateContainerd(std::move(dir), ns));
  c->run_containerd_existed_ = sys::PathExists(kRunContainerd);
  RETURN_IF_ERROR(c->Launch());
  RETURN_IF_ERROR(c->ImportImage());
  return c;
}

PrivateContainerd::~PrivateContainerd() {
  if (!stopped_) (void)Stop();
}

absl::Status PrivateContainerd::Launch() {
  RETURN_IF_ERROR(sys::MkdirAll(dir_.Sub("fifo"), 0700));
  RETURN_IF_ERROR(sys::WriteFileAtomic(dir_.Sub("config.toml"), ConfigToml(dir_.path())));
  std::string log = dir_.Sub("containerd.log");
  sys::UniqueFd out(open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  if (!out) return sys::ErrnoStatus(errno, "open %s", log);
  sys::SpawnOptions so;
  so.argv = {"containerd", "--config", dir_.Sub("config.toml")};
  so.stdout_fd = out.get();
  so.stderr_fd = out.get();
  so.new_session = true;
  ASSIGN_OR_RETURN(sys::ChildProcess child, sys::ChildProcess::Spawn(so));
  daemon_.emplace(std::move(child));
  bool up = WaitUntil(
      [&] { return sys::PathExists(dir_.Sub("containerd.sock")) && Ctr({"version"}).code == 0; });
  if (!up) return absl::UnavailableError("containerd did not come up:\n" + Log());
  return absl::OkStatus();
}

absl::Status PrivateContainerd::ImportImage() {
  ASSIGN_OR_RETURN(TestImageSpec spec, BusyboxImage());
  std::string layout = dir_.Sub("layout");
  RETURN_IF_ERROR(WriteImage(layout, spec, "1.0").status());
  CmdResult tar = RunCmd({"tar", "-C", layout, "-cf", dir_.Sub("busybox.tar"), "."});
  if (tar.code != 0) return absl::InternalError(absl::StrCat("tar of the OCI layout: ", tar.err));
  // --base-name plus the layout's ref.name ("1.0") names the image kImage.
  CmdResult imp = Ctr(
      {"images", "import", "--base-name", "cricket.local/peers/busybox", dir_.Sub("busybox.tar")});
  if (imp.code != 0) return absl::InternalError(absl::StrCat("ctr images import: ", imp.err));
  return sys::RemoveAll(layout);
}

namespace {

std::vector<std::string> CtrArgv(const std::string& address, const std::string& ns,
                                 const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"ctr", "--address", address, "--namespace", ns};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

}  // namespace

CmdResult PrivateContainerd::Ctr(const std::vector<std::string>& args,
                                 const std::string& input) const {
  return RunCmd(CtrArgv(dir_.Sub("containerd.sock"), ns_, args), input);
}

std::string PrivateContainerd::CtrShellLine(const std::vector<std::string>& args) const {
  std::vector<std::string> quoted;
  for (const std::string& a : CtrArgv(dir_.Sub("containerd.sock"), ns_, args)) {
    quoted.push_back("'" + absl::StrReplaceAll(a, {{"'", "'\\''"}}) + "'");
  }
  return absl::StrJoin(quoted, " ");
}

std::vector<std::string> PrivateContainerd::RunFlags(const std::string& runtime,
                                                     const std::string& root) const {
  std::vector<std::string> flags = {"--runc-root", root, "--fifo-dir", dir_.Sub("fifo")};
  if (!runtime.empty()) {
    flags.push_back("--runc-binary");
    flags.push_back(runtime);
  }
  return flags;
}

std::string PrivateContainerd::TaskStatus(const std::string& id) const {
  CmdResult ls = Ctr({"task", "ls"});
  for (absl::string_view line : absl::StrSplit(ls.out, '\n', absl::SkipEmpty())) {
    std::vector<std::string> w = absl::StrSplit(line, ' ', absl::SkipEmpty());
    if (w.size() == 3 && w[0] == id) return w[2];
  }
  return "";
}

int PrivateContainerd::TaskPid(const std::string& id) const {
  CmdResult ls = Ctr({"task", "ls"});
  for (absl::string_view line : absl::StrSplit(ls.out, '\n', absl::SkipEmpty())) {
    std::vector<std::string> w = absl::StrSplit(line, ' ', absl::SkipEmpty());
    if (w.size() == 3 && w[0] == id) return std::atoi(w[1].c_str());
  }
  return -1;
}

std::string PrivateContainerd::Log() const {
  auto text = sys::ReadFile(dir_.Sub("containerd.log"));
  if (!text.ok()) return "";
  return text->size() > 12000 ? text->substr(text->size() - 12000) : *text;
}

void PrivateContainerd::RemoveContainers() {
  CmdResult ls = Ctr({"containers", "ls", "-q"});
  for (absl::string_view line : absl::StrSplit(ls.out, '\n', absl::SkipEmpty())) {
    std::string id(line);
    Track(id);
    // A frozen task cannot die, so thaw it first; all of these may fail
    // when there is no task.
    (void)Ctr({"task", "resume", id});
    (void)Ctr({"task", "kill", "-s", "KILL", id});
    WaitUntil([&] {
      std::string s = TaskStatus(id);
      return s.empty() || s == "STOPPED";
    });
    (void)Ctr({"task", "delete", "-f", id});
    (void)Ctr({"containers", "rm", id});
  }
}

// containerd 1.6's SocketAddress: the sha256 of "<containerd address>/<namespace>/<id>".
std::string PrivateContainerd::ShimSocket(const std::string& id) const {
  std::string key = absl::StrCat(dir_.Sub("containerd.sock"), "/", ns_, "/", id);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(key.data(), key.size(), md, &len, EVP_sha256(), nullptr);
  return absl::StrCat(kRunContainerd, "/s/",
                      absl::BytesToHexString(absl::string_view(reinterpret_cast<char*>(md), len)));
}

std::vector<std::string> PrivateContainerd::Stop() {
  stopped_ = true;
  std::vector<std::string> forced;
  if (daemon_) {
    RemoveContainers();
    (void)daemon_->Signal(SIGTERM);
    if (!daemon_->WaitFor(std::chrono::seconds(20)).ok()) {
      forced.push_back("containerd did not stop on SIGTERM");
      (void)daemon_->Signal(SIGKILL);
      (void)daemon_->Wait();
    }
    daemon_.reset();
  }
  for (pid_t pid : PidsMentioning(dir_.path())) forced.push_back(absl::StrCat("process ", pid));
  KillPids(PidsMentioning(dir_.path()));
  for (const std::string& cg : ChildCgroups(ns_)) forced.push_back("cgroup " + cg);
  RemoveCgroups(ns_);
  UnmountUnder(dir_.path());
  for (const std::string& id : ids_) {
    std::string sock = ShimSocket(id);
    if (sys::PathExists(sock)) forced.push_back("shim socket " + sock);
    unlink(sock.c_str());
  }
  if (!run_containerd_existed_) {
    // Only once empty: another containerd on the machine may use them. A
    // shim that is still going away may hold its socket a moment longer.
    WaitUntil(
        [] {
          for (const char* d : {"/run/containerd/s", "/run/containerd/fifo", "/run/containerd"}) {
            (void)sys::RemoveDir(d);
          }
          return !sys::PathExists(kRunContainerd);
        },
        std::chrono::seconds(5));
  }
  return forced;
}

}  // namespace cricket::testing
