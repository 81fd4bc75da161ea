// setup.cfg (an INI file) and setup.py (parsed with cellflow's parser, never run).
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"

#include "driver/deps.h"
#include "driver/deps_internal.h"
#include "lexer/str_util.h"
#include "parser/arena.h"
#include "parser/ast.h"
#include "parser/ast_visitor.h"
#include "parser/parser.h"

namespace cellflow {

using deps_internal::AddRequirement;
using deps_internal::EndsWith;
using deps_internal::Excerpt;
using deps_internal::IsNameChar;
using deps_internal::IsSpace;
using deps_internal::kMaxFileBytes;
using deps_internal::LineProblem;
using deps_internal::Lines;
using deps_internal::Lower;
using deps_internal::NameResult;
using deps_internal::RequirementKind;
using deps_internal::RequirementResult;
using deps_internal::StartsWith;
using deps_internal::StripHashComment;

// ---------------------------------------------------------------------------------------------
// setup.cfg

namespace {

// PEP 508 environment marker variables: a piece of a ';'-separated list that starts with one is
// the marker of the requirement before it, not a requirement.
constexpr std::string_view kMarkerVariables[] = {"python_version",
                                                 "python_full_version",
                                                 "os_name",
                                                 "sys_platform",
                                                 "platform_release",
                                                 "platform_system",
                                                 "platform_version",
                                                 "platform_machine",
                                                 "platform_python_implementation",
                                                 "implementation_name",
                                                 "implementation_version",
                                                 "extra",
                                                 "os.name",
                                                 "sys.platform",
                                                 "platform.version",
                                                 "platform.machine",
                                                 "platform.python_implementation"};

bool StartsWithMarker(std::string_view s) {
  s = Trim(s);
  for (std::string_view v : kMarkerVariables) {
    if (StartsWith(s, v) && (s.size() == v.size() || !IsNameChar(s[v.size()]))) return true;
  }
  return !s.empty() && (s[0] == '"' || s[0] == '\'' || s[0] == '(');
}

// A setup.cfg list of requirements: one per line, or ';'-separated on one line.
void AddCfgRequirements(std::string_view value, size_t first_line, DependencyParse* out) {
  std::vector<std::string_view> lines = Lines(value);
  if (lines.size() == 1 && StartsWith(Trim(lines[0]), "file:")) {
    // setuptools' "file: requirements.txt" directive (several files separated by commas).
    std::string_view files = Trim(Trim(lines[0]).substr(5));
    while (!files.empty()) {
      size_t comma = files.find(',');
      std::string_view f = Trim(files.substr(0, comma));
      if (!f.empty()) out->requirement_files.emplace_back(f);
      if (comma == std::string_view::npos) break;
      files.remove_prefix(comma + 1);
    }
    return;
  }
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = Trim(StripHashComment(lines[i]));
    if (line.empty()) continue;
    size_t number = first_line + i;
    if (lines.size() == 1 && line.find(';') != std::string_view::npos) {
      while (!line.empty()) {
        size_t semi = line.find(';');
        std::string_view piece = Trim(line.substr(0, semi));
        if (!piece.empty() && !StartsWithMarker(piece)) AddRequirement(piece, number, out);
        if (semi == std::string_view::npos) break;
        line.remove_prefix(semi + 1);
      }
      continue;
    }
    AddRequirement(line, number, out);
  }
}

std::string CfgKey(std::string_view key) {
  std::string k = Lower(Trim(key));
  std::replace(k.begin(), k.end(), '-', '_');
  return k;
}

}  // namespace

DependencyParse ParseSetupCfg(std::string_view text) {
  DependencyParse out;
  std::string section;
  std::string key;
  std::string value;
  size_t key_line = 0;
  auto flush = [&] {
    if (key.empty()) return;
    if (section == "metadata" && key == "name") {
      out.names_project = true;
      RequirementResult r = NameResult(Trim(value));
      if (r.kind == RequirementKind::kName) out.AddProjectName(std::move(r.name));
    } else if ((section == "options" && (key == "install_requires" || key == "tests_require")) ||
               section == "options.extras_require") {
      AddCfgRequirements(value, key_line, &out);
    } else if (section == "metadata" && key == "install_requires") {
      // Astropy's package template: "install_requires = numpy, astropy>=3.0", which its
      // setup.py splits at commas (a piece that starts with a version bound belongs to the
      // requirement before it).
      std::vector<std::string_view> lines = Lines(value);
      for (size_t i = 0; i < lines.size(); ++i) {
        std::string_view line = StripHashComment(lines[i]);
        for (size_t at = 0; at <= line.size();) {
          size_t comma = std::min(line.find(',', at), line.size());
          std::string_view piece = Trim(line.substr(at, comma - at));
          at = comma + 1;
          if (piece.empty() || std::string_view("<>=!~").find(piece[0]) != std::string_view::npos) {
            continue;
          }
          AddRequirement(piece, key_line + i, &out);
        }
      }
    } else if (section == "options" && key == "package_dir") {
      // "package_dir = =lib" (or on a line of its own): the packages are in lib/.
      for (std::string_view line : Lines(value)) {
        line = Trim(line);
        if (line.size() > 1 && line[0] == '=') out.package_roots.emplace_back(Trim(line.substr(1)));
      }
    } else if (section == "options.packages.find" && key == "where") {
      std::string_view where = Trim(value);
      if (!where.empty() && where != ".") out.package_roots.emplace_back(where);
    }
    key.clear();
    value.clear();
  };
  std::vector<std::string_view> lines = Lines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view raw = lines[i];
    std::string_view line = Trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    bool indented = IsSpace(raw[0]);
    if (indented && !key.empty()) {  // a continuation line of the value
      value.push_back('\n');
      value.append(line);
      continue;
    }
    flush();
    if (line[0] == '[') {
      size_t close = line.find(']');
      if (close == std::string_view::npos) {
        out.problems.push_back(LineProblem(i + 1, "unclosed section header"));
        section.clear();
        continue;
      }
      section = Lower(Trim(line.substr(1, close - 1)));
      continue;
    }
    size_t sep = line.find_first_of("=:");
    if (sep == std::string_view::npos) {
      out.problems.push_back(LineProblem(i + 1, StrCat("not a key: '", Excerpt(line), "'")));
      continue;
    }
    key = CfgKey(line.substr(0, sep));
    value = std::string(Trim(line.substr(sep + 1)));
    // The value starts on the key's line or, when that is empty, on the next.
    key_line = value.empty() ? i + 1 : i;
  }
  flush();
  return out;
}

// ---------------------------------------------------------------------------------------------
// setup.py

namespace {

// The value of a string literal (a run of adjacent literals, as the parser's Constant covers
// them). Bytes and f-strings have none.
std::optional<std::string> StringValue(std::string_view source, const Expr* e) {
  const auto* c = e != nullptr ? e->As<Constant>() : nullptr;
  if (c == nullptr || c->value_kind != ConstantKind::kStr) return std::nullopt;
  if (c->range.end > source.size() || c->range.start > c->range.end) return std::nullopt;
  std::string_view s = source.substr(c->range.start, c->range.end - c->range.start);
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    char ch = s[i];
    if (IsSpace(ch) || ch == '(' || ch == ')') {
      ++i;
      continue;
    }
    if (ch == '\\' && i + 1 < s.size()) {  // a line continuation between literals
      i += 2;
      continue;
    }
    if (ch == '#') {
      while (i < s.size() && s[i] != '\n') ++i;
      continue;
    }
    bool raw = false;
    while (i < s.size() && s[i] != '"' && s[i] != '\'') {
      char p = absl::ascii_tolower(static_cast<unsigned char>(s[i]));
      if (p == 'r') {
        raw = true;
      } else if (p != 'u') {
        return std::nullopt;  // b'', f'' or something unexpected
      }
      ++i;
    }
    if (i >= s.size()) return std::nullopt;
    char quote = s[i];
    size_t quote_len = s.substr(i, 3) == std::string(3, quote) ? 3 : 1;
    i += quote_len;
    std::string_view close(s.data() + i - quote_len, quote_len);
    while (i < s.size() && s.substr(i, quote_len) != close) {
      if (s[i] == '\\' && i + 1 < s.size()) {
        char next = s[i + 1];
        if (raw) {
          out.push_back('\\');
          out.push_back(next);
        } else if (next == 'n') {
          out.push_back('\n');
        } else if (next == 't') {
          out.push_back('\t');
        } else if (next != '\n') {
          out.push_back(next);
        }
        i += 2;
        continue;
      }
      out.push_back(s[i++]);
    }
    i += quote_len;
  }
  return out;
}

// Reads the setup(...) calls of a setup.py.
class SetupPyReader : public AstVisitor {
 public:
  SetupPyReader(std::string_view source, DependencyParse* out) : source_(source), out_(out) {}

  void Read(const Module* module) {
    CollectAssignments(module->body);
    CollectRequirementFileNames(module);
    VisitModule(module);
  }

  void VisitExpr(const Expr* e) override {
    if (const auto* call = e->As<Call>(); call != nullptr && IsSetup(call->func)) {
      for (const Keyword* k : call->keywords) {
        if (k->arg.empty()) {
          ReadKwargs(k->value, 0);
        } else {
          ReadKeyword(k->arg, k->value);
        }
      }
    }
    WalkExpr(e);
  }

 private:
  static constexpr int kMaxDepth = 16;

  static bool IsSetup(const Expr* func) {
    if (const auto* n = func->As<Name>()) return n->id == "setup";
    if (const auto* a = func->As<Attribute>()) return a->attr == "setup";
    return false;
  }

  size_t LineOf(const Expr* e) const {
    size_t end = std::min<size_t>(e->range.start, source_.size());
    return 1 + std::count(source_.begin(), source_.begin() + end, '\n');
  }

  // Module-level assignments, also inside if/try/with/for blocks (not in functions).
  void CollectAssignments(StmtList body) {
    for (const Stmt* s : body) {
      if (const auto* a = s->As<AssignStmt>()) {
        for (const Expr* target : a->targets) AddAssignment(target, a->value);
      } else if (const auto* a = s->As<AugAssignStmt>()) {
        if (a->op == BinOpKind::kAdd) AddAssignment(a->target, a->value);
      } else if (const auto* a = s->As<AnnAssignStmt>()) {
        if (a->value != nullptr) AddAssignment(a->target, a->value);
      } else if (const auto* i = s->As<IfStmt>()) {
        CollectAssignments(i->body);
        CollectAssignments(i->orelse);
      } else if (const auto* t = s->As<TryStmt>()) {
        CollectAssignments(t->body);
        for (const ExceptHandler* h : t->handlers) CollectAssignments(h->body);
        CollectAssignments(t->orelse);
        CollectAssignments(t->finalbody);
      } else if (const auto* w = s->As<WithStmt>()) {
        CollectAssignments(w->body);
      } else if (const auto* f = s->As<ForStmt>()) {
        CollectAssignments(f->body);
      }
    }
  }

  // Every string literal of the module that names a requirements file ("requirements.txt",
  // "requirements/base.txt", "dev-requirements.txt").
  void CollectRequirementFileNames(const Module* module) {
    struct Finder : AstVisitor {
      const SetupPyReader* reader;
      std::vector<std::string>* files;
      void VisitExpr(const Expr* e) override {
        if (std::optional<std::string> s = StringValue(reader->source_, e)) {
          std::string_view name = *s;
          name = name.substr(name.find_last_of("/\\") + 1);
          if (DependencyFileKindOf(name) == DependencyFileKind::kRequirements &&
              std::find(files->begin(), files->end(), *s) == files->end()) {
            files->push_back(*s);
          }
        }
        WalkExpr(e);
      }
    } finder;
    finder.reader = this;
    finder.files = &module_requirement_files_;
    finder.VisitModule(module);
  }

  void AddAssignment(const Expr* target, const Expr* value) {
    if (const auto* n = target->As<Name>()) assignments_[n->id].push_back(value);
  }

  // The strings a list-valued expression holds; false if some part is not a literal.
  bool ListValue(const Expr* e, int depth, std::vector<std::string>* out) {
    if (e == nullptr || depth > kMaxDepth) return false;
    ExprList elts;
    if (const std::optional<ExprList> items = DisplayItems(e)) {
      elts = *items;
    } else if (const auto* b = e->As<BinOp>()) {
      if (b->op != BinOpKind::kAdd) return false;
      bool left = ListValue(b->left, depth + 1, out);
      return ListValue(b->right, depth + 1, out) && left;
    } else if (const auto* n = e->As<Name>()) {
      auto it = assignments_.find(n->id);
      if (it == assignments_.end()) return false;
      bool all = true;
      for (const Expr* value : it->second) all = ListValue(value, depth + 1, out) && all;
      return all;
    } else if (const auto* c = e->As<Call>()) {
      const auto* f = c->func->As<Name>();
      if (f == nullptr || c->args.size() != 1 ||
          (f->id != "list" && f->id != "tuple" && f->id != "sorted" && f->id != "set")) {
        return false;
      }
      return ListValue(c->args[0], depth + 1, out);
    } else if (std::optional<std::string> s = StringValue(source_, e)) {
      // A single string: setuptools accepts one requirement per line.
      for (std::string_view line : Lines(*s)) {
        if (!Trim(line).empty()) out->emplace_back(Trim(line));
      }
      return true;
    } else {
      return false;
    }
    bool all = true;
    for (const Expr* elt : elts) {
      if (elt == nullptr) continue;
      if (const auto* star = elt->As<Starred>()) {
        all = ListValue(star->value, depth + 1, out) && all;
      } else if (std::optional<std::string> s = StringValue(source_, elt)) {
        out->push_back(std::move(*s));
      } else {
        all = false;
      }
    }
    return all;
  }

  // Requirements files named anywhere in an expression that is not a literal list:
  // open("requirements.txt").read().splitlines(), parse_requirements("requirements/base.txt").
  void FindRequirementFiles(const Expr* e, int depth) {
    struct Finder : AstVisitor {
      const SetupPyReader* reader;
      std::vector<std::string> files;
      void VisitExpr(const Expr* e) override {
        if (std::optional<std::string> s = StringValue(reader->source_, e)) {
          if (EndsWith(*s, ".txt") || EndsWith(*s, ".in")) files.push_back(*s);
        }
        WalkExpr(e);
      }
    } finder;
    finder.reader = this;
    finder.VisitExpr(e);
    if (const auto* n = e->As<Name>(); n != nullptr && depth < kMaxDepth) {
      auto it = assignments_.find(n->id);
      if (it != assignments_.end()) {
        for (const Expr* value : it->second) FindRequirementFiles(value, depth + 1);
      }
    }
    for (std::string& f : finder.files) out_->requirement_files.push_back(std::move(f));
  }

  void ReadRequirements(std::string_view keyword, const Expr* value) {
    std::vector<std::string> requirements;
    bool literal = ListValue(value, 0, &requirements);
    size_t line = LineOf(value);
    for (const std::string& r : requirements) AddRequirement(r, line, out_);
    if (literal) return;
    size_t before = out_->requirement_files.size();
    FindRequirementFiles(value, 0);
    if (out_->requirement_files.size() > before) return;
    // The file is often opened apart from the expression (`with open("requirements.txt") as f:
    // reqs = f.read().splitlines()`): take the requirements files the module names.
    for (const std::string& f : module_requirement_files_) out_->requirement_files.push_back(f);
    if (out_->requirement_files.size() == before && requirements.empty()) {
      out_->problems.push_back(LineProblem(line, StrCat(keyword, " is not a literal list")));
      if (keyword == "install_requires") out_->requirements_unknown = true;
    }
  }

  void ReadExtras(const Expr* value, int depth) {
    if (value == nullptr || depth > kMaxDepth) return;
    if (const auto* d = value->As<Dict>()) {
      for (size_t i = 0; i < d->values.size(); ++i) {
        if (i < d->keys.size() && d->keys[i] == nullptr) {
          ReadExtras(d->values[i], depth + 1);  // **other
        } else {
          ReadRequirements("extras_require", d->values[i]);
        }
      }
    } else if (const auto* c = value->As<Call>()) {
      const auto* f = c->func->As<Name>();
      if (f != nullptr && f->id == "dict") {
        for (const Keyword* k : c->keywords) ReadRequirements("extras_require", k->value);
      }
    } else if (const auto* n = value->As<Name>()) {
      auto it = assignments_.find(n->id);
      if (it == assignments_.end()) return;
      for (const Expr* v : it->second) ReadExtras(v, depth + 1);
    }
  }

  void ReadName(const Expr* value, int depth) {
    if (value == nullptr || depth > kMaxDepth) return;
    if (std::optional<std::string> s = StringValue(source_, value)) {
      RequirementResult r = NameResult(Trim(*s));
      if (r.kind == RequirementKind::kName) out_->AddProjectName(std::move(r.name));
    } else if (const auto* n = value->As<Name>()) {
      auto it = assignments_.find(n->id);
      if (it == assignments_.end()) return;
      for (const Expr* v : it->second) ReadName(v, depth + 1);
    }
  }

  void ReadKeyword(std::string_view keyword, const Expr* value) {
    if (keyword == "install_requires" || keyword == "tests_require") {
      ReadRequirements(keyword, value);
    } else if (keyword == "extras_require") {
      ReadExtras(value, 0);
    } else if (keyword == "name") {
      ReadName(value, 0);
    } else if (keyword == "package_dir") {
      // {"": "lib"}: the packages are in lib/.
      if (const auto* d = value->As<Dict>()) {
        for (size_t i = 0; i < d->keys.size() && i < d->values.size(); ++i) {
          std::optional<std::string> key =
              d->keys[i] != nullptr ? StringValue(source_, d->keys[i]) : std::nullopt;
          std::optional<std::string> dir = StringValue(source_, d->values[i]);
          if (key && key->empty() && dir && !dir->empty()) out_->package_roots.push_back(*dir);
        }
      }
    } else if (keyword == "packages") {
      // find_packages("lib") / find_packages(where="lib") / find_namespace_packages(...).
      const auto* c = value->As<Call>();
      const auto* f = c != nullptr ? c->func->As<Name>() : nullptr;
      if (f == nullptr || (f->id != "find_packages" && f->id != "find_namespace_packages")) return;
      const Expr* where = !c->args.empty() ? c->args[0] : nullptr;
      for (const Keyword* k : c->keywords) {
        if (k->arg == "where") where = k->value;
      }
      std::optional<std::string> dir =
          where != nullptr ? StringValue(source_, where) : std::nullopt;
      if (dir && !dir->empty() && *dir != ".") out_->package_roots.push_back(*dir);
    }
  }

  // setup(**config) with config = {"install_requires": [...]} or dict(install_requires=[...]).
  void ReadKwargs(const Expr* value, int depth) {
    if (value == nullptr || depth > kMaxDepth) return;
    if (const auto* d = value->As<Dict>()) {
      for (size_t i = 0; i < d->keys.size() && i < d->values.size(); ++i) {
        if (d->keys[i] == nullptr) {
          ReadKwargs(d->values[i], depth + 1);
        } else if (std::optional<std::string> key = StringValue(source_, d->keys[i])) {
          ReadKeyword(*key, d->values[i]);
        }
      }
    } else if (const auto* c = value->As<Call>()) {
      const auto* f = c->func->As<Name>();
      if (f != nullptr && f->id == "dict") {
        for (const Keyword* k : c->keywords) {
          if (!k->arg.empty()) ReadKeyword(k->arg, k->value);
        }
      }
    } else if (const auto* n = value->As<Name>()) {
      auto it = assignments_.find(n->id);
      if (it == assignments_.end()) return;
      for (const Expr* v : it->second) ReadKwargs(v, depth + 1);
    }
  }

  std::string_view source_;
  DependencyParse* out_;
  absl::flat_hash_map<std::string_view, std::vector<const Expr*>> assignments_;
  std::vector<std::string> module_requirement_files_;
};

}  // namespace

DependencyParse ParseSetupPy(std::string_view text) {
  DependencyParse out;
  out.names_project = true;  // whatever it names, a setup.py builds the project beside it
  if (text.size() > kMaxFileBytes) {
    out.problems.push_back("file too large");
    return out;
  }
  Arena arena;
  ParseResult parsed = Parse(text, &arena);
  if (!parsed.ok()) {
    out.problems.push_back(
        StrCat("does not parse (", parsed.errors.size(), " syntax errors); read what does"));
  }
  SetupPyReader(text, &out).Read(parsed.module);
  return out;
}

}  // namespace cellflow
