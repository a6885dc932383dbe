// The pure halves of driving CRIU: its log's reasons as the error text, and
// the external mounts and flags given to criu dump/restore (runc's choices).
#include <gtest/gtest.h>

#include "oci/checkpoint_internal.h"
#include "oci/criu.h"

namespace cricket::oci {
namespace {

// What Debian 12's criu 3.17 logs on a 6.18 kernel (vvar_vclock is new to it).
constexpr char kLog[] =
    "(00.000043) Version: 3.17.1 (gitid 0)\n"
    "(00.010011) Error (criu/vdso.c:381): vdso: Unexpected rt vDSO area bounds\n"
    "(00.010013) Error (criu/vdso.c:613): vdso: Failed to fill self vdso symtable\n"
    "(00.010038) Adjust mmap_min_addr 0x1000 -> 0x10000\n"
    "Error (criu/crtools.c:260): Could not initialize kernel features detection.\n"
    "(00.020000) Error (criu/vdso.c:381): vdso: Unexpected rt vDSO area bounds\n";

TEST(CriuLogErrors, DistinctMessagesInOrder) {
  EXPECT_EQ(CriuLogErrors(kLog),
            "vdso: Unexpected rt vDSO area bounds; vdso: Failed to fill self vdso symtable; "
            "Could not initialize kernel features detection.");
  EXPECT_EQ(CriuLogErrors(kLog, 1), "vdso: Unexpected rt vDSO area bounds");
  EXPECT_EQ(CriuLogErrors("(00.1) Dumping finished successfully\n"), "");
}

TEST(CriuArgs, ExternalMountsForDumpAndRestore) {
  Spec spec;
  spec.mounts = {{"/proc", "proc", "proc", {}, {}, {}},
                 {"/data", "bind", "/host/data", {"rbind", "ro"}, {}, {}},
                 {"/etc/hosts", "", "/host/hosts", {"bind"}, {}, {}},
                 {"/sys/fs/cgroup", "cgroup", "cgroup", {}, {}, {}}};
  internal::ExternalMountInput in{&spec, false, {"/proc/kcore"}, {"/sys/fs/cgroup/cpu"}, "/x/y"};
  EXPECT_EQ(internal::ExternalMountFlags(in),
            (std::vector<std::string>{"--external", "mnt[/data]:/data", "--external",
                                      "mnt[/etc/hosts]:/etc/hosts", "--external",
                                      "mnt[/sys/fs/cgroup/cpu]:/sys/fs/cgroup/cpu", "--external",
                                      "mnt[/proc/kcore]:/proc/kcore"}));
  in.restore = true;
  EXPECT_EQ(internal::ExternalMountFlags(in),
            (std::vector<std::string>{"--external", "mnt[/data]:/host/data", "--external",
                                      "mnt[/etc/hosts]:/host/hosts", "--external",
                                      "mnt[/sys/fs/cgroup/cpu]:/sys/fs/cgroup/cpu/x/y",
                                      "--external", "mnt[/proc/kcore]:/dev/null"}));
  // With a cgroup namespace the cgroup mount is the container's own.
  spec.linux_spec.emplace();
  spec.linux_spec->namespaces.push_back({"cgroup", ""});
  in.masked_files.clear();
  EXPECT_EQ(internal::ExternalMountFlags(in).size(), 4u);
}

TEST(CriuArgs, CommonFlagsAndTheirRefusals) {
  auto f = internal::CriuFlags({true, false, true, true, false, "", {"network"}});
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(*f, (std::vector<std::string>{"--manage-cgroups=soft", "--tcp-established",
                                          "--shell-job", "--file-locks", "--empty-ns", "net"}));
  EXPECT_EQ(internal::CriuFlags({false, false, false, false, false, "loose", {}}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(internal::CriuFlags({false, false, false, false, false, "", {"pid"}}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(FindCriu, NamesWhatWasLookedFor) {
  auto missing = FindCriu("/nonexistent/criu");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(missing.status().message().find("criu not found at /nonexistent/criu"),
            std::string::npos);
  auto not_in_path = FindCriu("no-such-criu-binary");
  EXPECT_NE(not_in_path.status().message().find("not found in PATH"), std::string::npos)
      << not_in_path.status();
}

TEST(CheckCriu, AMissingCriuIsAWarningNamingIt) {
  sys::CheckResult r = CheckCriu("/nonexistent/criu");
  EXPECT_EQ(r.level, sys::CheckLevel::kWarn);
  EXPECT_EQ(r.name, "criu");
  EXPECT_NE(r.detail.find("CheckpointContainer unavailable: criu not found at /nonexistent/criu"),
            std::string::npos)
      << r.detail;
}

}  // namespace
}  // namespace cricket::oci
