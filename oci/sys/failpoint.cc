#include "oci/sys/failpoint.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"

namespace cricket::sys {
namespace {

enum class Action { kCrash, kError, kDelay };

struct Arming {
  Action action = Action::kCrash;
  int delay_ms = 0;
  int on_hit = 0;  // 0: every hit (delay); n: only the nth
  int hits = 0;
};

// Function-local statics: sites register during static initialisation of
// other translation units, in no defined order.
std::mutex& Mu() {
  static std::mutex mu;
  return mu;
}
std::set<std::string>& Defined() {
  static std::set<std::string> names;
  return names;
}
std::map<std::string, Arming, std::less<>>& Armed() {
  static std::map<std::string, Arming, std::less<>> armed;
  return armed;
}

absl::Status ParseEntry(absl::string_view entry) {
  std::pair<absl::string_view, absl::string_view> kv = absl::StrSplit(entry, absl::MaxSplits('=', 1));
  if (kv.first.empty() || kv.second.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("failpoint \"", entry, "\": want name=action"));
  }
  Arming a;
  absl::string_view act = kv.second;
  if (size_t at = act.find('@'); at != absl::string_view::npos) {
    if (!absl::SimpleAtoi(act.substr(at + 1), &a.on_hit) || a.on_hit < 1) {
      return absl::InvalidArgumentError(absl::StrCat("failpoint \"", entry, "\": bad @count"));
    }
    act = act.substr(0, at);
  }
  if (act == "crash") {
    a.action = Action::kCrash;
  } else if (act == "error") {
    a.action = Action::kError;
  } else if (absl::ConsumePrefix(&act, "delay:") && absl::SimpleAtoi(act, &a.delay_ms) &&
             a.delay_ms >= 0) {
    a.action = Action::kDelay;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("failpoint \"", entry, "\": action must be crash, error or delay:<ms>"));
  }
  // Crash and error fire once (the first hit unless @n says otherwise).
  if (a.action != Action::kDelay && a.on_hit == 0) a.on_hit = 1;
  Armed()[std::string(kv.first)] = a;
  return absl::OkStatus();
}

// Reads the environment before main(), so the first request already sees it.
[[maybe_unused]] const bool g_from_env = [] {
  const char* spec = std::getenv("CRICKET_FAILPOINTS");
  if (spec == nullptr || *spec == '\0') return false;
  if (absl::Status st = ArmFailpoints(spec); !st.ok()) {
    std::fprintf(stderr, "CRICKET_FAILPOINTS: %s\n", std::string(st.message()).c_str());
    std::abort();
  }
  return true;
}();

void CheckArmedAreDefined() {
  for (const auto& [name, a] : Armed()) {
    if (!Defined().count(name)) {
      std::fprintf(stderr, "CRICKET_FAILPOINTS: no failpoint is named \"%s\"\n", name.c_str());
      std::abort();
    }
  }
}

}  // namespace

namespace failpoint_internal {
std::atomic<bool> g_armed{false};

absl::Status Hit(const FailpointSite& site) {
  Action action;
  int delay_ms = 0;
  {
    std::lock_guard<std::mutex> l(Mu());
    static std::once_flag checked;
    std::call_once(checked, CheckArmedAreDefined);
    auto it = Armed().find(std::string_view(site.name()));
    if (it == Armed().end()) return absl::OkStatus();
    Arming& a = it->second;
    ++a.hits;
    if (a.on_hit != 0 && a.hits != a.on_hit) return absl::OkStatus();
    action = a.action;
    delay_ms = a.delay_ms;
  }
  switch (action) {
    case Action::kCrash:
      LogWarn("failpoint: crashing", {{"failpoint", site.name()}});
      ::kill(::getpid(), SIGKILL);
      ::_exit(137);  // not reached
    case Action::kError:
      LogWarn("failpoint: injecting an error", {{"failpoint", site.name()}});
      return absl::UnavailableError(absl::StrCat("failpoint ", site.name(), ": injected error"));
    case Action::kDelay:
      LogWarn("failpoint: pausing", {{"failpoint", site.name()}, {"ms", std::to_string(delay_ms)}});
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
      return absl::OkStatus();
  }
  return absl::OkStatus();
}
}  // namespace failpoint_internal

FailpointSite::FailpointSite(const char* name) : name_(name) {
  std::lock_guard<std::mutex> l(Mu());
  Defined().insert(name);
}

std::vector<std::string> FailpointNames() {
  std::lock_guard<std::mutex> l(Mu());
  return {Defined().begin(), Defined().end()};
}

absl::Status ArmFailpoints(std::string_view spec) {
  std::lock_guard<std::mutex> l(Mu());
  for (absl::string_view entry : absl::StrSplit(absl::string_view(spec.data(), spec.size()), ';', absl::SkipWhitespace())) {
    RETURN_IF_ERROR(ParseEntry(absl::StripAsciiWhitespace(entry)));
  }
  failpoint_internal::g_armed.store(!Armed().empty(), std::memory_order_relaxed);
  return absl::OkStatus();
}

}  // namespace cricket::sys
