// State names and the transition table of the diagrams in state.h.
#include "pod/state.h"

#include "absl/strings/str_cat.h"

namespace cricket::pod {

std::string_view Name(SandboxState s) {
  switch (s) {
    case SandboxState::kCreating: return "creating";
    case SandboxState::kReady: return "ready";
    case SandboxState::kNotReady: return "notready";
  }
  return "notready";
}

std::string_view Name(ContainerState s) {
  switch (s) {
    case ContainerState::kCreating: return "creating";
    case ContainerState::kCreated: return "created";
    case ContainerState::kRunning: return "running";
    case ContainerState::kExited: return "exited";
    case ContainerState::kUnknown: return "unknown";
  }
  return "unknown";
}

absl::StatusOr<SandboxState> ParseSandboxState(std::string_view s) {
  for (auto st : {SandboxState::kCreating, SandboxState::kReady, SandboxState::kNotReady}) {
    if (Name(st) == s) return st;
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown sandbox state \"", std::string(s), "\""));
}

absl::StatusOr<ContainerState> ParseContainerState(std::string_view s) {
  for (auto st : {ContainerState::kCreating, ContainerState::kCreated, ContainerState::kRunning,
                  ContainerState::kExited, ContainerState::kUnknown}) {
    if (Name(st) == s) return st;
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown container state \"", std::string(s), "\""));
}

bool CanTransition(SandboxState from, SandboxState to) {
  using S = SandboxState;
  switch (from) {
    case S::kCreating: return to == S::kReady || to == S::kNotReady;
    case S::kReady: return to == S::kNotReady;
    case S::kNotReady: return false;
  }
  return false;
}

bool CanTransition(ContainerState from, ContainerState to) {
  using S = ContainerState;
  switch (from) {
    case S::kCreating: return to == S::kCreated;
    case S::kCreated: return to == S::kRunning || to == S::kExited || to == S::kUnknown;
    case S::kRunning: return to == S::kExited || to == S::kUnknown;
    case S::kExited: return false;
    case S::kUnknown: return to == S::kRunning || to == S::kExited;
  }
  return false;
}

namespace {

template <typename State>
absl::Status Move(std::string_view object, State* state, State to) {
  if (!CanTransition(*state, to)) {
    return absl::FailedPreconditionError(absl::StrCat(std::string(object), ": cannot go from ",
                                                      std::string(Name(*state)), " to ",
                                                      std::string(Name(to))));
  }
  *state = to;
  return absl::OkStatus();
}

}  // namespace

absl::Status Transition(std::string_view object, SandboxState* state, SandboxState to) {
  return Move(object, state, to);
}

absl::Status Transition(std::string_view object, ContainerState* state, ContainerState to) {
  return Move(object, state, to);
}

}  // namespace cricket::pod
