// Text for people, as crictl prints it: aligned tables (tabwriter with three
// spaces of padding), sizes in decimal units and "N minutes ago" ages.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cricket::cri::client {

// Columns padded to the widest cell, three spaces apart; rows[0] is the header.
// Trailing blanks are dropped, as tabwriter does for the last cell.
std::string FormatTable(const std::vector<std::vector<std::string>>& rows);

// go-units' HumanSizeWithPrecision(size, 3): 1234567 → "1.23MB", 742000 → "742kB".
std::string HumanSize(double bytes);

// go-units' HumanDuration of now - then (both Unix ns): "5 minutes".
std::string HumanDuration(int64_t then_ns, int64_t now_ns);
// go-units' HumanDuration plus " ago" of now - then (both Unix ns):
// "Less than a second ago", "5 seconds ago", "About a minute ago", "3 hours ago".
std::string HumanAgo(int64_t then_ns, int64_t now_ns);

// The short form of an id: its first 13 characters (crictl's TruncatedIDLen),
// after a "sha256:" prefix for images.
std::string ShortId(const std::string& id);

}  // namespace cricket::cri::client
