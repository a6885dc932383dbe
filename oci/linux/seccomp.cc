// runtime-spec seccomp translated to libseccomp calls.
#include "oci/linux/seccomp.h"

#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <map>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "oci/linux/seccomp_enosys.h"
#include "oci/sys/unique_fd.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"

namespace cricket::oci::linux {

absl::StatusOr<uint32_t> SeccompAction(const std::string& action,
                                       std::optional<uint32_t> errno_ret) {
  if (action == "SCMP_ACT_ALLOW") return SCMP_ACT_ALLOW;
  if (action == "SCMP_ACT_KILL" || action == "SCMP_ACT_KILL_THREAD") return SCMP_ACT_KILL_THREAD;
  if (action == "SCMP_ACT_KILL_PROCESS") return SCMP_ACT_KILL_PROCESS;
  if (action == "SCMP_ACT_TRAP") return SCMP_ACT_TRAP;
  if (action == "SCMP_ACT_LOG") return SCMP_ACT_LOG;
  if (action == "SCMP_ACT_ERRNO") return SCMP_ACT_ERRNO(errno_ret.value_or(EPERM));
  if (action == "SCMP_ACT_TRACE") return SCMP_ACT_TRACE(errno_ret.value_or(EPERM));
  if (action == "SCMP_ACT_NOTIFY") {
    return absl::UnimplementedError("seccomp action SCMP_ACT_NOTIFY is not supported");
  }
  return absl::InvalidArgumentError("unknown seccomp action " + action);
}

absl::StatusOr<scmp_compare> SeccompOp(const std::string& op) {
  static const auto* t = new std::map<std::string, scmp_compare>{
      {"SCMP_CMP_NE", SCMP_CMP_NE},
      {"SCMP_CMP_LT", SCMP_CMP_LT},
      {"SCMP_CMP_LE", SCMP_CMP_LE},
      {"SCMP_CMP_EQ", SCMP_CMP_EQ},
      {"SCMP_CMP_GE", SCMP_CMP_GE},
      {"SCMP_CMP_GT", SCMP_CMP_GT},
      {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
  };
  auto it = t->find(op);
  if (it == t->end()) return absl::InvalidArgumentError("unknown seccomp operator " + op);
  return it->second;
}

absl::StatusOr<uint32_t> SeccompArch(const std::string& arch) {
  std::string name = arch;
  if (name.rfind("SCMP_ARCH_", 0) == 0) name = name.substr(10);
  name = absl::AsciiStrToLower(name);
  uint32_t token = seccomp_arch_resolve_name(name.c_str());
  if (token == 0) return absl::InvalidArgumentError("unknown seccomp architecture " + arch);
  return token;
}

SeccompFilter& SeccompFilter::operator=(SeccompFilter&& o) noexcept {
  if (this != &o) {
    if (ctx_) seccomp_release(ctx_);
    ctx_ = o.ctx_;
    o.ctx_ = nullptr;
  }
  return *this;
}

SeccompFilter::~SeccompFilter() {
  if (ctx_) seccomp_release(ctx_);
}

namespace {

absl::Status ApplyFlags(scmp_filter_ctx ctx, const std::vector<std::string>& flags) {
  for (const std::string& f : flags) {
    enum scmp_filter_attr attr;
    if (f == "SECCOMP_FILTER_FLAG_TSYNC") {
      attr = SCMP_FLTATR_CTL_TSYNC;
    } else if (f == "SECCOMP_FILTER_FLAG_LOG") {
      attr = SCMP_FLTATR_CTL_LOG;
    } else if (f == "SECCOMP_FILTER_FLAG_SPEC_ALLOW") {
      attr = SCMP_FLTATR_CTL_SSB;
    } else {
      return absl::InvalidArgumentError("unknown seccomp flag " + f);
    }
    int rc = seccomp_attr_set(ctx, attr, 1);
    if (rc != 0) return sys::ErrnoStatus(-rc, "seccomp flag %s", f);
  }
  return absl::OkStatus();
}

absl::Status AddRule(scmp_filter_ctx ctx, const SeccompSyscall& sc, const std::string& name,
                     uint32_t action) {
  int nr = seccomp_syscall_resolve_name(name.c_str());
  if (nr == __NR_SCMP_ERROR) {
    sys::LogDebug("seccomp: unknown syscall skipped", {{"syscall", name}});
    return absl::OkStatus();
  }
  std::vector<scmp_arg_cmp> cmps;
  for (const SeccompArg& a : sc.args) {
    ASSIGN_OR_RETURN(scmp_compare op, SeccompOp(a.op));
    cmps.push_back(scmp_arg_cmp{a.index, op, a.value, a.value_two.value_or(0)});
  }
  int rc = seccomp_rule_add_array(ctx, action, nr, cmps.size(), cmps.data());
  if (rc == -EINVAL && cmps.size() > 1) {
    // Several conditions on the same argument: libseccomp wants one rule per
    // condition (they then OR, as runc emits them).
    for (const scmp_arg_cmp& c : cmps) {
      rc = seccomp_rule_add_array(ctx, action, nr, 1, &c);
      if (rc != 0) break;
    }
  }
  if (rc != 0) return sys::ErrnoStatus(-rc, "seccomp rule for %s", name);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SeccompFilter> BuildSeccomp(const Seccomp& s) {
  ASSIGN_OR_RETURN(uint32_t def, SeccompAction(s.default_action, s.default_errno_ret));
  SeccompFilter f(seccomp_init(def));
  if (f.get() == nullptr) return absl::InternalError("seccomp_init failed");
  for (const std::string& arch : s.architectures) {
    ASSIGN_OR_RETURN(uint32_t token, SeccompArch(arch));
    int rc = seccomp_arch_add(f.get(), token);
    if (rc != 0 && rc != -EEXIST) return sys::ErrnoStatus(-rc, "seccomp architecture %s", arch);
  }
  RETURN_IF_ERROR(ApplyFlags(f.get(), s.flags));
  // A filter that may not stop the loading process from continuing: no-new-
  // privs is decided by the process spec, not by libseccomp.
  seccomp_attr_set(f.get(), SCMP_FLTATR_CTL_NNP, 0);
  for (size_t i = 0; i < s.syscalls.size(); i++) {
    const SeccompSyscall& sc = s.syscalls[i];
    auto action = SeccompAction(sc.action, sc.errno_ret);
    if (!action.ok()) {
      return sys::Annotate(action.status(), "linux.seccomp.syscalls[%d]", static_cast<int>(i));
    }
    if (*action == def) continue;
    for (const std::string& name : sc.names) {
      RETURN_IF_ERROR(AddRule(f.get(), sc, name, *action));
    }
  }
  return f;
}

namespace {

// libseccomp's program as cBPF instructions (seccomp_export_bpf writes them to
// an fd; 2.5 has no in-memory export).
absl::StatusOr<std::vector<sock_filter>> ExportBpf(const SeccompFilter& f) {
  sys::UniqueFd fd(::memfd_create("seccomp-bpf", MFD_CLOEXEC));
  if (!fd) return sys::ErrnoStatus(errno, "memfd for the seccomp program");
  int rc = seccomp_export_bpf(f.get(), fd.get());
  if (rc != 0) return sys::ErrnoStatus(-rc, "export the seccomp program");
  off_t size = ::lseek(fd.get(), 0, SEEK_END);
  if (size < 0 || size % sizeof(sock_filter) != 0) {
    return absl::InternalError("exported seccomp program has a partial instruction");
  }
  std::vector<sock_filter> prog(static_cast<size_t>(size) / sizeof(sock_filter));
  if (::pread(fd.get(), prog.data(), static_cast<size_t>(size), 0) != size) {
    return sys::ErrnoStatus(errno, "read back the seccomp program");
  }
  return prog;
}

uint32_t KernelFlags(const std::vector<std::string>& flags) {
  uint32_t out = 0;
  for (const std::string& f : flags) {  // names were checked by ApplyFlags
    if (f == "SECCOMP_FILTER_FLAG_TSYNC") out |= SECCOMP_FILTER_FLAG_TSYNC;
    if (f == "SECCOMP_FILTER_FLAG_LOG") out |= SECCOMP_FILTER_FLAG_LOG;
    if (f == "SECCOMP_FILTER_FLAG_SPEC_ALLOW") out |= SECCOMP_FILTER_FLAG_SPEC_ALLOW;
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<sock_filter>> SeccompProgram(const Seccomp& s) {
  ASSIGN_OR_RETURN(SeccompFilter f, BuildSeccomp(s));
  ASSIGN_OR_RETURN(std::vector<sock_filter> prog, ExportBpf(f));
  ASSIGN_OR_RETURN(std::vector<sock_filter> stub, EnosysStub(s));
  prog.insert(prog.begin(), stub.begin(), stub.end());
  if (prog.size() > BPF_MAXINSNS) {
    return absl::InvalidArgumentError(absl::StrCat("seccomp program of ", prog.size(),
                                                   " instructions is over the kernel's limit"));
  }
  return prog;
}

absl::Status LoadSeccomp(const Seccomp& s) {
  ASSIGN_OR_RETURN(std::vector<sock_filter> prog, SeccompProgram(s));
  // Loaded by hand, not by seccomp_load, because of the stub in front.
  sock_fprog fprog{static_cast<unsigned short>(prog.size()), prog.data()};
  if (::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, KernelFlags(s.flags), &fprog) != 0) {
    return sys::ErrnoStatus(errno, "load seccomp filter");
  }
  return absl::OkStatus();
}

}  // namespace cricket::oci::linux
