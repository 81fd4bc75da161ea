#include "tests/invariants.h"

#include <vector>

#include "lexer/str_util.h"
#include "parser/ast_visitor.h"

namespace cellflow {
namespace {

std::string DescribeRange(Range r) { return StrCat("[", r.start, ", ", r.end, ")"); }

// Walks the tree keeping a stack of the statement (and except handler) ranges around the
// current node; records the first range that is inverted, out of bounds or outside its parent.
class RangeChecker : public AstVisitor {
 public:
  explicit RangeChecker(size_t size) : size_(size) {}

  const std::string& problem() const { return problem_; }
  bool saw_error_node() const { return saw_error_node_; }

  void VisitStmt(const Stmt* s) override {
    if (!problem_.empty()) return;
    if (s == nullptr) {
      problem_ = "null statement in a statement list";
      return;
    }
    if (s->kind == StmtKind::kError) saw_error_node_ = true;
    Check(StmtKindName(s->kind), "statement", s->range);
    switch (s->kind) {
      case StmtKind::kFunctionDef: {
        auto* f = static_cast<const FunctionDefStmt*>(s);
        // Decorators come before "def", outside the def's own range.
        VisitAll(f->decorators);
        stack_.push_back(s->range);
        Check("function name", "name", f->name_range);
        for (const TypeParam* t : f->type_params) VisitTypeParam(t);
        VisitArguments(f->args);
        VisitOptional(f->returns);
        VisitBody(f->body);
        stack_.pop_back();
        return;
      }
      case StmtKind::kClassDef: {
        auto* c = static_cast<const ClassDefStmt*>(s);
        VisitAll(c->decorators);
        stack_.push_back(s->range);
        Check("class name", "name", c->name_range);
        for (const TypeParam* t : c->type_params) VisitTypeParam(t);
        VisitAll(c->bases);
        CheckKeywords(c->keywords);
        VisitBody(c->body);
        stack_.pop_back();
        return;
      }
      default:
        break;
    }
    stack_.push_back(s->range);
    switch (s->kind) {
      case StmtKind::kImport:
        CheckAliases(static_cast<const ImportStmt*>(s)->names);
        break;
      case StmtKind::kImportFrom:
        CheckAliases(static_cast<const ImportFromStmt*>(s)->names);
        break;
      case StmtKind::kGlobal:
        for (Range r : static_cast<const GlobalStmt*>(s)->name_ranges) Check("global", "name", r);
        break;
      case StmtKind::kNonlocal:
        for (Range r : static_cast<const NonlocalStmt*>(s)->name_ranges) {
          Check("nonlocal", "name", r);
        }
        break;
      default:
        break;
    }
    WalkStmt(s);
    stack_.pop_back();
  }

  void VisitExpr(const Expr* e) override {
    if (!problem_.empty()) return;
    if (e == nullptr) {
      problem_ = "null expression where one is required";
      return;
    }
    if (e->kind == ExprKind::kError) saw_error_node_ = true;
    Check(ExprKindName(e->kind), "expression", e->range);
    if (const auto* a = e->As<Attribute>()) Check("attribute name", "name", a->attr_range);
    if (const auto* c = e->As<Call>()) {
      // The walk visits keyword values but not the keywords themselves.
      CheckKeywords(c->keywords);
    }
    WalkExpr(e);
  }

  void VisitPattern(const Pattern* p) override {
    if (!problem_.empty()) return;
    if (p == nullptr) {
      problem_ = "null pattern";
      return;
    }
    Check(PatternKindName(p->kind), "pattern", p->range);
    if (!p->name.empty()) Check("pattern capture", "name", p->name_range);
    WalkPattern(p);
  }

  void VisitArg(const Arg* a) override {
    if (!problem_.empty()) return;
    Check(StrCat("arg '", a->name, "'"), "argument", a->range);
    AstVisitor::VisitArg(a);
  }

  void VisitExceptHandler(const ExceptHandler* h) override {
    if (!problem_.empty()) return;
    Check("ExceptHandler", "handler", h->range);
    // The type and the body lie within the handler; the name is not checked.
    stack_.push_back(h->range);
    WalkExceptHandler(h);
    stack_.pop_back();
  }

  void VisitTypeParam(const TypeParam* t) override {
    if (!problem_.empty()) return;
    Check(StrCat("type parameter '", t->name, "'"), "type parameter", t->range);
    Check("type parameter name", "name", t->name_range);
    WalkTypeParam(t);
  }

 private:
  void CheckKeywords(std::span<Keyword*> keywords) {
    for (const Keyword* k : keywords) {
      if (k == nullptr) {
        Report("null keyword");
        return;
      }
      Check(StrCat("keyword '", k->arg, "'"), "keyword", k->range);
    }
  }

  void CheckAliases(std::span<Alias*> aliases) {
    for (const Alias* a : aliases) {
      if (a == nullptr) {
        Report("null alias");
        return;
      }
      Check(StrCat("alias '", a->name, "'"), "alias", a->range);
      if (!a->asname.empty())
        Check(StrCat("alias asname '", a->asname, "'"), "name", a->asname_range);
    }
  }

  void Report(std::string message) {
    if (problem_.empty()) problem_ = std::move(message);
  }

  // Checks one range: ordered, within the text, within the innermost enclosing range.
  void Check(std::string_view what, std::string_view category, Range r) {
    if (!problem_.empty()) return;
    if (r.start > r.end) {
      Report(StrCat(category, " ", what, " has start > end: ", DescribeRange(r)));
    } else if (r.end > size_) {
      Report(StrCat(category, " ", what, " ", DescribeRange(r), " ends past the text (size ", size_,
                    ")"));
    } else if (!stack_.empty() && (r.start < stack_.back().start || r.end > stack_.back().end)) {
      Report(StrCat(category, " ", what, " ", DescribeRange(r),
                    " is outside its enclosing statement ", DescribeRange(stack_.back())));
    }
  }

  size_t size_;
  std::vector<Range> stack_;
  std::string problem_;
  bool saw_error_node_ = false;
};

std::string CheckTokens(std::string_view text, const std::vector<Token>& tokens) {
  if (tokens.empty()) return "no tokens (expected at least kEndOfFile)";
  Offset prev_end = 0;  // end of the last token with a width
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    std::string what =
        StrCat("token ", i, " (", TokenKindName(t.kind), " ", t.start, "-", t.end, ")");
    if (t.start > t.end) return StrCat(what, " has start > end");
    if (t.end > text.size()) return StrCat(what, " ends past the text (size ", text.size(), ")");
    if (t.start < prev_end) {
      return StrCat(what, " starts before the end of the previous token (", prev_end, ")");
    }
    if (t.kind == TokenKind::kEndOfFile && i + 1 != tokens.size()) {
      return StrCat(what, " is an end-of-file token before the last token");
    }
    // Zero-width tokens (DEDENT, the NEWLINE at the end, error markers) may share their offset
    // with the tokens around them, so they do not move the bound for the next token: the lexer
    // emits the DEDENTs of a line at the end of its indentation, and an error token for a bad
    // indentation after them, over that indentation.
    if (t.end > t.start) prev_end = t.end;
  }
  if (tokens.back().kind != TokenKind::kEndOfFile) {
    return StrCat("the last token is ", TokenKindName(tokens.back().kind), ", not EndOfFile");
  }
  return "";
}

// Finds a node that opens a scope: a def, a class, a lambda or a comprehension.
class ScopeOpenerFinder : public AstVisitor {
 public:
  bool found() const { return found_; }

  void VisitStmt(const Stmt* s) override {
    if (s->kind == StmtKind::kFunctionDef || s->kind == StmtKind::kClassDef) found_ = true;
    if (!found_) WalkStmt(s);
  }
  void VisitExpr(const Expr* e) override {
    switch (e->kind) {
      case ExprKind::kLambda:
      case ExprKind::kListComp:
      case ExprKind::kSetComp:
      case ExprKind::kDictComp:
      case ExprKind::kGeneratorExp:
        found_ = true;
        return;
      default:
        if (!found_) WalkExpr(e);
    }
  }

 private:
  bool found_ = false;
};

}  // namespace

std::string CheckParseInvariants(std::string_view text, const ParseResult& r) {
  // The parser's tokens are its own; the lexer's, in both modes, must hold the same invariants.
  for (bool ipython : {false, true}) {
    LexOptions options;
    options.ipython = ipython;
    LexResult lexed;
    Tokenize(text, 0, static_cast<Offset>(text.size()), options, &lexed);
    std::string problem = CheckTokens(text, lexed.tokens);
    if (!problem.empty()) return StrCat(ipython ? "IPython tokens: " : "tokens: ", problem);
  }
  for (size_t i = 0; i < r.errors.size(); ++i) {
    const SyntaxDiagnostic& d = r.errors[i];
    if (d.start > d.end || d.end > text.size()) {
      return StrCat("error ", i, " '", d.message, "' has a bad range [", d.start, ", ", d.end,
                    ") for a text of size ", text.size());
    }
  }
  if (r.module == nullptr) return "the module is null";
  RangeChecker checker(text.size());
  checker.VisitModule(r.module);
  if (!checker.problem().empty()) return checker.problem();
  if (r.errors.empty() && checker.saw_error_node()) {
    return "an ErrorStmt or ErrorExpr node exists although there are no errors";
  }
  // Module-level code that opens a scope is marked as such (the scope analysis skips the rest).
  for (size_t i = 0; i < r.module->body.size(); ++i) {
    const Stmt* s = r.module->body[i];
    if (s->opens_scope) continue;
    ScopeOpenerFinder finder;
    finder.VisitStmt(s);
    if (finder.found()) {
      return StrCat("module statement ", i, " (", StmtKindName(s->kind), " at ", s->range.start,
                    ") opens a scope but is not marked opens_scope");
    }
  }
  return "";
}

}  // namespace cellflow
