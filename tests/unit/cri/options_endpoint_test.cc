// cricketd's flag parsing and the client's endpoint rules.
#include <cstdlib>

#include "cri/client/endpoint.h"
#include "cri/daemon/options.h"
#include "gtest/gtest.h"

namespace cricket::cri {
namespace {

TEST(DaemonOptions, FlagsInBothSpellings) {
  auto o = ParseDaemonArgs({"--config", "/c.yaml", "--config-dir=/d", "--socket=/s.sock", "--root",
                            "/r", "--state=/st", "--log-level", "debug"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->command, DaemonOptions::Command::kServe);
  EXPECT_EQ(o->load.config_file, "/c.yaml");
  EXPECT_TRUE(o->load.explicit_file);
  EXPECT_EQ(o->load.config_dir, "/d");
  EXPECT_EQ(o->socket_path, "/s.sock");
  EXPECT_EQ(o->root_dir, "/r");
  EXPECT_EQ(o->state_dir, "/st");
  EXPECT_EQ(o->log_level, "debug");
}

TEST(DaemonOptions, SubcommandAndVersion) {
  auto o = ParseDaemonArgs({"config", "--socket", "/x"});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->command, DaemonOptions::Command::kPrintConfig);
  EXPECT_FALSE(o->load.explicit_file);
  o = ParseDaemonArgs({"--version"});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->command, DaemonOptions::Command::kVersion);
}

TEST(DaemonOptions, BadArgumentsAreNamed) {
  auto o = ParseDaemonArgs({"--bogus"});
  ASSERT_FALSE(o.ok());
  EXPECT_NE(o.status().message().find("--bogus"), std::string::npos);
  o = ParseDaemonArgs({"--socket"});
  ASSERT_FALSE(o.ok());
  EXPECT_NE(o.status().message().find("needs a value"), std::string::npos);
}

TEST(DaemonOptions, FlagsOverrideTheFile) {
  DaemonOptions o;
  o.load.config_file = "/nonexistent/cricket.yaml";  // not explicit: defaults apply
  o.load.config_dir = "";
  o.socket_path = "/tmp/x.sock";
  o.root_dir = "/tmp/root";
  auto config = EffectiveConfig(o);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->socket_path, "/tmp/x.sock");
  EXPECT_EQ(config->root_dir, "/tmp/root");
  EXPECT_EQ(config->state_dir, "/run/cricket");
}

TEST(Endpoint, Normalisation) {
  EXPECT_EQ(*client::GrpcTarget("unix:///run/x.sock"), "unix:///run/x.sock");
  EXPECT_EQ(*client::GrpcTarget("/run/x.sock"), "unix:///run/x.sock");
  EXPECT_FALSE(client::GrpcTarget("tcp://127.0.0.1:1").ok());
  EXPECT_FALSE(client::GrpcTarget("relative.sock").ok());
  EXPECT_FALSE(client::GrpcTarget("").ok());
}

TEST(Endpoint, FlagThenEnvThenDefault) {
  ::unsetenv(client::kEndpointEnv);
  EXPECT_EQ(client::ChooseEndpoint(""), client::kDefaultEndpoint);
  ::setenv(client::kEndpointEnv, "unix:///env.sock", 1);
  EXPECT_EQ(client::ChooseEndpoint(""), "unix:///env.sock");
  EXPECT_EQ(client::ChooseEndpoint("/flag.sock"), "/flag.sock");
  ::unsetenv(client::kEndpointEnv);
}

}  // namespace
}  // namespace cricket::cri
