// pod::Container ⇄ CRI container messages, and CreateContainer validation.
#pragma once

#include "absl/status/status.h"
#include "cri/api/api.h"
#include "pod/container_manager.h"

namespace cricket::cri {

absl::Status ValidateContainerRequest(const runtime::v1::CreateContainerRequest& req);
runtime::v1::ContainerState ToCri(pod::ContainerState s);
void FillContainer(const pod::Container& c, runtime::v1::Container* out);
void FillContainerStatus(const pod::Container& c, runtime::v1::ContainerStatus* out);
pod::ContainerFilter FromCri(const runtime::v1::ContainerFilter& f);

}  // namespace cricket::cri
