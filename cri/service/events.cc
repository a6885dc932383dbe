// GetContainerEvents: the event stream behind the kubelet's evented PLEG.
// Each event carries the pod's status and all its containers' statuses, as
// containerd sends them; sandbox events use the sandbox id as container_id.
// The stream ends when the client goes away (a failed write), when the
// subscriber falls too far behind (ResourceExhausted: relist and resubscribe)
// or when cricketd shuts down (the bus closes).
#include "cri/service/container_convert.h"
#include "cri/service/runtime_handlers.h"
#include "cri/service/sandbox_convert.h"

namespace cricket::cri {
namespace {

v1::ContainerEventType ToCri(pod::EventType t) {
  switch (t) {
    case pod::EventType::kCreated: return v1::CONTAINER_CREATED_EVENT;
    case pod::EventType::kStarted: return v1::CONTAINER_STARTED_EVENT;
    case pod::EventType::kStopped: return v1::CONTAINER_STOPPED_EVENT;
    case pod::EventType::kDeleted: return v1::CONTAINER_DELETED_EVENT;
  }
  return v1::CONTAINER_CREATED_EVENT;
}

// The response for e: the subject's snapshot where the record is gone (or a
// sandbox event), the live records for the rest of the pod.
v1::ContainerEventResponse EventToCri(const pod::Event& e, const HandlerContext& ctx) {
  v1::ContainerEventResponse r;
  r.set_container_id(e.id);
  r.set_container_event_type(ToCri(e.type));
  r.set_created_at(e.created_at_ns);
  if (e.sandbox) {
    FillSandboxStatus(*e.sandbox, r.mutable_pod_sandbox_status());
  } else {
    absl::StatusOr<pod::Sandbox> sb = ctx.sandboxes->Get(pod::PodId(e.pod_id));
    if (sb.ok()) FillSandboxStatus(*sb, r.mutable_pod_sandbox_status());
  }
  bool subject_listed = false;
  pod::ContainerFilter f;
  f.pod_id_prefix = e.pod_id;
  for (const pod::Container& c : ctx.containers->List(f)) {
    if (c.pod_id != e.pod_id) continue;  // a longer id sharing the prefix
    // The event's own snapshot, so a quick later change does not show early.
    const pod::Container& shown = (e.container && c.id == e.id) ? *e.container : c;
    subject_listed = subject_listed || c.id == e.id;
    FillContainerStatus(shown, r.add_containers_statuses());
  }
  if (e.container && !subject_listed) FillContainerStatus(*e.container, r.add_containers_statuses());
  return r;
}

}  // namespace

absl::Status RuntimeHandlers::GetContainerEvents(const v1::GetEventsRequest& req,
                                                 const Sink<v1::ContainerEventResponse>& send) {
  std::shared_ptr<pod::EventSubscription> sub = ctx().events->Subscribe();
  while (!sub->ended()) {
    std::optional<pod::Event> e = sub->Next(absl::Seconds(1));
    if (!e) continue;
    if (!send(EventToCri(*e, ctx()))) return absl::OkStatus();  // the client went away
  }
  if (sub->overflowed()) {
    return absl::ResourceExhaustedError(
        "container event subscriber fell too far behind; events were dropped: relist");
  }
  return absl::OkStatus();
}

}  // namespace cricket::cri
