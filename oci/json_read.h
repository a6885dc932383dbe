// Typed reads from nlohmann::json that never throw and name the JSON path of
// a bad value ("process.user.uid: must be an unsigned 32-bit integer").
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"

namespace cricket::oci::json_read {

using nlohmann::json;

inline std::string Join(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}
inline std::string Index(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}
inline absl::Status Bad(const std::string& path, const std::string& what) {
  return absl::InvalidArgumentError(path + ": must be " + what);
}

template <typename T>
absl::Status As(const json& v, const std::string& path, T* out);

template <typename T>
absl::Status AsInteger(const json& v, const std::string& path, T* out) {
  const char* what =
      std::is_signed_v<T>
          ? (sizeof(T) == 8 ? "a 64-bit integer" : "a 32-bit integer")
          : (sizeof(T) == 8 ? "an unsigned 64-bit integer" : "an unsigned 32-bit integer");
  if (!v.is_number_integer()) return Bad(path, what);
  if (v.is_number_unsigned()) {
    uint64_t u = v.get<uint64_t>();
    if (!std::in_range<T>(u)) return Bad(path, what);
    *out = static_cast<T>(u);
  } else {
    int64_t s = v.get<int64_t>();
    if (!std::in_range<T>(s)) return Bad(path, what);
    *out = static_cast<T>(s);
  }
  return absl::OkStatus();
}

template <typename T>
absl::Status As(const json& v, const std::string& path, T* out) {
  if constexpr (std::is_same_v<T, std::string>) {
    if (!v.is_string()) return Bad(path, "a string");
    *out = v.get<std::string>();
  } else if constexpr (std::is_same_v<T, bool>) {
    if (!v.is_boolean()) return Bad(path, "a boolean");
    *out = v.get<bool>();
  } else if constexpr (std::is_integral_v<T>) {
    return AsInteger(v, path, out);
  } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
    if (!v.is_array()) return Bad(path, "an array of strings");
    out->clear();
    for (const auto& e : v) {
      if (!e.is_string()) return Bad(path, "an array of strings");
      out->push_back(e.get<std::string>());
    }
  } else if constexpr (std::is_same_v<T, std::vector<uint32_t>>) {
    if (!v.is_array()) return Bad(path, "an array of integers");
    out->clear();
    for (size_t i = 0; i < v.size(); i++) {
      uint32_t x = 0;
      absl::Status st = AsInteger(v[i], Index(path, i), &x);
      if (!st.ok()) return st;
      out->push_back(x);
    }
  } else if constexpr (std::is_same_v<T, std::map<std::string, std::string>>) {
    if (!v.is_object()) return Bad(path, "an object of strings");
    out->clear();
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (!it.value().is_string()) return Bad(Join(path, it.key()), "a string");
      (*out)[it.key()] = it.value().get<std::string>();
    }
  } else {
    static_assert(sizeof(T) == 0, "unsupported type");
  }
  return absl::OkStatus();
}

// Reads obj[key] into *out when present and not null; absent leaves *out as is.
template <typename T>
absl::Status Opt(const json& obj, const std::string& path, const char* key, T* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return absl::OkStatus();
  return As(*it, Join(path, key), out);
}

template <typename T>
absl::Status Opt(const json& obj, const std::string& path, const char* key, std::optional<T>* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return absl::OkStatus();
  T v{};
  absl::Status st = As(*it, Join(path, key), &v);
  if (st.ok()) *out = std::move(v);
  return st;
}

// obj[key] must be present.
template <typename T>
absl::Status Req(const json& obj, const std::string& path, const char* key, T* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null())
    return absl::InvalidArgumentError(Join(path, key) + ": is required");
  return As(*it, Join(path, key), out);
}

// Calls fn(element, element_path) for each element of the array obj[key].
template <typename Fn>
absl::Status ForEach(const json& obj, const std::string& path, const char* key, Fn fn) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return absl::OkStatus();
  std::string p = Join(path, key);
  if (!it->is_array()) return Bad(p, "an array");
  for (size_t i = 0; i < it->size(); i++) {
    const json& e = (*it)[i];
    std::string ep = Index(p, i);
    absl::Status st = fn(e, ep);
    if (!st.ok()) return st;
  }
  return absl::OkStatus();
}

// An object member that must itself be an object (nullptr when absent).
inline absl::Status SubObject(const json& obj, const std::string& path, const char* key,
                              const json** out) {
  *out = nullptr;
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return absl::OkStatus();
  if (!it->is_object()) return Bad(Join(path, key), "an object");
  *out = &*it;
  return absl::OkStatus();
}

}  // namespace cricket::oci::json_read
