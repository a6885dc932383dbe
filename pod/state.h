// The life cycles of sandboxes and containers, as the kubelet sees them.
//
//  Sandbox:
//     Creating ──ok──► Ready ──stop──► NotReady ──remove──► (gone)
//        │                                ▲
//        └────────failed rollback─────────┘   (kept so Remove can finish)
//
//  Container:
//     Creating ──► Created ──start──► Running ──exit/stop──► Exited ──remove──► (gone)
//        │            │                 │                      ▲
//        │            └──────────────stop (never started)──────┤
//        │            └──monitor lost──►Unknown──exit──────────┘
//        └──failed──► (gone, rolled back)
//  Unknown: after a restart, a Created or Running container whose init lives
//  on without its monitor, so nobody will report its exit.
//
//  Records move only along these edges (Sandbox/Container::TransitionTo); a
//  record read back from disk keeps the state it was saved in (Restore).
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace cricket::pod {

enum class SandboxState { kCreating, kReady, kNotReady };
enum class ContainerState { kCreating, kCreated, kRunning, kExited, kUnknown };

std::string_view Name(SandboxState s);
std::string_view Name(ContainerState s);
absl::StatusOr<SandboxState> ParseSandboxState(std::string_view s);
absl::StatusOr<ContainerState> ParseContainerState(std::string_view s);

// Whether the diagram above has the edge from → to.
bool CanTransition(SandboxState from, SandboxState to);
bool CanTransition(ContainerState from, ContainerState to);

// Sets *state to `to` when CanTransition(*state, to); else FailedPrecondition
// naming the object ("container <id>") and both states, *state unchanged.
absl::Status Transition(std::string_view object, SandboxState* state, SandboxState to);
absl::Status Transition(std::string_view object, ContainerState* state, ContainerState to);

// The state of a record (Sandbox, Container): a new record starts in
// Creating and moves only along the table; Record::Describe() names it in
// the error of a refused move.
template <typename Record, typename State>
class Stateful {
 public:
  // A record read back from disk, in the state it was saved in: the one way
  // to a state that skips the table.
  static Record Restore(State saved) {
    Record r;
    static_cast<Stateful&>(r).state_ = saved;
    return r;
  }

  State state() const { return state_; }
  // FailedPrecondition naming the record and both states when the table has
  // no such edge; the record is then unchanged.
  absl::Status TransitionTo(State to) {
    return Transition(static_cast<const Record&>(*this).Describe(), &state_, to);
  }

 private:
  State state_ = State::kCreating;
};

}  // namespace cricket::pod
