// See pull_progress_view.h.
#include "cri/client/pull_progress_view.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace cricket::cri::client {
namespace {

constexpr int kBarWidth = 20;  // keeps a layer's line under 80 columns

const char* StateName(::cricket::v1::LayerState s) {
  switch (s) {
    case ::cricket::v1::LAYER_WAITING:
      return "waiting";
    case ::cricket::v1::LAYER_DOWNLOADING:
      return "downloading";
    case ::cricket::v1::LAYER_UNPACKING:
      return "unpacking";
    case ::cricket::v1::LAYER_DONE:
      return "done";
    case ::cricket::v1::LAYER_ALREADY_EXISTS:
      return "already exists";
    default:
      return "unknown";
  }
}

// "sha256:0123456789ab": enough of a digest to tell layers apart.
std::string ShortDigest(const std::string& digest) {
  size_t colon = digest.find(':');
  return digest.substr(0, colon == std::string::npos ? 12 : colon + 13);
}

std::string Bar(int64_t done, int64_t total) {
  int filled = total > 0 ? static_cast<int>(kBarWidth * std::min(done, total) / total) : 0;
  return absl::StrCat("[", std::string(filled, '+'), std::string(kBarWidth - filled, '-'), "]");
}

}  // namespace

bool ProgressRpcMissing(const grpc::Status& st) {
  return st.error_code() == grpc::StatusCode::UNIMPLEMENTED;
}

std::string IecSize(double bytes) {
  static const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (bytes >= 1024 && u < 4) {
    bytes /= 1024;
    u++;
  }
  return u == 0 ? absl::StrFormat("%.0f B", bytes) : absl::StrFormat("%.1f %s", bytes, kUnits[u]);
}

PullProgressView::Layer* PullProgressView::Find(const std::string& digest) {
  for (Layer& l : layers_) {
    if (l.digest == digest) return &l;
  }
  return nullptr;
}

std::string PullProgressView::Update(const ::cricket::v1::PullImageProgress& msg,
                                     double elapsed_seconds) {
  std::string lines;
  for (const auto& p : msg.layers()) {
    Layer* found = Find(p.digest());
    const bool changed = found == nullptr || found->state != p.state();
    Layer& l = found != nullptr ? *found : layers_.emplace_back();
    l.digest = p.digest();
    l.total = p.total();
    if (p.state() == ::cricket::v1::LAYER_DOWNLOADING) l.fetched = p.done();
    l.done = p.done();
    l.state = p.state();
    if (!terminal_ && changed) {
      lines += absl::StrCat(ShortDigest(l.digest), ": ", StateName(l.state), " (",
                            IecSize(static_cast<double>(l.total)), ")\n");
    }
  }
  return terminal_ ? Frame(elapsed_seconds) : lines;
}

std::string PullProgressView::Frame(double elapsed_seconds) {
  std::string out = drawn_lines_ > 0 ? absl::StrCat("\033[", drawn_lines_, "A") : "";
  for (const Layer& l : layers_) {
    absl::StrAppend(&out, "\r\033[K",
                    absl::StrFormat("%-19s  %-14s  %s  %s/%s\n", ShortDigest(l.digest),
                                    StateName(l.state), Bar(l.done, l.total),
                                    IecSize(static_cast<double>(l.done)),
                                    IecSize(static_cast<double>(l.total))));
  }
  absl::StrAppend(&out, "\r\033[K", TotalsLine(elapsed_seconds), "\n");
  drawn_lines_ = static_cast<int>(layers_.size()) + 1;
  return out;
}

std::string PullProgressView::Finish(double elapsed_seconds) {
  return terminal_ ? Frame(elapsed_seconds) : TotalsLine(elapsed_seconds) + "\n";
}

int64_t PullProgressView::fetched() const {
  int64_t n = 0;
  for (const Layer& l : layers_) {
    n += l.fetched;
  }
  return n;
}

std::string PullProgressView::TotalsLine(double elapsed_seconds) const {
  const double speed = elapsed_seconds > 0 ? static_cast<double>(fetched()) / elapsed_seconds : 0;
  return absl::StrFormat("elapsed: %.1f s  total: %s (%s/s)", elapsed_seconds,
                         IecSize(static_cast<double>(fetched())), IecSize(speed));
}

}  // namespace cricket::cri::client
