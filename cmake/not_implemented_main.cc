// Stands in for a program whose issue has not landed yet.
#include <cstdio>

int main() {
  std::fprintf(stderr, "%s: not implemented yet\n", CRICKET_PROGRAM_NAME);
  return 1;
}
