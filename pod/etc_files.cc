// Pod /etc files and sysctl namespacing rules.
#include "pod/etc_files.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cri/api/api.h"

namespace cricket::pod {

std::string HostnameFile(const std::string& hostname) { return hostname + "\n"; }

std::string HostsFile(const std::string& hostname, const std::vector<std::string>& ips) {
  std::string out =
      "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
      "fe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\n"
      "fe00::2\tip6-allrouters\n";
  for (const auto& ip : ips) absl::StrAppend(&out, ip, "\t", hostname, "\n");
  return out;
}

std::string ResolvConf(const runtime::v1::DNSConfig& dns, const std::string& host_resolv) {
  if (dns.servers().empty()) return host_resolv;
  std::string out;
  if (!dns.searches().empty()) absl::StrAppend(&out, "search ", absl::StrJoin(dns.searches(), " "), "\n");
  for (const auto& s : dns.servers()) absl::StrAppend(&out, "nameserver ", s, "\n");
  if (!dns.options().empty()) absl::StrAppend(&out, "options ", absl::StrJoin(dns.options(), " "), "\n");
  return out;
}

absl::Status ValidateSysctls(const std::map<std::string, std::string>& sysctls, bool host_network,
                             bool host_ipc) {
  for (const auto& [raw, value] : sysctls) {
    std::string key = raw;
    for (char& c : key) {
      if (c == '/') c = '.';
    }
    bool ipc = key == "kernel.sem" || absl::StartsWith(key, "kernel.shm") ||
               absl::StartsWith(key, "kernel.msg") || absl::StartsWith(key, "fs.mqueue.");
    bool net = absl::StartsWith(key, "net.");
    if (ipc && host_ipc) {
      return absl::InvalidArgumentError(
          absl::StrCat("sysctl ", raw, " would change the host's IPC namespace (hostIPC pod)"));
    }
    if (net && host_network) {
      return absl::InvalidArgumentError(
          absl::StrCat("sysctl ", raw, " would change the host's network namespace (hostNetwork pod)"));
    }
    if (!ipc && !net) {
      return absl::InvalidArgumentError(
          absl::StrCat("sysctl ", raw, " is not namespaced: it would change the whole node"));
    }
  }
  return absl::OkStatus();
}

}  // namespace cricket::pod
