// Records, states, name reservation and id prefixes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <utility>
#include <vector>

#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"
#include "pod/container.h"
#include "pod/ids.h"
#include "pod/name_index.h"
#include "pod/record_store.h"
#include "pod/sandbox.h"
#include "pod/state.h"

namespace cricket::pod {
namespace {

TEST(RecordStoreTest, PutGetLoadDelete) {
  auto dir = sys::TempDir::Make();
  ASSERT_TRUE(dir.ok());
  RecordStore store(dir->path());
  ASSERT_TRUE(store.Put("sandboxes", "abc", {{"name", "web"}}).ok());
  ASSERT_TRUE(store.Put("sandboxes", "abd", {{"name", "db"}}).ok());
  EXPECT_EQ((*store.Get("sandboxes", "abc"))["name"], "web");
  auto all = store.LoadAll("sandboxes");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);
  ASSERT_TRUE(store.Delete("sandboxes", "abc").ok());
  ASSERT_TRUE(store.Delete("sandboxes", "abc").ok());  // idempotent
  EXPECT_EQ(store.Get("sandboxes", "abc").status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(store.LoadAll("never")->empty());
}

TEST(RecordStoreTest, CrashLeftoversAndCorruptRecordsDoNotStopLoading) {
  auto dir = sys::TempDir::Make();
  ASSERT_TRUE(dir.ok());
  RecordStore store(dir->path());
  ASSERT_TRUE(store.Put("containers", "good", {{"x", 1}}).ok());
  ASSERT_TRUE(sys::WriteFileAtomic(dir->Sub("containers/half.json.tmp-123"), "{\"vers").ok());
  ASSERT_TRUE(sys::WriteFileAtomic(dir->Sub("containers/bad.json"), "not json").ok());
  ASSERT_TRUE(sys::WriteFileAtomic(dir->Sub("containers/future.json"),
                                   R"({"version":99,"body":{}})").ok());
  std::vector<std::string> set_aside;
  auto all = store.LoadAll("containers", &set_aside);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_THAT(set_aside, ::testing::UnorderedElementsAre("bad", "future"));
  EXPECT_EQ(SetAsideRecords(dir->path()).size(), 2u);
  EXPECT_EQ((*all)[0].id, "good");
  EXPECT_TRUE(sys::PathExists(dir->Sub("quarantine/containers/bad.json")));
  EXPECT_FALSE(sys::PathExists(dir->Sub("containers/half.json.tmp-123")));
  EXPECT_TRUE(sys::PathExists(dir->Sub("containers/future.json")));  // kept for a newer cricketd
}

TEST(StateTest, TransitionsFollowTheDiagram) {
  using C = ContainerState;
  EXPECT_TRUE(CanTransition(C::kCreated, C::kRunning));
  EXPECT_TRUE(CanTransition(C::kRunning, C::kExited));
  EXPECT_TRUE(CanTransition(C::kCreated, C::kExited));
  EXPECT_FALSE(CanTransition(C::kExited, C::kRunning));
  EXPECT_FALSE(CanTransition(C::kRunning, C::kCreated));
  using S = SandboxState;
  EXPECT_TRUE(CanTransition(S::kCreating, S::kReady));
  EXPECT_TRUE(CanTransition(S::kReady, S::kNotReady));
  EXPECT_FALSE(CanTransition(S::kNotReady, S::kReady));
  for (auto s : {C::kCreating, C::kCreated, C::kRunning, C::kExited, C::kUnknown}) {
    EXPECT_EQ(*ParseContainerState(Name(s)), s);
  }
  EXPECT_FALSE(ParseSandboxState("bogus").ok());
}

// The whole table, edge by edge, as the diagrams in state.h draw it.
TEST(StateTest, TableHasExactlyTheDiagramsEdges) {
  using C = ContainerState;
  const std::vector<C> cs = {C::kCreating, C::kCreated, C::kRunning, C::kExited, C::kUnknown};
  const std::set<std::pair<C, C>> c_edges = {
      {C::kCreating, C::kCreated}, {C::kCreated, C::kRunning}, {C::kCreated, C::kExited},
      {C::kCreated, C::kUnknown},  {C::kRunning, C::kExited},  {C::kRunning, C::kUnknown},
      {C::kUnknown, C::kRunning},  {C::kUnknown, C::kExited}};
  for (C from : cs) {
    for (C to : cs) {
      EXPECT_EQ(CanTransition(from, to), c_edges.count({from, to}) == 1)
          << Name(from) << " -> " << Name(to);
    }
  }
  using S = SandboxState;
  const std::vector<S> ss = {S::kCreating, S::kReady, S::kNotReady};
  const std::set<std::pair<S, S>> s_edges = {
      {S::kCreating, S::kReady}, {S::kCreating, S::kNotReady}, {S::kReady, S::kNotReady}};
  for (S from : ss) {
    for (S to : ss) {
      EXPECT_EQ(CanTransition(from, to), s_edges.count({from, to}) == 1)
          << Name(from) << " -> " << Name(to);
    }
  }
}

TEST(StateTest, RecordsMoveOnlyAlongTheTable) {
  Container c;
  c.id = "c0ffee";
  EXPECT_EQ(c.state(), ContainerState::kCreating);
  absl::Status refused = c.TransitionTo(ContainerState::kRunning);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(refused.message(), "container c0ffee: cannot go from creating to running");
  EXPECT_EQ(c.state(), ContainerState::kCreating);  // unchanged
  ASSERT_TRUE(c.TransitionTo(ContainerState::kCreated).ok());
  ASSERT_TRUE(c.TransitionTo(ContainerState::kRunning).ok());
  ASSERT_TRUE(c.TransitionTo(ContainerState::kExited).ok());
  EXPECT_FALSE(c.TransitionTo(ContainerState::kRunning).ok());
  EXPECT_EQ(c.state(), ContainerState::kExited);

  Sandbox sb;
  sb.id = "beef01";
  ASSERT_TRUE(sb.TransitionTo(SandboxState::kReady).ok());
  ASSERT_TRUE(sb.TransitionTo(SandboxState::kNotReady).ok());
  refused = sb.TransitionTo(SandboxState::kReady);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(refused.message(), "pod sandbox beef01: cannot go from notready to ready");
  EXPECT_EQ(sb.state(), SandboxState::kNotReady);
}

// A record read from disk keeps its saved state without walking the table.
TEST(StateTest, RestoreKeepsTheSavedState) {
  EXPECT_EQ(Container::Restore(ContainerState::kExited).state(), ContainerState::kExited);
  EXPECT_EQ(Sandbox::Restore(SandboxState::kNotReady).state(), SandboxState::kNotReady);
}

TEST(NameIndexTest, ReserveIsIdempotentPerIdAndNamesTheHolder) {
  NameIndex idx;
  ASSERT_TRUE(idx.Reserve("web_default_uid_0", "id1").ok());
  ASSERT_TRUE(idx.Reserve("web_default_uid_0", "id1").ok());
  absl::Status st = idx.Reserve("web_default_uid_0", "id2");
  EXPECT_EQ(st.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_NE(st.message().find("id1"), absl::string_view::npos);
  idx.Release("web_default_uid_0");
  EXPECT_TRUE(idx.Reserve("web_default_uid_0", "id2").ok());
}

TEST(IdIndexTest, ResolvesUniquePrefixes) {
  IdIndex idx;
  idx.Add("abc123");
  idx.Add("abd456");
  idx.Add("abd");
  EXPECT_EQ(*idx.Resolve("abc"), "abc123");
  EXPECT_EQ(*idx.Resolve("abd"), "abd");  // exact match wins
  EXPECT_EQ(idx.Resolve("ab").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(idx.Resolve("zz").status().code(), absl::StatusCode::kNotFound);
}

TEST(IdsTest, RandomIdsAreHex64AndDistinct) {
  std::string a = NewRandomId(), b = NewRandomId();
  EXPECT_EQ(a.size(), 64u);
  EXPECT_NE(a, b);
  EXPECT_TRUE(ValidateIdChars(a).ok());
  EXPECT_FALSE(ValidateIdChars("../x").ok());
  EXPECT_FALSE(ValidateIdChars("").ok());
}

}  // namespace
}  // namespace cricket::pod
