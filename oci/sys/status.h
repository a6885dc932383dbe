// Status helpers shared by every layer: errno → absl::Status with the code
// chosen from errno, context added layer by layer, and propagation macros.
#pragma once

#include <cerrno>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace cricket::sys {

// The absl code an errno value means (ENOENT → NotFound, ENOSPC →
// ResourceExhausted, EACCES/EPERM → PermissionDenied, ...).
absl::StatusCode CodeFromErrno(int err);

// "<what>: <ERRNAME> (<strerror>)" with the code from CodeFromErrno.
absl::Status ErrnoStatus(int err, std::string_view what);

template <typename... Args>
absl::Status ErrnoStatus(int err, const absl::FormatSpec<Args...>& fmt, const Args&... args) {
  return ErrnoStatus(err, std::string_view(absl::StrFormat(fmt, args...)));
}

// Prefixes the message with the caller's object ("create container x: ..."),
// keeping the code. OK stays OK.
absl::Status Annotate(const absl::Status& st, std::string_view context);

template <typename... Args>
absl::Status Annotate(const absl::Status& st, const absl::FormatSpec<Args...>& fmt,
                      const Args&... args) {
  if (st.ok()) return st;
  return Annotate(st, std::string_view(absl::StrFormat(fmt, args...)));
}

}  // namespace cricket::sys

#define CRICKET_CONCAT_INNER_(a, b) a##b
#define CRICKET_CONCAT_(a, b) CRICKET_CONCAT_INNER_(a, b)

#define RETURN_IF_ERROR(expr)                 \
  do {                                        \
    ::absl::Status _st = (expr);              \
    if (!_st.ok()) return _st;                \
  } while (0)

#define ASSIGN_OR_RETURN_IMPL_(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                           \
  if (!tmp.ok()) return tmp.status();           \
  lhs = std::move(*tmp)

// ASSIGN_OR_RETURN(auto fd, OpenSomething(...));
#define ASSIGN_OR_RETURN(lhs, rexpr) \
  ASSIGN_OR_RETURN_IMPL_(CRICKET_CONCAT_(_statusor_, __LINE__), lhs, rexpr)
