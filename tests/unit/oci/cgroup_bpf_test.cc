// The v2 device filter program generated from OCI device rules, compared
// instruction by instruction (as a readable listing) against runc's shape.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "oci/cgroup/bpf_devices.h"

namespace cricket::oci::cgroup {
namespace {

// A tiny disassembler for the opcodes the generator uses.
std::string Dis(const bpf_insn& i) {
  const std::string d = absl::StrCat("r", i.dst_reg), s = absl::StrCat("r", i.src_reg);
  switch (i.code) {
    case BPF_LDX | BPF_MEM | BPF_W: return absl::StrCat(d, " = *(u32*)(", s, "+", i.off, ")");
    case BPF_ALU | BPF_AND | BPF_K: return absl::StrCat(d, " &= ", i.imm);
    case BPF_ALU | BPF_RSH | BPF_K: return absl::StrCat(d, " >>= ", i.imm);
    case BPF_ALU | BPF_MOV | BPF_X: return absl::StrCat(d, " = ", s);
    case BPF_ALU64 | BPF_MOV | BPF_K: return absl::StrCat(d, " = ", i.imm);
    case BPF_JMP | BPF_JNE | BPF_K: return absl::StrCat("if ", d, " != ", i.imm, " goto +", i.off);
    case BPF_JMP | BPF_JNE | BPF_X: return absl::StrCat("if ", d, " != ", s, " goto +", i.off);
    case BPF_JMP | BPF_EXIT: return "exit";
  }
  return absl::StrCat("?", int(i.code));
}

std::vector<std::string> Listing(const std::vector<DeviceRule>& rules) {
  absl::StatusOr<std::vector<bpf_insn>> p = DeviceFilterProgram(rules);
  EXPECT_TRUE(p.ok()) << p.status();
  std::vector<std::string> out;
  for (const auto& i : p.value_or(std::vector<bpf_insn>{})) out.push_back(Dis(i));
  return out;
}

const std::vector<std::string> kPrologue = {
    "r2 = *(u32*)(r1+0)", "r2 &= 65535", "r3 = *(u32*)(r1+0)", "r3 >>= 16",
    "r4 = *(u32*)(r1+4)", "r5 = *(u32*)(r1+8)"};

std::vector<std::string> WithPrologue(std::vector<std::string> body) {
  std::vector<std::string> all = kPrologue;
  all.insert(all.end(), body.begin(), body.end());
  return all;
}

TEST(CgroupBpf, NoRulesDeniesEverything) {
  EXPECT_EQ(Listing({}), WithPrologue({"r0 = 0", "exit"}));
}

TEST(CgroupBpf, LastMatchingRuleWins) {
  std::vector<DeviceRule> rules = {
      {false, std::nullopt, std::nullopt, std::nullopt, "rwm"},  // deny all
      {true, "c", 1, 3, "rwm"},                                  // /dev/null
      {true, "c", 136, std::nullopt, "rw"},                      // ptys
  };
  std::vector<std::string> want = WithPrologue({
      // c 136:* rw (last rule first)
      "if r2 != 2 goto +6", "r1 = r3", "r1 &= 6", "if r1 != r3 goto +3", "if r4 != 136 goto +2",
      "r0 = 1", "exit",
      // c 1:3 rwm
      "if r2 != 2 goto +4", "if r4 != 1 goto +3", "if r5 != 3 goto +2", "r0 = 1", "exit",
      // a *:* rwm deny: unconditional, ends the program
      "r0 = 0", "exit"});
  EXPECT_EQ(Listing(rules), want) << absl::StrJoin(Listing(rules), "\n");
}

TEST(CgroupBpf, AllowAllShortCircuits) {
  std::vector<DeviceRule> rules = {{true, "b", 8, 0, "r"}, {true, "a", -1, -1, "rwm"}};
  EXPECT_EQ(Listing(rules), WithPrologue({"r0 = 1", "exit"}));
}

TEST(CgroupBpf, BlockMknodOnly) {
  std::vector<DeviceRule> rules = {{false, "b", std::nullopt, std::nullopt, "m"}};
  EXPECT_EQ(Listing(rules), WithPrologue({"if r2 != 1 goto +5", "r1 = r3", "r1 &= 1",
                                          "if r1 != r3 goto +2", "r0 = 0", "exit", "r0 = 0",
                                          "exit"}));
}

TEST(CgroupBpf, BadRules) {
  EXPECT_FALSE(DeviceFilterProgram({{true, "x", 1, 1, "r"}}).ok());
  EXPECT_FALSE(DeviceFilterProgram({{true, "c", 1, 1, "q"}}).ok());
}

}  // namespace
}  // namespace cricket::oci::cgroup
