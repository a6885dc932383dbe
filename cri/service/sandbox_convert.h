// Conversions between the pod layer's Sandbox and the CRI messages, and the
// checks a RunPodSandbox request must pass before anything is made.
#pragma once

#include "absl/status/status.h"
#include "cri/api/api.h"
#include "pod/sandbox_manager.h"

namespace cricket::cri {

absl::Status ValidateSandboxConfig(const runtime::v1::PodSandboxConfig& config);
runtime::v1::PodSandboxState ToCri(pod::SandboxState s);
void FillSandbox(const pod::Sandbox& sb, runtime::v1::PodSandbox* out);
void FillSandboxStatus(const pod::Sandbox& sb, runtime::v1::PodSandboxStatus* out);
pod::SandboxFilter FromCri(const runtime::v1::PodSandboxFilter& f);

}  // namespace cricket::cri
