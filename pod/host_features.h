// What this kernel lets the engine do, for the features the runtime reports
// to the kubelet (StatusResponse): probed once, without side effects.
#pragma once

namespace cricket::pod {

// mount_setattr(2) with AT_RECURSIVE (Linux 5.12): what the engine's "rro"
// mount option uses, so recursive read-only mounts work where it exists.
bool RecursiveReadOnlyMountsWork();

// Id-mapped mounts under an overlay (Linux 5.19): what pods with their own
// user namespace need for their rootfs layers and volumes.
bool IdMappedMountsWork();

}  // namespace cricket::pod
