// Manifest, index and image config JSON (nlohmann; its exceptions stop here).
#include "image/manifest.h"

#include <sys/utsname.h>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "image/digest.h"

namespace cricket::image {
namespace {

using nlohmann::json;

absl::StatusOr<json> ParseJson(const std::string& body, const char* what) {
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return absl::InvalidArgumentError(absl::StrCat(what, ": not valid JSON"));
  if (!j.is_object()) return absl::InvalidArgumentError(absl::StrCat(what, ": not a JSON object"));
  return j;
}

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> Strings(const json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return out;
  for (const json& v : *it) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

std::vector<std::string> Keys(const json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end() || !it->is_object()) return out;
  for (auto kv = it->begin(); kv != it->end(); ++kv) out.push_back(kv.key());
  return out;
}

absl::StatusOr<Descriptor> ParseDescriptor(const json& j, const std::string& where) {
  if (!j.is_object()) return absl::InvalidArgumentError(where + ": descriptor is not an object");
  Descriptor d;
  d.media_type = Str(j, "mediaType");
  d.digest = Str(j, "digest");
  auto d_ok = ParseDigest(d.digest);
  if (!d_ok.ok()) return absl::InvalidArgumentError(where + ": " + std::string(d_ok.status().message()));
  auto size = j.find("size");
  if (size == j.end() || !size->is_number_integer() || size->get<int64_t>() < 0) {
    return absl::InvalidArgumentError(where + ": descriptor " + d.digest + " has no valid size");
  }
  d.size = size->get<int64_t>();
  if (auto p = j.find("platform"); p != j.end() && p->is_object()) {
    d.platform = {Str(*p, "os"), Str(*p, "architecture"), Str(*p, "variant")};
  }
  if (auto a = j.find("annotations"); a != j.end() && a->is_object()) {
    for (auto kv = a->begin(); kv != a->end(); ++kv) {
      if (kv->is_string()) d.annotations[kv.key()] = kv->get<std::string>();
    }
  }
  return d;
}

std::string Describe(const Platform& p) {
  return p.os + "/" + p.architecture + (p.variant.empty() ? "" : "/" + p.variant);
}

}  // namespace

Platform PlatformFromMachine(const std::string& m) {
  if (m == "x86_64") return {"linux", "amd64", ""};
  if (m == "aarch64" || m == "arm64") return {"linux", "arm64", "v8"};
  if (m == "armv7l" || m == "armv7") return {"linux", "arm", "v7"};
  if (m == "armv6l") return {"linux", "arm", "v6"};
  if (m == "i386" || m == "i686") return {"linux", "386", ""};
  return {"linux", m, ""};  // ppc64le, s390x, riscv64 are spelled alike
}

Platform HostPlatform() {
  struct utsname u;
  if (uname(&u) != 0) return {"linux", "amd64", ""};
  return PlatformFromMachine(u.machine);
}

absl::StatusOr<ManifestKind> ClassifyManifest(const std::string& media_type,
                                              const std::string& body) {
  std::string mt = media_type.substr(0, media_type.find(';'));
  // Registries and proxies that lose the Content-Type (empty, application/json,
  // application/octet-stream, ...) still serve a manifest the peers take by its
  // own mediaType field or its shape, so anything that is not a manifest type
  // is classified by the body.
  bool typed = mt == kMediaDockerManifest || mt == kMediaOciManifest || mt == kMediaDockerList ||
               mt == kMediaOciIndex || mt.find("manifest.v1") != std::string::npos;
  if (!typed) {
    auto j = ParseJson(body, "manifest");
    if (!j.ok()) return j.status();
    mt = Str(*j, "mediaType");
    if (mt.empty()) {
      if (j->contains("manifests")) return ManifestKind::kIndex;
      if (j->contains("layers") && j->contains("config")) return ManifestKind::kImage;
      if (j->contains("fsLayers")) mt = "application/vnd.docker.distribution.manifest.v1+json";
    }
  }
  if (mt == kMediaDockerManifest || mt == kMediaOciManifest) return ManifestKind::kImage;
  if (mt == kMediaDockerList || mt == kMediaOciIndex) return ManifestKind::kIndex;
  if (mt.find("manifest.v1") != std::string::npos) {
    return absl::InvalidArgumentError(
        "Docker image manifest schema 1 is not supported (deprecated since 2017; re-push the "
        "image with a current tool to get schema 2 or OCI)");
  }
  return absl::InvalidArgumentError(absl::StrCat("unsupported manifest media type \"", mt, "\""));
}

absl::StatusOr<ImageManifest> ParseImageManifest(const std::string& body) {
  auto j = ParseJson(body, "image manifest");
  if (!j.ok()) return j.status();
  ImageManifest m;
  m.media_type = Str(*j, "mediaType");
  auto cfg = j->find("config");
  if (cfg == j->end()) return absl::InvalidArgumentError("image manifest: no config descriptor");
  auto c = ParseDescriptor(*cfg, "image manifest config");
  if (!c.ok()) return c.status();
  m.config = *c;
  auto layers = j->find("layers");
  if (layers == j->end() || !layers->is_array()) {
    return absl::InvalidArgumentError("image manifest: no layers array");
  }
  for (size_t i = 0; i < layers->size(); ++i) {
    auto d = ParseDescriptor((*layers)[i], absl::StrCat("image manifest layer ", i));
    if (!d.ok()) return d.status();
    m.layers.push_back(*d);
  }
  return m;
}

absl::StatusOr<Index> ParseIndex(const std::string& body) {
  auto j = ParseJson(body, "image index");
  if (!j.ok()) return j.status();
  Index idx;
  idx.media_type = Str(*j, "mediaType");
  auto ms = j->find("manifests");
  if (ms == j->end() || !ms->is_array()) {
    return absl::InvalidArgumentError("image index: no manifests array");
  }
  for (size_t i = 0; i < ms->size(); ++i) {
    auto d = ParseDescriptor((*ms)[i], absl::StrCat("image index entry ", i));
    if (!d.ok()) return d.status();
    idx.manifests.push_back(*d);
  }
  return idx;
}

absl::StatusOr<Descriptor> SelectPlatform(const Index& index, const Platform& want) {
  const Descriptor* fallback = nullptr;
  std::vector<std::string> offered;
  for (const Descriptor& d : index.manifests) {
    const Platform& p = d.platform;
    if (p.os.empty() && p.architecture.empty()) continue;  // attestations, unknown entries
    offered.push_back(Describe(p));
    if (p.os != want.os || p.architecture != want.architecture) continue;
    if (p.variant == want.variant) return d;
    // arm64 images often omit "v8"; amd64 variants (v2, v3) are optimisations we can skip.
    bool lenient = p.variant.empty() || want.variant.empty() ||
                   (want.architecture == "arm" && p.variant < want.variant);
    if (lenient && fallback == nullptr) fallback = &d;
  }
  if (fallback != nullptr) return *fallback;
  return absl::NotFoundError(absl::StrCat("no image for platform ", Describe(want),
                                          " in the index (it has: ",
                                          absl::StrJoin(offered, ", "), ")"));
}

absl::StatusOr<ImageConfig> ParseImageConfig(const std::string& body) {
  auto j = ParseJson(body, "image config");
  if (!j.ok()) return j.status();
  ImageConfig c;
  c.platform = {Str(*j, "os"), Str(*j, "architecture"), Str(*j, "variant")};
  c.created = Str(*j, "created");
  if (auto cfg = j->find("config"); cfg != j->end() && cfg->is_object()) {
    c.user = Str(*cfg, "User");
    c.working_dir = Str(*cfg, "WorkingDir");
    c.stop_signal = Str(*cfg, "StopSignal");
    c.entrypoint = Strings(*cfg, "Entrypoint");
    c.cmd = Strings(*cfg, "Cmd");
    c.env = Strings(*cfg, "Env");
    c.exposed_ports = Keys(*cfg, "ExposedPorts");
    c.volumes = Keys(*cfg, "Volumes");
    if (auto l = cfg->find("Labels"); l != cfg->end() && l->is_object()) {
      for (auto kv = l->begin(); kv != l->end(); ++kv) {
        if (kv->is_string()) c.labels[kv.key()] = kv->get<std::string>();
      }
    }
  }
  auto rootfs = j->find("rootfs");
  if (rootfs == j->end() || !rootfs->is_object()) {
    return absl::InvalidArgumentError("image config: no rootfs section");
  }
  c.diff_ids = Strings(*rootfs, "diff_ids");
  for (const std::string& d : c.diff_ids) {
    auto ok = ParseDigest(d);
    if (!ok.ok()) return absl::InvalidArgumentError("image config rootfs.diff_ids: " +
                                                    std::string(ok.status().message()));
  }
  if (auto h = j->find("history"); h != j->end() && h->is_array()) {
    for (const json& e : *h) {
      if (!e.is_object()) continue;
      HistoryEntry he{Str(e, "created"), Str(e, "created_by"), Str(e, "comment"), false};
      if (auto el = e.find("empty_layer"); el != e.end() && el->is_boolean()) he.empty_layer = *el;
      c.history.push_back(he);
    }
  }
  return c;
}

}  // namespace cricket::image
