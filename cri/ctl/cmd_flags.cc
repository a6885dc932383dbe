// The flags of each cricketctl command, as crictl spells them. Parsing and
// `cricketctl COMMAND --help` both read this table.
#include <map>

#include "cri/ctl/flags.h"

namespace cricket::cri::ctl {
namespace {

constexpr FlagDef kOutput = {"output", "o", "FORMAT", "table, json, yaml or go-template"};
constexpr FlagDef kOutputNoTable = {"output", "o", "FORMAT", "json, yaml or go-template"};
constexpr FlagDef kTemplate = {"template", "", "TEMPLATE",
                               "the Go template for -o go-template, over the JSON form"};
constexpr FlagDef kLabel = {"label", "", "KEY=VALUE", "only those with this label (repeatable)"};
constexpr FlagDef kNoTrunc = {"no-trunc", "", nullptr, "do not shorten ids"};
constexpr FlagDef kInteractive = {"interactive", "i", nullptr, "pass stdin to the container"};
constexpr FlagDef kTty = {"tty", "t", nullptr, "give the process a terminal"};
constexpr FlagDef kTransport = {"transport", "", "PROTO",
                                "the streaming protocol: spdy (default) or websocket"};

using Table = std::map<std::string_view, std::vector<FlagDef>>;

// The docker-style flags `run` and `create` share (run_docker_flags.cc).
std::vector<FlagDef> DockerFlags() {
  return {
      {"name", "", "NAME", "the pod's and the container's name"},
      {"net", "", "MODE", "host: the node's network; pod (default): a pod network"},
      {"network", "", "MODE", "same as --net"},
      {"publish", "p", "H:C[/PROTO]", "publish container port C on host port H (repeatable)"},
      {"env", "e", "K=V", "set an environment variable (repeatable)"},
      {"volume", "v", "H:C[:ro]", "bind-mount host path H at C (repeatable)"},
      {"workdir", "w", "DIR", "the process's working directory"},
      {"user", "u", "USER[:GID]", "run as this user (name or uid) and group id"},
      {"memory", "m", "BYTES", "memory limit (k, m, g suffixes work)"},
      {"cpus", "", "N", "CPU limit in CPUs (1.5: one and a half)"},
      {"privileged", "", nullptr, "a privileged container (and pod)"},
      {"cgroup-parent", "", "CGROUP", "the pod's parent cgroup"},
      {"label", "l", "KEY=VALUE", "a label on the container and its pod (repeatable)"},
      {"config", "", "CTR_FILE", "a container config (JSON/YAML) to start from"},
      {"pod-config", "", "POD_FILE", "a pod config (JSON/YAML), with --config"},
  };
}

std::vector<FlagDef> Concat(std::vector<FlagDef> a, const std::vector<FlagDef>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

const Table& AllFlags() {
  static const auto* kTable = new Table{
      {"version", {kOutput, kTemplate}},
      {"info", {kOutput, kTemplate}},
      {"runp", {{"runtime", "r", "HANDLER", "the runtime handler to run the pod with"}}},
      {"pods",
       {{"id", "", "ID", "only the pod with this id (or id prefix)"},
        {"name", "", "NAME", "only pods whose name contains NAME"},
        {"namespace", "", "NS", "only pods whose namespace contains NS"},
        {"state", "s", "STATE", "only pods in this state: ready or notready"},
        kLabel,
        {"quiet", "q", nullptr, "print only the pod ids"},
        {"latest", "l", nullptr, "only the most recently created pod"},
        {"last", "", "N", "only the N most recently created pods"},
        {"verbose", "v", nullptr, "print every field of each pod"},
        kNoTrunc, kOutput, kTemplate}},
      {"inspectp", {kOutputNoTable, kTemplate}},
      {"stopp", {}},
      {"rmp",
       {{"all", "a", nullptr, "remove every pod sandbox"},
        {"force", "f", nullptr, "stop running pods before removing them"}}},
      {"statsp",
       {{"id", "", "ID", "only the pod with this id (or id prefix)"},
        kLabel,
        {"watch", "w", nullptr, "refresh every second until interrupted"},
        kOutput, kTemplate}},
      {"pull",
       {{"creds", "", "USER[:PASS]", "registry credentials"},
        {"auth", "", "BASE64", "registry credentials as base64(user:password)"},
        {"username", "u", "USER", "registry user (password from --creds or none)"},
        {"pod-config", "p", "FILE", "the pod sandbox config (JSON/YAML) the image is for"},
        {"quiet", "q", nullptr, "print only the image id, no progress"}}},
      {"images",
       {{"quiet", "q", nullptr, "print only the image ids"},
        {"digests", "", nullptr, "show the repo digests"},
        {"verbose", "v", nullptr, "print every field of each image"},
        kNoTrunc, kOutput, kTemplate}},
      {"inspecti", {kOutputNoTable, kTemplate}},
      {"rmi",
       {{"all", "a", nullptr, "remove every image"},
        {"prune", "", nullptr, "remove the images no container uses"}}},
      {"imagefsinfo", {kOutputNoTable, kTemplate}},
      {"import", {{"name", "n", "REF", "tag the imported image with this reference"}}},
      {"start", {}},
      {"ps",
       {{"all", "a", nullptr, "show every container, not only running ones"},
        {"quiet", "q", nullptr, "print only the container ids"},
        {"id", "", "ID", "only the container with this id (or id prefix)"},
        {"pod", "p", "POD_ID", "only containers of this pod (id or prefix)"},
        {"name", "", "NAME", "only containers whose name contains NAME"},
        {"state", "s", "STATE", "only containers in this state: created, running, exited, unknown"},
        kLabel,
        {"image", "", "IMAGE", "only containers of this image (reference or id)"},
        {"latest", "l", nullptr, "only the most recently created container"},
        {"last", "n", "N", "only the N most recently created containers"},
        {"verbose", "v", nullptr, "print every field of each container"},
        {"docker", "", nullptr,
         "docker's columns: CONTAINER ID, IMAGE, COMMAND, CREATED, STATUS, NAMES"},
        kNoTrunc, kOutput, kTemplate}},
      {"inspect",
       {{"docker", "", nullptr,
         "docker inspect's shape: Id, State, Config, HostConfig, Mounts, NetworkSettings..."},
        kOutputNoTable, kTemplate}},
      {"logs",
       {{"follow", "f", nullptr, "keep printing what the container writes"},
        {"tail", "", "N", "only the last N lines (-1: all)"},
        {"since", "", "TIME", "only lines since an RFC3339 time or a duration ago (10s, 5m)"},
        {"timestamps", "t", nullptr, "print each line's timestamp"},
        {"previous", "p", nullptr, "the log of the previous instance (or the rotated file)"}}},
      {"stop", {{"timeout", "t", "SECONDS", "grace period before SIGKILL (default 10)"}}},
      {"kill", {{"signal", "s", "SIGNAL", "a name (TERM, SIGHUP) or number (default KILL)"}}},
      {"rm",
       {{"all", "a", nullptr, "remove every container"},
        {"force", "f", nullptr, "stop running containers before removing them"}}},
      {"stats",
       {{"all", "a", nullptr, "show every container, not only running ones"},
        {"id", "", "ID", "only the container with this id (or id prefix)"},
        {"pod", "p", "POD_ID", "only containers of this pod"},
        kLabel,
        {"watch", "w", nullptr, "refresh every second until interrupted"},
        kOutput, kTemplate}},
      {"update",
       {{"cpu-shares", "", "N", "CPU shares (relative weight)"},
        {"cpu-quota", "", "US", "CPU CFS quota in microseconds per period"},
        {"cpu-period", "", "US", "CPU CFS period in microseconds"},
        {"cpuset-cpus", "", "LIST", "CPUs the container may use (0-3, 0,1)"},
        {"cpuset-mems", "", "LIST", "memory nodes the container may use"},
        {"memory", "", "BYTES", "memory limit in bytes (k, m, g suffixes work)"}}},
      {"events", {kOutputNoTable, kTemplate}},
      {"exec",
       {kInteractive, kTty,
        {"sync", "s", nullptr, "run through ExecSync and print the output when it ends"},
        {"timeout", "", "S", "with --sync: kill the command after S seconds (0: no limit)"},
        kTransport}},
      {"attach", {kInteractive, kTty, kTransport}},
      {"port-forward", {kTransport}},
      {"run", Concat({{"rm", "", nullptr, "remove the container and its pod when it exits"},
                      {"detach", "d", nullptr, "print the container id and leave it running"},
                      kInteractive, kTty, kTransport},
                     DockerFlags())},
      {"create", Concat({kInteractive, kTty}, DockerFlags())},
      {"config",
       {{"get", "", "KEY", "print one setting"},
        {"set", "", "KEY=VALUE", "change settings (repeatable, or KEY=VALUE,KEY=VALUE)"},
        {"list", "l", nullptr, "print every setting"}}},
  };
  return *kTable;
}

}  // namespace

const std::vector<FlagDef>& FlagsOf(std::string_view command) {
  static const std::vector<FlagDef> kNone;
  auto it = AllFlags().find(command);
  return it == AllFlags().end() ? kNone : it->second;
}

}  // namespace cricket::cri::ctl
