// Capabilities through libcap (names, capset) and prctl (bounding, ambient).
#include "oci/linux/caps.h"

#include <sys/capability.h>
#include <sys/prctl.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"

namespace cricket::oci::linux {

absl::StatusOr<int> CapFromName(const std::string& name) {
  std::string n = absl::AsciiStrToLower(name);
  if (n.rfind("cap_", 0) != 0) n = "cap_" + n;
  cap_value_t v;
  if (cap_from_name(n.c_str(), &v) != 0) return absl::NotFoundError("unknown capability " + name);
  return static_cast<int>(v);
}

std::string CapName(int cap) {
  char* s = cap_to_name(static_cast<cap_value_t>(cap));
  std::string out = s ? absl::AsciiStrToUpper(std::string(s)) : std::to_string(cap);
  cap_free(s);
  return out;
}

int LastCap() {
  static int last = [] {
    auto t = sys::ReadFile("/proc/sys/kernel/cap_last_cap");
    return t.ok() ? std::atoi(t->c_str()) : CAP_LAST_CAP;
  }();
  return last;
}

absl::StatusOr<std::vector<int>> CapsFromNames(const std::vector<std::string>& names,
                                               const std::string& set) {
  std::vector<int> out;
  for (const std::string& n : names) {
    auto c = CapFromName(n);
    if (!c.ok()) {
      return absl::InvalidArgumentError(set + ": unknown capability " + n);
    }
    if (*c > LastCap()) {
      sys::LogWarn("capability not supported by the kernel, ignored", {{"cap", n}});
      continue;
    }
    out.push_back(*c);
  }
  return out;
}

std::vector<std::string> DropUnknownCaps(Capabilities& caps) {
  std::vector<std::string> dropped;
  for (auto* set : {&caps.bounding, &caps.effective, &caps.inheritable, &caps.permitted,
                    &caps.ambient}) {
    std::vector<std::string> kept;
    for (const std::string& n : *set) {
      auto c = CapFromName(n);
      if (c.ok() && *c <= LastCap()) {
        kept.push_back(n);
      } else if (std::find(dropped.begin(), dropped.end(), n) == dropped.end()) {
        dropped.push_back(n);
      }
    }
    *set = std::move(kept);
  }
  return dropped;
}

void WarnUnknownCaps(const std::vector<std::string>& names) {
  if (names.empty()) return;
  sys::LogWarn(absl::StrCat("ignoring unknown or unavailable capabilities: [",
                            absl::StrJoin(names, " "), "]"));
}

bool HasEffectiveCap(int cap) {
  cap_t c = cap_get_proc();
  if (c == nullptr) return false;
  cap_flag_value_t v = CAP_CLEAR;
  cap_get_flag(c, static_cast<cap_value_t>(cap), CAP_EFFECTIVE, &v);
  cap_free(c);
  return v == CAP_SET;
}

std::vector<int> HeldCaps() {
  std::vector<int> out;
  cap_t c = cap_get_proc();
  for (int n = 0; n <= LastCap(); n++) {
    cap_flag_value_t v = CAP_CLEAR;
    if (c != nullptr) cap_get_flag(c, static_cast<cap_value_t>(n), CAP_PERMITTED, &v);
    if (v == CAP_SET && ::prctl(PR_CAPBSET_READ, n, 0, 0, 0) == 1) out.push_back(n);
  }
  if (c != nullptr) cap_free(c);
  return out;
}

absl::Status ApplyBounding(const Capabilities& caps) {
  ASSIGN_OR_RETURN(std::vector<int> keep, CapsFromNames(caps.bounding, "capabilities.bounding"));
  for (int c = 0; c <= LastCap(); c++) {
    bool kept = false;
    for (int k : keep) kept |= (k == c);
    if (kept) continue;
    if (::prctl(PR_CAPBSET_DROP, c, 0, 0, 0) != 0 && errno != EINVAL) {
      return sys::ErrnoStatus(errno, "drop %s from the bounding set", CapName(c));
    }
  }
  return absl::OkStatus();
}

namespace {

// capset's EPERM names no capability: say which asked-for ones we do not hold
// (a node whose root lacks some, as in nested containers).
absl::Status CapsetError(int err, const Capabilities& caps) {
  std::vector<int> held = HeldCaps();
  std::string missing;
  for (const auto* set : {&caps.permitted, &caps.effective}) {
    for (int n : CapsFromNames(*set, "").value_or(std::vector<int>{})) {
      std::string name = CapName(n);
      if (std::find(held.begin(), held.end(), n) == held.end() &&
          missing.find(name + " ") == std::string::npos) {
        missing += name + " ";
      }
    }
  }
  if (err != EPERM || missing.empty()) return sys::ErrnoStatus(err, "capset");
  missing.pop_back();
  // runc's words, then which caps.
  return absl::PermissionDeniedError(absl::StrCat(
      "unable to apply caps: operation not permitted (", missing, " not held by the runtime)"));
}

}  // namespace

absl::Status ApplyCaps(const Capabilities& caps) {
  struct SetDef {
    const std::vector<std::string>* names;
    cap_flag_t flag;
    const char* label;
  };
  const SetDef sets[] = {{&caps.effective, CAP_EFFECTIVE, "capabilities.effective"},
                         {&caps.permitted, CAP_PERMITTED, "capabilities.permitted"},
                         {&caps.inheritable, CAP_INHERITABLE, "capabilities.inheritable"}};
  cap_t c = cap_init();
  if (c == nullptr) return sys::ErrnoStatus(errno, "cap_init");
  for (const SetDef& s : sets) {
    auto nums = CapsFromNames(*s.names, s.label);
    if (!nums.ok()) {
      cap_free(c);
      return nums.status();
    }
    for (int n : *nums) {
      cap_value_t v = n;
      cap_set_flag(c, s.flag, 1, &v, CAP_SET);
    }
  }
  int rc = cap_set_proc(c);
  int err = errno;
  cap_free(c);
  if (rc != 0) return CapsetError(err, caps);
  ASSIGN_OR_RETURN(std::vector<int> ambient, CapsFromNames(caps.ambient, "capabilities.ambient"));
  for (int a : ambient) {
    // Raising fails unless the cap is permitted and inheritable (runc's
    // default spec lists ambient caps without inheritable ones): not an error.
    if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, a, 0, 0) != 0) {
      sys::LogDebug("cannot raise ambient capability",
                    {{"cap", CapName(a)}, {"errno", strerror(errno)}});
    }
  }
  return absl::OkStatus();
}

}  // namespace cricket::oci::linux
