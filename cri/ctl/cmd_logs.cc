// `cricketctl logs`: reads the container's CRI log file (as crictl does, the
// file on this node), joining partial lines; --follow polls the file until
// the container stops, across rotations (client::LogFileTail).
#include <sys/stat.h>

#include <chrono>
#include <iostream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cri/client/cri_log_reader.h"
#include "cri/client/id_prefix.h"
#include "cri/client/log_file_tail.h"
#include "cri/ctl/cmd_common.h"
#include "oci/sys/status.h"

namespace cricket::cri::ctl {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(200);

bool Exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

// crictl's --previous: the same directory, "<attempt-1>.log"; failing that,
// the newest rotated "<log>.<suffix>" that is not compressed.
absl::StatusOr<std::string> PreviousLog(const v1::ContainerStatus& st) {
  const std::string& path = st.log_path();
  size_t slash = path.rfind('/');
  if (st.metadata().attempt() > 0 && slash != std::string::npos) {
    std::string prev = absl::StrCat(path.substr(0, slash + 1), st.metadata().attempt() - 1, ".log");
    if (Exists(prev)) return prev;
  }
  for (const char* suffix : {".1", ".0", ".old"}) {
    if (Exists(path + suffix)) return path + suffix;
  }
  return absl::NotFoundError(
      absl::StrCat("no previous log of container ", st.id(), " (attempt ",
                   st.metadata().attempt(), ", no rotated file next to ", path, ")"));
}

absl::StatusOr<client::LogOptions> LogFlags(const Flags& f) {
  client::LogOptions o;
  ASSIGN_OR_RETURN(o.tail, f.GetInt("tail", -1));
  o.timestamps = f.On("timestamps");
  if (f.Has("since")) {
    ASSIGN_OR_RETURN(o.since_ns, client::ParseSince(f.Get("since"), absl::ToUnixNanos(absl::Now())));
  }
  return o;
}

bool Running(client::Client& c, const std::string& id) {
  v1::ContainerStatusRequest req;
  req.set_container_id(id);
  auto st = c.Call(c.runtime(), &v1::RuntimeService::Stub::ContainerStatus, req, "ContainerStatus");
  return st.ok() && st->status().state() == v1::CONTAINER_RUNNING;
}

}  // namespace

absl::Status RunLogs(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(Flags f, ParseFlags("logs", args));
  if (f.args.size() != 1) return UsageError("logs", "give one container id");
  ASSIGN_OR_RETURN(client::LogOptions opts, LogFlags(f));
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  ASSIGN_OR_RETURN(std::string id, client::ResolveContainerId(*c, f.args[0]));
  v1::ContainerStatusRequest req;
  req.set_container_id(id);
  ASSIGN_OR_RETURN(auto resp, c->Call(c->runtime(), &v1::RuntimeService::Stub::ContainerStatus,
                                      req, "ContainerStatus"));
  std::string path = resp.status().log_path();
  if (path.empty()) return absl::NotFoundError(absl::StrCat("container ", id, " has no log file"));
  if (f.On("previous")) {
    ASSIGN_OR_RETURN(path, PreviousLog(resp.status()));
  }
  client::CriLogPrinter printer(opts, [](bool is_stderr, const std::string& text) {
    std::ostream& out = is_stderr ? std::cerr : std::cout;
    out << text << std::flush;
  });
  client::LogFileTail tail(path);
  ASSIGN_OR_RETURN(std::string first, tail.ReadMore());
  if (!tail.opened()) return absl::NotFoundError(absl::StrCat("log file ", path, " does not exist"));
  printer.FeedInitial(first);
  if (!f.On("follow") || f.On("previous")) return absl::OkStatus();
  auto next_check = std::chrono::steady_clock::now();
  while (true) {
    ASSIGN_OR_RETURN(std::string more, tail.ReadMore());
    printer.Feed(more);
    if (std::chrono::steady_clock::now() >= next_check) {
      // Like the kubelet, stop following once the container has stopped
      // (after reading what it wrote last).
      if (!Running(*c, id)) {
        ASSIGN_OR_RETURN(std::string rest, tail.ReadMore());
        printer.Feed(rest);
        return absl::OkStatus();
      }
      next_check = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    }
    std::this_thread::sleep_for(kPollInterval);
  }
}

}  // namespace cricket::cri::ctl
