// Functions and classes that bind module globals no statement names, and who calls them.
#include <algorithm>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"

#include "ir/conditions.h"
#include "ir/lower.h"
#include "parser/ast_visitor.h"

namespace cellflow {
namespace {

class GlobalsWriter : public AstVisitor {
 public:
  explicit GlobalsWriter(std::string_view buffer) : buffer_(buffer) {}
  bool found() const { return found_; }

  void VisitStmt(const Stmt* s) override {
    if (found_) return;
    if (const auto* a = s->As<AssignStmt>()) {
      for (const Expr* t : a->targets) Target(t);
    } else if (const auto* g = s->As<AugAssignStmt>()) {
      Target(g->target);
    } else if (const auto* n = s->As<AnnAssignStmt>()) {
      Target(n->target);
    }
    WalkStmt(s);
  }

  void VisitExpr(const Expr* e) override {
    if (found_) return;
    if (const auto* c = e->As<Call>()) {
      // globals().update(...), globals().setdefault(...)
      if (const auto* a = c->func->As<Attribute>();
          a != nullptr && IsGlobals(a->value) &&
          (a->attr == "update" || a->attr == "setdefault" || a->attr == "__setitem__")) {
        found_ = true;
      }
      // exec(source, globals()), or globals() handed to a function that may write it.
      if (!ReadsItsArgumentsOnly(c->func)) {
        for (const Expr* arg : c->args) {
          if (IsGlobals(arg)) found_ = true;
        }
        for (const Keyword* k : c->keywords) {
          if (IsGlobals(k->value)) found_ = true;
        }
      }
      // setattr(sys.modules[__name__], name, value), setattr(builtins, name, value)
      if (const auto* f = c->func->As<Name>(); f != nullptr && f->id == "setattr" &&
                                               !c->args.empty() &&
                                               IsNamespaceModule(c->args[0], buffer_)) {
        found_ = true;
      }
    }
    WalkExpr(e);
  }

 private:
  // In a def or class body, locals() and vars() are not the globals.
  bool IsGlobals(const Expr* e) const { return IsGlobalsDict(e, buffer_, false); }

  // globals()[name] = value
  void Target(const Expr* t) {
    if (const auto* sub = t->As<Subscript>()) {
      if (IsGlobals(sub->value)) found_ = true;
    } else if (const auto* tuple = t->As<Tuple>()) {
      for (const Expr* e : tuple->elts) Target(e);
    } else if (const auto* list = t->As<List>()) {
      for (const Expr* e : list->elts) Target(e);
    }
  }

  std::string_view buffer_;
  bool found_ = false;
};

}  // namespace

bool WritesGlobals(const Stmt* definition, std::string_view buffer) {
  GlobalsWriter writer(buffer);
  writer.VisitStmt(definition);
  return writer.found();
}

// Module-level functions that bind globals dynamically, and those that call one of them: only
// functions that call exec(), globals() and the like are read again. Sorted.
std::vector<std::string_view> GlobalWriters(const Program& program, std::string_view buffer) {
  std::vector<std::string_view> writers;
  for (const auto& unit : program.functions) {
    if (unit->kind != UnitKind::kFunction || unit->owner_class != nullptr) continue;
    if (unit->FindName(kWildcardName) == nullptr) continue;
    if (WritesGlobals(static_cast<const Stmt*>(unit->node), buffer)) {
      writers.push_back(unit->name);
    }
  }
  if (writers.empty()) return writers;
  // Callers of callers, breadth first.
  absl::flat_hash_map<std::string_view, std::vector<std::string_view>> callers;
  for (const auto& unit : program.functions) {
    if (unit->kind != UnitKind::kFunction || unit->owner_class != nullptr) continue;
    for (const GlobalRead& call : unit->global_calls) callers[call.name].push_back(unit->name);
  }
  absl::flat_hash_set<std::string_view> seen(writers.begin(), writers.end());
  for (size_t i = 0; i < writers.size(); ++i) {
    auto it = callers.find(writers[i]);
    if (it == callers.end()) continue;
    for (std::string_view caller : it->second) {
      if (seen.insert(caller).second) writers.push_back(caller);
    }
  }
  std::sort(writers.begin(), writers.end());
  return writers;
}

}  // namespace cellflow
