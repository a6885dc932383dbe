// Runs registered undos newest first and reports the ones that failed.
#include "oci/sys/rollback.h"

#include "absl/strings/str_cat.h"
#include "oci/sys/log.h"

namespace cricket::sys {

void Rollback::Add(std::string description, Undo undo) {
  steps_.push_back(Step{std::move(description), std::move(undo)});
}

absl::Status Rollback::Run() {
  std::string failures;
  while (!steps_.empty()) {
    Step step = std::move(steps_.back());
    steps_.pop_back();
    absl::Status st = step.undo ? step.undo() : absl::OkStatus();
    if (!st.ok()) {
      LogWarn("rollback step failed", {{"step", step.description}, {"error", st.ToString()}});
      absl::StrAppend(&failures, failures.empty() ? "" : "; ", step.description, ": ",
                      st.message());
    } else {
      LogDebug("rolled back", {{"step", step.description}});
    }
  }
  if (failures.empty()) return absl::OkStatus();
  return absl::InternalError(absl::StrCat("rollback incomplete: ", failures));
}

Rollback::~Rollback() {
  if (!steps_.empty()) {
    absl::Status st = Run();
    (void)st;  // Already logged step by step.
  }
}

}  // namespace cricket::sys
