// CgroupGuard: RAII over a Manager for setup paths. Unless Commit()ed, the
// destructor destroys the cgroup (kills its tasks, removes its dirs), so a
// failed container creation leaves no cgroup behind.
#pragma once

#include <memory>
#include <utility>

#include "oci/cgroup/manager.h"

namespace cricket::oci::cgroup {

class CgroupGuard {
 public:
  CgroupGuard() = default;
  explicit CgroupGuard(std::unique_ptr<Manager> m) : m_(std::move(m)) {}
  CgroupGuard(CgroupGuard&&) noexcept = default;
  CgroupGuard& operator=(CgroupGuard&& o) noexcept {
    if (this != &o) {
      Reset();
      m_ = std::move(o.m_);
    }
    return *this;
  }
  CgroupGuard(const CgroupGuard&) = delete;
  CgroupGuard& operator=(const CgroupGuard&) = delete;
  ~CgroupGuard() { Reset(); }

  Manager* operator->() const { return m_.get(); }
  Manager* get() const { return m_.get(); }
  // Keeps the cgroup; hands the manager to the caller.
  std::unique_ptr<Manager> Commit() { return std::move(m_); }

 private:
  void Reset() {
    // Best effort: a destructor has no one to report to, and Destroy already
    // kills and retries; the cgroup path is in the caller's error log.
    if (m_) (void)m_->Destroy();
    m_.reset();
  }
  std::unique_ptr<Manager> m_;
};

}  // namespace cricket::oci::cgroup
