// The -ENOSYS stub: a few cBPF instructions, put in front of libseccomp's
// program, that compare the syscall number with the newest one the profile
// knows for the calling architecture.
#include "oci/linux/seccomp_enosys.h"

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>

#include "absl/strings/str_cat.h"
#include "oci/linux/seccomp.h"
#include "oci/sys/status.h"

namespace cricket::oci::linux {
namespace {

constexpr uint32_t kX32Bit = 0x40000000;  // __X32_SYSCALL_BIT
constexpr int kNext = -1;                 // a jump target: the next instruction

// A forward-only assembler: jumps name labels that are bound later, so the
// stub is written in reading order and the offsets are worked out at the end.
class StubAsm {
 public:
  int NewLabel() {
    pos_.push_back(-1);
    return static_cast<int>(pos_.size()) - 1;
  }
  void Bind(int label) { pos_[label] = static_cast<int>(code_.size()); }
  void Load(uint32_t offset) { code_.push_back({BPF_LD | BPF_W | BPF_ABS, offset, kNext, kNext}); }
  void Jump(uint16_t op, uint32_t k, int jt, int jf) {
    code_.push_back({static_cast<uint16_t>(BPF_JMP | op | BPF_K), k, jt, jf});
  }
  void Goto(int label) { code_.push_back({BPF_JMP | BPF_JA, 0, label, kNext}); }
  void Ret(uint32_t k) { code_.push_back({BPF_RET | BPF_K, k, kNext, kNext}); }

  absl::StatusOr<std::vector<sock_filter>> Finish() const {
    std::vector<sock_filter> out;
    for (size_t i = 0; i < code_.size(); i++) {
      const Insn& in = code_[i];
      auto off = [&](int label) -> absl::StatusOr<int> {
        if (label == kNext) return 0;
        int d = pos_[label] - static_cast<int>(i) - 1;
        if (pos_[label] < 0 || d < 0) return absl::InternalError("seccomp stub: unbound label");
        return d;
      };
      ASSIGN_OR_RETURN(int jt, off(in.jt));
      ASSIGN_OR_RETURN(int jf, off(in.jf));
      if (in.code == (BPF_JMP | BPF_JA)) {
        out.push_back({in.code, 0, 0, static_cast<uint32_t>(jt)});
        continue;
      }
      if (jt > 255 || jf > 255) return absl::InternalError("seccomp stub: jump too long");
      out.push_back({in.code, static_cast<uint8_t>(jt), static_cast<uint8_t>(jf), in.k});
    }
    return out;
  }

 private:
  struct Insn {
    uint16_t code;
    uint32_t k;
    int jt, jf;  // labels (or kNext); a JA keeps its target in jt
  };
  std::vector<Insn> code_;
  std::vector<int> pos_;
};

// Allow-like defaults let new syscalls through already; an ENOSYS default
// needs no help.
bool NeedsStub(const Seccomp& s) {
  const std::string& a = s.default_action;
  if (a == "SCMP_ACT_ALLOW" || a == "SCMP_ACT_LOG" || a == "SCMP_ACT_TRACE") return false;
  return !(a == "SCMP_ACT_ERRNO" && s.default_errno_ret == ENOSYS);
}

// x86_64's section: x32 calls (bit 30) and native ones have their own limits;
// a mode the profile does not list goes to the filter, whose bad-arch action
// handles it.
void X86_64Section(StubAsm& a, const std::map<uint32_t, uint32_t>& modes, int enosys,
                   int filter) {
  auto x64 = modes.find(SCMP_ARCH_X86_64);
  auto x32 = modes.find(SCMP_ARCH_X32);
  int x32_label = x32 != modes.end() ? a.NewLabel() : filter;
  a.Jump(BPF_JSET, kX32Bit, x32_label, kNext);
  if (x64 != modes.end()) {
    a.Jump(BPF_JGT, x64->second, enosys, filter);
  } else {
    a.Goto(filter);
  }
  if (x32 != modes.end()) {
    a.Bind(x32_label);
    a.Jump(BPF_JGT, x32->second, enosys, filter);
  }
}

}  // namespace

absl::StatusOr<LastSyscalls> FindLastSyscalls(const Seccomp& s) {
  std::vector<uint32_t> tokens;
  for (const std::string& arch : s.architectures) {
    ASSIGN_OR_RETURN(uint32_t token, SeccompArch(arch));
    tokens.push_back(token);
  }
  if (tokens.empty()) tokens.push_back(seccomp_arch_native());
  LastSyscalls last;
  for (uint32_t token : tokens) {
    int newest = -1;
    for (const SeccompSyscall& rule : s.syscalls) {
      for (const std::string& name : rule.names) {
        // Negative: unknown to libseccomp, or a pseudo number (not on this arch).
        newest = std::max(newest, seccomp_syscall_resolve_name_arch(token, name.c_str()));
      }
    }
    if (newest < 0) continue;
    uint32_t audit = token == SCMP_ARCH_X32 ? SCMP_ARCH_X86_64 : token;
    last[audit][token] = static_cast<uint32_t>(newest);
  }
  return last;
}

absl::StatusOr<std::vector<sock_filter>> EnosysStub(const Seccomp& s) {
  if (!NeedsStub(s)) return std::vector<sock_filter>{};
  ASSIGN_OR_RETURN(LastSyscalls last, FindLastSyscalls(s));
  if (last.empty()) return std::vector<sock_filter>{};
  StubAsm a;
  int filter = a.NewLabel();
  int enosys = a.NewLabel();
  a.Load(offsetof(seccomp_data, arch));
  std::vector<int> sections;
  for (const auto& [audit, modes] : last) {
    sections.push_back(a.NewLabel());
    a.Jump(BPF_JEQ, audit, sections.back(), kNext);
  }
  a.Goto(filter);
  size_t i = 0;
  for (const auto& [audit, modes] : last) {
    a.Bind(sections[i++]);
    a.Load(offsetof(seccomp_data, nr));
    if (audit == AUDIT_ARCH_X86_64) {
      X86_64Section(a, modes, enosys, filter);
    } else {
      // One token per other audit arch: their 32/64-bit variants differ in it.
      a.Jump(BPF_JGT, modes.begin()->second, enosys, filter);
    }
  }
  a.Bind(enosys);
  a.Ret(SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA));
  a.Bind(filter);
  return a.Finish();
}

}  // namespace cricket::oci::linux
