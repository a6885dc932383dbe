// The kubelet's user namespace options for pods: mapping rules and map texts.
#include "pod/userns.h"

#include <gtest/gtest.h>

namespace cricket::pod {
namespace {

namespace v1 = ::runtime::v1;

void Add(google::protobuf::RepeatedPtrField<v1::IDMapping>* m, uint32_t container, uint32_t host,
         uint32_t length) {
  v1::IDMapping* e = m->Add();
  e->set_container_id(container);
  e->set_host_id(host);
  e->set_length(length);
}

v1::NamespaceOption PodOptions(uint32_t host = 131072) {
  v1::NamespaceOption o;
  auto* u = o.mutable_userns_options();
  u->set_mode(v1::POD);
  Add(u->mutable_uids(), 0, host, 65536);
  Add(u->mutable_gids(), 0, host, 65536);
  return o;
}

TEST(PodUserns, UnsetOrNodeMeansTheHostsUserNamespace) {
  v1::NamespaceOption o;
  auto r = PodUserns(o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->has_value());
  o.mutable_userns_options()->set_mode(v1::NODE);
  r = PodUserns(o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->has_value());
  Add(o.mutable_userns_options()->mutable_uids(), 0, 65536, 65536);
  EXPECT_EQ(PodUserns(o).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(PodUserns, PodModeGivesTheKernelMapsAndRootsHostIds) {
  v1::NamespaceOption o = PodOptions();
  Add(o.mutable_userns_options()->mutable_gids(), 70000, 300000, 10);
  auto r = PodUserns(o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ((*r)->uid_map, "0 131072 65536\n");
  EXPECT_EQ((*r)->gid_map, "0 131072 65536\n70000 300000 10\n");
  EXPECT_EQ((*r)->root_uid, 131072u);
  EXPECT_EQ((*r)->root_gid, 131072u);
}

TEST(PodUserns, PodModeRefusesHostNamespacesAndOtherModes) {
  for (auto set : {+[](v1::NamespaceOption& o) { o.set_network(v1::NODE); },
                   +[](v1::NamespaceOption& o) { o.set_pid(v1::NODE); },
                   +[](v1::NamespaceOption& o) { o.set_ipc(v1::NODE); }}) {
    v1::NamespaceOption o = PodOptions();
    set(o);
    auto r = PodUserns(o);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find("host's network, pid or IPC"), std::string::npos);
  }
  v1::NamespaceOption o = PodOptions();
  o.mutable_userns_options()->set_mode(v1::CONTAINER);
  EXPECT_EQ(PodUserns(o).status().code(), absl::StatusCode::kUnimplemented);
}

struct BadCase {
  const char* name;
  std::vector<std::array<uint32_t, 3>> maps;  // container, host, length
  const char* want;
};

TEST(ValidateIdMappings, NamesWhatIsWrong) {
  const BadCase cases[] = {
      {"empty", {}, "no mappings given"},
      {"zero length", {{0, 65536, 0}}, "has length 0"},
      {"overflow", {{0, 4294901760u, 65537}}, "runs past 2^32"},
      {"container overlap", {{0, 65536, 100}, {50, 200000, 100}}, "overlap on the container side"},
      {"host overlap", {{0, 65536, 100}, {1000, 65600, 100}}, "overlap on the host side"},
      {"no root", {{1, 65536, 100}}, "container id 0 (root) is not mapped"},
      {"host root", {{0, 0, 65536}}, "maps host id 0"},
  };
  for (const BadCase& c : cases) {
    google::protobuf::RepeatedPtrField<v1::IDMapping> m;
    for (const auto& e : c.maps) Add(&m, e[0], e[1], e[2]);
    absl::Status st = ValidateIdMappings(m, "uids");
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << c.name;
    EXPECT_NE(st.message().find(c.want), std::string::npos) << c.name << ": " << st;
    EXPECT_EQ(st.message().rfind("uids: ", 0), 0u) << st;
  }
  google::protobuf::RepeatedPtrField<v1::IDMapping> many;
  for (uint32_t i = 0; i < 341; ++i) Add(&many, i, 65536 + i, 1);
  EXPECT_NE(ValidateIdMappings(many, "gids").message().find("at most 340"), std::string::npos);
  google::protobuf::RepeatedPtrField<v1::IDMapping> ok;
  Add(&ok, 0, 65536, 65536);
  Add(&ok, 65536, 4294901760u, 65536);  // ends exactly at 2^32
  EXPECT_TRUE(ValidateIdMappings(ok, "uids").ok()) << ValidateIdMappings(ok, "uids");
}

TEST(CheckContainerUserns, ContainersShareThePodsUserNamespace) {
  v1::NamespaceOption pod = PodOptions(), ctr;
  EXPECT_TRUE(CheckContainerUserns(pod, ctr).ok());  // unset: follows the pod
  ctr = PodOptions();
  EXPECT_TRUE(CheckContainerUserns(pod, ctr).ok());
  ctr = PodOptions(196608);
  EXPECT_EQ(CheckContainerUserns(pod, ctr).code(), absl::StatusCode::kInvalidArgument);
  v1::NamespaceOption host_pod, node_ctr;
  node_ctr.mutable_userns_options()->set_mode(v1::NODE);
  EXPECT_TRUE(CheckContainerUserns(host_pod, node_ctr).ok());
  EXPECT_EQ(CheckContainerUserns(host_pod, PodOptions()).code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cricket::pod
