// `cricket-oci spec`: writes runc's default config.json into the bundle.
#include <unistd.h>

#include "nlohmann/json.hpp"
#include "oci/cli/command.h"
#include "oci/spec_json.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"

namespace cricket::oci::cli {
namespace {

int Run(Context& ctx, const Args& args) {
  if (!args.positional().empty()) {
    return Fail(ctx, absl::InvalidArgumentError("spec takes no arguments"));
  }
  std::string bundle = AbsPath(args.Get("bundle", "."));
  if (!sys::PathExists(bundle)) {
    return Fail(ctx, absl::NotFoundError("bundle directory " + bundle + " does not exist"));
  }
  std::string path = bundle + "/config.json";
  if (sys::PathExists(path)) {
    return Fail(ctx, absl::AlreadyExistsError("File " + path + " exists. Remove it first"));
  }
  std::string text = SpecToJson(DefaultSpec(args.Has("rootless"))).dump(1, '\t');
  if (absl::Status st = sys::WriteFileAtomic(path, text, 0644); !st.ok()) {
    return Fail(ctx, st);
  }
  return 0;
}

}  // namespace

Command SpecVerb() {
  return {"spec", "[command options]", "create a new specification file (config.json)",
          {{"bundle", 'b', true}, {"rootless", 0, false}}, false, Run};
}

}  // namespace cricket::oci::cli
