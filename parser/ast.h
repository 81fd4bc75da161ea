// The Python AST, shaped after CPython's Parser/Python.asdl, allocated in an Arena.
//
// Nodes hold byte ranges into the source buffer and string_views into the buffer or the arena;
// they are valid as long as both live. A node's concrete type follows from its kind field:
// `static_cast<const Call*>(e)` after checking `e->kind == ExprKind::kCall` (see As<T>()).
#ifndef CELLFLOW_PARSER_AST_H_
#define CELLFLOW_PARSER_AST_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "lexer/token.h"

namespace cellflow {

struct Expr;
struct Stmt;
struct Pattern;

using Identifier = std::string_view;  // NFKC-normalized name
using ExprList = std::span<Expr*>;
using StmtList = std::span<Stmt*>;

struct Range {
  Offset start = 0;
  Offset end = 0;
};

// ---------------------------------------------------------------------------------------------
// Expressions

enum class ExprKind : uint8_t {
  kBoolOp,
  kNamedExpr,
  kBinOp,
  kUnaryOp,
  kLambda,
  kIfExp,
  kDict,
  kSet,
  kListComp,
  kSetComp,
  kDictComp,
  kGeneratorExp,
  kAwait,
  kYield,
  kYieldFrom,
  kCompare,
  kCall,
  kFormattedValue,
  kJoinedStr,
  kConstant,
  kAttribute,
  kSubscript,
  kStarred,
  kName,
  kList,
  kTuple,
  kSlice,
  kIpyEscape,  // x = !cmd / x = %magic
  kError,      // placeholder where an expression could not be parsed
};

enum class ExprContext : uint8_t { kLoad, kStore, kDel };

enum ExprFlag : uint8_t {
  kExprParenthesized = 1 << 0,  // written in parentheses: (x)
};

struct Expr {
  Range range;
  ExprKind kind;
  ExprContext ctx = ExprContext::kLoad;  // Name, Attribute, Subscript, Starred, List, Tuple
  uint8_t flags = 0;

  template <typename T>
  const T* As() const {
    return kind == T::kKind ? static_cast<const T*>(this) : nullptr;
  }
  template <typename T>
  T* As() {
    return kind == T::kKind ? static_cast<T*>(this) : nullptr;
  }
};

enum class BoolOpKind : uint8_t { kAnd, kOr };
enum class BinOpKind : uint8_t {
  kAdd,
  kSub,
  kMult,
  kMatMult,
  kDiv,
  kMod,
  kPow,
  kLShift,
  kRShift,
  kBitOr,
  kBitXor,
  kBitAnd,
  kFloorDiv
};
enum class UnaryOpKind : uint8_t { kInvert, kNot, kUAdd, kUSub };
enum class CmpOpKind : uint8_t { kEq, kNotEq, kLt, kLtE, kGt, kGtE, kIs, kIsNot, kIn, kNotIn };
enum class ConstantKind : uint8_t {
  kNone,
  kTrue,
  kFalse,
  kEllipsis,
  kInt,
  kFloat,
  kComplex,
  kStr,
  kBytes
};

#define CELLFLOW_EXPR(Name)                            \
  static constexpr ExprKind kKind = ExprKind::k##Name; \
  Name() : Expr{{}, kKind} {}

struct BoolOp : Expr {
  CELLFLOW_EXPR(BoolOp)
  BoolOpKind op{};
  ExprList values;
};
struct NamedExpr : Expr {
  CELLFLOW_EXPR(NamedExpr)
  Expr* target = nullptr;
  Expr* value = nullptr;
};
struct BinOp : Expr {
  CELLFLOW_EXPR(BinOp)
  Expr* left = nullptr;
  BinOpKind op{};
  Expr* right = nullptr;
};
struct UnaryOp : Expr {
  CELLFLOW_EXPR(UnaryOp)
  UnaryOpKind op{};
  Expr* operand = nullptr;
};

struct Arg {
  Range range;
  Identifier name;
  Expr* annotation = nullptr;
};
struct Arguments {
  std::span<Arg*> posonlyargs;
  std::span<Arg*> args;
  Arg* vararg = nullptr;
  std::span<Arg*> kwonlyargs;
  ExprList kw_defaults;  // one per kwonlyarg; nullptr where there is none
  Arg* kwarg = nullptr;
  ExprList defaults;  // for the last len(defaults) of posonlyargs + args
};

struct Lambda : Expr {
  CELLFLOW_EXPR(Lambda)
  Arguments* args = nullptr;
  Expr* body = nullptr;
};
struct IfExp : Expr {
  CELLFLOW_EXPR(IfExp)
  Expr* test = nullptr;
  Expr* body = nullptr;
  Expr* orelse = nullptr;
};
struct Dict : Expr {
  CELLFLOW_EXPR(Dict)
  ExprList keys;  // nullptr key: **value
  ExprList values;
};
struct Set : Expr {
  CELLFLOW_EXPR(Set)
  ExprList elts;
};

struct Comprehension {
  Expr* target = nullptr;
  Expr* iter = nullptr;
  ExprList ifs;
  bool is_async = false;
};
using ComprehensionList = std::span<Comprehension*>;

struct ListComp : Expr {
  CELLFLOW_EXPR(ListComp)
  Expr* elt = nullptr;
  ComprehensionList generators;
};
struct SetComp : Expr {
  CELLFLOW_EXPR(SetComp)
  Expr* elt = nullptr;
  ComprehensionList generators;
};
struct DictComp : Expr {
  CELLFLOW_EXPR(DictComp)
  Expr* key = nullptr;
  Expr* value = nullptr;
  ComprehensionList generators;
};
struct GeneratorExp : Expr {
  CELLFLOW_EXPR(GeneratorExp)
  Expr* elt = nullptr;
  ComprehensionList generators;
};
struct Await : Expr {
  CELLFLOW_EXPR(Await)
  Expr* value = nullptr;
};
struct Yield : Expr {
  CELLFLOW_EXPR(Yield)
  Expr* value = nullptr;  // may be null
};
struct YieldFrom : Expr {
  CELLFLOW_EXPR(YieldFrom)
  Expr* value = nullptr;
};
struct Compare : Expr {
  CELLFLOW_EXPR(Compare)
  Expr* left = nullptr;
  std::span<CmpOpKind> ops;
  ExprList comparators;
};

struct Keyword {
  Range range;
  Identifier arg;  // empty for **kwargs
  Expr* value = nullptr;
};

struct Call : Expr {
  CELLFLOW_EXPR(Call)
  Expr* func = nullptr;
  ExprList args;
  std::span<Keyword*> keywords;
};
struct FormattedValue : Expr {
  CELLFLOW_EXPR(FormattedValue)
  Expr* value = nullptr;
  char conversion = 0;          // 0, 's', 'r' or 'a'
  Expr* format_spec = nullptr;  // a JoinedStr, or null
};
struct JoinedStr : Expr {
  CELLFLOW_EXPR(JoinedStr)
  ExprList values;  // Constant and FormattedValue parts
};
struct Constant : Expr {
  CELLFLOW_EXPR(Constant)
  ConstantKind value_kind{};
};
struct Attribute : Expr {
  CELLFLOW_EXPR(Attribute)
  Expr* value = nullptr;
  Identifier attr;
  Range attr_range;
};
struct Subscript : Expr {
  CELLFLOW_EXPR(Subscript)
  Expr* value = nullptr;
  Expr* slice = nullptr;
};
struct Starred : Expr {
  CELLFLOW_EXPR(Starred)
  Expr* value = nullptr;
};
struct Name : Expr {
  CELLFLOW_EXPR(Name)
  Identifier id;
};
struct List : Expr {
  CELLFLOW_EXPR(List)
  ExprList elts;
};
struct Tuple : Expr {
  CELLFLOW_EXPR(Tuple)
  ExprList elts;
};
struct Slice : Expr {
  CELLFLOW_EXPR(Slice)
  Expr* lower = nullptr;
  Expr* upper = nullptr;
  Expr* step = nullptr;
};
struct IpyEscapeExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kIpyEscape;
  IpyEscapeExpr() : Expr{{}, kKind} {}
  std::string_view text;  // the escape as written, e.g. "!ls -l"
};
struct ErrorExpr : Expr {
  static constexpr ExprKind kKind = ExprKind::kError;
  ErrorExpr() : Expr{{}, kKind} {}
};

#undef CELLFLOW_EXPR

// ---------------------------------------------------------------------------------------------
// Patterns (match statement)

enum class PatternKind : uint8_t {
  kMatchValue,
  kMatchSingleton,
  kMatchSequence,
  kMatchMapping,
  kMatchClass,
  kMatchStar,
  kMatchAs,
  kMatchOr,
};

struct Pattern;
// The name a pattern binds: a capture (`case x`, `case P as x`), `*rest`, or a mapping's
// `**rest`; empty for `_`, `*_` and patterns that bind nothing themselves.
Identifier PatternBinding(const Pattern* p);

struct Pattern {
  Range range;
  PatternKind kind;
  // kMatchValue: value. kMatchSingleton: value (a Constant).
  Expr* value = nullptr;
  // kMatchSequence, kMatchOr: patterns. kMatchClass: positional patterns.
  std::span<Pattern*> patterns;
  // kMatchMapping: keys (with patterns). kMatchClass: cls.
  ExprList keys;
  Expr* cls = nullptr;
  // kMatchClass: keyword names, their patterns, and each name's range.
  std::span<Identifier> kwd_attrs;
  std::span<Pattern*> kwd_patterns;
  // kMatchStar, kMatchAs: the bound name (empty for _ / *_); kMatchMapping: **rest.
  Identifier name;
  Range name_range;
  // kMatchAs: the sub-pattern (null for a bare capture or _).
  Pattern* pattern = nullptr;
};

// The items of a list, tuple or set display; nullopt for other expressions.
inline std::optional<ExprList> DisplayItems(const Expr* e) {
  if (const auto* l = e->As<List>()) return l->elts;
  if (const auto* t = e->As<Tuple>()) return t->elts;
  if (const auto* s = e->As<Set>()) return s->elts;
  return std::nullopt;
}

inline Identifier PatternBinding(const Pattern* p) {
  bool binds = p->kind == PatternKind::kMatchAs || p->kind == PatternKind::kMatchStar ||
               p->kind == PatternKind::kMatchMapping;
  return binds ? p->name : Identifier();
}

// ---------------------------------------------------------------------------------------------
// Statements

enum class StmtKind : uint8_t {
  kFunctionDef,
  kClassDef,
  kReturn,
  kDelete,
  kAssign,
  kTypeAlias,
  kAugAssign,
  kAnnAssign,
  kFor,
  kWhile,
  kIf,
  kWith,
  kMatch,
  kRaise,
  kTry,
  kAssert,
  kImport,
  kImportFrom,
  kGlobal,
  kNonlocal,
  kExpr,
  kPass,
  kBreak,
  kContinue,
  kIpyEscape,
  kError,  // a statement that did not parse; its range covers the skipped text
};

struct Stmt {
  Range range;
  StmtKind kind;
  // Set by the parser on a module's own statements (not on those nested in them) that define a
  // function or class or hold a lambda or comprehension anywhere inside: the only module-level
  // code that opens a scope.
  bool opens_scope = false;

  template <typename T>
  const T* As() const {
    return kind == T::kKind ? static_cast<const T*>(this) : nullptr;
  }
  template <typename T>
  T* As() {
    return kind == T::kKind ? static_cast<T*>(this) : nullptr;
  }
};

#define CELLFLOW_STMT(Name)                            \
  static constexpr StmtKind kKind = StmtKind::k##Name; \
  Name##Stmt() : Stmt{{}, kKind} {}

enum class TypeParamKind : uint8_t { kTypeVar, kParamSpec, kTypeVarTuple };
struct TypeParam {
  Range range;
  TypeParamKind kind{};
  Identifier name;
  Range name_range;
  Expr* bound = nullptr;          // TypeVar only
  Expr* default_value = nullptr;  // PEP 696
};
using TypeParamList = std::span<TypeParam*>;

struct FunctionDefStmt : Stmt {
  CELLFLOW_STMT(FunctionDef)
  Identifier name;
  Range name_range;
  Arguments* args = nullptr;
  StmtList body;
  ExprList decorators;
  Expr* returns = nullptr;
  TypeParamList type_params;
  bool is_async = false;
};
// A def decorated @staticmethod: its first parameter is no instance.
inline bool IsStaticMethod(const FunctionDefStmt* f) {
  for (const Expr* d : f->decorators) {
    if (const auto* n = d->As<Name>(); n != nullptr && n->id == "staticmethod") return true;
  }
  return false;
}
// The parameter a method's instance (or class) arrives in: its first positional one; null for
// a static method or a def without one.
inline const Arg* ReceiverParam(const FunctionDefStmt* f) {
  const Arguments* args = f->args;
  if (args == nullptr || IsStaticMethod(f)) return nullptr;
  if (!args->posonlyargs.empty()) return args->posonlyargs.front();
  if (!args->args.empty()) return args->args.front();
  return nullptr;
}
struct ClassDefStmt : Stmt {
  CELLFLOW_STMT(ClassDef)
  Identifier name;
  Range name_range;
  ExprList bases;
  std::span<Keyword*> keywords;
  StmtList body;
  ExprList decorators;
  TypeParamList type_params;
};
struct ReturnStmt : Stmt {
  CELLFLOW_STMT(Return)
  Expr* value = nullptr;
};
struct DeleteStmt : Stmt {
  CELLFLOW_STMT(Delete)
  ExprList targets;
};
struct AssignStmt : Stmt {
  CELLFLOW_STMT(Assign)
  ExprList targets;
  Expr* value = nullptr;
};
struct TypeAliasStmt : Stmt {
  CELLFLOW_STMT(TypeAlias)
  Expr* name = nullptr;  // a Name in store context
  TypeParamList type_params;
  Expr* value = nullptr;
};
struct AugAssignStmt : Stmt {
  CELLFLOW_STMT(AugAssign)
  Expr* target = nullptr;
  BinOpKind op{};
  Expr* value = nullptr;
};
struct AnnAssignStmt : Stmt {
  CELLFLOW_STMT(AnnAssign)
  Expr* target = nullptr;
  Expr* annotation = nullptr;
  Expr* value = nullptr;  // may be null
  bool simple = false;    // a plain, unparenthesized name
};
struct ForStmt : Stmt {
  CELLFLOW_STMT(For)
  Expr* target = nullptr;
  Expr* iter = nullptr;
  StmtList body;
  StmtList orelse;
  bool is_async = false;
};
struct WhileStmt : Stmt {
  CELLFLOW_STMT(While)
  Expr* test = nullptr;
  StmtList body;
  StmtList orelse;
};
struct IfStmt : Stmt {
  CELLFLOW_STMT(If)
  Expr* test = nullptr;
  StmtList body;
  StmtList orelse;  // an elif is a nested IfStmt here
};
struct WithItem {
  Expr* context_expr = nullptr;
  Expr* optional_vars = nullptr;
};
struct WithStmt : Stmt {
  CELLFLOW_STMT(With)
  std::span<WithItem*> items;
  StmtList body;
  bool is_async = false;
};
struct MatchCase {
  Pattern* pattern = nullptr;
  Expr* guard = nullptr;
  StmtList body;
};
struct MatchStmt : Stmt {
  CELLFLOW_STMT(Match)
  Expr* subject = nullptr;
  std::span<MatchCase*> cases;
};
struct RaiseStmt : Stmt {
  CELLFLOW_STMT(Raise)
  Expr* exc = nullptr;
  Expr* cause = nullptr;
};
struct ExceptHandler {
  Range range;
  Expr* type = nullptr;
  Identifier name;  // empty when there is no "as"
  Range name_range;
  StmtList body;
};
struct TryStmt : Stmt {
  CELLFLOW_STMT(Try)
  StmtList body;
  std::span<ExceptHandler*> handlers;
  StmtList orelse;
  StmtList finalbody;
  bool is_star = false;  // except*
};
struct AssertStmt : Stmt {
  CELLFLOW_STMT(Assert)
  Expr* test = nullptr;
  Expr* msg = nullptr;
};
struct Alias {
  Range range;
  std::string_view name;  // dotted module name, or the imported name, or "*"
  Identifier asname;      // empty when there is no "as"
  Range asname_range;
};
// The name an alias binds: `import a.b.c` binds `a`, `import a.b as c` binds `c`.
inline Identifier BoundName(const Alias& a) {
  return a.asname.empty() ? a.name.substr(0, a.name.find('.')) : a.asname;
}

struct ImportStmt : Stmt {
  CELLFLOW_STMT(Import)
  std::span<Alias*> names;
};
struct ImportFromStmt : Stmt {
  CELLFLOW_STMT(ImportFrom)
  std::string_view module;  // empty for "from . import x"
  std::span<Alias*> names;
  int level = 0;  // leading dots
};
// The aliases of an Import or ImportFrom statement.
inline std::span<Alias*> ImportedNames(const Stmt* s) {
  if (const auto* i = s->As<ImportStmt>()) return i->names;
  return static_cast<const ImportFromStmt*>(s)->names;
}

struct GlobalStmt : Stmt {
  CELLFLOW_STMT(Global)
  std::span<Identifier> names;
  std::span<Range> name_ranges;
};
struct NonlocalStmt : Stmt {
  CELLFLOW_STMT(Nonlocal)
  std::span<Identifier> names;
  std::span<Range> name_ranges;
};
struct ExprStmt : Stmt {
  CELLFLOW_STMT(Expr)
  Expr* value = nullptr;
};
struct PassStmt : Stmt {
  CELLFLOW_STMT(Pass)
};
struct BreakStmt : Stmt {
  CELLFLOW_STMT(Break)
};
struct ContinueStmt : Stmt {
  CELLFLOW_STMT(Continue)
};
enum class IpyEscapeKind : uint8_t {
  kMagic,         // %line, or a line magic without its % (automagic: ls -la)
  kCellMagic,     // %%cell
  kShell,         // !cmd
  kShellCapture,  // !!cmd
  kHelp,          // ?obj, obj?
  kHelp2,         // ??obj, obj??
  kAutocall,      // /f a, ,f a b, ;f a b: f called with the rest of the line as arguments
};
struct IpyEscapeStmt : Stmt {
  CELLFLOW_STMT(IpyEscape)
  IpyEscapeKind escape_kind{};
  std::string_view text;  // as written, with the escape characters
};
struct ErrorStmt : Stmt {
  CELLFLOW_STMT(Error)
};

#undef CELLFLOW_STMT

struct Module {
  StmtList body;
};

// Readable names for dumps and messages.
std::string_view ExprKindName(ExprKind kind);
std::string_view StmtKindName(StmtKind kind);
std::string_view PatternKindName(PatternKind kind);
std::string_view BinOpSymbol(BinOpKind op);
std::string_view CmpOpSymbol(CmpOpKind op);
IpyEscapeKind ClassifyIpyEscape(std::string_view text);

}  // namespace cellflow

#endif  // CELLFLOW_PARSER_AST_H_
