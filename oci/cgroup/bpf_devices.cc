// Device-rule → eBPF program generation and the bpf(2) load/attach/detach.
#include "oci/cgroup/bpf_devices.h"

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>

#include "oci/sys/fds.h"
#include "oci/sys/status.h"
#include "oci/sys/unique_fd.h"

namespace cricket::oci::cgroup {
namespace {

bpf_insn Insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
  bpf_insn i;
  std::memset(&i, 0, sizeof(i));
  i.code = code;
  i.dst_reg = dst & 0xf;
  i.src_reg = src & 0xf;
  i.off = off;
  i.imm = imm;
  return i;
}

// struct bpf_cgroup_dev_ctx { u32 access_type; u32 major; u32 minor; }:
// r2 = device type (low 16 bits), r3 = access (high 16), r4 = major, r5 = minor.
void Prologue(std::vector<bpf_insn>& p) {
  p.push_back(Insn(BPF_LDX | BPF_MEM | BPF_W, BPF_REG_2, BPF_REG_1, 0, 0));
  p.push_back(Insn(BPF_ALU | BPF_AND | BPF_K, BPF_REG_2, 0, 0, 0xFFFF));
  p.push_back(Insn(BPF_LDX | BPF_MEM | BPF_W, BPF_REG_3, BPF_REG_1, 0, 0));
  p.push_back(Insn(BPF_ALU | BPF_RSH | BPF_K, BPF_REG_3, 0, 0, 16));
  p.push_back(Insn(BPF_LDX | BPF_MEM | BPF_W, BPF_REG_4, BPF_REG_1, 4, 0));
  p.push_back(Insn(BPF_LDX | BPF_MEM | BPF_W, BPF_REG_5, BPF_REG_1, 8, 0));
}

absl::StatusOr<int32_t> AccessBits(const std::string& access) {
  int32_t bits = 0;
  for (char c : access) {
    if (c == 'r') bits |= BPF_DEVCG_ACC_READ;
    else if (c == 'w') bits |= BPF_DEVCG_ACC_WRITE;
    else if (c == 'm') bits |= BPF_DEVCG_ACC_MKNOD;
    else return absl::InvalidArgumentError("device access \"" + access + "\": unknown letter");
  }
  return bits;
}

// Appends one rule's block; returns true if the block is unconditional.
absl::StatusOr<bool> AppendRule(const DeviceRule& d, std::vector<bpf_insn>& p) {
  const size_t start = p.size();
  const std::string type = d.type.value_or("a");
  if (type == "b" || type == "c") {
    int32_t t = type == "b" ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR;
    p.push_back(Insn(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_2, 0, 0, t));
  } else if (type != "a") {
    return absl::InvalidArgumentError("device type \"" + type + "\" is not a, b or c");
  }
  ASSIGN_OR_RETURN(int32_t acc, AccessBits(d.access.value_or("rwm")));
  const int32_t all = BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD;
  if (acc != all) {
    // Match only if every requested access bit is one the rule names.
    p.push_back(Insn(BPF_ALU | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_3, 0, 0));
    p.push_back(Insn(BPF_ALU | BPF_AND | BPF_K, BPF_REG_1, 0, 0, acc));
    p.push_back(Insn(BPF_JMP | BPF_JNE | BPF_X, BPF_REG_1, BPF_REG_3, 0, 0));
  }
  if (d.major && *d.major >= 0) {
    p.push_back(Insn(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_4, 0, 0, static_cast<int32_t>(*d.major)));
  }
  if (d.minor && *d.minor >= 0) {
    p.push_back(Insn(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_5, 0, 0, static_cast<int32_t>(*d.minor)));
  }
  const bool unconditional = p.size() == start;
  p.push_back(Insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, d.allow ? 1 : 0));
  p.push_back(Insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
  // Every conditional jump in the block skips to the next block.
  for (size_t i = start; i < p.size(); ++i) {
    if (BPF_CLASS(p[i].code) == BPF_JMP && BPF_OP(p[i].code) == BPF_JNE) {
      p[i].off = static_cast<int16_t>(p.size() - i - 1);
    }
  }
  return unconditional;
}

long Bpf(int cmd, bpf_attr& attr) { return ::syscall(SYS_bpf, cmd, &attr, sizeof(attr)); }

}  // namespace

absl::StatusOr<std::vector<bpf_insn>> DeviceFilterProgram(const std::vector<DeviceRule>& rules) {
  std::vector<bpf_insn> p;
  Prologue(p);
  for (auto it = rules.rbegin(); it != rules.rend(); ++it) {
    ASSIGN_OR_RETURN(bool unconditional, AppendRule(*it, p));
    if (unconditional) return p;  // earlier rules can never be reached
  }
  p.push_back(Insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0));
  p.push_back(Insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
  return p;
}

absl::StatusOr<sys::UniqueFd> LoadDeviceFilter(const std::vector<bpf_insn>& prog) {
  static const char kLicense[] = "Apache";
  bpf_attr load;
  std::memset(&load, 0, sizeof(load));
  load.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  load.insns = reinterpret_cast<uint64_t>(prog.data());
  load.insn_cnt = static_cast<uint32_t>(prog.size());
  load.license = reinterpret_cast<uint64_t>(kLicense);
  sys::UniqueFd fd(static_cast<int>(Bpf(BPF_PROG_LOAD, load)));
  if (!fd) return sys::ErrnoStatus(errno, "load device bpf program");
  return fd;
}

absl::Status AttachDeviceFilter(const std::string& cgroup_dir, const std::vector<bpf_insn>& prog) {
  absl::StatusOr<sys::UniqueFd> dir_fd = sys::Open(cgroup_dir, O_DIRECTORY | O_RDONLY);
  if (!dir_fd.ok()) return sys::Annotate(dir_fd.status(), "cgroup");
  sys::UniqueFd dir = std::move(*dir_fd);
  // The programs attached now are the previous policy, detached after ours is in.
  uint32_t old_ids[64] = {};
  bpf_attr q;
  std::memset(&q, 0, sizeof(q));
  q.query.target_fd = dir.get();
  q.query.attach_type = BPF_CGROUP_DEVICE;
  q.query.prog_ids = reinterpret_cast<uint64_t>(old_ids);
  q.query.prog_cnt = 64;
  if (Bpf(BPF_PROG_QUERY, q) != 0) return sys::ErrnoStatus(errno, "query bpf on %s", cgroup_dir);
  ASSIGN_OR_RETURN(sys::UniqueFd fd, LoadDeviceFilter(prog));
  bpf_attr at;
  std::memset(&at, 0, sizeof(at));
  at.target_fd = dir.get();
  at.attach_bpf_fd = fd.get();
  at.attach_type = BPF_CGROUP_DEVICE;
  at.attach_flags = BPF_F_ALLOW_MULTI;
  if (Bpf(BPF_PROG_ATTACH, at) != 0) return sys::ErrnoStatus(errno, "attach bpf to %s", cgroup_dir);
  for (uint32_t i = 0; i < q.query.prog_cnt && i < 64; ++i) {
    bpf_attr g;
    std::memset(&g, 0, sizeof(g));
    g.prog_id = old_ids[i];
    sys::UniqueFd old(static_cast<int>(Bpf(BPF_PROG_GET_FD_BY_ID, g)));
    if (!old) continue;  // already gone
    bpf_attr de;
    std::memset(&de, 0, sizeof(de));
    de.target_fd = dir.get();
    de.attach_bpf_fd = old.get();
    de.attach_type = BPF_CGROUP_DEVICE;
    if (Bpf(BPF_PROG_DETACH, de) != 0) {
      return sys::ErrnoStatus(errno, "detach old device program from %s", cgroup_dir);
    }
  }
  return absl::OkStatus();
}

}  // namespace cricket::oci::cgroup
