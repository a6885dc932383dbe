// The built-in engine behind the RuntimeDriver interface: oci::Runtime called
// in-process, so the caller (the monitor) is init's parent.
#include "pod/monitor/runtime/driver.h"
#include "pod/monitor/runtime/external_driver.h"
#include "oci/sys/status.h"

namespace cricket::pod::driver {
namespace {

class BuiltinDriver : public RuntimeDriver {
 public:
  explicit BuiltinDriver(const DriverConfig& c) : engine_(Options(c)) {}

  absl::StatusOr<pid_t> Create(const std::string& id, const std::string& bundle,
                               const CreateIo& io) override {
    oci::CreateOptions co;
    co.id = id;
    co.bundle = bundle;
    co.console_socket_fd = io.console_socket_fd;
    co.stdin_fd = io.stdin_fd;
    co.stdout_fd = io.stdout_fd;
    co.stderr_fd = io.stderr_fd;
    return engine_.Create(co);
  }
  absl::Status Start(const std::string& id) override { return engine_.Start(id); }
  absl::Status Kill(const std::string& id, int signal, bool all) override {
    return engine_.Kill(id, signal, all);
  }
  absl::Status Delete(const std::string& id, bool force) override {
    return engine_.Delete(id, force);
  }
  absl::StatusOr<pid_t> Exec(const std::string& id, const oci::ExecOptions& opts) override {
    return engine_.Exec(id, opts);
  }
  absl::Status Update(const std::string& id, const oci::cgroup::Resources& r) override {
    return engine_.Update(id, r);
  }
  absl::StatusOr<oci::cgroup::Stats> Stats(const std::string& id) override {
    return engine_.Stats(id);
  }
  absl::StatusOr<std::string> Status(const std::string& id) override {
    ASSIGN_OR_RETURN(oci::ContainerState st, engine_.State(id));
    return st.status;
  }

 private:
  static oci::RuntimeOptions Options(const DriverConfig& c) {
    oci::RuntimeOptions o;
    o.root = c.root;
    o.systemd_cgroup = c.systemd_cgroup;
    return o;
  }

  oci::Runtime engine_;
};

}  // namespace

std::unique_ptr<RuntimeDriver> MakeDriver(const DriverConfig& config) {
  if (!config.external.empty()) return NewExternalDriver(config);
  return std::make_unique<BuiltinDriver>(config);
}

std::vector<std::string> ExternalRuntimeFlags(const DriverConfig& config) {
  if (config.external.empty()) return {};
  std::vector<std::string> flags = {"--runtime=" + config.external};
  for (const std::string& o : config.options) flags.push_back("--runtime-option=" + o);
  return flags;
}

}  // namespace cricket::pod::driver
