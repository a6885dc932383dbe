// The OCI spec built from CRI requests: table-style cases per concern.
#include "pod/spec/build.h"

#include <sys/resource.h>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cri/api/proc_mount.h"
#include "oci/spec_json.h"
#include "pod/spec/builders.h"
#include "pod/spec/users.h"

namespace cricket::pod::spec {
namespace {

using runtime::v1::ContainerConfig;
using runtime::v1::NamespaceMode;
using runtime::v1::SecurityProfile;
using Strings = std::vector<std::string>;

const oci::Capabilities& Caps(const Output& out) { return *out.spec.process->capabilities; }

constexpr char kPasswd[] =
    "root:x:0:0:root:/root:/bin/sh\ntester:x:1000:1000:t:/home/tester:/bin/sh\n";
constexpr char kGroup[] = "root:x:0:\ntester:x:1000:\nextra:x:2000:tester\nother:x:3000:\n";

struct Fixture {
  ContainerConfig config;
  Inputs in;
  Fixture() {
    config.mutable_metadata()->set_name("web");
    // What the kubelet sends for a pod that does not share its pid namespace.
    config.mutable_linux()->mutable_security_context()->mutable_namespace_options()->set_pid(
        NamespaceMode::CONTAINER);
    // And the masked and read-only paths of procMount Default.
    cri_api::SetDefaultProcMount(config.mutable_linux()->mutable_security_context());
    in.container_id = "c0ffee";
    in.rootfs = "/var/lib/cricket/rootfs/c0ffee";
    in.config = &config;
    in.image = {{"/entry"}, {"serve", "--port=80"}, {"PATH=/img/bin", "A=image"}, "/srv", "", ""};
    in.image_name = "127.0.0.1:5000/web:1";
    in.sandbox.id = "pod1";
    in.sandbox.hostname = "web-0";
    in.sandbox.netns_path = "/run/cricket/ns/pod1/net";
    in.sandbox.ipc_ns_path = "/run/cricket/ns/pod1/ipc";
    in.sandbox.uts_ns_path = "/run/cricket/ns/pod1/uts";
    in.sandbox.hosts_path = "/var/lib/cricket/pods/pod1/hosts";
    in.sandbox.cgroup_parent = "/kubepods/podabc";
    in.defaults.capabilities = {"CHOWN", "KILL", "NET_BIND_SERVICE"};
    in.defaults.available_capabilities = AllCapabilities();
    in.etc_passwd = kPasswd;
    in.etc_group = kGroup;
  }
  absl::StatusOr<Output> Build() { return spec::Build(in); }
};

TEST(SpecCommandTest, KubeletRules) {
  struct Case {
    std::vector<std::string> command, args;
    std::vector<std::string> want;
  } cases[] = {
      {{}, {}, {"/entry", "serve", "--port=80"}},
      {{}, {"other"}, {"/entry", "other"}},
      {{"/bin/sh"}, {}, {"/bin/sh"}},
      {{"/bin/sh"}, {"-c", "x"}, {"/bin/sh", "-c", "x"}},
  };
  for (const auto& c : cases) {
    Fixture f;
    for (const auto& s : c.command) f.config.add_command(s);
    for (const auto& s : c.args) f.config.add_args(s);
    auto out = f.Build();
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_EQ(out->spec.process->args, c.want);
  }
  Fixture empty;
  empty.in.image.entrypoint.clear();
  empty.in.image.cmd.clear();
  auto out = empty.Build();
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(out.status().message().find("no command"), absl::string_view::npos);
}

TEST(SpecProcessTest, EnvCwdAndTty) {
  Fixture f;
  auto* kv = f.config.add_envs();
  kv->set_key("A");
  kv->set_value("cri");
  f.config.set_tty(true);
  auto out = f.Build();
  ASSERT_TRUE(out.ok()) << out.status();
  const Strings& env = out->spec.process->env;
  EXPECT_EQ(env[0], "PATH=/img/bin");
  EXPECT_NE(std::find(env.begin(), env.end(), "A=cri"), env.end());
  EXPECT_EQ(std::find(env.begin(), env.end(), "A=image"), env.end());
  EXPECT_NE(std::find(env.begin(), env.end(), "HOSTNAME=web-0"), env.end());
  EXPECT_NE(std::find(env.begin(), env.end(), "TERM=xterm"), env.end());
  EXPECT_EQ(out->spec.process->cwd, "/srv");
  EXPECT_TRUE(out->spec.process->terminal);
}

// The node's ulimits: -1 is the config's "unlimited" (RLIM_INFINITY in
// the spec, which is unsigned); anything lower is refused.
TEST(SpecProcessTest, UlimitsAndUnlimited) {
  Fixture f;
  f.in.defaults.ulimits = {{"nofile", 1024, 4096}, {"core", -1, -1}};
  auto out = f.Build();
  ASSERT_TRUE(out.ok()) << out.status();
  const auto& rl = out->spec.process->rlimits;
  ASSERT_EQ(rl.size(), 2u);
  EXPECT_EQ(rl[0].type, "RLIMIT_NOFILE");
  EXPECT_EQ(rl[0].soft, 1024u);
  EXPECT_EQ(rl[0].hard, 4096u);
  EXPECT_EQ(rl[1].type, "RLIMIT_CORE");
  EXPECT_EQ(rl[1].soft, RLIM_INFINITY);
  EXPECT_EQ(rl[1].hard, RLIM_INFINITY);
  // What the engine reads back from config.json.
  auto read = oci::ParseSpec(oci::SpecToText(out->spec));
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->process->rlimits[1].hard, RLIM_INFINITY);
  f.in.defaults.ulimits = {{"core", -2, 0}};
  EXPECT_EQ(f.Build().status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(SpecUserTest, Table) {
  struct Case {
    std::string image_user;
    std::optional<int64_t> run_as_user, run_as_group;
    std::string run_as_username;
    std::vector<int64_t> supplemental;
    bool strict;
    uint32_t uid, gid;
    std::vector<uint32_t> extra;
  } cases[] = {
      {"", {}, {}, "", {}, false, 0, 0, {}},
      {"tester", {}, {}, "", {}, false, 1000, 1000, {2000}},
      {"tester:other", {}, {}, "", {}, false, 1000, 3000, {2000}},
      {"", 1000, {}, "", {}, false, 1000, 1000, {2000}},
      {"", 1234, {}, "", {}, false, 1234, 0, {}},
      {"tester", {}, 7, "", {}, false, 1000, 7, {2000}},
      {"", {}, {}, "tester", {555}, false, 1000, 1000, {2000, 555}},
      {"", {}, {}, "tester", {555}, true, 1000, 1000, {555}},
  };
  for (const auto& c : cases) {
    Fixture f;
    f.in.image.user = c.image_user;
    auto* sc = f.config.mutable_linux()->mutable_security_context();
    if (c.run_as_user) sc->mutable_run_as_user()->set_value(*c.run_as_user);
    if (c.run_as_group) sc->mutable_run_as_group()->set_value(*c.run_as_group);
    sc->set_run_as_username(c.run_as_username);
    for (auto g : c.supplemental) sc->add_supplemental_groups(g);
    if (c.strict) sc->set_supplemental_groups_policy(runtime::v1::SupplementalGroupsPolicy::Strict);
    auto u = ResolveUser(f.in);
    ASSERT_TRUE(u.ok()) << c.image_user << ": " << u.status();
    EXPECT_EQ(u->uid, c.uid) << c.image_user;
    EXPECT_EQ(u->gid, c.gid) << c.image_user;
    EXPECT_EQ(u->additional_gids, c.extra) << c.image_user;
  }
  // The CRI: run_as_group without a user is an error naming the field.
  Fixture lone;
  lone.in.image.user = "";
  lone.config.mutable_linux()->mutable_security_context()->mutable_run_as_group()->set_value(7);
  auto u = ResolveUser(lone.in);
  EXPECT_EQ(u.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(u.status().message().find("run_as_group"), std::string::npos) << u.status();
  lone.in.image.user = ":3000";  // a group but no user in the image either
  EXPECT_EQ(ResolveUser(lone.in).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(lone.Build().status().code(), absl::StatusCode::kInvalidArgument);
  lone.config.mutable_linux()->mutable_security_context()->mutable_run_as_user()->set_value(0);
  ASSERT_TRUE(ResolveUser(lone.in).ok());
  EXPECT_EQ(ResolveUser(lone.in)->gid, 7u);
  Fixture bad;
  bad.in.image.user = "nosuchuser";
  EXPECT_EQ(bad.Build().status().code(), absl::StatusCode::kNotFound);
}

TEST(SpecSecurityTest, CapabilitiesTable) {
  struct Case {
    std::vector<std::string> add, drop;
    bool privileged;
    std::vector<std::string> want;  // empty with privileged: all
  } cases[] = {
      {{}, {}, false, {"CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"}},
      {{"NET_ADMIN"}, {"KILL"}, false, {"CAP_CHOWN", "CAP_NET_BIND_SERVICE", "CAP_NET_ADMIN"}},
      {{"CAP_SYS_TIME"}, {"ALL"}, false, {"CAP_SYS_TIME"}},
      {{}, {"ALL"}, false, {}},
  };
  for (const auto& c : cases) {
    Fixture f;
    auto* caps = f.config.mutable_linux()->mutable_security_context()->mutable_capabilities();
    for (const auto& a : c.add) caps->add_add_capabilities(a);
    for (const auto& d : c.drop) caps->add_drop_capabilities(d);
    auto out = f.Build();
    ASSERT_TRUE(out.ok()) << out.status();
    EXPECT_EQ(Caps(*out).bounding, c.want);
    EXPECT_TRUE(Caps(*out).inheritable.empty());
  }
  Fixture all;
  all.config.mutable_linux()->mutable_security_context()->mutable_capabilities()->add_add_capabilities("ALL");
  EXPECT_EQ(Caps(*all.Build()).bounding.size(), AllCapabilities().size());
  Fixture unknown;
  unknown.config.mutable_linux()->mutable_security_context()->mutable_capabilities()->add_add_capabilities("FLY");
  EXPECT_EQ(unknown.Build().status().code(), absl::StatusCode::kInvalidArgument);
}

// A runtime without CAP_SYS_RESOURCE (this machine's root, many nested
// nodes): privileged and ALL get what it holds; naming the cap is refused
// up front instead of failing in capset.
TEST(SpecSecurityTest, CapabilitiesComeFromWhatTheRuntimeHolds) {
  std::vector<std::string> held;
  for (const auto& c : AllCapabilities()) {
    if (c != "CAP_SYS_RESOURCE") held.push_back(c);
  }
  auto bounding = [](Fixture& f) { return Caps(*f.Build()).bounding; };
  Fixture priv;
  priv.in.defaults.available_capabilities = held;
  priv.config.mutable_linux()->mutable_security_context()->set_privileged(true);
  EXPECT_EQ(bounding(priv), held);
  EXPECT_EQ(Caps(*priv.Build()).permitted, held);

  Fixture all;
  all.in.defaults.available_capabilities = held;
  auto* caps = all.config.mutable_linux()->mutable_security_context()->mutable_capabilities();
  caps->add_add_capabilities("ALL");
  EXPECT_EQ(bounding(all), held);
  caps->add_drop_capabilities("CHOWN");  // containerd: ALL first, then single drops
  std::vector<std::string> no_chown(held.begin() + 1, held.end());
  EXPECT_EQ(bounding(all), no_chown);

  Fixture named;
  named.in.defaults.available_capabilities = held;
  named.config.mutable_linux()->mutable_security_context()->mutable_capabilities()->add_add_capabilities(
      "SYS_RESOURCE");
  auto out = named.Build();
  EXPECT_EQ(out.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(out.status().message().find("CAP_SYS_RESOURCE is not available"), std::string::npos)
      << out.status();
  EXPECT_NE(out.status().message().find("add_capabilities"), std::string::npos) << out.status();

  Fixture dflt;
  dflt.in.defaults.available_capabilities = held;
  dflt.in.defaults.capabilities.push_back("SYS_RESOURCE");
  EXPECT_NE(dflt.Build().status().message().find("runtime.default_capabilities"), std::string::npos);
}

TEST(SpecSecurityTest, PrivilegedDropsConfinement) {
  Fixture f;
  auto* sc = f.config.mutable_linux()->mutable_security_context();
  sc->set_privileged(true);
  sc->mutable_seccomp()->set_profile_type(SecurityProfile::RuntimeDefault);
  auto out = f.Build();
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_FALSE(out->spec.linux_spec->seccomp.has_value());
  EXPECT_FALSE(out->spec.linux_spec->masked_paths.has_value());
  EXPECT_EQ(Caps(*out).bounding.size(), AllCapabilities().size());
  bool sys_rw = false;
  for (const auto& m : out->spec.mounts) {
    if (m.destination == "/sys") sys_rw = m.options.back() == "rw";
  }
  EXPECT_TRUE(sys_rw);
}

TEST(SpecSecurityTest, SeccompProfiles) {
  Fixture def;
  def.config.mutable_linux()->mutable_security_context()->mutable_seccomp()->set_profile_type(
      SecurityProfile::RuntimeDefault);
  auto out = def.Build();
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->spec.linux_spec->seccomp->default_action, "SCMP_ACT_ERRNO");
  EXPECT_TRUE(out->spec.linux_spec->masked_paths.has_value());
  EXPECT_FALSE(out->spec.process->no_new_privileges);

  Fixture unconfined;
  unconfined.config.mutable_linux()->mutable_security_context()->mutable_seccomp()->set_profile_type(
      SecurityProfile::Unconfined);
  EXPECT_FALSE(unconfined.Build()->spec.linux_spec->seccomp.has_value());

  Fixture local;
  auto* sp = local.config.mutable_linux()->mutable_security_context()->mutable_seccomp();
  sp->set_profile_type(SecurityProfile::Localhost);
  sp->set_localhost_ref("/profiles/p.json");
  std::string asked;
  local.in.host.read_file = [&](const std::string& p) -> absl::StatusOr<std::string> {
    asked = p;
    return std::string(R"({"defaultAction":"SCMP_ACT_LOG"})");
  };
  out = local.Build();
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(asked, "/profiles/p.json");
  EXPECT_EQ(out->spec.linux_spec->seccomp->default_action, "SCMP_ACT_LOG");
  local.in.host.read_file = [](const std::string&) -> absl::StatusOr<std::string> {
    return std::string("garbage");
  };
  EXPECT_EQ(local.Build().status().code(), absl::StatusCode::kInvalidArgument);
}

// Each accepted form of the deprecated seccomp_profile_path and of the
// SecurityProfile, and the refused ones, which used to run unconfined.
TEST(SpecSecurityTest, SeccompProfileFormsAcceptedAndRefused) {
  auto build = [](const std::string& path) {
    Fixture f;
    f.config.mutable_linux()->mutable_security_context()->set_seccomp_profile_path(path);
    f.in.host.read_file = [](const std::string& p) -> absl::StatusOr<std::string> {
      if (p != "/profiles/p.json") return absl::NotFoundError(p);
      return std::string(R"({"defaultAction":"SCMP_ACT_LOG"})");
    };
    return f.Build();
  };
  for (const char* dflt : {"runtime/default", "docker/default"}) {
    auto out = build(dflt);
    ASSERT_TRUE(out.ok()) << dflt << ": " << out.status();
    EXPECT_EQ(out->spec.linux_spec->seccomp->default_action, "SCMP_ACT_ERRNO") << dflt;
  }
  for (const char* none : {"", "unconfined"}) {
    auto out = build(none);
    ASSERT_TRUE(out.ok()) << none << ": " << out.status();
    EXPECT_FALSE(out->spec.linux_spec->seccomp.has_value()) << none;
  }
  auto local = build("localhost/profiles/p.json");
  ASSERT_TRUE(local.ok()) << local.status();
  EXPECT_EQ(local->spec.linux_spec->seccomp->default_action, "SCMP_ACT_LOG");
  for (const char* bad : {"/profiles/p.json", "profiles/p.json", "localhost/", "runtime/defaults"}) {
    auto out = build(bad);
    EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(out.status().message().find("seccomp_profile_path"), std::string::npos) << out.status();
    EXPECT_NE(out.status().message().find("localhost/"), std::string::npos) << out.status();
  }

  auto profile = [](SecurityProfile::ProfileType t, const std::string& ref) {
    Fixture f;
    auto* sp = f.config.mutable_linux()->mutable_security_context()->mutable_seccomp();
    sp->set_profile_type(t);
    sp->set_localhost_ref(ref);
    f.in.host.read_file = [](const std::string&) -> absl::StatusOr<std::string> {
      return std::string(R"({"defaultAction":"SCMP_ACT_LOG"})");
    };
    return f.Build();
  };
  EXPECT_TRUE(profile(SecurityProfile::Localhost, "/profiles/p.json").ok());
  auto relative = profile(SecurityProfile::Localhost, "p.json");
  EXPECT_EQ(relative.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(relative.status().message().find("absolute"), std::string::npos) << relative.status();
  EXPECT_EQ(profile(SecurityProfile::Localhost, "").status().code(),
            absl::StatusCode::kInvalidArgument);
  auto stray = profile(SecurityProfile::RuntimeDefault, "/profiles/p.json");
  EXPECT_EQ(stray.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(stray.status().message().find("localhost_ref"), std::string::npos) << stray.status();
}

// A Localhost profile reaches config.json with the keys the engine does not
// read (Docker's format), for runtimes that do; a broken one fails the build
// naming the file.
TEST(SpecSecurityTest, LocalhostProfileKeepsItsOwnKeys) {
  const char* kProfile = R"({"defaultAction": "SCMP_ACT_ERRNO",
    "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86"]}],
    "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "comment": "io",
                  "includes": {"caps": ["CAP_SYS_ADMIN"]}}]})";
  Fixture f;
  auto* sp = f.config.mutable_linux()->mutable_security_context()->mutable_seccomp();
  sp->set_profile_type(SecurityProfile::Localhost);
  sp->set_localhost_ref("/profiles/docker.json");
  std::string text = kProfile;
  f.in.host.read_file = [&](const std::string&) -> absl::StatusOr<std::string> { return text; };
  auto out = f.Build();
  ASSERT_TRUE(out.ok()) << out.status();
  nlohmann::json written = oci::SpecToJson(out->spec)["linux"]["seccomp"];
  EXPECT_EQ(written, nlohmann::json::parse(kProfile));
  text = R"({"syscalls": [{"names": ["read"]}]})";
  out = f.Build();
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(out.status().message().find("seccomp profile /profiles/docker.json: defaultAction"),
            std::string::npos) << out.status();
}

TEST(SpecSecurityTest, DefaultProfileOpensGroupsByCapability) {
  auto has = [](const oci::Seccomp& p, const std::string& sc) {
    for (const auto& r : p.syscalls) {
      if (r.action != "SCMP_ACT_ALLOW" || !r.args.empty()) continue;
      if (std::find(r.names.begin(), r.names.end(), sc) != r.names.end()) return true;
    }
    return false;
  };
  auto plain = DefaultSeccompProfile({"CAP_CHOWN"});
  EXPECT_TRUE(has(plain, "read"));
  EXPECT_FALSE(has(plain, "mount"));
  EXPECT_FALSE(has(plain, "chroot"));
  auto admin = DefaultSeccompProfile({"CAP_SYS_ADMIN", "CAP_SYS_CHROOT"});
  EXPECT_TRUE(has(admin, "mount"));
  EXPECT_TRUE(has(admin, "chroot"));
  EXPECT_TRUE(has(admin, "clone"));
}

TEST(SpecMountsTest, CriMountsOptionsOrderAndOverrides) {
  Fixture f;
  auto add = [&](const std::string& c, const std::string& h, bool ro,
                 runtime::v1::MountPropagation p) {
    auto* m = f.config.add_mounts();
    m->set_container_path(c);
    m->set_host_path(h);
    m->set_readonly(ro);
    m->set_propagation(p);
  };
  add("/data/sub", "/h/sub", false, runtime::v1::PROPAGATION_BIDIRECTIONAL);
  add("/data", "/h/data", true, runtime::v1::PROPAGATION_HOST_TO_CONTAINER);
  add("/etc/hosts", "/kubelet/hosts", false, runtime::v1::PROPAGATION_PRIVATE);
  auto out = f.Build();
  ASSERT_TRUE(out.ok()) << out.status();
  std::vector<std::string> dests;
  int hosts = 0;
  for (const auto& m : out->spec.mounts) {
    dests.push_back(m.destination);
    if (m.destination == "/etc/hosts") {
      hosts++;
      EXPECT_EQ(m.source, "/kubelet/hosts");
    }
    if (m.destination == "/data") EXPECT_EQ(m.options, (Strings{"rbind", "rslave", "ro"}));
    if (m.destination == "/data/sub") EXPECT_EQ(m.options, (Strings{"rbind", "rshared", "rw"}));
  }
  EXPECT_EQ(hosts, 1);
  auto pos = [&](const std::string& d) { return std::find(dests.begin(), dests.end(), d) - dests.begin(); };
  EXPECT_LT(pos("/data"), pos("/data/sub"));
  EXPECT_LT(pos("/proc"), pos("/data"));
  EXPECT_EQ(out->host_dirs.size(), 3u);

  Fixture rel;
  auto* m = rel.config.add_mounts();
  m->set_container_path("data");
  m->set_host_path("/h");
  EXPECT_EQ(rel.Build().status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(SpecMountsTest, DevicesLookedUpAndAllowed) {
  Fixture f;
  auto* d = f.config.add_devices();
  d->set_host_path("/dev/fuse");
  d->set_container_path("/dev/fuse");
  d->set_permissions("rw");
  f.in.host.device = [](const std::string&) -> absl::StatusOr<DeviceInfo> {
    return DeviceInfo{'c', 10, 229, 0666, 0, 0};
  };
  auto out = f.Build();
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->spec.linux_spec->devices->at(0).major, 10);
  const auto& rules = out->spec.linux_spec->resources->devices;
  EXPECT_EQ(rules[0].allow, false);
  EXPECT_EQ(rules[1].access, "rw");
}

TEST(SpecNamespacesTest, Table) {
  struct Case {
    NamespaceMode net, pid, ipc;
    std::vector<std::string> want;  // "type" or "type=path"
  } cases[] = {
      {NamespaceMode::POD, NamespaceMode::CONTAINER, NamespaceMode::POD,
       {"mount", "network=/run/cricket/ns/pod1/net", "ipc=/run/cricket/ns/pod1/ipc",
        "uts=/run/cricket/ns/pod1/uts", "pid", "cgroup"}},
      {NamespaceMode::NODE, NamespaceMode::NODE, NamespaceMode::NODE, {"mount", "cgroup"}},
      {NamespaceMode::POD, NamespaceMode::TARGET, NamespaceMode::POD,
       {"mount", "network=/run/cricket/ns/pod1/net", "ipc=/run/cricket/ns/pod1/ipc",
        "uts=/run/cricket/ns/pod1/uts", "pid=/proc/42/ns/pid", "cgroup"}},
  };
  for (const auto& c : cases) {
    Fixture f;
    auto* o = f.config.mutable_linux()->mutable_security_context()->mutable_namespace_options();
    o->set_network(c.net);
    o->set_pid(c.pid);
    o->set_ipc(c.ipc);
    o->set_target_id("other");
    f.in.host.target_pid_ns = [](const std::string& id) -> absl::StatusOr<std::string> {
      return std::string("/proc/42/ns/pid");
    };
    auto out = f.Build();
    ASSERT_TRUE(out.ok()) << out.status();
    std::vector<std::string> got;
    for (const auto& n : out->spec.linux_spec->namespaces) {
      got.push_back(n.path.empty() ? n.type : n.type + "=" + n.path);
    }
    EXPECT_EQ(got, c.want);
  }
  Fixture shared_pid;
  shared_pid.config.mutable_linux()->mutable_security_context()->mutable_namespace_options()->set_pid(
      NamespaceMode::POD);
  EXPECT_EQ(shared_pid.Build().status().code(), absl::StatusCode::kFailedPrecondition);
}

// A hostNetwork (and hostIPC) pod: nothing pinned, and its containers' own
// options left at POD, as crictl and the kubelet send them, still build.
TEST(SpecNamespacesTest, HostPodGovernsContainerDefaults) {
  Fixture f;
  f.in.sandbox.netns_path = f.in.sandbox.uts_ns_path = f.in.sandbox.ipc_ns_path = "";
  f.in.sandbox.host_network = f.in.sandbox.host_ipc = true;
  auto* o = f.config.mutable_linux()->mutable_security_context()->mutable_namespace_options();
  o->set_network(NamespaceMode::POD);
  o->set_ipc(NamespaceMode::POD);
  auto out = f.Build();
  ASSERT_TRUE(out.ok()) << out.status();
  std::vector<std::string> got;
  for (const auto& n : out->spec.linux_spec->namespaces) got.push_back(n.type + "=" + n.path);
  EXPECT_EQ(got, (Strings{"mount=", "pid=", "cgroup="}));
  f.in.sandbox.host_network = false;  // a pod that lost its netns is still an error
  EXPECT_EQ(f.Build().status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(SpecResourcesTest, LimitsAndCgroupPath) {
  Fixture f;
  auto* r = f.config.mutable_linux()->mutable_resources();
  r->set_cpu_shares(512);
  r->set_cpu_quota(50000);
  r->set_cpu_period(100000);
  r->set_memory_limit_in_bytes(64 << 20);
  r->set_oom_score_adj(-500);
  f.in.defaults.pids_limit = 1024;
  f.in.defaults.min_oom_score_adj = 0;
  auto out = f.Build();
  ASSERT_TRUE(out.ok()) << out.status();
  const auto& res = *out->spec.linux_spec->resources;
  EXPECT_EQ(res.cpu->shares, 512u);
  EXPECT_EQ(res.memory->limit, 64 << 20);
  EXPECT_EQ(res.pids->limit, 1024);
  EXPECT_EQ(out->spec.linux_spec->cgroups_path, "/kubepods/podabc/c0ffee");
  EXPECT_EQ(out->spec.process->oom_score_adj, 0);
  ASSERT_EQ(out->warnings.size(), 1u);
  EXPECT_NE(out->warnings[0].find("CAP_SYS_RESOURCE"), std::string::npos);

  Fixture sd;
  sd.in.defaults.systemd_cgroup = true;
  sd.in.sandbox.cgroup_parent = "kubepods-besteffort.slice";
  EXPECT_EQ(sd.Build()->spec.linux_spec->cgroups_path, "kubepods-besteffort.slice:cricket:c0ffee");
  sd.in.sandbox.cgroup_parent = "/not/a/slice";
  EXPECT_EQ(sd.Build().status().code(), absl::StatusCode::kInvalidArgument);

  // What the OCI spec holds unsigned: refused when negative (the engine
  // refused such a config.json before).
  Fixture negative;
  negative.config.mutable_linux()->mutable_resources()->set_cpu_shares(-2);
  auto bad = negative.Build();
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("cpu_shares -2"), std::string::npos) << bad.status();

  Fixture swap;
  swap.config.mutable_linux()->mutable_resources()->set_memory_limit_in_bytes(100);
  swap.config.mutable_linux()->mutable_resources()->set_memory_swap_limit_in_bytes(50);
  EXPECT_EQ(swap.Build().status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(SpecBuildTest, AnnotationsAndRoot) {
  Fixture f;
  (*f.config.mutable_annotations())["team"] = "blue";
  f.config.mutable_linux()->mutable_security_context()->set_readonly_rootfs(true);
  auto out = f.Build();
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->spec.annotations.at("team"), "blue");
  EXPECT_EQ(out->spec.annotations.at("io.kubernetes.cri.sandbox-id"), "pod1");
  EXPECT_EQ(out->spec.root.readonly, true);
  EXPECT_EQ(out->spec.root.path, f.in.rootfs);
}

}  // namespace
}  // namespace cricket::pod::spec
