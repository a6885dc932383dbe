// cricket-cri-bench: drives CRI runtimes (cricketd, containerd's CRI plugin) with the same
// client code for tests/bench/cri_bench.sh; prints one "<metric> <runtime> <ms>" line per sample.
//
// usage: cricket-cri-bench --rt NAME=ENDPOINT [--rt ...] --image REF --cgroup-parent P
//                          --log-dir DIR [--timeout-s S] <phase> [count]
//   pull           PullImage of --image on every runtime
//   sandbox N      N rounds: RunPodSandbox timed (runp), then StopPodSandbox (stopp) and
//                  RemovePodSandbox (rmp), together stopp_rmp
//   container N    one pod per runtime; N rounds of Create+StartContainer timed (create,
//                  start, create_start), then StopContainer (stop), RemoveContainer (rm),
//                  together stop_rm
//   cycle N        N rounds of pod+container+stop+remove, timed as a whole (cycle)
//   burst N        N RunPodSandbox at once per runtime, total time (burst); pods stay
//   fill N         N pods with one running container each (fill); they stay
//   teardown       stop and remove every pod this tool made (teardown)
// Phases with several runtimes interleave them round by round, rotating who goes first.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "cri/client/client.h"

namespace {

namespace v1 = ::runtime::v1;
using cricket::cri::client::Client;
using Clock = std::chrono::steady_clock;
using Stub = v1::RuntimeService::Stub;

constexpr char kLabel[] = "cricket-cri-bench";

struct Runtime {
  std::string name;
  std::unique_ptr<Client> client;
};

struct Options {
  std::vector<std::pair<std::string, std::string>> runtimes;  // name, endpoint
  std::string image;
  std::string cgroup_parent;
  std::string log_dir;
  int timeout_s = 300;
  std::string phase;
  int count = 0;
};

std::atomic<int> g_serial{0};

double MsSince(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

void Sample(const std::string& metric, const Runtime& rt, double ms) {
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  std::printf("%s %s %.3f\n", metric.c_str(), rt.name.c_str(), ms);
  std::fflush(stdout);
}

// A pod as the kubelet asks for one by default: own network (CNI), pid per container.
v1::PodSandboxConfig PodConfig(const Options& o, const std::string& tag) {
  std::string name = absl::StrCat("bench-", tag, "-", getpid(), "-", g_serial++);
  v1::PodSandboxConfig c;
  c.mutable_metadata()->set_name(name);
  c.mutable_metadata()->set_namespace_("cri-bench");
  c.mutable_metadata()->set_uid("uid-" + name);
  c.set_hostname(name.substr(0, 63));
  c.set_log_directory(o.log_dir + "/" + name);
  (*c.mutable_labels())[kLabel] = "1";
  c.mutable_linux()->set_cgroup_parent(o.cgroup_parent);
  c.mutable_linux()->mutable_security_context()->mutable_namespace_options()->set_pid(
      v1::NamespaceMode::CONTAINER);
  return c;
}

v1::ContainerConfig ContainerConfig(const Options& o, const std::string& name) {
  v1::ContainerConfig c;
  c.mutable_metadata()->set_name(name);
  c.mutable_image()->set_image(o.image);
  c.add_command("/bin/sleep");
  c.add_args("3600");
  c.set_log_path(name + ".log");
  c.mutable_linux()->mutable_security_context()->mutable_namespace_options()->set_pid(
      v1::NamespaceMode::CONTAINER);
  return c;
}

absl::StatusOr<std::string> RunPod(Runtime& rt, const v1::PodSandboxConfig& config) {
  v1::RunPodSandboxRequest r;
  *r.mutable_config() = config;
  auto resp = rt.client->Call(rt.client->runtime(), &Stub::RunPodSandbox, r, "RunPodSandbox");
  if (!resp.ok()) return resp.status();
  return resp->pod_sandbox_id();
}

// Stop then remove; when `timed`, each step is a sample (stopp, rmp).
absl::Status StopRemovePod(Runtime& rt, const std::string& id, bool timed = false) {
  v1::StopPodSandboxRequest s;
  s.set_pod_sandbox_id(id);
  auto t0 = Clock::now();
  auto st = rt.client->Call(rt.client->runtime(), &Stub::StopPodSandbox, s, "StopPodSandbox");
  if (!st.ok()) return st.status();
  if (timed) Sample("stopp", rt, MsSince(t0));
  v1::RemovePodSandboxRequest r;
  r.set_pod_sandbox_id(id);
  t0 = Clock::now();
  auto rm = rt.client->Call(rt.client->runtime(), &Stub::RemovePodSandbox, r, "RemovePodSandbox");
  if (!rm.ok()) return rm.status();
  if (timed) Sample("rmp", rt, MsSince(t0));
  return absl::OkStatus();
}

absl::StatusOr<std::string> CreateContainer(Runtime& rt, const Options& o,
                                            const std::string& pod_id,
                                            const v1::PodSandboxConfig& pod) {
  v1::CreateContainerRequest r;
  r.set_pod_sandbox_id(pod_id);
  *r.mutable_config() = ContainerConfig(o, "sleeper");
  *r.mutable_sandbox_config() = pod;
  auto resp =
      rt.client->Call(rt.client->runtime(), &Stub::CreateContainer, r, "CreateContainer");
  if (!resp.ok()) return resp.status();
  return resp->container_id();
}

absl::Status StartContainer(Runtime& rt, const std::string& id) {
  v1::StartContainerRequest r;
  r.set_container_id(id);
  return rt.client->Call(rt.client->runtime(), &Stub::StartContainer, r, "StartContainer")
      .status();
}

// Timeout 0: SIGKILL at once (sleep as its pid namespace's init ignores SIGTERM).
// When `timed`, each step is a sample (stop, rm).
absl::Status StopRemoveContainer(Runtime& rt, const std::string& id, bool timed = false) {
  v1::StopContainerRequest s;
  s.set_container_id(id);
  s.set_timeout(0);
  auto t0 = Clock::now();
  auto st = rt.client->Call(rt.client->runtime(), &Stub::StopContainer, s, "StopContainer");
  if (!st.ok()) return st.status();
  if (timed) Sample("stop", rt, MsSince(t0));
  v1::RemoveContainerRequest r;
  r.set_container_id(id);
  t0 = Clock::now();
  auto rm = rt.client->Call(rt.client->runtime(), &Stub::RemoveContainer, r, "RemoveContainer");
  if (!rm.ok()) return rm.status();
  if (timed) Sample("rm", rt, MsSince(t0));
  return absl::OkStatus();
}

// Runs fn(0..count-1) on `workers` threads; the first error wins.
absl::Status RunParallel(int count, int workers, const std::function<absl::Status(int)>& fn) {
  std::atomic<int> next{0};
  std::mutex mu;
  absl::Status first;
  std::vector<std::thread> threads;
  for (int w = 0; w < std::min(workers, count); ++w) {
    threads.emplace_back([&] {
      for (int i = next++; i < count; i = next++) {
        absl::Status st = fn(i);
        std::lock_guard<std::mutex> lock(mu);
        if (!st.ok() && first.ok()) first = st;
      }
    });
  }
  for (auto& t : threads) t.join();
  return first;
}

// Each round visits every runtime, the first one rotating, so none always goes first.
absl::Status Interleave(std::vector<Runtime>& rts, int rounds,
                        const std::function<absl::Status(Runtime&)>& fn) {
  for (int i = 0; i < rounds; ++i) {
    for (size_t k = 0; k < rts.size(); ++k) {
      Runtime& rt = rts[(i + k) % rts.size()];
      absl::Status st = fn(rt);
      if (!st.ok()) return absl::Status(st.code(), absl::StrCat(rt.name, ": ", st.message()));
    }
  }
  return absl::OkStatus();
}

absl::Status PhasePull(std::vector<Runtime>& rts, const Options& o) {
  return Interleave(rts, 1, [&](Runtime& rt) -> absl::Status {
    v1::PullImageRequest r;
    r.mutable_image()->set_image(o.image);
    auto t0 = Clock::now();
    auto resp = rt.client->Call(rt.client->images(), &v1::ImageService::Stub::PullImage, r,
                                "PullImage " + o.image);
    if (!resp.ok()) return resp.status();
    Sample("pull", rt, MsSince(t0));
    return absl::OkStatus();
  });
}

absl::Status PhaseSandbox(std::vector<Runtime>& rts, const Options& o) {
  return Interleave(rts, o.count, [&](Runtime& rt) -> absl::Status {
    auto config = PodConfig(o, "runp");
    auto t0 = Clock::now();
    auto id = RunPod(rt, config);
    if (!id.ok()) return id.status();
    Sample("runp", rt, MsSince(t0));
    t0 = Clock::now();
    if (auto st = StopRemovePod(rt, *id, /*timed=*/true); !st.ok()) return st;
    Sample("stopp_rmp", rt, MsSince(t0));
    return absl::OkStatus();
  });
}

absl::Status PhaseContainer(std::vector<Runtime>& rts, const Options& o) {
  std::map<std::string, std::pair<std::string, v1::PodSandboxConfig>> pods;
  for (auto& rt : rts) {
    auto config = PodConfig(o, "ctr");
    auto id = RunPod(rt, config);
    if (!id.ok()) return absl::Status(id.status().code(), rt.name + ": " + id.status().ToString());
    pods[rt.name] = {*id, config};
  }
  absl::Status st = Interleave(rts, o.count, [&](Runtime& rt) -> absl::Status {
    const auto& [pod_id, pod] = pods[rt.name];
    auto t0 = Clock::now();
    auto id = CreateContainer(rt, o, pod_id, pod);
    if (!id.ok()) return id.status();
    double create = MsSince(t0);
    auto t1 = Clock::now();
    if (auto s = StartContainer(rt, *id); !s.ok()) return s;
    Sample("create", rt, create);
    Sample("start", rt, MsSince(t1));
    Sample("create_start", rt, MsSince(t0));
    t0 = Clock::now();
    if (auto s = StopRemoveContainer(rt, *id, /*timed=*/true); !s.ok()) return s;
    Sample("stop_rm", rt, MsSince(t0));
    return absl::OkStatus();
  });
  for (auto& rt : rts) {
    absl::Status s = StopRemovePod(rt, pods[rt.name].first);
    if (st.ok() && !s.ok()) st = s;
  }
  return st;
}

// Pod + container, started; the pod id through *pod_id (set as soon as it exists).
absl::Status PodWithContainer(Runtime& rt, const Options& o, const std::string& tag,
                              std::string* pod_id, std::string* ctr_id) {
  auto config = PodConfig(o, tag);
  auto pod = RunPod(rt, config);
  if (!pod.ok()) return pod.status();
  *pod_id = *pod;
  auto id = CreateContainer(rt, o, *pod, config);
  if (!id.ok()) return id.status();
  *ctr_id = *id;
  return StartContainer(rt, *id);
}

absl::Status PhaseCycle(std::vector<Runtime>& rts, const Options& o) {
  return Interleave(rts, o.count, [&](Runtime& rt) -> absl::Status {
    std::string pod, ctr;
    auto t0 = Clock::now();
    if (auto s = PodWithContainer(rt, o, "cycle", &pod, &ctr); !s.ok()) return s;
    if (auto s = StopRemoveContainer(rt, ctr); !s.ok()) return s;
    if (auto s = StopRemovePod(rt, pod); !s.ok()) return s;
    Sample("cycle", rt, MsSince(t0));
    return absl::OkStatus();
  });
}

// All N requests issued at once (one thread each), as a node's kubelet does after a restart.
absl::Status PhaseBurst(std::vector<Runtime>& rts, const Options& o) {
  for (auto& rt : rts) {
    std::vector<v1::PodSandboxConfig> configs;
    for (int i = 0; i < o.count; ++i) configs.push_back(PodConfig(o, "burst"));
    auto t0 = Clock::now();
    absl::Status st = RunParallel(o.count, o.count, [&](int i) {
      return RunPod(rt, configs[i]).status();
    });
    if (!st.ok()) return absl::Status(st.code(), absl::StrCat(rt.name, ": ", st.message()));
    Sample("burst", rt, MsSince(t0));
  }
  return absl::OkStatus();
}

absl::Status PhaseFill(std::vector<Runtime>& rts, const Options& o) {
  for (auto& rt : rts) {
    auto t0 = Clock::now();
    absl::Status st = RunParallel(o.count, 4, [&](int) {
      std::string pod, ctr;
      return PodWithContainer(rt, o, "fill", &pod, &ctr);
    });
    if (!st.ok()) return absl::Status(st.code(), absl::StrCat(rt.name, ": ", st.message()));
    Sample("fill", rt, MsSince(t0));
  }
  return absl::OkStatus();
}

// Every pod labelled by this tool: stop (which stops its containers) and remove.
absl::Status PhaseTeardown(std::vector<Runtime>& rts, const Options&) {
  absl::Status result;
  for (auto& rt : rts) {
    v1::ListPodSandboxRequest r;
    (*r.mutable_filter()->mutable_label_selector())[kLabel] = "1";
    auto list = rt.client->Call(rt.client->runtime(), &Stub::ListPodSandbox, r, "ListPodSandbox");
    if (!list.ok()) {
      result.Update(absl::Status(list.status().code(), rt.name + ": " + list.status().ToString()));
      continue;
    }
    auto t0 = Clock::now();
    absl::Status st = RunParallel(list->items_size(), 4, [&](int i) {
      return StopRemovePod(rt, list->items(i).id());
    });
    if (!st.ok()) {
      result.Update(absl::Status(st.code(), absl::StrCat(rt.name, ": ", st.message())));
      continue;
    }
    Sample("teardown", rt, MsSince(t0));
  }
  return result;
}

absl::StatusOr<Options> ParseArgs(int argc, char** argv) {
  Options o;
  std::vector<std::string> rest;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    bool has_value = i + 1 < argc;
    if (a == "--rt" && has_value) {
      std::string v = argv[++i];
      size_t eq = v.find('=');
      if (eq == std::string::npos) return absl::InvalidArgumentError("--rt wants NAME=ENDPOINT");
      o.runtimes.emplace_back(v.substr(0, eq), v.substr(eq + 1));
    } else if (a == "--image" && has_value) {
      o.image = argv[++i];
    } else if (a == "--cgroup-parent" && has_value) {
      o.cgroup_parent = argv[++i];
    } else if (a == "--log-dir" && has_value) {
      o.log_dir = argv[++i];
    } else if (a == "--timeout-s" && has_value) {
      o.timeout_s = std::atoi(argv[++i]);
    } else {
      rest.push_back(a);
    }
  }
  if (o.runtimes.empty() || rest.empty()) {
    return absl::InvalidArgumentError("usage: see the header of tests/bench/cri_bench_tool.cc");
  }
  o.phase = rest[0];
  if (rest.size() > 1) o.count = std::atoi(rest[1].c_str());
  return o;
}

absl::Status Run(const Options& o) {
  std::vector<Runtime> rts;
  for (const auto& [name, endpoint] : o.runtimes) {
    cricket::cri::client::ConnectOptions co;
    co.endpoint = endpoint;
    co.timeout = std::chrono::seconds(o.timeout_s);
    auto c = Client::Connect(co);
    if (!c.ok()) return c.status();
    rts.push_back({name, std::move(*c)});
  }
  using PhaseFn = absl::Status (*)(std::vector<Runtime>&, const Options&);
  const std::map<std::string, PhaseFn> phases = {
      {"pull", PhasePull},   {"sandbox", PhaseSandbox}, {"container", PhaseContainer},
      {"cycle", PhaseCycle}, {"burst", PhaseBurst},     {"fill", PhaseFill},
      {"teardown", PhaseTeardown}};
  auto it = phases.find(o.phase);
  if (it == phases.end()) return absl::InvalidArgumentError("unknown phase " + o.phase);
  return it->second(rts, o);
}

}  // namespace

int main(int argc, char** argv) {
  auto o = ParseArgs(argc, argv);
  absl::Status st = o.ok() ? Run(*o) : o.status();
  if (!st.ok()) {
    std::fprintf(stderr, "cricket-cri-bench: %s\n", st.ToString().c_str());
    return 1;
  }
  return 0;
}
