// Recursive descent over the token vector, one function per grammar rule of CPython's
// Grammar/python.gram (3.13), with CPython's messages for the common invalid forms.
//
// Error model: the first error in a statement sets the sticky `error_` flag; productions see it
// and return quickly; the statement loop then skips to the next statement boundary, records an
// ErrorStmt over the skipped text, clears the flag and goes on.
#include "parser/parser.h"

#include <algorithm>
#include <cassert>
#include <string>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_format.h"

#include "lexer/str_util.h"
#include "lexer/unicode.h"

namespace cellflow {
namespace {

template <typename T>
using Vec = absl::InlinedVector<T, 8>;

using TK = TokenKind;

// What a target is being validated for (CPython's TARGETS_TYPE plus the other binders).
enum class TargetKind { kAssign, kFor, kDel, kWith, kComprehension };

// CPython's _PyPegen_get_expr_name: how messages call an expression.
std::string_view ExprDescription(const Expr* e) {
  switch (e->kind) {
    case ExprKind::kAttribute:
      return "attribute";
    case ExprKind::kSubscript:
      return "subscript";
    case ExprKind::kStarred:
      return "starred";
    case ExprKind::kName:
      return "name";
    case ExprKind::kList:
      return "list";
    case ExprKind::kTuple:
      return "tuple";
    case ExprKind::kLambda:
      return "lambda";
    case ExprKind::kCall:
      return "function call";
    case ExprKind::kBoolOp:
    case ExprKind::kBinOp:
    case ExprKind::kUnaryOp:
      return "expression";
    case ExprKind::kGeneratorExp:
      return "generator expression";
    case ExprKind::kYield:
    case ExprKind::kYieldFrom:
      return "yield expression";
    case ExprKind::kAwait:
      return "await expression";
    case ExprKind::kListComp:
      return "list comprehension";
    case ExprKind::kSetComp:
      return "set comprehension";
    case ExprKind::kDictComp:
      return "dict comprehension";
    case ExprKind::kDict:
      return "dict literal";
    case ExprKind::kSet:
      return "set display";
    case ExprKind::kJoinedStr:
    case ExprKind::kFormattedValue:
      return "f-string expression";
    case ExprKind::kConstant:
      switch (static_cast<const Constant*>(e)->value_kind) {
        case ConstantKind::kNone:
          return "None";
        case ConstantKind::kTrue:
          return "True";
        case ConstantKind::kFalse:
          return "False";
        case ConstantKind::kEllipsis:
          return "ellipsis";
        default:
          return "literal";
      }
    case ExprKind::kCompare:
      return "comparison";
    case ExprKind::kIfExp:
      return "conditional expression";
    case ExprKind::kNamedExpr:
      return "named expression";
    case ExprKind::kSlice:
      return "slice";
    case ExprKind::kIpyEscape:
      return "IPython escape";
    case ExprKind::kError:
      return "expression";
  }
  return "expression";
}

bool IsSingletonConstant(const Expr* e) {
  const auto* c = e->As<Constant>();
  return c != nullptr &&
         (c->value_kind == ConstantKind::kNone || c->value_kind == ConstantKind::kTrue ||
          c->value_kind == ConstantKind::kFalse);
}

// Binary operator precedence for precedence climbing (0: not a binary operator).
int BinaryPrecedence(TK k) {
  switch (k) {
    case TK::kVBar:
      return 1;
    case TK::kCircumflex:
      return 2;
    case TK::kAmper:
      return 3;
    case TK::kLeftShift:
    case TK::kRightShift:
      return 4;
    case TK::kPlus:
    case TK::kMinus:
      return 5;
    case TK::kStar:
    case TK::kSlash:
    case TK::kDoubleSlash:
    case TK::kPercent:
    case TK::kAt:
      return 6;
    default:
      return 0;
  }
}

BinOpKind BinaryOp(TK k) {
  switch (k) {
    case TK::kVBar:
      return BinOpKind::kBitOr;
    case TK::kCircumflex:
      return BinOpKind::kBitXor;
    case TK::kAmper:
      return BinOpKind::kBitAnd;
    case TK::kLeftShift:
      return BinOpKind::kLShift;
    case TK::kRightShift:
      return BinOpKind::kRShift;
    case TK::kPlus:
      return BinOpKind::kAdd;
    case TK::kMinus:
      return BinOpKind::kSub;
    case TK::kStar:
      return BinOpKind::kMult;
    case TK::kSlash:
      return BinOpKind::kDiv;
    case TK::kDoubleSlash:
      return BinOpKind::kFloorDiv;
    case TK::kPercent:
      return BinOpKind::kMod;
    case TK::kAt:
      return BinOpKind::kMatMult;
    default:
      return BinOpKind::kAdd;
  }
}

// Augmented assignment operators; false if `k` is not one.
bool AugmentedOp(TK k, BinOpKind* op) {
  switch (k) {
    case TK::kPlusEqual:
      *op = BinOpKind::kAdd;
      return true;
    case TK::kMinusEqual:
      *op = BinOpKind::kSub;
      return true;
    case TK::kStarEqual:
      *op = BinOpKind::kMult;
      return true;
    case TK::kAtEqual:
      *op = BinOpKind::kMatMult;
      return true;
    case TK::kSlashEqual:
      *op = BinOpKind::kDiv;
      return true;
    case TK::kPercentEqual:
      *op = BinOpKind::kMod;
      return true;
    case TK::kAmperEqual:
      *op = BinOpKind::kBitAnd;
      return true;
    case TK::kVBarEqual:
      *op = BinOpKind::kBitOr;
      return true;
    case TK::kCircumflexEqual:
      *op = BinOpKind::kBitXor;
      return true;
    case TK::kLeftShiftEqual:
      *op = BinOpKind::kLShift;
      return true;
    case TK::kRightShiftEqual:
      *op = BinOpKind::kRShift;
      return true;
    case TK::kDoubleStarEqual:
      *op = BinOpKind::kPow;
      return true;
    case TK::kDoubleSlashEqual:
      *op = BinOpKind::kFloorDiv;
      return true;
    default:
      return false;
  }
}

class Parser {
 public:
  Parser(std::string_view buf, Offset begin, const std::vector<Token>& toks, Arena* arena,
         std::vector<SyntaxDiagnostic>* errs, const ParseOptions& options)
      : buf_(buf), begin_(begin), toks_(toks), arena_(arena), errs_(errs), options_(options) {}

  Module* ParseFile();

 private:
  // Bounds recursion; past the limit the statement fails with a clear message.
  class DepthGuard {
   public:
    explicit DepthGuard(Parser* p) : p_(p) {
      if (++p_->depth_ > p_->options_.max_depth) p_->FailTooDeep();
    }
    ~DepthGuard() { --p_->depth_; }

   private:
    Parser* p_;
  };

  // Counts the nesting a left-leaning chain adds to the tree (a+b+c, a.b.c, not not x), which
  // the parser builds in a loop but tree walkers later recurse through.
  class ChainDepth {
   public:
    explicit ChainDepth(Parser* p) : p_(p) {}
    ~ChainDepth() { p_->depth_ -= added_; }
    void Grow() {
      ++added_;
      if (++p_->depth_ > p_->options_.max_depth) p_->FailTooDeep();
    }

   private:
    Parser* p_;
    int added_ = 0;
  };

  // State saved for speculative parsing (match statements, parenthesized with-items).
  struct Mark {
    size_t pos;
    Offset prev_end;
  };

  // ---- tokens
  const Token& Cur() const { return toks_[p_]; }
  const Token& Peek(size_t n = 1) const { return toks_[std::min(p_ + n, toks_.size() - 1)]; }
  TK Kind() const { return toks_[p_].kind; }
  bool At(TK k) const { return toks_[p_].kind == k; }
  void Advance() {
    // Layout tokens do not extend a node: a block ends with its last statement.
    TK k = toks_[p_].kind;
    if (k != TK::kNewline && k != TK::kIndent && k != TK::kDedent) prev_end_ = toks_[p_].end;
    if (p_ + 1 < toks_.size()) ++p_;
  }
  bool Accept(TK k) {
    if (!At(k)) return false;
    Advance();
    return true;
  }
  std::string_view Text(const Token& t) const { return buf_.substr(t.start, t.end - t.start); }
  bool AtSoft(std::string_view keyword) const { return At(TK::kName) && Text(Cur()) == keyword; }
  Mark Save() const { return Mark{p_, prev_end_}; }
  void Restore(Mark m) {
    p_ = m.pos;
    prev_end_ = m.prev_end;
  }
  uint32_t LineOf(Offset off) const {
    uint32_t line = 1;
    for (size_t i = begin_; i < off && i < buf_.size(); ++i) {
      if (buf_[i] == '\n') {
        ++line;
      } else if (buf_[i] == '\r') {
        if (i + 1 < buf_.size() && buf_[i + 1] == '\n') ++i;
        ++line;
      }
    }
    return line;
  }

  // ---- errors
  void Fail(Offset start, Offset end, std::string message,
            SyntaxErrorKind kind = SyntaxErrorKind::kSyntax) {
    if (error_) return;
    error_ = true;
    if (speculating_ > 0) return;
    errs_->push_back(SyntaxDiagnostic{start, end, kind, std::move(message), Cur().end});
  }
  void FailAt(const Token& t, std::string message) {
    if (t.kind == TK::kUnknown) {
      // The lexer has reported this token already.
      error_ = true;
      return;
    }
    Fail(t.start, t.end, std::move(message));
  }
  void FailExpr(const Expr* e, std::string message) {
    Fail(e->range.start, e->range.end, std::move(message));
  }
  void FailUnexpected() { FailAt(Cur(), "invalid syntax"); }
  void FailTooDeep() {
    Fail(Cur().start, Cur().end,
         StrCat("too many nested expressions or blocks (the limit is ", options_.max_depth, ")"));
  }
  bool Expect(TK k) {
    if (Accept(k)) return true;
    if (k == TK::kColon) {
      FailAt(Cur(), "expected ':'");
    } else {
      FailUnexpected();
    }
    return false;
  }

  // ---- node helpers
  template <typename T>
  T* NewExpr(Offset start) {
    T* e = arena_->New<T>();
    e->range.start = start;
    e->range.end = prev_end_;
    return e;
  }
  template <typename T>
  T* NewStmt(Offset start) {
    T* s = arena_->New<T>();
    s->range.start = start;
    s->range.end = prev_end_;
    return s;
  }
  template <typename T>
  T* Finish(T* node) {
    node->range.end = prev_end_;
    return node;
  }
  template <typename T>
  std::span<T> Copy(const Vec<T>& v) {
    return arena_->Copy(v.data(), v.size());
  }
  Expr* ErrorNode() {
    auto* e = arena_->New<ErrorExpr>();
    e->range = {Cur().start, Cur().start};
    return e;
  }
  Identifier IdentifierOf(const Token& t) {
    std::string_view text = Text(t);
    if ((t.flags & kFlagNonAscii) == 0) return text;
    return arena_->CopyString(NfkcNormalize(text));
  }
  // A Name token's identifier; fails unless the current token is a name.
  bool ExpectName(Identifier* id, Range* range) {
    if (!At(TK::kName)) {
      FailUnexpected();
      return false;
    }
    *id = IdentifierOf(Cur());
    *range = {Cur().start, Cur().end};
    Advance();
    return true;
  }

  bool AtExpressionStart() const;

  // ---- statements
  void ParseStatement(Vec<Stmt*>* out);
  void Recover();
  StmtList ParseBlock(Offset header_start, std::string_view what);
  void ParseSimpleStatements(Vec<Stmt*>* out);
  Stmt* ParseSimpleStatement();
  Stmt* ParseExpressionStatement();
  Stmt* ParseIf();
  Stmt* ParseWhile();
  Stmt* ParseFor(Offset start, bool is_async);
  Stmt* ParseWith(Offset start, bool is_async);
  bool ParseParenthesizedWithItems(Vec<WithItem*>* items);
  WithItem* ParseWithItem();
  Stmt* ParseTry();
  Stmt* ParseDecorated();
  Stmt* ParseFunctionDef(Offset start, bool is_async, ExprList decorators);
  Stmt* ParseClassDef(ExprList decorators);
  Stmt* TryParseMatch();
  Stmt* ParseImport();
  Stmt* ParseFromImport();
  Stmt* ParseGlobal(bool nonlocal);
  Stmt* ParseTypeAlias();
  TypeParamList ParseTypeParams();
  Arguments* ParseParameters(bool lambda);
  Arg* ParseParameter(bool lambda, bool star_annotation);

  // ---- expressions
  Expr* ParseStarExpressions();
  Expr* ParseStarExpression();
  Expr* ParseStarNamedExpression();
  Expr* ParseNamedExpression();
  Expr* ParseExpression();
  Expr* ParseDisjunction();
  Expr* ParseConjunction();
  Expr* ParseInversion();
  Expr* ParseComparison();
  Expr* ParseBinary(int min_precedence);
  Expr* ParseFactor();
  Expr* ParsePower();
  Expr* ParsePrimary(bool allow_await);
  Expr* ParseAtom();
  Expr* ParseParenthesized();
  Expr* ParseListDisplay();
  Expr* ParseBraceDisplay();
  Expr* ParseLambda();
  Expr* ParseYieldExpression();
  Expr* ParseCall(Expr* func);
  Expr* ParseSlices();
  Expr* ParseSlice();
  Expr* ParseStrings();
  void ParseFString(Vec<Expr*>* parts);
  Expr* ParseReplacementField();
  Expr* ParseNumber();
  ComprehensionList ParseComprehensionClauses();
  Expr* ParseStarTargets(TargetKind kind);
  Expr* ParseStarTarget();
  Expr* ParseTupleRest(Expr* first, Offset start, Expr* (Parser::*element)());

  // ---- targets
  const Expr* InvalidTarget(const Expr* e, TargetKind kind) const;
  bool CheckTarget(Expr* e, TargetKind kind);
  void SetContext(Expr* e, ExprContext ctx);

  // ---- patterns
  MatchCase* ParseCaseBlock();
  Pattern* ParsePatterns();
  Pattern* ParseMaybeStarPattern();
  Pattern* ParsePattern();
  Pattern* ParseOrPattern();
  Pattern* ParseClosedPattern();
  Pattern* ParseSequencePattern(TK close, Offset start);
  Pattern* ParseMappingPattern();
  Pattern* ParseClassPattern(Expr* cls, Offset start);
  Expr* ParseLiteralPatternValue();
  Expr* ParseSignedNumber();
  Expr* ParseDottedNameExpr();
  Pattern* NewPattern(PatternKind kind, Offset start) {
    auto* p = arena_->New<Pattern>();
    p->kind = kind;
    p->range = {start, prev_end_};
    return p;
  }

  // Immutable state.
  std::string_view buf_;
  Offset begin_;
  const std::vector<Token>& toks_;
  Arena* arena_;
  std::vector<SyntaxDiagnostic>* errs_;
  const ParseOptions options_;

  // Parsing state.
  size_t p_ = 0;                // index of the current token
  Offset prev_end_ = 0;         // end of the last consumed token
  bool error_ = false;          // sticky within one statement
  int depth_ = 0;               // recursion depth (DepthGuard)
  uint32_t scopes_opened_ = 0;  // defs, classes, lambdas and comprehensions made so far
  int speculating_ = 0;         // > 0: errors are not recorded (backtracking)
};

bool Parser::AtExpressionStart() const {
  switch (Kind()) {
    case TK::kName:
    case TK::kNumber:
    case TK::kString:
    case TK::kFStringStart:
    case TK::kLPar:
    case TK::kLSqb:
    case TK::kLBrace:
    case TK::kMinus:
    case TK::kPlus:
    case TK::kTilde:
    case TK::kNot:
    case TK::kLambda:
    case TK::kAwait:
    case TK::kNone:
    case TK::kTrue:
    case TK::kFalse:
    case TK::kEllipsis:
    case TK::kStar:
    case TK::kYield:
    case TK::kUnknown:
      return true;
    default:
      return false;
  }
}

// ============================================================================================
// Statements

// file: [statements] ENDMARKER
Module* Parser::ParseFile() {
  Vec<Stmt*> body;
  prev_end_ = Cur().start;
  while (!At(TK::kEndOfFile)) {
    if (At(TK::kNewline) || At(TK::kDedent)) {
      Advance();
      continue;
    }
    const size_t first = body.size();
    const uint32_t scopes_before = scopes_opened_;
    ParseStatement(&body);
    if (scopes_opened_ != scopes_before) {
      for (size_t i = first; i < body.size(); ++i) body[i]->opens_scope = true;
    }
  }
  auto* module = arena_->New<Module>();
  module->body = Copy(body);
  return module;
}

// statement: compound_stmt | simple_stmts
// Handles errors: on failure, skips to the next statement and leaves an ErrorStmt.
void Parser::ParseStatement(Vec<Stmt*>* out) {
  Offset start = Cur().start;
  size_t first = p_;
  {
    DepthGuard guard(this);
    if (!error_) {
      Stmt* s = nullptr;
      switch (Kind()) {
        case TK::kIndent:
          Fail(Cur().start, Cur().end, "unexpected indent", SyntaxErrorKind::kIndentation);
          break;
        case TK::kIf:
          s = ParseIf();
          break;
        case TK::kWhile:
          s = ParseWhile();
          break;
        case TK::kFor:
          s = ParseFor(start, /*is_async=*/false);
          break;
        case TK::kWith:
          s = ParseWith(start, /*is_async=*/false);
          break;
        case TK::kTry:
          s = ParseTry();
          break;
        case TK::kAt:
          s = ParseDecorated();
          break;
        case TK::kDef:
          s = ParseFunctionDef(start, /*is_async=*/false, {});
          break;
        case TK::kClass:
          s = ParseClassDef({});
          break;
        case TK::kAsync:
          Advance();
          if (At(TK::kDef)) {
            s = ParseFunctionDef(start, /*is_async=*/true, {});
          } else if (At(TK::kFor)) {
            s = ParseFor(start, /*is_async=*/true);
          } else if (At(TK::kWith)) {
            s = ParseWith(start, /*is_async=*/true);
          } else {
            FailUnexpected();
          }
          break;
        case TK::kName:
          if (AtSoft("match")) s = TryParseMatch();
          if (s == nullptr && !error_) ParseSimpleStatements(out);
          break;
        default:
          ParseSimpleStatements(out);
          break;
      }
      if (s != nullptr && !error_) out->push_back(s);
    }
  }
  if (!error_) return;
  if (p_ == first && (At(TK::kDedent) || At(TK::kEndOfFile))) {
    // Nothing to skip (e.g. a block ended where a statement was required).
  } else {
    Recover();
  }
  auto* bad = arena_->New<ErrorStmt>();
  bad->range = {start, std::max(start, prev_end_)};
  out->push_back(bad);
  error_ = false;
}

// Skips to the end of the current logical line; an indented block right after it belongs to
// the failed statement and is skipped too.
void Parser::Recover() {
  int depth = 0;
  while (!At(TK::kEndOfFile)) {
    switch (Kind()) {
      case TK::kIndent:
        ++depth;
        Advance();
        break;
      case TK::kDedent:
        if (depth == 0) return;
        Advance();
        if (--depth == 0) return;
        break;
      case TK::kNewline:
        Advance();
        if (depth == 0 && !At(TK::kIndent)) return;
        break;
      default:
        Advance();
        break;
    }
  }
}

// block: NEWLINE INDENT statements DEDENT | simple_stmts
StmtList Parser::ParseBlock(Offset header_start, std::string_view what) {
  if (error_) return {};
  Vec<Stmt*> body;
  if (Accept(TK::kNewline)) {
    if (!At(TK::kIndent)) {
      Fail(Cur().start, Cur().end,
           absl::StrFormat("expected an indented block after %s on line %d", what,
                           LineOf(header_start)),
           SyntaxErrorKind::kIndentation);
      return {};
    }
    Advance();
    while (!At(TK::kDedent) && !At(TK::kEndOfFile)) {
      ParseStatement(&body);
    }
    Accept(TK::kDedent);
    return Copy(body);
  }
  ParseSimpleStatements(&body);
  return Copy(body);
}

// simple_stmts: simple_stmt (';' simple_stmt)* [';'] NEWLINE
void Parser::ParseSimpleStatements(Vec<Stmt*>* out) {
  while (true) {
    Stmt* s = ParseSimpleStatement();
    if (error_) return;
    out->push_back(s);
    if (!Accept(TK::kSemi)) break;
    if (At(TK::kNewline)) break;
  }
  if (!Accept(TK::kNewline)) FailUnexpected();
}

Stmt* Parser::ParseSimpleStatement() {
  Offset start = Cur().start;
  switch (Kind()) {
    case TK::kPass:
      Advance();
      return NewStmt<PassStmt>(start);
    case TK::kBreak:
      Advance();
      return NewStmt<BreakStmt>(start);
    case TK::kContinue:
      Advance();
      return NewStmt<ContinueStmt>(start);
    case TK::kReturn: {
      Advance();
      auto* s = NewStmt<ReturnStmt>(start);
      if (AtExpressionStart()) s->value = ParseStarExpressions();
      return Finish(s);
    }
    case TK::kRaise: {
      Advance();
      auto* s = NewStmt<RaiseStmt>(start);
      if (AtExpressionStart()) {
        s->exc = ParseExpression();
        if (Accept(TK::kFrom)) s->cause = ParseExpression();
      }
      return Finish(s);
    }
    case TK::kGlobal:
      return ParseGlobal(/*nonlocal=*/false);
    case TK::kNonlocal:
      return ParseGlobal(/*nonlocal=*/true);
    case TK::kDel: {
      Advance();
      auto* s = NewStmt<DeleteStmt>(start);
      Vec<Expr*> targets;
      do {
        if (At(TK::kNewline) || At(TK::kSemi)) break;
        Expr* t = ParseStarTarget();
        if (error_) return s;
        if (!CheckTarget(t, TargetKind::kDel)) return s;
        targets.push_back(t);
      } while (Accept(TK::kComma));
      if (targets.empty()) FailUnexpected();
      s->targets = Copy(targets);
      return Finish(s);
    }
    case TK::kAssert: {
      Advance();
      auto* s = NewStmt<AssertStmt>(start);
      s->test = ParseExpression();
      if (Accept(TK::kComma)) s->msg = ParseExpression();
      return Finish(s);
    }
    case TK::kImport:
      return ParseImport();
    case TK::kFrom:
      return ParseFromImport();
    case TK::kIpyEscape: {
      auto* s = NewStmt<IpyEscapeStmt>(start);
      s->text = Text(Cur());
      s->escape_kind = ClassifyIpyEscape(s->text);
      Advance();
      return Finish(s);
    }
    case TK::kName:
      if (AtSoft("type") && Peek(1).kind == TK::kName &&
          (Peek(2).kind == TK::kEqual || Peek(2).kind == TK::kLSqb)) {
        return ParseTypeAlias();
      }
      return ParseExpressionStatement();
    default:
      return ParseExpressionStatement();
  }
}

// Expression statements and every assignment form:
//   assignment: NAME ':' expression ['=' annotated_rhs]
//             | ('(' single_target ')' | single_subscript_attribute_target) ':' expression ['='
//             annotated_rhs] | (star_targets '=')+ (yield_expr | star_expressions) | single_target
//             augassign (yield_expr | star_expressions)
//   star_expressions
Stmt* Parser::ParseExpressionStatement() {
  Offset start = Cur().start;
  if (!AtExpressionStart()) {
    FailUnexpected();
    return nullptr;
  }
  Expr* first = At(TK::kYield) ? ParseYieldExpression() : ParseStarExpressions();
  if (error_) return nullptr;
  auto rhs = [this]() -> Expr* {
    if (At(TK::kYield)) return ParseYieldExpression();
    if (At(TK::kIpyEscape) && options_.ipython) {
      auto* e = NewExpr<IpyEscapeExpr>(Cur().start);
      e->text = Text(Cur());
      Advance();
      return Finish(e);
    }
    return ParseStarExpressions();
  };

  if (At(TK::kEqual)) {
    Vec<Expr*> items{first};
    while (Accept(TK::kEqual)) {
      items.push_back(rhs());
      if (error_) return nullptr;
    }
    auto* s = NewStmt<AssignStmt>(start);
    s->value = items.back();
    items.pop_back();
    for (Expr* t : items) {
      if (!CheckTarget(t, TargetKind::kAssign)) return nullptr;
    }
    s->targets = Copy(items);
    return Finish(s);
  }
  BinOpKind op;
  if (AugmentedOp(Kind(), &op)) {
    Token op_token = Cur();
    if (first->kind != ExprKind::kName && first->kind != ExprKind::kAttribute &&
        first->kind != ExprKind::kSubscript) {
      FailExpr(first, absl::StrFormat("'%s' is an illegal expression for augmented assignment",
                                      ExprDescription(first)));
      return nullptr;
    }
    (void)op_token;
    Advance();
    auto* s = NewStmt<AugAssignStmt>(start);
    SetContext(first, ExprContext::kStore);
    s->target = first;
    s->op = op;
    s->value = rhs();
    return Finish(s);
  }
  if (At(TK::kColon)) {
    const char* bad = first->kind == ExprKind::kTuple  ? "tuple"
                      : first->kind == ExprKind::kList ? "list"
                                                       : nullptr;
    if (bad != nullptr) {
      FailExpr(first, absl::StrFormat("only single target (not %s) can be annotated", bad));
      return nullptr;
    }
    if (first->kind != ExprKind::kName && first->kind != ExprKind::kAttribute &&
        first->kind != ExprKind::kSubscript) {
      FailExpr(first, "illegal target for annotation");
      return nullptr;
    }
    Advance();
    auto* s = NewStmt<AnnAssignStmt>(start);
    SetContext(first, ExprContext::kStore);
    s->target = first;
    s->simple = first->kind == ExprKind::kName && (first->flags & kExprParenthesized) == 0;
    s->annotation = ParseExpression();
    if (Accept(TK::kEqual)) s->value = rhs();
    return Finish(s);
  }
  auto* s = NewStmt<ExprStmt>(start);
  s->value = first;
  if (first->kind == ExprKind::kName && !error_ && AtExpressionStart() && !At(TK::kStar) &&
      !At(TK::kMinus) && !At(TK::kPlus) && !At(TK::kLPar) && !At(TK::kLSqb)) {
    std::string_view name = static_cast<Name*>(first)->id;
    if (name == "print" || name == "exec") {
      // As CPython: the name and the expressions after it ("print x.y, z").
      Mark mark = Save();
      ++speculating_;
      ParseStarExpressions();
      const Offset end = error_ ? Cur().end : prev_end_;
      --speculating_;
      error_ = false;
      Restore(mark);
      Fail(first->range.start, end,
           absl::StrFormat("Missing parentheses in call to '%s'. Did you mean %s(...)?", name,
                           name));
      return nullptr;
    }
  }
  return Finish(s);
}

// if_stmt: 'if' named_expression ':' block (elif_stmt | [else_block])
// The elif chain is built iteratively so that long chains cost no stack.
Stmt* Parser::ParseIf() {
  struct Clause {
    IfStmt* node;
  };
  Vec<IfStmt*> chain;
  Offset start = Cur().start;
  std::string_view what = "'if' statement";
  ChainDepth nesting(this);  // each elif nests one level deeper in the tree
  do {
    nesting.Grow();
    Offset clause_start = Cur().start;
    Advance();  // 'if' or 'elif'
    auto* s = NewStmt<IfStmt>(clause_start);
    s->test = ParseNamedExpression();
    if (!Expect(TK::kColon)) return nullptr;
    s->body = ParseBlock(clause_start, what);
    if (error_) return nullptr;
    chain.push_back(s);
    what = "'elif' statement";
  } while (At(TK::kElif));
  if (At(TK::kElse)) {
    Offset else_start = Cur().start;
    Advance();
    if (!Expect(TK::kColon)) return nullptr;
    chain.back()->orelse = ParseBlock(else_start, "'else' statement");
  }
  for (size_t i = chain.size(); i-- > 0;) {
    Finish(chain[i]);
    if (i + 1 < chain.size()) {
      Stmt* next = chain[i + 1];
      chain[i]->orelse = arena_->Copy(&next, 1);
    }
  }
  chain[0]->range.start = start;
  return chain[0];
}

// while_stmt: 'while' named_expression ':' block [else_block]
Stmt* Parser::ParseWhile() {
  Offset start = Cur().start;
  Advance();
  auto* s = NewStmt<WhileStmt>(start);
  s->test = ParseNamedExpression();
  if (!Expect(TK::kColon)) return nullptr;
  s->body = ParseBlock(start, "'while' statement");
  if (!error_ && At(TK::kElse)) {
    Offset else_start = Cur().start;
    Advance();
    if (!Expect(TK::kColon)) return nullptr;
    s->orelse = ParseBlock(else_start, "'else' statement");
  }
  return Finish(s);
}

// for_stmt: ['async'] 'for' star_targets 'in' star_expressions ':' block [else_block]
Stmt* Parser::ParseFor(Offset start, bool is_async) {
  Advance();  // 'for'
  auto* s = NewStmt<ForStmt>(start);
  s->is_async = is_async;
  s->target = ParseStarTargets(TargetKind::kFor);
  if (error_) return nullptr;
  if (!Accept(TK::kIn)) {
    FailUnexpected();
    return nullptr;
  }
  s->iter = ParseStarExpressions();
  if (!Expect(TK::kColon)) return nullptr;
  s->body = ParseBlock(start, "'for' statement");
  if (!error_ && At(TK::kElse)) {
    Offset else_start = Cur().start;
    Advance();
    if (!Expect(TK::kColon)) return nullptr;
    s->orelse = ParseBlock(else_start, "'else' statement");
  }
  return Finish(s);
}

// with_stmt: ['async'] 'with' '(' ','.with_item+ ','? ')' ':' block
//          | ['async'] 'with' ','.with_item+ ':' block
Stmt* Parser::ParseWith(Offset start, bool is_async) {
  Advance();  // 'with'
  auto* s = NewStmt<WithStmt>(start);
  s->is_async = is_async;
  Vec<WithItem*> items;
  if (!(At(TK::kLPar) && ParseParenthesizedWithItems(&items))) {
    items.clear();
    do {
      items.push_back(ParseWithItem());
      if (error_) return nullptr;
    } while (Accept(TK::kComma));
  }
  if (!Expect(TK::kColon)) return nullptr;
  s->items = Copy(items);
  s->body = ParseBlock(start, "'with' statement");
  return Finish(s);
}

// Tries the parenthesized form; on failure restores the position and returns false.
bool Parser::ParseParenthesizedWithItems(Vec<WithItem*>* items) {
  Mark mark = Save();
  ++speculating_;
  Advance();  // '('
  bool ok = true;
  while (!At(TK::kRPar)) {
    items->push_back(ParseWithItem());
    if (error_) break;
    if (!Accept(TK::kComma)) break;
  }
  ok = !error_ && Accept(TK::kRPar) && At(TK::kColon);
  --speculating_;
  if (!ok || items->empty()) {
    error_ = false;
    Restore(mark);
    return false;
  }
  return true;
}

// with_item: expression ['as' star_target]
WithItem* Parser::ParseWithItem() {
  auto* item = arena_->New<WithItem>();
  item->context_expr = ParseExpression();
  if (Accept(TK::kAs)) {
    item->optional_vars = ParseStarTarget();
    if (!error_) CheckTarget(item->optional_vars, TargetKind::kWith);
  }
  return item;
}

// try_stmt: 'try' ':' block finally_block
//         | 'try' ':' block except_block+ [else_block] [finally_block]
//         | 'try' ':' block except_star_block+ [else_block] [finally_block]
Stmt* Parser::ParseTry() {
  Offset start = Cur().start;
  Advance();
  if (!Expect(TK::kColon)) return nullptr;
  auto* s = NewStmt<TryStmt>(start);
  s->body = ParseBlock(start, "'try' statement");
  if (error_) return nullptr;
  Vec<ExceptHandler*> handlers;
  bool any_star = false, any_plain = false;
  while (At(TK::kExcept)) {
    Offset h_start = Cur().start;
    Advance();
    auto* h = arena_->New<ExceptHandler>();
    bool star = Accept(TK::kStar);
    if (star) {
      any_star = true;
    } else {
      any_plain = true;
    }
    if (any_star && any_plain) {
      Fail(h_start, Cur().end, "cannot have both 'except' and 'except*' on the same 'try'");
      return nullptr;
    }
    if (At(TK::kColon)) {
      if (star) {
        FailAt(Cur(), "expected one or more exception types");
        return nullptr;
      }
    } else {
      h->type = ParseExpression();
      if (error_) return nullptr;
      if (At(TK::kComma)) {
        Fail(h->type->range.start, Cur().end, "multiple exception types must be parenthesized");
        return nullptr;
      }
      if (Accept(TK::kAs)) {
        if (!ExpectName(&h->name, &h->name_range)) return nullptr;
      }
    }
    if (!Expect(TK::kColon)) return nullptr;
    h->body = ParseBlock(h_start, star ? "'except*' statement" : "'except' statement");
    if (error_) return nullptr;
    h->range = {h_start, prev_end_};
    handlers.push_back(h);
  }
  s->is_star = any_star;
  s->handlers = Copy(handlers);
  if (At(TK::kElse)) {
    if (handlers.empty()) {
      FailUnexpected();
      return nullptr;
    }
    Offset else_start = Cur().start;
    Advance();
    if (!Expect(TK::kColon)) return nullptr;
    s->orelse = ParseBlock(else_start, "'else' statement");
    if (error_) return nullptr;
  }
  if (At(TK::kFinally)) {
    Offset fin_start = Cur().start;
    Advance();
    if (!Expect(TK::kColon)) return nullptr;
    s->finalbody = ParseBlock(fin_start, "'finally' statement");
  } else if (handlers.empty()) {
    FailAt(Cur(), "expected 'except' or 'finally' block");
    return nullptr;
  }
  return Finish(s);
}

// decorators: ('@' named_expression NEWLINE)+ followed by a def, async def or class.
Stmt* Parser::ParseDecorated() {
  Vec<Expr*> decorators;
  while (Accept(TK::kAt)) {
    decorators.push_back(ParseNamedExpression());
    if (error_ || !Expect(TK::kNewline)) return nullptr;
  }
  ExprList list = Copy(decorators);
  Offset start = Cur().start;
  if (At(TK::kDef)) return ParseFunctionDef(start, /*is_async=*/false, list);
  if (At(TK::kAsync) && Peek().kind == TK::kDef) {
    Advance();
    return ParseFunctionDef(start, /*is_async=*/true, list);
  }
  if (At(TK::kClass)) return ParseClassDef(list);
  FailUnexpected();
  return nullptr;
}

// function_def_raw: ['async'] 'def' NAME [type_params] '(' [params] ')' ['->' expression] ':'
//                   block
// Precondition: at 'def' (after 'async' if any); `start` is where the statement begins.
Stmt* Parser::ParseFunctionDef(Offset start, bool is_async, ExprList decorators) {
  Advance();  // 'def'
  auto* s = NewStmt<FunctionDefStmt>(start);
  ++scopes_opened_;
  s->is_async = is_async;
  s->decorators = decorators;
  if (!ExpectName(&s->name, &s->name_range)) return nullptr;
  if (At(TK::kLSqb)) s->type_params = ParseTypeParams();
  if (!Expect(TK::kLPar)) return nullptr;
  s->args = ParseParameters(/*lambda=*/false);
  if (error_ || !Expect(TK::kRPar)) return nullptr;
  if (Accept(TK::kRArrow)) s->returns = ParseExpression();
  if (!Expect(TK::kColon)) return nullptr;
  s->body = ParseBlock(start, "function definition");
  return Finish(s);
}

// class_def_raw: 'class' NAME [type_params] ['(' [arguments] ')'] ':' block
Stmt* Parser::ParseClassDef(ExprList decorators) {
  Offset start = Cur().start;
  Advance();  // 'class'
  auto* s = NewStmt<ClassDefStmt>(start);
  ++scopes_opened_;
  s->decorators = decorators;
  if (!ExpectName(&s->name, &s->name_range)) return nullptr;
  if (At(TK::kLSqb)) s->type_params = ParseTypeParams();
  if (At(TK::kLPar)) {
    Offset call_start = Cur().start;
    Expr* call = ParseCall(nullptr);
    if (error_) return nullptr;
    auto* c = static_cast<Call*>(call);
    for (Expr* a : c->args) {
      if (a->kind == ExprKind::kGeneratorExp && a->range.start == call_start) {
        FailExpr(a, "invalid syntax");
        return nullptr;
      }
    }
    s->bases = c->args;
    s->keywords = c->keywords;
  }
  if (!Expect(TK::kColon)) return nullptr;
  s->body = ParseBlock(start, "class definition");
  return Finish(s);
}

// type_params: '[' ','.type_param+ [','] ']'
// type_param: NAME [':' expression] ['=' expression] | '*' NAME ['=' ...] | '**' NAME ['=' ...]
TypeParamList Parser::ParseTypeParams() {
  Advance();  // '['
  Vec<TypeParam*> params;
  while (!At(TK::kRSqb)) {
    auto* tp = arena_->New<TypeParam>();
    Offset start = Cur().start;
    if (Accept(TK::kStar)) {
      tp->kind = TypeParamKind::kTypeVarTuple;
    } else if (Accept(TK::kDoubleStar)) {
      tp->kind = TypeParamKind::kParamSpec;
    }
    if (!ExpectName(&tp->name, &tp->name_range)) return {};
    if (tp->kind == TypeParamKind::kTypeVar && Accept(TK::kColon)) tp->bound = ParseExpression();
    if (Accept(TK::kEqual)) {
      tp->default_value =
          tp->kind == TypeParamKind::kTypeVarTuple ? ParseStarExpression() : ParseExpression();
    }
    tp->range = {start, prev_end_};
    params.push_back(tp);
    if (error_ || !Accept(TK::kComma)) break;
  }
  if (params.empty()) {
    FailAt(Cur(), "Type parameter list cannot be empty");
    return {};
  }
  if (!Expect(TK::kRSqb)) return {};
  return Copy(params);
}

// type_alias: "type" NAME [type_params] '=' expression
Stmt* Parser::ParseTypeAlias() {
  Offset start = Cur().start;
  Advance();  // 'type'
  auto* s = NewStmt<TypeAliasStmt>(start);
  auto* name = NewExpr<Name>(Cur().start);
  name->id = IdentifierOf(Cur());
  Advance();
  name->ctx = ExprContext::kStore;
  s->name = Finish(name);
  if (At(TK::kLSqb)) s->type_params = ParseTypeParams();
  if (!Expect(TK::kEqual)) return nullptr;
  s->value = ParseExpression();
  return Finish(s);
}

// Parameters of a def (up to ')') or a lambda (up to ':'), in any legal order, with CPython's
// messages for the illegal ones.
Arguments* Parser::ParseParameters(bool lambda) {
  const TK close = lambda ? TK::kColon : TK::kRPar;
  auto* a = arena_->New<Arguments>();
  Vec<Arg*> posonly, args, kwonly;
  Vec<Expr*> defaults, kw_defaults;
  bool seen_slash = false, seen_star = false, seen_default = false;
  while (!At(close) && !error_) {
    if (At(TK::kSlash)) {
      if (seen_slash) {
        FailAt(Cur(), "/ may appear only once");
      } else if (seen_star) {
        FailAt(Cur(), "/ must be ahead of *");
      } else if (args.empty()) {
        FailAt(Cur(), "at least one argument must precede /");
      }
      if (error_) return a;
      Advance();
      seen_slash = true;
      posonly.insert(posonly.end(), args.begin(), args.end());
      args.clear();
    } else if (At(TK::kStar)) {
      if (seen_star) {
        FailAt(Cur(), "* argument may appear only once");
        return a;
      }
      Token star = Cur();
      Advance();
      seen_star = true;
      if (At(TK::kComma) || At(close)) {
        // Bare '*': keyword-only parameters must follow.
        if (At(close) || Peek().kind == TK::kDoubleStar || Peek().kind == close) {
          Fail(star.start, star.end, "named arguments must follow bare *");
          return a;
        }
      } else {
        a->vararg = ParseParameter(lambda, /*star_annotation=*/!lambda);
        if (At(TK::kEqual)) {
          FailAt(Cur(), "var-positional argument cannot have default value");
          return a;
        }
      }
    } else if (At(TK::kDoubleStar)) {
      Advance();
      a->kwarg = ParseParameter(lambda, /*star_annotation=*/false);
      if (error_) return a;
      if (At(TK::kEqual)) {
        FailAt(Cur(), "var-keyword argument cannot have default value");
        return a;
      }
      Accept(TK::kComma);
      if (!At(close)) {
        FailAt(Cur(), "arguments cannot follow var-keyword argument");
        return a;
      }
      break;
    } else {
      Arg* arg = ParseParameter(lambda, /*star_annotation=*/false);
      if (error_) return a;
      Expr* def = nullptr;
      if (Accept(TK::kEqual)) def = ParseExpression();
      if (seen_star) {
        kwonly.push_back(arg);
        kw_defaults.push_back(def);
      } else {
        args.push_back(arg);
        if (def != nullptr) {
          defaults.push_back(def);
          seen_default = true;
        } else if (seen_default) {
          Fail(arg->range.start, arg->range.end, "non-default argument follows default argument");
          return a;
        }
      }
    }
    if (!Accept(TK::kComma)) break;
  }
  a->posonlyargs = Copy(posonly);
  a->args = Copy(args);
  a->kwonlyargs = Copy(kwonly);
  a->kw_defaults = Copy(kw_defaults);
  a->defaults = Copy(defaults);
  return a;
}

// param: NAME [':' expression]; for *args also ':' star_expression.
Arg* Parser::ParseParameter(bool lambda, bool star_annotation) {
  auto* arg = arena_->New<Arg>();
  if (!ExpectName(&arg->name, &arg->range)) return arg;
  if (!lambda && Accept(TK::kColon)) {
    arg->annotation = star_annotation ? ParseStarExpression() : ParseExpression();
  }
  return arg;
}

// import_name: 'import' dotted_as_names
Stmt* Parser::ParseImport() {
  Offset start = Cur().start;
  Advance();
  auto* s = NewStmt<ImportStmt>(start);
  Vec<Alias*> names;
  do {
    auto* alias = arena_->New<Alias>();
    Offset a_start = Cur().start;
    if (!At(TK::kName)) {
      FailUnexpected();
      return nullptr;
    }
    std::string dotted(IdentifierOf(Cur()));
    bool single = true;
    Advance();
    while (Accept(TK::kDot)) {
      if (!At(TK::kName)) {
        FailUnexpected();
        return nullptr;
      }
      dotted += '.';
      dotted += IdentifierOf(Cur());
      single = false;
      Advance();
    }
    alias->name = single ? IdentifierOf(toks_[p_ - 1]) : arena_->CopyString(dotted);
    if (Accept(TK::kAs)) {
      if (!ExpectName(&alias->asname, &alias->asname_range)) return nullptr;
    }
    alias->range = {a_start, prev_end_};
    names.push_back(alias);
  } while (Accept(TK::kComma));
  s->names = Copy(names);
  return Finish(s);
}

// import_from: 'from' ('.' | '...')* dotted_name 'import' import_from_targets
//            | 'from' ('.' | '...')+ 'import' import_from_targets
Stmt* Parser::ParseFromImport() {
  Offset start = Cur().start;
  Advance();
  auto* s = NewStmt<ImportFromStmt>(start);
  while (At(TK::kDot) || At(TK::kEllipsis)) {
    s->level += At(TK::kDot) ? 1 : 3;
    Advance();
  }
  if (At(TK::kName)) {
    std::string dotted(IdentifierOf(Cur()));
    Advance();
    while (Accept(TK::kDot)) {
      if (!At(TK::kName)) {
        FailUnexpected();
        return nullptr;
      }
      dotted += '.';
      dotted += IdentifierOf(Cur());
      Advance();
    }
    s->module = arena_->CopyString(dotted);
  } else if (s->level == 0) {
    FailUnexpected();
    return nullptr;
  }
  if (!Accept(TK::kImport)) {
    FailUnexpected();
    return nullptr;
  }
  Vec<Alias*> names;
  if (At(TK::kStar)) {
    auto* alias = arena_->New<Alias>();
    alias->name = "*";
    alias->range = {Cur().start, Cur().end};
    Advance();
    names.push_back(alias);
  } else {
    bool parens = Accept(TK::kLPar);
    while (true) {
      auto* alias = arena_->New<Alias>();
      Range r;
      if (!ExpectName(&alias->name, &r)) return nullptr;
      if (Accept(TK::kAs)) {
        if (!ExpectName(&alias->asname, &alias->asname_range)) return nullptr;
      }
      alias->range = {r.start, prev_end_};
      names.push_back(alias);
      if (!Accept(TK::kComma)) break;
      if (parens && At(TK::kRPar)) break;
      if (!parens && !At(TK::kName)) {
        Fail(prev_end_ - 1, prev_end_,
             "trailing comma not allowed without surrounding parentheses");
        return nullptr;
      }
    }
    if (parens && !Expect(TK::kRPar)) return nullptr;
  }
  s->names = Copy(names);
  return Finish(s);
}

// global_stmt: 'global' ','.NAME+ ; nonlocal_stmt: 'nonlocal' ','.NAME+
Stmt* Parser::ParseGlobal(bool nonlocal) {
  Offset start = Cur().start;
  Advance();
  Vec<Identifier> names;
  Vec<Range> ranges;
  do {
    Identifier id;
    Range r;
    if (!ExpectName(&id, &r)) return nullptr;
    names.push_back(id);
    ranges.push_back(r);
  } while (Accept(TK::kComma));
  if (nonlocal) {
    auto* s = NewStmt<NonlocalStmt>(start);
    s->names = Copy(names);
    s->name_ranges = Copy(ranges);
    return s;
  }
  auto* s = NewStmt<GlobalStmt>(start);
  s->names = Copy(names);
  s->name_ranges = Copy(ranges);
  return s;
}

// match_stmt: "match" subject_expr ':' NEWLINE INDENT case_block+ DEDENT
// "match" is a soft keyword: the statement is tried first and, if the line does not have that
// shape, the caller parses it as an ordinary statement (match = 1, match(x)).
Stmt* Parser::TryParseMatch() {
  Offset start = Cur().start;
  Mark mark = Save();
  ++speculating_;
  Advance();  // 'match'
  Expr* subject = nullptr;
  if (AtExpressionStart() && !At(TK::kYield)) {
    Offset s_start = Cur().start;
    Expr* first = ParseStarNamedExpression();
    if (!error_ && At(TK::kComma)) {
      subject = ParseTupleRest(first, s_start, &Parser::ParseStarNamedExpression);
    } else {
      subject = first;
    }
  }
  bool ok = subject != nullptr && !error_ && At(TK::kColon) && Peek(1).kind == TK::kNewline;
  --speculating_;
  if (!ok) {
    error_ = false;
    Restore(mark);
    return nullptr;
  }
  Advance();  // ':'
  Advance();  // NEWLINE
  auto* s = NewStmt<MatchStmt>(start);
  s->subject = subject;
  if (!At(TK::kIndent)) {
    Fail(Cur().start, Cur().end,
         absl::StrFormat("expected an indented block after 'match' statement on line %d",
                         LineOf(start)),
         SyntaxErrorKind::kIndentation);
    return nullptr;
  }
  Advance();
  Vec<MatchCase*> cases;
  while (AtSoft("case")) {
    cases.push_back(ParseCaseBlock());
    if (error_) return nullptr;
  }
  if (cases.empty() || !Accept(TK::kDedent)) {
    FailUnexpected();
    return nullptr;
  }
  s->cases = Copy(cases);
  return Finish(s);
}

// case_block: "case" patterns [guard] ':' block
MatchCase* Parser::ParseCaseBlock() {
  Offset start = Cur().start;
  Advance();  // 'case'
  auto* c = arena_->New<MatchCase>();
  c->pattern = ParsePatterns();
  if (error_) return c;
  if (Accept(TK::kIf)) c->guard = ParseNamedExpression();
  if (!Expect(TK::kColon)) return c;
  c->body = ParseBlock(start, "'case' statement");
  return c;
}

// ============================================================================================
// Patterns

// patterns: open_sequence_pattern | pattern
Pattern* Parser::ParsePatterns() {
  Offset start = Cur().start;
  Pattern* first = ParseMaybeStarPattern();
  if (error_) return first;
  if (!At(TK::kComma)) {
    if (first->kind == PatternKind::kMatchStar) {
      FailUnexpected();
    }
    return first;
  }
  Vec<Pattern*> items{first};
  while (Accept(TK::kComma)) {
    if (At(TK::kColon) || At(TK::kIf)) break;
    items.push_back(ParseMaybeStarPattern());
    if (error_) return first;
  }
  Pattern* seq = NewPattern(PatternKind::kMatchSequence, start);
  seq->patterns = Copy(items);
  return seq;
}

// maybe_star_pattern: '*' (capture_pattern | wildcard_pattern) | pattern
Pattern* Parser::ParseMaybeStarPattern() {
  if (!At(TK::kStar)) return ParsePattern();
  Offset start = Cur().start;
  Advance();
  Pattern* p = NewPattern(PatternKind::kMatchStar, start);
  Identifier id;
  Range r;
  if (!ExpectName(&id, &r)) return p;
  if (id != "_") {
    p->name = id;
    p->name_range = r;
  }
  return Finish(p);
}

// pattern: or_pattern ['as' pattern_capture_target]
Pattern* Parser::ParsePattern() {
  DepthGuard guard(this);
  Offset start = Cur().start;
  if (error_) return NewPattern(PatternKind::kMatchAs, start);
  Pattern* p = ParseOrPattern();
  if (error_ || !At(TK::kAs)) return p;
  Advance();
  Pattern* as = NewPattern(PatternKind::kMatchAs, start);
  as->pattern = p;
  if (!At(TK::kName)) {
    FailAt(Cur(), "invalid pattern target");
    return as;
  }
  if (Text(Cur()) == "_") {
    FailAt(Cur(), "cannot use '_' as a target");
    return as;
  }
  ExpectName(&as->name, &as->name_range);
  return Finish(as);
}

// or_pattern: '|'.closed_pattern+
Pattern* Parser::ParseOrPattern() {
  Offset start = Cur().start;
  Pattern* first = ParseClosedPattern();
  if (error_ || !At(TK::kVBar)) return first;
  Vec<Pattern*> alts{first};
  while (Accept(TK::kVBar)) {
    alts.push_back(ParseClosedPattern());
    if (error_) return first;
  }
  Pattern* p = NewPattern(PatternKind::kMatchOr, start);
  p->patterns = Copy(alts);
  return p;
}

// closed_pattern: literal | capture | wildcard | value | group | sequence | mapping | class
Pattern* Parser::ParseClosedPattern() {
  Offset start = Cur().start;
  switch (Kind()) {
    case TK::kNone:
    case TK::kTrue:
    case TK::kFalse: {
      Expr* v = ParseAtom();
      Pattern* p = NewPattern(PatternKind::kMatchSingleton, start);
      p->value = v;
      return p;
    }
    case TK::kNumber:
    case TK::kMinus:
    case TK::kString:
    case TK::kFStringStart: {
      Expr* v = ParseLiteralPatternValue();
      Pattern* p = NewPattern(PatternKind::kMatchValue, start);
      p->value = v;
      return p;
    }
    case TK::kName: {
      bool dotted = Peek().kind == TK::kDot;
      if (!dotted && Peek().kind != TK::kLPar) {
        // Capture or wildcard.
        Pattern* p = arena_->New<Pattern>();
        p->kind = PatternKind::kMatchAs;
        Identifier id = IdentifierOf(Cur());
        Range r{Cur().start, Cur().end};
        Advance();
        if (id != "_") {
          p->name = id;
          p->name_range = r;
        }
        p->range = r;
        return p;
      }
      Expr* name = ParseDottedNameExpr();
      if (error_) return NewPattern(PatternKind::kMatchValue, start);
      if (At(TK::kLPar)) return ParseClassPattern(name, start);
      Pattern* p = NewPattern(PatternKind::kMatchValue, start);
      p->value = name;
      return p;
    }
    case TK::kLPar: {
      Advance();
      if (Accept(TK::kRPar)) return NewPattern(PatternKind::kMatchSequence, start);
      Pattern* first = ParseMaybeStarPattern();
      if (error_) return first;
      if (Accept(TK::kRPar)) {
        if (first->kind == PatternKind::kMatchStar) {
          // (*x) is not a group; CPython accepts it only as a sequence with a comma.
          FailUnexpected();
        }
        return first;  // group_pattern
      }
      if (!At(TK::kComma)) {
        FailUnexpected();
        return first;
      }
      Vec<Pattern*> items{first};
      while (Accept(TK::kComma)) {
        if (At(TK::kRPar)) break;
        items.push_back(ParseMaybeStarPattern());
        if (error_) return first;
      }
      if (!Expect(TK::kRPar)) return first;
      Pattern* seq = NewPattern(PatternKind::kMatchSequence, start);
      seq->patterns = Copy(items);
      return seq;
    }
    case TK::kLSqb:
      Advance();
      return ParseSequencePattern(TK::kRSqb, start);
    case TK::kLBrace:
      return ParseMappingPattern();
    default:
      FailUnexpected();
      return NewPattern(PatternKind::kMatchAs, start);
  }
}

// '[' [maybe_sequence_pattern] ']'. Precondition: after the opening bracket.
Pattern* Parser::ParseSequencePattern(TK close, Offset start) {
  Vec<Pattern*> items;
  while (!At(close)) {
    items.push_back(ParseMaybeStarPattern());
    if (error_ || !Accept(TK::kComma)) break;
  }
  Pattern* seq = NewPattern(PatternKind::kMatchSequence, start);
  if (!Expect(close)) return seq;
  seq->patterns = Copy(items);
  return Finish(seq);
}

// mapping_pattern: '{' [items_pattern] [double_star_pattern] [','] '}'
Pattern* Parser::ParseMappingPattern() {
  Offset start = Cur().start;
  Advance();  // '{'
  Pattern* m = NewPattern(PatternKind::kMatchMapping, start);
  Vec<Expr*> keys;
  Vec<Pattern*> values;
  while (!At(TK::kRBrace) && !error_) {
    if (At(TK::kDoubleStar)) {
      Advance();
      if (AtSoft("_")) {
        FailUnexpected();
        return m;
      }
      if (!ExpectName(&m->name, &m->name_range)) return m;
      Accept(TK::kComma);
      if (!At(TK::kRBrace)) FailUnexpected();
      break;
    }
    Expr* key;
    if (At(TK::kName)) {
      key = ParseDottedNameExpr();
      if (!error_ && key->kind != ExprKind::kAttribute) {
        FailExpr(key, "invalid syntax");
        return m;
      }
    } else if (At(TK::kNone) || At(TK::kTrue) || At(TK::kFalse)) {
      key = ParseAtom();
    } else {
      key = ParseLiteralPatternValue();
    }
    if (error_ || !Expect(TK::kColon)) return m;
    keys.push_back(key);
    values.push_back(ParsePattern());
    if (!Accept(TK::kComma)) break;
  }
  if (!Expect(TK::kRBrace)) return m;
  m->keys = Copy(keys);
  m->patterns = Copy(values);
  return Finish(m);
}

// class_pattern: name_or_attr '(' [pattern_arguments] ')'
Pattern* Parser::ParseClassPattern(Expr* cls, Offset start) {
  Advance();  // '('
  Pattern* p = NewPattern(PatternKind::kMatchClass, start);
  p->cls = cls;
  Vec<Pattern*> positional, keyword_patterns;
  Vec<Identifier> keywords;
  while (!At(TK::kRPar) && !error_) {
    if (At(TK::kName) && Peek().kind == TK::kEqual) {
      keywords.push_back(IdentifierOf(Cur()));
      Advance();
      Advance();
      keyword_patterns.push_back(ParsePattern());
    } else {
      Pattern* pat = ParsePattern();
      if (!keywords.empty() && !error_) {
        Fail(pat->range.start, pat->range.end, "positional patterns follow keyword patterns");
        return p;
      }
      positional.push_back(pat);
    }
    if (!Accept(TK::kComma)) break;
  }
  if (!Expect(TK::kRPar)) return p;
  p->patterns = Copy(positional);
  p->kwd_attrs = Copy(keywords);
  p->kwd_patterns = Copy(keyword_patterns);
  return Finish(p);
}

// literal_expr for patterns: signed numbers, complex literals, (concatenated) strings.
Expr* Parser::ParseLiteralPatternValue() {
  if (At(TK::kString) || At(TK::kFStringStart)) {
    // f-strings parse here; only the compiler refuses them as patterns.
    return ParseStrings();
  }
  Offset start = Cur().start;
  Expr* real = ParseSignedNumber();
  if (error_ || !(At(TK::kPlus) || At(TK::kMinus))) return real;
  BinOpKind op = At(TK::kPlus) ? BinOpKind::kAdd : BinOpKind::kSub;
  Advance();
  if (!At(TK::kNumber)) {
    FailUnexpected();
    return real;
  }
  Expr* imag = ParseNumber();
  const auto* rc = real->As<Constant>();
  if (rc == nullptr) rc = static_cast<UnaryOp*>(real)->operand->As<Constant>();
  if (rc != nullptr && rc->value_kind == ConstantKind::kComplex) {
    FailExpr(real, "real number required in complex literal");
    return real;
  }
  if (static_cast<Constant*>(imag)->value_kind != ConstantKind::kComplex) {
    FailExpr(imag, "imaginary number required in complex literal");
    return real;
  }
  auto* b = NewExpr<BinOp>(start);
  b->left = real;
  b->op = op;
  b->right = imag;
  return b;
}

// signed_number: NUMBER | '-' NUMBER
Expr* Parser::ParseSignedNumber() {
  Offset start = Cur().start;
  if (Accept(TK::kMinus)) {
    if (!At(TK::kNumber)) {
      FailUnexpected();
      return ErrorNode();
    }
    auto* u = arena_->New<UnaryOp>();
    u->op = UnaryOpKind::kUSub;
    u->operand = ParseNumber();
    u->range = {start, prev_end_};
    return u;
  }
  if (!At(TK::kNumber)) {
    FailUnexpected();
    return ErrorNode();
  }
  return ParseNumber();
}

// name_or_attr: NAME ('.' NAME)*
Expr* Parser::ParseDottedNameExpr() {
  Offset start = Cur().start;
  auto* n = NewExpr<Name>(start);
  n->id = IdentifierOf(Cur());
  Advance();
  Expr* e = Finish(n);
  while (Accept(TK::kDot)) {
    if (!At(TK::kName)) {
      FailUnexpected();
      return e;
    }
    auto* a = arena_->New<Attribute>();
    a->value = e;
    a->attr = IdentifierOf(Cur());
    a->attr_range = {Cur().start, Cur().end};
    Advance();
    a->range = {start, prev_end_};
    e = a;
  }
  return e;
}

// ============================================================================================
// Expressions

// star_expressions: star_expression (',' star_expression)* [',']
Expr* Parser::ParseStarExpressions() {
  Offset start = Cur().start;
  Expr* first = ParseStarExpression();
  if (error_ || !At(TK::kComma)) return first;
  return ParseTupleRest(first, start, &Parser::ParseStarExpression);
}

// The rest of an unparenthesized tuple after its first element; stops before a token that
// cannot start an element.
Expr* Parser::ParseTupleRest(Expr* first, Offset start, Expr* (Parser::*element)()) {
  Vec<Expr*> elts{first};
  while (Accept(TK::kComma)) {
    if (!AtExpressionStart() || At(TK::kYield)) break;
    elts.push_back((this->*element)());
    if (error_) break;
  }
  auto* t = NewExpr<Tuple>(start);
  t->elts = Copy(elts);
  return t;
}

// star_expression: '*' bitwise_or | expression
Expr* Parser::ParseStarExpression() {
  if (!At(TK::kStar)) return ParseExpression();
  Offset start = Cur().start;
  Advance();
  auto* s = arena_->New<Starred>();
  s->value = ParseBinary(1);
  s->range = {start, prev_end_};
  return s;
}

// star_named_expression: '*' bitwise_or | named_expression
Expr* Parser::ParseStarNamedExpression() {
  if (!At(TK::kStar)) return ParseNamedExpression();
  return ParseStarExpression();
}

// named_expression: NAME ':=' expression | expression !':='
Expr* Parser::ParseNamedExpression() {
  if (At(TK::kName) && Peek().kind == TK::kColonEqual) {
    Offset start = Cur().start;
    auto* target = NewExpr<Name>(start);
    target->id = IdentifierOf(Cur());
    Advance();
    Finish(target);
    target->ctx = ExprContext::kStore;
    Advance();  // ':='
    auto* n = arena_->New<NamedExpr>();
    n->target = target;
    n->value = ParseExpression();
    n->range = {start, prev_end_};
    return n;
  }
  Expr* e = ParseExpression();
  if (!error_ && At(TK::kColonEqual)) {
    FailExpr(e, absl::StrFormat("cannot use assignment expressions with %s", ExprDescription(e)));
  }
  return e;
}

// expression: disjunction 'if' disjunction 'else' expression | disjunction | lambdef
Expr* Parser::ParseExpression() {
  DepthGuard guard(this);
  if (error_) return ErrorNode();
  if (At(TK::kLambda)) return ParseLambda();
  Offset start = Cur().start;
  Expr* body = ParseDisjunction();
  if (error_ || !At(TK::kIf)) return body;
  Advance();
  auto* e = arena_->New<IfExp>();
  e->body = body;
  e->test = ParseDisjunction();
  if (error_) return e;
  if (!Accept(TK::kElse)) {
    // As CPython's invalid_expression: not before ':' ("(a if b: ..." is plain invalid syntax,
    // so that an unclosed bracket above gets the blame).
    if (At(TK::kColon)) {
      FailUnexpected();
    } else {
      Fail(start, prev_end_, "expected 'else' after 'if' expression");
    }
    return e;
  }
  e->orelse = ParseExpression();
  e->range = {start, prev_end_};
  return e;
}

// disjunction: conjunction ('or' conjunction)+ | conjunction
Expr* Parser::ParseDisjunction() {
  Offset start = Cur().start;
  Expr* first = ParseConjunction();
  if (!At(TK::kOr)) return first;
  Vec<Expr*> values{first};
  while (!error_ && Accept(TK::kOr)) values.push_back(ParseConjunction());
  auto* b = NewExpr<BoolOp>(start);
  b->op = BoolOpKind::kOr;
  b->values = Copy(values);
  return b;
}

// conjunction: inversion ('and' inversion)+ | inversion
Expr* Parser::ParseConjunction() {
  Offset start = Cur().start;
  Expr* first = ParseInversion();
  if (!At(TK::kAnd)) return first;
  Vec<Expr*> values{first};
  while (!error_ && Accept(TK::kAnd)) values.push_back(ParseInversion());
  auto* b = NewExpr<BoolOp>(start);
  b->op = BoolOpKind::kAnd;
  b->values = Copy(values);
  return b;
}

// inversion: 'not' inversion | comparison. Iterative: "not not not x" costs no stack.
Expr* Parser::ParseInversion() {
  Vec<Offset> nots;
  ChainDepth chain(this);
  while (At(TK::kNot) && !error_) {
    chain.Grow();
    nots.push_back(Cur().start);
    Advance();
  }
  if (error_) return ErrorNode();
  Expr* e = ParseComparison();
  for (size_t i = nots.size(); i-- > 0;) {
    auto* u = arena_->New<UnaryOp>();
    u->op = UnaryOpKind::kNot;
    u->operand = e;
    u->range = {nots[i], prev_end_};
    e = u;
  }
  return e;
}

// comparison: bitwise_or compare_op_bitwise_or_pair+ | bitwise_or
Expr* Parser::ParseComparison() {
  Offset start = Cur().start;
  Expr* left = ParseBinary(1);
  Vec<CmpOpKind> ops;
  Vec<Expr*> comparators;
  while (!error_) {
    CmpOpKind op;
    switch (Kind()) {
      case TK::kEqEqual:
        op = CmpOpKind::kEq;
        break;
      case TK::kNotEqual:
        op = CmpOpKind::kNotEq;
        break;
      case TK::kLess:
        op = CmpOpKind::kLt;
        break;
      case TK::kLessEqual:
        op = CmpOpKind::kLtE;
        break;
      case TK::kGreater:
        op = CmpOpKind::kGt;
        break;
      case TK::kGreaterEqual:
        op = CmpOpKind::kGtE;
        break;
      case TK::kIn:
        op = CmpOpKind::kIn;
        break;
      case TK::kIs:
        op = Peek().kind == TK::kNot ? CmpOpKind::kIsNot : CmpOpKind::kIs;
        break;
      case TK::kNot:
        if (Peek().kind != TK::kIn) goto done;
        op = CmpOpKind::kNotIn;
        break;
      default:
        goto done;
    }
    Advance();
    if (op == CmpOpKind::kIsNot || op == CmpOpKind::kNotIn) Advance();
    ops.push_back(op);
    comparators.push_back(ParseBinary(1));
  }
done:
  if (ops.empty()) return left;
  auto* c = NewExpr<Compare>(start);
  c->left = left;
  c->ops = Copy(ops);
  c->comparators = Copy(comparators);
  return c;
}

// bitwise_or .. term: left-associative binary operators by precedence climbing.
Expr* Parser::ParseBinary(int min_precedence) {
  Offset start = Cur().start;
  Expr* left = ParseFactor();
  ChainDepth chain(this);
  while (!error_) {
    int prec = BinaryPrecedence(Kind());
    if (prec == 0 || prec < min_precedence) break;
    chain.Grow();
    BinOpKind op = BinaryOp(Kind());
    Advance();
    Expr* right = ParseBinary(prec + 1);
    auto* b = NewExpr<BinOp>(start);
    b->left = left;
    b->op = op;
    b->right = right;
    left = b;
  }
  return left;
}

// factor: '+' factor | '-' factor | '~' factor | power
Expr* Parser::ParseFactor() {
  UnaryOpKind op;
  switch (Kind()) {
    case TK::kPlus:
      op = UnaryOpKind::kUAdd;
      break;
    case TK::kMinus:
      op = UnaryOpKind::kUSub;
      break;
    case TK::kTilde:
      op = UnaryOpKind::kInvert;
      break;
    default:
      return ParsePower();
  }
  DepthGuard guard(this);
  Offset start = Cur().start;
  Advance();
  auto* u = arena_->New<UnaryOp>();
  u->op = op;
  u->operand = error_ ? ErrorNode() : ParseFactor();
  u->range = {start, prev_end_};
  return u;
}

// power: await_primary '**' factor | await_primary
Expr* Parser::ParsePower() {
  Offset start = Cur().start;
  Expr* base = ParsePrimary(/*allow_await=*/true);
  if (error_ || !At(TK::kDoubleStar)) return base;
  Advance();
  DepthGuard guard(this);
  auto* b = arena_->New<BinOp>();
  b->left = base;
  b->op = BinOpKind::kPow;
  b->right = error_ ? ErrorNode() : ParseFactor();
  b->range = {start, prev_end_};
  return b;
}

// await_primary: 'await' primary | primary
// primary: primary '.' NAME | primary genexp | primary '(' [arguments] ')'
//        | primary '[' slices ']' | atom
Expr* Parser::ParsePrimary(bool allow_await) {
  Offset start = Cur().start;
  if (allow_await && At(TK::kAwait)) {
    Advance();
    auto* a = arena_->New<Await>();
    a->value = ParsePrimary(/*allow_await=*/false);
    a->range = {start, prev_end_};
    return a;
  }
  Expr* e = ParseAtom();
  ChainDepth chain(this);
  while (!error_) {
    if (At(TK::kDot) || At(TK::kLPar) || At(TK::kLSqb)) chain.Grow();
    if (error_) break;
    if (At(TK::kDot)) {
      Advance();
      if (!At(TK::kName)) {
        FailUnexpected();
        return e;
      }
      auto* a = arena_->New<Attribute>();
      a->value = e;
      a->attr = IdentifierOf(Cur());
      a->attr_range = {Cur().start, Cur().end};
      Advance();
      a->range = {start, prev_end_};
      e = a;
    } else if (At(TK::kLPar)) {
      e = ParseCall(e);
      e->range.start = start;
    } else if (At(TK::kLSqb)) {
      Advance();
      auto* s = arena_->New<Subscript>();
      s->value = e;
      s->slice = ParseSlices();
      if (!Expect(TK::kRSqb)) return s;
      s->range = {start, prev_end_};
      e = s;
    } else {
      break;
    }
  }
  return e;
}

// '(' [arguments] ')' after `func` (null for a class header). Arguments in any order CPython
// accepts, with its messages for the rest.
Expr* Parser::ParseCall(Expr* func) {
  Offset lpar = Cur().start;
  Advance();  // '('
  auto* call = arena_->New<Call>();
  call->func = func;
  Vec<Expr*> args;
  Vec<Keyword*> keywords;
  bool seen_keyword = false, seen_double_star = false;
  while (!At(TK::kRPar) && !error_) {
    Offset start = Cur().start;
    if (At(TK::kStar)) {
      Advance();
      auto* s = arena_->New<Starred>();
      s->value = ParseExpression();
      s->range = {start, prev_end_};
      if (seen_double_star && !error_) {
        FailExpr(s, "iterable argument unpacking follows keyword argument unpacking");
        break;
      }
      args.push_back(s);
    } else if (At(TK::kDoubleStar)) {
      Advance();
      auto* k = arena_->New<Keyword>();
      k->value = ParseExpression();
      k->range = {start, prev_end_};
      keywords.push_back(k);
      seen_double_star = true;
    } else if (At(TK::kName) && Peek().kind == TK::kEqual) {
      auto* k = arena_->New<Keyword>();
      k->arg = IdentifierOf(Cur());
      Advance();
      Advance();
      k->value = ParseExpression();
      k->range = {start, prev_end_};
      keywords.push_back(k);
      seen_keyword = true;
    } else {
      Expr* e = ParseNamedExpression();
      if (error_) break;
      if (At(TK::kFor) || (At(TK::kAsync) && Peek().kind == TK::kFor)) {
        auto* g = arena_->New<GeneratorExp>();
        g->elt = e;
        g->generators = ParseComprehensionClauses();
        if (error_) break;
        bool sole = args.empty() && keywords.empty() && At(TK::kRPar);
        g->range = sole ? Range{lpar, Cur().end} : Range{start, prev_end_};
        if (!sole) {
          FailExpr(g, "Generator expression must be parenthesized");
          break;
        }
        e = g;
      } else if (At(TK::kEqual)) {
        if (IsSingletonConstant(e)) {
          FailExpr(e, StrCat("cannot assign to ", ExprDescription(e)));
        } else {
          Fail(e->range.start, Cur().end,
               "expression cannot contain assignment, perhaps you meant \"==\"?");
        }
        break;
      }
      if (seen_double_star) {
        FailExpr(e, "positional argument follows keyword argument unpacking");
        break;
      }
      if (seen_keyword) {
        FailExpr(e, "positional argument follows keyword argument");
        break;
      }
      args.push_back(e);
    }
    if (!Accept(TK::kComma)) break;
    if (At(TK::kRPar)) break;
    if (!args.empty() && args.back()->kind == ExprKind::kGeneratorExp &&
        args.back()->range.start == lpar) {
      FailExpr(args.back(), "Generator expression must be parenthesized");
      break;
    }
  }
  if (!error_) Expect(TK::kRPar);
  call->args = Copy(args);
  call->keywords = Copy(keywords);
  call->range = {func != nullptr ? func->range.start : lpar, prev_end_};
  return call;
}

// slices: slice !',' | ','.(slice | starred_expression)+ [',']
Expr* Parser::ParseSlices() {
  Offset start = Cur().start;
  Expr* first = ParseSlice();
  if (!error_ && !At(TK::kComma) && first->kind == ExprKind::kStarred) {
    // a[*b] subscripts with the tuple (*b,), as CPython's AST says.
    auto* t = NewExpr<Tuple>(start);
    t->elts = arena_->Copy(&first, 1);
    return t;
  }
  if (error_ || !At(TK::kComma)) return first;
  Vec<Expr*> elts{first};
  while (Accept(TK::kComma)) {
    if (At(TK::kRSqb)) break;
    elts.push_back(ParseSlice());
    if (error_) break;
  }
  auto* t = NewExpr<Tuple>(start);
  t->elts = Copy(elts);
  return t;
}

// slice: [expression] ':' [expression] [':' [expression]] | named_expression
//      | starred_expression (in a tuple of slices)
Expr* Parser::ParseSlice() {
  Offset start = Cur().start;
  if (At(TK::kStar)) return ParseStarExpression();
  Expr* lower = nullptr;
  if (!At(TK::kColon)) {
    lower = ParseNamedExpression();
    if (error_ || !At(TK::kColon)) return lower;
  }
  Advance();  // ':'
  auto* s = arena_->New<Slice>();
  s->lower = lower;
  if (!At(TK::kColon) && !At(TK::kComma) && !At(TK::kRSqb)) s->upper = ParseExpression();
  if (Accept(TK::kColon)) {
    if (!At(TK::kComma) && !At(TK::kRSqb)) s->step = ParseExpression();
  }
  s->range = {start, prev_end_};
  return s;
}

// atom: NAME | 'True' | 'False' | 'None' | strings | NUMBER | tuple | group | genexp | list
//     | listcomp | dict | set | dictcomp | setcomp | '...'
Expr* Parser::ParseAtom() {
  Offset start = Cur().start;
  switch (Kind()) {
    case TK::kName: {
      auto* n = arena_->New<Name>();
      n->id = IdentifierOf(Cur());
      n->range = {start, Cur().end};
      Advance();
      return n;
    }
    case TK::kNone:
    case TK::kTrue:
    case TK::kFalse:
    case TK::kEllipsis: {
      auto* c = arena_->New<Constant>();
      c->value_kind = At(TK::kNone)    ? ConstantKind::kNone
                      : At(TK::kTrue)  ? ConstantKind::kTrue
                      : At(TK::kFalse) ? ConstantKind::kFalse
                                       : ConstantKind::kEllipsis;
      c->range = {start, Cur().end};
      Advance();
      return c;
    }
    case TK::kNumber:
      return ParseNumber();
    case TK::kString:
    case TK::kFStringStart:
      return ParseStrings();
    case TK::kLPar: {
      DepthGuard guard(this);
      if (error_) return ErrorNode();
      return ParseParenthesized();
    }
    case TK::kLSqb: {
      DepthGuard guard(this);
      if (error_) return ErrorNode();
      return ParseListDisplay();
    }
    case TK::kLBrace: {
      DepthGuard guard(this);
      if (error_) return ErrorNode();
      return ParseBraceDisplay();
    }
    default:
      FailUnexpected();
      return ErrorNode();
  }
}

Expr* Parser::ParseNumber() {
  const Token& t = Cur();
  auto* c = arena_->New<Constant>();
  std::string_view text = Text(t);
  char last = text.back();
  bool hex = text.size() > 1 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
  if (last == 'j' || last == 'J') {
    c->value_kind = ConstantKind::kComplex;
  } else if (!hex && text.find_first_of(".eE") != std::string_view::npos) {
    c->value_kind = ConstantKind::kFloat;
  } else {
    c->value_kind = ConstantKind::kInt;
  }
  c->range = {t.start, t.end};
  Advance();
  return c;
}

// tuple: '(' [star_named_expression ',' [star_named_expressions]] ')'
// group: '(' (yield_expr | named_expression) ')'
// genexp: '(' (assignment_expression | expression !':=') for_if_clauses ')'
Expr* Parser::ParseParenthesized() {
  Offset start = Cur().start;
  Advance();  // '('
  if (Accept(TK::kRPar)) {
    auto* t = NewExpr<Tuple>(start);
    t->flags |= kExprParenthesized;
    return t;
  }
  if (At(TK::kYield)) {
    Expr* y = ParseYieldExpression();
    if (!Expect(TK::kRPar)) return y;
    y->flags |= kExprParenthesized;
    return y;
  }
  Expr* first = ParseStarNamedExpression();
  if (error_) return first;
  if (At(TK::kFor) || (At(TK::kAsync) && Peek().kind == TK::kFor)) {
    if (first->kind == ExprKind::kStarred) {
      FailExpr(first, "iterable unpacking cannot be used in comprehension");
      return first;
    }
    auto* g = arena_->New<GeneratorExp>();
    g->elt = first;
    g->generators = ParseComprehensionClauses();
    if (!Expect(TK::kRPar)) return g;
    g->range = {start, prev_end_};
    return g;
  }
  if (At(TK::kComma)) {
    Vec<Expr*> elts{first};
    while (Accept(TK::kComma)) {
      if (At(TK::kRPar)) break;
      elts.push_back(ParseStarNamedExpression());
      if (error_) return first;
    }
    if (!Expect(TK::kRPar)) return first;
    auto* t = NewExpr<Tuple>(start);
    t->elts = Copy(elts);
    t->flags |= kExprParenthesized;
    return t;
  }
  if (!Expect(TK::kRPar)) return first;
  if (first->kind == ExprKind::kStarred) {
    FailExpr(first, "cannot use starred expression here");
    return first;
  }
  first->flags |= kExprParenthesized;
  return first;
}

// list: '[' [star_named_expressions] ']' ; listcomp: '[' named_expression for_if_clauses ']'
Expr* Parser::ParseListDisplay() {
  Offset start = Cur().start;
  Advance();  // '['
  Vec<Expr*> elts;
  if (!At(TK::kRSqb)) {
    Expr* first = ParseStarNamedExpression();
    if (error_) return first;
    if (At(TK::kFor) || (At(TK::kAsync) && Peek().kind == TK::kFor)) {
      if (first->kind == ExprKind::kStarred) {
        FailExpr(first, "iterable unpacking cannot be used in comprehension");
        return first;
      }
      auto* c = arena_->New<ListComp>();
      c->elt = first;
      c->generators = ParseComprehensionClauses();
      if (!Expect(TK::kRSqb)) return c;
      c->range = {start, prev_end_};
      return c;
    }
    elts.push_back(first);
    while (Accept(TK::kComma)) {
      if (At(TK::kRSqb)) break;
      elts.push_back(ParseStarNamedExpression());
      if (error_) return first;
    }
  }
  if (!Expect(TK::kRSqb)) return ErrorNode();
  auto* l = NewExpr<List>(start);
  l->elts = Copy(elts);
  return l;
}

// dict, set, dictcomp, setcomp:
//   '{' [double_starred_kvpairs] '}' | '{' star_named_expressions '}'
//   '{' kvpair for_if_clauses '}'   | '{' named_expression for_if_clauses '}'
Expr* Parser::ParseBraceDisplay() {
  Offset start = Cur().start;
  Advance();  // '{'
  if (Accept(TK::kRBrace)) return NewExpr<Dict>(start);
  Vec<Expr*> keys, values;
  bool is_dict;
  if (At(TK::kDoubleStar)) {
    is_dict = true;
  } else {
    Expr* first = ParseStarNamedExpression();
    if (error_) return first;
    if (At(TK::kColon) && first->kind != ExprKind::kStarred) {
      is_dict = true;
      Advance();
      Expr* value = ParseExpression();
      if (error_) return first;
      if (At(TK::kFor) || (At(TK::kAsync) && Peek().kind == TK::kFor)) {
        auto* c = arena_->New<DictComp>();
        c->key = first;
        c->value = value;
        c->generators = ParseComprehensionClauses();
        if (!Expect(TK::kRBrace)) return c;
        c->range = {start, prev_end_};
        return c;
      }
      keys.push_back(first);
      values.push_back(value);
      if (!Accept(TK::kComma)) {
        if (!Expect(TK::kRBrace)) return first;
        auto* d = NewExpr<Dict>(start);
        d->keys = Copy(keys);
        d->values = Copy(values);
        return d;
      }
    } else {
      is_dict = false;
      if (At(TK::kFor) || (At(TK::kAsync) && Peek().kind == TK::kFor)) {
        if (first->kind == ExprKind::kStarred) {
          FailExpr(first, "iterable unpacking cannot be used in comprehension");
          return first;
        }
        auto* c = arena_->New<SetComp>();
        c->elt = first;
        c->generators = ParseComprehensionClauses();
        if (!Expect(TK::kRBrace)) return c;
        c->range = {start, prev_end_};
        return c;
      }
      values.push_back(first);
      while (Accept(TK::kComma)) {
        if (At(TK::kRBrace)) break;
        values.push_back(ParseStarNamedExpression());
        if (error_) return first;
      }
      if (!Expect(TK::kRBrace)) return first;
      auto* s = NewExpr<Set>(start);
      s->elts = Copy(values);
      return s;
    }
  }
  // The remaining key/value pairs of a dict display.
  while (is_dict && !At(TK::kRBrace) && !error_) {
    if (Accept(TK::kDoubleStar)) {
      keys.push_back(nullptr);
      values.push_back(ParseBinary(1));
    } else {
      keys.push_back(ParseExpression());
      if (!Expect(TK::kColon)) break;
      values.push_back(ParseExpression());
    }
    if (!Accept(TK::kComma)) break;
  }
  if (error_ || !Expect(TK::kRBrace)) return ErrorNode();
  auto* d = NewExpr<Dict>(start);
  d->keys = Copy(keys);
  d->values = Copy(values);
  return d;
}

// for_if_clauses: (['async'] 'for' star_targets 'in' disjunction ('if' disjunction)*)+
ComprehensionList Parser::ParseComprehensionClauses() {
  ++scopes_opened_;  // the comprehension these clauses belong to
  Vec<Comprehension*> gens;
  while (!error_ && (At(TK::kFor) || (At(TK::kAsync) && Peek().kind == TK::kFor))) {
    auto* c = arena_->New<Comprehension>();
    c->is_async = Accept(TK::kAsync);
    Advance();  // 'for'
    c->target = ParseStarTargets(TargetKind::kComprehension);
    if (error_) break;
    if (!Accept(TK::kIn)) {
      FailUnexpected();
      break;
    }
    c->iter = ParseDisjunction();
    Vec<Expr*> ifs;
    while (!error_ && Accept(TK::kIf)) ifs.push_back(ParseDisjunction());
    c->ifs = Copy(ifs);
    gens.push_back(c);
  }
  return Copy(gens);
}

// lambdef: 'lambda' [lambda_params] ':' expression
Expr* Parser::ParseLambda() {
  Offset start = Cur().start;
  Advance();
  auto* l = arena_->New<Lambda>();
  ++scopes_opened_;
  l->args = ParseParameters(/*lambda=*/true);
  if (error_ || !Expect(TK::kColon)) return l;
  l->body = ParseExpression();
  l->range = {start, prev_end_};
  return l;
}

// yield_expr: 'yield' 'from' expression | 'yield' [star_expressions]
Expr* Parser::ParseYieldExpression() {
  Offset start = Cur().start;
  Advance();
  if (Accept(TK::kFrom)) {
    auto* y = arena_->New<YieldFrom>();
    y->value = ParseExpression();
    y->range = {start, prev_end_};
    return y;
  }
  auto* y = arena_->New<Yield>();
  if (AtExpressionStart() && !At(TK::kYield)) y->value = ParseStarExpressions();
  y->range = {start, prev_end_};
  return y;
}

// strings: (STRING | fstring)+ ; bytes cannot mix with the others.
Expr* Parser::ParseStrings() {
  Offset start = Cur().start;
  bool any_bytes = false, any_text = false, any_f = false;
  Vec<Expr*> parts;
  while (!error_ && (At(TK::kString) || At(TK::kFStringStart))) {
    if (At(TK::kString)) {
      if (Cur().flags & kFlagBytes) {
        any_bytes = true;
      } else {
        any_text = true;
      }
      auto* c = arena_->New<Constant>();
      c->value_kind = (Cur().flags & kFlagBytes) ? ConstantKind::kBytes : ConstantKind::kStr;
      c->range = {Cur().start, Cur().end};
      parts.push_back(c);
      Advance();
    } else {
      any_f = any_text = true;
      ParseFString(&parts);
    }
  }
  if (any_bytes && any_text) {
    Fail(start, prev_end_, "cannot mix bytes and nonbytes literals");
    return ErrorNode();
  }
  if (!any_f) {
    auto* c = NewExpr<Constant>(start);
    c->value_kind = any_bytes ? ConstantKind::kBytes : ConstantKind::kStr;
    return c;
  }
  auto* j = NewExpr<JoinedStr>(start);
  j->values = Copy(parts);
  return j;
}

// fstring: FSTRING_START fstring_middle* FSTRING_END
void Parser::ParseFString(Vec<Expr*>* parts) {
  Advance();  // FSTRING_START
  while (!error_) {
    if (At(TK::kFStringMiddle)) {
      auto* c = arena_->New<Constant>();
      c->value_kind = ConstantKind::kStr;
      c->range = {Cur().start, Cur().end};
      parts->push_back(c);
      Advance();
    } else if (At(TK::kLBrace)) {
      parts->push_back(ParseReplacementField());
    } else if (At(TK::kFStringEnd)) {
      Advance();
      return;
    } else {
      FailAt(Cur(), "f-string: expecting '}'");
      return;
    }
  }
}

// fstring_replacement_field:
//   '{' (yield_expr | star_expressions) ['='] [fstring_conversion] [fstring_full_format_spec] '}'
Expr* Parser::ParseReplacementField() {
  DepthGuard guard(this);
  Offset start = Cur().start;
  Advance();  // '{'
  auto* f = arena_->New<FormattedValue>();
  if (error_) return f;
  if (At(TK::kRBrace) || At(TK::kExclamation) || At(TK::kColon) || At(TK::kEqual)) {
    FailAt(Cur(), absl::StrFormat("f-string: valid expression required before '%s'", Text(Cur())));
    return f;
  }
  f->value = At(TK::kYield) ? ParseYieldExpression() : ParseStarExpressions();
  if (error_) return f;
  Accept(TK::kEqual);  // self-documenting "=": text only
  if (Accept(TK::kExclamation)) {
    if (!At(TK::kName) || Cur().start != prev_end_) {
      FailAt(Cur(), "f-string: missing conversion character");
      return f;
    }
    std::string_view conv = Text(Cur());
    if (conv != "s" && conv != "r" && conv != "a") {
      FailAt(Cur(), absl::StrFormat("f-string: invalid conversion character '%s': expected "
                                    "'s', 'r', or 'a'",
                                    conv));
      return f;
    }
    f->conversion = conv[0];
    Advance();
  }
  if (Accept(TK::kColon)) {
    Offset spec_start = prev_end_;
    Vec<Expr*> spec;
    while (!error_ && (At(TK::kFStringMiddle) || At(TK::kLBrace))) {
      if (At(TK::kFStringMiddle)) {
        auto* c = arena_->New<Constant>();
        c->value_kind = ConstantKind::kStr;
        c->range = {Cur().start, Cur().end};
        spec.push_back(c);
        Advance();
      } else {
        spec.push_back(ParseReplacementField());
      }
    }
    auto* j = NewExpr<JoinedStr>(spec_start);
    j->values = Copy(spec);
    f->format_spec = j;
  }
  if (!error_ && !Accept(TK::kRBrace)) {
    FailAt(Cur(), "f-string: expecting '}'");
    return f;
  }
  f->range = {start, prev_end_};
  return f;
}

// star_targets: star_target !',' | star_target (',' star_target)* [',']
Expr* Parser::ParseStarTargets(TargetKind kind) {
  Offset start = Cur().start;
  Expr* first = ParseStarTarget();
  if (!error_ && At(TK::kComma)) {
    Vec<Expr*> elts{first};
    while (Accept(TK::kComma)) {
      if (!(At(TK::kName) || At(TK::kLPar) || At(TK::kLSqb) || At(TK::kStar))) break;
      elts.push_back(ParseStarTarget());
      if (error_) break;
    }
    auto* t = NewExpr<Tuple>(start);
    t->elts = Copy(elts);
    first = t;
  }
  if (!error_) CheckTarget(first, kind);
  return first;
}

// star_target: '*' (!'*' star_target) | target_with_star_atom
// Parsed as a primary expression and validated by CheckTarget.
Expr* Parser::ParseStarTarget() {
  if (!At(TK::kStar)) return ParsePrimary(/*allow_await=*/false);
  DepthGuard guard(this);
  Offset start = Cur().start;
  Advance();
  auto* s = arena_->New<Starred>();
  s->value = error_ ? ErrorNode() : ParseStarTarget();
  s->range = {start, prev_end_};
  return s;
}

// CPython's _PyPegen_get_invalid_target: the first sub-expression that cannot be bound.
const Expr* Parser::InvalidTarget(const Expr* e, TargetKind kind) const {
  switch (e->kind) {
    case ExprKind::kList:
    case ExprKind::kTuple: {
      ExprList elts = e->kind == ExprKind::kList ? static_cast<const List*>(e)->elts
                                                 : static_cast<const Tuple*>(e)->elts;
      for (const Expr* elt : elts) {
        if (const Expr* bad = InvalidTarget(elt, kind)) return bad;
      }
      return nullptr;
    }
    case ExprKind::kStarred:
      if (kind == TargetKind::kDel) return e;
      return InvalidTarget(static_cast<const Starred*>(e)->value, kind);
    case ExprKind::kName:
    case ExprKind::kAttribute:
    case ExprKind::kSubscript:
      return nullptr;
    default:
      return e;
  }
}

// Validates an assignment / deletion target and sets its context. Returns false after
// reporting an error.
bool Parser::CheckTarget(Expr* e, TargetKind kind) {
  if (const Expr* bad = InvalidTarget(e, kind)) {
    if (kind == TargetKind::kAssign &&
        (bad->kind == ExprKind::kYield || bad->kind == ExprKind::kYieldFrom)) {
      FailExpr(bad, "assignment to yield expression not possible");
      return false;
    }
    std::string what(ExprDescription(bad));
    if (kind == TargetKind::kDel) {
      FailExpr(bad, StrCat("cannot delete ", what));
    } else if (kind == TargetKind::kAssign && bad == e && !IsSingletonConstant(bad)) {
      FailExpr(bad,
               StrCat("cannot assign to ", what, " here. Maybe you meant '==' instead of '='?"));
    } else {
      FailExpr(bad, StrCat("cannot assign to ", what));
    }
    return false;
  }
  SetContext(e, kind == TargetKind::kDel ? ExprContext::kDel : ExprContext::kStore);
  return true;
}

void Parser::SetContext(Expr* e, ExprContext ctx) {
  e->ctx = ctx;
  switch (e->kind) {
    case ExprKind::kList:
      for (Expr* elt : static_cast<List*>(e)->elts) SetContext(elt, ctx);
      break;
    case ExprKind::kTuple:
      for (Expr* elt : static_cast<Tuple*>(e)->elts) SetContext(elt, ctx);
      break;
    case ExprKind::kStarred:
      SetContext(static_cast<Starred*>(e)->value, ctx);
      break;
    default:
      break;
  }
}

}  // namespace

ParseResult Parse(std::string_view buffer, Offset begin, Offset end, Arena* arena,
                  const ParseOptions& options) {
  ParseResult result;
  // The tokens are needed only while parsing: one buffer per thread, reused from cell to cell
  // (a cell's tokens cost no allocation of their own); a very large one is given back after.
  thread_local LexResult lexed;
  lexed.tokens.clear();
  lexed.errors.clear();
  LexOptions lex_options;
  lex_options.ipython = options.ipython;
  Tokenize(buffer, begin, end, lex_options, &lexed);
  result.errors = std::move(lexed.errors);
  std::vector<SyntaxDiagnostic> parse_errors;
  Parser parser(buffer, begin, lexed.tokens, arena, &parse_errors, options);
  result.module = parser.ParseFile();
  constexpr size_t kKeptTokens = size_t{1} << 20;
  if (lexed.tokens.capacity() > kKeptTokens) std::vector<Token>().swap(lexed.tokens);
  result.errors.insert(result.errors.end(), std::make_move_iterator(parse_errors.begin()),
                       std::make_move_iterator(parse_errors.end()));
  {
    std::stable_sort(result.errors.begin(), result.errors.end(),
                     [](const SyntaxDiagnostic& a, const SyntaxDiagnostic& b) {
                       return a.found_at < b.found_at;
                     });
    // As CPython: a parse error on a line after an unclosed bracket is blamed on the bracket.
    auto unclosed = std::find_if(result.errors.begin(), result.errors.end(),
                                 [](const SyntaxDiagnostic& e) { return e.unclosed_bracket; });
    if (unclosed != result.errors.begin() && unclosed != result.errors.end()) {
      auto line_of = [&](Offset off) {
        return std::count(buffer.begin() + begin, buffer.begin() + std::max(begin, off), '\n');
      };
      if (line_of(result.errors.front().start) > line_of(unclosed->start)) {
        std::rotate(result.errors.begin(), unclosed, unclosed + 1);
      }
    }
  }
  return result;
}

}  // namespace cellflow
