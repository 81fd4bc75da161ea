// Child traversal for every node kind, in the order the source text has them.
#include "parser/ast_visitor.h"

namespace cellflow {

void AstVisitor::WalkStmt(const Stmt* s) {
  switch (s->kind) {
    case StmtKind::kFunctionDef: {
      auto* f = static_cast<const FunctionDefStmt*>(s);
      VisitAll(f->decorators);
      for (const TypeParam* t : f->type_params) VisitTypeParam(t);
      VisitArguments(f->args);
      VisitOptional(f->returns);
      VisitBody(f->body);
      break;
    }
    case StmtKind::kClassDef: {
      auto* c = static_cast<const ClassDefStmt*>(s);
      VisitAll(c->decorators);
      for (const TypeParam* t : c->type_params) VisitTypeParam(t);
      VisitAll(c->bases);
      for (const Keyword* k : c->keywords) VisitExpr(k->value);
      VisitBody(c->body);
      break;
    }
    case StmtKind::kReturn:
      VisitOptional(static_cast<const ReturnStmt*>(s)->value);
      break;
    case StmtKind::kDelete:
      VisitAll(static_cast<const DeleteStmt*>(s)->targets);
      break;
    case StmtKind::kAssign: {
      auto* a = static_cast<const AssignStmt*>(s);
      VisitAll(a->targets);
      VisitExpr(a->value);
      break;
    }
    case StmtKind::kTypeAlias: {
      auto* t = static_cast<const TypeAliasStmt*>(s);
      VisitExpr(t->name);
      for (const TypeParam* p : t->type_params) VisitTypeParam(p);
      VisitExpr(t->value);
      break;
    }
    case StmtKind::kAugAssign: {
      auto* a = static_cast<const AugAssignStmt*>(s);
      VisitExpr(a->target);
      VisitExpr(a->value);
      break;
    }
    case StmtKind::kAnnAssign: {
      auto* a = static_cast<const AnnAssignStmt*>(s);
      VisitExpr(a->target);
      VisitExpr(a->annotation);
      VisitOptional(a->value);
      break;
    }
    case StmtKind::kFor: {
      auto* f = static_cast<const ForStmt*>(s);
      VisitExpr(f->target);
      VisitExpr(f->iter);
      VisitBody(f->body);
      VisitBody(f->orelse);
      break;
    }
    case StmtKind::kWhile: {
      auto* w = static_cast<const WhileStmt*>(s);
      VisitExpr(w->test);
      VisitBody(w->body);
      VisitBody(w->orelse);
      break;
    }
    case StmtKind::kIf: {
      auto* i = static_cast<const IfStmt*>(s);
      VisitExpr(i->test);
      VisitBody(i->body);
      VisitBody(i->orelse);
      break;
    }
    case StmtKind::kWith: {
      auto* w = static_cast<const WithStmt*>(s);
      for (const WithItem* item : w->items) {
        VisitExpr(item->context_expr);
        VisitOptional(item->optional_vars);
      }
      VisitBody(w->body);
      break;
    }
    case StmtKind::kMatch: {
      auto* m = static_cast<const MatchStmt*>(s);
      VisitExpr(m->subject);
      for (const MatchCase* c : m->cases) {
        VisitPattern(c->pattern);
        VisitOptional(c->guard);
        VisitBody(c->body);
      }
      break;
    }
    case StmtKind::kRaise: {
      auto* r = static_cast<const RaiseStmt*>(s);
      VisitOptional(r->exc);
      VisitOptional(r->cause);
      break;
    }
    case StmtKind::kTry: {
      auto* t = static_cast<const TryStmt*>(s);
      VisitBody(t->body);
      for (const ExceptHandler* h : t->handlers) VisitExceptHandler(h);
      VisitBody(t->orelse);
      VisitBody(t->finalbody);
      break;
    }
    case StmtKind::kAssert: {
      auto* a = static_cast<const AssertStmt*>(s);
      VisitExpr(a->test);
      VisitOptional(a->msg);
      break;
    }
    case StmtKind::kExpr:
      VisitExpr(static_cast<const ExprStmt*>(s)->value);
      break;
    case StmtKind::kImport:
    case StmtKind::kImportFrom:
    case StmtKind::kGlobal:
    case StmtKind::kNonlocal:
    case StmtKind::kPass:
    case StmtKind::kBreak:
    case StmtKind::kContinue:
    case StmtKind::kIpyEscape:
    case StmtKind::kError:
      break;
  }
}

void AstVisitor::WalkExpr(const Expr* e) {
  switch (e->kind) {
    case ExprKind::kBoolOp:
      VisitAll(static_cast<const BoolOp*>(e)->values);
      break;
    case ExprKind::kNamedExpr: {
      auto* n = static_cast<const NamedExpr*>(e);
      VisitExpr(n->target);
      VisitExpr(n->value);
      break;
    }
    case ExprKind::kBinOp: {
      auto* b = static_cast<const BinOp*>(e);
      VisitExpr(b->left);
      VisitExpr(b->right);
      break;
    }
    case ExprKind::kUnaryOp:
      VisitExpr(static_cast<const UnaryOp*>(e)->operand);
      break;
    case ExprKind::kLambda: {
      auto* l = static_cast<const Lambda*>(e);
      VisitArguments(l->args);
      VisitOptional(l->body);
      break;
    }
    case ExprKind::kIfExp: {
      auto* i = static_cast<const IfExp*>(e);
      VisitExpr(i->body);
      VisitExpr(i->test);
      VisitOptional(i->orelse);
      break;
    }
    case ExprKind::kDict: {
      auto* d = static_cast<const Dict*>(e);
      for (size_t i = 0; i < d->values.size(); ++i) {
        VisitOptional(d->keys[i]);
        VisitExpr(d->values[i]);
      }
      break;
    }
    case ExprKind::kSet:
      VisitAll(static_cast<const Set*>(e)->elts);
      break;
    case ExprKind::kListComp: {
      auto* c = static_cast<const ListComp*>(e);
      VisitExpr(c->elt);
      for (const Comprehension* g : c->generators) VisitComprehension(g);
      break;
    }
    case ExprKind::kSetComp: {
      auto* c = static_cast<const SetComp*>(e);
      VisitExpr(c->elt);
      for (const Comprehension* g : c->generators) VisitComprehension(g);
      break;
    }
    case ExprKind::kDictComp: {
      auto* c = static_cast<const DictComp*>(e);
      VisitExpr(c->key);
      VisitExpr(c->value);
      for (const Comprehension* g : c->generators) VisitComprehension(g);
      break;
    }
    case ExprKind::kGeneratorExp: {
      auto* c = static_cast<const GeneratorExp*>(e);
      VisitExpr(c->elt);
      for (const Comprehension* g : c->generators) VisitComprehension(g);
      break;
    }
    case ExprKind::kAwait:
      VisitExpr(static_cast<const Await*>(e)->value);
      break;
    case ExprKind::kYield:
      VisitOptional(static_cast<const Yield*>(e)->value);
      break;
    case ExprKind::kYieldFrom:
      VisitExpr(static_cast<const YieldFrom*>(e)->value);
      break;
    case ExprKind::kCompare: {
      auto* c = static_cast<const Compare*>(e);
      VisitExpr(c->left);
      VisitAll(c->comparators);
      break;
    }
    case ExprKind::kCall: {
      auto* c = static_cast<const Call*>(e);
      VisitOptional(c->func);
      VisitAll(c->args);
      for (const Keyword* k : c->keywords) VisitExpr(k->value);
      break;
    }
    case ExprKind::kFormattedValue: {
      auto* f = static_cast<const FormattedValue*>(e);
      VisitOptional(f->value);
      VisitOptional(f->format_spec);
      break;
    }
    case ExprKind::kJoinedStr:
      VisitAll(static_cast<const JoinedStr*>(e)->values);
      break;
    case ExprKind::kAttribute:
      VisitExpr(static_cast<const Attribute*>(e)->value);
      break;
    case ExprKind::kSubscript: {
      auto* s = static_cast<const Subscript*>(e);
      VisitExpr(s->value);
      VisitExpr(s->slice);
      break;
    }
    case ExprKind::kStarred:
      VisitExpr(static_cast<const Starred*>(e)->value);
      break;
    case ExprKind::kList:
      VisitAll(static_cast<const List*>(e)->elts);
      break;
    case ExprKind::kTuple:
      VisitAll(static_cast<const Tuple*>(e)->elts);
      break;
    case ExprKind::kSlice: {
      auto* s = static_cast<const Slice*>(e);
      VisitOptional(s->lower);
      VisitOptional(s->upper);
      VisitOptional(s->step);
      break;
    }
    case ExprKind::kConstant:
    case ExprKind::kName:
    case ExprKind::kIpyEscape:
    case ExprKind::kError:
      break;
  }
}

void AstVisitor::WalkPattern(const Pattern* p) {
  switch (p->kind) {
    case PatternKind::kMatchValue:
    case PatternKind::kMatchSingleton:
      VisitOptional(p->value);
      break;
    case PatternKind::kMatchSequence:
    case PatternKind::kMatchOr:
      for (const Pattern* sub : p->patterns) VisitPattern(sub);
      break;
    case PatternKind::kMatchMapping:
      for (size_t i = 0; i < p->keys.size(); ++i) {
        VisitExpr(p->keys[i]);
        if (i < p->patterns.size()) VisitPattern(p->patterns[i]);
      }
      break;
    case PatternKind::kMatchClass:
      VisitOptional(p->cls);
      for (const Pattern* sub : p->patterns) VisitPattern(sub);
      for (const Pattern* sub : p->kwd_patterns) VisitPattern(sub);
      break;
    case PatternKind::kMatchStar:
      break;
    case PatternKind::kMatchAs:
      if (p->pattern != nullptr) VisitPattern(p->pattern);
      break;
  }
}

void AstVisitor::WalkArguments(const Arguments* a) {
  if (a == nullptr) return;
  for (const Arg* arg : a->posonlyargs) VisitArg(arg);
  for (const Arg* arg : a->args) VisitArg(arg);
  if (a->vararg != nullptr) VisitArg(a->vararg);
  for (const Arg* arg : a->kwonlyargs) VisitArg(arg);
  if (a->kwarg != nullptr) VisitArg(a->kwarg);
  VisitAll(a->defaults);
  VisitAll(a->kw_defaults);
}

void AstVisitor::WalkComprehension(const Comprehension* c) {
  VisitExpr(c->target);
  VisitOptional(c->iter);
  VisitAll(c->ifs);
}

void AstVisitor::WalkExceptHandler(const ExceptHandler* h) {
  VisitOptional(h->type);
  VisitBody(h->body);
}

void AstVisitor::WalkTypeParam(const TypeParam* t) {
  VisitOptional(t->bound);
  VisitOptional(t->default_value);
}

}  // namespace cellflow
