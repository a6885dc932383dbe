// Validate: every value against its rule (the same rules Load applies) plus
// the rules that tie values together. Pure: no file system access.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "conf/config.h"
#include "conf/schema.h"

namespace cricket::conf {
namespace {

using internal::Check;
using internal::ChildPath;
using internal::Rule;

// Walks a const Config and collects "key.path: why" for each bad value.
class Checker {
 public:
  template <class T>
  void Field(absl::string_view key, const T& value, const Rule& rule) {
    Note(ChildPath(path_, key), Check(rule, value));
  }
  void Field(absl::string_view key, const std::vector<std::string>& values, const Rule& rule) {
    std::string path = ChildPath(path_, key);
    for (size_t i = 0; i < values.size(); ++i) {
      Note(internal::ItemPath(path, i), Check(rule, values[i]));
    }
  }
  template <class Body>
  void Section(absl::string_view key, Body body) {
    Enter(ChildPath(path_, key), body);
  }
  template <class M, class Body>
  void Map(absl::string_view key, const M& map, const Rule& key_rule, Body body) {
    std::string path = ChildPath(path_, key);
    for (const auto& kv : map) {  // not [name, entry]: clang 14 cannot capture those
      Note(path, Check(key_rule, kv.first));
      Enter(internal::EntryPath(path, kv.first), [&] { body(kv.second); });
    }
  }
  template <class T, class Body>
  void List(absl::string_view key, const std::vector<T>& list, Body body) {
    std::string path = ChildPath(path_, key);
    for (size_t i = 0; i < list.size(); ++i) {
      Enter(internal::ItemPath(path, i), [&] { body(list[i]); });
    }
  }

  void Note(absl::string_view path, absl::string_view why) {
    if (!why.empty()) errors_.push_back(absl::StrCat(path, ": ", why));
  }
  std::vector<std::string>& errors() { return errors_; }

 private:
  template <class Body>
  void Enter(std::string path, Body body) {
    std::swap(path, path_);
    body();
    std::swap(path, path_);
  }

  std::string path_;
  std::vector<std::string> errors_;
};

// -1 (unlimited) is above every number.
bool SoftAboveHard(const Ulimit& u) {
  if (u.hard == internal::kUnlimited) return false;
  return u.soft == internal::kUnlimited || u.soft > u.hard;
}

void CheckUlimits(const std::vector<Ulimit>& ulimits, Checker& out) {
  for (size_t i = 0; i < ulimits.size(); ++i) {
    std::string path = internal::ItemPath("runtime.default_ulimits", i);
    if (SoftAboveHard(ulimits[i])) out.Note(path, "soft limit is above the hard limit");
    for (size_t j = 0; j < i; ++j) {
      if (ulimits[j].name == ulimits[i].name) {
        out.Note(path, absl::StrCat("\"", ulimits[i].name, "\" is listed twice"));
      }
    }
  }
}

// Fields that only make sense together: a certificate needs its key.
void CheckPair(absl::string_view path, const std::string& a, absl::string_view a_key,
               const std::string& b, absl::string_view b_key, Checker& out) {
  if (a.empty() != b.empty()) {
    out.Note(path, absl::StrCat(a_key, " and ", b_key, " must be set together"));
  }
}

// RuntimeClass handlers (issue 18): the kubelet's RuntimeClass.handler is a
// DNS label; "" and "cricket" are the built-in engine and cannot be redefined.
void CheckRuntimeHandlerNames(const Config& c, Checker& out) {
  for (const auto& kv : c.runtime_handlers) {
    const std::string& name = kv.first;
    bool label = !name.empty() && name.size() <= 63 && name.front() != '-' &&
                 name.back() != '-' && std::all_of(name.begin(), name.end(), [](char ch) {
                   return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
                 });
    if (name == "cricket") {
      out.Note(internal::EntryPath("runtime_handlers", name), "\"cricket\" is the built-in engine");
    }
    if (!label) {
      out.Note(internal::EntryPath("runtime_handlers", name),
               "a handler name is a DNS label (a-z, 0-9, '-', at most 63) and not empty");
    }
  }
}

void CheckCrossFields(const Config& c, Checker& out) {
  CheckRuntimeHandlerNames(c, out);
  CheckUlimits(c.runtime.default_ulimits, out);
  CheckPair("streaming", c.streaming.tls_cert, "tls_cert", c.streaming.tls_key, "tls_key", out);
  for (const auto& [host, r] : c.registries.hosts) {
    // A registry host ("host[:port]" or a name prefix) is printable ASCII: a
    // key with control or non-ASCII bytes names no registry, and would not
    // print back as the same YAML.
    if (host.empty() || std::any_of(host.begin(), host.end(), [](char ch) {
          return static_cast<unsigned char>(ch) <= 0x20 || static_cast<unsigned char>(ch) >= 0x7f;
        })) {
      out.Note(internal::EntryPath("registries.hosts", host),
               "a registry host must be printable ASCII without spaces");
    }
    CheckPair(internal::EntryPath("registries.hosts", host), r.client_cert, "client_cert",
              r.client_key, "client_key", out);
  }
  // Container log size cap (issue 19): CRI-O's floor, one read buffer of
  // output, so that a cap never drops every line.
  if (c.runtime.log_size_max > 0 && c.runtime.log_size_max < 8192) {
    out.Note("runtime.log_size_max", absl::StrCat(c.runtime.log_size_max,
                                                  " is below 8192 (use -1 or 0 for no cap)"));
  }
  if (c.cni.bin_dirs.empty()) out.Note("cni.bin_dirs", "at least one directory is needed");
  if (c.metrics.enabled && c.metrics.port == c.streaming.port &&
      c.metrics.address == c.streaming.address) {
    out.Note("metrics.port", "the streaming server listens on the same address and port");
  }
}

}  // namespace

absl::Status Validate(const Config& config) {
  Checker checker;
  internal::WalkConfig(checker, config);
  CheckCrossFields(config, checker);
  if (checker.errors().empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrJoin(checker.errors(), "; "));
}

}  // namespace cricket::conf
