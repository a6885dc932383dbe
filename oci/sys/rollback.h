// A stack of described undo actions for multi-step mutations (CRI-O's
// pattern). Register the undo *before* the call that can half-succeed; on
// any early return the destructor undoes in reverse unless Commit()ed.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace cricket::sys {

class Rollback {
 public:
  using Undo = std::function<absl::Status()>;

  Rollback() = default;
  Rollback(const Rollback&) = delete;
  Rollback& operator=(const Rollback&) = delete;
  ~Rollback();

  void Add(std::string description, Undo undo);
  // Keeps everything done so far; the undos are dropped.
  void Commit() { steps_.clear(); }
  // Runs every undo now, newest first, and returns a status naming the undos
  // that failed (OK when all succeeded). Afterwards the stack is empty.
  absl::Status Run();
  bool empty() const { return steps_.empty(); }

 private:
  struct Step {
    std::string description;
    Undo undo;
  };
  std::vector<Step> steps_;
};

}  // namespace cricket::sys
