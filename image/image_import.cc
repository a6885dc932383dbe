// ImageService::Import: images from files for machines without a registry —
// an OCI image layout (dir or tarball) or a `docker save` archive.
#include <fcntl.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "image/decompress.h"
#include "image/digest.h"
#include "image/image_service.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fds.h"
#include "oci/sys/fs.h"
#include "oci/sys/status.h"
#include "oci/sys/temp_dir.h"
#include "oci/sys/unique_fd.h"

namespace cricket::image {
namespace {

// sha256 and size of a file.
absl::StatusOr<std::pair<std::string, int64_t>> HashFile(const std::string& path) {
  ASSIGN_OR_RETURN(sys::UniqueFd fd, sys::Open(path, O_RDONLY));
  Sha256 h;
  std::string buf(1 << 20, '\0');
  int64_t size = 0;
  PlainReader::Source read = FdSource(fd.get());
  for (;;) {
    ASSIGN_OR_RETURN(size_t n, read(buf.data(), buf.size()));
    if (n == 0) break;
    h.Update(buf.data(), n);
    size += static_cast<int64_t>(n);
  }
  return std::make_pair(h.Finish(), size);
}

// A name from the archive ("busybox:latest", "docker.io/x/y:1") or the
// caller's tag, normalised; "" when there is none.
std::string NormalisedTag(const std::string& name) {
  auto ref = ParseReference(name);
  if (!ref.ok() || ref->tag.empty()) return "";
  return ref->Repository() + ":" + ref->tag;
}

absl::StatusOr<nlohmann::json> ReadJson(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, sys::ReadFile(path));
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) return absl::InvalidArgumentError(path + ": not valid JSON");
  return j;
}

}  // namespace

absl::StatusOr<std::string> ImageService::Import(const std::string& path, const std::string& tag) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return sys::ErrnoStatus(errno, "import %s", path);
  auto annotated = [&](absl::StatusOr<std::string> id) -> absl::StatusOr<std::string> {
    if (!id.ok()) return sys::Annotate(id.status(), "import %s", path);
    return id;
  };
  if (S_ISDIR(st.st_mode)) return annotated(ImportDir(path, tag));
  // A tarball: unpacked with the same confined unpacker as layers, no devices.
  ASSIGN_OR_RETURN(sys::TempDir tmp, sys::TempDir::Make(".import-", paths_.root));
  ASSIGN_OR_RETURN(sys::UniqueFd fd, sys::Open(path, O_RDONLY));
  UnpackOptions o;
  o.allow_devices = false;
  o.chown = false;
  RETURN_IF_ERROR(sys::Annotate(UnpackTar(fd.get(), tmp.path(), o).status(), "import %s", path));
  return annotated(ImportDir(tmp.path(), tag));
}

absl::StatusOr<std::string> ImageService::ImportDir(const std::string& dir, const std::string& tag) {
  if (sys::PathExists(dir + "/manifest.json")) return ImportDockerArchive(dir, tag);
  if (sys::PathExists(dir + "/index.json")) return ImportLayout(dir, tag);
  return absl::InvalidArgumentError(
      "neither an OCI image layout (index.json) nor a docker archive (manifest.json)");
}

absl::StatusOr<std::string> ImageService::ImportLayout(const std::string& dir,
                                                       const std::string& tag) {
  auto file_for = [&](const std::string& digest) {
    return dir + "/blobs/sha256/" + DigestHex(digest);
  };
  ASSIGN_OR_RETURN(std::string body, sys::ReadFile(dir + "/index.json"));
  std::string name = tag;
  // Walk down nested indexes to this platform's image manifest.
  for (int depth = 0; depth < 4; ++depth) {
    ASSIGN_OR_RETURN(Index index, ParseIndex(body));
    if (index.manifests.empty()) return absl::InvalidArgumentError("index.json lists no manifests");
    Descriptor d = index.manifests.front();
    if (index.manifests.size() > 1) {
      ASSIGN_OR_RETURN(d, SelectPlatform(index, opts_.platform));
    }
    for (const char* key : {"io.containerd.image.name", "org.opencontainers.image.ref.name"}) {
      auto it = d.annotations.find(key);
      if (name.empty() && it != d.annotations.end()) name = it->second;
    }
    ASSIGN_OR_RETURN(body, sys::ReadFile(file_for(d.digest)));
    if (Sha256String(body) != d.digest) {
      return absl::DataLossError(absl::StrCat("manifest ", d.digest, " does not match its digest"));
    }
    ASSIGN_OR_RETURN(ManifestKind kind, ClassifyManifest(d.media_type, body));
    if (kind == ManifestKind::kImage) {
      std::string t = NormalisedTag(name);
      return ImportManifest(body, file_for, t.empty() ? std::vector<std::string>{}
                                                      : std::vector<std::string>{t});
    }
  }
  return absl::InvalidArgumentError("index nesting too deep");
}

absl::StatusOr<std::string> ImageService::ImportDockerArchive(const std::string& dir,
                                                              const std::string& tag) {
  ASSIGN_OR_RETURN(nlohmann::json j, ReadJson(dir + "/manifest.json"));
  if (!j.is_array() || j.empty() || !j[0].is_object()) {
    return absl::InvalidArgumentError("manifest.json: expected a non-empty array");
  }
  const nlohmann::json& e = j[0];
  std::map<std::string, std::string> files;  // digest → file
  nlohmann::json manifest = {{"schemaVersion", 2}, {"mediaType", kMediaDockerManifest}};
  try {
    std::string cfg = dir + "/" + e.at("Config").get<std::string>();
    ASSIGN_OR_RETURN(auto c, HashFile(cfg));
    files[c.first] = cfg;
    manifest["config"] = {{"mediaType", kMediaDockerConfig}, {"digest", c.first}, {"size", c.second}};
    manifest["layers"] = nlohmann::json::array();
    for (const auto& l : e.at("Layers")) {
      std::string lf = dir + "/" + l.get<std::string>();
      ASSIGN_OR_RETURN(auto h, HashFile(lf));
      files[h.first] = lf;
      manifest["layers"].push_back({{"mediaType", "application/vnd.docker.image.rootfs.diff.tar"},
                                    {"digest", h.first},
                                    {"size", h.second}});
    }
  } catch (const nlohmann::json::exception& ex) {
    return absl::InvalidArgumentError(absl::StrCat("manifest.json: ", ex.what()));
  }
  std::vector<std::string> tags;
  if (std::string t = NormalisedTag(tag); !t.empty()) tags.push_back(t);
  if (tag.empty() && e.contains("RepoTags") && e["RepoTags"].is_array()) {
    for (const auto& t : e["RepoTags"]) {
      if (std::string n = t.is_string() ? NormalisedTag(t.get<std::string>()) : ""; !n.empty()) {
        tags.push_back(n);
      }
    }
  }
  return ImportManifest(manifest.dump(), [&](const std::string& d) { return files[d]; }, tags);
}

absl::StatusOr<std::string> ImageService::ImportManifest(
    const std::string& body, const std::function<std::string(const std::string&)>& file_for,
    std::vector<std::string> tags) {
  Resolved res;
  ASSIGN_OR_RETURN(res.manifest, ParseImageManifest(body));
  res.body = body;
  res.digest = res.top_digest = Sha256String(body);
  res.media_type = res.manifest.media_type;
  const ImageManifest& m = res.manifest;
  Lease lease(this);
  std::vector<std::string> keys = {res.digest, m.config.digest};
  for (const Descriptor& d : m.layers) keys.push_back(d.digest);
  lease.Add(keys);
  RETURN_IF_ERROR(blobs_.Ingest(res.digest, static_cast<int64_t>(body.size()),
                                [&](int64_t off, const ByteSink& sink) {
                                  return sink(body.data() + off, body.size() - off);
                                }));
  RETURN_IF_ERROR(blobs_.IngestFile(m.config.digest, m.config.size, file_for(m.config.digest)));
  ASSIGN_OR_RETURN(std::string cfg_json, blobs_.Read(m.config.digest, config_.image.max_config_bytes));
  ASSIGN_OR_RETURN(ImageConfig cfg, ParseImageConfig(cfg_json));
  if (cfg.diff_ids.size() != m.layers.size()) {
    return absl::InvalidArgumentError("the manifest and the config disagree on the layer count");
  }
  std::vector<std::string> chain_ids = ChainIds(cfg.diff_ids);
  lease.Add(chain_ids);
  for (size_t i = 0; i < m.layers.size(); ++i) {
    const Descriptor& d = m.layers[i];
    if (layers_.Has(chain_ids[i])) continue;
    RETURN_IF_ERROR(blobs_.IngestFile(d.digest, d.size, file_for(d.digest)));
    RETURN_IF_ERROR(
        layers_.Ensure(chain_ids[i], cfg.diff_ids[i], blobs_.BlobPath(d.digest), opts_.unpack));
  }
  std::vector<std::string> digests;
  for (const std::string& t : tags) {
    digests.push_back(t.substr(0, t.rfind(':')) + "@" + res.digest);
  }
  return Commit(BuildRecord(res, chain_ids, std::move(tags), std::move(digests)));
}

}  // namespace cricket::image
