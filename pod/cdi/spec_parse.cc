// ParseSpec: the schema of a CDI spec file read through internal::Reader,
// then the checks the reference implementation makes (names, edits, the
// minimum cdiVersion for the fields used).
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "oci/sys/status.h"
#include "pod/cdi/doc.h"
#include "pod/cdi/names.h"
#include "pod/cdi/spec_file.h"
#include "pod/cdi/version.h"

namespace cricket::pod::cdi {
namespace {

using internal::Index;
using internal::json;
using internal::Join;
using internal::Reader;

absl::Status Invalid(const std::string& path, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", why));
}

absl::Status ReadDeviceNode(const Reader& r, const json& v, const std::string& p, DeviceNode& d) {
  RETURN_IF_ERROR(r.Object(v, p, {"path", "hostPath", "type", "major", "minor", "fileMode",
                                  "permissions", "uid", "gid"}));
  RETURN_IF_ERROR(r.String(v, "path", p, &d.path, /*required=*/true));
  RETURN_IF_ERROR(r.String(v, "hostPath", p, &d.host_path));
  RETURN_IF_ERROR(r.String(v, "type", p, &d.type));
  RETURN_IF_ERROR(r.Int64(v, "major", p, &d.major));
  RETURN_IF_ERROR(r.Int64(v, "minor", p, &d.minor));
  RETURN_IF_ERROR(r.Uint32(v, "fileMode", p, &d.file_mode));
  RETURN_IF_ERROR(r.String(v, "permissions", p, &d.permissions));
  RETURN_IF_ERROR(r.Uint32(v, "uid", p, &d.uid));
  RETURN_IF_ERROR(r.Uint32(v, "gid", p, &d.gid));
  if (d.path[0] != '/') return Invalid(Join(p, "path"), "must be an absolute path");
  if (!d.type.empty() && d.type != "b" && d.type != "c" && d.type != "u" && d.type != "p") {
    return Invalid(Join(p, "type"), absl::StrCat("unknown device type \"", d.type, "\""));
  }
  if (d.permissions.find_first_not_of("rwm") != std::string::npos) {
    return Invalid(Join(p, "permissions"), "may only hold r, w and m");
  }
  return absl::OkStatus();
}

absl::Status ReadMount(const Reader& r, const json& v, const std::string& p, Mount& m) {
  RETURN_IF_ERROR(r.Object(v, p, {"hostPath", "containerPath", "options", "type"}));
  RETURN_IF_ERROR(r.String(v, "hostPath", p, &m.host_path, /*required=*/true));
  RETURN_IF_ERROR(r.String(v, "containerPath", p, &m.container_path, /*required=*/true));
  RETURN_IF_ERROR(r.Strings(v, "options", p, &m.options));
  RETURN_IF_ERROR(r.String(v, "type", p, &m.type));
  if (m.container_path[0] != '/') {
    return Invalid(Join(p, "containerPath"), "must be an absolute path");
  }
  return absl::OkStatus();
}

absl::Status ReadHook(const Reader& r, const json& v, const std::string& p, Hook& h) {
  RETURN_IF_ERROR(r.Object(v, p, {"hookName", "path", "args", "env", "timeout"}));
  RETURN_IF_ERROR(r.String(v, "hookName", p, &h.hook_name, /*required=*/true));
  RETURN_IF_ERROR(r.String(v, "path", p, &h.path, /*required=*/true));
  RETURN_IF_ERROR(r.Strings(v, "args", p, &h.args));
  RETURN_IF_ERROR(r.Strings(v, "env", p, &h.env));
  RETURN_IF_ERROR(r.Int(v, "timeout", p, &h.timeout));
  static const std::set<std::string> kNames = {"prestart",        "createRuntime",
                                               "createContainer", "startContainer",
                                               "poststart",       "poststop"};
  if (!kNames.count(h.hook_name)) {
    return Invalid(Join(p, "hookName"), absl::StrCat("unknown hook \"", h.hook_name, "\""));
  }
  if (h.path[0] != '/') return Invalid(Join(p, "path"), "must be an absolute path");
  if (h.timeout && *h.timeout <= 0) return Invalid(Join(p, "timeout"), "must be positive");
  return absl::OkStatus();
}

// Reads each element of the array `key` with `read`.
template <typename T, typename Fn>
absl::Status ReadList(const Reader& r, const json& v, const char* key, const std::string& p,
                      std::vector<T>& out, Fn read) {
  ASSIGN_OR_RETURN(std::vector<const json*> items, r.Array(v, key, p));
  for (size_t i = 0; i < items.size(); i++) {
    RETURN_IF_ERROR(read(r, *items[i], Index(Join(p, key), i), out.emplace_back()));
  }
  return absl::OkStatus();
}

absl::Status ReadEdits(const Reader& r, const json& v, const std::string& p, ContainerEdits& e) {
  RETURN_IF_ERROR(r.Object(v, p, {"env", "deviceNodes", "hooks", "mounts", "intelRdt",
                                  "additionalGIDs", "netDevices"}));
  RETURN_IF_ERROR(r.Strings(v, "env", p, &e.env));
  for (size_t i = 0; i < e.env.size(); i++) {
    if (e.env[i].find('=') == std::string::npos || e.env[i][0] == '=') {
      return Invalid(Index(Join(p, "env"), i), "must be NAME=value");
    }
  }
  RETURN_IF_ERROR(ReadList(r, v, "deviceNodes", p, e.device_nodes, ReadDeviceNode));
  RETURN_IF_ERROR(ReadList(r, v, "mounts", p, e.mounts, ReadMount));
  RETURN_IF_ERROR(ReadList(r, v, "hooks", p, e.hooks, ReadHook));
  RETURN_IF_ERROR(r.Uint32s(v, "additionalGIDs", p, &e.additional_gids));
  if (auto it = v.find("intelRdt"); it != v.end() && !it->is_null()) {
    if (!it->is_object()) return Invalid(Join(p, "intelRdt"), "must be an object");
    e.has_intel_rdt = true;
  }
  ASSIGN_OR_RETURN(std::vector<const json*> nets, r.Array(v, "netDevices", p));
  e.has_net_devices = !nets.empty();
  return absl::OkStatus();
}

absl::Status ReadEditsMember(const Reader& r, const json& v, const std::string& p,
                             ContainerEdits& e) {
  auto it = v.find("containerEdits");
  if (it == v.end() || it->is_null()) return absl::OkStatus();
  return ReadEdits(r, *it, Join(p, "containerEdits"), e);
}

}  // namespace

std::optional<Format> FormatOf(absl::string_view file_name) {
  if (absl::EndsWith(file_name, ".json")) return Format::kJson;
  if (absl::EndsWith(file_name, ".yaml")) return Format::kYaml;
  return std::nullopt;
}

absl::StatusOr<SpecFile> ParseSpec(absl::string_view text, Format format) {
  ASSIGN_OR_RETURN(json doc, internal::LoadDocument(text, format));
  Reader r(format);
  SpecFile s;
  RETURN_IF_ERROR(r.Object(doc, "", {"cdiVersion", "kind", "annotations", "devices",
                                     "containerEdits"}));
  RETURN_IF_ERROR(r.String(doc, "cdiVersion", "", &s.version, /*required=*/true));
  RETURN_IF_ERROR(r.String(doc, "kind", "", &s.kind, /*required=*/true));
  RETURN_IF_ERROR(sys::Annotate(ValidateKind(s.kind), "kind"));
  ASSIGN_OR_RETURN(size_t annotations, r.StringMap(doc, "annotations", ""));
  ASSIGN_OR_RETURN(std::vector<const json*> devices, r.Array(doc, "devices", ""));
  if (devices.empty()) return absl::InvalidArgumentError("devices: at least one is required");
  std::set<std::string> names;
  for (size_t i = 0; i < devices.size(); i++) {
    std::string p = Index("devices", i);
    Device& d = s.devices.emplace_back();
    RETURN_IF_ERROR(r.Object(*devices[i], p, {"name", "annotations", "containerEdits"}));
    RETURN_IF_ERROR(r.String(*devices[i], "name", p, &d.name, /*required=*/true));
    RETURN_IF_ERROR(sys::Annotate(ValidateDeviceName(d.name), "%s", p));
    if (!names.insert(d.name).second) return Invalid(p, "device \"" + d.name + "\" is listed twice");
    ASSIGN_OR_RETURN(size_t n, r.StringMap(*devices[i], "annotations", p));
    annotations += n;
    RETURN_IF_ERROR(ReadEditsMember(r, *devices[i], p, d.edits));
    // As the reference: a device that changes nothing is a mistake in the file.
    if (d.edits.empty()) return Invalid(p, "device \"" + d.name + "\" has no containerEdits");
  }
  RETURN_IF_ERROR(ReadEditsMember(r, doc, "", s.edits));
  RETURN_IF_ERROR(CheckVersion(s, annotations > 0));
  return s;
}

}  // namespace cricket::pod::cdi
