// The security context: capabilities (defaults, add/drop, "ALL"),
// privileged, no_new_privs, seccomp (RuntimeDefault, Unconfined, Localhost),
// masked and read-only paths, read-only rootfs. AppArmor and SELinux are
// accepted and reported as not enforced.
#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "cri/api/proc_mount.h"
#include "oci/sys/capability_names.h"
#include "pod/spec/builders.h"

// Older kubelets still send the deprecated seccomp_profile_path and
// apparmor_profile fields, so they are read on purpose.
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

namespace cricket::pod::spec {
namespace {

using runtime::v1::SecurityProfile;

std::string CapName(const std::string& c) {
  std::string up = absl::AsciiStrToUpper(c);
  return absl::StartsWith(up, "CAP_") ? up : "CAP_" + up;
}

absl::StatusOr<std::vector<std::string>> Capabilities(const Inputs& in) {
  const auto& sc = in.config->linux().security_context();
  if (sc.privileged()) return AllCapabilities();
  std::vector<std::string> caps;
  for (const auto& c : in.defaults.capabilities) caps.push_back(CapName(c));
  const auto& all = AllCapabilities();
  auto known = [&](const std::string& c) -> absl::Status {
    if (std::find(all.begin(), all.end(), c) == all.end()) {
      return absl::InvalidArgumentError(absl::StrCat("unknown capability \"", c, "\""));
    }
    return absl::OkStatus();
  };
  for (const auto& d : sc.capabilities().drop_capabilities()) {
    std::string c = CapName(d);
    if (c == "CAP_ALL") {
      caps.clear();
      continue;
    }
    if (auto st = known(c); !st.ok()) return st;
    caps.erase(std::remove(caps.begin(), caps.end(), c), caps.end());
  }
  for (const auto& a : sc.capabilities().add_capabilities()) {
    std::string c = CapName(a);
    if (c == "CAP_ALL") return all;
    if (auto st = known(c); !st.ok()) return st;
    if (std::find(caps.begin(), caps.end(), c) == caps.end()) caps.push_back(c);
  }
  return caps;
}

// The profile the request asks for: empty result means unconfined.
absl::StatusOr<nlohmann::json> Seccomp(const Inputs& in, const std::vector<std::string>& caps) {
  const auto& sc = in.config->linux().security_context();
  std::string type, path;
  if (sc.has_seccomp()) {
    switch (sc.seccomp().profile_type()) {
      case SecurityProfile::RuntimeDefault: type = "default"; break;
      case SecurityProfile::Unconfined: type = "unconfined"; break;
      case SecurityProfile::Localhost: type = "localhost"; path = sc.seccomp().localhost_ref(); break;
      default: break;
    }
  } else {
    const std::string& p = sc.seccomp_profile_path();  // deprecated form
    if (p == "runtime/default" || p == "docker/default") type = "default";
    if (absl::StartsWith(p, "localhost/")) {
      type = "localhost";
      path = p.substr(strlen("localhost"));
    }
  }
  if (sc.privileged() && type != "localhost") type = "unconfined";
  if (type.empty() || type == "unconfined") return nlohmann::json();
  if (type == "default" && in.default_seccomp_path.empty()) return DefaultSeccompProfile(caps);
  if (type == "default") path = in.default_seccomp_path;
  if (!in.host.read_file) return absl::InternalError("no file reader for seccomp profiles");
  auto text = in.host.read_file(path);
  if (!text.ok()) return absl::Status(text.status().code(), absl::StrCat("seccomp profile ", path, ": ", text.status().message()));
  nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return absl::InvalidArgumentError(absl::StrCat("seccomp profile ", path, " is not a JSON object"));
  }
  return j;
}

// The lists as the kubelet sent them: empty ones are procMount Unmasked
// (cri/api/proc_mount.h), honoured rather than replaced by defaults.
void ApplyProcMount(const runtime::v1::LinuxContainerSecurityContext& sc, Output& out) {
  out.spec["linux"]["maskedPaths"] =
      std::vector<std::string>(sc.masked_paths().begin(), sc.masked_paths().end());
  out.spec["linux"]["readonlyPaths"] =
      std::vector<std::string>(sc.readonly_paths().begin(), sc.readonly_paths().end());
  if (cri_api::IsUnmaskedProcMount(sc)) {
    out.warnings.push_back(
        "procMount Unmasked: masked_paths and readonly_paths are empty, so /proc and /sys "
        "are neither masked nor read-only");
  }
}

}  // namespace

const std::vector<std::string>& AllCapabilities() {
  static const std::vector<std::string> kAll(std::begin(sys::kCapabilityNames),
                                             std::end(sys::kCapabilityNames));
  return kAll;
}

absl::Status ApplySecurity(const Inputs& in, Output& out) {
  const auto& sc = in.config->linux().security_context();
  auto caps = Capabilities(in);
  if (!caps.ok()) return caps.status();
  auto& p = out.spec["process"];
  std::vector<std::string> ambient;
  for (const auto& a : sc.capabilities().add_ambient_capabilities()) ambient.push_back(CapName(a));
  // Inheritable stays empty (the peers' fix for CVE-2022-24769).
  p["capabilities"] = {{"bounding", *caps}, {"effective", *caps}, {"permitted", *caps},
                       {"inheritable", nlohmann::json::array()}, {"ambient", ambient}};
  p["noNewPrivileges"] = sc.no_new_privs();
  auto seccomp = Seccomp(in, *caps);
  if (!seccomp.ok()) return seccomp.status();
  if (!seccomp->is_null()) out.spec["linux"]["seccomp"] = *seccomp;
  if (!sc.privileged()) ApplyProcMount(sc, out);
  out.spec["root"] = {{"path", in.rootfs}, {"readonly", sc.readonly_rootfs()}};
  bool apparmor = (sc.has_apparmor() && sc.apparmor().profile_type() != SecurityProfile::Unconfined) ||
                  (!sc.apparmor_profile().empty() && sc.apparmor_profile() != "unconfined");
  if (apparmor) out.warnings.push_back("AppArmor profile accepted but not enforced by cricket");
  if (sc.has_selinux_options() && !sc.selinux_options().type().empty()) {
    out.warnings.push_back("SELinux options accepted but not enforced by cricket");
  }
  return absl::OkStatus();
}

}  // namespace cricket::pod::spec
