// TLS for https:// streaming URLs. The protocol code reads and writes plain
// fds, so a TLS connection is handed over as one end of a socketpair with a
// relay thread on the other end that encrypts and decrypts.
#pragma once

#include <chrono>

#include "absl/status/statusor.h"
#include "oci/sys/unique_fd.h"

namespace cricket::cri::client {

// Runs the TLS handshake on the connected `tcp` socket and returns a
// non-blocking fd that carries the plaintext. The server's certificate is not
// verified, as crictl does for streaming (its rest.Config is Insecure): the
// single-use token in the URL, fetched over the CRI socket, is what grants
// access. SNI carries `host` where it is a name.
absl::StatusOr<sys::UniqueFd> WrapInTls(sys::UniqueFd tcp, const std::string& host,
                                        std::chrono::milliseconds timeout);

}  // namespace cricket::cri::client
