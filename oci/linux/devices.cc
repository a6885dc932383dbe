// mknod / bind of device nodes inside the rootfs, resolved with openat2.
#include "oci/linux/devices.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "oci/linux/rootfs.h"
#include "oci/sys/safe_path.h"
#include "oci/sys/scoped_mount.h"
#include "oci/sys/status.h"

namespace cricket::oci::linux {
namespace {

mode_t TypeBits(const std::string& t) {
  if (t == "b") return S_IFBLK;
  if (t == "p") return S_IFIFO;
  return S_IFCHR;  // "c" and "u"
}

absl::Status MakeNode(int root_fd, const Device& d) {
  ASSIGN_OR_RETURN(sys::UniqueFd dir, sys::MkdirAllInRoot(root_fd, ParentPath(d.path)));
  std::string base = BaseName(d.path);
  mode_t mode = TypeBits(d.type) | (d.file_mode ? (*d.file_mode & 07777) : 0666);
  dev_t dev = makedev(static_cast<unsigned>(d.major), static_cast<unsigned>(d.minor));
  ::unlinkat(dir.get(), base.c_str(), 0);  // replace whatever the image had there
  if (::mknodat(dir.get(), base.c_str(), mode, dev) != 0) {
    return sys::ErrnoStatus(errno, "mknod %s", d.path);
  }
  // mknod honours the umask; set the exact mode and owner the spec asks for.
  if (::fchmodat(dir.get(), base.c_str(), mode & 07777, 0) != 0) {
    return sys::ErrnoStatus(errno, "chmod %s", d.path);
  }
  if (::fchownat(dir.get(), base.c_str(), d.uid.value_or(0), d.gid.value_or(0),
                 AT_SYMLINK_NOFOLLOW) != 0) {
    return sys::ErrnoStatus(errno, "chown %s", d.path);
  }
  return absl::OkStatus();
}

absl::Status BindNode(int root_fd, const Device& d) {
  std::string host = d.path;
  ASSIGN_OR_RETURN(sys::UniqueFd target, MountPointInRoot(root_fd, d.path, true));
  return sys::Mount(host, sys::FdPath(target.get()), "", MS_BIND);
}

}  // namespace

std::vector<Device> DefaultDevices() {
  auto dev = [](const char* path, int major, int minor) {
    Device d;
    d.type = "c";
    d.path = path;
    d.major = major;
    d.minor = minor;
    d.file_mode = 0666;
    d.uid = 0;
    d.gid = 0;
    return d;
  };
  return {dev("/dev/null", 1, 3),   dev("/dev/zero", 1, 5),    dev("/dev/full", 1, 7),
          dev("/dev/random", 1, 8), dev("/dev/urandom", 1, 9), dev("/dev/tty", 5, 0)};
}

std::vector<cgroup::DeviceRule> DefaultDeviceRules() {
  auto rule = [](const char* type, std::optional<int64_t> major, std::optional<int64_t> minor,
                 const char* access) {
    cgroup::DeviceRule r;
    r.allow = true;
    r.type = type;
    r.major = major;
    r.minor = minor;
    r.access = access;
    return r;
  };
  std::vector<cgroup::DeviceRule> rules = {rule("c", std::nullopt, std::nullopt, "m"),
                                           rule("b", std::nullopt, std::nullopt, "m")};
  for (const Device& d : DefaultDevices()) rules.push_back(rule("c", d.major, d.minor, "rwm"));
  rules.push_back(rule("c", 5, 1, "rwm"));               // /dev/console
  rules.push_back(rule("c", 5, 2, "rwm"));               // /dev/ptmx
  rules.push_back(rule("c", 136, std::nullopt, "rwm"));  // /dev/pts/*
  return rules;
}

absl::Status CreateDevices(int root_fd, const std::vector<Device>& devices, bool bind) {
  mode_t old = ::umask(0);
  absl::Status st;
  for (const Device& d : devices) {
    st = bind ? BindNode(root_fd, d) : MakeNode(root_fd, d);
    if (!st.ok()) break;
  }
  ::umask(old);
  return sys::Annotate(st, "create devices");
}

absl::Status CreateDevLinks(int root_fd) {
  const std::pair<const char*, const char*> links[] = {
      {"/proc/self/fd", "/dev/fd"},       {"/proc/self/fd/0", "/dev/stdin"},
      {"/proc/self/fd/1", "/dev/stdout"}, {"/proc/self/fd/2", "/dev/stderr"},
      {"pts/ptmx", "/dev/ptmx"},
  };
  ASSIGN_OR_RETURN(sys::UniqueFd dev, sys::MkdirAllInRoot(root_fd, "/dev"));
  for (const auto& [target, link] : links) {
    std::string name = BaseName(link);
    if (name == "ptmx") ::unlinkat(dev.get(), "ptmx", 0);  // the devpts one must win
    if (::symlinkat(target, dev.get(), name.c_str()) != 0 && errno != EEXIST) {
      return sys::ErrnoStatus(errno, "symlink %s -> %s", link, target);
    }
  }
  if (::access("/proc/kcore", F_OK) == 0 && ::symlinkat("/proc/kcore", dev.get(), "core") != 0 &&
      errno != EEXIST) {
    return sys::ErrnoStatus(errno, "symlink /dev/core");
  }
  return absl::OkStatus();
}

}  // namespace cricket::oci::linux
