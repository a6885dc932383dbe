// The life cycles of sandboxes and containers, as the kubelet sees them.
//
//  Sandbox:
//     Creating ──ok──► Ready ──stop──► NotReady ──remove──► (gone)
//        │                                ▲
//        └────────failed rollback─────────┘   (kept so Remove can finish)
//
//  Container:
//     Creating ──► Created ──start──► Running ──exit/stop──► Exited ──remove──► (gone)
//        │            │                                        ▲
//        │            └──────────────stop (never started)──────┘
//        └──failed──► (gone, rolled back)
//  Unknown: a record whose process state could not be read after a restart.
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

}  // namespace cricket::pod
