// The pod layer's crash matrix (issue 17): every failpoint named pod.* or
// container.* that `cricketd failpoints` lists is armed once as a crash and
// once as an error, on a cricketd that already runs a survivor pod and
// container. The call is driven through CRI; after a crash cricketd is
// restarted clean. Then, as the kubelet would: the call is retried (one
// object, not two), everything but the survivor is stopped and removed, and
// the host must look exactly as before (no IP, veth, mount, cgroup, process
// or file more or less), with the survivor still running and listed.
// CRICKET_CRASH_MATRIX_ONLY=<substring> narrows the run (for debugging).
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <sstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"
#include "tests/e2e/common/cri_e2e_fixture.h"
#include "tests/e2e/crash/crash_helpers.h"
#include "tests/fixtures/partners.h"

namespace cricket::testing {
namespace {

using Rt = v1::RuntimeService::Stub;
const char* const kPrefixes[] = {"pod.run.",         "pod.stop.",        "pod.remove.",
                                 "container.create.", "container.start.", "container.stop.",
                                 "container.remove."};

class PodCrashMatrix : public CriE2eTest {
 protected:
  void SetUp() override {
    CriE2eTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto logs = sys::TempDir::Make("cricket-crash-logs-");
    ASSERT_TRUE(logs.ok()) << logs.status();
    logs_ = std::make_unique<sys::TempDir>(std::move(*logs));
    scope_.daemon_dir = daemon_->dir();
    scope_.cgroup_parent = "/cricket-e2e-" + std::to_string(getpid());
    scope_.bridge = cni_->bridge();
    scope_.ipam_dir = cni_->ipam_dir() + "/" + cni_->network_name();
    scope_.ignore_pids = {daemon_->pid()};
  }

  // The kubelet's pod: a shared pid namespace (so an infra process runs) and
  // a cgroup parent of its own that cricketd makes.
  v1::RunPodSandboxRequest Pod(const std::string& name) {
    v1::RunPodSandboxRequest r = PodRequest(name, logs_->path());
    r.mutable_config()->mutable_linux()->set_cgroup_parent(scope_.cgroup_parent + "/" + name);
    r.mutable_config()->mutable_linux()->mutable_security_context()->mutable_namespace_options()->set_pid(
        v1::NamespaceMode::POD);
    return r;
  }
  v1::CreateContainerRequest Ctr(const std::string& pod_id, const v1::RunPodSandboxRequest& pod) {
    v1::CreateContainerRequest r;
    r.set_pod_sandbox_id(pod_id);
    *r.mutable_sandbox_config() = pod.config();
    auto* cfg = r.mutable_config();
    cfg->mutable_metadata()->set_name("main");
    cfg->mutable_image()->set_image(image_);
    cfg->set_log_path(pod.config().metadata().name() + ".log");
    for (const char* a : {"sleep", "1000"}) cfg->add_command(a);
    cfg->mutable_linux()->mutable_security_context()->mutable_namespace_options()->set_pid(
        v1::NamespaceMode::POD);
    return r;
  }

  absl::StatusOr<std::string> RunPod(const v1::RunPodSandboxRequest& r) {
    auto res = Call(&Rt::RunPodSandbox, r, "RunPodSandbox");
    if (!res.ok()) return res.status();
    return res->pod_sandbox_id();
  }
  absl::StatusOr<std::string> Create(const v1::CreateContainerRequest& r) {
    auto res = Call(&Rt::CreateContainer, r, "CreateContainer");
    if (!res.ok()) return res.status();
    return res->container_id();
  }
  absl::Status Start(const std::string& id) {
    v1::StartContainerRequest r;
    r.set_container_id(id);
    return Call(&Rt::StartContainer, r, "StartContainer").status();
  }
  absl::Status StopCtr(const std::string& id, int64_t timeout) {
    v1::StopContainerRequest r;
    r.set_container_id(id);
    r.set_timeout(timeout);
    return Call(&Rt::StopContainer, r, "StopContainer").status();
  }
  absl::Status RemoveCtr(const std::string& id) {
    v1::RemoveContainerRequest r;
    r.set_container_id(id);
    return Call(&Rt::RemoveContainer, r, "RemoveContainer").status();
  }
  absl::Status StopPod(const std::string& id) {
    v1::StopPodSandboxRequest r;
    r.set_pod_sandbox_id(id);
    return Call(&Rt::StopPodSandbox, r, "StopPodSandbox").status();
  }
  std::vector<v1::PodSandbox> Pods(const std::string& name) {
    auto list = Call(&Rt::ListPodSandbox, v1::ListPodSandboxRequest(), "ListPodSandbox");
    std::vector<v1::PodSandbox> out;
    if (!list.ok()) return out;
    for (const auto& p : list->items()) {
      if (name.empty() || p.metadata().name() == name) out.push_back(p);
    }
    return out;
  }
  std::vector<v1::Container> Containers(const std::string& pod_id) {
    v1::ListContainersRequest r;
    r.mutable_filter()->set_pod_sandbox_id(pod_id);
    auto list = Call(&Rt::ListContainers, r, "ListContainers");
    std::vector<v1::Container> out;
    if (list.ok()) out.assign(list->containers().begin(), list->containers().end());
    return out;
  }
  absl::StatusOr<v1::ContainerState> CtrState(const std::string& id) {
    v1::ContainerStatusRequest r;
    r.set_container_id(id);
    auto res = Call(&Rt::ContainerStatus, r, "ContainerStatus");
    if (!res.ok()) return res.status();
    return res->status().state();
  }

  // A cricketd on the same dirs, with `failpoints` armed.
  void StartArmed(const std::string& failpoints) {
    StartDaemon({"CRICKET_FAILPOINTS=" + failpoints}, logs_->Sub("cricketd.log"));
    if (restarted_) scope_.ignore_pids.push_back(restarted_->pid());
  }
  // True when the armed daemon died of its failpoint (it is then restarted clean).
  bool DiedAndRestarted() {
    if (!restarted_ || !restarted_->WaitFor(std::chrono::seconds(5)).ok()) return false;
    restarted_.reset();
    StartArmed("");
    return !HasFatalFailure();
  }

  // The scenario for one point: "" when the kubelet's calls brought the node
  // back, else what went wrong.
  std::string Scenario(const std::string& point, bool crash, int n);
  std::string Drive(const std::string& point, bool crash, const std::string& name);
  std::string RemoveAllButSurvivor();
  std::string CheckSurvivor();

  std::unique_ptr<sys::TempDir> logs_;
  CrashScope scope_;
  std::string survivor_pod_, survivor_ctr_;
};

// Arms, sets up what the call needs, makes the call, and checks the kubelet's
// retry. Returns "" or the failure.
std::string PodCrashMatrix::Drive(const std::string& point, bool crash, const std::string& name) {
  KillDaemon();
  StartArmed(point + (crash ? "=crash" : "=error"));
  if (HasFatalFailure()) return "armed cricketd did not start";
  v1::RunPodSandboxRequest pod = Pod(name);
  std::string pod_id, ctr_id;
  bool is_run = absl::StartsWith(point, "pod.run."), is_create = absl::StartsWith(point, "container.create.");
  if (!is_run) {
    auto p = RunPod(pod);
    if (!p.ok()) return "setup RunPodSandbox: " + p.status().ToString();
    pod_id = *p;
  }
  bool wants_ctr = !is_run && !is_create;
  if (wants_ctr) {
    auto c = Create(Ctr(pod_id, pod));
    if (!c.ok()) return "setup CreateContainer: " + c.status().ToString();
    ctr_id = *c;
    if (!absl::StartsWith(point, "container.start.")) {
      if (absl::Status st = Start(ctr_id); !st.ok()) return "setup StartContainer: " + st.ToString();
    }
  }
  // The call the point is in, and the kubelet's retry of it.
  std::function<absl::Status()> call;
  if (is_run) call = [&] { return RunPod(pod).status(); };
  if (is_create) call = [&] { return Create(Ctr(pod_id, pod)).status(); };
  if (absl::StartsWith(point, "pod.stop.")) call = [&] { return StopPod(pod_id); };
  if (absl::StartsWith(point, "pod.remove.")) call = [&] { return RemovePod(pod_id); };
  if (absl::StartsWith(point, "container.start.")) call = [&] { return Start(ctr_id); };
  // A grace period only where the point is on the graceful path.
  int64_t grace = absl::StrContains(point, "signalled") ? 1 : 0;
  if (absl::StartsWith(point, "container.stop.")) call = [&] { return StopCtr(ctr_id, grace); };
  if (absl::StartsWith(point, "container.remove.")) call = [&] { return RemoveCtr(ctr_id); };
  if (!call) return "no scenario for this prefix";
  absl::Status st = call();
  if (crash && !DiedAndRestarted()) return "not reached (cricketd did not crash): " + st.ToString();
  if (!crash && (st.ok() || !absl::StrContains(st.message(), point))) {
    return "not reached (no failpoint error): " + st.ToString();
  }
  // The object is complete or absent, or the kubelet's next calls finish it.
  if (absl::StartsWith(point, "container.start.")) {
    auto state = CtrState(ctr_id);
    if (!state.ok()) return "ContainerStatus after: " + state.status().ToString();
    // Both points come after the engine's start: a restart must report what runs.
    if (crash && *state != v1::CONTAINER_RUNNING) {
      return "reported " + v1::ContainerState_Name(*state) + " after the restart, though started";
    }
    if (*state == v1::CONTAINER_CREATED) st = call();
    else st = absl::OkStatus();
    if (!st.ok()) return "retry StartContainer: " + st.ToString();
    state = CtrState(ctr_id);
    if (!state.ok() || *state != v1::CONTAINER_RUNNING) return "not running after start";
    return "";
  }
  st = call();
  if (!st.ok()) return "retry: " + st.ToString();
  if (is_run) {
    std::vector<v1::PodSandbox> pods = Pods(name);
    if (pods.size() != 1) return absl::StrCat(pods.size(), " pods named ", name, " after the retry");
    if (pods[0].state() != v1::SANDBOX_READY) return "pod not ready after the retry";
  }
  if (is_create) {
    std::vector<v1::Container> ctrs = Containers(pod_id);
    if (ctrs.size() != 1) return absl::StrCat(ctrs.size(), " containers after the retry");
    if (absl::Status s = Start(ctrs[0].id()); !s.ok()) return "start after create: " + s.ToString();
  }
  return "";
}

std::string PodCrashMatrix::RemoveAllButSurvivor() {
  std::string out;
  for (const v1::PodSandbox& p : Pods("")) {
    if (p.id() == survivor_pod_) continue;
    if (absl::Status st = StopPod(p.id()); !st.ok()) out += "StopPodSandbox: " + st.ToString() + "; ";
    if (absl::Status st = RemovePod(p.id()); !st.ok()) out += "RemovePodSandbox: " + st.ToString() + "; ";
  }
  if (Pods("").size() != 1) out += absl::StrCat(Pods("").size(), " pods left; ");
  return out;
}

std::string PodCrashMatrix::CheckSurvivor() {
  std::vector<v1::PodSandbox> pods = Pods("survivor");
  if (pods.size() != 1 || pods[0].id() != survivor_pod_ || pods[0].state() != v1::SANDBOX_READY) {
    return "survivor pod lost or not ready";
  }
  std::vector<v1::Container> ctrs = Containers(survivor_pod_);
  if (ctrs.size() != 1 || ctrs[0].state() != v1::CONTAINER_RUNNING) return "survivor container not running";
  return "";
}

std::string PodCrashMatrix::Scenario(const std::string& point, bool crash, int n) {
  HostState before = TakeHostState(scope_);
  std::string name = absl::StrCat("m", n);
  std::string failure = Drive(point, crash, name);
  if (HasFatalFailure()) return failure + " (fatal)";
  std::string removal = RemoveAllButSurvivor();
  if (!removal.empty()) failure += (failure.empty() ? "" : "; ") + removal;
  std::string diff = DiffHostState(before, TakeHostState(scope_));
  if (!diff.empty()) {
    failure += (failure.empty() ? "" : "; ") + std::string("left behind:\n") + diff;
    SweepLeaks(before, scope_);  // so the next point is judged on its own
  }
  std::string survivor = CheckSurvivor();
  if (!survivor.empty()) failure += (failure.empty() ? "" : "; ") + survivor;
  return failure;
}

TEST_F(PodCrashMatrix, EveryPodLayerFailpointAsCrashAndError) {
  auto listed = RunCricketd({"failpoints"}, std::chrono::seconds(10));
  ASSERT_TRUE(listed.ok()) << listed.status();
  std::vector<std::string> points;
  std::istringstream in(listed->out);
  const char* only = std::getenv("CRICKET_CRASH_MATRIX_ONLY");
  for (std::string line; std::getline(in, line);) {
    bool mine = false;
    for (const char* p : kPrefixes) mine = mine || absl::StartsWith(line, p);
    if (mine && (!only || absl::StrContains(line, only))) points.push_back(line);
    // Every point cricketd defines is some matrix's: this one's, or the
    // image matrix's (image_crash_matrix_test.cc) for "image.".
    EXPECT_TRUE(mine || absl::StartsWith(line, "image."))
        << "failpoint " << line << " belongs to no crash matrix";
  }
  for (const char* p : kPrefixes) {
    bool any = std::any_of(points.begin(), points.end(), [&](const auto& x) { return absl::StartsWith(x, p); });
    if (!only) EXPECT_TRUE(any) << "no failpoint listed with prefix " << p;
  }
  ServeBusybox();
  ASSERT_FALSE(HasFatalFailure());
  PullBusybox();
  ASSERT_FALSE(HasFatalFailure());
  v1::RunPodSandboxRequest survivor = Pod("survivor");
  auto pod = RunPod(survivor);
  ASSERT_TRUE(pod.ok()) << pod.status();
  survivor_pod_ = *pod;
  auto ctr = Create(Ctr(survivor_pod_, survivor));
  ASSERT_TRUE(ctr.ok()) << ctr.status();
  survivor_ctr_ = *ctr;
  ASSERT_TRUE(Start(survivor_ctr_).ok());
  HostState baseline = TakeHostState(scope_);

  std::map<std::string, std::pair<std::string, std::string>> table;
  int n = 0, failed = 0;
  for (const std::string& point : points) {
    for (bool crash : {true, false}) {
      std::string failure = Scenario(point, crash, ++n);
      if (HasFatalFailure()) break;
      (crash ? table[point].first : table[point].second) = failure.empty() ? "ok" : "FAIL";
      if (!failure.empty()) {
        ++failed;
        ADD_FAILURE() << point << " as " << (crash ? "crash" : "error") << ": " << failure;
      }
    }
    if (HasFatalFailure()) break;
  }
  std::printf("%-40s %-6s %-6s\n", "failpoint", "crash", "error");
  for (const auto& [point, r] : table) std::printf("%-40s %-6s %-6s\n", point.c_str(), r.first.c_str(), r.second.c_str());
  std::printf("%zu points, %d scenarios, %d failed\n", table.size(), n, failed);
  if (HasFailure()) {
    std::string log = sys::ReadFile(logs_->Sub("cricketd.log")).value_or("");
    if (log.size() > 6000) log = log.substr(log.size() - 6000);
    std::printf("cricketd log tail:\n%s\n", log.c_str());
    SweepLeaks(baseline, scope_);
  }
}

// A kubelet retry that comes while the first RunPodSandbox is still making
// the pod (slowed down at its CNI step) waits for it and gets the same pod.
TEST_F(PodCrashMatrix, RetryDuringCreationGetsTheSamePod) {
  HostState before = TakeHostState(scope_);
  KillDaemon();
  StartArmed("pod.run.cni_added=delay:1500");
  ASSERT_FALSE(HasFatalFailure());
  v1::RunPodSandboxRequest req = Pod("twin");
  absl::StatusOr<std::string> first;
  std::thread t([&] { first = RunPod(req); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the first is at its CNI step
  absl::StatusOr<std::string> second = RunPod(req);
  t.join();
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(*first, *second);
  EXPECT_EQ(Pods("twin").size(), 1u);
  EXPECT_TRUE(StopPod(*first).ok());
  EXPECT_TRUE(RemovePod(*first).ok());
  HostState after = TakeHostState(scope_);
  after.files.erase(scope_.daemon_dir + "/root/records/sandboxes");  // made by the first pod, kept
  EXPECT_EQ(DiffHostState(before, after), "");
}

// A call whose caller has gone stops at its next step and rolls back: the
// kubelet's deadline passes while the pod's namespaces are being pinned
// (slowed by a delay failpoint), the next step sees it, and the pod is undone
// without anyone calling RemovePodSandbox; the kubelet's retry then makes it.
TEST_F(PodCrashMatrix, ACallWhoseDeadlinePassedRollsBack) {
  HostState before = TakeHostState(scope_);
  KillDaemon();
  StartArmed("pod.run.namespaces_pinned=delay:3000@1");
  ASSERT_FALSE(HasFatalFailure());
  v1::RunPodSandboxRequest req = Pod("late");
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(1));
  v1::RunPodSandboxResponse resp;
  grpc::Status st = client_->runtime().RunPodSandbox(&ctx, req, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << st.error_message();
  // cricketd goes on until its next step, then undoes what it made.
  std::string diff = "not checked";
  for (int i = 0; i < 300 && !diff.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    HostState now = TakeHostState(scope_);
    now.files.erase(scope_.daemon_dir + "/root/records/sandboxes");
    diff = DiffHostState(before, now);
  }
  EXPECT_EQ(diff, "") << "the pod whose caller left was not rolled back";
  EXPECT_TRUE(Pods("late").empty());
  absl::StatusOr<std::string> retry = RunPod(req);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(Pods("late").size(), 1u);
  EXPECT_TRUE(StopPod(*retry).ok());
  EXPECT_TRUE(RemovePod(*retry).ok());
}

}  // namespace
}  // namespace cricket::testing
