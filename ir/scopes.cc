// Symbol table construction and name resolution, following CPython 3.11's Python/symtable.c.
#include "ir/scopes.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/str_format.h"

#include "lexer/str_util.h"
#include "parser/ast_visitor.h"

namespace cellflow {

using NameSet = absl::flat_hash_set<std::string_view, StringViewHash, StringViewEq>;

std::string_view Scope::TypeName() const {
  switch (kind) {
    case ScopeKind::kModule:
      return "module";
    case ScopeKind::kClass:
      return "class";
    default:
      return "function";
  }
}

// _Py_Mangle: __x inside class C is _C__x (not dunders, not dotted names). Returns the name
// itself when nothing changes; otherwise the mangled text in *storage.
std::string_view MangleName(std::string_view private_name, std::string_view name,
                            std::string* storage) {
  if (private_name.empty() || name.size() < 2 || name[0] != '_' || name[1] != '_') return name;
  if (name.substr(name.size() - 2) == "__") return name;
  if (name.find('.') != std::string_view::npos) return name;
  std::string_view cls = private_name;
  while (!cls.empty() && cls[0] == '_') cls.remove_prefix(1);
  if (cls.empty()) return name;
  *storage = StrCat("_", cls, name);
  return *storage;
}

const Symbol* Scope::Resolve(std::string_view name) const {
  if (private_name.empty()) return Find(name);  // nothing to mangle
  std::string storage;
  return Find(MangleName(private_name, name, &storage));
}

bool Scope::BoundByNested(std::string_view name) const {
  for (const Scope* child : children) {
    const Symbol* sym = child->Resolve(name);
    if (sym == nullptr) continue;
    if (sym->flags & kDefNonlocal) {
      if (sym->flags & kDefBound) return true;
    } else if (sym->flags & (kDefBound | kDefGlobal)) {
      continue;  // its own name: what is nested in it binds that one
    }
    if (child->BoundByNested(name)) return true;
  }
  return false;
}

void Scope::CellsBoundByNested(std::vector<std::string_view>* out) const {
  for (const Symbol& sym : symbols) {
    if (sym.resolution == Resolution::kCell && BoundByNested(sym.name)) out->push_back(sym.name);
  }
}

bool HasFutureAnnotations(const Module* module) {
  StmtList body = module->body;
  size_t i = 0;
  if (!body.empty()) {
    if (const auto* e = body[0]->As<ExprStmt>()) {
      const auto* c = e->value->As<Constant>();
      if (c != nullptr && c->value_kind == ConstantKind::kStr) i = 1;
    }
  }
  for (; i < body.size(); ++i) {
    const auto* from = body[i]->As<ImportFromStmt>();
    if (from == nullptr || from->module != "__future__" || from->level != 0) break;
    for (const Alias* a : from->names) {
      if (a->name == "annotations") return true;
    }
  }
  return false;
}

// Walks the AST once, creating scopes and recording per-name facts (the first pass of
// symtable.c), then resolves every name (its analyze_block()).
class ScopeBuilder : public AstVisitor {
 public:
  ScopeBuilder(ScopeTree* tree, bool future_annotations, bool top_level_await, bool module_symbols)
      : tree_(tree),
        future_annotations_(future_annotations),
        top_level_await_(top_level_await),
        module_symbols_(module_symbols) {}

  void Build(const Module* module) {
    tree_->module_ = Enter(ScopeKind::kModule, "module", 0, nullptr);
    if (module_symbols_) {
      VisitBody(module->body);
    } else {
      // Without the module's table, a statement that opens no scope records nothing (its
      // names are the module's) and raises none of the errors found here.
      for (const Stmt* s : module->body) {
        if (s->opens_scope) VisitStmt(s);
      }
    }
    stack_.pop_back();
    NameSet free, global;
    Analyze(tree_->module_, nullptr, &free, &global);
  }

  void VisitStmt(const Stmt* s) override;
  void VisitExpr(const Expr* e) override;
  void VisitPattern(const Pattern* p) override;
  void VisitExceptHandler(const ExceptHandler* h) override;

 private:
  // Per-scope state of the first pass (CPython keeps it in the symtable entry).
  struct Building {
    int comp_iter_expr = 0;         // > 0: inside a comprehension's iterable
    bool comp_iter_target = false;  // visiting a comprehension's target
  };

  Scope* Cur() { return stack_.back(); }
  Building& State() { return building_[stack_.size() - 1]; }

  Scope* Enter(ScopeKind kind, std::string_view name, Offset start, const void* node) {
    Scope* s = &tree_->module_scope_;
    if (kind != ScopeKind::kModule) {
      tree_->scopes_.push_back(std::make_unique<Scope>());
      s = tree_->scopes_.back().get();
    }
    s->kind = kind;
    s->name = name;
    s->start = start;
    s->node = node;
    s->private_name = private_;
    // Room for the symbols most scopes have; none for a module whose own table is left out.
    if (kind != ScopeKind::kModule || module_symbols_) {
      s->symbols.reserve(kind == ScopeKind::kModule ? 16 : 4);
    }
    if (node != nullptr) tree_->by_node_[node] = s;
    if (!stack_.empty()) {
      s->parent = stack_.back();
      s->parent->children.push_back(s);
    }
    stack_.push_back(s);
    building_.resize(stack_.size());
    building_.back() = Building{};
    return s;
  }
  void Exit() { stack_.pop_back(); }

  void Error(Offset at, std::string message) {
    if (!tree_->errors_.empty()) return;  // CPython stops at the first
    tree_->errors_.push_back(
        SyntaxDiagnostic{at, at, SyntaxErrorKind::kSyntax, std::move(message)});
  }

  std::string_view Mangle(std::string_view name) {
    if (private_.empty()) return name;  // outside classes nothing is mangled
    std::string storage;
    std::string_view mangled = MangleName(private_, name, &storage);
    return mangled.data() == storage.data() ? tree_->names_.CopyString(storage) : mangled;
  }

  Symbol& SymbolIn(Scope* scope, std::string_view name) {
    std::vector<Symbol>& symbols = scope->symbols;
    if (scope->index.empty()) {
      if (Symbol* s = scope->Find(name)) return *s;
      symbols.push_back(Symbol{name, 0, Resolution::kNone});
      if (symbols.size() == Scope::kIndexFrom) {
        for (uint32_t i = 0; i < symbols.size(); ++i) scope->index.emplace(symbols[i].name, i);
      }
      return symbols.back();
    }
    auto [it, inserted] = scope->index.try_emplace(name, symbols.size());
    if (inserted) symbols.push_back(Symbol{name, 0, Resolution::kNone});
    return symbols[it->second];
  }
  uint16_t Lookup(std::string_view name) {
    const Symbol* s = Cur()->Find(Mangle(name));
    return s == nullptr ? 0 : s->flags;
  }

  // symtable_add_def_helper.
  void AddDefIn(Scope* scope, size_t depth, std::string_view name, uint16_t flag, Offset at) {
    if (!module_symbols_ && scope == tree_->module_) return;
    std::string_view mangled = Mangle(name);
    Symbol& sym = SymbolIn(scope, mangled);
    uint16_t val = sym.flags;
    if ((flag & kDefParam) && (val & kDefParam)) {
      Error(at,
            absl::StrFormat("duplicate argument '%s' in function definition", std::string(name)));
    }
    val |= flag;
    if (building_[depth].comp_iter_target) {
      if (val & (kDefGlobal | kDefNonlocal)) {
        Error(at, absl::StrFormat("comprehension inner loop cannot rebind assignment "
                                  "expression target '%s'",
                                  std::string(name)));
      }
      val |= kDefCompIter;
    }
    sym.flags = val;
    if (!(flag & kDefParam) && (flag & kDefGlobal) && module_symbols_) {
      // A global declaration anywhere is also recorded in the module's table.
      SymbolIn(tree_->module_, mangled).flags |= flag;
    }
  }
  void AddDef(std::string_view name, uint16_t flag, Offset at) {
    AddDefIn(Cur(), stack_.size() - 1, name, flag, at);
  }

  void VisitAnnotation(const Expr* e) {
    if (e != nullptr && !future_annotations_) VisitExpr(e);
  }
  void VisitArgAnnotations(const Arguments* a, const Expr* returns) {
    if (future_annotations_) return;
    for (const Arg* arg : a->posonlyargs) VisitAnnotation(arg->annotation);
    for (const Arg* arg : a->args) VisitAnnotation(arg->annotation);
    if (a->vararg != nullptr) VisitAnnotation(a->vararg->annotation);
    if (a->kwarg != nullptr) VisitAnnotation(a->kwarg->annotation);
    for (const Arg* arg : a->kwonlyargs) VisitAnnotation(arg->annotation);
    VisitAnnotation(returns);
  }
  void VisitDefaults(const Arguments* a) {
    VisitAll(a->defaults);
    VisitAll(a->kw_defaults);
  }
  void VisitParams(const Arguments* a) {
    for (const Arg* arg : a->posonlyargs) AddDef(arg->name, kDefParam, arg->range.start);
    for (const Arg* arg : a->args) AddDef(arg->name, kDefParam, arg->range.start);
    for (const Arg* arg : a->kwonlyargs) AddDef(arg->name, kDefParam, arg->range.start);
    if (a->vararg != nullptr) AddDef(a->vararg->name, kDefParam, a->vararg->range.start);
    if (a->kwarg != nullptr) AddDef(a->kwarg->name, kDefParam, a->kwarg->range.start);
  }
  void VisitTypeParams(TypeParamList params) {
    // PEP 695 (3.12): bounds and defaults are evaluated lazily in their own scope; here they
    // count as reads of the enclosing scope and the parameters as its bindings.
    for (const TypeParam* t : params) {
      AddDef(t->name, kDefLocal, t->name_range.start);
      if (t->bound != nullptr) VisitExpr(t->bound);
      if (t->default_value != nullptr) VisitExpr(t->default_value);
    }
  }

  void Comprehension(const Expr* e, std::string_view tag, ComprehensionList generators,
                     const Expr* elt, const Expr* value, bool is_generator);
  void NamedExprTarget(const Name* target);
  void DeclareGlobal(const Stmt* s, std::span<Identifier> names, bool nonlocal);

  // Second pass.
  void Analyze(Scope* scope, const NameSet* bound, NameSet* free, NameSet* global);
  void AnalyzeName(Scope* scope, Symbol& sym, const NameSet* bound, NameSet* local, NameSet* free,
                   NameSet* global);

  ScopeTree* tree_;
  const bool future_annotations_;
  const bool top_level_await_;
  const bool module_symbols_;  // false: the module scope's table stays empty
  // Inline up to a nesting depth of eight: most cells are one module scope.
  absl::InlinedVector<Scope*, 8> stack_;
  absl::InlinedVector<Building, 8> building_;  // parallel to stack_
  std::string_view private_;                   // name of the innermost class, for mangling
};

void ScopeBuilder::VisitStmt(const Stmt* s) {
  switch (s->kind) {
    case StmtKind::kFunctionDef: {
      auto* f = static_cast<const FunctionDefStmt*>(s);
      AddDef(f->name, kDefLocal, f->name_range.start);
      VisitDefaults(f->args);
      VisitArgAnnotations(f->args, f->returns);
      VisitAll(f->decorators);
      VisitTypeParams(f->type_params);
      Scope* scope = Enter(ScopeKind::kFunction, f->name, s->range.start, s);
      scope->is_coroutine = f->is_async;
      VisitParams(f->args);
      VisitBody(f->body);
      Exit();
      return;
    }
    case StmtKind::kClassDef: {
      auto* c = static_cast<const ClassDefStmt*>(s);
      AddDef(c->name, kDefLocal, c->name_range.start);
      VisitAll(c->bases);
      for (const Keyword* k : c->keywords) VisitExpr(k->value);
      VisitAll(c->decorators);
      VisitTypeParams(c->type_params);
      Scope* scope = Enter(ScopeKind::kClass, c->name, s->range.start, s);
      std::string_view saved = private_;
      private_ = c->name;
      scope->private_name = private_;
      VisitBody(c->body);
      private_ = saved;
      Exit();
      return;
    }
    case StmtKind::kAnnAssign: {
      auto* a = static_cast<const AnnAssignStmt*>(s);
      if (const auto* n = a->target->As<Name>()) {
        uint16_t cur = Lookup(n->id);
        if ((cur & (kDefGlobal | kDefNonlocal)) && Cur() != tree_->module_ && a->simple) {
          Error(n->range.start,
                absl::StrFormat("annotated name '%s' can't be %s", std::string(n->id),
                                (cur & kDefGlobal) ? "global" : "nonlocal"));
        }
        if (a->simple) {
          AddDef(n->id, kDefAnnot | kDefLocal, n->range.start);
        } else if (a->value != nullptr) {
          AddDef(n->id, kDefLocal, n->range.start);
        }
      } else {
        VisitExpr(a->target);
      }
      VisitAnnotation(a->annotation);
      if (a->value != nullptr) VisitExpr(a->value);
      return;
    }
    case StmtKind::kImport:
    case StmtKind::kImportFrom: {
      for (const Alias* a : ImportedNames(s)) {
        if (a->name == "*") {
          if (Cur()->kind != ScopeKind::kModule) {
            Error(a->range.start, "import * only allowed at module level");
          }
          continue;
        }
        AddDef(BoundName(*a), kDefImport, a->range.start);
      }
      return;
    }
    case StmtKind::kGlobal:
      DeclareGlobal(s, static_cast<const GlobalStmt*>(s)->names, /*nonlocal=*/false);
      return;
    case StmtKind::kNonlocal:
      DeclareGlobal(s, static_cast<const NonlocalStmt*>(s)->names, /*nonlocal=*/true);
      return;
    case StmtKind::kTypeAlias: {
      auto* t = static_cast<const TypeAliasStmt*>(s);
      VisitExpr(t->name);
      VisitTypeParams(t->type_params);
      VisitExpr(t->value);
      return;
    }
    default:
      WalkStmt(s);
      return;
  }
}

// global / nonlocal: refused after the name was used, bound or annotated in this scope.
void ScopeBuilder::DeclareGlobal(const Stmt* s, std::span<Identifier> names, bool nonlocal) {
  const char* what = nonlocal ? "nonlocal" : "global";
  for (Identifier name : names) {
    uint16_t cur = Lookup(name);
    if (cur & (kDefParam | kDefLocal | kUse | kDefAnnot)) {
      std::string n(name);
      if (cur & kDefParam) {
        Error(s->range.start, absl::StrFormat("name '%s' is parameter and %s", n, what));
      } else if (cur & kUse) {
        Error(s->range.start,
              absl::StrFormat("name '%s' is used prior to %s declaration", n, what));
      } else if (cur & kDefAnnot) {
        Error(s->range.start, absl::StrFormat("annotated name '%s' can't be %s", n, what));
      } else {
        Error(s->range.start,
              absl::StrFormat("name '%s' is assigned to before %s declaration", n, what));
      }
    }
    AddDef(name, nonlocal ? kDefNonlocal : kDefGlobal, s->range.start);
  }
}

void ScopeBuilder::VisitExceptHandler(const ExceptHandler* h) {
  if (h->type != nullptr) VisitExpr(h->type);
  if (!h->name.empty()) AddDef(h->name, kDefLocal, h->name_range.start);
  VisitBody(h->body);
}

void ScopeBuilder::VisitPattern(const Pattern* p) {
  if (!PatternBinding(p).empty()) AddDef(p->name, kDefLocal, p->name_range.start);
  WalkPattern(p);
}

void ScopeBuilder::VisitExpr(const Expr* e) {
  switch (e->kind) {
    case ExprKind::kName: {
      auto* n = static_cast<const Name*>(e);
      bool load = n->ctx == ExprContext::kLoad;
      AddDef(n->id, load ? kUse : kDefLocal, n->range.start);
      // super() needs the implicit __class__ cell.
      if (load && Cur()->kind != ScopeKind::kModule && Cur()->kind != ScopeKind::kClass &&
          n->id == "super") {
        AddDef("__class__", kUse, n->range.start);
      }
      return;
    }
    case ExprKind::kNamedExpr: {
      auto* n = static_cast<const NamedExpr*>(e);
      if (State().comp_iter_expr > 0) {
        Error(e->range.start,
              "assignment expression cannot be used in a comprehension iterable expression");
      }
      if (Cur()->kind == ScopeKind::kComprehension) {
        NamedExprTarget(static_cast<const Name*>(n->target));
      }
      VisitExpr(n->value);
      VisitExpr(n->target);
      return;
    }
    case ExprKind::kLambda: {
      auto* l = static_cast<const Lambda*>(e);
      VisitDefaults(l->args);
      Enter(ScopeKind::kLambda, "lambda", e->range.start, e);
      VisitParams(l->args);
      if (l->body != nullptr) VisitExpr(l->body);
      Exit();
      return;
    }
    case ExprKind::kListComp: {
      auto* c = static_cast<const ListComp*>(e);
      Comprehension(e, "listcomp", c->generators, c->elt, nullptr, false);
      return;
    }
    case ExprKind::kSetComp: {
      auto* c = static_cast<const SetComp*>(e);
      Comprehension(e, "setcomp", c->generators, c->elt, nullptr, false);
      return;
    }
    case ExprKind::kDictComp: {
      auto* c = static_cast<const DictComp*>(e);
      Comprehension(e, "dictcomp", c->generators, c->key, c->value, false);
      return;
    }
    case ExprKind::kGeneratorExp: {
      auto* c = static_cast<const GeneratorExp*>(e);
      Comprehension(e, "genexpr", c->generators, c->elt, nullptr, true);
      return;
    }
    case ExprKind::kYield:
    case ExprKind::kYieldFrom: {
      Scope* cur = Cur();
      if (cur->kind == ScopeKind::kComprehension) {
        std::string_view what = cur->name == "listcomp"   ? "list comprehension"
                                : cur->name == "setcomp"  ? "set comprehension"
                                : cur->name == "dictcomp" ? "dict comprehension"
                                                          : "generator expression";
        Error(e->range.start, StrCat("'yield' inside ", what));
      }
      WalkExpr(e);
      cur->is_generator = true;
      return;
    }
    case ExprKind::kAwait:
      WalkExpr(e);
      Cur()->is_coroutine = true;
      return;
    default:
      WalkExpr(e);
      return;
  }
}

// symtable_handle_comprehension: the first iterable belongs to the enclosing scope, the rest
// to a new function-like scope.
void ScopeBuilder::Comprehension(const Expr* e, std::string_view tag, ComprehensionList generators,
                                 const Expr* elt, const Expr* value, bool is_generator) {
  if (generators.empty()) return;
  const cellflow::Comprehension* outermost = generators[0];
  ++State().comp_iter_expr;
  VisitOptional(outermost->iter);
  --State().comp_iter_expr;
  Scope* scope = Enter(ScopeKind::kComprehension, tag, e->range.start, e);
  if (outermost->is_async) scope->is_coroutine = true;
  State().comp_iter_target = true;
  VisitExpr(outermost->target);
  State().comp_iter_target = false;
  VisitAll(outermost->ifs);
  for (size_t i = 1; i < generators.size(); ++i) {
    const cellflow::Comprehension* g = generators[i];
    State().comp_iter_target = true;
    VisitExpr(g->target);
    State().comp_iter_target = false;
    ++State().comp_iter_expr;
    VisitOptional(g->iter);
    --State().comp_iter_expr;
    VisitAll(g->ifs);
    if (g->is_async) scope->is_coroutine = true;
  }
  if (value != nullptr) VisitExpr(value);
  VisitOptional(elt);
  scope->is_generator = is_generator;
  bool is_async = scope->is_coroutine && !is_generator;
  Exit();
  Scope* outer = Cur();
  bool outer_async_def = outer->kind == ScopeKind::kFunction && outer->is_coroutine;
  if (is_async && !outer_async_def && outer->kind != ScopeKind::kComprehension &&
      !(top_level_await_ && outer->kind == ScopeKind::kModule)) {
    Error(e->range.start, "asynchronous comprehension outside of an asynchronous function");
  }
}

// symtable_extend_namedexpr_scope: a walrus in a comprehension binds in the nearest enclosing
// function (nonlocal there) or the module (global).
void ScopeBuilder::NamedExprTarget(const Name* target) {
  std::string_view name = target->id;
  Offset at = target->range.start;
  for (size_t i = stack_.size(); i-- > 0;) {
    Scope* ste = stack_[i];
    if (ste->kind == ScopeKind::kComprehension) {
      const Symbol* s = ste->Find(name);
      if (s != nullptr && (s->flags & kDefCompIter)) {
        Error(at, absl::StrFormat("assignment expression cannot rebind comprehension iteration "
                                  "variable '%s'",
                                  std::string(name)));
        return;
      }
      continue;
    }
    if (ste->kind == ScopeKind::kFunction || ste->kind == ScopeKind::kLambda) {
      const Symbol* s = ste->Find(name);
      AddDef(name, (s != nullptr && (s->flags & kDefGlobal)) ? kDefGlobal : kDefNonlocal, at);
      AddDefIn(ste, i, name, kDefLocal, at);
      return;
    }
    if (ste->kind == ScopeKind::kModule) {
      AddDef(name, kDefGlobal, at);
      AddDefIn(ste, i, name, kDefGlobal, at);
      return;
    }
    Error(at, "assignment expression within a comprehension cannot be used in a class body");
    return;
  }
}

// analyze_name.
void ScopeBuilder::AnalyzeName(Scope* scope, Symbol& sym, const NameSet* bound, NameSet* local,
                               NameSet* free, NameSet* global) {
  std::string_view name = sym.name;
  uint16_t flags = sym.flags;
  if (flags & kDefGlobal) {
    if (flags & kDefNonlocal) {
      Error(scope->start, absl::StrFormat("name '%s' is nonlocal and global", std::string(name)));
    }
    sym.resolution = Resolution::kGlobalExplicit;
    global->insert(name);
    return;
  }
  if (flags & kDefNonlocal) {
    if (bound == nullptr) {
      Error(scope->start, "nonlocal declaration not allowed at module level");
    } else if (!bound->contains(name)) {
      Error(scope->start, absl::StrFormat("no binding for nonlocal '%s' found", std::string(name)));
    }
    sym.resolution = Resolution::kFree;
    free->insert(name);
    return;
  }
  if (flags & kDefBound) {
    sym.resolution = Resolution::kLocal;
    if (local != nullptr) local->insert(name);
    if (!global->empty()) global->erase(name);
    return;
  }
  if (bound != nullptr && bound->contains(name)) {
    sym.resolution = Resolution::kFree;
    free->insert(name);
    return;
  }
  sym.resolution = Resolution::kGlobalImplicit;
}

// analyze_block + analyze_child_block + analyze_cells + drop_class_free + update_symbols.
void ScopeBuilder::Analyze(Scope* scope, const NameSet* bound, NameSet* free, NameSet* global) {
  const bool is_class = scope->kind == ScopeKind::kClass;
  const bool is_function = scope->kind != ScopeKind::kModule && !is_class;
  // What children see (newbound, newglobal) is made only when there are children: most
  // scopes (a cell's module, small functions, comprehensions) have none.
  const bool has_children = !scope->children.empty();
  NameSet local, newglobal, newfree, newbound;
  if (is_class && has_children) {
    newglobal = *global;
    if (bound != nullptr) newbound = *bound;
  }
  // Symbols may be appended below (free names from children); analyze the ones there now.
  size_t own = scope->symbols.size();
  // Only a function's locals are used below (as names its children may close over).
  NameSet* locals = is_function && has_children ? &local : nullptr;
  for (size_t i = 0; i < own; ++i) {
    AnalyzeName(scope, scope->symbols[i], bound, locals, free, global);
  }
  if (has_children) {
    if (!is_class) {
      if (is_function) newbound.insert(local.begin(), local.end());
      if (bound != nullptr) newbound.insert(bound->begin(), bound->end());
      newglobal.insert(global->begin(), global->end());
    } else {
      newbound.insert("__class__");
    }
    NameSet allfree;
    for (Scope* child : scope->children) {
      NameSet child_bound = newbound;
      NameSet child_free = newfree;
      NameSet child_global = newglobal;
      Analyze(child, &child_bound, &child_free, &child_global);
      allfree.insert(child_free.begin(), child_free.end());
    }
    newfree.insert(allfree.begin(), allfree.end());
  }
  if (is_function) {
    for (size_t i = 0; i < own; ++i) {
      Symbol& sym = scope->symbols[i];
      if (sym.resolution == Resolution::kLocal && newfree.contains(sym.name)) {
        sym.resolution = Resolution::kCell;
        newfree.erase(sym.name);
      }
    }
  } else if (is_class) {
    newfree.erase("__class__");
  }
  // Free names of children that pass through this scope. Sorted so that the symbol order
  // does not depend on hashing.
  std::vector<std::string_view> pass_through(newfree.begin(), newfree.end());
  std::sort(pass_through.begin(), pass_through.end());
  for (std::string_view name : pass_through) {
    if (Symbol* found = scope->Find(name)) {
      Symbol& sym = *found;
      if (is_class && (sym.flags & (kDefBound | kDefGlobal))) sym.flags |= kDefFreeClass;
      continue;
    }
    if (bound != nullptr && !bound->contains(name)) continue;  // a global
    Symbol& sym = SymbolIn(scope, name);
    sym.resolution = Resolution::kFree;
  }
  free->insert(newfree.begin(), newfree.end());
}

// future.c's future_parse(): future statements come first (after a docstring) and name known
// features. A late one on the same line as an earlier statement is caught here; one on a later
// line only by the compiler.
void CheckFutureStatements(const Module* module, std::string_view buffer,
                           std::vector<SyntaxDiagnostic>* errors) {
  static constexpr std::string_view kFeatures[] = {
      "nested_scopes",  "generators",       "division",       "absolute_import", "with_statement",
      "print_function", "unicode_literals", "barry_as_FLUFL", "generator_stop",  "annotations"};
  StmtList body = module->body;
  size_t i = 0;
  if (!body.empty()) {
    const auto* e = body[0]->As<ExprStmt>();
    const Constant* c = e != nullptr ? e->value->As<Constant>() : nullptr;
    if (c != nullptr && c->value_kind == ConstantKind::kStr) i = 1;
  }
  bool done = false;
  Offset prev_start = 0;
  for (; i < body.size(); ++i) {
    const Stmt* s = body[i];
    // Only asked once a statement other than a future import was seen: the text before the
    // first statement may be long.
    if (done && s->range.start > prev_start) {
      std::string_view between = buffer.substr(prev_start, s->range.start - prev_start);
      if (std::any_of(between.begin(), between.end(),
                      [](char c) { return c == '\n' || c == '\r'; })) {
        return;
      }
    }
    prev_start = s->range.start;
    const auto* from = s->As<ImportFromStmt>();
    if (from == nullptr || from->module != "__future__") {
      done = true;
      continue;
    }
    auto fail = [&](std::string message) {
      errors->push_back(
          {s->range.start, s->range.end, SyntaxErrorKind::kSyntax, std::move(message)});
    };
    if (done) return fail("from __future__ imports must occur at the beginning of the file");
    for (const Alias* a : from->names) {
      if (a->name == "braces") return fail("not a chance");
      if (std::find(std::begin(kFeatures), std::end(kFeatures), a->name) == std::end(kFeatures)) {
        return fail(StrCat("future feature ", a->name, " is not defined"));
      }
    }
  }
}

namespace {

// A global or nonlocal statement in the module's own scope (not inside a def or a class).
bool DeclaresAtModuleLevel(StmtList body) {
  for (const Stmt* s : body) {
    if (s->kind == StmtKind::kGlobal || s->kind == StmtKind::kNonlocal) return true;
    bool found = false;
    ForEachBody(s, /*definitions=*/false,
                [&found](StmtList inner) { found = found || DeclaresAtModuleLevel(inner); });
    if (found) return true;
  }
  return false;
}

}  // namespace

std::unique_ptr<ScopeTree> BuildScopes(const Module* module, std::string_view buffer,
                                       bool top_level_await, ModuleSymbols module_symbols) {
  auto tree = std::make_unique<ScopeTree>();
  CheckFutureStatements(module, buffer, &tree->errors_);
  tree->future_annotations_ = HasFutureAnnotations(module);
  // The module's own table matters (to the scopes and their errors) only where the module
  // declares names global or nonlocal: CPython then checks what came before.
  const bool all = module_symbols == ModuleSymbols::kAll || DeclaresAtModuleLevel(module->body);
  ScopeBuilder builder(tree.get(), tree->future_annotations_, top_level_await, all);
  builder.Build(module);
  return tree;
}

std::vector<std::string_view> SymbolFlagNames(const Symbol& symbol, bool in_module) {
  std::vector<std::string_view> out;
  const uint16_t f = symbol.flags;
  const Resolution r = symbol.resolution;
  const bool bound_here = in_module && (f & kDefBound);
  if (f & kDefAnnot) out.push_back("annotated");
  if (f & kDefLocal) out.push_back("assigned");
  if (r == Resolution::kGlobalExplicit) out.push_back("declared_global");
  if (r == Resolution::kFree) out.push_back("free");
  if (r == Resolution::kGlobalImplicit || r == Resolution::kGlobalExplicit || bound_here) {
    out.push_back("global");
  }
  if (f & kDefImport) out.push_back("imported");
  if (r == Resolution::kLocal || r == Resolution::kCell || bound_here) out.push_back("local");
  if (f & kDefNonlocal) out.push_back("nonlocal");
  if (f & kDefParam) out.push_back("param");
  if (f & kUse) out.push_back("referenced");
  return out;
}

}  // namespace cellflow
