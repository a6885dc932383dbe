// The pod event bus: state → event mapping, de-duplication, bounded queues.
#include "pod/events.h"

#include <gtest/gtest.h>

namespace cricket::pod {
namespace {

Container MakeContainer(const std::string& id, ContainerState s) {
  Container c = Container::Restore(s);
  c.id = id;
  c.pod_id = "pod1";
  return c;
}

std::vector<EventType> Drain(EventSubscription& sub) {
  std::vector<EventType> out;
  while (auto e = sub.Next(absl::ZeroDuration())) out.push_back(e->type);
  return out;
}

TEST(EventBus, ContainerLifecycleMapsToEvents) {
  EventBus bus;
  auto sub = bus.Subscribe();
  bus.ContainerSaved(MakeContainer("c1", ContainerState::kCreating));  // no event
  bus.ContainerSaved(MakeContainer("c1", ContainerState::kCreated));
  bus.ContainerSaved(MakeContainer("c1", ContainerState::kCreated));  // repeat: no event
  bus.ContainerSaved(MakeContainer("c1", ContainerState::kRunning));
  bus.ContainerSaved(MakeContainer("c1", ContainerState::kExited));
  bus.ContainerRemoved(MakeContainer("c1", ContainerState::kExited));
  EXPECT_EQ(Drain(*sub), (std::vector<EventType>{EventType::kCreated, EventType::kStarted,
                                                  EventType::kStopped, EventType::kDeleted}));
}

TEST(EventBus, EventCarriesSubjectAndTime) {
  EventBus bus;
  auto sub = bus.Subscribe();
  bus.ContainerSaved(MakeContainer("c1", ContainerState::kRunning));
  auto e = sub->Next(absl::ZeroDuration());
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->id, "c1");
  EXPECT_EQ(e->pod_id, "pod1");
  EXPECT_GT(e->created_at_ns, 0);
  ASSERT_TRUE(e->container.has_value());
  EXPECT_EQ(e->container->state(), ContainerState::kRunning);
  EXPECT_FALSE(e->sandbox.has_value());
}

TEST(EventBus, SandboxUsesItsIdAndIsCreatedThenStarted) {
  EventBus bus;
  auto sub = bus.Subscribe();
  Sandbox sb;
  sb.id = "pod1";
  bus.SandboxSaved(sb);  // Creating: nothing
  ASSERT_TRUE(sb.TransitionTo(SandboxState::kReady).ok());
  bus.SandboxSaved(sb);
  ASSERT_TRUE(sb.TransitionTo(SandboxState::kNotReady).ok());
  bus.SandboxSaved(sb);
  bus.SandboxSaved(sb);
  bus.SandboxRemoved(sb);
  std::vector<Event> events;
  while (auto e = sub->Next(absl::ZeroDuration())) events.push_back(*e);
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].type, EventType::kCreated);
  EXPECT_EQ(events[1].type, EventType::kStarted);
  EXPECT_EQ(events[2].type, EventType::kStopped);
  EXPECT_EQ(events[3].type, EventType::kDeleted);
  for (const Event& e : events) {
    EXPECT_EQ(e.id, "pod1");
    EXPECT_TRUE(e.sandbox.has_value());
  }
}

TEST(EventBus, EverySubscriberGetsEachEvent) {
  EventBus bus;
  auto a = bus.Subscribe();
  auto b = bus.Subscribe();
  bus.ContainerSaved(MakeContainer("c1", ContainerState::kCreated));
  EXPECT_EQ(Drain(*a).size(), 1u);
  EXPECT_EQ(Drain(*b).size(), 1u);
}

TEST(EventBus, SlowSubscriberIsCutOffNotBlocking) {
  EventBus bus;
  auto slow = bus.Subscribe(2);
  auto fast = bus.Subscribe();
  for (int i = 0; i < 5; ++i) {
    bus.ContainerSaved(MakeContainer("c" + std::to_string(i), ContainerState::kCreated));
  }
  EXPECT_TRUE(slow->overflowed());
  EXPECT_TRUE(slow->ended());
  EXPECT_FALSE(slow->Next(absl::ZeroDuration()).has_value());
  EXPECT_EQ(Drain(*fast).size(), 5u);
  EXPECT_FALSE(fast->ended());
}

TEST(EventBus, CloseEndsSubscriptionsAfterDraining) {
  EventBus bus;
  auto sub = bus.Subscribe();
  bus.ContainerSaved(MakeContainer("c1", ContainerState::kCreated));
  bus.Close();
  EXPECT_FALSE(sub->ended());  // one event still queued
  EXPECT_TRUE(sub->Next(absl::Seconds(1)).has_value());
  EXPECT_TRUE(sub->ended());
  EXPECT_FALSE(sub->overflowed());
  EXPECT_TRUE(bus.Subscribe()->ended());
}

TEST(EventBus, NextTimesOutWhenIdle) {
  EventBus bus;
  auto sub = bus.Subscribe();
  EXPECT_FALSE(sub->Next(absl::Milliseconds(1)).has_value());
  EXPECT_FALSE(sub->ended());
}

TEST(EventBus, DroppedSubscriberIsForgotten) {
  EventBus bus;
  { auto gone = bus.Subscribe(); }
  auto sub = bus.Subscribe();
  bus.ContainerSaved(MakeContainer("c1", ContainerState::kCreated));
  EXPECT_EQ(Drain(*sub).size(), 1u);
}

}  // namespace
}  // namespace cricket::pod
