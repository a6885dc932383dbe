// Wire bytes written as numbers, as the RFCs and drafts print them.
#pragma once

#include <initializer_list>
#include <string>

namespace cricket::cri::wire {

inline std::string Bytes(std::initializer_list<int> b) {
  std::string s;
  for (int c : b) s.push_back(static_cast<char>(c));
  return s;
}

}  // namespace cricket::cri::wire
