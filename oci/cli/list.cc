// `cricket-oci list`: runc's table (tabwriter: min width 12, padding 3),
// `--format json` (an array of state objects, "null" when empty, as runc
// prints) or `-q` (ids only).
#include <pwd.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <map>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "oci/cli/command.h"
#include "oci/cli/state_json.h"

namespace cricket::oci::cli {
namespace {

// runc's list shows the owner of the state directory by name. The names
// are cached: each getpwuid reads the passwd database again, and the
// containers of one root mostly share one owner.
std::string OwnerName(const Context& ctx, const ContainerState& s) {
  static std::map<uid_t, std::string> names;
  if (!s.owner.empty()) return s.owner;
  struct stat st;
  if (stat((ctx.options.root + "/" + s.id).c_str(), &st) != 0) return "";
  auto it = names.find(st.st_uid);
  if (it == names.end()) {
    struct passwd* pw = getpwuid(st.st_uid);
    it = names.emplace(st.st_uid, pw ? pw->pw_name : std::to_string(st.st_uid)).first;
  }
  return it->second;
}

void PrintTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(rows[0].size(), 0);
  for (const auto& r : rows) {
    for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size() + 3);
  }
  for (const auto& r : rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) {
      line += r[i];
      if (i + 1 < r.size()) line.append(std::max<size_t>(width[i], 12) - r[i].size(), ' ');
    }
    std::printf("%s\n", line.c_str());
  }
}

int Run(Context& ctx, const Args& args) {
  std::string format = args.Get("format", "table");
  if (format != "table" && format != "json") {
    return Fail(ctx, absl::InvalidArgumentError("invalid format option \"" + format + "\""));
  }
  auto list = ctx.runtime().List();
  if (!list.ok()) return Fail(ctx, list.status());
  std::sort(list->begin(), list->end(),
            [](const ContainerState& a, const ContainerState& b) { return a.id < b.id; });
  if (args.Has("quiet")) {
    for (const ContainerState& s : *list) std::printf("%s\n", s.id.c_str());
    return 0;
  }
  if (format == "json") {
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    for (ContainerState s : *list) {
      s.owner = OwnerName(ctx, s);
      arr.push_back(StateToJson(s));
    }
    std::printf("%s\n", list->empty() ? "null" : arr.dump().c_str());
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {
      {"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"}};
  for (const ContainerState& s : *list) {
    rows.push_back({s.id, std::to_string(s.pid), s.status, s.bundle, s.created, OwnerName(ctx, s)});
  }
  PrintTable(rows);
  return 0;
}

}  // namespace

Command ListVerb() {
  return {"list", "[command options]", "lists containers started with the given root",
          {{"format", 'f', true}, {"quiet", 'q', false}}, false, Run};
}

}  // namespace cricket::oci::cli
