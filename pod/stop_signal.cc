#include "pod/stop_signal.h"

#include <csignal>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "oci/runtime.h"

namespace cricket::pod {

std::string StopSignalName(runtime::v1::Signal s) {
  if (s == runtime::v1::RUNTIME_DEFAULT) return "";
  std::string name = runtime::v1::Signal_Name(s);
  // CRI spells the real-time offsets out: SIGRTMINPLUS3, SIGRTMAXMINUS1.
  for (const auto& [word, sign] : {std::pair{"PLUS", "+"}, std::pair{"MINUS", "-"}}) {
    size_t at = name.find(word);
    if (absl::StartsWith(name, "SIGRT") && at != std::string::npos) {
      return absl::StrCat(name.substr(0, at), sign, name.substr(at + std::string(word).size()));
    }
  }
  return name;
}

int EffectiveStopSignal(const std::string& name) {
  if (name.empty()) return SIGTERM;
  absl::StatusOr<int> parsed = oci::ParseSignal(name);
  return parsed.ok() ? *parsed : SIGTERM;
}

runtime::v1::Signal CriSignal(int signo) {
  static const std::map<int, runtime::v1::Signal> by_number = [] {
    std::map<int, runtime::v1::Signal> m;
    const auto* e = runtime::v1::Signal_descriptor();
    for (int i = 0; i < e->value_count(); i++) {
      auto s = static_cast<runtime::v1::Signal>(e->value(i)->number());
      absl::StatusOr<int> n = oci::ParseSignal(StopSignalName(s));
      if (n.ok()) m.emplace(*n, s);  // emplace keeps the first name of a number
    }
    return m;
  }();
  auto it = by_number.find(signo);
  return it == by_number.end() ? runtime::v1::RUNTIME_DEFAULT : it->second;
}

}  // namespace cricket::pod
