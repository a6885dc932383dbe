#include "pod/cdi/registry.h"

#include <sys/stat.h>

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/status.h"

namespace cricket::pod::cdi {
namespace {

// Large vendor specs (a GPU node's) are a few hundred KiB.
constexpr off_t kMaxSpecBytes = 16 << 20;

absl::StatusOr<LoadedSpec> LoadFile(const std::string& path, Format format, int priority) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return sys::ErrnoStatus(errno, "CDI spec file %s", path);
  if (st.st_size > kMaxSpecBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("CDI spec file ", path, ": larger than ", kMaxSpecBytes, " bytes"));
  }
  absl::StatusOr<std::string> text = sys::ReadFile(path);
  if (!text.ok()) return sys::Annotate(text.status(), "CDI spec file %s", path);
  absl::StatusOr<SpecFile> spec = ParseSpec(*text, format);
  if (!spec.ok()) return sys::Annotate(spec.status(), "CDI spec file %s", path);
  return LoadedSpec{path, priority, *std::move(spec)};
}

// The spec files of one dir, by name; none when the dir does not exist.
absl::StatusOr<std::vector<std::string>> SpecFilesIn(const std::string& dir) {
  absl::StatusOr<std::vector<std::string>> names = sys::ListDir(dir);
  if (absl::IsNotFound(names.status())) return std::vector<std::string>{};
  if (!names.ok()) return sys::Annotate(names.status(), "CDI spec dir %s", dir);
  std::sort(names->begin(), names->end());
  std::vector<std::string> files;
  for (const std::string& n : *names) {
    std::string path = absl::StrCat(dir, "/", n);
    struct stat st;
    if (!FormatOf(n) || ::stat(path.c_str(), &st) != 0 || S_ISDIR(st.st_mode)) continue;
    files.push_back(path);
  }
  return files;
}

}  // namespace

absl::StatusOr<Registry> Registry::Load(const std::vector<std::string>& dirs) {
  std::vector<LoadedSpec> specs;
  for (size_t i = 0; i < dirs.size(); i++) {
    ASSIGN_OR_RETURN(std::vector<std::string> files, SpecFilesIn(dirs[i]));
    for (const std::string& f : files) {
      ASSIGN_OR_RETURN(LoadedSpec s, LoadFile(f, *FormatOf(f), static_cast<int>(i)));
      specs.push_back(std::move(s));
    }
  }
  return FromSpecs(std::move(specs), dirs);
}

Registry Registry::FromSpecs(std::vector<LoadedSpec> specs, std::vector<std::string> dirs) {
  Registry r;
  r.specs_ = std::move(specs);
  r.dirs_ = std::move(dirs);
  for (size_t s = 0; s < r.specs_.size(); s++) {
    const LoadedSpec& ls = r.specs_[s];
    for (size_t d = 0; d < ls.spec.devices.size(); d++) {
      std::string name = absl::StrCat(ls.spec.kind, "=", ls.spec.devices[d].name);
      auto [it, fresh] = r.devices_.try_emplace(name, Entry{s, d, ""});
      if (fresh) continue;
      int old = r.specs_[it->second.spec].priority;
      if (ls.priority > old) {
        it->second = Entry{s, d, ""};  // a later dir overrides
      } else if (ls.priority == old && it->second.conflict.empty()) {
        it->second.conflict = ls.path;
      }
    }
  }
  return r;
}

absl::StatusOr<std::vector<EditSet>> Registry::Resolve(
    const std::vector<QualifiedName>& names) const {
  std::vector<EditSet> out;
  std::set<size_t> specs_done;
  for (const QualifiedName& q : names) {
    auto it = devices_.find(q.str());
    if (it == devices_.end()) {
      return absl::NotFoundError(absl::StrCat("unknown CDI device \"", q.str(), "\" (no spec file in ",
                                              dirs_.empty() ? "(no cdi_spec_dirs)" : absl::StrJoin(dirs_, ", "),
                                              " defines it)"));
    }
    const Entry& e = it->second;
    const LoadedSpec& ls = specs_[e.spec];
    if (!e.conflict.empty()) {
      return absl::FailedPreconditionError(absl::StrCat("CDI device \"", q.str(),
                                                        "\" is defined by both ", ls.path,
                                                        " and ", e.conflict));
    }
    if (specs_done.insert(e.spec).second && !ls.spec.edits.empty()) {
      out.push_back(EditSet{absl::StrCat("CDI spec file ", ls.path), ls.spec.edits});
    }
    out.push_back(EditSet{absl::StrCat("CDI device ", q.str()), ls.spec.devices[e.device].edits});
  }
  return out;
}

}  // namespace cricket::pod::cdi
