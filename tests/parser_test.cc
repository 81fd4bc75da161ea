// AST shapes, CPython's messages for common errors, error recovery, depth limits, names and
// IPython escapes. Expected trees and messages were checked against CPython 3.11's ast module
// (3.12+ syntax against the 3.12 grammar).
#include "parser/parser.h"

#include <cstdint>
#include <memory>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "lexer/source.h"
#include "lexer/str_util.h"
#include "parser/ast.h"
#include "parser/ast_dump.h"
#include "parser/names.h"
#include "tests/invariants.h"

namespace cellflow {

void PrintTo(StmtKind kind, std::ostream* os) { *os << StmtKindName(kind); }
void PrintTo(ExprKind kind, std::ostream* os) { *os << ExprKindName(kind); }
void PrintTo(PatternKind kind, std::ostream* os) { *os << PatternKindName(kind); }
void PrintTo(ExprContext ctx, std::ostream* os) {
  *os << (ctx == ExprContext::kLoad ? "load" : ctx == ExprContext::kStore ? "store" : "del");
}

namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Owns the text, the arena and the result of one parse.
class Parsed {
 public:
  explicit Parsed(std::string text, bool ipython = false, int max_depth = 0)
      : text_(std::move(text)) {
    ParseOptions options;
    options.ipython = ipython;
    if (max_depth > 0) options.max_depth = max_depth;
    result_ = Parse(text_, &arena_, options);
  }
  Parsed(const Parsed&) = delete;
  Parsed& operator=(const Parsed&) = delete;

  const std::string& text() const { return text_; }
  const ParseResult& result() const { return result_; }
  bool ok() const { return result_.errors.empty(); }
  StmtList body() const { return result_.module->body; }

  // The i-th top-level statement as a T, or null.
  template <typename T>
  const T* Stmt(size_t i) const {
    return i < body().size() ? body()[i]->As<T>() : nullptr;
  }

  std::string_view Text(Range r) const {
    return std::string_view(text_).substr(r.start, r.end - r.start);
  }

  std::string FirstError() const { return ok() ? "" : result_.errors[0].message; }

  // All errors with line:col, for failure messages.
  std::string Errors() const {
    LineIndex lines(text_);
    std::string out;
    for (const SyntaxDiagnostic& d : result_.errors) {
      LineCol lc = lines.Lookup(d.start);
      StrAppend(&out, "\n  ", lc.line, ":", lc.col, ": ", d.message);
    }
    return out;
  }

  // DumpAst output; without the "  @line:col-line:col" ranges unless asked.
  std::string Dump(bool ranges = false) const {
    LineIndex lines(text_);
    std::ostringstream out;
    DumpAst(result_.module, text_, lines, out);
    std::string dump = std::move(out).str();
    if (ranges) return dump;
    std::string stripped;
    size_t pos = 0;
    while (pos < dump.size()) {
      size_t nl = dump.find('\n', pos);
      if (nl == dump.npos) nl = dump.size();
      std::string_view line(dump.data() + pos, nl - pos);
      size_t at = line.rfind("  @");
      StrAppend(&stripped, at == line.npos ? line : line.substr(0, at), '\n');
      pos = nl + 1;
    }
    return stripped;
  }

  std::vector<StmtKind> Kinds() const { return KindsOf(body()); }
  static std::vector<StmtKind> KindsOf(StmtList list) {
    std::vector<StmtKind> kinds;
    for (const cellflow::Stmt* s : list) kinds.push_back(s->kind);
    return kinds;
  }

 private:
  std::string text_;
  Arena arena_;
  ParseResult result_;
};

template <typename T>
const T* As(const Expr* e) {
  return e != nullptr ? e->As<T>() : nullptr;
}

// The expression of an expression statement.
const Expr* ExprOf(const Parsed& p, size_t i) {
  const ExprStmt* s = p.Stmt<ExprStmt>(i);
  return s != nullptr ? s->value : nullptr;
}

// Expects `text` to parse and dump (without ranges) as `expected` (the lines after "Module").
void ExpectDump(std::string_view text, std::string_view expected) {
  Parsed p{std::string(text)};
  ASSERT_TRUE(p.ok()) << text << p.Errors();
  EXPECT_EQ(p.Dump(), StrCat("Module\n", expected)) << text;
  EXPECT_EQ(CheckParseInvariants(p.text(), p.result()), "") << text;
}

// Expects `text` to fail with `message` as the first error.
void ExpectFirstError(std::string_view text, std::string_view message) {
  Parsed p{std::string(text)};
  EXPECT_EQ(p.FirstError(), message) << text << p.Errors();
  EXPECT_EQ(CheckParseInvariants(p.text(), p.result()), "") << text;
}

// ---------------------------------------------------------------------------------------------
// Assignments and expression contexts

TEST(ParserTest, ChainedAssignment) {
  Parsed p("a = b = 1\n");
  ASSERT_TRUE(p.ok()) << p.Errors();
  const AssignStmt* s = p.Stmt<AssignStmt>(0);
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(s->targets.size(), 2u);
  for (const Expr* t : s->targets) {
    ASSERT_NE(As<Name>(t), nullptr);
    EXPECT_EQ(t->ctx, ExprContext::kStore);
  }
  EXPECT_EQ(As<Name>(s->targets[0])->id, "a");
  EXPECT_EQ(As<Name>(s->targets[1])->id, "b");
  ASSERT_NE(As<Constant>(s->value), nullptr);
  EXPECT_EQ(As<Constant>(s->value)->value_kind, ConstantKind::kInt);
  EXPECT_EQ(p.Text(s->range), "a = b = 1");
}

TEST(ParserTest, TupleListAndStarredTargetsAreStores) {
  ExpectDump("a, b = c\n",
             "  Assign\n"
             "    targets:\n"
             "      Tuple store\n"
             "        Name 'a' store\n"
             "        Name 'b' store\n"
             "    value:\n"
             "      Name 'c'\n");
  ExpectDump("[a, *b] = c\n",
             "  Assign\n"
             "    targets:\n"
             "      List store\n"
             "        Name 'a' store\n"
             "        Starred store\n"
             "          Name 'b' store\n"
             "    value:\n"
             "      Name 'c'\n");
}

TEST(ParserTest, AttributeAndSubscriptTargetsLoadTheirParts) {
  ExpectDump("a.b = c[d] = 1\n",
             "  Assign\n"
             "    targets:\n"
             "      Attribute store 'b'\n"
             "        Name 'a'\n"
             "      Subscript store\n"
             "        Name 'c'\n"
             "        Name 'd'\n"
             "    value:\n"
             "      Constant \"1\"\n");
}

TEST(ParserTest, ParenthesizedTargetRangeExcludesParentheses) {
  Parsed p("(a) = 1\n");
  ASSERT_TRUE(p.ok()) << p.Errors();
  const AssignStmt* s = p.Stmt<AssignStmt>(0);
  ASSERT_NE(s, nullptr);
  const Name* a = As<Name>(s->targets[0]);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->ctx, ExprContext::kStore);
  EXPECT_EQ(p.Text(a->range), "a");
  EXPECT_NE(a->flags & kExprParenthesized, 0);
  // A parenthesized tuple's range includes its parentheses, as in CPython.
  Parsed t("(a, b) = 1, 2\n");
  ASSERT_TRUE(t.ok()) << t.Errors();
  EXPECT_EQ(t.Text(t.Stmt<AssignStmt>(0)->targets[0]->range), "(a, b)");
  EXPECT_EQ(t.Text(t.Stmt<AssignStmt>(0)->value->range), "1, 2");
}

TEST(ParserTest, DeleteTargetsHaveDelContext) {
  ExpectDump("del a, (b, c), d.e, f[0]\n",
             "  Delete\n"
             "    targets:\n"
             "      Name 'a' del\n"
             "      Tuple del\n"
             "        Name 'b' del\n"
             "        Name 'c' del\n"
             "      Attribute del 'e'\n"
             "        Name 'd'\n"
             "      Subscript del\n"
             "        Name 'f'\n"
             "        Constant \"0\"\n");
}

TEST(ParserTest, OtherBindersStore) {
  Parsed p(
      "for x, in y: pass\n"
      "with a as (b, c): pass\n"
      "[z for z in w]\n"
      "(v := 1)\n");
  ASSERT_TRUE(p.ok()) << p.Errors();
  const ForStmt* f = p.Stmt<ForStmt>(0);
  ASSERT_NE(f, nullptr);
  ASSERT_NE(As<Tuple>(f->target), nullptr);
  EXPECT_EQ(f->target->ctx, ExprContext::kStore);
  EXPECT_EQ(As<Tuple>(f->target)->elts[0]->ctx, ExprContext::kStore);
  EXPECT_EQ(f->iter->ctx, ExprContext::kLoad);

  const WithStmt* w = p.Stmt<WithStmt>(1);
  ASSERT_NE(w, nullptr);
  ASSERT_EQ(w->items.size(), 1u);
  EXPECT_EQ(w->items[0]->context_expr->ctx, ExprContext::kLoad);
  ASSERT_NE(As<Tuple>(w->items[0]->optional_vars), nullptr);
  EXPECT_EQ(w->items[0]->optional_vars->ctx, ExprContext::kStore);

  const ListComp* lc = As<ListComp>(ExprOf(p, 2));
  ASSERT_NE(lc, nullptr);
  ASSERT_EQ(lc->generators.size(), 1u);
  EXPECT_EQ(lc->generators[0]->target->ctx, ExprContext::kStore);
  EXPECT_EQ(lc->elt->ctx, ExprContext::kLoad);

  const NamedExpr* ne = As<NamedExpr>(ExprOf(p, 3));
  ASSERT_NE(ne, nullptr);
  EXPECT_EQ(ne->target->ctx, ExprContext::kStore);
}

TEST(ParserTest, InvalidTargetsUseCPythonMessages) {
  ExpectFirstError("f() = 1\n",
                   "cannot assign to function call here. Maybe you meant '==' instead of '='?");
  ExpectFirstError("del f()\n", "cannot delete function call");
  ExpectFirstError("a = yield = b\n", "assignment to yield expression not possible");
  ExpectFirstError("a + 1 += 1\n",
                   "'expression' is an illegal expression for augmented assignment");
  ExpectFirstError("(a, b) += 1\n", "'tuple' is an illegal expression for augmented assignment");
}

TEST(ParserTest, StarTargets) {
  ExpectDump("*a, b = c\n",
             "  Assign\n"
             "    targets:\n"
             "      Tuple store\n"
             "        Starred store\n"
             "          Name 'a' store\n"
             "        Name 'b' store\n"
             "    value:\n"
             "      Name 'c'\n");
  ExpectDump("for *a, b in c: pass\n",
             "  For\n"
             "    target:\n"
             "      Tuple store\n"
             "        Starred store\n"
             "          Name 'a' store\n"
             "        Name 'b' store\n"
             "    iter:\n"
             "      Name 'c'\n"
             "    body:\n"
             "      Pass\n");
  // Rejected later by the compiler, not by CPython's parser.
  for (std::string_view text : {"*a = 1\n", "a, *b, *c = d\n", "*a, = b\n"}) {
    Parsed p{std::string(text)};
    EXPECT_TRUE(p.ok()) << text << p.Errors();
  }
}

TEST(ParserTest, AnnotatedAssignmentSimpleFlag) {
  Parsed p("x: int = 1\n(y): int\na.b: int\nc[0]: int = 2\n");
  ASSERT_TRUE(p.ok()) << p.Errors();
  ASSERT_THAT(p.Kinds(), ElementsAre(StmtKind::kAnnAssign, StmtKind::kAnnAssign,
                                     StmtKind::kAnnAssign, StmtKind::kAnnAssign));
  const AnnAssignStmt* x = p.Stmt<AnnAssignStmt>(0);
  EXPECT_TRUE(x->simple);
  ASSERT_NE(x->value, nullptr);
  EXPECT_EQ(x->target->ctx, ExprContext::kStore);
  EXPECT_EQ(p.Text(x->annotation->range), "int");
  const AnnAssignStmt* y = p.Stmt<AnnAssignStmt>(1);
  EXPECT_FALSE(y->simple);
  EXPECT_EQ(y->value, nullptr);
  EXPECT_EQ(y->target->ctx, ExprContext::kStore);
  EXPECT_FALSE(p.Stmt<AnnAssignStmt>(2)->simple);
  EXPECT_NE(As<Attribute>(p.Stmt<AnnAssignStmt>(2)->target), nullptr);
  EXPECT_FALSE(p.Stmt<AnnAssignStmt>(3)->simple);
  EXPECT_NE(p.Stmt<AnnAssignStmt>(3)->value, nullptr);

  ExpectFirstError("a, b: int\n", "only single target (not tuple) can be annotated");
  ExpectFirstError("[a]: int\n", "only single target (not list) can be annotated");
}

TEST(ParserTest, EveryAugmentedAssignmentOperator) {
  const std::pair<std::string_view, BinOpKind> kOps[] = {
      {"+=", BinOpKind::kAdd},       {"-=", BinOpKind::kSub},     {"*=", BinOpKind::kMult},
      {"@=", BinOpKind::kMatMult},   {"/=", BinOpKind::kDiv},     {"%=", BinOpKind::kMod},
      {"**=", BinOpKind::kPow},      {"<<=", BinOpKind::kLShift}, {">>=", BinOpKind::kRShift},
      {"|=", BinOpKind::kBitOr},     {"^=", BinOpKind::kBitXor},  {"&=", BinOpKind::kBitAnd},
      {"//=", BinOpKind::kFloorDiv},
  };
  for (const auto& [op, kind] : kOps) {
    SCOPED_TRACE(op);
    Parsed p(StrCat("x.y ", op, " 1\n"));
    ASSERT_TRUE(p.ok()) << p.Errors();
    const AugAssignStmt* s = p.Stmt<AugAssignStmt>(0);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->op, kind);
    EXPECT_EQ(s->target->ctx, ExprContext::kStore);
    EXPECT_NE(As<Attribute>(s->target), nullptr);
    EXPECT_EQ(p.Text(s->value->range), "1");
  }
}

// ---------------------------------------------------------------------------------------------
// Expressions

TEST(ParserTest, ChainedComparison) {
  Parsed p("a < b <= c == d != e > f >= g is h is not i in j not in k\n");
  ASSERT_TRUE(p.ok()) << p.Errors();
  const Compare* c = As<Compare>(ExprOf(p, 0));
  ASSERT_NE(c, nullptr);
  EXPECT_THAT(c->ops,
              ElementsAre(CmpOpKind::kLt, CmpOpKind::kLtE, CmpOpKind::kEq, CmpOpKind::kNotEq,
                          CmpOpKind::kGt, CmpOpKind::kGtE, CmpOpKind::kIs, CmpOpKind::kIsNot,
                          CmpOpKind::kIn, CmpOpKind::kNotIn));
  ASSERT_EQ(c->comparators.size(), 10u);
  EXPECT_EQ(As<Name>(c->left)->id, "a");
  EXPECT_EQ(As<Name>(c->comparators[9])->id, "k");
}

TEST(ParserTest, UnaryMinusBindsLooserThanPower) {
  ExpectDump("-x**2\n",
             "  Expr\n"
             "    value:\n"
             "      UnaryOp -\n"
             "        BinOp **\n"
             "          Name 'x'\n"
             "          Constant \"2\"\n");
  ExpectDump("2**-x\n",
             "  Expr\n"
             "    value:\n"
             "      BinOp **\n"
             "        Constant \"2\"\n"
             "        UnaryOp -\n"
             "          Name 'x'\n");
}

TEST(ParserTest, NotBindsLooserThanComparison) {
  ExpectDump("not a == b\n",
             "  Expr\n"
             "    value:\n"
             "      UnaryOp not\n"
             "        Compare ==\n"
             "          Name 'a'\n"
             "          Name 'b'\n");
}

TEST(ParserTest, ConditionalExpressionsNestToTheRight) {
  Parsed p("a if b else c if d else e\n");
  ASSERT_TRUE(p.ok()) << p.Errors();
  const IfExp* outer = As<IfExp>(ExprOf(p, 0));
  ASSERT_NE(outer, nullptr);
  EXPECT_EQ(As<Name>(outer->body)->id, "a");
  EXPECT_EQ(As<Name>(outer->test)->id, "b");
  const IfExp* inner = As<IfExp>(outer->orelse);
  ASSERT_NE(inner, nullptr);
  EXPECT_EQ(As<Name>(inner->body)->id, "c");
  EXPECT_EQ(As<Name>(inner->test)->id, "d");
  EXPECT_EQ(As<Name>(inner->orelse)->id, "e");
  EXPECT_EQ(p.Text(inner->range), "c if d else e");
}

TEST(ParserTest, BooleanOperatorPrecedence) {
  ExpectDump("a or b and not c or d\n",
             "  Expr\n"
             "    value:\n"
             "      BoolOp or\n"
             "        Name 'a'\n"
             "        BoolOp and\n"
             "          Name 'b'\n"
             "          UnaryOp not\n"
             "            Name 'c'\n"
             "        Name 'd'\n");
}

TEST(ParserTest, BinaryOperatorPrecedenceAndAssociativity) {
  ExpectDump("a | b ^ c & d << e + f * g ** h ** i\n",
             "  Expr\n"
             "    value:\n"
             "      BinOp |\n"
             "        Name 'a'\n"
             "        BinOp ^\n"
             "          Name 'b'\n"
             "          BinOp &\n"
             "            Name 'c'\n"
             "            BinOp <<\n"
             "              Name 'd'\n"
             "              BinOp +\n"
             "                Name 'e'\n"
             "                BinOp *\n"
             "                  Name 'f'\n"
             "                  BinOp **\n"
             "                    Name 'g'\n"
             "                    BinOp **\n"
             "                      Name 'h'\n"
             "                      Name 'i'\n");
  ExpectDump("a - b - c\n",
             "  Expr\n"
             "    value:\n"
             "      BinOp -\n"
             "        BinOp -\n"
             "          Name 'a'\n"
             "          Name 'b'\n"
             "        Name 'c'\n");
}

TEST(ParserTest, LambdaAsDefaultValue) {
  Parsed p("def f(x=lambda y: y, *, z=lambda: 1): pass\nlambda a=lambda: 1: a\n");
  ASSERT_TRUE(p.ok()) << p.Errors();
  const FunctionDefStmt* f = p.Stmt<FunctionDefStmt>(0);
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(f->args->defaults.size(), 1u);
  const Lambda* d = As<Lambda>(f->args->defaults[0]);
  ASSERT_NE(d, nullptr);
  ASSERT_EQ(d->args->args.size(), 1u);
  EXPECT_EQ(d->args->args[0]->name, "y");
  ASSERT_EQ(f->args->kw_defaults.size(), 1u);
  EXPECT_NE(As<Lambda>(f->args->kw_defaults[0]), nullptr);

  const Lambda* outer = As<Lambda>(ExprOf(p, 1));
  ASSERT_NE(outer, nullptr);
  ASSERT_EQ(outer->args->defaults.size(), 1u);
  EXPECT_NE(As<Lambda>(outer->args->defaults[0]), nullptr);
  EXPECT_EQ(As<Name>(outer->body)->id, "a");
}

// The module's statements that hold a def, class, lambda or comprehension anywhere are marked;
// the others are not (CheckParseInvariants checks the first half on every parse).
TEST(ParserTest, ModuleStatementsThatOpenScopes) {
  Parsed p(
      "x = y + 1\n"
      "def f(): pass\n"
      "for i in x:\n  print(i)\n"
      "if c:\n  g = (i for i in x)\n"
      "print(f\"{[i for i in x]}\")\n"
      "@decorate(lambda: 0)\nclass C: pass\n"
      "with open(p) as fh:\n  d = {k: v for k, v in fh}\n"
      "z = {1, 2}; s = {q for q in z}\n"
      "t = x[1:2], -x, not x\n");
  ASSERT_TRUE(p.ok()) << p.Errors();
  std::vector<bool> marked;
  for (const Stmt* s : p.body()) marked.push_back(s->opens_scope);
  EXPECT_THAT(marked, ElementsAre(false, true, false, true, true, true, true, true, true, false));
  // Statements nested in a marked one are not marked themselves.
  const IfStmt* branch = p.Stmt<IfStmt>(3);
  ASSERT_NE(branch, nullptr);
  EXPECT_FALSE(branch->body[0]->opens_scope);
  EXPECT_EQ(CheckParseInvariants(p.text(), p.result()), "");
}

TEST(ParserTest, ParameterKinds) {
  Parsed p("def f(a, /, b, c=1, *d, e, f=2, **g): pass\n");
  ASSERT_TRUE(p.ok()) << p.Errors();
  const Arguments* a = p.Stmt<FunctionDefStmt>(0)->args;
  ASSERT_EQ(a->posonlyargs.size(), 1u);
  EXPECT_EQ(a->posonlyargs[0]->name, "a");
  ASSERT_EQ(a->args.size(), 2u);
  EXPECT_EQ(a->args[1]->name, "c");
  ASSERT_NE(a->vararg, nullptr);
  EXPECT_EQ(a->vararg->name, "d");
  ASSERT_EQ(a->kwonlyargs.size(), 2u);
  ASSERT_EQ(a->kw_defaults.size(), 2u);
  EXPECT_EQ(a->kw_defaults[0], nullptr);
  EXPECT_NE(a->kw_defaults[1], nullptr);
  ASSERT_NE(a->kwarg, nullptr);
  EXPECT_EQ(a->kwarg->name, "g");
  EXPECT_EQ(a->defaults.size(), 1u);
}

TEST(ParserTest, CallArgumentsKeepTheirOrder) {
  Parsed p("f(*a, b, c=1, **d, e=2)\nf(a=1, *b)\nf(**k, a=1)\n");
  ASSERT_TRUE(p.ok()) << p.Errors();
  const Call* c = As<Call>(ExprOf(p, 0));
  ASSERT_NE(c, nullptr);
  ASSERT_EQ(c->args.size(), 2u);
  EXPECT_NE(As<Starred>(c->args[0]), nullptr);
  EXPECT_EQ(As<Name>(c->args[1])->id, "b");
  ASSERT_EQ(c->keywords.size(), 3u);
  EXPECT_EQ(c->keywords[0]->arg, "c");
  EXPECT_EQ(c->keywords[1]->arg, "");
  EXPECT_EQ(p.Text(c->keywords[1]->range), "**d");
  EXPECT_EQ(c->keywords[2]->arg, "e");
  EXPECT_EQ(p.Text(c->keywords[2]->range), "e=2");
}

TEST(ParserTest, CallArgumentOrderErrors) {
  ExpectFirstError("f(a=1, b)\n", "positional argument follows keyword argument");
  ExpectFirstError("f(**k, a)\n", "positional argument follows keyword argument unpacking");
  ExpectFirstError("f(**k, *a)\n",
                   "iterable argument unpacking follows keyword argument unpacking");
  ExpectFirstError("f(x for x in y, 1)\n", "Generator expression must be parenthesized");
  ExpectFirstError("f(1, x for x in y)\n", "Generator expression must be parenthesized");
  ExpectFirstError("f(a for a in b,)\n", "Generator expression must be parenthesized");
  ExpectFirstError("f(1=2)\n", "expression cannot contain assignment, perhaps you meant \"==\"?");
  ExpectFirstError("f(a.b=1)\n", "expression cannot contain assignment, perhaps you meant \"==\"?");
}

TEST(ParserTest, GeneratorExpressionAsSoleArgument) {
  Parsed p("f(x for x in y)\nf((x for x in y))\n(x for x in y)\n");
  ASSERT_TRUE(p.ok()) << p.Errors();
  for (size_t i = 0; i < 2; ++i) {
    const Call* c = As<Call>(ExprOf(p, i));
    ASSERT_NE(c, nullptr);
    ASSERT_EQ(c->args.size(), 1u);
    const GeneratorExp* g = As<GeneratorExp>(c->args[0]);
    ASSERT_NE(g, nullptr);
    // As in CPython, the sole-argument generator's range spans the call's parentheses.
    EXPECT_EQ(p.Text(g->range), "(x for x in y)");
    ASSERT_EQ(g->generators.size(), 1u);
    EXPECT_EQ(As<Name>(g->generators[0]->iter)->id, "y");
  }
  EXPECT_EQ(p.Text(ExprOf(p, 2)->range), "(x for x in y)");
}

TEST(ParserTest, Slices) {
  ExpectDump("a[1:2]\na[::3]\n",
             "  Expr\n"
             "    value:\n"
             "      Subscript\n"
             "        Name 'a'\n"
             "        Slice\n"
             "          Constant \"1\"\n"
             "          Constant \"2\"\n"
             "  Expr\n"
             "    value:\n"
             "      Subscript\n"
             "        Name 'a'\n"
             "        Slice\n"
             "          Constant \"3\"\n");
  Parsed p("a[1:2, ::3]\na[:, None]\na[1:2:3]\n");
  ASSERT_TRUE(p.ok()) << p.Errors();
  const Subscript* s = As<Subscript>(ExprOf(p, 0));
  ASSERT_NE(s, nullptr);
  const Tuple* t = As<Tuple>(s->slice);
  ASSERT_NE(t, nullptr);
  ASSERT_EQ(t->elts.size(), 2u);
  const Slice* first = As<Slice>(t->elts[0]);
  const Slice* second = As<Slice>(t->elts[1]);
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->lower, nullptr);
  EXPECT_EQ(second->upper, nullptr);
  EXPECT_EQ(p.Text(second->step->range), "3");
  EXPECT_EQ(p.Text(t->range), "1:2, ::3");

  const Tuple* t2 = As<Tuple>(As<Subscript>(ExprOf(p, 1))->slice);
  ASSERT_NE(t2, nullptr);
  EXPECT_NE(As<Slice>(t2->elts[0]), nullptr);
  EXPECT_NE(As<Constant>(t2->elts[1]), nullptr);

  const Slice* full = As<Slice>(As<Subscript>(ExprOf(p, 2))->slice);
  ASSERT_NE(full, nullptr);
  EXPECT_NE(full->lower, nullptr);
  EXPECT_NE(full->upper, nullptr);
  EXPECT_NE(full->step, nullptr);
}

// Parser bug: "a[*b]" gets a bare Starred slice; CPython 3.11 wraps it in a one-element Tuple.
TEST(ParserTest, StarredSubscriptIsATuple) {
  Parsed p("a[*b]\n");
  ASSERT_TRUE(p.ok()) << p.Errors();
  const Tuple* starred = As<Tuple>(As<Subscript>(ExprOf(p, 0))->slice);
  ASSERT_NE(starred, nullptr);
  ASSERT_EQ(starred->elts.size(), 1u);
  EXPECT_NE(As<Starred>(starred->elts[0]), nullptr);
  EXPECT_EQ(p.Text(starred->range), "*b");
}

// ---------------------------------------------------------------------------------------------
// Match statements

TEST(ParserTest, MatchPatternsOfEveryKind) {
  Parsed q(
      "match x:\n"
      "    case [1, *rest] | {\"k\": v, **kw} | Point(1, y=2) as z if z:\n"
      "        pass\n"
      "    case None | -1 | 1+2j | a.b | _ | (q) | [*_]:\n"
      "        pass\n");
  ASSERT_TRUE(q.ok()) << q.Errors();
  const MatchStmt* m = q.Stmt<MatchStmt>(0);
  ASSERT_NE(m, nullptr);
  ASSERT_EQ(m->cases.size(), 2u);

  const Pattern* as = m->cases[0]->pattern;
  ASSERT_EQ(as->kind, PatternKind::kMatchAs);
  EXPECT_EQ(as->name, "z");
  EXPECT_EQ(q.Text(as->name_range), "z");
  ASSERT_NE(m->cases[0]->guard, nullptr);
  const Pattern* alternatives = as->pattern;
  ASSERT_NE(alternatives, nullptr);
  ASSERT_EQ(alternatives->kind, PatternKind::kMatchOr);
  ASSERT_EQ(alternatives->patterns.size(), 3u);

  const Pattern* seq = alternatives->patterns[0];
  ASSERT_EQ(seq->kind, PatternKind::kMatchSequence);
  ASSERT_EQ(seq->patterns.size(), 2u);
  EXPECT_EQ(seq->patterns[0]->kind, PatternKind::kMatchValue);
  EXPECT_EQ(seq->patterns[1]->kind, PatternKind::kMatchStar);
  EXPECT_EQ(seq->patterns[1]->name, "rest");

  const Pattern* mapping = alternatives->patterns[1];
  ASSERT_EQ(mapping->kind, PatternKind::kMatchMapping);
  ASSERT_EQ(mapping->keys.size(), 1u);
  EXPECT_EQ(q.Text(mapping->keys[0]->range), "\"k\"");
  ASSERT_EQ(mapping->patterns.size(), 1u);
  EXPECT_EQ(mapping->patterns[0]->kind, PatternKind::kMatchAs);
  EXPECT_EQ(mapping->patterns[0]->name, "v");
  EXPECT_EQ(mapping->name, "kw");

  const Pattern* cls = alternatives->patterns[2];
  ASSERT_EQ(cls->kind, PatternKind::kMatchClass);
  EXPECT_EQ(As<Name>(cls->cls)->id, "Point");
  ASSERT_EQ(cls->patterns.size(), 1u);
  ASSERT_EQ(cls->kwd_attrs.size(), 1u);
  EXPECT_EQ(cls->kwd_attrs[0], "y");
  ASSERT_EQ(cls->kwd_patterns.size(), 1u);
  EXPECT_EQ(cls->kwd_patterns[0]->kind, PatternKind::kMatchValue);

  const Pattern* second = m->cases[1]->pattern;
  ASSERT_EQ(second->kind, PatternKind::kMatchOr);
  std::vector<PatternKind> kinds;
  for (const Pattern* alt : second->patterns) kinds.push_back(alt->kind);
  EXPECT_THAT(kinds,
              ElementsAre(PatternKind::kMatchSingleton, PatternKind::kMatchValue,
                          PatternKind::kMatchValue, PatternKind::kMatchValue, PatternKind::kMatchAs,
                          PatternKind::kMatchAs, PatternKind::kMatchSequence));
  EXPECT_NE(As<UnaryOp>(second->patterns[1]->value), nullptr);  // -1
  EXPECT_NE(As<BinOp>(second->patterns[2]->value), nullptr);    // 1+2j
  EXPECT_NE(As<Attribute>(second->patterns[3]->value), nullptr);
  // "_" is a wildcard: a MatchAs without a name or a sub-pattern.
  EXPECT_EQ(second->patterns[4]->name, "");
  EXPECT_EQ(second->patterns[4]->pattern, nullptr);
  // (q) is a capture.
  EXPECT_EQ(second->patterns[5]->name, "q");
  // *_ binds nothing.
  ASSERT_EQ(second->patterns[6]->patterns.size(), 1u);
  EXPECT_EQ(second->patterns[6]->patterns[0]->kind, PatternKind::kMatchStar);
  EXPECT_EQ(second->patterns[6]->patterns[0]->name, "");
  EXPECT_EQ(CheckParseInvariants(q.text(), q.result()), "");
  // A star pattern only goes inside a sequence pattern.
  ExpectFirstError("match x:\n    case None | *_:\n        pass\n", "invalid syntax");
}

TEST(ParserTest, OpenSequencePatternAndTupleSubject) {
  Parsed p("match x, y:\n    case a, *b:\n        pass\n    case (1, 2):\n        pass\n");
  ASSERT_TRUE(p.ok()) << p.Errors();
  const MatchStmt* m = p.Stmt<MatchStmt>(0);
  ASSERT_NE(m, nullptr);
  EXPECT_NE(As<Tuple>(m->subject), nullptr);
  EXPECT_EQ(m->cases[0]->pattern->kind, PatternKind::kMatchSequence);
  EXPECT_EQ(m->cases[0]->pattern->patterns.size(), 2u);
  EXPECT_EQ(m->cases[1]->pattern->kind, PatternKind::kMatchSequence);
}

TEST(ParserTest, MatchAndCaseAsIdentifiers) {
  Parsed p(
      "match = 1\n"
      "match.x = case\n"
      "match(x)\n"
      "match[x]\n"
      "case = match\n"
      "print(match, case)\n"
      "match -x:\n"
      "    case _:\n"
      "        pass\n");
  ASSERT_TRUE(p.ok()) << p.Errors();
  EXPECT_THAT(p.Kinds(),
              ElementsAre(StmtKind::kAssign, StmtKind::kAssign, StmtKind::kExpr, StmtKind::kExpr,
                          StmtKind::kAssign, StmtKind::kExpr, StmtKind::kMatch));
  EXPECT_NE(As<Call>(ExprOf(p, 2)), nullptr);
  EXPECT_NE(As<Subscript>(ExprOf(p, 3)), nullptr);
  EXPECT_NE(As<UnaryOp>(p.Stmt<MatchStmt>(6)->subject), nullptr);
}

// ---------------------------------------------------------------------------------------------
// Definitions

TEST(ParserTest, TypeAliasesAndTypeParameters) {
  Parsed p(
      "type X = int\n"
      "type L[T: int = str, *Ts, **P] = list[T]\n"
      "def f[T](x: T) -> T: pass\n"
      "class C[T: (int, str)]: pass\n"
      "type = 1\n"
      "type(x)\n");
  ASSERT_TRUE(p.ok()) << p.Errors();
  EXPECT_THAT(p.Kinds(),
              ElementsAre(StmtKind::kTypeAlias, StmtKind::kTypeAlias, StmtKind::kFunctionDef,
                          StmtKind::kClassDef, StmtKind::kAssign, StmtKind::kExpr));
  const TypeAliasStmt* x = p.Stmt<TypeAliasStmt>(0);
  ASSERT_NE(As<Name>(x->name), nullptr);
  EXPECT_EQ(As<Name>(x->name)->id, "X");
  EXPECT_EQ(x->name->ctx, ExprContext::kStore);
  EXPECT_TRUE(x->type_params.empty());

  const TypeAliasStmt* l = p.Stmt<TypeAliasStmt>(1);
  ASSERT_EQ(l->type_params.size(), 3u);
  EXPECT_EQ(l->type_params[0]->kind, TypeParamKind::kTypeVar);
  EXPECT_EQ(l->type_params[0]->name, "T");
  EXPECT_EQ(p.Text(l->type_params[0]->bound->range), "int");
  EXPECT_EQ(p.Text(l->type_params[0]->default_value->range), "str");
  EXPECT_EQ(l->type_params[1]->kind, TypeParamKind::kTypeVarTuple);
  EXPECT_EQ(l->type_params[1]->name, "Ts");
  EXPECT_EQ(l->type_params[2]->kind, TypeParamKind::kParamSpec);
  EXPECT_EQ(l->type_params[2]->name, "P");
  EXPECT_EQ(p.Text(l->value->range), "list[T]");

  ASSERT_EQ(p.Stmt<FunctionDefStmt>(2)->type_params.size(), 1u);
  const ClassDefStmt* c = p.Stmt<ClassDefStmt>(3);
  ASSERT_EQ(c->type_params.size(), 1u);
  EXPECT_NE(As<Tuple>(c->type_params[0]->bound), nullptr);
  EXPECT_EQ(CheckParseInvariants(p.text(), p.result()), "");
}

TEST(ParserTest, EmptyTypeParameterList) {
  // CPython 3.12's message (3.11 has no type parameters and says "expected '('").
  ExpectFirstError("def f[](): pass\n", "Type parameter list cannot be empty");
}

TEST(ParserTest, Decorators) {
  Parsed p("@a\n@b.c(1)\n@(lambda f: f)\ndef f(): pass\n@d\nclass C: pass\n");
  ASSERT_TRUE(p.ok()) << p.Errors();
  const FunctionDefStmt* f = p.Stmt<FunctionDefStmt>(0);
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(f->decorators.size(), 3u);
  EXPECT_EQ(p.Text(f->decorators[0]->range), "a");
  EXPECT_NE(As<Call>(f->decorators[1]), nullptr);
  EXPECT_NE(As<Lambda>(f->decorators[2]), nullptr);
  // As in CPython, the def starts at "def", after its decorators.
  EXPECT_EQ(p.Text(f->range), "def f(): pass");
  EXPECT_EQ(p.Text(f->name_range), "f");
  const ClassDefStmt* c = p.Stmt<ClassDefStmt>(1);
  ASSERT_NE(c, nullptr);
  ASSERT_EQ(c->decorators.size(), 1u);
  EXPECT_EQ(p.Text(c->range), "class C: pass");
  EXPECT_EQ(CheckParseInvariants(p.text(), p.result()), "");
}

TEST(ParserTest, AsyncForms) {
  Parsed p(
      "async def f():\n"
      "    async for x in y: pass\n"
      "    async with a as b: pass\n"
      "    await z\n"
      "    [i async for i in j]\n");
  ASSERT_TRUE(p.ok()) << p.Errors();
  const FunctionDefStmt* f = p.Stmt<FunctionDefStmt>(0);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(f->is_async);
  ASSERT_THAT(Parsed::KindsOf(f->body),
              ElementsAre(StmtKind::kFor, StmtKind::kWith, StmtKind::kExpr, StmtKind::kExpr));
  EXPECT_TRUE(f->body[0]->As<ForStmt>()->is_async);
  EXPECT_TRUE(f->body[1]->As<WithStmt>()->is_async);
  EXPECT_NE(As<Await>(f->body[2]->As<ExprStmt>()->value), nullptr);
  const ListComp* lc = As<ListComp>(f->body[3]->As<ExprStmt>()->value);
  ASSERT_NE(lc, nullptr);
  EXPECT_TRUE(lc->generators[0]->is_async);
}

TEST(ParserTest, TryExceptStarFinally) {
  Parsed p(
      "try:\n"
      "    pass\n"
      "except* (E, F) as err:\n"
      "    pass\n"
      "except* G:\n"
      "    pass\n"
      "else:\n"
      "    x = 1\n"
      "finally:\n"
      "    y = 2\n");
  ASSERT_TRUE(p.ok()) << p.Errors();
  const TryStmt* t = p.Stmt<TryStmt>(0);
  ASSERT_NE(t, nullptr);
  EXPECT_TRUE(t->is_star);
  ASSERT_EQ(t->handlers.size(), 2u);
  EXPECT_EQ(t->handlers[0]->name, "err");
  EXPECT_EQ(p.Text(t->handlers[0]->name_range), "err");
  EXPECT_NE(As<Tuple>(t->handlers[0]->type), nullptr);
  EXPECT_EQ(t->handlers[1]->name, "");
  EXPECT_EQ(p.Text(t->handlers[1]->range), "except* G:\n    pass");
  EXPECT_EQ(t->orelse.size(), 1u);
  EXPECT_EQ(t->finalbody.size(), 1u);
  EXPECT_EQ(p.Text(t->range), p.text().substr(0, p.text().size() - 1));

  Parsed plain("try:\n    pass\nexcept:\n    pass\n");
  ASSERT_TRUE(plain.ok()) << plain.Errors();
  EXPECT_FALSE(plain.Stmt<TryStmt>(0)->is_star);
  EXPECT_EQ(plain.Stmt<TryStmt>(0)->handlers[0]->type, nullptr);

  ExpectFirstError("try:\n    pass\nexcept E:\n    pass\nexcept* F:\n    pass\n",
                   "cannot have both 'except' and 'except*' on the same 'try'");
}

TEST(ParserTest, ImportForms) {
  Parsed p(
      "import a.b.c as d, e\n"
      "from ..m.n import (x as y, z,)\n"
      "from . import w\n"
      "from q import *\n"
      "from ....r import s\n");
  ASSERT_TRUE(p.ok()) << p.Errors();
  const ImportStmt* i = p.Stmt<ImportStmt>(0);
  ASSERT_NE(i, nullptr);
  ASSERT_EQ(i->names.size(), 2u);
  EXPECT_EQ(i->names[0]->name, "a.b.c");
  EXPECT_EQ(i->names[0]->asname, "d");
  EXPECT_EQ(p.Text(i->names[0]->asname_range), "d");
  EXPECT_EQ(p.Text(i->names[0]->range), "a.b.c as d");
  EXPECT_EQ(i->names[1]->name, "e");
  EXPECT_EQ(i->names[1]->asname, "");

  const ImportFromStmt* f = p.Stmt<ImportFromStmt>(1);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->module, "m.n");
  EXPECT_EQ(f->level, 2);
  ASSERT_EQ(f->names.size(), 2u);
  EXPECT_EQ(f->names[0]->name, "x");
  EXPECT_EQ(f->names[0]->asname, "y");
  EXPECT_EQ(f->names[1]->name, "z");

  const ImportFromStmt* dot = p.Stmt<ImportFromStmt>(2);
  ASSERT_NE(dot, nullptr);
  EXPECT_EQ(dot->module, "");
  EXPECT_EQ(dot->level, 1);

  const ImportFromStmt* star = p.Stmt<ImportFromStmt>(3);
  ASSERT_NE(star, nullptr);
  EXPECT_EQ(star->level, 0);
  ASSERT_EQ(star->names.size(), 1u);
  EXPECT_EQ(star->names[0]->name, "*");

  // "...." is an ellipsis token and a dot: four levels.
  const ImportFromStmt* deep = p.Stmt<ImportFromStmt>(4);
  ASSERT_NE(deep, nullptr);
  EXPECT_EQ(deep->level, 4);
  EXPECT_EQ(deep->module, "r");

  ExpectFirstError("import a as b.c\n", "invalid syntax");
  ExpectFirstError("from a import b.c\n", "invalid syntax");
}

TEST(ParserTest, GlobalAndNonlocal) {
  Parsed p("def f():\n    global a, b\n    def g():\n        nonlocal c\n");
  ASSERT_TRUE(p.ok()) << p.Errors();
  const FunctionDefStmt* f = p.Stmt<FunctionDefStmt>(0);
  ASSERT_NE(f, nullptr);
  const GlobalStmt* g = f->body[0]->As<GlobalStmt>();
  ASSERT_NE(g, nullptr);
  EXPECT_THAT(g->names, ElementsAre("a", "b"));
  ASSERT_EQ(g->name_ranges.size(), 2u);
  EXPECT_EQ(p.Text(g->name_ranges[1]), "b");
  const NonlocalStmt* n = f->body[1]->As<FunctionDefStmt>()->body[0]->As<NonlocalStmt>();
  ASSERT_NE(n, nullptr);
  EXPECT_THAT(n->names, ElementsAre("c"));
}

TEST(ParserTest, NfkcNormalizedNames) {
  Parsed p("\xef\xac\x81le = caf\xc3\xa9\n");
  ASSERT_TRUE(p.ok()) << p.Errors();
  const AssignStmt* a = p.Stmt<AssignStmt>(0);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(As<Name>(a->targets[0])->id, "file");
  EXPECT_EQ(As<Name>(a->value)->id, "caf\xc3\xa9");
}

// ---------------------------------------------------------------------------------------------
// Names

struct NameAt {
  std::string name;
  std::string use;
  uint32_t line;
  uint32_t col;
  bool operator==(const NameAt&) const = default;
};

void PrintTo(const NameAt& n, std::ostream* os) {
  *os << n.name << " " << n.use << " " << n.line << ":" << n.col;
}

std::vector<NameAt> NamesOf(const Parsed& p) {
  LineIndex lines(p.text());
  std::vector<NameAt> out;
  for (const NameOccurrence& n : CollectNames(p.result().module)) {
    LineCol lc = lines.Lookup(n.offset);
    out.push_back({std::string(n.name), std::string(NameUseName(n.use)), lc.line, lc.col});
  }
  return out;
}

TEST(ParserTest, FStringReplacementFieldsAreNames) {
  // Positions as CPython 3.11's ast reports them.
  Parsed p(
      "x = f\"{a} {b!r:{c}}\"\n"
      "y = f'''\n"
      "{d}'''\n"
      "z = f'{e=}' f\"{f'{g}'}\"\n");
  ASSERT_TRUE(p.ok()) << p.Errors();
  EXPECT_THAT(NamesOf(p), ElementsAre(NameAt{"x", "store", 1, 0}, NameAt{"a", "load", 1, 7},
                                      NameAt{"b", "load", 1, 11}, NameAt{"c", "load", 1, 16},
                                      NameAt{"y", "store", 2, 0}, NameAt{"d", "load", 3, 1},
                                      NameAt{"z", "store", 4, 0}, NameAt{"e", "load", 4, 7},
                                      NameAt{"g", "load", 4, 18}));
}

TEST(ParserTest, NameUses) {
  Parsed p(
      "import os.path, numpy as np\n"
      "from m import *\n"
      "def f(a, *b, c=d, **e):\n"
      "    global g\n"
      "    del h\n"
      "    for i in j: pass\n"
      "class K: pass\n"
      "try: pass\n"
      "except E as err: pass\n"
      "obj.attr = fn(kw=val)\n");
  ASSERT_TRUE(p.ok()) << p.Errors();
  EXPECT_THAT(NamesOf(p), ElementsAre(NameAt{"os", "import", 1, 7}, NameAt{"np", "import", 1, 16},
                                      NameAt{"*", "import", 2, 14}, NameAt{"f", "def", 3, 4},
                                      NameAt{"a", "param", 3, 6}, NameAt{"b", "param", 3, 10},
                                      NameAt{"c", "param", 3, 13}, NameAt{"e", "param", 3, 20},
                                      NameAt{"d", "load", 3, 15}, NameAt{"g", "global", 4, 4},
                                      NameAt{"h", "del", 5, 8}, NameAt{"i", "store", 6, 8},
                                      NameAt{"j", "load", 6, 13}, NameAt{"K", "def", 7, 6},
                                      NameAt{"err", "store", 9, 12}, NameAt{"E", "load", 9, 7},
                                      NameAt{"obj", "load", 10, 0}, NameAt{"fn", "load", 10, 11},
                                      NameAt{"val", "load", 10, 17}));
}

// ---------------------------------------------------------------------------------------------
// Error recovery

TEST(ParserTest, RecoversAtTheNextStatement) {
  Parsed p("a = 1\nb = = 2\nc = 3\nd = 4\n");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.FirstError(), "invalid syntax");
  EXPECT_EQ(LineIndex(p.text()).Lookup(p.result().errors[0].start).line, 2u);
  ASSERT_THAT(p.Kinds(), ElementsAre(StmtKind::kAssign, StmtKind::kError, StmtKind::kAssign,
                                     StmtKind::kAssign));
  EXPECT_EQ(p.Text(p.body()[1]->range), "b = = 2");
  EXPECT_EQ(As<Name>(p.Stmt<AssignStmt>(2)->targets[0])->id, "c");
  EXPECT_EQ(As<Name>(p.Stmt<AssignStmt>(3)->targets[0])->id, "d");
  EXPECT_EQ(CheckParseInvariants(p.text(), p.result()), "");
}

// A Python 2 print or exec statement: CPython's range covers the name and the expressions after
// it (end offsets as CPython 3.11 gives them).
TEST(ParserTest, LegacyPrintStatementRange) {
  const struct {
    std::string_view source;
    std::string_view covered;
  } cases[] = {
      {"print r.std_out\n", "print r.std_out"},
      {"print 1 / 0\n", "print 1 / 0"},
      {"print \"{} {}\".format(x, y)\n", "print \"{} {}\".format(x, y)"},
      {"print x y\n", "print x"},
      {"exec code in ns\n", "exec code in ns"},
      {"x = 1\nprint x, y\nz = 2\n", "print x, y"},
  };
  for (const auto& c : cases) {
    Parsed p{std::string(c.source)};
    ASSERT_FALSE(p.ok()) << c.source;
    const SyntaxDiagnostic& e = p.result().errors[0];
    EXPECT_THAT(e.message, HasSubstr("Missing parentheses in call to")) << c.source;
    EXPECT_EQ(p.text().substr(e.start, e.end - e.start), c.covered) << c.source;
    EXPECT_EQ(CheckParseInvariants(p.text(), p.result()), "") << c.source;
  }
}

TEST(ParserTest, ErrorInsideAFunctionKeepsTheNextDefinition) {
  Parsed p("def f():\n    x = = 1\n    y = 2\ndef g():\n    pass\nz = 3\n");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(LineIndex(p.text()).Lookup(p.result().errors[0].start).line, 2u);
  ASSERT_THAT(p.Kinds(),
              ElementsAre(StmtKind::kFunctionDef, StmtKind::kFunctionDef, StmtKind::kAssign));
  const FunctionDefStmt* f = p.Stmt<FunctionDefStmt>(0);
  EXPECT_THAT(Parsed::KindsOf(f->body), ElementsAre(StmtKind::kError, StmtKind::kAssign));
  EXPECT_EQ(p.Stmt<FunctionDefStmt>(1)->name, "g");
  EXPECT_EQ(CheckParseInvariants(p.text(), p.result()), "");
  // Names still come out of the parts that parsed.
  EXPECT_THAT(NamesOf(p), testing::Contains(NameAt{"g", "def", 4, 4}));
}

TEST(ParserTest, ErrorInACompoundHeaderSkipsItsBlock) {
  Parsed p("if x y:\n    a = 1\n    b = 2\nc = 3\n");
  ASSERT_FALSE(p.ok());
  ASSERT_THAT(p.Kinds(), ElementsAre(StmtKind::kError, StmtKind::kAssign));
  EXPECT_EQ(As<Name>(p.Stmt<AssignStmt>(1)->targets[0])->id, "c");
  EXPECT_EQ(CheckParseInvariants(p.text(), p.result()), "");
}

TEST(ParserTest, EveryErrorIsReportedInSourceOrder) {
  Parsed p("a = = 1\nb = 2\nc = = 3\n");
  ASSERT_EQ(p.result().errors.size(), 2u) << p.Errors();
  EXPECT_LT(p.result().errors[0].start, p.result().errors[1].start);
  EXPECT_THAT(p.Kinds(), ElementsAre(StmtKind::kError, StmtKind::kAssign, StmtKind::kError));
}

// ---------------------------------------------------------------------------------------------
// Depth limits: deep input fails with a clear error instead of overflowing the stack.

void ExpectTooDeep(const std::string& text) {
  Parsed p(text);
  ASSERT_FALSE(p.ok());
  bool found = false;
  for (const SyntaxDiagnostic& d : p.result().errors) {
    if (d.message.find("too many nested") != std::string::npos) found = true;
  }
  EXPECT_TRUE(found) << p.Errors().substr(0, 500);
  EXPECT_EQ(CheckParseInvariants(p.text(), p.result()), "");
  // The tree that is there can be walked.
  CollectNames(p.result().module);
  std::string dump = p.Dump();
  EXPECT_THAT(dump, HasSubstr("Error"));
}

std::string Repeat(std::string_view piece, int n) {
  std::string out;
  out.reserve(piece.size() * n);
  for (int i = 0; i < n; ++i) out.append(piece);
  return out;
}

constexpr int kHuge = 100000;

TEST(ParserTest, HugeNestingOfParentheses) {
  ExpectTooDeep(StrCat(Repeat("(", kHuge), "\n"));
  ExpectTooDeep(StrCat("x = ", Repeat("(", kHuge), "1", Repeat(")", kHuge), "\n"));
  ExpectTooDeep(StrCat(Repeat("[", kHuge), "\n"));
}

TEST(ParserTest, HugeChainOfNot) { ExpectTooDeep(StrCat(Repeat("not ", kHuge), "a\n")); }

TEST(ParserTest, HugeChainOfUnaryMinus) { ExpectTooDeep(StrCat(Repeat("-", kHuge), "a\n")); }

TEST(ParserTest, HugeSum) { ExpectTooDeep(StrCat("a", Repeat("+a", kHuge - 1), "\n")); }

TEST(ParserTest, HugeAttributeChain) { ExpectTooDeep(StrCat("a", Repeat(".x", kHuge), "\n")); }

TEST(ParserTest, HugeNestingOfLambdas) { ExpectTooDeep(StrCat(Repeat("lambda: ", kHuge), "1\n")); }

TEST(ParserTest, HugeOtherChains) {
  ExpectTooDeep(StrCat("f", Repeat("()", kHuge), "\n"));
  ExpectTooDeep(StrCat("a", Repeat("[0]", kHuge), "\n"));
  ExpectTooDeep(StrCat(Repeat("a if b else ", kHuge), "c\n"));
  ExpectTooDeep(StrCat(Repeat("a ** ", kHuge), "b\n"));
}

// CPython 3.11 accepts each of these at 1,000 (and fails near 5,000).
TEST(ParserTest, ModerateDepthIsFine) {
  constexpr int kDeep = 1000;
  const std::string kTexts[] = {
      StrCat(Repeat("not ", kDeep), "a\n"),
      StrCat("a", Repeat("+a", kDeep), "\n"),
      StrCat("a", Repeat(".x", kDeep), "\n"),
      StrCat("f", Repeat("()", kDeep), "\n"),
      StrCat(Repeat("-", kDeep), "a\n"),
      StrCat(Repeat("a if b else ", kDeep), "c\n"),
      StrCat(Repeat("lambda: ", kDeep), "1\n"),
      StrCat(Repeat("(", 200), "a", Repeat(")", 200), "\n"),
  };
  for (const std::string& text : kTexts) {
    Parsed p(text);
    EXPECT_TRUE(p.ok()) << text.substr(0, 40) << p.Errors();
  }
}

TEST(ParserTest, MaxDepthOption) {
  Parsed shallow(Repeat("not ", 100) + "a\n", /*ipython=*/false, /*max_depth=*/50);
  EXPECT_THAT(shallow.FirstError(), HasSubstr("too many nested"));
  EXPECT_THAT(shallow.FirstError(), HasSubstr("50"));
  Parsed fine(Repeat("not ", 20) + "a\n", /*ipython=*/false, /*max_depth=*/50);
  EXPECT_TRUE(fine.ok()) << fine.Errors();
}

// ---------------------------------------------------------------------------------------------
// IPython

TEST(ParserTest, IPythonEscapesAreStatements) {
  Parsed p("%matplotlib inline\n%%time\n!ls -l\n!!ls\n?obj\nobj.attr??\nx = 1\n",
           /*ipython=*/true);
  ASSERT_TRUE(p.ok()) << p.Errors();
  ASSERT_THAT(p.Kinds(),
              ElementsAre(StmtKind::kIpyEscape, StmtKind::kIpyEscape, StmtKind::kIpyEscape,
                          StmtKind::kIpyEscape, StmtKind::kIpyEscape, StmtKind::kIpyEscape,
                          StmtKind::kAssign));
  const IpyEscapeKind kKinds[] = {IpyEscapeKind::kMagic, IpyEscapeKind::kCellMagic,
                                  IpyEscapeKind::kShell, IpyEscapeKind::kShellCapture,
                                  IpyEscapeKind::kHelp,  IpyEscapeKind::kHelp2};
  const std::string_view kTexts[] = {"%matplotlib inline", "%%time", "!ls -l", "!!ls", "?obj",
                                     "obj.attr??"};
  for (size_t i = 0; i < 6; ++i) {
    const IpyEscapeStmt* s = p.Stmt<IpyEscapeStmt>(i);
    EXPECT_EQ(s->escape_kind, kKinds[i]) << kTexts[i];
    EXPECT_EQ(s->text, kTexts[i]);
  }
  EXPECT_EQ(CheckParseInvariants(p.text(), p.result()), "");
}

// IPython's autocall: "/f 1" is f(1), ",f a b" is f("a", "b"), ";f a b" is f("a b").
TEST(ParserTest, IPythonAutocallEscapes) {
  Parsed p("/print 1\n,print a b\n;print a b\nx = [1,\n  2]\n", /*ipython=*/true);
  ASSERT_TRUE(p.ok()) << p.Errors();
  ASSERT_THAT(p.Kinds(), ElementsAre(StmtKind::kIpyEscape, StmtKind::kIpyEscape,
                                     StmtKind::kIpyEscape, StmtKind::kAssign));
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(p.Stmt<IpyEscapeStmt>(i)->escape_kind, IpyEscapeKind::kAutocall);
  }
  EXPECT_EQ(p.Stmt<IpyEscapeStmt>(1)->text, ",print a b");
  EXPECT_EQ(CheckParseInvariants(p.text(), p.result()), "");
}

TEST(ParserTest, IPythonEscapeAsAssignedValue) {
  Parsed p("x = !ls\nfiles = %sx ls\n", /*ipython=*/true);
  ASSERT_TRUE(p.ok()) << p.Errors();
  const AssignStmt* a = p.Stmt<AssignStmt>(0);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(As<Name>(a->targets[0])->id, "x");
  const IpyEscapeExpr* e = As<IpyEscapeExpr>(a->value);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->text, "!ls");
  const IpyEscapeExpr* m = As<IpyEscapeExpr>(p.Stmt<AssignStmt>(1)->value);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->text, "%sx ls");
  EXPECT_THAT(NamesOf(p), ElementsAre(NameAt{"x", "store", 1, 0}, NameAt{"files", "store", 2, 0}));
}

TEST(ParserTest, IPythonEscapesAreErrorsInPlainPython) {
  for (std::string_view text : {"!ls\n", "%time x\n", "x = !ls\n", "?obj\n"}) {
    Parsed p{std::string(text)};
    EXPECT_FALSE(p.ok()) << text;
    EXPECT_EQ(CheckParseInvariants(p.text(), p.result()), "");
  }
}

// ---------------------------------------------------------------------------------------------
// Invariants over generated input

uint64_t NextRandom(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Lines of plausible Python fragments glued at random: mostly near-valid code.
std::string RandomProgram(uint64_t* state, bool indent) {
  static constexpr std::string_view kPieces[] = {
      "x",       "y",       " = ",   "(",      ")",     "[",      "]",     "{",      "}",
      ", ",      ": ",      "if ",   "else ",  "for ",  " in ",   "def ",  "class ", "return ",
      "lambda ", "yield ",  "not ",  " and ",  " + ",   " * ",    " ** ",  ".",      "1",
      "'s'",     "f'{x}'",  "f'{",   "match ", "case ", "*",      "**",    "@",      "=",
      " := ",    "import ", "from ", " as ",   "try",   "except", "with ", "async ", "await ",
      "pass",    "\\\n",    ";",     "#c",     "%",     "!",      "?",     "'''",    "\"",
      "...",     "->",      "|",     "_",
  };
  std::string out;
  int lines = static_cast<int>(NextRandom(state) % 8);
  for (int l = 0; l < lines; ++l) {
    if (indent) out.append(NextRandom(state) % 4 * 2, ' ');
    int n = static_cast<int>(NextRandom(state) % 10);
    for (int i = 0; i < n; ++i) out.append(kPieces[NextRandom(state) % std::size(kPieces)]);
    out.push_back('\n');
  }
  return out;
}

// The tree's and the tokens' invariants (error tokens included) on random programs.
TEST(ParserTest, InvariantsHoldOnRandomPrograms) {
  uint64_t state = 42;
  for (int i = 0; i < 3000; ++i) {
    std::string text = RandomProgram(&state, /*indent=*/i % 2 == 1);
    for (bool ipython : {false, true}) {
      Parsed p(text, ipython);
      ASSERT_EQ(CheckParseInvariants(p.text(), p.result()), "")
          << testing::PrintToString(text) << (ipython ? " (IPython)" : "");
      CollectNames(p.result().module);
    }
  }
}

}  // namespace
}  // namespace cellflow
