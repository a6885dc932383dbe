// Manifest/index/config parsing, schema1 rejection and platform selection.
#include "image/manifest.h"

#include "gtest/gtest.h"

namespace cricket::image {
namespace {

const std::string kD1 = "sha256:" + std::string(64, '1');
const std::string kD2 = "sha256:" + std::string(64, '2');
const std::string kD3 = "sha256:" + std::string(64, '3');

std::string Entry(const std::string& digest, const std::string& os, const std::string& arch,
                  const std::string& variant = "") {
  std::string p = R"({"os":")" + os + R"(","architecture":")" + arch + "\"";
  if (!variant.empty()) p += R"(,"variant":")" + variant + "\"";
  return R"({"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" + digest +
         R"(","size":10,"platform":)" + p + "}}";
}

TEST(ManifestTest, ParsesDockerSchema2) {
  std::string body = R"({"schemaVersion":2,
    "mediaType":"application/vnd.docker.distribution.manifest.v2+json",
    "config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":")" + kD1 +
                     R"(","size":7},
    "layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","digest":")" +
                     kD2 + R"(","size":100},
              {"mediaType":"application/vnd.oci.image.layer.v1.tar+zstd","digest":")" + kD3 +
                     R"(","size":5}]})";
  auto kind = ClassifyManifest(kMediaDockerManifest, body);
  ASSERT_TRUE(kind.ok());
  EXPECT_EQ(*kind, ManifestKind::kImage);
  auto m = ParseImageManifest(body);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->config.digest, kD1);
  EXPECT_EQ(m->config.size, 7);
  ASSERT_EQ(m->layers.size(), 2u);
  EXPECT_EQ(m->layers[0].digest, kD2);
  EXPECT_EQ(m->layers[1].size, 5);
}

TEST(ManifestTest, ClassifiesByBodyWhenTypeMissing) {
  EXPECT_EQ(*ClassifyManifest("", R"({"manifests":[]})"), ManifestKind::kIndex);
  EXPECT_EQ(*ClassifyManifest("application/octet-stream", R"({"config":{},"layers":[]})"),
            ManifestKind::kImage);
  EXPECT_EQ(*ClassifyManifest("binary/octet-stream",
                              R"({"mediaType":")" + std::string(kMediaDockerList) + "\"}"),
            ManifestKind::kIndex);
  EXPECT_EQ(*ClassifyManifest("application/json", R"({"config":{},"layers":[]})"),
            ManifestKind::kImage);
  EXPECT_EQ(*ClassifyManifest("", R"({"mediaType":")" + std::string(kMediaOciIndex) + "\"}"),
            ManifestKind::kIndex);
}

TEST(ManifestTest, RejectsSchema1AndUnknown) {
  auto s1 = ClassifyManifest("application/vnd.docker.distribution.manifest.v1+prettyjws", "{}");
  ASSERT_FALSE(s1.ok());
  EXPECT_NE(std::string(s1.status().message()).find("schema 1"), std::string::npos);
  auto s1body = ClassifyManifest("", R"({"schemaVersion":1,"fsLayers":[]})");
  EXPECT_NE(std::string(s1body.status().message()).find("schema 1"), std::string::npos);
  EXPECT_EQ(ClassifyManifest("text/html", "<html>").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ClassifyManifest("", "garbage{").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ManifestTest, RejectsBadDescriptors) {
  for (const std::string& body : std::vector<std::string>{std::string("[]"), std::string(R"({"layers":[]})"),
                           R"({"config":{"digest":"sha256:zz","size":1},"layers":[]})",
                           R"({"config":{"digest":")" + kD1 + R"("},"layers":[]})",
                           R"({"config":{"digest":")" + kD1 + R"(","size":-1},"layers":[]})",
                           R"({"config":{"digest":")" + kD1 + R"(","size":1},"layers":[7]})"}) {
    EXPECT_EQ(ParseImageManifest(body).status().code(), absl::StatusCode::kInvalidArgument) << body;
  }
}

TEST(ManifestTest, SelectsPlatform) {
  auto idx = ParseIndex(R"({"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[)" +
                        Entry(kD1, "linux", "arm", "v6") + "," + Entry(kD2, "linux", "arm64") +
                        "," + Entry(kD3, "linux", "amd64") + "," +
                        Entry(std::string("sha256:") + std::string(64, '4'), "linux", "arm", "v7") +
                        "," + R"({"digest":")" + kD1 + R"(","size":1,"platform":{"os":"unknown","architecture":"unknown"}})" +
                        "]}");
  ASSERT_TRUE(idx.ok()) << idx.status();
  EXPECT_EQ(SelectPlatform(*idx, {"linux", "amd64", ""})->digest, kD3);
  EXPECT_EQ(SelectPlatform(*idx, {"linux", "arm64", "v8"})->digest, kD2);  // variant omitted
  EXPECT_EQ(SelectPlatform(*idx, {"linux", "arm", "v7"})->digest,
            "sha256:" + std::string(64, '4'));
  auto none = SelectPlatform(*idx, {"linux", "s390x", ""});
  ASSERT_EQ(none.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(std::string(none.status().message()).find("linux/arm64"), std::string::npos);
}

TEST(ManifestTest, MachineNames) {
  EXPECT_EQ(PlatformFromMachine("x86_64"), (Platform{"linux", "amd64", ""}));
  EXPECT_EQ(PlatformFromMachine("aarch64"), (Platform{"linux", "arm64", "v8"}));
  EXPECT_EQ(PlatformFromMachine("armv7l"), (Platform{"linux", "arm", "v7"}));
  EXPECT_EQ(HostPlatform().os, "linux");
}

TEST(ManifestTest, ParsesImageConfig) {
  std::string body = R"({"architecture":"amd64","os":"linux","created":"2024-01-01T00:00:00Z",
    "config":{"User":"1000:1000","Env":["PATH=/bin","A=b"],"Entrypoint":["/bin/sh","-c"],
      "Cmd":["echo hi"],"WorkingDir":"/w","StopSignal":"SIGTERM",
      "ExposedPorts":{"80/tcp":{},"53/udp":{}},"Volumes":{"/data":{}},"Labels":{"k":"v"}},
    "rootfs":{"type":"layers","diff_ids":[")" + kD1 + "\",\"" + kD2 + R"("]},
    "history":[{"created_by":"ADD x"},{"created_by":"ENV a","empty_layer":true}]})";
  auto c = ParseImageConfig(body);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->user, "1000:1000");
  EXPECT_EQ(c->env, (std::vector<std::string>{"PATH=/bin", "A=b"}));
  EXPECT_EQ(c->entrypoint, (std::vector<std::string>{"/bin/sh", "-c"}));
  EXPECT_EQ(c->cmd, (std::vector<std::string>{"echo hi"}));
  EXPECT_EQ(c->working_dir, "/w");
  EXPECT_EQ(c->stop_signal, "SIGTERM");
  EXPECT_EQ(c->exposed_ports.size(), 2u);
  EXPECT_EQ(c->volumes, (std::vector<std::string>{"/data"}));
  EXPECT_EQ(c->labels.at("k"), "v");
  EXPECT_EQ(c->diff_ids, (std::vector<std::string>{kD1, kD2}));
  ASSERT_EQ(c->history.size(), 2u);
  EXPECT_TRUE(c->history[1].empty_layer);
  EXPECT_EQ(c->platform.architecture, "amd64");
}

TEST(ManifestTest, ConfigNeedsRootfsAndValidDiffIds) {
  EXPECT_FALSE(ParseImageConfig(R"({"config":{}})").ok());
  EXPECT_FALSE(ParseImageConfig(R"({"rootfs":{"diff_ids":["nope"]}})").ok());
  EXPECT_TRUE(ParseImageConfig(R"({"rootfs":{"diff_ids":[]}})").ok());
}

}  // namespace
}  // namespace cricket::image
