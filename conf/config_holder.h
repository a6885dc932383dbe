// The configuration in effect, replaced as a whole by a reload (issue 19):
// readers take a snapshot per call and never see a half-applied config.
#pragma once

#include <memory>
#include <mutex>

#include "conf/config.h"

namespace cricket::conf {

class ConfigHolder {
 public:
  explicit ConfigHolder(Config c) : current_(std::make_shared<const Config>(std::move(c))) {}
  std::shared_ptr<const Config> Get() const {
    std::lock_guard lock(mu_);
    return current_;
  }
  void Set(Config c) {
    auto next = std::make_shared<const Config>(std::move(c));
    std::lock_guard lock(mu_);
    current_ = std::move(next);
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const Config> current_;
};

}  // namespace cricket::conf
