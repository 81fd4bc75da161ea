// Depth-first traversal of the AST with overridable hooks.
#ifndef CELLFLOW_PARSER_AST_VISITOR_H_
#define CELLFLOW_PARSER_AST_VISITOR_H_

#include "parser/ast.h"

namespace cellflow {

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
