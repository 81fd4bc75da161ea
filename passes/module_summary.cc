// What a local module defines and exports, read from its AST without running it.
#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"

#include "ir/lower.h"
#include "ir/scopes.h"
#include "parser/ast_visitor.h"
#include "passes/imports.h"

namespace cellflow {
namespace {

bool IsCallTo(const Expr* e, std::string_view name, size_t args) {
  const auto* c = e == nullptr ? nullptr : e->As<Call>();
  if (c == nullptr || c->args.size() != args || !c->keywords.empty()) return false;
  const auto* n = c->func->As<Name>();
  return n != nullptr && n->id == name;
}

// The value of `__all__` followed through the module's top-level statements, as Python would
// build it: lists and tuples of string literals, `+` of such values, names bound to one
// earlier, `__all__ += ...`, `__all__.extend(...)`, `__all__.append('name')`. Any other
// assignment or mutation of `__all__` makes it unknown.
class AllValue {
 public:
  explicit AllValue(std::string_view buffer) : buffer_(buffer) {}

  // A top-level statement (compound statements' bodies included: what they add is added).
  void Statement(const Stmt* s) {
    if (const auto* a = s->As<AssignStmt>()) {
      for (const Expr* t : a->targets) Assign(t, a->value, false);
    } else if (const auto* g = s->As<AugAssignStmt>()) {
      Assign(g->target, g->op == BinOpKind::kAdd ? g->value : nullptr, true);
    } else if (const auto* n = s->As<AnnAssignStmt>(); n != nullptr && n->value != nullptr) {
      Assign(n->target, n->value, false);
    } else if (const auto* e = s->As<ExprStmt>()) {
      Mutation(e->value);
    }
  }

  // The names, or null when they cannot be known (or __all__ is not assigned).
  const std::vector<std::string>* names() const {
    auto it = lists_.find("__all__");
    return known_ && it != lists_.end() ? &it->second : nullptr;
  }

 private:
  void Assign(const Expr* target, const Expr* value, bool augmented) {
    const auto* n = target->As<Name>();
    if (n == nullptr) {
      // `a, b = ...` and the like: whatever they bind is not followed.
      ForEachTargetName(target, [this](const Name* inner) { Assign(inner, nullptr, false); });
      return;
    }
    std::vector<std::string> v;
    bool ok = value != nullptr && Eval(value, &v);
    auto it = lists_.find(n->id);
    if (augmented && it == lists_.end()) ok = false;
    if (n->id == "__all__") {
      // A new list replaces whatever was there; a change to an unknown list stays unknown.
      if (!ok) {
        known_ = false;
      } else if (!augmented) {
        known_ = true;
      }
    }
    if (!ok) {
      if (it != lists_.end()) lists_.erase(it);
    } else if (augmented) {
      it->second.insert(it->second.end(), v.begin(), v.end());
    } else {
      lists_[n->id] = std::move(v);
    }
  }

  // `x.extend([...])`, `x.append('n')`: followed for lists this class knows; any other call of
  // a method of `__all__` makes it unknown.
  void Mutation(const Expr* e) {
    const auto* c = e->As<Call>();
    const auto* a = c == nullptr ? nullptr : c->func->As<Attribute>();
    const auto* n = a == nullptr ? nullptr : a->value->As<Name>();
    if (n == nullptr) return;
    auto it = lists_.find(n->id);
    if (it == lists_.end()) {
      if (n->id == "__all__") known_ = false;
      return;
    }
    std::vector<std::string> v;
    bool ok = c->args.size() == 1 && c->keywords.empty();
    if (ok && a->attr == "extend") {
      ok = Eval(c->args[0], &v);
    } else if (ok && a->attr == "append") {
      std::string s;
      ok = StringLiteralValue(c->args[0], buffer_, &s);
      v.push_back(std::move(s));
    } else {
      ok = a->attr == "sort" && c->args.empty();
    }
    if (ok) {
      it->second.insert(it->second.end(), v.begin(), v.end());
      return;
    }
    if (n->id == "__all__") known_ = false;
    lists_.erase(it);
  }

  bool Eval(const Expr* e, std::vector<std::string>* out) const {
    const ExprList* elts = nullptr;
    if (const auto* l = e->As<List>()) elts = &l->elts;
    if (const auto* t = e->As<Tuple>()) elts = &t->elts;
    if (elts != nullptr) {
      std::string v;
      for (const Expr* x : *elts) {
        if (!StringLiteralValue(x, buffer_, &v)) return false;
        out->push_back(v);
      }
      return true;
    }
    if (const auto* b = e->As<BinOp>(); b != nullptr && b->op == BinOpKind::kAdd) {
      return Eval(b->left, out) && Eval(b->right, out);
    }
    if (const auto* n = e->As<Name>()) {
      auto it = lists_.find(n->id);
      if (it == lists_.end() || (n->id == "__all__" && !known_)) return false;
      out->insert(out->end(), it->second.begin(), it->second.end());
      return true;
    }
    // list(...)/tuple(...) of a known value.
    if (IsCallTo(e, "list", 1) || IsCallTo(e, "tuple", 1)) {
      return Eval(e->As<Call>()->args[0], out);
    }
    return false;
  }

  std::string_view buffer_;
  absl::flat_hash_map<std::string_view, std::vector<std::string>> lists_;
  bool known_ = true;
};

// `sys.meta_path` or `sys.path_hooks`: where import hooks are installed.
bool IsImportHookList(const Expr* e) {
  const auto* a = e->As<Attribute>();
  return a != nullptr && (a->attr == "meta_path" || a->attr == "path_hooks");
}

// An import hook list anywhere in `s` (a def or class whose code may install a hook when
// called).
bool MentionsImportHooks(const Stmt* s) {
  class Finder : public AstVisitor {
   public:
    bool found = false;
    void VisitExpr(const Expr* e) override {
      found = found || IsImportHookList(e);
      if (!found) WalkExpr(e);
    }
  } finder;
  finder.VisitStmt(s);
  return finder.found;
}

// The module's top-level code (compound statements' bodies included, function and class bodies
// not): its star imports, `__all__`, and calls that bind names no statement shows.
class TopLevel : public AstVisitor {
 public:
  TopLevel(std::string_view buffer, LocalModule* out) : buffer_(buffer), all_(buffer), out_(out) {}

  void VisitStmt(const Stmt* s) override {
    if (const auto* a = s->As<AssignStmt>()) {
      for (const Expr* t : a->targets) ReplacesModule(t);
    }
    if (s->kind == StmtKind::kFunctionDef || s->kind == StmtKind::kClassDef) {
      // Their bodies run when called (or, for a class, now): either can write the globals.
      if (!out_->dynamic) {
        if (WritesGlobals(s, buffer_)) out_->dynamic = true;
        if (MentionsImportHooks(s)) out_->dynamic = out_->submodules_dynamic = true;
      }
      return;
    }
    if (const auto* f = s->As<ImportFromStmt>()) {
      for (const Alias* a : f->names) {
        if (a->name == "*") stars_.push_back(f);
      }
    }
    all_.Statement(s);
    WalkStmt(s);
  }

  void VisitExpr(const Expr* e) override {
    if (const auto* c = e->As<Call>()) {
      if (const auto* n = c->func->As<Name>();
          n != nullptr && (n->id == "exec" || n->id == "globals" || n->id == "vars")) {
        out_->dynamic = true;
        if (n->id == "exec") out_->submodules_dynamic = true;
      }
    }
    // An import hook installed at import time (setuptools.extern's vendored packages): what
    // `from m import x` finds is up to it. So is what a package's edited __path__ holds.
    if (IsImportHookList(e)) out_->dynamic = out_->submodules_dynamic = true;
    if (const auto* n = e->As<Name>(); n != nullptr && n->id == "__path__") {
      out_->submodules_dynamic = true;
    }
    if (e->kind == ExprKind::kLambda) return;
    WalkExpr(e);
  }

  const AllValue& all() const { return all_; }
  const std::vector<const ImportFromStmt*>& stars() const { return stars_; }

 private:
  // `sys.modules[__name__] = LazyModule(...)` (pygments' formatters) or
  // `sys.modules[__name__].__class__ = ...`: the module others import is another object.
  void ReplacesModule(const Expr* target) {
    if (const auto* a = target->As<Attribute>(); a != nullptr && a->attr == "__class__") {
      target = a->value;
    }
    const auto* sub = target->As<Subscript>();
    const auto* m = sub == nullptr ? nullptr : sub->value->As<Attribute>();
    if (m != nullptr && m->attr == "modules") out_->dynamic = out_->submodules_dynamic = true;
  }

  std::string_view buffer_;
  AllValue all_;
  LocalModule* out_;
  std::vector<const ImportFromStmt*> stars_;
};

}  // namespace

void SummarizeModule(const Module* module, std::string_view buffer, LocalModule* out,
                     const StarImportFinder* find) {
  std::unique_ptr<ScopeTree> tree = BuildScopes(module, buffer);
  const Scope* scope = tree->module();
  for (const Symbol& sym : scope->symbols) {
    if (sym.name.empty() || sym.name[0] == '.') continue;
    if ((sym.flags & (kDefBound | kDefGlobal)) == 0) continue;
    out->names.emplace(sym.name);
    if ((sym.flags & kDefBound) == kDefImport) out->imported.emplace(sym.name);
    if (sym.name == "__getattr__") out->dynamic = true;
  }
  TopLevel top(buffer, out);
  for (const Stmt* s : module->body) top.VisitStmt(s);
  ModuleSearchPath(module, buffer, out->is_package ? StrCat(out->path, "/__init__.py") : out->path,
                   &out->sys_path, &out->sys_path_dynamic);
  // `from m import *` binds m's exports here (and, with no __all__, exports them again).
  for (const ImportFromStmt* f : top.stars()) {
    const LocalModule* from = find != nullptr ? (*find)(f->module, f->level) : nullptr;
    if (from == nullptr || !from->exports_known) {
      out->dynamic = true;
      break;
    }
    for (const std::string& n : from->exports) {
      if (out->names.insert(n).second) out->imported.insert(n);
    }
  }
  // A module whose __all__ cannot be followed exports, at most, its public names.
  const std::vector<std::string>* all = top.all().names();
  if (all != nullptr) {
    out->exports = *all;
    out->exports_known = true;
    return;
  }
  if (!out->dynamic) {
    for (const std::string& n : out->names) {
      if (!n.empty() && n[0] != '_') out->exports.push_back(n);
    }
    std::sort(out->exports.begin(), out->exports.end());
  }
  out->exports_known = !out->dynamic;
}

}  // namespace cellflow
