// Fixtures for cricket-oci's integration tests (see cli_helpers.h).
#include "tests/integration/oci/cli_helpers.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/status.h"
#include "oci/sys/unique_fd.h"
#include "tests/fixtures/partners.h"
#include "tests/fixtures/rootfs_builder.h"

namespace cricket::testing {
namespace {

// An unlinked temp file: the command writes into it, we read it back.
absl::StatusOr<sys::UniqueFd> AnonFile(const std::string& dir, const std::string& contents = "") {
  std::string tmpl = dir + "/io.XXXXXX";
  sys::UniqueFd fd(mkostemp(tmpl.data(), O_CLOEXEC));
  if (!fd) return sys::ErrnoStatus(errno, "mkstemp in %s", dir);
  unlink(tmpl.c_str());
  ssize_t want = static_cast<ssize_t>(contents.size());
  if (want > 0 && pwrite(fd.get(), contents.data(), contents.size(), 0) != want) {
    return sys::ErrnoStatus(errno, "write %s", tmpl);
  }
  return fd;
}

std::string ReadBack(int fd) {
  std::string s;
  char buf[65536];
  off_t off = 0;
  for (ssize_t n; (n = pread(fd, buf, sizeof(buf), off)) > 0; off += n) s.append(buf, n);
  return s;
}

}  // namespace

std::ostream& operator<<(std::ostream& os, const CliResult& r) {
  return os << "exit " << r.code << "\nstdout: " << r.out << "\nstderr: " << r.err;
}

std::string CricketOciPath() { return BuiltProgram("oci/cricket-oci"); }
std::string CheckerPath() { return BuiltProgram("tests/cricket-checker"); }

absl::StatusOr<OciCli> OciCli::Make(const std::string& binary) {
  ASSIGN_OR_RETURN(sys::TempDir dir, sys::TempDir::Make("cricket-oci-cli-"));
  RETURN_IF_ERROR(sys::MkdirAll(dir.Sub("root"), 0700));
  return OciCli(binary, std::move(dir));
}

OciCli::~OciCli() {
  if (!dir_.path().empty()) DeleteAll();
}

void OciCli::DeleteAll() const {
  CliResult list = Run({"list", "-q"});
  std::vector<std::string> ids = absl::StrSplit(list.out, '\n', absl::SkipEmpty());
  for (const std::string& id : ids) {
    Run({"delete", "-f", id});
  }
}

CliResult OciCli::Run(const std::vector<std::string>& args, const std::string& input,
                      std::chrono::seconds timeout, const std::string& cwd) const {
  CliResult r;
  auto out = AnonFile(dir_.path());
  auto err = AnonFile(dir_.path());
  auto in = AnonFile(dir_.path(), input);
  if (!out.ok() || !err.ok() || !in.ok()) {
    r.err = "test fixture: cannot make temp files in " + dir_.path();
    return r;
  }
  sys::SpawnOptions so;
  so.argv = {binary_, "--root", root()};
  so.argv.insert(so.argv.end(), args.begin(), args.end());
  so.stdin_fd = in->get();
  so.stdout_fd = out->get();
  so.stderr_fd = err->get();
  so.cwd = cwd;
  auto child = sys::ChildProcess::Spawn(so);
  if (!child.ok()) {
    r.err = std::string(child.status().message());
    return r;
  }
  auto ex = child->WaitFor(timeout);
  if (!ex.ok()) {
    (void)child->Signal(SIGKILL);
    (void)child->Wait();
    r.err = "test fixture: timed out";
  } else {
    r.code = ex->code();
  }
  r.out = ReadBack(out->get());
  r.err += ReadBack(err->get());
  return r;
}

absl::StatusOr<sys::ChildProcess> OciCli::Start(const std::vector<std::string>& args,
                                                const std::string& out_path) const {
  sys::UniqueFd out(open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!out) return sys::ErrnoStatus(errno, "open %s", out_path);
  sys::SpawnOptions so;
  so.argv = {binary_, "--root", root()};
  so.argv.insert(so.argv.end(), args.begin(), args.end());
  so.stdout_fd = out.get();
  so.stderr_fd = out.get();
  return sys::ChildProcess::Spawn(so);
}

nlohmann::json OciCli::State(const std::string& id) const {
  CliResult r = Run({"state", id});
  if (r.code != 0) return nullptr;
  return nlohmann::json::parse(r.out, nullptr, false);
}

absl::StatusOr<Bundle> Bundle::Make(const std::string& cricket_oci) {
  ASSIGN_OR_RETURN(sys::TempDir dir, sys::TempDir::Make("cricket-oci-bundle-"));
  RETURN_IF_ERROR(BuildBusyboxRootfs(dir.Sub("rootfs")));
  RETURN_IF_ERROR(CopyIntoRootfs(dir.Sub("rootfs"), CheckerPath(), "bin/cricket-checker"));
  sys::SpawnOptions so;
  so.argv = {cricket_oci, "spec", "--bundle", dir.path()};
  ASSIGN_OR_RETURN(sys::CommandResult res, sys::RunCommand(so));
  if (res.exit.code() != 0) return absl::InternalError("cricket-oci spec failed: " + res.err);
  ASSIGN_OR_RETURN(std::string text, sys::ReadFile(dir.Sub("config.json")));
  nlohmann::json config = nlohmann::json::parse(text, nullptr, false);
  if (config.is_discarded()) return absl::InternalError("cricket-oci spec wrote bad JSON");
  config["process"]["terminal"] = false;
  config["process"]["args"] = {"/bin/cricket-checker"};
  return Bundle(std::move(dir), std::move(config));
}

absl::Status Bundle::Save() const {
  return sys::WriteFileAtomic(dir_.Sub("config.json"), config_.dump(2));
}

void OciCliTest::SetUp() {
  CRICKET_REQUIRE_ROOT();
  for (const std::string& p : {CricketOciPath(), CheckerPath()}) {
    if (access(p.c_str(), X_OK) != 0) {
      if (InCI()) FAIL() << p << " not built (CI=true)";
      GTEST_SKIP() << p << " not built: build targets cricket-oci and cricket-checker";
    }
  }
  auto cli = OciCli::Make(CricketOciPath());
  ASSERT_TRUE(cli.ok()) << cli.status();
  cli_.emplace(std::move(*cli));
  auto bundle = Bundle::Make(CricketOciPath());
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  bundle_.emplace(std::move(*bundle));
}

std::string OciCliTest::NewId(const std::string& prefix) {
  static std::atomic<int> n{0};
  return absl::StrCat("t-", prefix, "-", getpid(), "-", n++);
}

CliResult OciCliTest::RunContainer(const std::string& id) {
  absl::Status st = bundle_->Save();
  EXPECT_TRUE(st.ok()) << st;
  return cli_->Run({"run", "--bundle", bundle_->dir(), id});
}

nlohmann::json OciCliTest::RunChecker(const std::vector<std::string>& checker_args) {
  std::vector<std::string> args = {"/bin/cricket-checker"};
  args.insert(args.end(), checker_args.begin(), checker_args.end());
  bundle_->SetArgs(args);
  CliResult r = RunContainer(NewId("chk"));
  EXPECT_EQ(r.code, 0) << r;
  nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << r;
  return j;
}

}  // namespace cricket::testing
