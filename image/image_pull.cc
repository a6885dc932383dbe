// ImageService::Pull: manifest (through an index to this platform) → config
// → layers, fetched in parallel, each unpacked as soon as it has arrived
// while the others still download → record.
#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "image/byte_pipe.h"
#include "image/digest.h"
#include "image/image_service.h"
#include "oci/sys/log.h"
#include "oci/sys/failpoint.h"
#include "oci/sys/status.h"

namespace cricket::image {
namespace {

// The image record is written: the pull is complete, its reply not yet sent.
CRICKET_DEFINE_FAILPOINT(kRecordWritten, "image.pull.record_written");

constexpr size_t kStreamBuffer = 4 << 20;  // per layer being fetched; bounds memory

// Blob fetch from the registry with progress reports.
BlobFetch FromRegistry(registry::Client& c, const Reference& ref, const Descriptor& d,
                       const std::function<void(int64_t)>& on_bytes) {
  return [&c, &ref, d, on_bytes](int64_t offset, const ByteSink& sink) -> absl::Status {
    int64_t done = offset;
    return c.FetchBlob(ref, d.digest, d.size, offset,
                       [&](const char* data, size_t len) -> absl::Status {
                         done += static_cast<int64_t>(len);
                         if (on_bytes) on_bytes(done);
                         return sink(data, len);
                       });
  };
}

absl::Status CheckManifest(const registry::Manifest& m, const std::string& want_digest,
                           int64_t want_size, int64_t cap) {
  if (static_cast<int64_t>(m.body.size()) > cap) {
    return absl::InvalidArgumentError(absl::StrCat("manifest is ", m.body.size(),
                                                   " bytes, over the limit of ", cap));
  }
  std::string got = Sha256String(m.body);
  if (!want_digest.empty() && got != want_digest) {
    return absl::DataLossError(absl::StrCat("manifest ", want_digest, " has digest ", got));
  }
  if (want_size >= 0 && static_cast<int64_t>(m.body.size()) != want_size) {
    return absl::DataLossError(absl::StrCat("manifest ", want_digest, " is ", m.body.size(),
                                            " bytes, its descriptor says ", want_size));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ImageService::FetchAndUnpack(const BlobFetch& fetch, const Descriptor& d,
                                          const std::string& chain_id,
                                          const std::string& diff_id,
                                          const std::function<void()>& stored) {
  // The unpacker reads the download as it arrives. It commits only after the
  // blob is stored and verified (the pipe closes OK only then); if the bytes
  // it saw were not the whole blob from offset 0 (a resumed partial, a retry,
  // a download shared with another pull), the stream is abandoned and the
  // layer is unpacked from the stored blob instead.
  BytePipe pipe(kStreamBuffer);
  absl::Status streamed;
  std::thread unpacker([&] {
    streamed = layers_.UnpackStreamed(chain_id, diff_id,
                                      [&](char* b, size_t n) { return pipe.Read(b, n); },
                                      opts_.unpack);
    pipe.CloseReader();
  });
  int calls = 0;
  absl::Status st = blobs_.Ingest(d.digest, d.size,
                                  [&](int64_t offset, const ByteSink& sink) -> absl::Status {
    if (++calls > 1 || offset != 0) pipe.Abandon();
    return fetch(offset, [&](const char* data, size_t len) -> absl::Status {
      RETURN_IF_ERROR(sink(data, len));
      pipe.Push(data, len);
      return absl::OkStatus();
    });
  });
  if (calls == 0) pipe.Abandon();
  if (st.ok() && stored) stored();
  pipe.Close(st);
  unpacker.join();
  RETURN_IF_ERROR(st);
  if (streamed.ok()) return absl::OkStatus();
  // Abandoned or failed: the stored blob is verified, so this gives the real result.
  sys::LogDebug("unpacking layer from the stored blob",
                {{"digest", d.digest}, {"stream", std::string(streamed.message())}});
  return layers_.Ensure(chain_id, diff_id, blobs_.BlobPath(d.digest), opts_.unpack);
}

absl::StatusOr<ImageService::Resolved> ImageService::ResolveManifest(registry::Client& c,
                                                                     const Reference& ref) {
  const int64_t cap = config_.image.max_manifest_bytes;
  ASSIGN_OR_RETURN(registry::Manifest top, c.GetManifest(ref, ref.TagOrDigest()));
  RETURN_IF_ERROR(CheckManifest(top, ref.digest, -1, cap));
  Resolved res;
  res.top_digest = Sha256String(top.body);
  ASSIGN_OR_RETURN(ManifestKind kind, ClassifyManifest(top.media_type, top.body));
  registry::Manifest m = std::move(top);
  // An index entry may be another index (nested indexes, which containerd
  // follows); the depth cap stops a registry that serves an endless chain.
  constexpr int kMaxIndexDepth = 4;
  for (int depth = 0; kind == ManifestKind::kIndex; ++depth) {
    if (depth == kMaxIndexDepth) {
      return absl::InvalidArgumentError(absl::StrCat("registry ", ref.domain, ": ", ref.path,
                                                     ": indexes nested more than ",
                                                     kMaxIndexDepth, " deep"));
    }
    ASSIGN_OR_RETURN(Index index, ParseIndex(m.body));
    ASSIGN_OR_RETURN(Descriptor d, SelectPlatform(index, opts_.platform));
    ASSIGN_OR_RETURN(m, c.GetManifest(ref, d.digest));
    RETURN_IF_ERROR(CheckManifest(m, d.digest, d.size, cap));
    ASSIGN_OR_RETURN(kind, ClassifyManifest(m.media_type.empty() ? d.media_type : m.media_type,
                                            m.body));
  }
  ASSIGN_OR_RETURN(res.manifest, ParseImageManifest(m.body));
  const size_t max_layers = static_cast<size_t>(config_.image.max_layers);
  if (res.manifest.layers.size() > max_layers) {
    return absl::InvalidArgumentError(absl::StrCat(
        "registry ", ref.domain, ": manifest ", ref.path, "@", Sha256String(m.body), " has ",
        res.manifest.layers.size(), " layers, over the limit of ", max_layers,
        " (image.max_layers)"));
  }
  res.digest = Sha256String(m.body);
  res.media_type = res.manifest.media_type.empty() ? m.media_type : res.manifest.media_type;
  res.body = std::move(m.body);
  return res;
}

absl::StatusOr<std::string> ImageService::FetchConfig(registry::Client& c, const Reference& ref,
                                                      const Descriptor& d) {
  const int64_t cap = config_.image.max_config_bytes;
  if (d.size > cap) {
    return absl::InvalidArgumentError(absl::StrCat("image config ", d.digest, " is ", d.size,
                                                   " bytes, over the limit of ", cap));
  }
  RETURN_IF_ERROR(blobs_.Ingest(d.digest, d.size, FromRegistry(c, ref, d, nullptr)));
  return blobs_.Read(d.digest, cap);
}

absl::Status ImageService::FetchLayers(registry::Client& c, const Reference& ref,
                                       const ImageManifest& m,
                                       const std::vector<std::string>& diff_ids,
                                       const ProgressFn& progress,
                                       const CancelledFn& cancelled) {
  const std::vector<std::string> chain_ids = ChainIds(diff_ids);
  std::mutex progress_mu;  // one progress call at a time
  auto report = [&](const Descriptor& d, LayerState state, int64_t done) {
    if (!progress) return;
    std::lock_guard lock(progress_mu);
    progress({d.digest, done, d.size, state});
  };
  // Every layer once, in the manifest's order, before any work starts: the
  // caller learns the whole image first (ctr's list of "waiting" lines).
  std::vector<bool> present(m.layers.size());
  for (size_t i = 0; i < m.layers.size(); ++i) {
    present[i] = layers_.Has(chain_ids[i]);
    report(m.layers[i], present[i] ? LayerState::kAlreadyExists : LayerState::kWaiting,
           present[i] ? m.layers[i].size : 0);
  }
  std::mutex mu;  // guards the first error
  absl::Status first_error;
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  auto one = [&](size_t i) -> absl::Status {
    const Descriptor& d = m.layers[i];
    if (present[i]) return absl::OkStatus();
    if (layers_.Has(chain_ids[i])) {  // another pull unpacked it meanwhile
      report(d, LayerState::kAlreadyExists, d.size);
      return absl::OkStatus();
    }
    if (cancelled && cancelled()) {
      return absl::CancelledError("not started: the pull's caller went away");
    }
    if (blobs_.Has(d.digest, d.size)) {
      report(d, LayerState::kUnpacking, d.size);
      RETURN_IF_ERROR(
          layers_.Ensure(chain_ids[i], diff_ids[i], blobs_.BlobPath(d.digest), opts_.unpack));
    } else {
      report(d, LayerState::kDownloading, 0);
      auto bytes = [&](int64_t done) { report(d, LayerState::kDownloading, done); };
      RETURN_IF_ERROR(FetchAndUnpack(FromRegistry(c, ref, d, bytes), d, chain_ids[i],
                                     diff_ids[i],
                                     [&] { report(d, LayerState::kUnpacking, d.size); }));
    }
    report(d, LayerState::kDone, d.size);
    return absl::OkStatus();
  };
  auto worker = [&] {
    for (size_t i = next++; i < m.layers.size() && !failed; i = next++) {
      absl::Status st = sys::Annotate(one(i), "layer %s", m.layers[i].digest);
      if (st.ok()) continue;
      std::lock_guard lock(mu);
      if (first_error.ok()) first_error = st;
      failed = true;
    }
  };
  size_t n = std::min<size_t>(std::max(1, config_.image.pull_parallelism), m.layers.size());
  std::vector<std::thread> threads;
  for (size_t t = 1; t < n; ++t) threads.emplace_back(worker);
  worker();
  for (std::thread& t : threads) t.join();
  return first_error;
}

absl::StatusOr<std::string> ImageService::Pull(const std::string& ref_str,
                                               const registry::Credentials& creds,
                                               const ProgressFn& progress,
                                               const CancelledFn& cancelled) {
  auto annotate = [&](const absl::Status& st) { return sys::Annotate(st, "pull image %s", ref_str); };
  auto ref = ParseReference(ref_str);
  if (!ref.ok()) return annotate(ref.status());
  auto client = opts_.client_factory ? opts_.client_factory(*ref, creds)
                                     : registry::NewClient(PullConfig(), *ref, creds);
  if (!client.ok()) return annotate(client.status());
  // Every blob goes through blobs_.Ingest, which hashes and checks it.
  (*client)->set_verify_blobs(false);
  (*client)->set_cancelled(cancelled);
  auto res = ResolveManifest(**client, *ref);
  if (!res.ok()) return annotate(res.status());
  // Before any blob is stored or any name added to an image already here:
  // a rejected image leaves nothing. Signatures name what the reference
  // resolved to (an index's digest for a multi-platform image), as
  // containers/image checks the top-level manifest.
  absl::Status allowed = CheckSignaturePolicy(**client, *ref, res->top_digest);
  if (!allowed.ok()) return annotate(allowed);
  std::vector<std::string> tags, digests = {ref->Repository() + "@" + res->top_digest};
  if (!ref->tag.empty()) tags.push_back(ref->Repository() + ":" + ref->tag);
  const ImageManifest& m = res->manifest;
  // An OCI artifact (a config that is no image config, such as the empty
  // descriptor, and layers of any type) has no filesystem to unpack. CRI-O
  // keeps artifacts apart and mounts their layers as files; cricket does not
  // yet, so the kubelet's pull for an image volume of one fails here, named.
  if (!m.config.media_type.empty() && m.config.media_type != kMediaOciConfig &&
      m.config.media_type != kMediaDockerConfig) {
    return annotate(absl::UnimplementedError(absl::StrCat(
        "it is an OCI artifact (config media type ", m.config.media_type,
        "), not an image: pulling artifacts (for image volumes) is not supported")));
  }
  if (AddNamesIfPresent(m.config.digest, tags, digests)) {
    if (progress) {
      for (const Descriptor& d : m.layers) {
        progress({d.digest, d.size, d.size, LayerState::kAlreadyExists});
      }
    }
    return m.config.digest;
  }

  Lease lease(this);
  std::vector<std::string> keys = {res->digest, m.config.digest};
  for (const Descriptor& d : m.layers) keys.push_back(d.digest);
  lease.Add(keys);
  absl::Status st = blobs_.Ingest(res->digest, static_cast<int64_t>(res->body.size()),
                                  [&](int64_t off, const ByteSink& sink) {
                                    return sink(res->body.data() + off, res->body.size() - off);
                                  });
  if (!st.ok()) return annotate(st);
  auto cfg_json = FetchConfig(**client, *ref, m.config);
  if (!cfg_json.ok()) return annotate(cfg_json.status());
  auto cfg = ParseImageConfig(*cfg_json);
  if (!cfg.ok()) return annotate(cfg.status());
  if (cfg->diff_ids.size() != m.layers.size()) {
    return annotate(absl::InvalidArgumentError(absl::StrCat(
        "the manifest has ", m.layers.size(), " layers, the config ", cfg->diff_ids.size())));
  }
  std::vector<std::string> chain_ids = ChainIds(cfg->diff_ids);
  lease.Add(chain_ids);
  st = FetchLayers(**client, *ref, m, cfg->diff_ids, progress, cancelled);
  if (!st.ok()) return annotate(st);
  auto id = Commit(BuildRecord(*res, chain_ids, tags, digests));
  if (!id.ok()) return annotate(id.status());
  if (absl::Status fp = sys::Failpoint(kRecordWritten); !fp.ok()) return annotate(fp);
  sys::LogInfo("pulled image", {{"ref", ref->String()}, {"id", *id}});
  return id;
}

}  // namespace cricket::image
