// The pod's /etc/hostname, /etc/hosts and /etc/resolv.conf contents, and the
// sysctl rules (only namespaced sysctls may be set per pod). Pure.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
namespace runtime::v1 {
class DNSConfig;  // cri/api/api.h
}  // namespace runtime::v1

namespace cricket::pod {

std::string HostnameFile(const std::string& hostname);
// localhost lines plus "<ip>\t<hostname>" for each pod IP.
std::string HostsFile(const std::string& hostname, const std::vector<std::string>& ips);
// From the CRI DNSConfig; when it names no server, the host's resolv.conf
// (passed in) is used as is, as the peers do.
std::string ResolvConf(const runtime::v1::DNSConfig& dns, const std::string& host_resolv);

// OK when every sysctl is namespaced (kernel.shm*, kernel.msg*, kernel.sem,
// fs.mqueue.* in the ipc namespace; net.* in the pod's own network
// namespace). InvalidArgument naming the first one that is not.
absl::Status ValidateSysctls(const std::map<std::string, std::string>& sysctls, bool host_network,
                             bool host_ipc);

}  // namespace cricket::pod
