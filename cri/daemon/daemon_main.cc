// cricketd: flag handling, the `config` subcommand, and the serve loop with
// systemd notification and graceful shutdown on SIGTERM/SIGINT.
#include "cri/daemon/daemon_main.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <systemd/sd-daemon.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cri/daemon/check.h"
#include "cri/daemon/daemon_lock.h"
#include "cri/daemon/metrics_endpoint.h"
#include "cri/daemon/options.h"
#include "cri/daemon/pod_layer.h"
#include "cri/daemon/reload.h"
#include "cri/daemon/server.h"
#include "cri/daemon/socket_file.h"
#include "cri/streaming/server.h"
#include "oci/sys/failpoint.h"
#include "oci/sys/fs.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"

// CRICKET_GIT_COMMIT, written by cmake/packaging.cmake at configure time.
#if __has_include("cricket_build_info.h")
#include "cricket_build_info.h"
#else
#define CRICKET_GIT_COMMIT ""
#endif

namespace cricket::cri {
namespace {

// How long calls in flight may finish after SIGTERM before they are cancelled.
constexpr std::chrono::seconds kShutdownGrace(10);

// "cricketd version 0.1.0" plus the commit the build was configured at.
std::string VersionText() {
  std::string commit = CRICKET_GIT_COMMIT;
  return std::string("cricketd version ") + CRICKET_VERSION +
         (commit.empty() ? "" : " (commit " + commit + ")") + "\n";
}

int Fail(const absl::Status& st) {
  std::fprintf(stderr, "cricketd: %s\n", std::string(st.message()).c_str());
  return 1;
}

// The exec/attach/port-forward server; its URLs come out of Exec & co.
absl::Status StartStreaming(HandlerContext& ctx) {
  auto srv = streaming::StreamingServer::Start(
      streaming::StreamingServer::FromConfig(ctx.config.streaming),
      streaming::PodStreamRuntime(ctx.containers, ctx.sandboxes));
  if (!srv.ok()) return sys::Annotate(srv.status(), "start the streaming server");
  ctx.streaming = std::move(*srv);
  sys::LogInfo("streaming server listening", {{"url", ctx.streaming->BaseUrl()}});
  return absl::OkStatus();
}

absl::Status CreateDirs(const conf::Config& config) {
  // 0711: others may traverse to what we expose (logs, sockets) but not list.
  RETURN_IF_ERROR(sys::Annotate(sys::MkdirAll(config.root_dir, 0711), "root dir"));
  return sys::Annotate(sys::MkdirAll(config.state_dir, 0711), "state dir");
}

}  // namespace

int RunDaemon(const DaemonOptions& options, const conf::Config& config) {
  // Block the stop and reload signals before gRPC starts its threads, so
  // that they all inherit the mask and only sigwait() below receives them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  if (absl::Status st = CreateDirs(config); !st.ok()) return Fail(st);
  // Before recovery reads or repairs anything: one daemon per root/state dir.
  auto lock = DaemonLock::Acquire(config);
  if (!lock.ok()) return Fail(lock.status());
  if (SocketAnswers(config.socket_path)) {  // another daemon on other dirs, same socket
    return Fail(absl::AlreadyExistsError("another daemon is already serving on " +
                                         config.socket_path + "; stop it first"));
  }
  auto ctx = std::make_shared<HandlerContext>();
  ctx->config = config;
  ctx->current_config = std::make_shared<conf::ConfigHolder>(config);
  if (absl::Status st = WirePodLayer(*ctx); !st.ok()) return Fail(st);
  if (absl::Status st = StartStreaming(*ctx); !st.ok()) return Fail(st);
  auto server = Server::Start(ctx);
  if (!server.ok()) return Fail(server.status());
  auto metrics = StartMetricsEndpoint(ctx);  // nullptr unless metrics.enabled
  if (!metrics.ok()) return Fail(metrics.status());
  sd_notify(0, "READY=1");
  sys::LogInfo("cricketd serving",
               {{"socket", config.socket_path}, {"version", std::string(CRICKET_VERSION)}});

  int sig = 0;
  // SIGHUP (systemctl reload) re-reads the config; its default action
  // would end the daemon.
  while (sigwait(&stop, &sig) == 0 && sig == SIGHUP) ReloadConfig(options, *ctx);
  sys::LogInfo("shutting down", {{"signal", sigabbrev_np(sig) ? sigabbrev_np(sig) : "?"}});
  sd_notify(0, "STOPPING=1");
  ctx->events->Close();  // ends GetContainerEvents streams
  (*server)->Shutdown(kShutdownGrace);
  ctx->streaming->Shutdown();  // ends exec/attach/port-forward sessions
  sys::LogInfo("cricketd stopped");
  return 0;
}

int DaemonMain(int argc, char** argv) {
  auto options = ParseDaemonArgs(std::vector<std::string>(argv + 1, argv + argc));
  if (!options.ok()) {
    std::fprintf(stderr, "cricketd: %s\n%s", std::string(options.status().message()).c_str(),
                 DaemonUsage().c_str());
    return 2;
  }
  switch (options->command) {
    case DaemonOptions::Command::kHelp: std::cout << DaemonUsage(); return 0;
    case DaemonOptions::Command::kVersion: std::cout << VersionText(); return 0;
    case DaemonOptions::Command::kCheck: return RunCheck(*options, std::cout);
    case DaemonOptions::Command::kFailpoints:
      for (const std::string& name : sys::FailpointNames()) std::cout << name << "\n";
      return 0;
    default: break;
  }
  auto config = EffectiveConfig(*options);
  if (!config.ok()) return Fail(config.status());
  if (options->command == DaemonOptions::Command::kPrintConfig) {
    std::cout << conf::ToYaml(*config);
    return 0;
  }
  auto level = sys::ParseLogLevel(config->log_level);
  if (!level.ok()) return Fail(level.status());
  sys::SetLogLevel(*level);
  return RunDaemon(*options, *config);
}

}  // namespace cricket::cri
