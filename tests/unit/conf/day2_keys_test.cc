// Issue 19's keys: image.pinned_images and runtime.log_size_max: read,
// printed back, and refused with file:line:key when malformed.
#include <string>

#include "conf/config.h"
#include "gtest/gtest.h"

namespace cricket::conf {
namespace {

TEST(ConfDay2Keys, PinnedImagesLoadAndPrintBack) {
  auto c = LoadFromString(
      "image:\n  pinned_images:\n    - registry.k8s.io/pause:3.9\n    - quay.io/infra/*\n"
      "    - \"*coredns*\"\n",
      "t.yaml");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->image.pinned_images,
            (std::vector<std::string>{"registry.k8s.io/pause:3.9", "quay.io/infra/*", "*coredns*"}));
  auto again = LoadFromString(ToYaml(*c), "printed");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, *c);
  EXPECT_TRUE(Config{}.image.pinned_images.empty());
}

TEST(ConfDay2Keys, BadPinnedPatternsNameFileLineAndKey) {
  struct {
    const char* yaml;
    const char* message;
  } cases[] = {
      {"image:\n  pinned_images: [\"quay.io/*/pause\"]\n",
       "t.yaml:2: image.pinned_images[0]: \"quay.io/*/pause\": \"*\" may only end a prefix "
       "(\"quay.io/infra/*\") or enclose a keyword (\"*pause*\")"},
      {"image:\n  pinned_images:\n    - a\n    - \"*pause\"\n",
       "t.yaml:4: image.pinned_images[1]: \"*pause\": \"*\" may only end a prefix "
       "(\"quay.io/infra/*\") or enclose a keyword (\"*pause*\")"},
      {"image:\n  pinned_images: [\"*\"]\n",
       "t.yaml:2: image.pinned_images[0]: \"*\" is not an image name or pattern"},
      {"image:\n  pinned_images: [\"\"]\n",
       "t.yaml:2: image.pinned_images[0]: \"\" is not an image name or pattern"},
  };
  for (const auto& bad : cases) {
    SCOPED_TRACE(bad.yaml);
    auto c = LoadFromString(bad.yaml, "t.yaml");
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(std::string(c.status().message()), bad.message);
  }
  Config built;
  built.image.pinned_images = {"a**"};
  EXPECT_FALSE(Validate(built).ok());
}

TEST(ConfDay2Keys, LogSizeMaxDefaultsToNoCapAndHasCriOsFloor) {
  EXPECT_EQ(Config{}.runtime.log_size_max, -1);
  for (const char* ok : {"-1", "0", "8192", "1048576"}) {
    auto c = LoadFromString(std::string("runtime:\n  log_size_max: ") + ok + "\n", "t.yaml");
    ASSERT_TRUE(c.ok()) << ok << ": " << c.status();
    EXPECT_EQ(c->runtime.log_size_max, std::stoll(ok));
  }
  auto c = LoadFromString("runtime:\n  log_size_max: -2\n", "t.yaml");
  EXPECT_EQ(std::string(c.status().message()),
            "t.yaml:2: runtime.log_size_max: -2 is below the minimum -1");
  c = LoadFromString("runtime:\n  log_size_max: 100\n", "t.yaml");
  EXPECT_EQ(std::string(c.status().message()),
            "invalid configuration: runtime.log_size_max: 100 is below 8192 (use -1 or 0 for no "
            "cap)");
}

}  // namespace
}  // namespace cricket::conf
