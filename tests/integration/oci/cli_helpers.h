// Fixtures for cricket-oci's integration tests: a runc-compatible CLI with
// its own state root (cricket-oci, or Debian's runc as the oracle), a bundle
// with a busybox rootfs and the checker, and guards that delete containers
// and temp dirs even when a test fails.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "oci/sys/child_process.h"
#include "oci/sys/temp_dir.h"

namespace cricket::testing {

struct CliResult {
  int code = -1;
  std::string out;
  std::string err;
};
std::ostream& operator<<(std::ostream& os, const CliResult& r);

// One runtime binary with a private --root under a temp dir. The destructor
// force-deletes every container still listed there.
class OciCli {
 public:
  static absl::StatusOr<OciCli> Make(const std::string& binary);
  OciCli(OciCli&&) = default;
  OciCli& operator=(OciCli&&) = default;
  ~OciCli();

  // Runs `binary --root <root> args...` with stdout/stderr in files (so a
  // detached container holding them does not block us) and stdin from `input`,
  // in `cwd` ("" = ours).
  CliResult Run(const std::vector<std::string>& args, const std::string& input = "",
                std::chrono::seconds timeout = std::chrono::seconds(60),
                const std::string& cwd = "") const;
  // Starts the command in the background (e.g. a foreground `run` to signal).
  absl::StatusOr<sys::ChildProcess> Start(const std::vector<std::string>& args,
                                          const std::string& out_path) const;
  // `state <id>` parsed; null when it fails.
  nlohmann::json State(const std::string& id) const;
  void DeleteAll() const;

  const std::string& binary() const { return binary_; }
  std::string root() const { return dir_.Sub("root"); }

 private:
  OciCli(std::string binary, sys::TempDir dir) : binary_(std::move(binary)), dir_(std::move(dir)) {}
  std::string binary_;
  sys::TempDir dir_;
};

// A bundle: <dir>/rootfs (busybox + /bin/cricket-checker) and a config.json
// made by `cricket-oci spec`, with terminal off and the checker as process.
class Bundle {
 public:
  static absl::StatusOr<Bundle> Make(const std::string& cricket_oci);
  nlohmann::json& config() { return config_; }
  absl::Status Save() const;
  std::string dir() const { return dir_.path(); }
  std::string rootfs() const { return dir_.Sub("rootfs"); }
  void SetArgs(const std::vector<std::string>& args) { config_["process"]["args"] = args; }

 private:
  Bundle(sys::TempDir dir, nlohmann::json config)
      : dir_(std::move(dir)), config_(std::move(config)) {}
  sys::TempDir dir_;
  nlohmann::json config_;
};

// Base of the CLI tests: root required; builds cricket-oci's CLI and a bundle.
class OciCliTest : public ::testing::Test {
 protected:
  void SetUp() override;
  // A fresh id per call so parallel runs of other suites never collide.
  std::string NewId(const std::string& prefix);
  // `run` of the bundle's current config; parses stdout as JSON when asked.
  CliResult RunContainer(const std::string& id);
  nlohmann::json RunChecker(const std::vector<std::string>& checker_args);

  // The bundle outlives the CLI, whose destructor deletes the containers.
  std::optional<Bundle> bundle_;
  std::optional<OciCli> cli_;
};

std::string CricketOciPath();
std::string CheckerPath();

}  // namespace cricket::testing
