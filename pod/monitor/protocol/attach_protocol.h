// The attach socket of cricket-monitor (`<attach dir>/attach`, unix stream),
// shared by the monitor and cricketd (header-only: the monitor links no pod
// library). A client opens one connection per stream and first sends one
// byte saying which:
//   'o' stdout (with a tty: the terminal's output)  monitor → client, raw bytes
//   'e' stderr (nothing with a tty)                 monitor → client, raw bytes
//   'i' stdin                                       client → monitor, raw bytes;
//       its EOF is "this client closed stdin": with stdin_once the container's
//       stdin is closed (EOF, or ^D on a terminal), as conmon does
//   'c' control  client → monitor: resize records, 4 bytes each: width, height
//                as little-endian uint16; monitor → client: "exit <code>\n"
//                once the container's init ended (exit file already written)
// When init has ended the monitor flushes and closes every connection. The
// container's CRI log is written as before, whoever is attached.
#pragma once

#include <cstdint>

namespace cricket::pod {

inline constexpr char kAttachSocketName[] = "attach";
inline constexpr char kAttachStdout = 'o';
inline constexpr char kAttachStderr = 'e';
inline constexpr char kAttachStdin = 'i';
inline constexpr char kAttachControl = 'c';
inline constexpr int kAttachResizeSize = 4;

inline void EncodeAttachResize(uint16_t width, uint16_t height, unsigned char out[4]) {
  out[0] = static_cast<unsigned char>(width & 0xff);
  out[1] = static_cast<unsigned char>(width >> 8);
  out[2] = static_cast<unsigned char>(height & 0xff);
  out[3] = static_cast<unsigned char>(height >> 8);
}

inline void DecodeAttachResize(const unsigned char in[4], uint16_t* width, uint16_t* height) {
  *width = static_cast<uint16_t>(in[0] | (in[1] << 8));
  *height = static_cast<uint16_t>(in[2] | (in[3] << 8));
}

}  // namespace cricket::pod
