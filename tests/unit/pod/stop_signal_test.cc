// CRI's Signal enum ⇄ the engine's signal names and numbers.
#include "pod/stop_signal.h"

#include <csignal>

#include "gtest/gtest.h"

namespace cricket::pod {
namespace {

runtime::v1::Signal Named(const char* name) {
  runtime::v1::Signal s = runtime::v1::RUNTIME_DEFAULT;
  EXPECT_TRUE(runtime::v1::Signal_Parse(name, &s)) << name;
  return s;
}

TEST(StopSignal, CriNamesBecomeEngineNamesAndBack) {
  EXPECT_EQ(StopSignalName(runtime::v1::RUNTIME_DEFAULT), "");
  EXPECT_EQ(StopSignalName(Named("SIGUSR1")), "SIGUSR1");
  EXPECT_EQ(StopSignalName(Named("SIGRTMINPLUS3")), "SIGRTMIN+3");
  EXPECT_EQ(StopSignalName(Named("SIGRTMAXMINUS1")), "SIGRTMAX-1");
  EXPECT_EQ(EffectiveStopSignal(""), SIGTERM);
  EXPECT_EQ(EffectiveStopSignal("SIGRTMIN+3"), SIGRTMIN + 3);
  EXPECT_EQ(EffectiveStopSignal("SIGRTMAX-1"), SIGRTMAX - 1);
  EXPECT_EQ(EffectiveStopSignal("not-a-signal"), SIGTERM);
  EXPECT_EQ(CriSignal(SIGTERM), Named("SIGTERM"));
  EXPECT_EQ(CriSignal(SIGABRT), Named("SIGABRT"));  // not SIGIOT, its alias
  EXPECT_EQ(CriSignal(SIGRTMIN + 3), Named("SIGRTMINPLUS3"));
  EXPECT_EQ(CriSignal(SIGRTMAX), Named("SIGRTMAX"));
  // Every CRI signal round-trips through the engine's number.
  const auto* e = runtime::v1::Signal_descriptor();
  for (int i = 1; i < e->value_count(); i++) {
    auto s = static_cast<runtime::v1::Signal>(e->value(i)->number());
    int n = EffectiveStopSignal(StopSignalName(s));
    EXPECT_EQ(EffectiveStopSignal(StopSignalName(CriSignal(n))), n) << e->value(i)->name();
  }
}

}  // namespace
}  // namespace cricket::pod
