// Planning a user namespace joined by path: kept apart from the other joins,
// since the engine joins it last (after the rootfs, rlimits and AppArmor).
#include <sched.h>

#include <gtest/gtest.h>

#include "oci/linux/namespaces.h"

namespace cricket::oci::linux {
namespace {

TEST(NamespacePlanTest, JoinedUserNamespaceIsJoinedLate) {
  Spec s;
  s.linux_spec = Linux{};
  s.linux_spec->namespaces = {{"user", "/pods/x/ns/user"}, {"network", "/pods/x/ns/net"},
                              {"mount", ""}, {"pid", ""}};
  auto p = PlanNamespaces(s);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->user_path, "/pods/x/ns/user");
  ASSERT_EQ(p->joins.size(), 1u);
  EXPECT_EQ(p->joins[0].type, "network");
  EXPECT_EQ(p->clone_flags, static_cast<uint64_t>(CLONE_NEWNS | CLONE_NEWPID));
  EXPECT_TRUE(p->any_user);
  EXPECT_FALSE(p->new_user);
  // The joined namespace has its maps already.
  s.linux_spec->uid_mappings = {{0, 65536, 65536}};
  s.linux_spec->gid_mappings = {{0, 65536, 65536}};
  EXPECT_TRUE(absl::IsInvalidArgument(PlanNamespaces(s).status()));
}

}  // namespace
}  // namespace cricket::oci::linux
