// Random ids from the kernel's CSPRNG.
#include "pod/ids.h"

#include <sys/random.h>

#include "absl/strings/str_cat.h"

namespace cricket::pod {

std::string NewRandomId() {
  unsigned char b[32];
  size_t got = 0;
  while (got < sizeof b) {
    ssize_t n = getrandom(b + got, sizeof b - got, 0);
    if (n > 0) got += static_cast<size_t>(n);
  }
  static const char kHex[] = "0123456789abcdef";
  std::string out(64, '0');
  for (size_t i = 0; i < sizeof b; i++) {
    out[2 * i] = kHex[b[i] >> 4];
    out[2 * i + 1] = kHex[b[i] & 15];
  }
  return out;
}

absl::Status ValidateIdChars(std::string_view id) {
  if (id.empty() || id.size() > 64) {
    return absl::InvalidArgumentError(absl::StrCat("id \"", std::string(id), "\" must have 1 to 64 characters"));
  }
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return absl::InvalidArgumentError(
          absl::StrCat("id \"", std::string(id), "\" may hold only lowercase hex digits"));
    }
  }
  return absl::OkStatus();
}

}  // namespace cricket::pod
