// dlopen of libsystemd.so.0 for the systemd cgroup driver (see sd_bus.h).
#include "oci/cgroup/sd_bus.h"

#include <dlfcn.h>

#include <string>

#include "absl/strings/str_cat.h"

namespace cricket::oci::cgroup {
namespace {

constexpr const char* kLibrary = "libsystemd.so.0";  // the soname the -dev package links

template <typename Fn>
bool Resolve(void* lib, const char* name, Fn* out, std::string* missing) {
  *out = reinterpret_cast<Fn>(::dlsym(lib, name));
  if (*out == nullptr && missing->empty()) *missing = name;
  return *out != nullptr;
}

absl::StatusOr<SdBus> Load() {
  void* lib = ::dlopen(kLibrary, RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    const char* err = ::dlerror();
    return absl::FailedPreconditionError(absl::StrCat(
        "systemd cgroup driver: load ", kLibrary, ": ", err ? err : "unknown error"));
  }
  SdBus b;
  std::string missing;
  Resolve(lib, "sd_bus_open_system", &b.open_system, &missing);
  Resolve(lib, "sd_bus_flush_close_unref", &b.flush_close_unref, &missing);
  Resolve(lib, "sd_bus_message_new_method_call", &b.message_new_method_call, &missing);
  Resolve(lib, "sd_bus_message_unref", &b.message_unref, &missing);
  Resolve(lib, "sd_bus_message_append", &b.message_append, &missing);
  Resolve(lib, "sd_bus_message_open_container", &b.message_open_container, &missing);
  Resolve(lib, "sd_bus_message_close_container", &b.message_close_container, &missing);
  Resolve(lib, "sd_bus_call", &b.call, &missing);
  Resolve(lib, "sd_bus_error_free", &b.error_free, &missing);
  Resolve(lib, "sd_bus_message_append_array", &b.message_append_array, &missing);
  Resolve(lib, "sd_bus_message_read", &b.message_read, &missing);
  Resolve(lib, "sd_bus_get_property_string", &b.get_property_string, &missing);
  if (!missing.empty()) {
    // The handle stays open: a later call would find the same library again.
    return absl::FailedPreconditionError(
        absl::StrCat("systemd cgroup driver: ", kLibrary, " has no ", missing));
  }
  return b;
}

}  // namespace

absl::StatusOr<const SdBus*> LoadSdBus() {
  static const absl::StatusOr<SdBus> bus = Load();  // thread-safe once
  if (!bus.ok()) return bus.status();
  return &*bus;
}

}  // namespace cricket::oci::cgroup
