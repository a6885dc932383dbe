// Static checks over the source tree (CRICKET_SOURCE_DIR):
//  1. no #include points up the layer graph of STYLE.md §1, every product
//     folder included (cri/ by its subfolders: api, client, ctl, streaming,
//     service, daemon), and pod names cri/api only in a listed set of files;
//  2. only cri/ (and tests) include gRPC; the CRI messages come through
//     cri/api/api.h, never the generated header (see api.h for why);
//  3. no raw close()/umount()/umount2()/kill()/rmdir() in product code outside oci/sys and
//     oci/linux (tests are exempt): everywhere else those go through the RAII handles. A line
//     that must make one anyway (e.g. a static checker binary with no
//     dependencies) says so with a trailing `// NOLINT(cricket-raw-call): why`.
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace cricket::testing {
namespace {

namespace fs = std::filesystem;

// The layer a repository path belongs to; "" for paths outside the graph
// (third-party headers, cmake/, contrib/).
std::string LayerOf(const std::string& path) {
  // cri/ has one folder per program or role and no sources of its own: a file
  // at cri/'s top level has no layer, and EveryProductFileHasALayer fails.
  static const std::vector<std::pair<std::string, std::string>> kPrefixes = {
      {"oci/sys/", "sys"},
      {"oci/", "oci"},
      {"conf/", "conf"},
      {"network/", "network"},
      {"image/", "image"},
      {"cri/api/", "cri/api"},
      {"cri/wire/", "cri/wire"},
      {"pod/", "pod"},
      {"cri/client/", "cri/client"},
      {"cri/ctl/", "cri/ctl"},
      {"cri/streaming/", "cri/streaming"},
      {"cri/service/", "cri/service"},
      {"cri/daemon/", "cri/daemon"},
      {"tests/", "tests"}};
  for (const auto& [prefix, layer] : kPrefixes) {
    if (path.rfind(prefix, 0) == 0) return layer;
  }
  return "";
}

// Who may include whom (each layer may always include itself). "cri/wire" is
// the codec library the streaming server, the client and the monitor share.
const std::map<std::string, std::set<std::string>>& AllowedIncludes() {
  static const std::map<std::string, std::set<std::string>> kAllowed = {
      {"sys", {}},
      {"conf", {"sys"}},
      {"oci", {"sys"}},
      {"network", {"sys", "conf"}},
      {"image", {"sys", "conf"}},
      {"cri/api", {}},
      {"cri/wire", {}},
      // Only the files in kPodFilesUsingCriApi include cri/api.
      {"pod", {"oci", "network", "image", "conf", "sys", "cri/api", "cri/wire"}},
      // The CRI client library and cricketctl work against any CRI runtime:
      // nothing of cricket's own layers below the API.
      {"cri/client", {"cri/api", "cri/wire", "sys"}},
      {"cri/ctl", {"cri/client", "cri/api", "cri/wire", "sys"}},
      // The exec/attach/port-forward server runs pod's stream sessions.
      {"cri/streaming", {"pod", "conf", "sys", "cri/api", "cri/wire"}},
      // The RPC handlers and their converters: the pod and image managers
      // (engine types come through pod's API), and the streaming server's URLs.
      {"cri/service", {"pod", "image", "network", "conf", "sys", "cri/api", "cri/streaming"}},
      // cricketd's start-up, checks and endpoints wire every product layer.
      {"cri/daemon",
       {"cri/service", "cri/streaming", "cri/api", "pod", "oci", "network", "image", "conf",
        "sys"}},
  };
  return kAllowed;
}

bool MayInclude(const std::string& from, const std::string& to) {
  if (from == to || from == "tests") return true;
  auto it = AllowedIncludes().find(from);
  return it != AllowedIncludes().end() && it->second.count(to) > 0;
}

// The pod layer takes CRI messages where they are its input as they come
// (pod and container configs, the security context); these files name them,
// the rest of pod works on its own types.
const std::set<std::string> kPodFilesUsingCriApi = {
    "pod/cdi/names.h", "pod/container.h", "pod/container_manager.h", "pod/etc_files.cc",
    "pod/sandbox.h",   "pod/spec/inputs.h",  "pod/stop_signal.h", "pod/stop_signal.cc",       "pod/spec/security.cc",
    "pod/userns.h",
};

// Blanks comments and string/char literals (keeping newlines) so that the
// call check sees only code.
std::string CodeOnly(const std::string& src) {
  std::string out = src;
  size_t i = 0;
  auto blank = [&](size_t from, size_t to) {
    for (size_t k = from; k < to && k < out.size(); ++k) {
      if (out[k] != '\n') out[k] = ' ';
    }
  };
  while (i < src.size()) {
    if (src.compare(i, 2, "//") == 0) {
      size_t end = src.find('\n', i);
      end = end == std::string::npos ? src.size() : end;
      blank(i, end);
      i = end;
    } else if (src.compare(i, 2, "/*") == 0) {
      size_t end = src.find("*/", i + 2);
      end = end == std::string::npos ? src.size() : end + 2;
      blank(i, end);
      i = end;
    } else if (src.compare(i, 2, "R\"") == 0 && (i == 0 || !isalnum(src[i - 1]))) {
      size_t paren = src.find('(', i);
      std::string close = ")" + src.substr(i + 2, paren - i - 2) + "\"";
      size_t end = src.find(close, paren);
      end = end == std::string::npos ? src.size() : end + close.size();
      blank(i, end);
      i = end;
    } else if (src[i] == '"' || (src[i] == '\'' && (i == 0 || !isxdigit(src[i - 1])))) {
      // (a ' after a hex digit is a digit separator, as in 1'000)
      const char quote = src[i];
      size_t k = i + 1;
      while (k < src.size() && src[k] != quote && src[k] != '\n') k += src[k] == '\\' ? 2 : 1;
      blank(i, k + 1);
      i = k + 1;
    } else {
      ++i;
    }
  }
  return out;
}

struct SourceFile {
  std::string rel;  // path from the source root
  std::string text;
};

std::vector<SourceFile> Sources() {
  std::vector<SourceFile> files;
  const fs::path root = CRICKET_SOURCE_DIR;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
       ++it) {
    const std::string name = it->path().filename().string();
    if (it->is_directory() && (name[0] == '.' || name.rfind("build", 0) == 0)) {
      it.disable_recursion_pending();
      continue;
    }
    const std::string ext = it->path().extension().string();
    if (!it->is_regular_file() || (ext != ".h" && ext != ".cc")) continue;
    std::ifstream in(it->path());
    std::stringstream text;
    text << in.rdbuf();
    files.push_back({fs::relative(it->path(), root).string(), text.str()});
  }
  return files;
}

int LineOf(const std::string& text, size_t pos) {
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + pos, '\n'));
}

std::vector<std::string> IncludeProblems(const SourceFile& f) {
  static const std::regex kInclude(R"re(^[ \t]*#[ \t]*include[ \t]*([<"])([^>"]+)[>"])re");
  std::vector<std::string> problems;
  const std::string from = LayerOf(f.rel);
  if (from.empty()) return problems;
  const std::string code = CodeOnly(f.text);
  std::istringstream lines(f.text);
  std::string line;
  for (int n = 1; std::getline(lines, line); ++n) {
    std::smatch m;
    if (!std::regex_search(line, m, kInclude)) continue;
    const std::string target = m[2];
    const std::string where = f.rel + ":" + std::to_string(n) + ": ";
    const bool grpc = target.rfind("grpcpp/", 0) == 0 || target.rfind("grpc/", 0) == 0 ||
                      target == "cri/api/api_grpc.h" || target == "cri/api/api.grpc.pb.h";
    const bool cri = from.rfind("cri/", 0) == 0;
    if (grpc && !cri && from != "tests" && f.rel != "cri/api/api_grpc.h") {
      problems.push_back(where + "only cri/ may use gRPC: " + target);
    }
    if ((target == "cri/api/api.pb.h" || target == "cri/api/api.grpc.pb.h") && from != "cri/api") {
      problems.push_back(where + "include cri/api/api.h (or api_grpc.h), not " + target);
    }
    if (m[1] != "\"") continue;
    const std::string to = LayerOf(target);
    if (!to.empty() && !MayInclude(from, to)) {
      problems.push_back(where + "layer " + from + " must not include " + target + " (layer " + to +
                         ")");
    } else if (from == "pod" && to == "cri/api" && kPodFilesUsingCriApi.count(f.rel) == 0) {
      problems.push_back(where + "pod uses cri/api only in kPodFilesUsingCriApi: " + target);
    }
  }
  return problems;
}

std::vector<std::string> RawCallProblems(const SourceFile& f) {
  // A call of the libc function: not a member (.close( ->close(), not another
  // namespace's (fs::remove), not a longer name (fclose(, pclose(), not a
  // declaration of a method with that name (void close().
  static const std::regex kCall(
      R"re((^|[^\w.>:]|[^\w]::|^::)(close|umount|umount2|kill|rmdir)\s*\()re");
  static const std::regex kDecl(R"re((void|int|bool|auto)\s+$)re");
  std::vector<std::string> problems;
  // Tests look at the kernel directly on purpose (the checker runs inside
  // containers with no dependencies; tests probe pids and fds they expect gone).
  if (f.rel.rfind("oci/sys/", 0) == 0 || f.rel.rfind("oci/linux/", 0) == 0 ||
      f.rel.rfind("tests/", 0) == 0) {
    return problems;
  }
  if (LayerOf(f.rel).empty()) return problems;
  const std::string code = CodeOnly(f.text);
  for (auto it = std::sregex_iterator(code.begin(), code.end(), kCall);
       it != std::sregex_iterator(); ++it) {
    const size_t pos = it->position(2);
    const size_t line_start = code.rfind('\n', pos) + 1;  // npos + 1 == 0
    const std::string before = code.substr(line_start, it->position(0) - line_start + 1);
    if (std::regex_search(before, kDecl)) continue;
    const size_t line_end = f.text.find('\n', pos);
    if (f.text.substr(line_start, line_end - line_start).find("NOLINT(cricket-raw-call)") !=
        std::string::npos) {
      continue;
    }
    problems.push_back(f.rel + ":" + std::to_string(LineOf(code, pos)) + ": raw " + (*it)[2].str() +
                       "() outside oci/sys and oci/linux; use the RAII handle");
  }
  return problems;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += "  " + s + "\n";
  return out;
}

TEST(CodeOnly, BlanksCommentsAndLiterals) {
  const std::string src = "a(); // kill(1)\n/* close(2) */ b(\"rmdir(x)\", '\\'');\nc(1'000);";
  const std::string code = CodeOnly(src);
  EXPECT_EQ(code.find("kill"), std::string::npos);
  EXPECT_EQ(code.find("close"), std::string::npos);
  EXPECT_EQ(code.find("rmdir"), std::string::npos);
  EXPECT_NE(code.find("c(1'000)"), std::string::npos);
  EXPECT_EQ(std::count(code.begin(), code.end(), '\n'), 2);
}

TEST(RawCalls, SeesRealCallsOnly) {
  auto check = [](const std::string& text) { return RawCallProblems({"pod/x.cc", text}).size(); };
  EXPECT_EQ(check("void f(int fd) { close(fd); }"), 1u);
  EXPECT_EQ(check("void f(int fd) { ::close(fd); }"), 1u);
  EXPECT_EQ(check("void f() { kill(pid, 9); umount2(p, 0); rmdir(p); }"), 3u);
  EXPECT_EQ(check("void f() { file.close(); p->close(); fclose(f); std::fs::close(x); }"), 0u);
  EXPECT_EQ(check("class A { void close(); bool kill(int s); };"), 0u);
  EXPECT_EQ(check("// close(fd)\nauto s = \"kill(1)\";"), 0u);
  EXPECT_EQ(check("close(fd);  // NOLINT(cricket-raw-call): no deps here\nkill(1, 9);"), 1u);
  EXPECT_EQ(RawCallProblems({"oci/sys/unique_fd.h", "void f() { ::close(fd_); }"}).size(), 0u);
}

TEST(Layering, RulesMatchStyleGuide) {
  EXPECT_TRUE(MayInclude("pod", "oci"));
  EXPECT_TRUE(MayInclude("cri/service", "pod"));
  EXPECT_TRUE(MayInclude("cri/daemon", "oci"));
  EXPECT_TRUE(MayInclude("cri/ctl", "cri/client"));
  EXPECT_TRUE(MayInclude("tests", "cri/daemon"));
  EXPECT_FALSE(MayInclude("oci", "pod"));
  EXPECT_FALSE(MayInclude("sys", "conf"));
  EXPECT_FALSE(MayInclude("image", "pod"));
  EXPECT_FALSE(MayInclude("network", "image"));
  EXPECT_FALSE(MayInclude("cri/api", "sys"));
  EXPECT_FALSE(MayInclude("pod", "cri/service"));
  EXPECT_FALSE(MayInclude("cri/service", "cri/daemon"));
  EXPECT_FALSE(MayInclude("cri/service", "oci"));
  EXPECT_FALSE(MayInclude("cri/streaming", "cri/service"));
  EXPECT_FALSE(MayInclude("cri/ctl", "pod"));
  EXPECT_FALSE(MayInclude("cri/client", "oci"));
  EXPECT_FALSE(MayInclude("cri/client", "cri/ctl"));
  EXPECT_EQ(LayerOf("oci/sys/fs.h"), "sys");
  EXPECT_EQ(LayerOf("oci/linux/init.cc"), "oci");
  EXPECT_EQ(LayerOf("cri/api/api.h"), "cri/api");
  EXPECT_EQ(LayerOf("cri/ctl/main.cc"), "cri/ctl");
  EXPECT_EQ(LayerOf("cri/daemon/check.cc"), "cri/daemon");
  EXPECT_EQ(LayerOf("cri/handlers.cc"), "");  // no layer: EveryProductFileHasALayer fails
  EXPECT_EQ(LayerOf("absl/status/status.h"), "");
}

TEST(Layering, PodUsesCriApiOnlyInItsListedFiles) {
  const std::string text = "#include \"cri/api/api.h\"\n";
  EXPECT_TRUE(IncludeProblems({"pod/sandbox.h", text}).empty());
  EXPECT_EQ(IncludeProblems({"pod/stats_service.h", text}).size(), 1u);
}

// Every product source sits in a folder with a row in AllowedIncludes(): no
// folder is exempt from the include rules.
TEST(Layering, EveryProductFileHasALayer) {
  std::vector<std::string> problems;
  for (const auto& f : Sources()) {
    const std::string top = f.rel.substr(0, f.rel.find('/'));
    if (top != "oci" && top != "conf" && top != "network" && top != "image" && top != "pod" &&
        top != "cri") {
      continue;
    }
    if (AllowedIncludes().count(LayerOf(f.rel)) == 0) {
      problems.push_back(f.rel + ": in no layer of LayerOf(); give its folder a row");
    }
  }
  EXPECT_TRUE(problems.empty()) << Join(problems);
}

TEST(Layering, NoIncludePointsUp) {
  std::vector<std::string> problems;
  const auto files = Sources();
  ASSERT_GT(files.size(), 10u) << "no sources under " << CRICKET_SOURCE_DIR;
  for (const auto& f : files) {
    for (auto& p : IncludeProblems(f)) problems.push_back(std::move(p));
  }
  EXPECT_TRUE(problems.empty()) << "include rules broken:\n" << Join(problems);
}

TEST(Layering, NoRawKernelCallsOutsideSys) {
  std::vector<std::string> problems;
  for (const auto& f : Sources()) {
    for (auto& p : RawCallProblems(f)) problems.push_back(std::move(p));
  }
  EXPECT_TRUE(problems.empty()) << "raw calls found:\n" << Join(problems);
}

}  // namespace
}  // namespace cricket::testing
