// The pod layer's event bus behind GetContainerEvents: the managers report
// saved and removed records, the bus turns state changes into created /
// started / stopped / deleted events and fans them out to subscribers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "pod/container.h"
#include "pod/sandbox.h"

namespace cricket::pod {

enum class EventType { kCreated, kStarted, kStopped, kDeleted };

struct Event {
  EventType type = EventType::kCreated;
  std::string id;      // container id, or the sandbox id for sandbox events (as containerd)
  std::string pod_id;  // the sandbox the subject belongs to (== id for sandboxes)
  int64_t created_at_ns = 0;
  // The subject as it was at the event (the record is gone after kDeleted).
  std::optional<Sandbox> sandbox;
  std::optional<Container> container;
};

// One subscriber's bounded queue. A subscriber that falls `capacity` events
// behind is cut off (overflowed) rather than slowing the managers down; the
// kubelet then relists, as it does after any stream error.
class EventSubscription {
 public:
  explicit EventSubscription(size_t capacity) : capacity_(capacity) {}
  // The next event, or nullopt after `timeout` or once ended().
  std::optional<Event> Next(absl::Duration timeout);
  // True once the bus closed or the queue overflowed (and is drained).
  bool ended() const;
  bool overflowed() const;

 private:
  friend class EventBus;
  void Push(const Event& e);
  void End();

  const size_t capacity_;
  mutable absl::Mutex mu_;
  std::deque<Event> queue_;
  bool closed_ = false, overflowed_ = false;
};

class EventBus {
 public:
  static constexpr size_t kDefaultCapacity = 1024;

  std::shared_ptr<EventSubscription> Subscribe(size_t capacity = kDefaultCapacity);
  // Hooks for the managers, called after a record was written: an event is
  // emitted only when the state maps to a different event than last time.
  void ContainerSaved(const Container& c);
  void ContainerRemoved(const Container& c);
  void SandboxSaved(const Sandbox& sb);
  void SandboxRemoved(const Sandbox& sb);
  // Ends every subscription (daemon shutdown); later subscriptions end at once.
  void Close();

 private:
  // Publishes e unless it repeats the last event type of e.id.
  void Emit(Event e);

  absl::Mutex mu_;
  bool closed_ = false;
  std::vector<std::weak_ptr<EventSubscription>> subs_;
  std::map<std::string, EventType> last_;  // id → last emitted type
};

// The event a saved container state stands for; nullopt for kCreating / kUnknown.
std::optional<EventType> EventForState(ContainerState s);

}  // namespace cricket::pod
