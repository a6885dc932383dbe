// Reboot detection: the kernel's boot id is recorded in <state_dir>/boot_id
// at each start. When it changed, the records were written in an earlier
// boot: their pids and namespace pins mean nothing now (even when the state
// dir is not on a tmpfs and its files survived), so recovery reports every
// container exited and every pod NotReady.
//
// Tests simulate a reboot with CRICKET_BOOT_ID_FILE, a file read in place of
// /proc/sys/kernel/random/boot_id (for tests only; production leaves it unset).
#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace cricket::cri {

struct BootCheck {
  std::string boot_id;       // this boot's
  bool after_reboot = false;  // a different id was recorded (none recorded: false)
};

absl::StatusOr<BootCheck> CheckBoot(const std::string& state_dir);
// Records this boot's id, once recovery has dealt with the old boot's state.
absl::Status RecordBoot(const std::string& state_dir, const BootCheck& boot);

}  // namespace cricket::cri
