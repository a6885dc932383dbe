// Shared fixture of the engine integration tests: a busybox bundle in a
// temp dir, a Runtime with its own state root, output captured to a file,
// and every container force-deleted at the end.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "oci/runtime.h"
#include "oci/spec.h"
#include "oci/spec_json.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"
#include "tests/fixtures/partners.h"
#include "tests/fixtures/rootfs_builder.h"

namespace cricket::oci {

class EngineTest : public ::testing::Test {
 protected:
  // Definitions in engine_helpers.cc.
  void SetUp() override {
    CRICKET_REQUIRE_ROOT();
    auto tmp = sys::TempDir::Make("cricket-engine-");
    ASSERT_TRUE(tmp.ok()) << tmp.status();
    tmp_.emplace(std::move(*tmp));
    // A user-namespaced container's root must be able to reach its rootfs.
    chmod(tmp_->path().c_str(), 0711);
    bundle_ = tmp_->Sub("bundle");
    ASSERT_TRUE(testing::BuildBusyboxRootfs(bundle_ + "/rootfs").ok());
    RuntimeOptions ro;
    ro.root = tmp_->Sub("state");
    rt_.emplace(ro);
    out_path_ = tmp_->Sub("out");
  }

  void TearDown() override {
    if (!rt_) return;
    auto list = rt_->List();
    if (list.ok()) {
      for (const ContainerState& s : *list) {
        absl::Status st = rt_->Delete(s.id, true);
        EXPECT_TRUE(st.ok()) << st;
      }
    }
    for (pid_t p : children_) waitpid(p, nullptr, WNOHANG);
  }

  Spec BaseSpec(std::vector<std::string> args) {
    Spec s = DefaultSpec();
    s.process->terminal = false;
    s.process->args = std::move(args);
    s.root.readonly = false;
    s.hostname = "enginetest";
    s.linux_spec->cgroups_path =
        "/cricket-engine-test-" + std::to_string(getpid()) + "-" + std::to_string(counter_++);
    return s;
  }

  void WriteSpec(const Spec& s) {
    ASSERT_TRUE(sys::WriteFileAtomic(bundle_ + "/config.json", SpecToJson(s).dump(2)).ok());
  }

  // Creates with stdout/stderr into out_path_; `co` carries any other option.
  absl::StatusOr<pid_t> Create(const std::string& id, const Spec& s,
                               CreateOptions co = CreateOptions()) {
    WriteSpec(s);
    int out = open(out_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    co.id = id;
    co.bundle = bundle_;
    co.stdin_fd = null;
    co.stdout_fd = out;
    co.stderr_fd = out;
    auto pid = rt_->Create(co);
    close(out);
    close(null);
    if (pid.ok()) children_.push_back(*pid);
    return pid;
  }

  int WaitExit(pid_t pid) {
    int status = 0;
    EXPECT_EQ(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  std::string Output() {
    auto t = sys::ReadFile(out_path_);
    return t.ok() ? *t : "";
  }

  // Runs args to completion in a fresh container and returns its output.
  std::string RunToEnd(const std::string& id, const Spec& s, int* code) {
    auto pid = Create(id, s);
    EXPECT_TRUE(pid.ok()) << pid.status();
    if (!pid.ok()) return "";
    EXPECT_TRUE(rt_->Start(id).ok());
    *code = WaitExit(*pid);
    EXPECT_TRUE(rt_->Delete(id, false).ok());
    return Output();
  }

  std::optional<sys::TempDir> tmp_;
  std::optional<Runtime> rt_;
  std::string bundle_, out_path_;
  std::vector<pid_t> children_;
  int counter_ = 0;
};

}  // namespace cricket::oci
