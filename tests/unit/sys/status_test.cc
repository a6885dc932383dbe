// errno mapping and annotation keep codes and read outside-in.
#include "oci/sys/status.h"

#include <gtest/gtest.h>

namespace cricket::sys {
namespace {

TEST(StatusTest, ErrnoPicksCode) {
  struct Case {
    int err;
    absl::StatusCode code;
  } cases[] = {
      {ENOENT, absl::StatusCode::kNotFound},       {EEXIST, absl::StatusCode::kAlreadyExists},
      {EACCES, absl::StatusCode::kPermissionDenied}, {ENOSPC, absl::StatusCode::kResourceExhausted},
      {EDQUOT, absl::StatusCode::kResourceExhausted}, {EMFILE, absl::StatusCode::kResourceExhausted},
      {EINVAL, absl::StatusCode::kInvalidArgument}, {ETIMEDOUT, absl::StatusCode::kDeadlineExceeded},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ErrnoStatus(c.err, "x").code(), c.code) << c.err;
  }
}

TEST(StatusTest, MessageNamesObjectAndErrno) {
  absl::Status st = ErrnoStatus(ENOENT, "open %s", std::string("/a/b"));
  EXPECT_EQ(st.message(), "open /a/b: ENOENT (No such file or directory)");
}

TEST(StatusTest, AnnotateKeepsCodeAndReadsOutsideIn) {
  absl::Status inner = absl::InvalidArgumentError("\"../etc\" escapes the root");
  absl::Status st = Annotate(Annotate(inner, "unpack layer %s", std::string("sha256:ab")),
                             "create container web");
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(st.message(), "create container web: unpack layer sha256:ab: \"../etc\" escapes the root");
  EXPECT_TRUE(Annotate(absl::OkStatus(), "x").ok());
}

absl::StatusOr<int> Half(int v) {
  if (v % 2) return absl::InvalidArgumentError("odd");
  return v / 2;
}

absl::StatusOr<int> Quarter(int v) {
  ASSIGN_OR_RETURN(int h, Half(v));
  ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

TEST(StatusTest, Macros) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_EQ(Quarter(6).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cricket::sys
