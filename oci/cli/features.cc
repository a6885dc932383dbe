// `cricket-oci features`: what this runtime supports, in the runtime-spec
// features.json format that `runc features` prints.
#include <seccomp.h>

#include <cstdio>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "oci/cli/command.h"
#include "oci/sys/capability_names.h"

namespace cricket::oci::cli {
namespace {

nlohmann::ordered_json Linux() {
  nlohmann::ordered_json l;
  l["namespaces"] = {"cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts"};
  l["capabilities"] = nlohmann::ordered_json::array();
  for (std::string_view cap : sys::kCapabilityNames) l["capabilities"].push_back(std::string(cap));
  l["cgroup"] = {{"v1", true}, {"v2", true}, {"systemd", true}, {"systemdUser", false}};
  l["seccomp"] = {
      {"enabled", true},
      {"actions",
       {"SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
        "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY", "SCMP_ACT_TRACE",
        "SCMP_ACT_TRAP"}},
      {"operators",
       {"SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT",
        "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE"}},
      {"archs", {"SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM", "SCMP_ARCH_X86", "SCMP_ARCH_X86_64",
                 "SCMP_ARCH_X32"}},
      {"knownFlags",
       {"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
        "SECCOMP_FILTER_FLAG_SPEC_ALLOW"}}};
  // "Compiled in", per the features spec, not whether this host enables it:
  // the engine applies process.apparmorProfile (linux/apparmor) where it does.
  l["apparmor"] = {{"enabled", true}};
  l["selinux"] = {{"enabled", false}};
  return l;
}

int Run(Context& ctx, const Args& args) {
  nlohmann::ordered_json f;
  f["ociVersionMin"] = "1.0.0";
  f["ociVersionMax"] = "1.2.0";
  f["hooks"] = {"prestart",   "createRuntime", "createContainer",
                "startContainer", "poststart", "poststop"};
  f["mountOptions"] = {
      "async",  "atime",   "bind",   "defaults", "dev",     "diratime", "dirsync", "exec",
      "iversion", "lazytime", "loud", "mand",    "noatime", "nodev",    "nodiratime", "noexec",
      "noiversion", "nolazytime", "nomand", "norelatime", "nostrictatime", "nosuid",
      "nosymfollow", "private", "rbind", "relatime", "remount", "ro", "rprivate", "rro",
      "rshared", "rslave", "runbindable", "rw", "shared", "silent", "slave", "strictatime",
      "suid", "symfollow", "sync", "unbindable"};
  f["linux"] = Linux();
  const scmp_version* v = seccomp_version();
  f["annotations"] = {
      {"io.github.seccomp.libseccomp.version",
       absl::StrCat(v->major, ".", v->minor, ".", v->micro)},
      {"org.cricket.oci.version", CRICKET_VERSION}};
  std::printf("%s\n", f.dump(4).c_str());
  return 0;
}

}  // namespace

Command FeaturesVerb() {
  return {"features", "", "show the enabled features (runtime-spec features.json)", {}, false,
          Run};
}

}  // namespace cricket::oci::cli
