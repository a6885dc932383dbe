// The bash completion scripts the package installs (contrib/completions/,
// written by `PROGRAM completion bash` at build time), sourced in a real bash
// and driven the way bash's programmable completion drives them: COMP_WORDS
// and COMP_CWORD set, the function called, COMPREPLY read back.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "tests/fixtures/partners.h"
#include "tests/integration/packaging/packaging_helpers.h"

namespace cricket::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

const std::string kScripts = std::string(CRICKET_BINARY_DIR) + "/contrib/completions/";

class BashCompletion : public ::testing::Test {
 protected:
  void SetUp() override {
    bash_ = FindProgram("bash");
    if (bash_.empty()) GTEST_SKIP() << "no bash";
    for (const char* p : {"cricketctl", "cricket-oci"}) {
      if (!sys::PathExists(kScripts + p)) {
        if (InCI()) FAIL() << kScripts << p << " not built";
        GTEST_SKIP() << "build the `completions` target first";
      }
    }
  }

  // What the script offers for `words` (the last one is the word being
  // completed), one entry per COMPREPLY element.
  std::vector<std::string> Complete(const std::string& program,
                                    const std::vector<std::string>& words) {
    std::string fn = "_" + program;
    std::replace(fn.begin(), fn.end(), '-', '_');
    std::vector<std::string> argv = {
        bash_, "--norc", "-c",
        "source \"$1\" || exit 3; shift; COMP_WORDS=(\"$@\"); "
        "COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); " + fn +
            " || exit 4; printf '%s\\n' \"${COMPREPLY[@]}\"",
        "complete", kScripts + program};
    argv.insert(argv.end(), words.begin(), words.end());
    auto r = RunProgram(argv);
    EXPECT_TRUE(r.ok() && r->exit.code() == 0) << (r.ok() ? r->err : r.status().ToString());
    if (!r.ok()) return {};
    std::vector<std::string> out =
        absl::StrSplit(absl::StripSuffix(r->out, "\n"), '\n', absl::SkipEmpty());
    return out;
  }

  std::string bash_;
};

TEST_F(BashCompletion, CricketctlCompletesVerbsAndTheirFlags) {
  EXPECT_THAT(Complete("cricketctl", {"cricketctl", "ins"}),
              UnorderedElementsAre("inspect", "inspectp", "inspecti"));
  EXPECT_THAT(Complete("cricketctl", {"cricketctl", "ps", "--no"}), ElementsAre("--no-trunc"));
  EXPECT_THAT(Complete("cricketctl", {"cricketctl", "logs", "--t"}),
              UnorderedElementsAre("--tail", "--timestamps"));
  // run's and exec's flags come from the same table as the others'.
  EXPECT_THAT(Complete("cricketctl", {"cricketctl", "run", "--na"}), ElementsAre("--name"));
  EXPECT_THAT(Complete("cricketctl", {"cricketctl", "exec", "--sy"}), ElementsAre("--sync"));
}

TEST_F(BashCompletion, CricketctlSkipsGlobalFlagsAndTheirValues) {
  // "-r /run/x.sock" is a global flag with its value: "ps" is the command.
  EXPECT_THAT(Complete("cricketctl", {"cricketctl", "-r", "/run/x.sock", "ps", "--la"}),
              UnorderedElementsAre("--label", "--last", "--latest"));
  EXPECT_THAT(Complete("cricketctl", {"cricketctl", "--runt"}),
              ElementsAre("--runtime-endpoint"));
  // A flag's value is left to bash's file completion: no words offered.
  EXPECT_THAT(Complete("cricketctl", {"cricketctl", "logs", "--since", ""}), IsEmpty());
}

TEST_F(BashCompletion, CricketctlOffersEveryCommandItsHelpLists) {
  auto help = RunProgram({BuiltProgram("cri/cricketctl"), "--help"});
  ASSERT_TRUE(help.ok() && help->exit.code() == 0);
  std::vector<std::string> offered = Complete("cricketctl", {"cricketctl", ""});
  bool in_commands = false;
  int seen = 0;
  std::vector<std::string> lines = absl::StrSplit(help->out, '\n');
  for (const std::string& line : lines) {
    if (line.starts_with("commands")) in_commands = true;
    if (!in_commands || !line.starts_with("  ")) continue;
    std::vector<std::string> words = absl::StrSplit(line, ' ', absl::SkipEmpty());
    EXPECT_THAT(offered, Contains(words[0]));
    seen++;
  }
  EXPECT_GT(seen, 20) << help->out;
}

TEST_F(BashCompletion, CricketOciCompletesVerbsAndFlags) {
  EXPECT_THAT(Complete("cricket-oci", {"cricket-oci", "ki"}), ElementsAre("kill"));
  EXPECT_THAT(Complete("cricket-oci", {"cricket-oci", "create", "--bun"}), ElementsAre("--bundle"));
  EXPECT_THAT(Complete("cricket-oci", {"cricket-oci", "--ro"}),
              UnorderedElementsAre("--root", "--rootless"));
  // --root takes a value: "state" after it is the verb.
  EXPECT_THAT(Complete("cricket-oci", {"cricket-oci", "--root", "/run/x", "delete", "--fo"}),
              ElementsAre("--force"));
}

TEST_F(BashCompletion, BuiltScriptIsWhatTheProgramPrints) {
  for (const char* p : {"cri/cricketctl", "oci/cricket-oci"}) {
    std::string name = std::string(p).substr(std::string(p).find('/') + 1);
    auto printed = RunProgram({BuiltProgram(p), "completion", "bash"});
    ASSERT_TRUE(printed.ok() && printed->exit.code() == 0) << p;
    auto file = sys::ReadFile(kScripts + name);
    ASSERT_TRUE(file.ok()) << file.status();
    EXPECT_EQ(*file, printed->out) << name;
    EXPECT_THAT(printed->out, ::testing::HasSubstr("complete -o default -F _"));
  }
}

}  // namespace
}  // namespace cricket::testing
