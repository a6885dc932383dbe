#include "network/conf_template.h"

#include <arpa/inet.h>

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "nlohmann/json.hpp"
#include "oci/sys/atomic_file.h"
#include "oci/sys/status.h"

namespace cricket::network {
namespace {

absl::Status CheckCidr(const std::string& cidr) {
  std::vector<std::string> parts = absl::StrSplit(cidr, '/');
  unsigned char buf[16];
  int prefix = -1;
  if (parts.size() == 2 && !parts[1].empty() && parts[1].size() <= 3 &&
      parts[1].find_first_not_of("0123456789") == std::string::npos) {
    prefix = std::stoi(parts[1]);
  }
  const bool v4 = ::inet_pton(AF_INET, parts[0].c_str(), buf) == 1;
  const bool v6 = !v4 && ::inet_pton(AF_INET6, parts[0].c_str(), buf) == 1;
  if (prefix < 0 || (!v4 && !v6) || prefix > (v4 ? 32 : 128)) {
    return absl::InvalidArgumentError(absl::StrCat("pod_cidr: \"", cidr, "\" is not a CIDR"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> RenderConfTemplate(std::string_view tmpl_in,
                                               std::string_view pod_cidr) {
  // Debian's absl has its own string_view.
  const absl::string_view tmpl(tmpl_in.data(), tmpl_in.size());
  std::vector<std::string> cidrs;
  for (absl::string_view c :
       absl::StrSplit(absl::string_view(pod_cidr.data(), pod_cidr.size()), ',', absl::SkipWhitespace())) {
    std::string cidr(absl::StripAsciiWhitespace(c));
    RETURN_IF_ERROR(CheckCidr(cidr));
    cidrs.push_back(cidr);
  }
  if (cidrs.empty()) return absl::InvalidArgumentError("pod_cidr is empty");
  std::vector<std::string> ranges;
  for (const auto& c : cidrs) ranges.push_back(absl::StrCat("[{\"subnet\": \"", c, "\"}]"));
  std::string out;
  size_t at = 0;
  while (true) {
    size_t open = tmpl.find("{{", at);
    absl::StrAppend(&out, tmpl.substr(at, open == absl::string_view::npos ? open : open - at));
    if (open == absl::string_view::npos) break;
    size_t close = tmpl.find("}}", open);
    if (close == absl::string_view::npos) {
      return absl::InvalidArgumentError("cni.conf_template: unclosed {{");
    }
    absl::string_view name = absl::StripAsciiWhitespace(tmpl.substr(open + 2, close - open - 2));
    if (name == ".PodCIDR") {
      out += cidrs[0];
    } else if (name == ".PodCIDRRanges") {
      out += absl::StrJoin(ranges, ", ");
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "cni.conf_template: unknown placeholder {{", name, "}} (known: .PodCIDR, .PodCIDRRanges)"));
    }
    at = close + 2;
  }
  return out;
}

absl::Status WriteTemplatedConf(const std::string& template_path, const std::string& conf_dir,
                                std::string_view pod_cidr) {
  ASSIGN_OR_RETURN(std::string tmpl, sys::ReadFile(template_path));
  auto rendered = RenderConfTemplate(tmpl, pod_cidr);
  if (!rendered.ok()) return sys::Annotate(rendered.status(), "template %s", template_path);
  if (nlohmann::json::parse(*rendered, nullptr, false).is_discarded()) {
    return absl::InvalidArgumentError(
        absl::StrCat("cni.conf_template ", template_path, ": not JSON once rendered"));
  }
  const std::string path = absl::StrCat(conf_dir, "/", kTemplatedConfName);
  return sys::Annotate(sys::WriteFileAtomic(path, *rendered, 0644), "write CNI config %s", path);
}

}  // namespace cricket::network
