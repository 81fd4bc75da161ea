// Kind names and the indented AST dump.
#include "parser/ast_dump.h"

#include <string>

#include "lexer/str_util.h"

namespace cellflow {

std::string_view ExprKindName(ExprKind kind) {
  static constexpr std::string_view kNames[] = {
      "BoolOp",    "NamedExpr", "BinOp",     "UnaryOp",   "Lambda",   "IfExp",
      "Dict",      "Set",       "ListComp",  "SetComp",   "DictComp", "GeneratorExp",
      "Await",     "Yield",     "YieldFrom", "Compare",   "Call",     "FormattedValue",
      "JoinedStr", "Constant",  "Attribute", "Subscript", "Starred",  "Name",
      "List",      "Tuple",     "Slice",     "IpyEscape", "Error"};
  static_assert(std::size(kNames) == static_cast<size_t>(ExprKind::kError) + 1);
  return kNames[static_cast<size_t>(kind)];
}

std::string_view StmtKindName(StmtKind kind) {
  static constexpr std::string_view kNames[] = {
      "FunctionDef", "ClassDef", "Return",   "Delete",     "Assign", "TypeAlias", "AugAssign",
      "AnnAssign",   "For",      "While",    "If",         "With",   "Match",     "Raise",
      "Try",         "Assert",   "Import",   "ImportFrom", "Global", "Nonlocal",  "Expr",
      "Pass",        "Break",    "Continue", "IpyEscape",  "Error"};
  static_assert(std::size(kNames) == static_cast<size_t>(StmtKind::kError) + 1);
  return kNames[static_cast<size_t>(kind)];
}

std::string_view PatternKindName(PatternKind kind) {
  static constexpr std::string_view kNames[] = {"MatchValue",   "MatchSingleton", "MatchSequence",
                                                "MatchMapping", "MatchClass",     "MatchStar",
                                                "MatchAs",      "MatchOr"};
  return kNames[static_cast<size_t>(kind)];
}

std::string_view BinOpSymbol(BinOpKind op) {
  static constexpr std::string_view kSymbols[] = {"+",  "-",  "*", "@", "/", "%", "**",
                                                  "<<", ">>", "|", "^", "&", "//"};
  return kSymbols[static_cast<size_t>(op)];
}

std::string_view CmpOpSymbol(CmpOpKind op) {
  static constexpr std::string_view kSymbols[] = {"==", "!=", "<",      "<=", ">",
                                                  ">=", "is", "is not", "in", "not in"};
  return kSymbols[static_cast<size_t>(op)];
}

IpyEscapeKind ClassifyIpyEscape(std::string_view text) {
  if (!text.empty() && (text[0] == '/' || text[0] == ',' || text[0] == ';')) {
    return IpyEscapeKind::kAutocall;
  }
  if (text.substr(0, 2) == "%%") return IpyEscapeKind::kCellMagic;
  if (text.substr(0, 2) == "!!") return IpyEscapeKind::kShellCapture;
  if (text.substr(0, 2) == "??") return IpyEscapeKind::kHelp2;
  if (!text.empty() && text[0] == '%') return IpyEscapeKind::kMagic;
  if (!text.empty() && text[0] == '!') return IpyEscapeKind::kShell;
  size_t last = text.find_last_not_of(" \t");
  if (last != std::string_view::npos && last > 0 && text[last] == '?' && text[last - 1] == '?')
    return IpyEscapeKind::kHelp2;
  if (last != std::string_view::npos && text[last] == '?') return IpyEscapeKind::kHelp;
  // "ls -la", "run x.py": a magic called without its '%' (automagic).
  if (!text.empty() && text[0] != '?') return IpyEscapeKind::kMagic;
  return IpyEscapeKind::kHelp;
}

namespace {

class Dumper {
 public:
  Dumper(std::string_view buffer, const LineIndex& lines, std::ostream& out)
      : buf_(buffer), lines_(lines), out_(out) {}

  void Body(std::string_view field, StmtList body, int depth) {
    if (body.empty()) return;
    Field(field, depth);
    for (const Stmt* s : body) Statement(s, depth + 1);
  }

  void Statement(const Stmt* s, int depth) {
    std::string head(StmtKindName(s->kind));
    switch (s->kind) {
      case StmtKind::kFunctionDef: {
        auto* f = static_cast<const FunctionDefStmt*>(s);
        Line(depth, StrCat(f->is_async ? "Async" : "", head, " '", f->name, "'"), s->range);
        Exprs("decorators", f->decorators, depth + 1);
        TypeParams(f->type_params, depth + 1);
        Args(f->args, depth + 1);
        Optional("returns", f->returns, depth + 1);
        Body("body", f->body, depth + 1);
        return;
      }
      case StmtKind::kClassDef: {
        auto* c = static_cast<const ClassDefStmt*>(s);
        Line(depth, StrCat(head, " '", c->name, "'"), s->range);
        Exprs("decorators", c->decorators, depth + 1);
        TypeParams(c->type_params, depth + 1);
        Exprs("bases", c->bases, depth + 1);
        Keywords(c->keywords, depth + 1);
        Body("body", c->body, depth + 1);
        return;
      }
      case StmtKind::kReturn:
        Line(depth, head, s->range);
        Optional("value", static_cast<const ReturnStmt*>(s)->value, depth + 1);
        return;
      case StmtKind::kDelete:
        Line(depth, head, s->range);
        Exprs("targets", static_cast<const DeleteStmt*>(s)->targets, depth + 1);
        return;
      case StmtKind::kAssign: {
        auto* a = static_cast<const AssignStmt*>(s);
        Line(depth, head, s->range);
        Exprs("targets", a->targets, depth + 1);
        Optional("value", a->value, depth + 1);
        return;
      }
      case StmtKind::kTypeAlias: {
        auto* t = static_cast<const TypeAliasStmt*>(s);
        Line(depth, head, s->range);
        Optional("name", t->name, depth + 1);
        TypeParams(t->type_params, depth + 1);
        Optional("value", t->value, depth + 1);
        return;
      }
      case StmtKind::kAugAssign: {
        auto* a = static_cast<const AugAssignStmt*>(s);
        Line(depth, StrCat(head, " ", BinOpSymbol(a->op), "="), s->range);
        Optional("target", a->target, depth + 1);
        Optional("value", a->value, depth + 1);
        return;
      }
      case StmtKind::kAnnAssign: {
        auto* a = static_cast<const AnnAssignStmt*>(s);
        Line(depth, StrCat(head, a->simple ? " simple" : ""), s->range);
        Optional("target", a->target, depth + 1);
        Optional("annotation", a->annotation, depth + 1);
        Optional("value", a->value, depth + 1);
        return;
      }
      case StmtKind::kFor: {
        auto* f = static_cast<const ForStmt*>(s);
        Line(depth, StrCat(f->is_async ? "Async" : "", head), s->range);
        Optional("target", f->target, depth + 1);
        Optional("iter", f->iter, depth + 1);
        Body("body", f->body, depth + 1);
        Body("orelse", f->orelse, depth + 1);
        return;
      }
      case StmtKind::kWhile: {
        auto* w = static_cast<const WhileStmt*>(s);
        Line(depth, head, s->range);
        Optional("test", w->test, depth + 1);
        Body("body", w->body, depth + 1);
        Body("orelse", w->orelse, depth + 1);
        return;
      }
      case StmtKind::kIf: {
        auto* i = static_cast<const IfStmt*>(s);
        Line(depth, head, s->range);
        Optional("test", i->test, depth + 1);
        Body("body", i->body, depth + 1);
        Body("orelse", i->orelse, depth + 1);
        return;
      }
      case StmtKind::kWith: {
        auto* w = static_cast<const WithStmt*>(s);
        Line(depth, StrCat(w->is_async ? "Async" : "", head), s->range);
        for (const WithItem* item : w->items) {
          Field("item", depth + 1);
          Optional("context_expr", item->context_expr, depth + 2);
          Optional("optional_vars", item->optional_vars, depth + 2);
        }
        Body("body", w->body, depth + 1);
        return;
      }
      case StmtKind::kMatch: {
        auto* m = static_cast<const MatchStmt*>(s);
        Line(depth, head, s->range);
        Optional("subject", m->subject, depth + 1);
        for (const MatchCase* c : m->cases) {
          Field("case", depth + 1);
          PatternNode(c->pattern, depth + 2);
          Optional("guard", c->guard, depth + 2);
          Body("body", c->body, depth + 2);
        }
        return;
      }
      case StmtKind::kRaise: {
        auto* r = static_cast<const RaiseStmt*>(s);
        Line(depth, head, s->range);
        Optional("exc", r->exc, depth + 1);
        Optional("cause", r->cause, depth + 1);
        return;
      }
      case StmtKind::kTry: {
        auto* t = static_cast<const TryStmt*>(s);
        Line(depth, t->is_star ? "TryStar" : head, s->range);
        Body("body", t->body, depth + 1);
        for (const ExceptHandler* h : t->handlers) {
          Line(depth + 1,
               StrCat("ExceptHandler", h->name.empty() ? "" : " as '", h->name,
                      h->name.empty() ? "" : "'"),
               h->range);
          Optional("type", h->type, depth + 2);
          Body("body", h->body, depth + 2);
        }
        Body("orelse", t->orelse, depth + 1);
        Body("finalbody", t->finalbody, depth + 1);
        return;
      }
      case StmtKind::kAssert: {
        auto* a = static_cast<const AssertStmt*>(s);
        Line(depth, head, s->range);
        Optional("test", a->test, depth + 1);
        Optional("msg", a->msg, depth + 1);
        return;
      }
      case StmtKind::kImport:
      case StmtKind::kImportFrom: {
        std::span<Alias*> names;
        if (s->kind == StmtKind::kImport) {
          names = static_cast<const ImportStmt*>(s)->names;
          Line(depth, head, s->range);
        } else {
          auto* f = static_cast<const ImportFromStmt*>(s);
          names = f->names;
          Line(depth,
               StrCat(head, " '", std::string(static_cast<size_t>(f->level), '.'), f->module, "'"),
               s->range);
        }
        for (const Alias* a : names) {
          Line(depth + 1,
               StrCat("alias '", a->name, "'", a->asname.empty() ? "" : " as '", a->asname,
                      a->asname.empty() ? "" : "'"),
               a->range);
        }
        return;
      }
      case StmtKind::kGlobal:
      case StmtKind::kNonlocal: {
        std::span<Identifier> names = s->kind == StmtKind::kGlobal
                                          ? static_cast<const GlobalStmt*>(s)->names
                                          : static_cast<const NonlocalStmt*>(s)->names;
        std::string text(head);
        for (Identifier n : names) StrAppend(&text, " '", n, "'");
        Line(depth, text, s->range);
        return;
      }
      case StmtKind::kExpr:
        Line(depth, head, s->range);
        Optional("value", static_cast<const ExprStmt*>(s)->value, depth + 1);
        return;
      case StmtKind::kIpyEscape:
        Line(depth, StrCat(head, " ", Quoted(static_cast<const IpyEscapeStmt*>(s)->text)),
             s->range);
        return;
      case StmtKind::kPass:
      case StmtKind::kBreak:
      case StmtKind::kContinue:
      case StmtKind::kError:
        Line(depth, head, s->range);
        return;
    }
  }

  void Expression(const Expr* e, int depth) {
    std::string head(ExprKindName(e->kind));
    if (e->ctx == ExprContext::kStore) {
      StrAppend(&head, " store");
    } else if (e->ctx == ExprContext::kDel) {
      StrAppend(&head, " del");
    }
    switch (e->kind) {
      case ExprKind::kName:
        Line(depth, StrCat("Name '", static_cast<const Name*>(e)->id, "'", head.substr(4)),
             e->range);
        return;
      case ExprKind::kConstant:
        Line(depth, StrCat(head, " ", Quoted(Text(e->range))), e->range);
        return;
      case ExprKind::kAttribute: {
        auto* a = static_cast<const Attribute*>(e);
        Line(depth, StrCat(head, " '", a->attr, "'"), e->range);
        Expression(a->value, depth + 1);
        return;
      }
      case ExprKind::kBoolOp: {
        auto* b = static_cast<const BoolOp*>(e);
        Line(depth, StrCat(head, b->op == BoolOpKind::kAnd ? " and" : " or"), e->range);
        for (const Expr* v : b->values) Expression(v, depth + 1);
        return;
      }
      case ExprKind::kBinOp: {
        auto* b = static_cast<const BinOp*>(e);
        Line(depth, StrCat(head, " ", BinOpSymbol(b->op)), e->range);
        Expression(b->left, depth + 1);
        Expression(b->right, depth + 1);
        return;
      }
      case ExprKind::kUnaryOp: {
        auto* u = static_cast<const UnaryOp*>(e);
        static constexpr std::string_view kOps[] = {"~", "not", "+", "-"};
        Line(depth, StrCat(head, " ", kOps[static_cast<int>(u->op)]), e->range);
        Expression(u->operand, depth + 1);
        return;
      }
      case ExprKind::kCompare: {
        auto* c = static_cast<const Compare*>(e);
        std::string ops;
        for (CmpOpKind op : c->ops) StrAppend(&ops, " ", CmpOpSymbol(op));
        Line(depth, head + ops, e->range);
        Expression(c->left, depth + 1);
        for (const Expr* v : c->comparators) Expression(v, depth + 1);
        return;
      }
      case ExprKind::kCall: {
        auto* c = static_cast<const Call*>(e);
        Line(depth, head, e->range);
        Optional("func", c->func, depth + 1);
        Exprs("args", c->args, depth + 1);
        Keywords(c->keywords, depth + 1);
        return;
      }
      case ExprKind::kLambda: {
        auto* l = static_cast<const Lambda*>(e);
        Line(depth, head, e->range);
        Args(l->args, depth + 1);
        Optional("body", l->body, depth + 1);
        return;
      }
      case ExprKind::kFormattedValue: {
        auto* f = static_cast<const FormattedValue*>(e);
        Line(depth, f->conversion != 0 ? StrCat(head, " !", std::string(1, f->conversion)) : head,
             e->range);
        Optional("value", f->value, depth + 1);
        Optional("format_spec", f->format_spec, depth + 1);
        return;
      }
      case ExprKind::kIpyEscape:
        Line(depth, StrCat(head, " ", Quoted(static_cast<const IpyEscapeExpr*>(e)->text)),
             e->range);
        return;
      case ExprKind::kListComp:
      case ExprKind::kSetComp:
      case ExprKind::kGeneratorExp:
      case ExprKind::kDictComp: {
        Line(depth, head, e->range);
        ComprehensionList gens;
        if (auto* c = e->As<ListComp>()) {
          Optional("elt", c->elt, depth + 1);
          gens = c->generators;
        } else if (auto* c = e->As<SetComp>()) {
          Optional("elt", c->elt, depth + 1);
          gens = c->generators;
        } else if (auto* c = e->As<GeneratorExp>()) {
          Optional("elt", c->elt, depth + 1);
          gens = c->generators;
        } else if (auto* c = e->As<DictComp>()) {
          Optional("key", c->key, depth + 1);
          Optional("value", c->value, depth + 1);
          gens = c->generators;
        }
        for (const Comprehension* g : gens) {
          Field(g->is_async ? "async comprehension" : "comprehension", depth + 1);
          Optional("target", g->target, depth + 2);
          Optional("iter", g->iter, depth + 2);
          Exprs("ifs", g->ifs, depth + 2);
        }
        return;
      }
      case ExprKind::kDict: {
        auto* d = static_cast<const Dict*>(e);
        Line(depth, head, e->range);
        for (size_t i = 0; i < d->values.size(); ++i) {
          if (d->keys[i] == nullptr) {
            Field("**", depth + 1);
          } else {
            Expression(d->keys[i], depth + 1);
          }
          Expression(d->values[i], depth + 2);
        }
        return;
      }
      default: {
        // Nodes whose children need no labels.
        Line(depth, head, e->range);
        ForEachChild(e, [&](const Expr* child) { Expression(child, depth + 1); });
        return;
      }
    }
  }

 private:
  template <typename F>
  void ForEachChild(const Expr* e, F f) {
    auto opt = [&](const Expr* c) {
      if (c != nullptr) f(c);
    };
    switch (e->kind) {
      case ExprKind::kNamedExpr:
        opt(static_cast<const NamedExpr*>(e)->target);
        opt(static_cast<const NamedExpr*>(e)->value);
        break;
      case ExprKind::kIfExp:
        opt(static_cast<const IfExp*>(e)->test);
        opt(static_cast<const IfExp*>(e)->body);
        opt(static_cast<const IfExp*>(e)->orelse);
        break;
      case ExprKind::kSet:
        for (const Expr* c : static_cast<const Set*>(e)->elts) opt(c);
        break;
      case ExprKind::kList:
        for (const Expr* c : static_cast<const List*>(e)->elts) opt(c);
        break;
      case ExprKind::kTuple:
        for (const Expr* c : static_cast<const Tuple*>(e)->elts) opt(c);
        break;
      case ExprKind::kJoinedStr:
        for (const Expr* c : static_cast<const JoinedStr*>(e)->values) opt(c);
        break;
      case ExprKind::kAwait:
        opt(static_cast<const Await*>(e)->value);
        break;
      case ExprKind::kYield:
        opt(static_cast<const Yield*>(e)->value);
        break;
      case ExprKind::kYieldFrom:
        opt(static_cast<const YieldFrom*>(e)->value);
        break;
      case ExprKind::kStarred:
        opt(static_cast<const Starred*>(e)->value);
        break;
      case ExprKind::kSubscript:
        opt(static_cast<const Subscript*>(e)->value);
        opt(static_cast<const Subscript*>(e)->slice);
        break;
      case ExprKind::kSlice:
        opt(static_cast<const Slice*>(e)->lower);
        opt(static_cast<const Slice*>(e)->upper);
        opt(static_cast<const Slice*>(e)->step);
        break;
      default:
        break;
    }
  }

  void PatternNode(const Pattern* p, int depth) {
    std::string head(PatternKindName(p->kind));
    if (!p->name.empty()) StrAppend(&head, " '", p->name, "'");
    Line(depth, head, p->range);
    Optional("value", p->value, depth + 1);
    Optional("cls", p->cls, depth + 1);
    if (p->kind == PatternKind::kMatchMapping) {
      Exprs("keys", p->keys, depth + 1);
    }
    for (const Pattern* sub : p->patterns) PatternNode(sub, depth + 1);
    for (size_t i = 0; i < p->kwd_attrs.size(); ++i) {
      Field(StrCat(p->kwd_attrs[i], "="), depth + 1);
      PatternNode(p->kwd_patterns[i], depth + 2);
    }
    if (p->pattern != nullptr) PatternNode(p->pattern, depth + 1);
  }

  void Args(const Arguments* a, int depth) {
    if (a == nullptr) return;
    auto list = [&](std::string_view field, std::span<Arg*> args) {
      if (args.empty()) return;
      Field(field, depth);
      for (const Arg* arg : args) ArgNode(arg, depth + 1);
    };
    list("posonlyargs", a->posonlyargs);
    list("args", a->args);
    if (a->vararg != nullptr) {
      Field("vararg", depth);
      ArgNode(a->vararg, depth + 1);
    }
    list("kwonlyargs", a->kwonlyargs);
    if (a->kwarg != nullptr) {
      Field("kwarg", depth);
      ArgNode(a->kwarg, depth + 1);
    }
    Exprs("defaults", a->defaults, depth);
    if (!a->kw_defaults.empty()) {
      Field("kw_defaults", depth);
      for (const Expr* d : a->kw_defaults) {
        if (d == nullptr) {
          Field("None", depth + 1);
        } else {
          Expression(d, depth + 1);
        }
      }
    }
  }

  void ArgNode(const Arg* a, int depth) {
    Line(depth, StrCat("arg '", a->name, "'"), a->range);
    Optional("annotation", a->annotation, depth + 1);
  }

  void Keywords(std::span<Keyword*> keywords, int depth) {
    for (const Keyword* k : keywords) {
      Line(depth, k->arg.empty() ? "keyword **" : StrCat("keyword '", k->arg, "'"), k->range);
      Expression(k->value, depth + 1);
    }
  }

  void TypeParams(TypeParamList params, int depth) {
    static constexpr std::string_view kKinds[] = {"TypeVar", "ParamSpec", "TypeVarTuple"};
    for (const TypeParam* t : params) {
      Line(depth, StrCat(kKinds[static_cast<int>(t->kind)], " '", t->name, "'"), t->range);
      Optional("bound", t->bound, depth + 1);
      Optional("default", t->default_value, depth + 1);
    }
  }

  void Exprs(std::string_view field, ExprList list, int depth) {
    if (list.empty()) return;
    Field(field, depth);
    for (const Expr* e : list) {
      if (e != nullptr) Expression(e, depth + 1);
    }
  }

  void Optional(std::string_view field, const Expr* e, int depth) {
    if (e == nullptr) return;
    Field(field, depth);
    Expression(e, depth + 1);
  }

  void Field(std::string_view name, int depth) {
    Indent(depth);
    out_ << name << ":\n";
  }

  void Line(int depth, std::string_view text, Range range) {
    Indent(depth);
    LineCol a = lines_.Lookup(range.start);
    LineCol b = lines_.Lookup(range.end);
    out_ << text << "  @" << a.line << ":" << a.col << "-" << b.line << ":" << b.col << "\n";
  }

  void Indent(int depth) {
    for (int i = 0; i < depth; ++i) out_ << "  ";
  }

  std::string_view Text(Range r) const { return buf_.substr(r.start, r.end - r.start); }

  static std::string Quoted(std::string_view text) {
    constexpr size_t kMax = 60;
    std::string out = "\"";
    for (size_t i = 0; i < text.size() && i < kMax; ++i) {
      char c = text[i];
      if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c == '\t') {
        out += "\\t";
      } else if (c == '"' || c == '\\') {
        out += '\\';
        out += c;
      } else {
        out += c;
      }
    }
    if (text.size() > kMax) out += "...";
    out += '"';
    return out;
  }

  std::string_view buf_;
  const LineIndex& lines_;
  std::ostream& out_;
};

}  // namespace

void DumpAst(const Module* module, std::string_view buffer, const LineIndex& lines,
             std::ostream& out) {
  Dumper dumper(buffer, lines, out);
  out << "Module\n";
  for (const Stmt* s : module->body) dumper.Statement(s, 1);
}

}  // namespace cellflow
