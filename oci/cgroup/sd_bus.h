// libsystemd's sd-bus, loaded with dlopen on first use. Only the systemd
// cgroup driver talks D-Bus; linking libsystemd would map it and the five
// libraries it pulls in (gcrypt, gpg-error, lz4, zstd, lzma) into every
// cricket-oci and cricket-monitor process for nothing.
#pragma once

#include <systemd/sd-bus.h>

#include "absl/status/statusor.h"

namespace cricket::oci::cgroup {

// The sd-bus calls the systemd driver makes, typed from <systemd/sd-bus.h>.
struct SdBus {
  decltype(&sd_bus_open_system) open_system = nullptr;
  decltype(&sd_bus_flush_close_unref) flush_close_unref = nullptr;
  decltype(&sd_bus_message_new_method_call) message_new_method_call = nullptr;
  decltype(&sd_bus_message_unref) message_unref = nullptr;
  decltype(&sd_bus_message_append) message_append = nullptr;
  decltype(&sd_bus_message_open_container) message_open_container = nullptr;
  decltype(&sd_bus_message_close_container) message_close_container = nullptr;
  decltype(&sd_bus_call) call = nullptr;
  decltype(&sd_bus_error_free) error_free = nullptr;
  decltype(&sd_bus_message_append_array) message_append_array = nullptr;
  decltype(&sd_bus_message_read) message_read = nullptr;
  decltype(&sd_bus_get_property_string) get_property_string = nullptr;
};

// libsystemd.so.0's sd-bus (loaded once, never unloaded). FailedPrecondition
// naming the library or symbol when it cannot be loaded.
absl::StatusOr<const SdBus*> LoadSdBus();

}  // namespace cricket::oci::cgroup
