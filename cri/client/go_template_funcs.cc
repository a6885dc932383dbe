// Evaluation of the Go template subset: fields, pipelines, functions.
#include "cri/client/go_template_funcs.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "oci/sys/status.h"

namespace cricket::cri::client::gotmpl {
namespace {

using Json = nlohmann::json;
using Args = std::vector<Json>;

Json Missing() { return Json(Json::value_t::discarded); }

Json Field(const Arg& a, const Json& dot, const Json& root) {
  const Json* cur = a.from_root ? &root : &dot;
  for (const auto& name : a.path) {
    if (!cur->is_object()) return Missing();
    auto it = cur->find(name);
    if (it == cur->end()) return Missing();
    cur = &*it;
  }
  return *cur;
}

std::string Spec(const std::string& flags, char conv) { return "%" + flags + conv; }

template <typename T>
std::string Snprintf(const std::string& fmt, T v) {
  char buf[512];
  std::snprintf(buf, sizeof buf, fmt.c_str(), v);
  return buf;
}

absl::StatusOr<Json> Printf(const Args& args) {
  if (args.empty() || !args[0].is_string()) return absl::InvalidArgumentError("printf: no format");
  const std::string& f = args[0].get_ref<const std::string&>();
  std::string out;
  size_t next = 1;
  for (size_t i = 0; i < f.size(); i++) {
    if (f[i] != '%') {
      out += f[i];
      continue;
    }
    size_t j = i + 1;
    while (j < f.size() && std::strchr("+- #0123456789.", f[j]) != nullptr) j++;
    if (j >= f.size()) break;
    std::string flags = f.substr(i + 1, j - i - 1);
    char verb = f[j];
    i = j;
    if (verb == '%') {
      out += '%';
      continue;
    }
    if (next >= args.size()) {
      out += absl::StrCat("%!", std::string(1, verb), "(MISSING)");
      continue;
    }
    const Json& v = args[next++];
    if ((verb == 'd' || verb == 'x') && v.is_number()) {
      long n = v.is_number_integer() ? v.get<long>() : static_cast<long>(v.get<double>());
      out += Snprintf("%" + flags + (verb == 'd' ? "ld" : "lx"), n);
    } else if ((verb == 'f' || verb == 'g' || verb == 'e') && v.is_number()) {
      out += Snprintf(Spec(flags, verb), v.get<double>());
    } else if (verb == 'q') {
      out += Snprintf(Spec(flags, 's'), Json(Print(v)).dump().c_str());
    } else {
      out += Snprintf(Spec(flags, 's'), Print(v).c_str());
    }
  }
  return Json(out);
}

// Go's comparison functions on JSON scalars: numbers with numbers, strings
// with strings.
absl::StatusOr<int> Compare(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) {
    double x = a.get<double>(), y = b.get<double>();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a.is_string() && b.is_string()) return a.get<std::string>().compare(b.get<std::string>());
  if (a == b) return 0;
  return absl::InvalidArgumentError("incompatible types for comparison");
}

absl::StatusOr<Json> Index(const Args& args) {
  if (args.empty()) return absl::InvalidArgumentError("index: no value");
  Json cur = args[0];
  for (size_t i = 1; i < args.size(); i++) {
    if (cur.is_object() && args[i].is_string()) {
      auto it = cur.find(args[i].get<std::string>());
      cur = it == cur.end() ? Missing() : *it;
    } else if (cur.is_array() && args[i].is_number_integer()) {
      int64_t k = args[i].get<int64_t>();
      if (k < 0 || static_cast<size_t>(k) >= cur.size()) {
        return absl::InvalidArgumentError(absl::StrCat("index out of range: ", k));
      }
      cur = cur[k];
    } else if (cur.is_null() || cur.is_discarded()) {
      return Missing();
    } else {
      return absl::InvalidArgumentError("can't index " + Print(cur) + " with " + Print(args[i]));
    }
  }
  return cur;
}

using Func = std::function<absl::StatusOr<Json>(const Args&)>;

absl::StatusOr<Json> CompareFunc(const Args& a, const std::function<bool(int)>& pred) {
  if (a.size() != 2) return absl::InvalidArgumentError("comparison needs two values");
  ASSIGN_OR_RETURN(int c, Compare(a[0], a[1]));
  return Json(pred(c));
}

std::string Cased(std::string s, int (*fn)(int), bool words) {
  bool start = true;
  for (char& c : s) {
    if (!words || start) c = static_cast<char>(fn(static_cast<unsigned char>(c)));
    start = std::isspace(static_cast<unsigned char>(c)) != 0;
  }
  return s;
}

const std::map<std::string, Func>& Funcs() {
  static const auto* kFuncs = new std::map<std::string, Func>{
      {"json", [](const Args& a) -> absl::StatusOr<Json> {
         if (a.size() != 1) return absl::InvalidArgumentError("json takes one value");
         return Json(a[0].is_discarded() ? "null" : a[0].dump());
       }},
      {"printf", Printf},
      {"print", [](const Args& a) -> absl::StatusOr<Json> {
         std::string s;
         for (size_t i = 0; i < a.size(); i++) {
           // Go's Sprint puts spaces only between operands that are not strings.
           if (i > 0 && !a[i].is_string() && !a[i - 1].is_string()) s += ' ';
           s += Print(a[i]);
         }
         return Json(s);
       }},
      {"println", [](const Args& a) -> absl::StatusOr<Json> {
         std::string s;
         for (size_t i = 0; i < a.size(); i++) s += (i ? " " : "") + Print(a[i]);
         return Json(s + "\n");
       }},
      {"index", Index},
      {"len", [](const Args& a) -> absl::StatusOr<Json> {
         if (a.size() != 1) return absl::InvalidArgumentError("len takes one value");
         if (a[0].is_string()) return Json(a[0].get_ref<const std::string&>().size());
         if (a[0].is_array() || a[0].is_object()) return Json(a[0].size());
         return absl::InvalidArgumentError("len of " + Print(a[0]));
       }},
      {"eq", [](const Args& a) { return CompareFunc(a, [](int c) { return c == 0; }); }},
      {"ne", [](const Args& a) { return CompareFunc(a, [](int c) { return c != 0; }); }},
      {"lt", [](const Args& a) { return CompareFunc(a, [](int c) { return c < 0; }); }},
      {"le", [](const Args& a) { return CompareFunc(a, [](int c) { return c <= 0; }); }},
      {"gt", [](const Args& a) { return CompareFunc(a, [](int c) { return c > 0; }); }},
      {"ge", [](const Args& a) { return CompareFunc(a, [](int c) { return c >= 0; }); }},
      {"not", [](const Args& a) -> absl::StatusOr<Json> {
         if (a.size() != 1) return absl::InvalidArgumentError("not takes one value");
         return Json(!Truth(a[0]));
       }},
      {"and", [](const Args& a) -> absl::StatusOr<Json> {
         for (const auto& v : a) if (!Truth(v)) return v;
         return a.empty() ? Json() : a.back();
       }},
      {"or", [](const Args& a) -> absl::StatusOr<Json> {
         for (const auto& v : a) if (Truth(v)) return v;
         return a.empty() ? Json() : a.back();
       }},
      {"upper", [](const Args& a) -> absl::StatusOr<Json> {
         return Json(Cased(a.empty() ? "" : Print(a[0]), ::toupper, false));
       }},
      {"lower", [](const Args& a) -> absl::StatusOr<Json> {
         return Json(Cased(a.empty() ? "" : Print(a[0]), ::tolower, false));
       }},
      {"title", [](const Args& a) -> absl::StatusOr<Json> {
         return Json(Cased(a.empty() ? "" : Print(a[0]), ::toupper, true));
       }},
  };
  return *kFuncs;
}

absl::StatusOr<Json> EvalArg(const Arg& a, const Json& dot, const Json& root) {
  switch (a.kind) {
    case Arg::kField:
      return Field(a, dot, root);
    case Arg::kString:
      return Json(a.text);
    case Arg::kSub:
      return EvalPipeline(*a.sub, dot, root);
    case Arg::kFunc:
      return absl::InvalidArgumentError("function " + a.text + " used as a value");
    default:
      return a.literal;
  }
}

}  // namespace

absl::StatusOr<Json> EvalPipeline(const Pipeline& p, const Json& dot, const Json& root) {
  std::optional<Json> prev;
  for (const Cmd& cmd : p) {
    if (cmd[0].kind != Arg::kFunc) {
      if (cmd.size() > 1 || prev) {
        return absl::InvalidArgumentError("can't give arguments to non-function " + cmd[0].text);
      }
      ASSIGN_OR_RETURN(Json v, EvalArg(cmd[0], dot, root));
      prev = std::move(v);
      continue;
    }
    auto fn = Funcs().find(cmd[0].text);
    if (fn == Funcs().end()) {
      return absl::InvalidArgumentError("function \"" + cmd[0].text + "\" not defined");
    }
    Args args;
    for (size_t i = 1; i < cmd.size(); i++) {
      ASSIGN_OR_RETURN(Json v, EvalArg(cmd[i], dot, root));
      args.push_back(std::move(v));
    }
    if (prev) args.push_back(std::move(*prev));
    ASSIGN_OR_RETURN(Json v, fn->second(args));
    prev = std::move(v);
  }
  return prev ? std::move(*prev) : Json();
}

std::string Print(const Json& v) {
  if (v.is_discarded()) return "<no value>";
  if (v.is_null()) return "<nil>";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_array()) {
    std::string s = "[";
    for (size_t i = 0; i < v.size(); i++) s += (i ? " " : "") + Print(v[i]);
    return s + "]";
  }
  if (v.is_object()) {
    std::string s = "map[";
    bool first = true;
    for (const auto& [k, e] : v.items()) {
      s += (first ? "" : " ") + k + ":" + Print(e);
      first = false;
    }
    return s + "]";
  }
  return v.dump();
}

bool Truth(const Json& v) {
  if (v.is_discarded() || v.is_null()) return false;
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number()) return v.get<double>() != 0;
  if (v.is_string()) return !v.get_ref<const std::string&>().empty();
  if (v.is_array() || v.is_object()) return !v.empty();
  return true;
}

}  // namespace cricket::cri::client::gotmpl
