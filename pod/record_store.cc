// Versioned JSON records with atomic writes and crash-tolerant loading.
#include "pod/record_store.h"

#include <unistd.h>

#include <cstdio>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"
#include "pod/monitor/protocol/runtime_file.h"

namespace cricket::pod {
namespace {

constexpr char kSuffix[] = ".json";

absl::StatusOr<RecordStore::Loaded> Decode(const std::string& id, const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return absl::DataLossError("not a JSON object");
  if (!j.contains("version") || !j["version"].is_number_integer()) {
    return absl::DataLossError("no integer \"version\"");
  }
  if (!j.contains("body") || !j["body"].is_object()) return absl::DataLossError("no \"body\" object");
  RecordStore::Loaded l;
  l.id = id;
  l.version = j["version"].get<int>();
  if (l.version > kRecordVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat("record version ", l.version, " is newer than this cricketd understands (",
                     kRecordVersion, ")"));
  }
  l.body = std::move(j["body"]);
  return l;
}

}  // namespace

std::string RecordStore::PathOf(const std::string& kind, const std::string& id) const {
  return absl::StrCat(dir_, "/", kind, "/", id, kSuffix);
}

absl::Status RecordStore::Put(const std::string& kind, const std::string& id,
                              const nlohmann::json& body) {
  RETURN_IF_ERROR(sys::MkdirAll(absl::StrCat(dir_, "/", kind), 0700));
  nlohmann::json j = {{"version", kRecordVersion}, {"kind", kind}, {"id", id}, {"body", body}};
  std::string path = PathOf(kind, id);
  // A new record needs the directory fsync too, so that its name survives a
  // power loss. An update (a state change) does not: losing only the rename
  // leaves the previous record, which is whole and was durable already.
  bool update = ::access(path.c_str(), F_OK) == 0;
  absl::Status st = update ? WriteFileReplacing(path, j.dump(), 0600, /*fsync_file=*/true)
                           : sys::WriteFileAtomic(path, j.dump(), 0600);
  return sys::Annotate(st, "save %s record %s", kind, id);
}

absl::Status RecordStore::Delete(const std::string& kind, const std::string& id) {
  std::string p = PathOf(kind, id);
  if (::remove(p.c_str()) != 0 && errno != ENOENT) return sys::ErrnoStatus(errno, "remove %s", p);
  absl::Status st = sys::SyncDir(absl::StrCat(dir_, "/", kind));
  return st.code() == absl::StatusCode::kNotFound ? absl::OkStatus() : st;
}

absl::StatusOr<nlohmann::json> RecordStore::Get(const std::string& kind, const std::string& id) {
  ASSIGN_OR_RETURN(std::string text, sys::ReadFile(PathOf(kind, id)));
  auto l = Decode(id, text);
  if (!l.ok()) return sys::Annotate(l.status(), "%s record %s", kind, id);
  return std::move(l->body);
}

void RecordStore::Quarantine(const std::string& kind, const std::string& id,
                             const std::string& why) {
  const std::string qdir = QuarantineDir(kind);
  const std::string to = absl::StrCat(qdir, "/", id, kSuffix);
  absl::Status st = sys::MkdirAll(qdir, 0700);
  if (st.ok() && ::rename(PathOf(kind, id).c_str(), to.c_str()) != 0) {
    st = sys::ErrnoStatus(errno, "move to %s", to);
  }
  sys::LogError("unusable record set aside; its objects are left running and alone",
                {{"kind", kind}, {"id", id}, {"why", why}, {"moved_to", to},
                 {"result", st.ok() ? "ok" : st.ToString()}});
}

absl::StatusOr<std::vector<RecordStore::Loaded>> RecordStore::LoadAll(
    const std::string& kind, std::vector<std::string>* set_aside) {
  std::string d = absl::StrCat(dir_, "/", kind);
  auto names = sys::ListDir(d);
  if (!names.ok()) {
    if (names.status().code() == absl::StatusCode::kNotFound) return std::vector<Loaded>{};
    return names.status();
  }
  std::vector<Loaded> out;
  for (const std::string& name : *names) {
    std::string path = absl::StrCat(d, "/", name);
    if (absl::StrContains(name, ".tmp-")) {  // a write cut short by a crash
      ::remove(path.c_str());
      continue;
    }
    if (!absl::EndsWith(name, kSuffix)) continue;
    std::string id = name.substr(0, name.size() - sizeof(kSuffix) + 1);
    auto text = sys::ReadFile(path);
    absl::StatusOr<Loaded> l = text.ok() ? Decode(id, *text) : text.status();
    if (!l.ok()) {
      if (set_aside != nullptr) set_aside->push_back(id);
      if (l.status().code() == absl::StatusCode::kFailedPrecondition) {
        // Written by a newer cricketd: keep it in place for that version.
        sys::LogError("record from a newer cricketd skipped; its objects are left running and alone",
                      {{"path", path}, {"error", std::string(l.status().message())}});
      } else {
        Quarantine(kind, id, std::string(l.status().message()));
      }
      continue;
    }
    out.push_back(std::move(*l));
  }
  return out;
}

std::set<std::string> RecordIdsOnDisk(const std::string& dir, const std::string& kind) {
  std::set<std::string> out;
  for (const std::string& d : {absl::StrCat(dir, "/", kind), absl::StrCat(dir, "/quarantine/", kind)}) {
    for (const std::string& name : sys::ListDir(d).value_or(std::vector<std::string>{})) {
      if (absl::EndsWith(name, kSuffix)) out.insert(name.substr(0, name.size() - sizeof(kSuffix) + 1));
    }
  }
  return out;
}

std::vector<std::string> SetAsideRecords(const std::string& dir) {
  std::vector<std::string> out;
  for (const char* kind : {"sandboxes", "containers"}) {
    const std::string kdir = absl::StrCat(dir, "/", kind);
    for (const std::string& name : sys::ListDir(kdir).value_or(std::vector<std::string>{})) {
      if (!absl::EndsWith(name, kSuffix)) continue;
      auto text = sys::ReadFile(absl::StrCat(kdir, "/", name));
      auto l = text.ok() ? Decode(name, *text) : text.status();
      if (l.status().code() == absl::StatusCode::kFailedPrecondition) {
        out.push_back(absl::StrCat(kind, "/", name, ": ", l.status().message()));
      }
    }
    const std::string qdir = absl::StrCat(dir, "/quarantine/", kind);
    for (const std::string& name : sys::ListDir(qdir).value_or(std::vector<std::string>{})) {
      out.push_back(absl::StrCat(kind, "/", name, ": unreadable, in ", qdir));
    }
  }
  return out;
}

}  // namespace cricket::pod
