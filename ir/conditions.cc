// Facts about if tests for the lowering: which tests give the same answer when evaluated
// again, the names they read, and the names a branch binds.
#include "ir/conditions.h"

#include <algorithm>

namespace cellflow {

bool StableTest(const Expr* e) {
  switch (e->kind) {
    case ExprKind::kName:
    case ExprKind::kConstant:
      return true;
    case ExprKind::kAttribute:
      return StableTest(static_cast<const Attribute*>(e)->value);
    case ExprKind::kUnaryOp:
      return static_cast<const UnaryOp*>(e)->op == UnaryOpKind::kNot &&
             StableTest(static_cast<const UnaryOp*>(e)->operand);
    case ExprKind::kBoolOp:
      for (const Expr* v : static_cast<const BoolOp*>(e)->values) {
        if (!StableTest(v)) return false;
      }
      return true;
    case ExprKind::kCompare: {
      const auto* c = static_cast<const Compare*>(e);
      if (!StableTest(c->left)) return false;
      for (const Expr* v : c->comparators) {
        if (!StableTest(v)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

void TestNames(const Expr* e, std::vector<std::string_view>* out) {
  switch (e->kind) {
    case ExprKind::kName:
      out->push_back(static_cast<const Name*>(e)->id);
      return;
    case ExprKind::kAttribute:
      TestNames(static_cast<const Attribute*>(e)->value, out);
      return;
    case ExprKind::kUnaryOp:
      TestNames(static_cast<const UnaryOp*>(e)->operand, out);
      return;
    case ExprKind::kBoolOp:
      for (const Expr* v : static_cast<const BoolOp*>(e)->values) TestNames(v, out);
      return;
    case ExprKind::kCompare:
      TestNames(static_cast<const Compare*>(e)->left, out);
      for (const Expr* v : static_cast<const Compare*>(e)->comparators) TestNames(v, out);
      return;
    default:
      return;
  }
}

namespace {

void TargetNames(const Expr* target, std::vector<std::string_view>* out) {
  if (const auto* n = target->As<Name>()) {
    out->push_back(n->id);
  } else if (const auto* t = target->As<Tuple>()) {
    for (const Expr* e : t->elts) TargetNames(e, out);
  } else if (const auto* l = target->As<List>()) {
    for (const Expr* e : l->elts) TargetNames(e, out);
  } else if (const auto* st = target->As<Starred>()) {
    TargetNames(st->value, out);
  }
}

}  // namespace

void BoundDirectly(StmtList body, std::vector<std::string_view>* out) {
  for (const Stmt* s : body) {
    if (const auto* a = s->As<AssignStmt>()) {
      for (const Expr* t : a->targets) TargetNames(t, out);
    } else if (const auto* g = s->As<AugAssignStmt>()) {
      TargetNames(g->target, out);
    } else if (const auto* an = s->As<AnnAssignStmt>()) {
      if (an->value != nullptr) TargetNames(an->target, out);
    } else if (const auto* f = s->As<FunctionDefStmt>()) {
      out->push_back(f->name);
    } else if (const auto* c = s->As<ClassDefStmt>()) {
      out->push_back(c->name);
    } else if (s->kind == StmtKind::kImport || s->kind == StmtKind::kImportFrom) {
      for (const Alias* a : ImportedNames(s)) {
        if (a->name != "*") out->push_back(BoundName(*a));
      }
    } else if (const auto* d = s->As<DeleteStmt>()) {
      std::vector<std::string_view> deleted;
      for (const Expr* t : d->targets) TargetNames(t, &deleted);
      std::erase_if(*out, [&](std::string_view n) {
        return std::find(deleted.begin(), deleted.end(), n) != deleted.end();
      });
    }
  }
}

std::string_view FlagTest(const Expr* test, bool* negated) {
  *negated = false;
  if (const auto* u = test->As<UnaryOp>(); u != nullptr && u->op == UnaryOpKind::kNot) {
    *negated = true;
    test = u->operand;
  }
  const auto* n = test->As<Name>();
  return n == nullptr ? std::string_view() : n->id;
}

std::optional<bool> FlagAssigned(StmtList body, std::string_view flag) {
  for (const Stmt* s : body) {
    const auto* a = s->As<AssignStmt>();
    if (a == nullptr || a->targets.size() != 1) continue;
    const auto* target = a->targets[0]->As<Name>();
    const auto* value = a->value->As<Constant>();
    if (target == nullptr || target->id != flag || value == nullptr) continue;
    switch (value->value_kind) {
      case ConstantKind::kTrue:
        return true;
      case ConstantKind::kFalse:
      case ConstantKind::kNone:
        return false;
      default:
        return std::nullopt;
    }
  }
  return std::nullopt;
}

std::string TestKey(std::string_view buffer, const Expr* test) {
  std::string key;
  for (char c : buffer.substr(test->range.start, test->range.end - test->range.start)) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\\') key.push_back(c);
  }
  return key;
}

}  // namespace cellflow
