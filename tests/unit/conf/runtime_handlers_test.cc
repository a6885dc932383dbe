// RuntimeClass handlers in the config (issue 18): loaded, printed back the
// same, and refused with the key named when the name or path is wrong.
#include <string>

#include "conf/config.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cricket::conf {
namespace {

using ::testing::HasSubstr;

TEST(RuntimeHandlers, LoadAndPrintBack) {
  auto c = LoadFromString(
      "runtime_handlers:\n  runc:\n    path: /usr/sbin/runc\n    root: /run/r\n"
      "    options: [--debug]\n  crun:\n    path: /usr/bin/crun\n",
      "t.yaml");
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_EQ(c->runtime_handlers.size(), 2u);
  const RuntimeHandler& runc = c->runtime_handlers.at("runc");
  EXPECT_EQ(runc.path, "/usr/sbin/runc");
  EXPECT_EQ(runc.root, "/run/r");
  EXPECT_EQ(runc.options, std::vector<std::string>{"--debug"});
  EXPECT_EQ(c->runtime_handlers.at("crun").root, "");
  auto again = LoadFromString(ToYaml(*c), "printed.yaml");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, *c);
  EXPECT_TRUE(Config{}.runtime_handlers.empty());
}

TEST(RuntimeHandlers, BadEntriesNameTheKey) {
  struct Case {
    const char* yaml;
    const char* message;
  } cases[] = {
      {"runtime_handlers:\n  runc: {}\n", "runtime_handlers[\"runc\"].path"},
      {"runtime_handlers:\n  runc:\n    path: runc\n", "runtime_handlers[\"runc\"].path"},
      {"runtime_handlers:\n  Bad_Name:\n    path: /x\n", "a handler name is a DNS label"},
      {"runtime_handlers:\n  cricket:\n    path: /x\n", "\"cricket\" is the built-in engine"},
  };
  for (const Case& k : cases) {
    auto c = LoadFromString(k.yaml, "t.yaml");
    ASSERT_FALSE(c.ok()) << k.yaml;
    EXPECT_THAT(std::string(c.status().message()), HasSubstr(k.message)) << k.yaml;
  }
}

}  // namespace
}  // namespace cricket::conf
