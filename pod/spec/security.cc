// The security context: capabilities (defaults, add/drop, "ALL"),
// privileged, no_new_privs, seccomp (RuntimeDefault, Unconfined, Localhost),
// masked and read-only paths, read-only rootfs, AppArmor (RuntimeDefault,
// Localhost, Unconfined). SELinux is accepted and reported as not enforced.
#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "cri/api/proc_mount.h"
#include "oci/spec_json.h"
#include "oci/sys/capability_names.h"
#include "oci/sys/status.h"
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

// What privileged containers and "ALL" get: what the runtime holds (all
// known when the caller did not say), in kernel order.
std::vector<std::string> Available(const Inputs& in) {
  const auto& held = in.defaults.available_capabilities;
  return held.empty() ? AllCapabilities() : held;
}

// A capability named by the request or the node's defaults: known to
// Linux, and held by the runtime (capset would fail with EPERM otherwise).
absl::Status CheckNamed(const std::string& c, const std::vector<std::string>& held,
                        const std::string& where) {
  const auto& all = AllCapabilities();
  if (std::find(all.begin(), all.end(), c) == all.end()) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": unknown capability \"", c, "\""));
  }
  if (std::find(held.begin(), held.end(), c) == held.end()) {
    return absl::FailedPreconditionError(absl::StrCat(
        where, ": ", c, " is not available on this node (cricketd does not hold it, so no "
        "container can get it)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> Capabilities(const Inputs& in) {
  const auto& sc = in.config->linux().security_context();
  const std::vector<std::string> held = Available(in);
  if (sc.privileged()) return held;
  const auto& add = sc.capabilities().add_capabilities();
  bool add_all = std::any_of(add.begin(), add.end(), [](const auto& a) { return CapName(a) == "CAP_ALL"; });
  std::vector<std::string> caps;
  if (add_all) {
    caps = held;  // containerd's order: ALL, then the single drops
  } else {
    for (const auto& c : in.defaults.capabilities) {
      RETURN_IF_ERROR(CheckNamed(CapName(c), held, "runtime.default_capabilities"));
      caps.push_back(CapName(c));
    }
  }
  for (const auto& d : sc.capabilities().drop_capabilities()) {
    std::string c = CapName(d);
    if (c == "CAP_ALL") {
      caps.clear();
      continue;
    }
    RETURN_IF_ERROR(CheckNamed(c, AllCapabilities(), "drop_capabilities"));
    caps.erase(std::remove(caps.begin(), caps.end(), c), caps.end());
  }
  for (const auto& a : add) {
    std::string c = CapName(a);
    if (c == "CAP_ALL") continue;
    RETURN_IF_ERROR(CheckNamed(c, held, "add_capabilities"));
    if (std::find(caps.begin(), caps.end(), c) == caps.end()) caps.push_back(c);
  }
  return caps;
}

// The deprecated seccomp_profile_path: "", "unconfined", "runtime/default",
// "docker/default" or "localhost/<path>". Anything else used to run
// unconfined without a word; now it is refused.
absl::Status SeccompFromPath(const std::string& p, std::string* type, std::string* path) {
  if (p.empty() || p == "unconfined") {
    *type = "unconfined";
  } else if (p == "runtime/default" || p == "docker/default") {
    *type = "default";
  } else if (absl::StartsWith(p, "localhost/") && p.size() > strlen("localhost/")) {
    *type = "localhost";
    *path = p.substr(strlen("localhost"));  // "localhost//var/x.json" and "localhost/var/x.json"
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "security_context.seccomp_profile_path \"", p,
        "\" is not runtime/default, docker/default, unconfined or localhost/<path of a profile>"));
  }
  return absl::OkStatus();
}

absl::Status SeccompFromProfile(const SecurityProfile& sp, std::string* type, std::string* path) {
  if (sp.profile_type() != SecurityProfile::Localhost && !sp.localhost_ref().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "security_context.seccomp.localhost_ref \"", sp.localhost_ref(),
        "\" is set but profile_type is not Localhost"));
  }
  switch (sp.profile_type()) {
    case SecurityProfile::RuntimeDefault: *type = "default"; break;
    case SecurityProfile::Unconfined: *type = "unconfined"; break;
    case SecurityProfile::Localhost:
      if (!absl::StartsWith(sp.localhost_ref(), "/")) {
        return absl::InvalidArgumentError(absl::StrCat(
            "security_context.seccomp.localhost_ref \"", sp.localhost_ref(),
            "\" must be the absolute path of a profile on the node"));
      }
      *type = "localhost";
      *path = sp.localhost_ref();
      break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("security_context.seccomp: unknown profile_type ", sp.profile_type()));
  }
  return absl::OkStatus();
}

// The profile the request asks for: nullopt means unconfined.
absl::StatusOr<std::optional<oci::Seccomp>> SeccompProfile(const Inputs& in,
                                                           const std::vector<std::string>& caps) {
  const auto& sc = in.config->linux().security_context();
  std::string type, path;
  RETURN_IF_ERROR(sc.has_seccomp() ? SeccompFromProfile(sc.seccomp(), &type, &path)
                                   : SeccompFromPath(sc.seccomp_profile_path(), &type, &path));
  if (sc.privileged() && type != "localhost") type = "unconfined";
  if (type == "unconfined") return std::nullopt;
  if (type == "default" && in.default_seccomp_path.empty()) return DefaultSeccompProfile(caps);
  if (type == "default") path = in.default_seccomp_path;
  if (!in.host.read_file) return absl::InternalError("no file reader for seccomp profiles");
  auto text = in.host.read_file(path);
  if (!text.ok()) return absl::Status(text.status().code(), absl::StrCat("seccomp profile ", path, ": ", text.status().message()));
  return oci::ParseSeccompProfile(*text, path);
}

// The lists as the kubelet sent them: empty ones are procMount Unmasked
// (cri/api/proc_mount.h), honoured rather than replaced by defaults.
void ApplyProcMount(const runtime::v1::LinuxContainerSecurityContext& sc, Output& out) {
  oci::Linux& l = LinuxOf(out);
  l.masked_paths.emplace(sc.masked_paths().begin(), sc.masked_paths().end());
  l.readonly_paths.emplace(sc.readonly_paths().begin(), sc.readonly_paths().end());
  if (cri_api::IsUnmaskedProcMount(sc)) {
    out.warnings.push_back(
        "procMount Unmasked: masked_paths and readonly_paths are empty, so /proc and /sys "
        "are neither masked nor read-only");
  }
}

// The AppArmor profile for process.apparmorProfile ("" = none), as
// containerd chooses it: RuntimeDefault, or nothing asked of an unprivileged
// container, gets the node's default; Localhost a profile the node has loaded.
absl::StatusOr<std::string> AppArmorProfile(const Inputs& in, Output& out) {
  const auto& sc = in.config->linux().security_context();
  std::string want;  // "runtime/default", "localhost/<name>" or "unconfined"
  if (sc.has_apparmor()) {
    switch (sc.apparmor().profile_type()) {
      case SecurityProfile::RuntimeDefault: want = "runtime/default"; break;
      case SecurityProfile::Localhost: want = "localhost/" + sc.apparmor().localhost_ref(); break;
      default: want = "unconfined";
    }
  } else if (!sc.apparmor_profile().empty()) {
    want = sc.apparmor_profile();
  } else {
    want = sc.privileged() ? "unconfined" : "runtime/default";
  }
  const std::string& def = in.defaults.apparmor_default_profile;
  if (want == "unconfined") return std::string();
  if (want == "runtime/default") {
    if (def.empty() && (sc.has_apparmor() || !sc.apparmor_profile().empty())) {
      out.warnings.push_back("AppArmor RuntimeDefault asked, but AppArmor is off on this node");
    }
    return def;
  }
  if (!absl::StartsWith(want, "localhost/") || want.size() == 10) {
    return absl::InvalidArgumentError(absl::StrCat("apparmor profile \"", want,
                                                   "\": want runtime/default, localhost/<name> or unconfined"));
  }
  std::string name = want.substr(10);
  if (def.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "apparmor profile \"", name, "\": AppArmor is off on this node"));
  }
  // Loaded profiles, one "name (mode)" a line.
  if (!in.host.read_file) return absl::InternalError("no file reader for AppArmor profiles");
  auto loaded = in.host.read_file("/sys/kernel/security/apparmor/profiles");
  if (!loaded.ok() || !absl::StrContains("\n" + *loaded, absl::StrCat("\n", name, " ("))) {
    return absl::FailedPreconditionError(absl::StrCat(
        "apparmor profile \"", name, "\" is not loaded on this node (load it with apparmor_parser)"));
  }
  return name;
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
  oci::Process& p = ProcessOf(out);
  std::vector<std::string> ambient;
  for (const auto& a : sc.capabilities().add_ambient_capabilities()) ambient.push_back(CapName(a));
  // Inheritable stays empty (the peers' fix for CVE-2022-24769).
  p.capabilities = oci::Capabilities{.bounding = *caps,
                                     .effective = *caps,
                                     .inheritable = {},
                                     .permitted = *caps,
                                     .ambient = std::move(ambient)};
  p.no_new_privileges = sc.no_new_privs();
  ASSIGN_OR_RETURN(std::optional<oci::Seccomp> seccomp, SeccompProfile(in, *caps));
  if (seccomp) LinuxOf(out).seccomp = std::move(*seccomp);
  if (!sc.privileged()) ApplyProcMount(sc, out);
  out.spec.root = oci::Root{.path = in.rootfs, .readonly = sc.readonly_rootfs()};
  ASSIGN_OR_RETURN(std::string apparmor, AppArmorProfile(in, out));
  p.apparmor_profile = std::move(apparmor);
  if (sc.has_selinux_options() && !sc.selinux_options().type().empty()) {
    out.warnings.push_back("SELinux options accepted but not enforced by cricket");
  }
  return absl::OkStatus();
}

}  // namespace cricket::pod::spec
