// Image records as versioned JSON files; lookup by id, tag or digest.
#include "image/image_store.h"

#include <time.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "image/digest.h"
#include "image/paths.h"
#include "image/reference.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/failpoint.h"
#include "oci/sys/fs.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"

namespace cricket::image {
namespace {

// Between the write of a tag's new holder and the rewrite of its old one.
CRICKET_DEFINE_FAILPOINT(kTagNewHolderWritten, "image.tag.new_holder_written");

constexpr int kRecordVersion = 1;

void Erase(std::vector<std::string>& v, const std::string& s) {
  v.erase(std::remove(v.begin(), v.end(), s), v.end());
}

bool IsHex(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

std::string RecordToJson(const ImageRecord& r) {
  nlohmann::json j = {{"version", kRecordVersion},
                      {"id", r.id},
                      {"repo_tags", r.repo_tags},
                      {"repo_digests", r.repo_digests},
                      {"manifest_digest", r.manifest_digest},
                      {"manifest_media_type", r.manifest_media_type},
                      {"config_size", r.config_size},
                      {"layer_digests", r.layer_digests},
                      {"layer_sizes", r.layer_sizes},
                      {"chain_ids", r.chain_ids},
                      {"size", r.size},
                      {"pinned", r.pinned},
                      {"pulled_unix", r.pulled_unix},
                      {"written_ns", r.written_ns}};
  return j.dump(2);
}

absl::StatusOr<ImageRecord> RecordFromJson(const std::string& text) {
  try {
    nlohmann::json j = nlohmann::json::parse(text);
    if (j.at("version").get<int>() != kRecordVersion) {
      return absl::InvalidArgumentError(absl::StrCat("image record version ",
                                                     j.at("version").get<int>(), " unknown"));
    }
    ImageRecord r;
    r.id = j.at("id").get<std::string>();
    r.repo_tags = j.at("repo_tags").get<std::vector<std::string>>();
    r.repo_digests = j.at("repo_digests").get<std::vector<std::string>>();
    r.manifest_digest = j.at("manifest_digest").get<std::string>();
    r.manifest_media_type = j.value("manifest_media_type", "");
    r.config_size = j.value("config_size", int64_t{0});
    r.layer_digests = j.at("layer_digests").get<std::vector<std::string>>();
    r.layer_sizes = j.value("layer_sizes", std::vector<int64_t>{});
    r.chain_ids = j.at("chain_ids").get<std::vector<std::string>>();
    r.size = j.value("size", int64_t{0});
    r.pinned = j.value("pinned", false);
    r.pulled_unix = j.value("pulled_unix", int64_t{0});
    r.written_ns = j.value("written_ns", int64_t{0});
    RETURN_IF_ERROR(ParseDigest(r.id).status());
    return r;
  } catch (const nlohmann::json::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("image record: ", e.what()));
  }
}

absl::Status ImageStore::Load() {
  RETURN_IF_ERROR(sys::MkdirAll(dir_, 0700));
  ASSIGN_OR_RETURN(std::vector<std::string> names, sys::ListDir(dir_));
  std::lock_guard lock(mu_);
  records_.clear();
  for (const std::string& n : names) {
    if (n.find(".tmp") != std::string::npos) {  // an atomic write cut short by a crash
      RETURN_IF_ERROR(sys::RemoveAll(dir_ + "/" + n));
      continue;
    }
    if (n.size() < 6 || n.substr(n.size() - 5) != ".json") continue;
    auto text = sys::ReadFile(dir_ + "/" + n);
    auto rec = text.ok() ? RecordFromJson(*text) : text.status();
    if (!rec.ok()) {
      sys::LogWarn("skipping unreadable image record",
                   {{"file", n}, {"error", std::string(rec.status().message())}});
      continue;
    }
    records_[rec->id] = *rec;
  }
  return SettleDuplicateTags();
}

absl::Status ImageStore::SettleDuplicateTags() {
  std::map<std::string, ImageRecord*> holder;  // tag → newest record naming it
  for (auto& [id, r] : records_) {
    for (const std::string& t : r.repo_tags) {
      ImageRecord*& h = holder[t];
      if (h == nullptr || h->written_ns < r.written_ns) h = &r;
    }
  }
  for (auto& [id, r] : records_) {
    std::vector<std::string> lost;
    for (const std::string& t : r.repo_tags) {
      if (holder[t] != &r) lost.push_back(t);
    }
    if (lost.empty()) continue;
    for (const std::string& t : lost) Erase(r.repo_tags, t);
    sys::LogWarn("tag found on two images after a crash; kept on the newer",
                 {{"id", id}, {"tags", lost.front()}});
    RETURN_IF_ERROR(Write(r));
  }
  return absl::OkStatus();
}

absl::Status ImageStore::Write(ImageRecord& r) {
  struct timespec now;
  ::clock_gettime(CLOCK_REALTIME, &now);
  r.written_ns = static_cast<int64_t>(now.tv_sec) * 1000000000 + now.tv_nsec;
  return sys::WriteFileAtomic(dir_ + "/" + DigestHex(r.id) + ".json", RecordToJson(r), 0600);
}

absl::Status ImageStore::Put(const ImageRecord& in) {
  std::lock_guard lock(mu_);
  ImageRecord r = in;
  RETURN_IF_ERROR(Write(r));
  records_[r.id] = r;
  std::vector<ImageRecord*> losers;  // in memory at once; on disk after the failpoint
  for (auto& [id, other] : records_) {
    if (id == r.id) continue;
    bool changed = false;
    for (const std::string& t : r.repo_tags) {
      if (std::find(other.repo_tags.begin(), other.repo_tags.end(), t) != other.repo_tags.end()) {
        Erase(other.repo_tags, t);
        changed = true;
      }
    }
    if (changed) losers.push_back(&other);
  }
  RETURN_IF_ERROR(sys::Failpoint(kTagNewHolderWritten));
  for (ImageRecord* other : losers) RETURN_IF_ERROR(Write(*other));
  return absl::OkStatus();
}

absl::Status ImageStore::Delete(const std::string& id) {
  std::lock_guard lock(mu_);
  RETURN_IF_ERROR(sys::RemoveAll(dir_ + "/" + DigestHex(id) + ".json"));
  RETURN_IF_ERROR(sys::SyncDir(dir_));
  records_.erase(id);
  return absl::OkStatus();
}

std::optional<ImageRecord> ImageStore::Get(const std::string& id) const {
  std::lock_guard lock(mu_);
  auto it = records_.find(id);
  if (it == records_.end()) return std::nullopt;
  return it->second;
}

std::vector<ImageRecord> ImageStore::List() const {
  std::lock_guard lock(mu_);
  std::vector<ImageRecord> out;
  for (const auto& [id, r] : records_) out.push_back(r);
  return out;
}

absl::StatusOr<ImageRecord> ImageStore::Resolve(const std::string& ref_or_id) const {
  std::string hex = DigestHex(ref_or_id);
  {
    std::lock_guard lock(mu_);
    if (IsHex(hex) && hex.size() >= 12) {
      const ImageRecord* found = nullptr;
      for (const auto& [id, r] : records_) {
        if (DigestHex(id).rfind(hex, 0) != 0) continue;
        if (found != nullptr) {
          return absl::InvalidArgumentError(absl::StrCat("image id prefix \"", ref_or_id,
                                                         "\" is ambiguous"));
        }
        found = &r;
      }
      if (found != nullptr) return *found;
    }
  }
  auto ref = ParseReference(ref_or_id);
  if (!ref.ok()) {
    return absl::NotFoundError(absl::StrCat("image \"", ref_or_id, "\" not found"));
  }
  std::lock_guard lock(mu_);
  for (const auto& [id, r] : records_) {
    const auto& names = ref->digest.empty() ? r.repo_tags : r.repo_digests;
    std::string want = ref->digest.empty() ? ref->String() : ref->Repository() + "@" + ref->digest;
    if (std::find(names.begin(), names.end(), want) != names.end()) return r;
  }
  return absl::NotFoundError(absl::StrCat("image \"", ref_or_id, "\" not found"));
}

}  // namespace cricket::image
