// `cricketctl version`: the runtime's name and versions, as crictl prints them.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "cri/ctl/command.h"
#include "cri/ctl/output.h"
#include "oci/sys/status.h"

namespace cricket::cri::ctl {

absl::Status RunVersion(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(Flags f, ParseFlags("version", args));
  if (!f.args.empty()) return UsageError("version", "unexpected argument " + f.args[0]);
  ASSIGN_OR_RETURN(OutputOptions out, OutputFrom(f, Format::kTable));
  ASSIGN_OR_RETURN(auto client, Connect(ctx));
  ASSIGN_OR_RETURN(auto v, client->Version());
  if (out.format == Format::kTable) {
    std::cout << "Version:  " << v.version() << "\n"
              << "RuntimeName:  " << v.runtime_name() << "\n"
              << "RuntimeVersion:  " << v.runtime_version() << "\n"
              << "RuntimeApiVersion:  " << v.runtime_api_version() << "\n";
    return absl::OkStatus();
  }
  return PrintMessage(v, out);
}

}  // namespace cricket::cri::ctl
