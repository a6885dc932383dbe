// passwd/group parsing and the CRI's user rules (run_as_user,
// run_as_username, run_as_group, supplemental groups and their policy).
#include "pod/spec/users.h"

#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace cricket::pod::spec {
namespace {

struct Entry {
  std::vector<std::string> fields;
};

std::vector<Entry> ParseColonFile(const std::string& text) {
  std::vector<Entry> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    out.push_back({absl::StrSplit(line, ':')});
  }
  return out;
}

bool ParseId(const std::string& s, uint32_t* out) { return absl::SimpleAtoi(s, out); }

// passwd: name:x:uid:gid:gecos:home:shell
const Entry* FindUser(const std::vector<Entry>& pw, const std::string& name_or_uid) {
  uint32_t uid;
  bool numeric = ParseId(name_or_uid, &uid);
  for (const auto& e : pw) {
    if (e.fields.size() < 7) continue;
    if (numeric ? e.fields[2] == name_or_uid : e.fields[0] == name_or_uid) return &e;
  }
  return nullptr;
}

absl::StatusOr<uint32_t> ResolveGroup(const std::vector<Entry>& gr, const std::string& g) {
  uint32_t gid;
  if (ParseId(g, &gid)) return gid;
  for (const auto& e : gr) {
    if (e.fields.size() >= 3 && e.fields[0] == g && ParseId(e.fields[2], &gid)) return gid;
  }
  return absl::NotFoundError(absl::StrCat("group \"", g, "\" is not in the image's /etc/group"));
}

// Groups that list `name` as a member (the image's /etc/group), as the peers add.
std::vector<uint32_t> MemberGroups(const std::vector<Entry>& gr, const std::string& name,
                                   uint32_t primary) {
  std::vector<uint32_t> out;
  if (name.empty()) return out;
  for (const auto& e : gr) {
    uint32_t gid;
    if (e.fields.size() < 4 || !ParseId(e.fields[2], &gid) || gid == primary) continue;
    for (absl::string_view m : absl::StrSplit(e.fields[3], ',')) {
      if (m == name) out.push_back(gid);
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<ResolvedUser> ResolveUserString(const std::string& user, const std::string& passwd,
                                               const std::string& group) {
  auto pw = ParseColonFile(passwd);
  auto gr = ParseColonFile(group);
  std::string u = user, g;
  if (auto colon = user.find(':'); colon != std::string::npos) {
    u = user.substr(0, colon);
    g = user.substr(colon + 1);
  }
  ResolvedUser r;
  std::string name;
  if (u.empty()) u = "0";
  if (const Entry* e = FindUser(pw, u)) {
    if (!ParseId(e->fields[2], &r.uid) || !ParseId(e->fields[3], &r.gid)) {
      return absl::InvalidArgumentError(absl::StrCat("image /etc/passwd entry for \"", u, "\" is malformed"));
    }
    name = e->fields[0];
    r.home = e->fields[5];
  } else if (!ParseId(u, &r.uid)) {
    return absl::NotFoundError(absl::StrCat("user \"", u, "\" is not in the image's /etc/passwd"));
  }
  if (!g.empty()) {
    auto gid = ResolveGroup(gr, g);
    if (!gid.ok()) return gid.status();
    r.gid = *gid;
  }
  r.additional_gids = MemberGroups(gr, name, r.gid);
  if (r.home.empty()) r.home = "/";
  return r;
}

absl::StatusOr<ResolvedUser> ResolveUser(const Inputs& in) {
  const auto& sc = in.config->linux().security_context();
  std::string user = in.image.user;
  if (sc.has_run_as_user()) {
    user = std::to_string(sc.run_as_user().value());
  } else if (!sc.run_as_username().empty()) {
    user = sc.run_as_username();
  }
  // run_as_group needs a user from the CRI or the image, as the CRI says
  // ("otherwise, the runtime MUST error").
  if (sc.has_run_as_group()) {
    if (auto colon = user.find(':'); colon != std::string::npos) user = user.substr(0, colon);
    if (user.empty()) {
      return absl::InvalidArgumentError(
          "security_context.run_as_group is set without run_as_user, run_as_username or a user "
          "in the image config");
    }
    user = absl::StrCat(user, ":", sc.run_as_group().value());
  }
  auto r = ResolveUserString(user, in.etc_passwd, in.etc_group);
  if (!r.ok()) return r.status();
  if (sc.supplemental_groups_policy() == runtime::v1::SupplementalGroupsPolicy::Strict) {
    r->additional_gids.clear();
  }
  for (int64_t g : sc.supplemental_groups()) r->additional_gids.push_back(static_cast<uint32_t>(g));
  return r;
}

}  // namespace cricket::pod::spec
