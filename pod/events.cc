// Event bus: state → event mapping with per-id de-duplication, bounded
// per-subscriber queues.
#include "pod/events.h"

#include <algorithm>

#include "pod/monitor/protocol/exit_file.h"

namespace cricket::pod {

std::optional<Event> EventSubscription::Next(absl::Duration timeout) {
  absl::MutexLock l(&mu_);
  auto ready = [this] { return !queue_.empty() || closed_; };
  mu_.AwaitWithTimeout(absl::Condition(&ready), timeout);
  if (queue_.empty()) return std::nullopt;
  Event e = std::move(queue_.front());
  queue_.pop_front();
  return e;
}

bool EventSubscription::ended() const {
  absl::MutexLock l(&mu_);
  return closed_ && queue_.empty();
}

bool EventSubscription::overflowed() const {
  absl::MutexLock l(&mu_);
  return overflowed_;
}

void EventSubscription::Push(const Event& e) {
  absl::MutexLock l(&mu_);
  if (closed_) return;
  if (queue_.size() >= capacity_) {
    // Too slow: drop what is queued and end, so the reader sees the gap at once.
    queue_.clear();
    overflowed_ = closed_ = true;
    return;
  }
  queue_.push_back(e);
}

void EventSubscription::End() {
  absl::MutexLock l(&mu_);
  closed_ = true;
}

std::shared_ptr<EventSubscription> EventBus::Subscribe(size_t capacity) {
  auto sub = std::make_shared<EventSubscription>(std::max<size_t>(capacity, 1));
  absl::MutexLock l(&mu_);
  if (closed_) {
    sub->End();
    return sub;
  }
  // Drop the entries of subscribers that went away.
  std::erase_if(subs_, [](const auto& w) { return w.expired(); });
  subs_.push_back(sub);
  return sub;
}

void EventBus::Emit(Event e) {
  e.created_at_ns = RealtimeNs();
  std::vector<std::shared_ptr<EventSubscription>> targets;
  {
    absl::MutexLock l(&mu_);
    auto it = last_.find(e.id);
    if (it != last_.end() && it->second == e.type) return;
    if (e.type == EventType::kDeleted) {
      last_.erase(e.id);
    } else {
      last_[e.id] = e.type;
    }
    for (const auto& w : subs_) {
      if (auto s = w.lock()) targets.push_back(std::move(s));
    }
  }
  // Pushing outside mu_: a subscriber's lock never nests inside the bus's.
  for (const auto& s : targets) s->Push(e);
}

std::optional<EventType> EventForState(ContainerState s) {
  switch (s) {
    case ContainerState::kCreated: return EventType::kCreated;
    case ContainerState::kRunning: return EventType::kStarted;
    case ContainerState::kExited: return EventType::kStopped;
    default: return std::nullopt;
  }
}

void EventBus::ContainerSaved(const Container& c) {
  std::optional<EventType> t = EventForState(c.state());
  if (!t) return;
  Emit({*t, c.id, c.pod_id, 0, std::nullopt, c});
}

void EventBus::ContainerRemoved(const Container& c) {
  Emit({EventType::kDeleted, c.id, c.pod_id, 0, std::nullopt, c});
}

void EventBus::SandboxSaved(const Sandbox& sb) {
  if (sb.state() == SandboxState::kReady) {
    // A sandbox is created and started in one RunPodSandbox, as containerd reports it.
    Emit({EventType::kCreated, sb.id, sb.id, 0, sb, std::nullopt});
    Emit({EventType::kStarted, sb.id, sb.id, 0, sb, std::nullopt});
  } else if (sb.state() == SandboxState::kNotReady) {
    Emit({EventType::kStopped, sb.id, sb.id, 0, sb, std::nullopt});
  }
}

void EventBus::SandboxRemoved(const Sandbox& sb) {
  Emit({EventType::kDeleted, sb.id, sb.id, 0, sb, std::nullopt});
}

void EventBus::Close() {
  std::vector<std::shared_ptr<EventSubscription>> targets;
  {
    absl::MutexLock l(&mu_);
    closed_ = true;
    for (const auto& w : subs_) {
      if (auto s = w.lock()) targets.push_back(std::move(s));
    }
    subs_.clear();
  }
  for (const auto& s : targets) s->End();
}

}  // namespace cricket::pod
