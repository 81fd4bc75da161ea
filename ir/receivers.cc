#include "ir/receivers.h"

#include <algorithm>
#include <utility>

#include "parser/ast.h"
#include "parser/ast_visitor.h"

namespace cellflow {
namespace {

// Module-level statements and the blocks in them (not function or class bodies, not
// expressions): the classes defined, and the names assigned a call of some name.
class ReceiverFinder : public AstVisitor {
 public:
  void VisitStmt(const Stmt* s) override {
    if (const auto* c = s->As<ClassDefStmt>()) {
      classes.push_back(c->name);
      return;
    }
    if (s->kind == StmtKind::kFunctionDef) return;
    if (const auto* a = s->As<AssignStmt>()) {
      const auto* made = a->value->As<Call>();
      const auto* callee = made != nullptr ? made->func->As<Name>() : nullptr;
      if (callee == nullptr) return;
      for (const Expr* t : a->targets) {
        if (const auto* n = t->As<Name>()) assigned.emplace_back(n->id, callee->id);
      }
      return;
    }
    WalkStmt(s);
  }
  void VisitExpr(const Expr*) override {}

  std::vector<std::string_view> classes;
  std::vector<std::pair<std::string_view, std::string_view>> assigned;  // name, callee
};

void SortUnique(std::vector<std::string_view>* names) {
  std::sort(names->begin(), names->end());
  names->erase(std::unique(names->begin(), names->end()), names->end());
}

}  // namespace

std::vector<std::string_view> MethodReceivers(std::span<const CodeCell> cells) {
  ReceiverFinder finder;
  for (const CodeCell& cell : cells) {
    if (cell.module != nullptr) finder.VisitModule(cell.module);
  }
  std::vector<std::string_view> receivers = std::move(finder.classes);
  if (receivers.empty()) return receivers;
  SortUnique(&receivers);
  const size_t classes = receivers.size();
  for (const auto& [name, callee] : finder.assigned) {
    if (std::binary_search(receivers.begin(), receivers.begin() + classes, callee)) {
      receivers.push_back(name);
    }
  }
  SortUnique(&receivers);
  return receivers;
}

}  // namespace cellflow
