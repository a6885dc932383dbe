// `cricket-oci checkpoint` and `restore`: runc's verbs and flags over the
// engine's CRIU driving (oci/checkpoint.cc, oci/restore.cc). runc's flags
// cricket cannot honour (lazy pages, a page server, LSM overrides) are
// refused by name rather than ignored.
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "oci/cli/command.h"
#include "oci/cli/foreground.h"

namespace cricket::oci::cli {
namespace {

// runc: the image dir defaults to ./checkpoint, the work dir to the image dir.
std::string ImagePath(const Args& args) {
  std::string p = args.Get("image-path");
  if (!p.empty()) return AbsPath(p);
  char cwd[4096];
  return std::string(::getcwd(cwd, sizeof cwd) ? cwd : ".") + "/checkpoint";
}

absl::Status RefuseUnsupported(const Args& args, std::initializer_list<const char*> flags) {
  for (const char* f : flags) {
    if (args.Has(f)) {
      return absl::UnimplementedError(absl::StrCat("--", f, " is not supported by cricket-oci"));
    }
  }
  return absl::OkStatus();
}

int Checkpoint(Context& ctx, const Args& args) {
  auto id = ContainerId(args);
  if (!id.ok()) return Fail(ctx, id.status());
  absl::Status st = RefuseUnsupported(args, {"lazy-pages", "page-server", "status-fd"});
  if (!st.ok()) return Fail(ctx, st);
  CheckpointOptions o;
  o.image_path = ImagePath(args);
  o.work_path = AbsPath(args.Get("work-path"));
  o.parent_path = args.Get("parent-path");  // criu takes it relative to the image dir
  o.leave_running = args.Has("leave-running");
  o.tcp_established = args.Has("tcp-established");
  o.ext_unix_sk = args.Has("ext-unix-sk");
  o.shell_job = args.Has("shell-job");
  o.file_locks = args.Has("file-locks");
  o.pre_dump = args.Has("pre-dump");
  o.auto_dedup = args.Has("auto-dedup");
  o.manage_cgroups_mode = args.Get("manage-cgroups-mode");
  o.empty_ns = args.All("empty-ns");
  if (st = ctx.runtime().Checkpoint(*id, o); !st.ok()) return Fail(ctx, st);
  return 0;
}

int Restore(Context& ctx, const Args& args) {
  absl::Status st =
      RefuseUnsupported(args, {"lazy-pages", "lsm-profile", "lsm-mount-context", "no-pivot"});
  if (!st.ok()) return Fail(ctx, st);
  auto create = CreateOptionsFromArgs(args);
  if (!create.ok()) return Fail(ctx, create.status());
  RestoreOptions o;
  o.create = *create;
  o.image_path = ImagePath(args);
  o.work_path = AbsPath(args.Get("work-path"));
  o.tcp_established = args.Has("tcp-established");
  o.ext_unix_sk = args.Has("ext-unix-sk");
  o.shell_job = args.Has("shell-job");
  o.file_locks = args.Has("file-locks");
  o.auto_dedup = args.Has("auto-dedup");
  o.manage_cgroups_mode = args.Get("manage-cgroups-mode");
  o.empty_ns = args.All("empty-ns");
  bool detach = args.Has("detach");
  if (!detach && !args.Has("no-subreaper")) BecomeSubreaper();
  auto pid = ctx.runtime().Restore(o);
  if (!pid.ok()) return Fail(ctx, pid.status());
  if (detach) return 0;
  // As run: wait in the foreground, then delete the container.
  auto code = ForwardSignalsUntilExit(*pid);
  if (st = ctx.runtime().Delete(o.create.id, /*force=*/true); !st.ok()) return Fail(ctx, st);
  if (!code.ok()) return Fail(ctx, code.status());
  return *code;
}

std::vector<FlagSpec> CriuFlagSpecs() {
  return {{"image-path", 0, true},     {"work-path", 0, true},
          {"tcp-established", 0, false}, {"ext-unix-sk", 0, false},
          {"shell-job", 0, false},     {"file-locks", 0, false},
          {"manage-cgroups-mode", 0, true}, {"empty-ns", 0, true},
          {"auto-dedup", 0, false},    {"lazy-pages", 0, false}};
}

}  // namespace

Command CheckpointVerb() {
  std::vector<FlagSpec> flags = CriuFlagSpecs();
  flags.insert(flags.end(), {{"parent-path", 0, true}, {"leave-running", 0, false},
                             {"status-fd", 0, true}, {"page-server", 0, true},
                             {"pre-dump", 0, false}});
  return {"checkpoint", "[command options] <container-id>", "checkpoint a running container",
          flags, false, Checkpoint};
}

Command RestoreVerb() {
  std::vector<FlagSpec> flags = CriuFlagSpecs();
  flags.insert(flags.end(), {{"console-socket", 0, true}, {"bundle", 'b', true},
                             {"detach", 'd', false}, {"pid-file", 0, true},
                             {"no-subreaper", 0, false}, {"no-pivot", 0, false},
                             {"lsm-profile", 0, true}, {"lsm-mount-context", 0, true}});
  return {"restore", "[command options] <container-id>",
          "restore a container from a previous checkpoint", flags, false, Restore};
}

}  // namespace cricket::oci::cli
