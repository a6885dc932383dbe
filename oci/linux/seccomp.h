// linux.seccomp → a libseccomp filter. Translation (actions, operators,
// architectures, flags) is separate from loading so it is unit-testable:
// building and exporting BPF needs no privilege.
#pragma once

#include <linux/filter.h>
#include <seccomp.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "oci/spec.h"

namespace cricket::oci::linux {

// "SCMP_ACT_ERRNO" + errnoRet → SCMP_ACT_ERRNO(ret) (EPERM when unset).
// SCMP_ACT_NOTIFY is Unimplemented (no seccomp agent support).
absl::StatusOr<uint32_t> SeccompAction(const std::string& action,
                                       std::optional<uint32_t> errno_ret);
absl::StatusOr<scmp_compare> SeccompOp(const std::string& op);
// "SCMP_ARCH_X86_64" → SCMP_ARCH_X86_64's token.
absl::StatusOr<uint32_t> SeccompArch(const std::string& arch);

class SeccompFilter {
 public:
  explicit SeccompFilter(scmp_filter_ctx ctx = nullptr) : ctx_(ctx) {}
  SeccompFilter(SeccompFilter&& o) noexcept : ctx_(o.ctx_) { o.ctx_ = nullptr; }
  SeccompFilter& operator=(SeccompFilter&& o) noexcept;
  SeccompFilter(const SeccompFilter&) = delete;
  SeccompFilter& operator=(const SeccompFilter&) = delete;
  ~SeccompFilter();
  scmp_filter_ctx get() const { return ctx_; }

 private:
  scmp_filter_ctx ctx_;
};

// Builds the filter. Unknown syscall names are skipped (as runc does: a
// profile lists syscalls of newer kernels); rules whose action equals the
// default are skipped (libseccomp refuses them).
absl::StatusOr<SeccompFilter> BuildSeccomp(const Seccomp& s);
// The program to load: libseccomp's, behind the -ENOSYS stub
// (seccomp_enosys.h).
absl::StatusOr<std::vector<sock_filter>> SeccompProgram(const Seccomp& s);
// Builds and loads into the calling process.
absl::Status LoadSeccomp(const Seccomp& s);

}  // namespace cricket::oci::linux
