// Image volumes in the OCI spec: a CRI Mount with `image` becomes a read-only,
// nosuid, nodev bind of the mount the container manager prepared, whatever
// `readonly` says; no host dir is made for it; a mount with both a host path
// and an image, or one that was not prepared, is refused.
#include <gtest/gtest.h>

#include "oci/sys/status.h"
#include "pod/spec/builders.h"

namespace cricket::pod::spec {
namespace {

using Strings = std::vector<std::string>;

struct VolumeFixture {
  runtime::v1::ContainerConfig config;
  Inputs in;
  VolumeFixture() { in.config = &config; }
  runtime::v1::Mount* AddImage(const std::string& path, const std::string& ref) {
    runtime::v1::Mount* m = config.add_mounts();
    m->set_container_path(path);
    m->mutable_image()->set_image(ref);
    return m;
  }
  absl::StatusOr<Output> Apply() {
    Output out;
    RETURN_IF_ERROR(ApplyMounts(in, out));
    return out;
  }
};

const oci::Mount* Find(const Output& out, const std::string& dest) {
  for (const auto& m : out.spec.mounts) {
    if (m.destination == dest) return &m;
  }
  return nullptr;
}

TEST(SpecImageVolumeTest, ReadOnlyNosuidNodevBindOfThePreparedMount) {
  VolumeFixture f;
  f.AddImage("/models", "registry.example/models:1");  // readonly unset: ro all the same
  f.AddImage("/tools", "registry.example/tools:1")->set_readonly(true);
  f.in.image_volumes = {{"/models", "/snap/c1/volumes/0/mnt"},
                        {"/tools", "/snap/c1/volumes/1/mnt/usr/bin"}};
  auto out = f.Apply();
  ASSERT_TRUE(out.ok()) << out.status();
  const oci::Mount* models = Find(*out, "/models");
  ASSERT_NE(models, nullptr);
  EXPECT_EQ(models->type, "bind");
  EXPECT_EQ(models->source, "/snap/c1/volumes/0/mnt");
  EXPECT_EQ(models->options, (Strings{"rbind", "rprivate", "ro", "nosuid", "nodev"}));
  const oci::Mount* tools = Find(*out, "/tools");
  ASSERT_NE(tools, nullptr);
  EXPECT_EQ(tools->source, "/snap/c1/volumes/1/mnt/usr/bin");
  EXPECT_TRUE(out->host_dirs.empty());
}

TEST(SpecImageVolumeTest, RefusesHostPathWithImageAndUnpreparedVolumes) {
  VolumeFixture both;
  both.AddImage("/v", "img:1")->set_host_path("/h");
  both.in.image_volumes = {{"/v", "/snap/mnt"}};
  auto st = both.Apply().status();
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << st;
  EXPECT_NE(st.message().find("both host_path and image"), std::string::npos) << st;

  VolumeFixture unprepared;
  unprepared.AddImage("/v", "img:1");
  st = unprepared.Apply().status();
  EXPECT_EQ(st.code(), absl::StatusCode::kInternal) << st;
  EXPECT_NE(st.message().find("img:1"), std::string::npos) << st;
}

}  // namespace
}  // namespace cricket::pod::spec
