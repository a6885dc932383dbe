// The Go text/template subset (see go_template.h): a lexer that splits text
// from actions, a recursive-descent parser into nodes, and an evaluator over
// nlohmann::json values.
#include "cri/client/go_template.h"

#include <cctype>
#include <cstring>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cri/client/go_template_funcs.h"
#include "oci/sys/status.h"

namespace cricket::cri::client {
namespace {

using Json = nlohmann::json;
using gotmpl::Arg;
using gotmpl::Cmd;
using gotmpl::Pipeline;

struct Node {
  enum Kind { kText, kAction, kIf, kRange, kWith } kind = kText;
  std::string text;  // kText; the action's source otherwise (for errors)
  Pipeline pipe;
  std::vector<Node> body, else_body;
};

absl::Status Bad(const std::string& action, const std::string& why) {
  return absl::InvalidArgumentError(absl::StrCat("template: {{", action, "}}: ", why));
}

// --- lexing of one action's contents into operands ---------------------------

absl::StatusOr<std::string> ReadString(std::string_view s, size_t& i) {
  char quote = s[i++];
  std::string out;
  while (i < s.size() && s[i] != quote) {
    char c = s[i++];
    if (c == '\\' && quote == '"' && i < s.size()) {
      char e = s[i++];
      out += e == 'n' ? '\n' : e == 't' ? '\t' : e;
    } else {
      out += c;
    }
  }
  if (i >= s.size()) return absl::InvalidArgumentError("unterminated string");
  ++i;
  return out;
}

absl::StatusOr<Pipeline> ParsePipeline(std::string_view s, size_t& i, bool in_parens);

absl::StatusOr<Arg> ReadOperand(std::string_view s, size_t& i) {
  Arg a;
  char c = s[i];
  if (c == '"' || c == '`') {
    a.kind = Arg::kString;
    ASSIGN_OR_RETURN(a.text, ReadString(s, i));
  } else if (c == '(') {
    ++i;
    a.kind = Arg::kSub;
    ASSIGN_OR_RETURN(Pipeline p, ParsePipeline(s, i, true));
    a.sub = std::make_shared<Pipeline>(std::move(p));
  } else {
    size_t start = i;
    while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i])) && s[i] != '|' &&
           s[i] != '(' && s[i] != ')') {
      ++i;
    }
    a.text = std::string(s.substr(start, i - start));
    if (c == '.' || c == '$') {
      a.kind = Arg::kField;
      a.from_root = c == '$';
      std::string_view rest = std::string_view(a.text).substr(c == '$' ? 1 : 0);
      for (size_t p = 0; p < rest.size();) {
        if (rest[p] != '.') return absl::InvalidArgumentError("bad field " + a.text);
        size_t q = rest.find('.', p + 1);
        std::string name(rest.substr(p + 1, q == std::string_view::npos ? q : q - p - 1));
        if (!name.empty()) a.path.push_back(name);
        p = q == std::string_view::npos ? rest.size() : q;
      }
    } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '-') {
      a.kind = Arg::kLiteral;
      a.literal = Json::parse(a.text, nullptr, false);
      if (a.literal.is_discarded()) return absl::InvalidArgumentError("bad number " + a.text);
    } else if (a.text == "true" || a.text == "false" || a.text == "nil") {
      a.kind = Arg::kLiteral;
      a.literal = a.text == "nil" ? Json() : Json(a.text == "true");
    } else {
      a.kind = Arg::kFunc;
    }
  }
  return a;
}

absl::StatusOr<Pipeline> ParsePipeline(std::string_view s, size_t& i, bool in_parens) {
  Pipeline p(1);
  while (true) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i >= s.size()) break;
    if (s[i] == ')') {
      if (!in_parens) return absl::InvalidArgumentError("unexpected )");
      ++i;
      return p;
    }
    if (s[i] == '|') {
      if (p.back().empty()) return absl::InvalidArgumentError("empty command before |");
      p.emplace_back();
      ++i;
      continue;
    }
    ASSIGN_OR_RETURN(Arg a, ReadOperand(s, i));
    p.back().push_back(std::move(a));
  }
  if (in_parens) return absl::InvalidArgumentError("missing )");
  if (p.back().empty()) return absl::InvalidArgumentError("missing value");
  return p;
}

absl::StatusOr<Pipeline> ParseActionPipeline(const std::string& action, std::string_view src) {
  size_t i = 0;
  auto p = ParsePipeline(src, i, false);
  if (!p.ok()) return Bad(action, std::string(p.status().message()));
  return p;
}

// --- splitting the template into text and actions ----------------------------

struct Item {
  bool action = false;
  std::string text;
};

absl::StatusOr<std::vector<Item>> Split(std::string_view t) {
  std::vector<Item> items;
  size_t pos = 0;
  bool trim_next = false;
  while (pos <= t.size()) {
    size_t open = t.find("{{", pos);
    std::string text(t.substr(pos, open == std::string_view::npos ? open : open - pos));
    if (trim_next) text.erase(0, text.find_first_not_of(" \t\r\n") == std::string::npos
                                     ? text.size() : text.find_first_not_of(" \t\r\n"));
    if (open == std::string_view::npos) {
      items.push_back({false, text});
      break;
    }
    size_t close = t.find("}}", open + 2);
    if (close == std::string_view::npos) return absl::InvalidArgumentError("template: unclosed {{");
    std::string body(t.substr(open + 2, close - open - 2));
    if (body.rfind("- ", 0) == 0 || body == "-") {
      text.erase(text.find_last_not_of(" \t\r\n") + 1);
      body.erase(0, 1);
    }
    trim_next = body.size() >= 2 && body.compare(body.size() - 2, 2, " -") == 0;
    if (trim_next) body.resize(body.size() - 1);
    body.erase(0, body.find_first_not_of(" \t\r\n") == std::string::npos
                      ? body.size() : body.find_first_not_of(" \t\r\n"));
    body.erase(body.find_last_not_of(" \t\r\n") + 1);
    items.push_back({false, text});
    if (body.rfind("/*", 0) != 0) items.push_back({true, body});
    pos = close + 2;
  }
  return items;
}

// --- parsing items into nodes -------------------------------------------------

// Parses nodes until {{end}} or {{else...}}; *stop gets that action ("" at EOF).
absl::Status ParseList(const std::vector<Item>& items, size_t& i, std::vector<Node>* out,
                       std::string* stop);

absl::Status ParseBlock(const std::vector<Item>& items, size_t& i, Node::Kind kind,
                        const std::string& action, std::string_view src, Node* n) {
  n->kind = kind;
  n->text = action;
  ASSIGN_OR_RETURN(n->pipe, ParseActionPipeline(action, src));
  std::string stop;
  RETURN_IF_ERROR(ParseList(items, i, &n->body, &stop));
  if (stop == "else") {
    RETURN_IF_ERROR(ParseList(items, i, &n->else_body, &stop));
  } else if (stop.rfind("else if ", 0) == 0) {
    Node nested;
    RETURN_IF_ERROR(ParseBlock(items, i, Node::kIf, stop, std::string_view(stop).substr(8),
                               &nested));
    n->else_body.push_back(std::move(nested));
    return absl::OkStatus();  // the nested if consumed the {{end}}
  }
  if (stop != "end") return Bad(action, "missing {{end}}");
  return absl::OkStatus();
}

absl::Status ParseList(const std::vector<Item>& items, size_t& i, std::vector<Node>* out,
                       std::string* stop) {
  while (i < items.size()) {
    const Item& it = items[i++];
    if (!it.action) {
      if (!it.text.empty()) out->push_back(Node{Node::kText, it.text, {}, {}, {}});
      continue;
    }
    const std::string& a = it.text;
    if (a == "end" || a == "else" || a.rfind("else if ", 0) == 0) {
      *stop = a;
      return absl::OkStatus();
    }
    Node n;
    for (auto [word, kind] : {std::pair{"if ", Node::kIf}, std::pair{"range ", Node::kRange},
                              std::pair{"with ", Node::kWith}}) {
      if (a.rfind(word, 0) == 0) {
        RETURN_IF_ERROR(ParseBlock(items, i, kind, a, std::string_view(a).substr(strlen(word)), &n));
        n.kind = kind;
      }
    }
    if (n.text.empty()) {
      n.kind = Node::kAction;
      n.text = a;
      ASSIGN_OR_RETURN(n.pipe, ParseActionPipeline(a, a));
    }
    out->push_back(std::move(n));
  }
  stop->clear();
  return absl::OkStatus();
}

// --- execution ----------------------------------------------------------------

absl::Status Exec(const std::vector<Node>& nodes, const Json& dot, const Json& root,
                  std::string* out) {
  for (const Node& n : nodes) {
    if (n.kind == Node::kText) {
      *out += n.text;
      continue;
    }
    auto v = gotmpl::EvalPipeline(n.pipe, dot, root);
    if (!v.ok()) return Bad(n.text, std::string(v.status().message()));
    if (n.kind == Node::kAction) {
      *out += gotmpl::Print(*v);
    } else if (n.kind == Node::kIf || n.kind == Node::kWith) {
      bool yes = gotmpl::Truth(*v);
      const Json& inner = n.kind == Node::kWith && yes ? *v : dot;
      RETURN_IF_ERROR(Exec(yes ? n.body : n.else_body, inner, root, out));
    } else if ((v->is_array() || v->is_object()) && !v->empty()) {
      for (const auto& el : *v) RETURN_IF_ERROR(Exec(n.body, el, root, out));
    } else if (v->is_array() || v->is_object() || v->is_null() || v->is_discarded()) {
      RETURN_IF_ERROR(Exec(n.else_body, dot, root, out));
    } else {
      return Bad(n.text, "range can't iterate over " + gotmpl::Print(*v));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> ExecuteGoTemplate(std::string_view tmpl, const nlohmann::json& data) {
  ASSIGN_OR_RETURN(std::vector<Item> items, Split(tmpl));
  std::vector<Node> nodes;
  size_t i = 0;
  std::string stop;
  RETURN_IF_ERROR(ParseList(items, i, &nodes, &stop));
  if (!stop.empty()) return Bad(stop, "unexpected");
  std::string out;
  RETURN_IF_ERROR(Exec(nodes, data, data, &out));
  return out;
}

}  // namespace cricket::cri::client
