// The steps of building a container's OCI spec; each edits one part of it.
// Build() (build.cc) runs them in order.
#pragma once

#include "absl/status/status.h"
#include "oci/spec.h"
#include "pod/spec/inputs.h"

namespace cricket::pod::spec {

absl::Status ApplyProcess(const Inputs& in, Output& out);     // args, env, cwd, user, tty, rlimits
absl::Status ApplySecurity(const Inputs& in, Output& out);    // caps, seccomp, masks, nnp, privileged
absl::Status ApplyMounts(const Inputs& in, Output& out);      // default, pod files, CRI mounts, devices
absl::Status ApplyNamespaces(const Inputs& in, Output& out);  // pod / node / container / target
absl::Status ApplyResources(const Inputs& in, Output& out);   // cgroup path and limits
absl::Status ApplyCdi(const Inputs& in, Output& out);         // CDI devices' container edits

// The parts of the spec a step edits, made when an earlier step has not.
inline oci::Process& ProcessOf(Output& out) {
  return out.spec.process ? *out.spec.process : out.spec.process.emplace();
}
inline oci::Linux& LinuxOf(Output& out) {
  return out.spec.linux_spec ? *out.spec.linux_spec : out.spec.linux_spec.emplace();
}
inline oci::cgroup::Resources& ResourcesOf(Output& out) {
  oci::Linux& l = LinuxOf(out);
  return l.resources ? *l.resources : l.resources.emplace();
}

// The number of components of a path ("/a/b" 2): mounts sort by it so that
// parents come before children.
inline size_t PathDepth(const std::string& p) {
  size_t n = 0;
  for (size_t i = 0; i < p.size(); i++) n += p[i] != '/' && (i == 0 || p[i - 1] == '/');
  return n;
}

// Every capability the kernel knows, "CAP_" form (for privileged and "ALL").
const std::vector<std::string>& AllCapabilities();

// The built-in RuntimeDefault seccomp profile for the given effective
// capability set.
oci::Seccomp DefaultSeccompProfile(const std::vector<std::string>& caps);

}  // namespace cricket::pod::spec
