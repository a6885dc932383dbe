// The list-streaming RPCs (Stream*): a list sent as messages of at most
// kStreamChunk items, so a node with thousands of entries never builds one
// message past the client's size limit. An empty list is one empty message.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "absl/status/status.h"
#include "cri/service/handler_context.h"

namespace cricket::cri {

inline constexpr size_t kStreamChunk = 100;

// fill(resp, item) appends one item to resp. Stops (OK) when the client has gone.
template <typename Resp, typename Item, typename Fill>
absl::Status SendInChunks(const std::vector<Item>& items, Fill fill, const Sink<Resp>& send,
                          size_t chunk = kStreamChunk) {
  size_t i = 0;
  do {
    Resp r;
    for (size_t end = std::min(items.size(), i + chunk); i < end; ++i) fill(r, items[i]);
    if (!send(r)) return absl::OkStatus();
  } while (i < items.size());
  return absl::OkStatus();
}

}  // namespace cricket::cri
