// cgroup v2 device control: the OCI device rules compiled into a
// BPF_PROG_TYPE_CGROUP_DEVICE program (pure, unit-tested), and its loading and
// attaching with raw bpf(2) calls (only on a real v2 hierarchy).
#pragma once

#include <linux/bpf.h>

#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "oci/cgroup/resources.h"
#include "oci/sys/unique_fd.h"

namespace cricket::oci::cgroup {

// The program runc's devicefilter generates: the last matching rule wins, so
// rules are emitted in reverse order, each as "if the request matches → return
// allow"; no match → deny (0). A rule with no conditions ends the program.
// InvalidArgument for a rule the kernel cannot express.
absl::StatusOr<std::vector<bpf_insn>> DeviceFilterProgram(const std::vector<DeviceRule>& rules);

// Loads the program (the kernel verifier checks it; works on any cgroup version).
absl::StatusOr<sys::UniqueFd> LoadDeviceFilter(const std::vector<bpf_insn>& prog);

// Loads the program and attaches it to the cgroup dir with BPF_F_ALLOW_MULTI,
// then detaches the programs that were attached before (a previous Set), so
// the device policy is replaced, never left open in between.
absl::Status AttachDeviceFilter(const std::string& cgroup_dir, const std::vector<bpf_insn>& prog);

}  // namespace cricket::oci::cgroup
