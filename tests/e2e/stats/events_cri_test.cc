// GetContainerEvents over cricketd's CRI socket: one stream sees a pod and
// its container go through created, started, stopped and deleted, each event
// with the pod's status and its containers' statuses.
#include <chrono>
#include <mutex>
#include <thread>

#include "tests/e2e/stats/stats_e2e_helpers.h"

namespace cricket::testing {
namespace {

using Clock = std::chrono::steady_clock;

// Reads GetContainerEvents on a thread until cancelled.
class EventReader {
 public:
  explicit EventReader(v1::RuntimeService::Stub& stub) {
    reader_ = stub.GetContainerEvents(&ctx_, v1::GetEventsRequest());
    thread_ = std::thread([this] {
      v1::ContainerEventResponse e;
      while (reader_->Read(&e)) {
        std::lock_guard l(mu_);
        events_.push_back(e);
      }
    });
  }
  ~EventReader() {
    ctx_.TryCancel();
    thread_.join();
    reader_->Finish().ok();
  }
  std::vector<v1::ContainerEventResponse> events() {
    std::lock_guard l(mu_);
    return events_;
  }
  // The event types seen for id, in order.
  std::vector<v1::ContainerEventType> TypesOf(const std::string& id) {
    std::vector<v1::ContainerEventType> out;
    for (const auto& e : events()) {
      if (e.container_id() == id) out.push_back(e.container_event_type());
    }
    return out;
  }
  // Waits until id has `n` events.
  bool WaitFor(const std::string& id, size_t n,
               std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    for (auto end = Clock::now() + timeout; Clock::now() < end;) {
      if (TypesOf(id).size() >= n) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

 private:
  grpc::ClientContext ctx_;
  std::unique_ptr<grpc::ClientReader<v1::ContainerEventResponse>> reader_;
  std::thread thread_;
  std::mutex mu_;
  std::vector<v1::ContainerEventResponse> events_;
};

const std::vector<v1::ContainerEventType> kLifecycle = {
    v1::CONTAINER_CREATED_EVENT, v1::CONTAINER_STARTED_EVENT, v1::CONTAINER_STOPPED_EVENT,
    v1::CONTAINER_DELETED_EVENT};

class EventsCriTest : public StatsCriTest {
 protected:
  // The server subscribes some time after the call is made: probe pods until
  // one is seen, so that no event of the test proper can be missed.
  void WaitSubscribed(EventReader& reader) {
    for (int i = 0; i < 20; i++) {
      auto probe = Call(&v1::RuntimeService::Stub::RunPodSandbox,
                        PodRequest("probe" + std::to_string(i)), "RunPodSandbox");
      ASSERT_TRUE(probe.ok()) << probe.status();
      bool seen = reader.WaitFor(probe->pod_sandbox_id(), 1, std::chrono::milliseconds(500));
      ASSERT_TRUE(RemovePod(probe->pod_sandbox_id()).ok());
      if (seen) return;
    }
    FAIL() << "GetContainerEvents never delivered a probe pod's event";
  }
};

TEST_F(EventsCriTest, EventsFollowPodAndContainerLifecycle) {
  ASSERT_NO_FATAL_FAILURE(PullBusybox());
  auto reader = std::make_unique<EventReader>(client_->runtime());
  ASSERT_NO_FATAL_FAILURE(WaitSubscribed(*reader));

  auto pod_req = PodRequest("events");
  auto pod = Call(&v1::RuntimeService::Stub::RunPodSandbox, pod_req, "RunPodSandbox");
  ASSERT_TRUE(pod.ok()) << pod.status();
  const std::string pod_id = pod->pod_sandbox_id();
  std::string id = StartContainer(pod_id, pod_req, "ev", {"sleep", "1000"});
  ASSERT_FALSE(id.empty());
  v1::StopContainerRequest stop;
  stop.set_container_id(id);
  stop.set_timeout(1);
  ASSERT_TRUE(Call(&v1::RuntimeService::Stub::StopContainer, stop, "StopContainer").ok());
  v1::RemoveContainerRequest rm;
  rm.set_container_id(id);
  ASSERT_TRUE(Call(&v1::RuntimeService::Stub::RemoveContainer, rm, "RemoveContainer").ok());
  v1::StopPodSandboxRequest stop_pod;
  stop_pod.set_pod_sandbox_id(pod_id);
  ASSERT_TRUE(Call(&v1::RuntimeService::Stub::StopPodSandbox, stop_pod, "StopPodSandbox").ok());
  ASSERT_TRUE(RemovePod(pod_id).ok());

  ASSERT_TRUE(reader->WaitFor(id, 4));
  ASSERT_TRUE(reader->WaitFor(pod_id, 4));
  EXPECT_EQ(reader->TypesOf(id), kLifecycle);
  EXPECT_EQ(reader->TypesOf(pod_id), kLifecycle);  // sandbox events use the sandbox id
  for (const auto& e : reader->events()) {
    if (e.container_id() != id && e.container_id() != pod_id) continue;  // probes
    EXPECT_GT(e.created_at(), 0);
    EXPECT_EQ(e.pod_sandbox_status().id(), pod_id) << e.DebugString();
    if (e.container_id() != id) continue;
    bool listed = false;
    for (const auto& c : e.containers_statuses()) listed = listed || c.id() == id;
    EXPECT_TRUE(listed) << e.DebugString();
    if (e.container_event_type() == v1::CONTAINER_STARTED_EVENT) {
      for (const auto& c : e.containers_statuses()) {
        if (c.id() == id) {
          EXPECT_EQ(c.state(), v1::CONTAINER_RUNNING);
        }
      }
    }
  }
  reader.reset();  // cancels the stream before the daemon goes
}

}  // namespace
}  // namespace cricket::testing
