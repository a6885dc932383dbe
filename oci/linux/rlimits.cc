// setrlimit / oom_score_adj with the clamps a root without CAP_SYS_RESOURCE needs.
#include "oci/linux/rlimits.h"

#include <linux/capability.h>
#include <sys/resource.h>

#include <cstdlib>
#include <map>

#include "absl/strings/str_cat.h"
#include "oci/linux/caps.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"

namespace cricket::oci::linux {

absl::StatusOr<int> RlimitResource(const std::string& name) {
  static const auto* t = new std::map<std::string, int>{
      {"RLIMIT_AS", RLIMIT_AS},
      {"RLIMIT_CORE", RLIMIT_CORE},
      {"RLIMIT_CPU", RLIMIT_CPU},
      {"RLIMIT_DATA", RLIMIT_DATA},
      {"RLIMIT_FSIZE", RLIMIT_FSIZE},
      {"RLIMIT_LOCKS", RLIMIT_LOCKS},
      {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},
      {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
      {"RLIMIT_NICE", RLIMIT_NICE},
      {"RLIMIT_NOFILE", RLIMIT_NOFILE},
      {"RLIMIT_NPROC", RLIMIT_NPROC},
      {"RLIMIT_RSS", RLIMIT_RSS},
      {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},
      {"RLIMIT_RTTIME", RLIMIT_RTTIME},
      {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
      {"RLIMIT_STACK", RLIMIT_STACK},
  };
  auto it = t->find(name);
  if (it == t->end()) return absl::InvalidArgumentError("unknown rlimit type " + name);
  return it->second;
}

ClampedLimit ClampRlimit(uint64_t soft, uint64_t hard, uint64_t current_hard, bool can_raise) {
  ClampedLimit c{soft, hard, false};
  if (!can_raise && hard > current_hard) {
    c.hard = current_hard;
    c.clamped = true;
  }
  if (c.soft > c.hard) {
    c.soft = c.hard;
    c.clamped = true;
  }
  return c;
}

int ClampOomScoreAdj(int wanted, int current, bool can_lower) {
  if (!can_lower && wanted < current) return current;
  return wanted;
}

absl::Status ApplyRlimits(const std::vector<Rlimit>& limits) {
  bool can_raise = HasEffectiveCap(CAP_SYS_RESOURCE);
  for (const Rlimit& l : limits) {
    ASSIGN_OR_RETURN(int res, RlimitResource(l.type));
    struct rlimit cur;
    if (::getrlimit(res, &cur) != 0) return sys::ErrnoStatus(errno, "getrlimit %s", l.type);
    ClampedLimit c = ClampRlimit(l.soft, l.hard, cur.rlim_max, can_raise);
    if (c.clamped) {
      sys::LogWarn(
          "rlimit clamped: no CAP_SYS_RESOURCE to raise the hard limit",
          {{"type", l.type}, {"soft", absl::StrCat(c.soft)}, {"hard", absl::StrCat(c.hard)}});
    }
    struct rlimit want = {c.soft, c.hard};
    if (::setrlimit(res, &want) != 0) {
      return sys::ErrnoStatus(errno, "setrlimit %s soft=%d hard=%d", l.type, c.soft, c.hard);
    }
  }
  return absl::OkStatus();
}

absl::Status ApplyOomScoreAdj(int wanted, int pid) {
  std::string path =
      pid == 0 ? "/proc/self/oom_score_adj" : absl::StrCat("/proc/", pid, "/oom_score_adj");
  ASSIGN_OR_RETURN(std::string cur_text, sys::ReadFile(path));
  int current = std::atoi(cur_text.c_str());
  int value = ClampOomScoreAdj(wanted, current, HasEffectiveCap(CAP_SYS_RESOURCE));
  if (value != wanted) {
    sys::LogWarn("oomScoreAdj clamped to the current value: no CAP_SYS_RESOURCE to lower it",
                 {{"wanted", absl::StrCat(wanted)}, {"set", absl::StrCat(value)}});
  }
  FILE* f = ::fopen(path.c_str(), "we");
  if (f == nullptr) return sys::ErrnoStatus(errno, "open %s", path);
  int rc = ::fprintf(f, "%d", value);
  int err = errno;
  if (::fclose(f) != 0 && rc >= 0) {
    rc = -1;
    err = errno;
  }
  if (rc < 0) return sys::ErrnoStatus(err, "write %s = %d", path, value);
  return absl::OkStatus();
}

}  // namespace cricket::oci::linux
