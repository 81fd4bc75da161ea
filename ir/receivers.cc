#include "ir/receivers.h"

#include <algorithm>

#include "parser/ast.h"

namespace cellflow {
namespace {

// Calls visit(s) for every statement of `body` and of the blocks in it, not entering function
// and class bodies.
template <typename Visit>
void WalkBlocks(const StmtList& body, const Visit& visit) {
  for (const Stmt* s : body) {
    visit(s);
    switch (s->kind) {
      case StmtKind::kIf: {
        const auto* i = static_cast<const IfStmt*>(s);
        WalkBlocks(i->body, visit);
        WalkBlocks(i->orelse, visit);
        break;
      }
      case StmtKind::kFor:
        WalkBlocks(static_cast<const ForStmt*>(s)->body, visit);
        break;
      case StmtKind::kWhile:
        WalkBlocks(static_cast<const WhileStmt*>(s)->body, visit);
        break;
      case StmtKind::kWith:
        WalkBlocks(static_cast<const WithStmt*>(s)->body, visit);
        break;
      case StmtKind::kTry: {
        const auto* t = static_cast<const TryStmt*>(s);
        WalkBlocks(t->body, visit);
        for (const ExceptHandler* h : t->handlers) WalkBlocks(h->body, visit);
        WalkBlocks(t->orelse, visit);
        WalkBlocks(t->finalbody, visit);
        break;
      }
      default:
        break;
    }
  }
}

void SortUnique(std::vector<std::string_view>* names) {
  std::sort(names->begin(), names->end());
  names->erase(std::unique(names->begin(), names->end()), names->end());
}

}  // namespace

std::vector<std::string_view> MethodReceivers(std::span<const CodeCell> cells) {
  std::vector<std::string_view> classes;
  for (const CodeCell& cell : cells) {
    if (cell.module == nullptr) continue;
    WalkBlocks(cell.module->body, [&](const Stmt* s) {
      if (const auto* c = s->As<ClassDefStmt>()) classes.push_back(c->name);
    });
  }
  if (classes.empty()) return classes;
  SortUnique(&classes);
  std::vector<std::string_view> receivers = classes;
  for (const CodeCell& cell : cells) {
    if (cell.module == nullptr) continue;
    WalkBlocks(cell.module->body, [&](const Stmt* s) {
      const auto* a = s->As<AssignStmt>();
      const auto* made = a != nullptr ? a->value->As<Call>() : nullptr;
      const auto* cls = made != nullptr ? made->func->As<Name>() : nullptr;
      if (cls == nullptr || !std::binary_search(classes.begin(), classes.end(), cls->id)) return;
      for (const Expr* t : a->targets) {
        if (const auto* n = t->As<Name>()) receivers.push_back(n->id);
      }
    });
  }
  SortUnique(&receivers);
  return receivers;
}

}  // namespace cellflow
