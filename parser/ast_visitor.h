// Depth-first traversal of the AST with overridable hooks.
#ifndef CELLFLOW_PARSER_AST_VISITOR_H_
#define CELLFLOW_PARSER_AST_VISITOR_H_

#include "parser/ast.h"

namespace cellflow {

// Calls f(body) for each list of statements directly inside `s`, in source order: the branches
// of if, for, while, with, try (its handlers' bodies included) and match, and, when
// `definitions`, the body of a def or class. Nothing for a simple statement.
template <typename F>
void ForEachBody(const Stmt* s, bool definitions, F&& f) {
  switch (s->kind) {
    case StmtKind::kFunctionDef:
      if (definitions) f(static_cast<const FunctionDefStmt*>(s)->body);
      return;
    case StmtKind::kClassDef:
      if (definitions) f(static_cast<const ClassDefStmt*>(s)->body);
      return;
    case StmtKind::kFor:
      f(static_cast<const ForStmt*>(s)->body);
      f(static_cast<const ForStmt*>(s)->orelse);
      return;
    case StmtKind::kWhile:
      f(static_cast<const WhileStmt*>(s)->body);
      f(static_cast<const WhileStmt*>(s)->orelse);
      return;
    case StmtKind::kIf:
      f(static_cast<const IfStmt*>(s)->body);
      f(static_cast<const IfStmt*>(s)->orelse);
      return;
    case StmtKind::kWith:
      f(static_cast<const WithStmt*>(s)->body);
      return;
    case StmtKind::kTry: {
      const auto* t = static_cast<const TryStmt*>(s);
      f(t->body);
      for (const ExceptHandler* h : t->handlers) f(h->body);
      f(t->orelse);
      f(t->finalbody);
      return;
    }
    case StmtKind::kMatch:
      for (const MatchCase* c : static_cast<const MatchStmt*>(s)->cases) f(c->body);
      return;
    default:
      return;
  }
}

// Calls f(expr) for each expression an assignment target stores into (a name, an attribute, a
// subscript): the target itself, or those inside its tuples, lists and starred parts.
template <typename F>
void ForEachTargetLeaf(const Expr* target, F&& f) {
  if (const auto* t = target->As<Tuple>()) {
    for (const Expr* e : t->elts) ForEachTargetLeaf(e, f);
  } else if (const auto* l = target->As<List>()) {
    for (const Expr* e : l->elts) ForEachTargetLeaf(e, f);
  } else if (const auto* st = target->As<Starred>()) {
    ForEachTargetLeaf(st->value, f);
  } else {
    f(target);
  }
}

// Calls f(name) for each Name an assignment target binds (ForEachTargetLeaf's names; attributes
// and subscripts bind none).
template <typename F>
void ForEachTargetName(const Expr* target, F&& f) {
  ForEachTargetLeaf(target, [&f](const Expr* e) {
    if (const auto* n = e->As<Name>()) f(n);
  });
}

// Visits every node in source order. Override a Visit* hook to act on a node; call the matching
// Walk* from it to continue into the children (or don't, to prune). Recursion depth follows the
// tree depth, which the parser bounds (ParseOptions::max_depth).
class AstVisitor {
 public:
  virtual ~AstVisitor() = default;

  virtual void VisitStmt(const Stmt* s) { WalkStmt(s); }
  virtual void VisitExpr(const Expr* e) { WalkExpr(e); }
  virtual void VisitPattern(const Pattern* p) { WalkPattern(p); }
  virtual void VisitArguments(const Arguments* a) { WalkArguments(a); }
  virtual void VisitArg(const Arg* a) {
    if (a->annotation != nullptr) VisitExpr(a->annotation);
  }
  virtual void VisitComprehension(const Comprehension* c) { WalkComprehension(c); }
  virtual void VisitExceptHandler(const ExceptHandler* h) { WalkExceptHandler(h); }
  virtual void VisitTypeParam(const TypeParam* t) { WalkTypeParam(t); }

  void VisitBody(StmtList body) {
    for (const Stmt* s : body) VisitStmt(s);
  }
  void VisitModule(const Module* m) { VisitBody(m->body); }

  void WalkStmt(const Stmt* s);
  void WalkExpr(const Expr* e);
  void WalkPattern(const Pattern* p);
  void WalkArguments(const Arguments* a);
  void WalkComprehension(const Comprehension* c);
  void WalkExceptHandler(const ExceptHandler* h);
  void WalkTypeParam(const TypeParam* t);

 protected:
  void VisitOptional(const Expr* e) {
    if (e != nullptr) VisitExpr(e);
  }
  void VisitAll(ExprList list) {
    for (const Expr* e : list) VisitOptional(e);
  }
};

}  // namespace cellflow

#endif  // CELLFLOW_PARSER_AST_VISITOR_H_
