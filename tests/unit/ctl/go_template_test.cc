// The Go template subset cricketctl's -o go-template runs over JSON trees.
#include "cri/client/go_template.h"
#include "nlohmann/json.hpp"

#include <gtest/gtest.h>

namespace cricket::cri::client {
namespace {

using Json = nlohmann::json;

const Json kData = Json::parse(R"({
  "items": [
    {"id": "abc", "metadata": {"name": "web", "attempt": 1}, "labels": {"app": "x"}},
    {"id": "def", "metadata": {"name": "db", "attempt": 0}, "labels": {}}
  ],
  "runtimeName": "cricket",
  "count": 2,
  "ready": true,
  "empty": ""
})");

std::string Render(const std::string& t) {
  auto out = ExecuteGoTemplate(t, kData);
  EXPECT_TRUE(out.ok()) << t << ": " << out.status();
  return out.value_or("");
}

TEST(GoTemplate, Fields) {
  EXPECT_EQ(Render("name={{.runtimeName}}"), "name=cricket");
  EXPECT_EQ(Render("{{.count}} {{.ready}}"), "2 true");
  EXPECT_EQ(Render("{{.missing}}"), "<no value>");
  EXPECT_EQ(Render("{{.runtimeName.deeper}}"), "<no value>");
}

TEST(GoTemplate, RangeAndNestedFields) {
  EXPECT_EQ(Render("{{range .items}}{{.id}}:{{.metadata.name}} {{end}}"), "abc:web def:db ");
  EXPECT_EQ(Render("{{range .nothing}}x{{else}}none{{end}}"), "none");
  EXPECT_EQ(Render("{{range .items}}{{$.runtimeName}},{{end}}"), "cricket,cricket,");
}

TEST(GoTemplate, IfElse) {
  EXPECT_EQ(Render("{{if .ready}}yes{{else}}no{{end}}"), "yes");
  EXPECT_EQ(Render("{{if .empty}}yes{{else}}no{{end}}"), "no");
  EXPECT_EQ(Render("{{range .items}}{{if .metadata.attempt}}A{{else if eq .id \"def\"}}D{{end}}{{end}}"),
            "AD");
  EXPECT_EQ(Render("{{with .items}}{{len .}}{{end}}"), "2");
}

TEST(GoTemplate, Functions) {
  EXPECT_EQ(Render("{{json .items}}").substr(0, 12), "[{\"id\":\"abc\"");
  EXPECT_EQ(Render("{{printf \"%s-%d\" .runtimeName .count}}"), "cricket-2");
  EXPECT_EQ(Render("{{printf \"%5s|\" \"ab\"}}"), "   ab|");
  EXPECT_EQ(Render("{{index .items 1 \"id\"}}"), "def");
  EXPECT_EQ(Render("{{range .items}}{{index .labels \"app\"}};{{end}}"), "x;<no value>;");
  EXPECT_EQ(Render("{{.runtimeName | upper}}"), "CRICKET");
  EXPECT_EQ(Render("{{len .items | printf \"%d items\"}}"), "2 items");
  EXPECT_EQ(Render("{{not .ready}} {{and .ready .count}} {{or .empty \"dflt\"}}"), "false 2 dflt");
}

TEST(GoTemplate, TrimMarkers) {
  EXPECT_EQ(Render("a  {{- .count -}}  b"), "a2b");
  EXPECT_EQ(Render("{{range .items -}}\n  {{.id}}\n{{- end}}"), "abcdef");
}

TEST(GoTemplate, Errors) {
  EXPECT_FALSE(ExecuteGoTemplate("{{range .items}}", kData).ok());
  EXPECT_FALSE(ExecuteGoTemplate("{{.x", kData).ok());
  EXPECT_FALSE(ExecuteGoTemplate("{{nosuchfunc .x}}", kData).ok());
  EXPECT_FALSE(ExecuteGoTemplate("{{end}}", kData).ok());
  auto st = ExecuteGoTemplate("{{range .count}}x{{end}}", kData);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(std::string(st.status().message()).find("range"), std::string::npos);
}

}  // namespace
}  // namespace cricket::cri::client
