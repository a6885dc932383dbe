// Gives back the pages of our own program file that start-up touched. RSS
// counts every page mapped into us, and start-up maps far more than the
// supervise loop runs: glibc's and libstdc++'s initialisation (locale facets
// for iostream, which absl's status.h includes), and the kernel's fault-around
// maps 64 KiB around each fault. Dropping our clean, never-written mappings of
// the program leaves those pages in the page cache (shared by every monitor) and
// takes them out of this process; the loop faults back in what it uses.
#pragma once

namespace cricket::pod::monitor {

// madvise(MADV_DONTNEED) on each mapping of /proc/self/exe that is not writable
// and holds no private (copy-on-write) pages: text and read-only data, never the
// relocated RELRO pages or data. Best effort: errors leave the pages mapped.
void ShedStartupPages();

}  // namespace cricket::pod::monitor
