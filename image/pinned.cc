// The pinned-image matcher: exact (normalised as a reference), "prefix*",
// "*keyword*".
#include "image/pinned.h"

#include "image/reference.h"

namespace cricket::image {

bool MatchesPinnedPattern(std::string_view pattern, std::string_view name) {
  bool leading = pattern.starts_with('*');
  bool trailing = pattern.size() > 1 && pattern.ends_with('*');
  if (leading && trailing) {
    return name.find(pattern.substr(1, pattern.size() - 2)) != std::string_view::npos;
  }
  if (trailing) return name.starts_with(pattern.substr(0, pattern.size() - 1));
  if (leading) return false;  // conf refuses "*suffix"; match nothing rather than guess
  if (name == pattern) return true;
  absl::StatusOr<Reference> ref = ParseReference(pattern);
  return ref.ok() && ref->String() == name;
}

bool IsPinned(const std::vector<std::string>& patterns, const ImageRecord& record) {
  if (record.pinned) return true;
  for (const std::string& p : patterns) {
    if (MatchesPinnedPattern(p, record.id)) return true;
    for (const std::string& n : record.repo_tags) {
      if (MatchesPinnedPattern(p, n)) return true;
    }
    for (const std::string& n : record.repo_digests) {
      if (MatchesPinnedPattern(p, n)) return true;
    }
  }
  return false;
}

}  // namespace cricket::image
