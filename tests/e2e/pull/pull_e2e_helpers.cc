// Registry config and credentials per variant, the big image, and the
// in-container tree checker (see pull_e2e_helpers.h).
#include "tests/e2e/pull/pull_e2e_helpers.h"

#include <sys/stat.h>

#include <filesystem>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "image/digest.h"
#include "image/paths.h"
#include "oci/sys/status.h"
#include "oci/sys/temp_dir.h"
#include "tests/fixtures/expected_tree.h"

namespace cricket::testing {
namespace {

// Runtime mounts a container may have over paths of its image; anything else
// hiding an image path would hide a real difference.
const std::set<std::string> kRuntimeMountRoots = {"proc",      "dev",          "sys",
                                                  "etc/hosts", "etc/hostname", "etc/resolv.conf"};

// One line of `stat -c '%n|%f|%u|%g|%s|%i|%h|%N'`.
absl::Status ParseStatLine(const std::string& line, ContainerTree* tree) {
  std::vector<std::string> f = absl::StrSplit(line, absl::MaxSplits('|', 7));
  SeenEntry e;
  uint32_t mode = 0;
  if (f.size() != 8 || f[0].empty() || f[0][0] != '/' || !absl::SimpleHexAtoi(f[1], &mode) ||
      !absl::SimpleAtoi(f[2], &e.uid) || !absl::SimpleAtoi(f[3], &e.gid) ||
      !absl::SimpleAtoi(f[4], &e.size) || !absl::SimpleAtoi(f[5], &e.inode) ||
      !absl::SimpleAtoi(f[6], &e.nlink)) {
    return absl::InvalidArgumentError("unparsable stat line: " + line);
  }
  e.mode = static_cast<mode_t>(mode);
  if (f[0] == "/") return absl::OkStatus();
  if (S_ISLNK(e.mode)) {
    // %N of a symlink is "'<name>' -> '<target>'".
    size_t arrow = f[7].find("' -> '");
    if (arrow == std::string::npos || f[7].back() != '\'') {
      return absl::InvalidArgumentError("unparsable symlink in stat line: " + line);
    }
    e.link = f[7].substr(arrow + 6, f[7].size() - arrow - 7);
  }
  tree->entries[f[0].substr(1)] = std::move(e);
  return absl::OkStatus();
}

bool UnderMount(const std::string& rel, const std::vector<std::string>& mounts) {
  for (const std::string& m : mounts) {
    if (m == "/") continue;
    std::string r = m.substr(1);
    if (rel == r || rel.rfind(r + "/", 0) == 0) return true;
  }
  return false;
}

std::string TopMountRoot(const std::string& rel) {
  for (const std::string& root : kRuntimeMountRoots) {
    if (rel == root || rel.rfind(root + "/", 0) == 0) return root;
  }
  return "";
}

// Attributes of one expected path against what stat showed.
void CompareEntry(const std::map<std::string, LayerEntry>& tree, const std::string& path,
                  const LayerEntry& e, const SeenEntry& s, std::vector<std::string>* problems) {
  const LayerEntry& src = InodeOwner(tree, e);
  mode_t want_type = e.type == LayerEntry::kDir       ? S_IFDIR
                     : e.type == LayerEntry::kSymlink ? S_IFLNK
                                                      : S_IFREG;
  auto bad = [&](const std::string& what) { problems->push_back(path + ": " + what); };
  if ((s.mode & S_IFMT) != want_type) {
    return bad(absl::StrFormat("type %o, want %o", s.mode & S_IFMT, want_type));
  }
  // Symlink permission bits are always 0777 on Linux; tar's are meaningless.
  if (want_type != S_IFLNK && (s.mode & 07777) != static_cast<mode_t>(src.mode)) {
    bad(absl::StrFormat("mode %04o, want %04o", s.mode & 07777, src.mode));
  }
  if (s.uid != static_cast<uid_t>(src.uid) || s.gid != static_cast<gid_t>(src.gid)) {
    bad(absl::StrFormat("owner %d:%d, want %d:%d", s.uid, s.gid, src.uid, src.gid));
  }
  if (want_type == S_IFLNK && s.link != e.link) {
    bad(absl::StrCat("symlink to \"", s.link, "\", want \"", e.link, "\""));
  }
  if (want_type == S_IFREG) {
    if (s.size != static_cast<int64_t>(src.content.size())) {
      bad(absl::StrCat("size ", s.size, ", want ", src.content.size()));
    }
    std::string want_sha = image::Sha256String(src.content);
    if (s.sha256 != want_sha) bad(absl::StrCat("content ", s.sha256, ", want ", want_sha));
  }
}

// Names of one inode must be one inode, and distinct inodes distinct, with
// st_nlink counting exactly the names the layers gave it.
void CompareLinks(const std::map<std::string, LayerEntry>& tree,
                  const std::map<std::string, const SeenEntry*>& files,
                  std::vector<std::string>* problems) {
  std::map<std::string, int> names;  // owner path -> expected link count
  for (const auto& [path, s] : files) names[InodeOwner(tree, tree.at(path)).path]++;
  std::map<uint64_t, std::string> owner_of_inode;
  std::map<std::string, uint64_t> inode_of_owner;
  for (const auto& [path, s] : files) {
    const std::string& owner = InodeOwner(tree, tree.at(path)).path;
    auto [i, new_inode] = owner_of_inode.emplace(s->inode, owner);
    auto [o, new_owner] = inode_of_owner.emplace(owner, s->inode);
    if (!new_inode && i->second != owner) {
      problems->push_back(path + ": shares its inode with " + i->second + ", want its own file");
    }
    if (!new_owner && o->second != s->inode) {
      problems->push_back(path + ": not a hard link of " + owner);
    }
    if (s->nlink != static_cast<uint64_t>(names[owner])) {
      problems->push_back(absl::StrCat(path, ": ", s->nlink, " links, want ", names[owner]));
    }
  }
}

}  // namespace

std::string RegistryConfigYaml(const RegistryFixture& registry) {
  std::string entry = registry.mode() == RegistryMode::kTlsBasic
                          ? absl::StrCat("      ca_file: ", registry.ca_file(), "\n")
                          : "      insecure: true\n";
  return absl::StrCat("registries:\n  hosts:\n    \"", registry.HostPort(), "\":\n", entry);
}

::runtime::v1::AuthConfig KubeletAuth(const RegistryFixture& registry,
                                      const std::string& password) {
  ::runtime::v1::AuthConfig auth;
  if (registry.mode() == RegistryMode::kPlain) return auth;
  auth.set_username(RegistryFixture::kUser);
  auth.set_password(password);
  auth.set_server_address(registry.HostPort());
  return auth;
}

absl::StatusOr<std::string> PushSpec(const RegistryFixture& registry, const TestImageSpec& spec,
                                     const std::string& repo, const std::string& tag,
                                     std::string* manifest_digest) {
  ASSIGN_OR_RETURN(sys::TempDir layout, sys::TempDir::Make("cricket-e2e-layout-"));
  ASSIGN_OR_RETURN(*manifest_digest, WriteImage(layout.path(), spec, tag));
  RETURN_IF_ERROR(PushLayout(layout.path(), tag, registry, repo, false));
  return registry.HostPort() + "/" + repo + ":" + tag;
}

absl::StatusOr<TestImageSpec> BigImage(size_t bytes) {
  ASSIGN_OR_RETURN(TestImageSpec spec, BusyboxImage());
  std::string blob(bytes, '\0');
  uint64_t x = 0x9e3779b97f4a7c15ull;  // xorshift64: fast, and gzip cannot shrink it
  for (size_t i = 0; i < bytes; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    blob[i] = static_cast<char>(x);
  }
  using E = LayerEntry;
  spec.layers.push_back({{E::kDir, "big", "", "", 0755},
                         {E::kFile, "big/blob", std::move(blob), "", 0644},
                         {E::kFile, "big/marker", "whole\n", "", 0444, 1000, 1000}});
  // Uncompressed: building a gzip of it would cost the test more than the pull.
  spec.compression = Compression::kNone;
  return spec;
}

absl::Status RewindToCompletePartials(const std::string& root_dir) {
  namespace fs = std::filesystem;
  const image::Paths paths(root_dir);
  std::error_code ec;
  for (const auto& blob : fs::directory_iterator(paths.blobs(), ec)) {
    fs::rename(blob.path(), fs::path(paths.ingest()) / blob.path().filename(), ec);
    if (ec)
      return absl::InternalError(absl::StrCat("move ", blob.path().string(), ": ", ec.message()));
  }
  for (const std::string& dir : {paths.layers(), paths.records()}) {
    for (const auto& entry : fs::directory_iterator(dir, ec)) fs::remove_all(entry.path(), ec);
    if (ec) return absl::InternalError(absl::StrCat("empty ", dir, ": ", ec.message()));
  }
  return absl::OkStatus();
}

absl::StatusOr<ContainerTree> ReadContainerTree(const ExecFn& exec) {
  // -xdev keeps find on the container's root overlay: the runtime's own
  // mounts (/proc, /sys, /dev) are not the image's.
  ASSIGN_OR_RETURN(std::string stats, exec({"find", "/", "-xdev", "-exec", "stat", "-c",
                                            "%n|%f|%u|%g|%s|%i|%h|%N", "{}", "+"}));
  ASSIGN_OR_RETURN(std::string sums,
                   exec({"find", "/", "-xdev", "-type", "f", "-exec", "sha256sum", "{}", "+"}));
  ASSIGN_OR_RETURN(std::string mountinfo, exec({"cat", "/proc/self/mountinfo"}));
  ContainerTree tree;
  for (absl::string_view line : absl::StrSplit(stats, '\n', absl::SkipEmpty())) {
    RETURN_IF_ERROR(ParseStatLine(std::string(line), &tree));
  }
  for (absl::string_view line : absl::StrSplit(sums, '\n', absl::SkipEmpty())) {
    // "<64 hex>  /<path>"
    if (line.size() < 67 || line.substr(64, 3) != "  /") {
      return absl::InvalidArgumentError(absl::StrCat("unparsable sha256sum line: ", line));
    }
    auto it = tree.entries.find(std::string(line.substr(67)));
    if (it != tree.entries.end()) it->second.sha256 = absl::StrCat("sha256:", line.substr(0, 64));
  }
  for (absl::string_view line : absl::StrSplit(mountinfo, '\n', absl::SkipEmpty())) {
    std::vector<absl::string_view> f = absl::StrSplit(line, ' ');
    if (f.size() > 4) tree.mounts.emplace_back(f[4]);
  }
  return tree;
}

TreeComparison CompareTree(const TestImageSpec& spec, const ContainerTree& seen) {
  TreeComparison out;
  const std::map<std::string, LayerEntry> tree = ExpectedTree(spec);
  std::map<std::string, const SeenEntry*> files;  // regular files, for link identity
  for (const auto& [path, e] : tree) {
    if (UnderMount(path, seen.mounts)) {
      out.masked.push_back(path);
      if (TopMountRoot(path).empty()) out.problems.push_back(path + ": hidden by a mount");
      continue;
    }
    auto it = seen.entries.find(path);
    if (it == seen.entries.end()) {
      out.problems.push_back(path + ": missing");
      continue;
    }
    out.compared++;
    CompareEntry(tree, path, e, it->second, &out.problems);
    if (S_ISREG(it->second.mode) && e.type != LayerEntry::kDir && e.type != LayerEntry::kSymlink) {
      files[path] = &it->second;
    }
  }
  CompareLinks(tree, files, &out.problems);
  for (const auto& [path, s] : seen.entries) {
    if (!tree.count(path) && !UnderMount(path, seen.mounts)) {
      out.problems.push_back(path + ": not in any layer");
    }
  }
  return out;
}

}  // namespace cricket::testing
