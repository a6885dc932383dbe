// cricketctl pull's progress text: one line per state change off a terminal,
// redrawn bars on one, and the decision to fall back to CRI's PullImage.
#include "cri/client/pull_progress_view.h"

#include <gtest/gtest.h>

namespace cricket::cri::client {
namespace {

namespace cv1 = ::cricket::v1;

const std::string kA = "sha256:aaaaaaaaaaaa1111111111111111111111111111111111111111111111111111";
const std::string kB = "sha256:bbbbbbbbbbbb2222222222222222222222222222222222222222222222222222";

cv1::PullImageProgress Msg(std::vector<std::tuple<std::string, cv1::LayerState, int64_t>> ls) {
  cv1::PullImageProgress m;
  for (const auto& [digest, state, done] : ls) {
    auto* l = m.add_layers();
    l->set_digest(digest);
    l->set_state(state);
    l->set_done(done);
    l->set_total(2 << 20);
  }
  return m;
}

TEST(PullProgressViewTest, OffATerminalOneLinePerStateChange) {
  PullProgressView v(/*terminal=*/false);
  EXPECT_EQ(v.Update(Msg({{kA, cv1::LAYER_WAITING, 0}, {kB, cv1::LAYER_ALREADY_EXISTS, 2 << 20}}),
                     0.1),
            "sha256:aaaaaaaaaaaa: waiting (2.0 MiB)\n"
            "sha256:bbbbbbbbbbbb: already exists (2.0 MiB)\n");
  EXPECT_EQ(v.Update(Msg({{kA, cv1::LAYER_DOWNLOADING, 1 << 20}}), 0.2),
            "sha256:aaaaaaaaaaaa: downloading (2.0 MiB)\n");
  // More bytes in the same state: no line.
  EXPECT_EQ(v.Update(Msg({{kA, cv1::LAYER_DOWNLOADING, 2 << 20}}), 0.3), "");
  EXPECT_EQ(v.Update(Msg({{kA, cv1::LAYER_DONE, 2 << 20}}), 0.4),
            "sha256:aaaaaaaaaaaa: done (2.0 MiB)\n");
  // Only the downloaded layer counts, not the one already here.
  EXPECT_EQ(v.fetched(), 2 << 20);
  EXPECT_EQ(v.Finish(2.0), "elapsed: 2.0 s  total: 2.0 MiB (1.0 MiB/s)\n");
}

TEST(PullProgressViewTest, OnATerminalBarsRedrawnInPlace) {
  PullProgressView v(/*terminal=*/true);
  std::string first =
      v.Update(Msg({{kA, cv1::LAYER_DOWNLOADING, 1 << 20}, {kB, cv1::LAYER_WAITING, 0}}), 1.0);
  EXPECT_EQ(first,
            "\r\033[Ksha256:aaaaaaaaaaaa  downloading     [++++++++++----------]  1.0 MiB/2.0 MiB\n"
            "\r\033[Ksha256:bbbbbbbbbbbb  waiting         [--------------------]  0 B/2.0 MiB\n"
            "\r\033[Kelapsed: 1.0 s  total: 1.0 MiB (1.0 MiB/s)\n");
  // The next frame moves up over the three lines drawn and draws them again.
  std::string next = v.Update(Msg({{kA, cv1::LAYER_DONE, 2 << 20}}), 2.0);
  EXPECT_EQ(next.substr(0, 4), "\033[3A");
  EXPECT_NE(next.find("done            [++++++++++++++++++++]  2.0 MiB/2.0 MiB"),
            std::string::npos)
      << next;
  for (const std::string& frame : {first, next}) {
    size_t start = 0;
    for (size_t nl = frame.find('\n'); nl != std::string::npos; nl = frame.find('\n', start)) {
      EXPECT_LT(nl - start, 80u + 8) << "a line wider than a terminal breaks the redraw";
      start = nl + 1;
    }
  }
}

TEST(PullProgressViewTest, OnlyUnimplementedMeansNoProgressRpc) {
  EXPECT_TRUE(ProgressRpcMissing(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "unknown service")));
  // A pull that failed is an error to report, not a reason to pull again.
  for (auto code : {grpc::StatusCode::NOT_FOUND, grpc::StatusCode::UNAVAILABLE,
                    grpc::StatusCode::CANCELLED, grpc::StatusCode::PERMISSION_DENIED,
                    grpc::StatusCode::OK}) {
    EXPECT_FALSE(ProgressRpcMissing(grpc::Status(code, "x"))) << code;
  }
}

TEST(PullProgressViewTest, IecSizes) {
  EXPECT_EQ(IecSize(512), "512 B");
  EXPECT_EQ(IecSize(1536), "1.5 KiB");
  EXPECT_EQ(IecSize(3.5 * (1 << 30)), "3.5 GiB");
}

}  // namespace
}  // namespace cricket::cri::client
