// config.json → Spec. Every error names the JSON path of the bad value;
// unknown fields are ignored as the runtime-spec requires (seccomp's are
// kept, see Seccomp::extras).
#include <algorithm>
#include <initializer_list>

#include "oci/json_read.h"
#include "oci/spec_json.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/status.h"

namespace cricket::oci {
namespace {

using json_read::ForEach;
using json_read::Opt;
using json_read::Req;
using json_read::SubObject;
using nlohmann::json;

absl::Status NeedObject(const json& j, const std::string& path) {
  if (!j.is_object()) return json_read::Bad(path.empty() ? "config" : path, "an object");
  return absl::OkStatus();
}

absl::Status ParseUser(const json& j, const std::string& p, User* u) {
  RETURN_IF_ERROR(NeedObject(j, p));
  RETURN_IF_ERROR(Opt(j, p, "uid", &u->uid));
  RETURN_IF_ERROR(Opt(j, p, "gid", &u->gid));
  RETURN_IF_ERROR(Opt(j, p, "umask", &u->umask));
  RETURN_IF_ERROR(Opt(j, p, "additionalGids", &u->additional_gids));
  return Opt(j, p, "username", &u->username);
}

absl::Status ParseCaps(const json& j, const std::string& p, Capabilities* c) {
  RETURN_IF_ERROR(NeedObject(j, p));
  RETURN_IF_ERROR(Opt(j, p, "bounding", &c->bounding));
  RETURN_IF_ERROR(Opt(j, p, "effective", &c->effective));
  RETURN_IF_ERROR(Opt(j, p, "inheritable", &c->inheritable));
  RETURN_IF_ERROR(Opt(j, p, "permitted", &c->permitted));
  return Opt(j, p, "ambient", &c->ambient);
}

absl::Status ParseRlimit(const json& j, const std::string& p, Rlimit* r) {
  RETURN_IF_ERROR(NeedObject(j, p));
  RETURN_IF_ERROR(Req(j, p, "type", &r->type));
  RETURN_IF_ERROR(Req(j, p, "hard", &r->hard));
  return Req(j, p, "soft", &r->soft);
}

absl::Status ParseIdMappings(const json& j, const std::string& p, const char* key,
                             std::vector<IdMapping>* out);

absl::Status ParseMount(const json& j, const std::string& p, Mount* m) {
  RETURN_IF_ERROR(NeedObject(j, p));
  RETURN_IF_ERROR(Req(j, p, "destination", &m->destination));
  if (m->destination.empty() || m->destination[0] != '/') {
    return absl::InvalidArgumentError(p + ".destination: must be an absolute path");
  }
  RETURN_IF_ERROR(Opt(j, p, "type", &m->type));
  RETURN_IF_ERROR(Opt(j, p, "source", &m->source));
  RETURN_IF_ERROR(ParseIdMappings(j, p, "uidMappings", &m->uid_mappings));
  RETURN_IF_ERROR(ParseIdMappings(j, p, "gidMappings", &m->gid_mappings));
  return Opt(j, p, "options", &m->options);
}

absl::Status ParseHook(const json& j, const std::string& p, Hook* h) {
  RETURN_IF_ERROR(NeedObject(j, p));
  RETURN_IF_ERROR(Req(j, p, "path", &h->path));
  RETURN_IF_ERROR(Opt(j, p, "args", &h->args));
  RETURN_IF_ERROR(Opt(j, p, "env", &h->env));
  RETURN_IF_ERROR(Opt(j, p, "timeout", &h->timeout));
  if (h->timeout && *h->timeout <= 0) {
    return absl::InvalidArgumentError(p + ".timeout: must be greater than zero");
  }
  return absl::OkStatus();
}

absl::Status ParseHookList(const json& hooks, const std::string& p, const char* key,
                           std::vector<Hook>* out) {
  return ForEach(hooks, p, key, [&](const json& e, const std::string& ep) {
    Hook h;
    RETURN_IF_ERROR(ParseHook(e, ep, &h));
    out->push_back(std::move(h));
    return absl::OkStatus();
  });
}

absl::Status ParseHooks(const json& j, const std::string& p, Hooks* h) {
  RETURN_IF_ERROR(ParseHookList(j, p, "prestart", &h->prestart));
  RETURN_IF_ERROR(ParseHookList(j, p, "createRuntime", &h->create_runtime));
  RETURN_IF_ERROR(ParseHookList(j, p, "createContainer", &h->create_container));
  RETURN_IF_ERROR(ParseHookList(j, p, "startContainer", &h->start_container));
  RETURN_IF_ERROR(ParseHookList(j, p, "poststart", &h->poststart));
  return ParseHookList(j, p, "poststop", &h->poststop);
}

absl::Status ParseIdMappings(const json& j, const std::string& p, const char* key,
                             std::vector<IdMapping>* out) {
  return ForEach(j, p, key, [&](const json& e, const std::string& ep) {
    RETURN_IF_ERROR(NeedObject(e, ep));
    IdMapping m;
    RETURN_IF_ERROR(Req(e, ep, "containerID", &m.container_id));
    RETURN_IF_ERROR(Req(e, ep, "hostID", &m.host_id));
    RETURN_IF_ERROR(Req(e, ep, "size", &m.size));
    out->push_back(m);
    return absl::OkStatus();
  });
}

bool KnownNamespace(const std::string& t) {
  for (const char* k : {"pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time"}) {
    if (t == k) return true;
  }
  return false;
}

absl::Status ParseNamespaces(const json& j, const std::string& p, std::vector<Namespace>* out) {
  return ForEach(j, p, "namespaces", [&](const json& e, const std::string& ep) {
    RETURN_IF_ERROR(NeedObject(e, ep));
    Namespace ns;
    RETURN_IF_ERROR(Req(e, ep, "type", &ns.type));
    RETURN_IF_ERROR(Opt(e, ep, "path", &ns.path));
    if (!KnownNamespace(ns.type)) {
      return absl::InvalidArgumentError(ep + ".type: unknown namespace type \"" + ns.type + "\"");
    }
    for (const Namespace& seen : *out) {
      if (seen.type == ns.type) {
        return absl::InvalidArgumentError(ep + ".type: duplicate namespace \"" + ns.type + "\"");
      }
    }
    out->push_back(ns);
    return absl::OkStatus();
  });
}

absl::Status ParseDevices(const json& j, const std::string& p,
                          std::optional<std::vector<Device>>* out) {
  if (auto it = j.find("devices"); it != j.end() && !it->is_null()) out->emplace();
  return ForEach(j, p, "devices", [&](const json& e, const std::string& ep) {
    RETURN_IF_ERROR(NeedObject(e, ep));
    Device d;
    RETURN_IF_ERROR(Req(e, ep, "type", &d.type));
    RETURN_IF_ERROR(Req(e, ep, "path", &d.path));
    if (d.type != "c" && d.type != "b" && d.type != "u" && d.type != "p") {
      return absl::InvalidArgumentError(ep + ".type: must be one of c, b, u, p");
    }
    if (d.type != "p") {
      RETURN_IF_ERROR(Req(e, ep, "major", &d.major));
      RETURN_IF_ERROR(Req(e, ep, "minor", &d.minor));
    }
    RETURN_IF_ERROR(Opt(e, ep, "fileMode", &d.file_mode));
    RETURN_IF_ERROR(Opt(e, ep, "uid", &d.uid));
    RETURN_IF_ERROR(Opt(e, ep, "gid", &d.gid));
    (*out)->push_back(d);
    return absl::OkStatus();
  });
}

// The keys of `j` outside `known`, as JSON text (Seccomp::extras).
JsonExtras Extras(const json& j, std::initializer_list<std::string_view> known) {
  JsonExtras out;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (std::find(known.begin(), known.end(), it.key()) == known.end()) {
      out[it.key()] = it.value().dump();
    }
  }
  return out;
}

absl::Status ParseSeccompSyscall(const json& e, const std::string& ep, SeccompSyscall* s) {
  RETURN_IF_ERROR(NeedObject(e, ep));
  s->extras = Extras(e, {"names", "action", "errnoRet", "args"});
  RETURN_IF_ERROR(Req(e, ep, "names", &s->names));
  RETURN_IF_ERROR(Req(e, ep, "action", &s->action));
  RETURN_IF_ERROR(Opt(e, ep, "errnoRet", &s->errno_ret));
  return ForEach(e, ep, "args", [&](const json& a, const std::string& ap) {
    RETURN_IF_ERROR(NeedObject(a, ap));
    SeccompArg arg;
    RETURN_IF_ERROR(Req(a, ap, "index", &arg.index));
    RETURN_IF_ERROR(Req(a, ap, "value", &arg.value));
    RETURN_IF_ERROR(Opt(a, ap, "valueTwo", &arg.value_two));
    RETURN_IF_ERROR(Req(a, ap, "op", &arg.op));
    s->args.push_back(arg);
    return absl::OkStatus();
  });
}

absl::Status ParseSeccomp(const json& j, const std::string& p, Seccomp* s) {
  s->extras = Extras(j, {"defaultAction", "defaultErrnoRet", "architectures", "flags",
                         "listenerPath", "syscalls"});
  RETURN_IF_ERROR(Req(j, p, "defaultAction", &s->default_action));
  RETURN_IF_ERROR(Opt(j, p, "defaultErrnoRet", &s->default_errno_ret));
  RETURN_IF_ERROR(Opt(j, p, "architectures", &s->architectures));
  RETURN_IF_ERROR(Opt(j, p, "flags", &s->flags));
  RETURN_IF_ERROR(Opt(j, p, "listenerPath", &s->listener_path));
  return ForEach(j, p, "syscalls", [&](const json& e, const std::string& ep) {
    SeccompSyscall sc;
    RETURN_IF_ERROR(ParseSeccompSyscall(e, ep, &sc));
    s->syscalls.push_back(std::move(sc));
    return absl::OkStatus();
  });
}

absl::Status ParseTimeOffsets(const json& j, const std::string& p, Linux* l) {
  const json* t = nullptr;
  RETURN_IF_ERROR(SubObject(j, p, "timeOffsets", &t));
  if (t == nullptr) return absl::OkStatus();
  std::string tp = json_read::Join(p, "timeOffsets");
  for (auto it = t->begin(); it != t->end(); ++it) {
    std::string ep = json_read::Join(tp, it.key());
    RETURN_IF_ERROR(NeedObject(it.value(), ep));
    TimeOffset o;
    RETURN_IF_ERROR(Opt(it.value(), ep, "secs", &o.secs));
    RETURN_IF_ERROR(Opt(it.value(), ep, "nanosecs", &o.nanosecs));
    l->time_offsets[it.key()] = o;
  }
  return absl::OkStatus();
}

absl::Status ParseLinux(const json& j, const std::string& p, Linux* l) {
  RETURN_IF_ERROR(ParseNamespaces(j, p, &l->namespaces));
  RETURN_IF_ERROR(ParseIdMappings(j, p, "uidMappings", &l->uid_mappings));
  RETURN_IF_ERROR(ParseIdMappings(j, p, "gidMappings", &l->gid_mappings));
  RETURN_IF_ERROR(ParseTimeOffsets(j, p, l));
  RETURN_IF_ERROR(ParseDevices(j, p, &l->devices));
  RETURN_IF_ERROR(Opt(j, p, "cgroupsPath", &l->cgroups_path));
  const json* res = nullptr;
  RETURN_IF_ERROR(SubObject(j, p, "resources", &res));
  if (res != nullptr) {
    auto r = ResourcesFromJson(*res);
    if (!r.ok()) return r.status();
    l->resources = std::move(*r);
  }
  RETURN_IF_ERROR(Opt(j, p, "rootfsPropagation", &l->rootfs_propagation));
  RETURN_IF_ERROR(Opt(j, p, "maskedPaths", &l->masked_paths));
  RETURN_IF_ERROR(Opt(j, p, "readonlyPaths", &l->readonly_paths));
  RETURN_IF_ERROR(Opt(j, p, "sysctl", &l->sysctl));
  RETURN_IF_ERROR(Opt(j, p, "mountLabel", &l->mount_label));
  const json* sec = nullptr;
  RETURN_IF_ERROR(SubObject(j, p, "seccomp", &sec));
  if (sec != nullptr) {
    Seccomp s;
    RETURN_IF_ERROR(ParseSeccomp(*sec, json_read::Join(p, "seccomp"), &s));
    l->seccomp = std::move(s);
  }
  return absl::OkStatus();
}

absl::Status ParseProcessInto(const json& j, const std::string& p, Process* pr) {
  RETURN_IF_ERROR(NeedObject(j, p));
  RETURN_IF_ERROR(Opt(j, p, "terminal", &pr->terminal));
  const json* cs = nullptr;
  RETURN_IF_ERROR(SubObject(j, p, "consoleSize", &cs));
  if (cs != nullptr) {
    ConsoleSize c;
    std::string cp = json_read::Join(p, "consoleSize");
    RETURN_IF_ERROR(Req(*cs, cp, "height", &c.height));
    RETURN_IF_ERROR(Req(*cs, cp, "width", &c.width));
    pr->console_size = c;
  }
  if (auto it = j.find("user"); it != j.end() && !it->is_null()) {
    RETURN_IF_ERROR(ParseUser(*it, json_read::Join(p, "user"), &pr->user));
  }
  RETURN_IF_ERROR(Opt(j, p, "args", &pr->args));
  RETURN_IF_ERROR(Opt(j, p, "env", &pr->env));
  RETURN_IF_ERROR(Opt(j, p, "cwd", &pr->cwd));
  if (pr->cwd.empty() || pr->cwd[0] != '/') {
    return absl::InvalidArgumentError(json_read::Join(p, "cwd") + ": must be an absolute path");
  }
  if (auto it = j.find("capabilities"); it != j.end() && !it->is_null()) {
    Capabilities c;
    RETURN_IF_ERROR(ParseCaps(*it, json_read::Join(p, "capabilities"), &c));
    pr->capabilities = std::move(c);
  }
  RETURN_IF_ERROR(ForEach(j, p, "rlimits", [&](const json& e, const std::string& ep) {
    Rlimit r;
    RETURN_IF_ERROR(ParseRlimit(e, ep, &r));
    pr->rlimits.push_back(r);
    return absl::OkStatus();
  }));
  RETURN_IF_ERROR(Opt(j, p, "noNewPrivileges", &pr->no_new_privileges));
  RETURN_IF_ERROR(Opt(j, p, "apparmorProfile", &pr->apparmor_profile));
  RETURN_IF_ERROR(Opt(j, p, "oomScoreAdj", &pr->oom_score_adj));
  return Opt(j, p, "selinuxLabel", &pr->selinux_label);
}

}  // namespace

const Namespace* Spec::FindNamespace(const std::string& type) const {
  if (!linux_spec) return nullptr;
  for (const Namespace& ns : linux_spec->namespaces) {
    if (ns.type == type) return &ns;
  }
  return nullptr;
}

absl::StatusOr<Process> ProcessFromJson(const json& j, const std::string& path) {
  Process p;
  RETURN_IF_ERROR(ParseProcessInto(j, path, &p));
  return p;
}

absl::StatusOr<Spec> SpecFromJson(const json& j) {
  RETURN_IF_ERROR(NeedObject(j, ""));
  Spec s;
  RETURN_IF_ERROR(Req(j, "", "ociVersion", &s.oci_version));
  if (auto it = j.find("process"); it != j.end() && !it->is_null()) {
    ASSIGN_OR_RETURN(s.process, ProcessFromJson(*it, "process"));
  }
  const json* root = nullptr;
  RETURN_IF_ERROR(SubObject(j, "", "root", &root));
  if (root != nullptr) {
    RETURN_IF_ERROR(Req(*root, "root", "path", &s.root.path));
    RETURN_IF_ERROR(Opt(*root, "root", "readonly", &s.root.readonly));
  }
  RETURN_IF_ERROR(Opt(j, "", "hostname", &s.hostname));
  RETURN_IF_ERROR(Opt(j, "", "domainname", &s.domainname));
  RETURN_IF_ERROR(ForEach(j, "", "mounts", [&](const json& e, const std::string& ep) {
    Mount m;
    RETURN_IF_ERROR(ParseMount(e, ep, &m));
    s.mounts.push_back(std::move(m));
    return absl::OkStatus();
  }));
  const json* hooks = nullptr;
  RETURN_IF_ERROR(SubObject(j, "", "hooks", &hooks));
  if (hooks != nullptr) RETURN_IF_ERROR(ParseHooks(*hooks, "hooks", &s.hooks));
  RETURN_IF_ERROR(Opt(j, "", "annotations", &s.annotations));
  const json* lnx = nullptr;
  RETURN_IF_ERROR(SubObject(j, "", "linux", &lnx));
  if (lnx != nullptr) {
    Linux l;
    RETURN_IF_ERROR(ParseLinux(*lnx, "linux", &l));
    s.linux_spec = std::move(l);
  }
  return s;
}

absl::StatusOr<Spec> ParseSpec(const std::string& text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return absl::InvalidArgumentError("invalid JSON");
  return SpecFromJson(j);
}

absl::StatusOr<Seccomp> ParseSeccompProfile(const std::string& text, const std::string& path) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return absl::InvalidArgumentError("seccomp profile " + path + " is not a JSON object");
  }
  Seccomp s;
  RETURN_IF_ERROR(sys::Annotate(ParseSeccomp(j, "", &s), "seccomp profile %s", path));
  return s;
}

absl::StatusOr<Spec> LoadSpec(const std::string& bundle, json* doc) {
  auto text = sys::ReadFile(bundle + "/config.json");
  if (!text.ok()) return sys::Annotate(text.status(), "config.json");
  json j = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return absl::InvalidArgumentError("config.json: invalid JSON");
  auto spec = SpecFromJson(j);
  if (!spec.ok()) return sys::Annotate(spec.status(), "config.json");
  if (doc != nullptr) *doc = std::move(j);
  return spec;
}

}  // namespace cricket::oci
