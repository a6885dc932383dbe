// Boot id comparison (see boot_id.h).
#include "cri/daemon/boot_id.h"

#include <cstdlib>

#include "absl/strings/strip.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"

namespace cricket::cri {
namespace {

std::string BootIdSource() {
  const char* test_file = std::getenv("CRICKET_BOOT_ID_FILE");
  return test_file != nullptr && *test_file != '\0' ? test_file
                                                    : "/proc/sys/kernel/random/boot_id";
}

}  // namespace

absl::StatusOr<BootCheck> CheckBoot(const std::string& state_dir) {
  BootCheck b;
  ASSIGN_OR_RETURN(std::string now, sys::ReadFile(BootIdSource()));
  b.boot_id = std::string(absl::StripAsciiWhitespace(now));
  if (b.boot_id.empty()) return absl::DataLossError(BootIdSource() + " is empty");
  auto recorded = sys::ReadFile(state_dir + "/boot_id");
  if (!recorded.ok() && !absl::IsNotFound(recorded.status())) return recorded.status();
  if (recorded.ok()) {
    std::string before(absl::StripAsciiWhitespace(*recorded));
    b.after_reboot = before != b.boot_id;
    if (b.after_reboot) {
      sys::LogWarn("the node rebooted since the last start: containers are reported exited, "
                   "pods NotReady",
                   {{"recorded_boot_id", before}, {"boot_id", b.boot_id}});
    }
  }
  return b;
}

absl::Status RecordBoot(const std::string& state_dir, const BootCheck& boot) {
  return sys::WriteFileAtomic(state_dir + "/boot_id", boot.boot_id + "\n", 0600);
}

}  // namespace cricket::cri
