// AST → IR: statements become blocks and edges, names become definitions and uses of the unit
// they belong to (per the scope tree), nested bodies become units of their own.
#include "ir/lower.h"

#include <cctype>
#include <deque>
#include <optional>

#include "absl/container/flat_hash_set.h"

#include "ir/conditions.h"
#include "ir/receivers.h"
#include "lexer/lexer.h"
#include "lexer/str_util.h"
#include "parser/ast_visitor.h"
#include "parser/parser.h"

namespace cellflow {
namespace {

constexpr BlockId kNoBlock = UINT32_MAX;
constexpr Offset kNoOffset = UINT32_MAX;

// A one-line cell `pwd()`, `ls[0]`, `time(f())`: IPython's automagic takes the word it starts with
// for the magic of that name (the rest of the line its arguments) unless a variable shadows it.
// Where that word is, or kNoOffset when the line does not start with an automagic's name.
Offset AutomagicCallee(StmtList body) {
  if (body.size() != 1) return kNoOffset;
  const auto* s = body.front()->As<ExprStmt>();
  if (s == nullptr) return kNoOffset;
  const Expr* e = s->value;
  for (;;) {
    if (const auto* c = e->As<Call>()) {
      e = c->func;
    } else if (const auto* sub = e->As<Subscript>()) {
      e = sub->value;
    } else {
      break;
    }
  }
  const auto* n = e->As<Name>();
  if (n == nullptr || n->range.start != s->range.start || !IsAutomagicName(n->id)) {
    return kNoOffset;
  }
  return n->range.start;
}

bool IsNameError(const Expr* type) {
  if (type == nullptr) return true;  // bare except
  if (const auto* n = type->As<Name>()) {
    return n->id == "NameError" || n->id == "Exception" || n->id == "BaseException" ||
           n->id == "UnboundLocalError";
  }
  if (const auto* t = type->As<Tuple>()) {
    for (const Expr* e : t->elts) {
      if (IsNameError(e)) return true;
    }
  }
  return false;
}

bool CatchesAll(const Expr* type) {
  if (type == nullptr) return true;
  const auto* n = type->As<Name>();
  return n != nullptr && (n->id == "Exception" || n->id == "BaseException");
}

// `suppress(E, ...)` or `contextlib.suppress(E, ...)`: the call, else null.
const Call* SuppressCall(const Expr* e) {
  const auto* c = e->As<Call>();
  if (c == nullptr) return nullptr;
  if (const auto* n = c->func->As<Name>()) return n->id == "suppress" ? c : nullptr;
  const auto* a = c->func->As<Attribute>();
  const auto* module = a == nullptr ? nullptr : a->value->As<Name>();
  return module != nullptr && module->id == "contextlib" && a->attr == "suppress" ? c : nullptr;
}

// A for loop is assumed to run its body (see LowerWhile), unless it iterates over an empty
// literal.
bool RunsAtLeastOnce(const Expr* iter) {
  if (const auto* l = iter->As<List>()) return !l->elts.empty();
  if (const auto* t = iter->As<Tuple>()) return !t->elts.empty();
  return true;
}

// Statements after which nothing runs: sys.exit(), exit(), quit(), os._exit(), and the test
// helpers that always raise: unittest's self.fail() and self.skipTest(), pytest.fail(),
// pytest.skip(), pytest.xfail() and pytest.exit().
bool IsExitCall(const Expr* e) {
  const auto* call = e->As<Call>();
  if (call == nullptr) return false;
  if (const auto* n = call->func->As<Name>()) return n->id == "exit" || n->id == "quit";
  if (const auto* a = call->func->As<Attribute>()) {
    const auto* base = a->value->As<Name>();
    if (base == nullptr) return false;
    const std::string_view f = a->attr;
    return (base->id == "sys" && f == "exit") || (base->id == "os" && f == "_exit") ||
           (base->id == "self" && (f == "fail" || f == "skipTest")) ||
           (base->id == "pytest" && (f == "fail" || f == "skip" || f == "xfail" || f == "exit"));
  }
  return false;
}

bool IsIrrefutable(const Pattern* p) {
  if (p->kind == PatternKind::kMatchAs) return p->pattern == nullptr || IsIrrefutable(p->pattern);
  if (p->kind == PatternKind::kMatchOr) {
    for (const Pattern* alt : p->patterns) {
      if (IsIrrefutable(alt)) return true;
    }
  }
  return false;
}

// exec(code, {}) or eval(text, dict(x=1)): the code runs with globals of its own, made right
// there, and binds none of the notebook's names.
bool RunsInOwnNamespace(const Call* c) {
  const Expr* globals = c->args.size() >= 2 ? c->args[1] : nullptr;
  for (const Keyword* k : c->keywords) {
    if (k->arg == "globals") globals = k->value;  // Python 3.13
  }
  if (globals == nullptr) return false;
  if (globals->kind == ExprKind::kDict) return true;
  const auto* call = globals->As<Call>();
  const Name* callee = call != nullptr ? call->func->As<Name>() : nullptr;
  return callee != nullptr && callee->id == "dict";
}

class Lowerer;

// Pending bodies, lowered after the unit that defines them.
struct PendingBody {
  const void* node;  // FunctionDefStmt or Lambda
  const ScopeTree* tree;
  bool from_module;  // queued by the module's code, not by a function's
};

class Lowerer : public AstVisitor {
 public:
  Lowerer(Program* program, Unit* unit, const LowerOptions& options,
          std::deque<PendingBody>* pending)
      : program_(program), unit_(unit), options_(options), pending_(pending) {
    unit_->blocks.emplace_back();  // entry
    return_ = NewBlock();
    cur_ = 0;
  }

  // Module unit: runs each cell's statements in order.
  void LowerModule(std::span<const CodeCell> cells) {
    // Room for the unit's names up front instead of growing the tables name by name: about one
    // per 48 bytes of module code (as many as definitions; the cells' scopes need not list the
    // module's own names), and what magics bind.
    size_t magic = 1, bytes = 0;
    for (const CodeCell& cell : cells) {
      magic += cell.magic_bindings.size();
      const auto& body = cell.module->body;
      if (!body.empty()) bytes += body.back()->range.end - body.front()->range.start;
    }
    Reserve(bytes / 48 + 8 + magic);
    ReserveCode(bytes, /*module=*/true);
    for (const CodeCell& cell : cells) DeclaredGlobal(cell.scopes->module());
    for (const CodeCell& cell : cells) {
      tree_ = cell.scopes;
      // IPython compiles later cells with the future flags of earlier ones.
      future_annotations_ = future_annotations_ || tree_->future_annotations();
      unit_scope_ = scope_ = tree_->module();
      const BlockId start = Current();
      for (const auto& [name, site] : cell.magic_bindings) Def(name, site, DefKind::kBind);
      in_cells_ = true;
      const auto defs_before = static_cast<DefId>(unit_->defs.size());
      automagic_at_ = cell.one_line ? AutomagicCallee(cell.module->body) : kNoOffset;
      LowerBody(cell.module->body);
      automagic_at_ = kNoOffset;
      if (TimeitCellMagic(cell.module) != nullptr) {
        ForgetBindings(defs_before);
      }
      in_cells_ = false;
      EndCell(start);
    }
    Finish();
  }

  // The names the functions and classes nested in `scope` declare global.
  void DeclaredGlobal(const Scope* scope) {
    for (const Scope* child : scope->children) {
      for (const Symbol& sym : child->symbols) {
        if (sym.flags & kDefGlobal) declared_global_.insert(sym.name);
      }
      DeclaredGlobal(child);
    }
  }

  // The classes and instances whose method calls are checked (see MethodReceivers).
  void SetMethodReceivers(std::vector<std::string_view> receivers) {
    method_receivers_ = std::move(receivers);
  }

  // Functions that bind globals dynamically (WritesGlobals): a call of one may bind any name.
  void SetGlobalWriters(const std::vector<std::string_view>* writers) { global_writers_ = writers; }

  // Function or lambda unit.
  void LowerFunction(const PendingBody& body) {
    tree_ = body.tree;
    future_annotations_ = tree_->future_annotations();
    unit_scope_ = scope_ = tree_->ScopeOf(body.node);
    Reserve(unit_scope_->symbols.size() + 1);
    const Range code = unit_->kind == UnitKind::kFunction
                           ? static_cast<const Stmt*>(body.node)->range
                           : static_cast<const Expr*>(body.node)->range;
    ReserveCode(code.end - code.start, /*module=*/false);
    const FunctionDefStmt* def = unit_->kind == UnitKind::kFunction
                                     ? static_cast<const Stmt*>(body.node)->As<FunctionDefStmt>()
                                     : nullptr;
    const Arguments* args =
        def != nullptr ? def->args : static_cast<const Lambda*>(body.node)->args;
    auto param = [&](const Arg* a) {
      if (a != nullptr) Def(a->name, a->range, DefKind::kParam);
    };
    // A method (not a static one): what it calls on its first parameter runs its class's
    // methods.
    if (const Scope* parent = unit_scope_->parent; def != nullptr && parent != nullptr &&
                                                   parent->kind == ScopeKind::kClass &&
                                                   !IsStaticMethod(def)) {
      unit_->owner_class = static_cast<const ClassDefStmt*>(parent->node);
      if (const Arg* first = ReceiverParam(def)) self_name_ = first->name;
    }
    unit_scope_->CellsBoundByNested(&unit_->nonlocal_writes);
    for (const Arg* a : args->posonlyargs) param(a);
    for (const Arg* a : args->args) param(a);
    param(args->vararg);
    for (const Arg* a : args->kwonlyargs) param(a);
    param(args->kwarg);
    if (unit_->kind == UnitKind::kFunction) {
      LowerBody(static_cast<const FunctionDefStmt*>(body.node)->body);
    } else {
      const Expr* value = static_cast<const Lambda*>(body.node)->body;
      if (value != nullptr) VisitExpr(value);
    }
    Finish();
  }

  void VisitExpr(const Expr* e) override;
  void VisitPattern(const Pattern* p) override;
  __attribute__((noinline)) void LowerMethodCall(const Attribute* a, bool stored);

 private:
  struct Loop {
    BlockId head;
    BlockId after;
  };
  struct Handler {
    BlockId dispatch;
    bool guards_name_error;
  };

  void Reserve(size_t names) {
    unit_->name_ids.reserve(names);
    unit_->names.reserve(names);
    unit_->defs_of.reserve(names);
    entry_defs_.reserve(names);
  }
  // Room for the reads, definitions and blocks of `bytes` of code, from what the notebooks of
  // the test corpus have per byte (module code: a read and a definition per 50-60 bytes;
  // functions: a little more of each, and more branches), so that most units never grow
  // their tables.
  void ReserveCode(size_t bytes, bool module) {
    const size_t uses = module ? bytes / 40 + 8 : bytes / 28 + 4;
    const size_t defs = module ? bytes / 48 + 8 : bytes / 24 + 4;
    unit_->uses.reserve(uses);
    unit_->defs.reserve(defs);
    unit_->blocks.reserve(module ? 4 : bytes / 64 + 2);
    unit_->blocks[0].instrs.reserve(uses + defs);
  }

  // ---- blocks
  // An exception is raised here: control goes to the innermost handler, else the run stops.
  void Raise() {
    if (!handlers_.empty()) {
      Jump(handlers_.back().dispatch);
    } else {
      Stop();
    }
  }
  // %timeit and %%timeit run their code inside a function of their own: the names it binds
  // for the first time are unbound again after it (names bound before keep their value).
  // Each such name's unbinding is placed at its first assignment there (what messages point at).
  void ForgetBindings(DefId from) {
    std::vector<std::pair<NameId, Range>> fresh;
    for (DefId d = from; d < unit_->defs.size(); ++d) {
      const Definition& def = unit_->defs[d];
      if (!IsBinding(def.kind) || def.kind == DefKind::kProven) continue;
      if (std::any_of(fresh.begin(), fresh.end(),
                      [&](const auto& f) { return f.first == def.name; })) {
        continue;
      }
      bool bound_before = false;
      for (DefId e : unit_->defs_of[def.name]) {
        if (e < from && IsBinding(unit_->defs[e].kind)) bound_before = true;
      }
      if (!bound_before) fresh.emplace_back(def.name, def.site);
    }
    for (const auto& [n, site] : fresh) {
      Def(unit_->names[n], site, DefKind::kUndefined, nullptr, kInstrTimeit);
    }
  }
  static const IpyEscapeStmt* TimeitCellMagic(const Module* module) {
    if (module->body.empty()) return nullptr;
    const auto* e = module->body.front()->As<IpyEscapeStmt>();
    return e != nullptr && e->escape_kind == IpyEscapeKind::kCellMagic &&
                   EscapeMagicName(e->text) == "timeit"
               ? e
               : nullptr;
  }

  // Nothing after this runs: an exception nothing here catches, or sys.exit(). At the module
  // level the kernel shows the error and lives on: the cell stops, not the notebook.
  void Stop() {
    if (in_cells_ && cur_ != kNoBlock) cell_stops_.push_back(cur_);
    cur_ = kNoBlock;
  }
  // The end of a cell: when its last statement cannot be reached (it raised, or called
  // sys.exit(), on every path), the next cell starts from where it stopped, as it does for
  // someone who runs the cells one by one. A cell that stops only on some paths ends normally.
  void EndCell(BlockId start) {
    if (!cell_stops_.empty() && !Reaches(start, cur_)) {
      BlockId next = NewBlock();
      for (BlockId b : cell_stops_) Edge(b, next);
      cur_ = next;
    }
    cell_stops_.clear();
  }
  // `to` is reachable from `from` (within the cell: blocks only jump forward out of it).
  bool Reaches(BlockId from, BlockId to) const {
    if (to == kNoBlock) return false;
    std::vector<BlockId> work{from};
    std::vector<bool> seen(unit_->blocks.size());
    seen[from] = true;
    while (!work.empty()) {
      BlockId b = work.back();
      work.pop_back();
      if (b == to) return true;
      for (BlockId n : unit_->blocks[b].succs) {
        if (!seen[n]) {
          seen[n] = true;
          work.push_back(n);
        }
      }
    }
    return false;
  }
  void Emit(BlockId block, const Instr& instr) {
    std::vector<Instr>& instrs = unit_->blocks[block].instrs;
    if (instrs.capacity() == 0) instrs.reserve(8);  // not 1, 2, 4, 8
    instrs.push_back(instr);
  }
  BlockId NewBlock() {
    unit_->blocks.emplace_back();
    return static_cast<BlockId>(unit_->blocks.size() - 1);
  }
  void Edge(BlockId from, BlockId to) {
    if (from == kNoBlock) return;
    unit_->blocks[from].succs.push_back(to);
    unit_->blocks[to].preds.push_back(from);
  }
  // Ends the current block with a jump; what follows is unreachable until a new block starts.
  void Jump(BlockId to) {
    Edge(cur_, to);
    cur_ = kNoBlock;
  }
  BlockId Current() {
    // Code after return/raise/break still gets lowered, into a block nothing reaches.
    if (cur_ == kNoBlock) cur_ = NewBlock();
    return cur_;
  }
  void Finish() {
    Jump(return_);
    unit_->exit = return_;
    cur_ = return_;
    std::vector<Instr>& entry = unit_->blocks[0].instrs;
    entry.insert(entry.begin(), entry_defs_.rbegin(), entry_defs_.rend());
    entry_defs_.clear();
  }

  // ---- names
  // Where a name used in the current scope lives, for this unit.
  enum class Place { kUnit, kOutside };
  Place Resolve(std::string_view name, bool* global) {
    *global = false;
    const Scope* s = scope_;
    // A cell's module-level code: every name it binds or reads is the module's (CPython
    // resolves none there as free; names bound by magics, such as %%capture out, are in no
    // symbol table), so the symbol table need not be asked.
    if (s->kind == ScopeKind::kModule) return Place::kUnit;
    const Symbol* sym = s->Resolve(name);
    if (sym == nullptr) return Place::kOutside;
    switch (sym->resolution) {
      case Resolution::kLocal:
      case Resolution::kCell:
        return s == unit_scope_ ? Place::kUnit : Place::kOutside;
      case Resolution::kGlobalExplicit:
      case Resolution::kGlobalImplicit:
        *global = unit_->kind != UnitKind::kModule;
        return Place::kUnit;
      case Resolution::kFree:
      case Resolution::kNone:
        // A comprehension or class inside this function reading the function's variable.
        for (const Scope* p = s->parent; p != nullptr; p = p->parent) {
          if (p->kind == ScopeKind::kClass) continue;
          const Symbol* ps = p->Resolve(name);
          if (ps == nullptr) continue;
          if (ps->resolution == Resolution::kLocal || ps->resolution == Resolution::kCell) {
            return p == unit_scope_ ? Place::kUnit : Place::kOutside;
          }
          if (ps->resolution != Resolution::kFree) break;
        }
        return Place::kOutside;
    }
    return Place::kOutside;
  }

  NameId Intern(std::string_view name, bool global) {
    size_t before = unit_->names.size();
    NameId id = unit_->Intern(name);
    if (unit_->names.size() != before) {
      // A name's entry version: unbound, or (a global read by a function) the caller's state.
      Definition d;
      d.name = id;
      d.kind = global ? DefKind::kExternal : DefKind::kUndefined;
      d.block = 0;
      unit_->defs_of[id].push_back(static_cast<DefId>(unit_->defs.size()));
      unit_->defs.push_back(d);
      // The entry block starts with these, the newest first (Finish puts them there).
      entry_defs_.push_back(
          Instr{InstrKind::kDef, 0, id, static_cast<uint32_t>(unit_->defs.size() - 1), {}});
    }
    return id;
  }

  void Def(std::string_view name, Range site, DefKind kind, const Stmt* stmt = nullptr,
           uint8_t flags = 0) {
    if (OwnClassBody() != nullptr) classes_.back().bound.insert(name);
    bool global;
    if (Resolve(name, &global) != Place::kUnit) return;
    NameId id = Intern(name, global);
    if (global && kind != DefKind::kProven) unit_->global_writes.push_back(name);
    Definition d;
    d.name = id;
    d.kind = kind;
    d.flags = flags;
    d.site = site;
    d.block = Current();
    d.order = ++order_;
    d.stmt = stmt;
    auto def_id = static_cast<DefId>(unit_->defs.size());
    unit_->defs.push_back(d);
    unit_->defs_of[id].push_back(def_id);
    Emit(cur_, Instr{InstrKind::kDef, flags, id, def_id, site});
    if (id < literal_of_.size()) literal_of_[id] = nullptr;
  }

  void UseName(std::string_view name, Range site, uint8_t flags = 0) {
    // A class body starts with __module__ and __qualname__ bound in its namespace.
    if (scope_->kind == ScopeKind::kClass && (name == "__qualname__" || name == "__module__")) {
      return;
    }
    bool global;
    if (Resolve(name, &global) != Place::kUnit) {
      // A module-level class's body reads a name it binds itself, before binding it: the
      // lookup goes on to the module's globals (`x = x` in a class body reads the module's x).
      const ClassBody* c = OwnClassBody();
      if (c == nullptr || c->bound.contains(name) || !ClassBinds(name)) return;
      global = false;
    }
    NameId id = Intern(name, global);
    Use u;
    u.name = id;
    if (site.start == automagic_at_) flags |= kInstrAutomagic;
    u.flags = static_cast<uint8_t>(flags | (Guarded() ? kInstrGuarded : 0));
    u.site = site;
    u.block = Current();
    u.order = ++order_;
    auto use_id = static_cast<uint32_t>(unit_->uses.size());
    unit_->uses.push_back(std::move(u));
    Emit(cur_, Instr{InstrKind::kUse, static_cast<uint8_t>(Guarded() ? kInstrGuarded : 0), id,
                     use_id, site});
    if (Guarded()) {
      // `try: x` / `except NameError:`: past a read that did not raise, x is bound.
      Definition d;
      d.name = id;
      d.kind = DefKind::kProven;
      d.site = site;
      d.block = cur_;
      d.order = ++order_;
      auto def_id = static_cast<DefId>(unit_->defs.size());
      unit_->defs.push_back(d);
      unit_->defs_of[id].push_back(def_id);
      Emit(cur_, Instr{InstrKind::kDef, 0, id, def_id, site});
    }
  }

  // `from m import *`, exec(), globals(): from here on any name may be bound (or, with a
  // `prefix`, any name that starts with it). A definition of the pseudo-name "*" that the
  // dataflow carries like any other.
  void Wildcard(Range site, std::string_view prefix = {}) {
    literal_of_.clear();
    NameId id = Intern(kWildcardName, /*global=*/false);
    Definition d;
    d.name = id;
    d.kind = DefKind::kBind;
    d.site = site;
    d.block = Current();
    d.order = ++order_;
    auto def_id = static_cast<DefId>(unit_->defs.size());
    unit_->defs.push_back(d);
    unit_->defs_of[id].push_back(def_id);
    if (!prefix.empty()) unit_->wildcard_prefixes.emplace_back(def_id, prefix);
    Emit(cur_, Instr{InstrKind::kDef, static_cast<uint8_t>(prefix.empty() ? 0 : kInstrKeeps), id,
                     def_id, site});
  }

  // A call of the function or class bound to `f` (a kCall for the call-site checks).
  void CallName(const Name* f, uint16_t flags) {
    bool global;
    if (Resolve(f->id, &global) == Place::kUnit) {
      NameId id = Intern(f->id, global);
      Emit(Current(), Instr{InstrKind::kCall, flags, id, 0, f->range});
    }
    if (global) unit_->global_calls.push_back({f->id, f->range});
    if (global_writers_ != nullptr &&
        std::binary_search(global_writers_->begin(), global_writers_->end(), f->id)) {
      Wildcard(f->range);
    }
  }
  // `@register` above a def or class calls `register` there, with what the statement made
  // (after it is made: its name is bound by the decorators' result).
  void CallDecorators(ExprList decorators) {
    for (auto it = decorators.rbegin(); it != decorators.rend(); ++it) {
      if (const auto* n = (*it)->As<Name>()) CallName(n, 0);
    }
  }

  bool Guarded() const {
    for (const Handler& h : handlers_) {
      if (h.guards_name_error) return true;
    }
    return false;
  }

  // ---- statements
  void LowerBody(StmtList body) {
    for (const Stmt* s : body) LowerStatement(s);
  }
  void LowerStatement(const Stmt* s);
  void LowerTarget(const Expr* target, const Stmt* stmt);
  void LowerFunctionDef(const FunctionDefStmt* f);
  void LowerClassDef(const ClassDefStmt* c);
  void DefineTypeParams(TypeParamList params);
  void LowerTry(const TryStmt* t);
  void LowerFor(const ForStmt* f);
  void LowerWhile(const WhileStmt* w);
  void LowerIf(const IfStmt* i);
  // A try body: before each statement and after the last, control may leave for `dispatch`.
  __attribute__((noinline)) void LowerGuarded(StmtList body, BlockId dispatch,
                                              bool guards_name_error);
  void LowerMatch(const MatchStmt* m);
  void LowerMagic(const IpyEscapeStmt* m);
  // The notebook binds `name` at module level (`def eval(model, loader)`) before this point, or
  // anywhere for a function body: a call of it is not the builtin.
  bool BoundInModule(std::string_view name) const {
    const Unit& m = program_->module;
    const NameId* id = m.FindName(name);
    if (id == nullptr) return false;
    for (DefId d : m.defs_of[*id]) {
      if (IsBinding(m.defs[d].kind)) return true;
    }
    return false;
  }
  // get_ipython().run_line_magic('pylab', 'inline'), .magic('store -r df'),
  // .run_cell_magic('capture', 'out', ...): what the magic binds.
  void LowerMagicCall(const Call* c, std::string_view method);
  // %run ARGS at `site`: the script's top-level names, or (not known) any name.
  void RunScript(std::string_view args, Range site);
  // A function or lambda body to lower after this unit; none for code that never runs.
  void Queue(const void* node) {
    if (dead_ == 0) {
      pending_->push_back(PendingBody{node, tree_, unit_->kind == UnitKind::kModule});
    }
  }
  int dead_ = 0;  // inside branches decided false (`if sys.version_info[0] < 3:`)

  // Annotations run at once unless `from __future__ import annotations`, and never for a
  // function's local variables.
  bool EvaluatesAnnotations() const {
    return !HasFutureAnnotationsFlag() && scope_->kind != ScopeKind::kFunction;
  }
  bool HasFutureAnnotationsFlag() const { return future_annotations_; }
  bool future_annotations_ = false;

  Program* program_;
  Unit* unit_;
  const LowerOptions& options_;
  std::deque<PendingBody>* pending_;
  // The value of the statement being lowered when it is only stored or shown (kInstrStored).
  const Expr* stored_call_ = nullptr;
  // By NameId: the literal (IsComparableLiteral) that an assignment in straight-line code (no
  // compound statement around it) gave the name, while nothing has rebound it since, for if
  // tests that compare it (LiteralComparison). Names some function declares global are left
  // out: a call may rebind them.
  std::vector<const Expr*> literal_of_;
  uint32_t nested_ = 0;  // compound statements around the one being lowered
  absl::flat_hash_set<std::string_view, StringViewHash, StringViewEq> declared_global_;
  const ScopeTree* tree_ = nullptr;
  const Scope* unit_scope_ = nullptr;  // the scope whose names are this unit's
  const Scope* scope_ = nullptr;       // the scope of the code being lowered now
  BlockId cur_ = 0;
  BlockId return_ = 0;  // where return statements and the end of the code go
  uint32_t order_ = 0;
  std::vector<Loop> loops_;
  std::vector<Handler> handlers_;
  std::vector<Instr> entry_defs_;  // the names' entry versions, in the order names appeared
  // The module-level classes whose bodies are being lowered, innermost last, with the names
  // each body has bound so far (on some path): a read of one of the body's own names before
  // that reads the module's.
  struct ClassBody {
    const Scope* scope;
    absl::flat_hash_set<std::string_view> bound;
  };
  std::vector<ClassBody> classes_;
  // The innermost of classes_ when the code being lowered is its body's own (not a lambda's or
  // a comprehension's in it); else null.
  const ClassBody* OwnClassBody() const {
    return !classes_.empty() && scope_ == classes_.back().scope ? &classes_.back() : nullptr;
  }
  // The class body being lowered binds `name` somewhere in it (a name of its own namespace).
  bool ClassBinds(std::string_view name) const {
    const Symbol* sym = scope_->Resolve(name);
    return sym != nullptr && sym->resolution == Resolution::kLocal;
  }
  // Tests of earlier top-level ifs, for LowerIf: the newest kTestsKept.
  struct SameTest {
    std::string key;  // the test's text without blanks
    const Scope* scope = nullptr;
    uint32_t defs_from = 0;  // definitions from here on may have rebound its names
    std::vector<std::string_view> test_names, then_names, else_names;
  };
  static constexpr size_t kTestsKept = 8;
  static constexpr size_t kProvenKept = 64;  // names a remembered test's branch proves, at most
  // The scope a test runs in; null for the unit's own (every cell has its module scope).
  const Scope* TestScope() const { return scope_ == unit_scope_ ? nullptr : scope_; }
  // What the earlier tests with the text `key` (in this scope, none of whose names were
  // rebound since) bound in their branches, appended to `then_names` and `else_names`: the same
  // test takes the same branch.
  void SameTestProofs(std::string_view key, std::vector<std::string_view>* then_names,
                      std::vector<std::string_view>* else_names) const;
  void Remember(SameTest t);
  // A definition from `t`'s defs_from up to `until` rebinds a name `t` tests.
  bool Rebound(const SameTest& t, size_t until) const {
    for (size_t d = t.defs_from; d < until; ++d) {
      std::string_view n = unit_->names[unit_->defs[d].name];
      if (std::find(t.test_names.begin(), t.test_names.end(), n) != t.test_names.end()) {
        return true;
      }
    }
    return false;
  }
  void RememberTryFlag(const TryStmt* t);
  void Prove(const std::vector<std::string_view>& names, Range site);
  // `name`, bound in the module's globals by code anywhere (`builtins.name = ...`,
  // `setattr(sys.modules[__name__], "name", ...)`): here at module level, at each call of the
  // function in a function.
  __attribute__((noinline)) void BindGlobal(std::string_view name, Range site);
  // SymPy's var('a b c') binds its symbols in the caller's globals, and init_session() runs
  // `from sympy import *` and makes x, y, z, t, k, m, n, f, g, h there.
  __attribute__((noinline)) void SympyInjects(const Call* c, std::string_view function, Range site);
  // The names `test` finds bound in the namespace when it evaluates to `when`:
  // `'x' in globals()` true, `'x' not in globals()` false, through `and` (true) and `or`
  // (false).
  void MembershipProofs(const Expr* test, bool when, std::vector<std::string_view>* out) const;
  // `'x' in globals() and x.ready`, `'x' not in globals() or x is None`: the operands after
  // one that proves a name run where it is bound.
  void LowerBoolOp(const BoolOp* b);
  // `x if 'x' in globals() else None`, with the names proven where the test is true and
  // where it is false.
  __attribute__((noinline)) void LowerIfExp(const IfExp* e,
                                            const std::vector<std::string_view>& when_true,
                                            const std::vector<std::string_view>& when_false);

  std::vector<SameTest> tests_;
  int branch_depth_ = 0;             // if, for, while, try and match statements around
  bool in_cells_ = false;            // lowering a cell's module-level code
  Offset automagic_at_ = kNoOffset;  // where the name AutomagicCallee found is read
  // MethodReceivers: classes and their instances, sorted (a vector: the lowering's inlining
  // is sensitive to the size of this file's code).
  std::vector<std::string_view> method_receivers_;
  const std::vector<std::string_view>* global_writers_ = nullptr;  // sorted
  // The globals as a dict (IsGlobalsDict; locals() counts in functions too): what code
  // writes through it may bind any name.
  bool IsGlobals(const Expr* e) const {
    // Only calls and attributes can be (most method calls are on a name: no call out).
    return (e->kind == ExprKind::kCall || e->kind == ExprKind::kAttribute) &&
           IsGlobalsDict(e, options_.buffer, true);
  }
  // An IsGlobals expression about to be visited that is only read.
  const Expr* namespace_read_ = nullptr;
  std::string_view self_name_;       // a method's first parameter (see Unit::self_calls)
  std::vector<BlockId> cell_stops_;  // where the cell being lowered stopped (Stop)
};

void Lowerer::LowerStatement(const Stmt* s) {
  // A compound statement's body: not straight-line code (see literal_of_).
  const bool compound = s->kind == StmtKind::kIf || s->kind == StmtKind::kFor ||
                        s->kind == StmtKind::kWhile || s->kind == StmtKind::kTry ||
                        s->kind == StmtKind::kWith || s->kind == StmtKind::kMatch ||
                        s->kind == StmtKind::kClassDef;
  struct Nesting {
    uint32_t* depth;
    ~Nesting() {
      if (depth != nullptr) --*depth;
    }
  } nesting{compound ? (++nested_, &nested_) : nullptr};
  // Inside a try, the state before each statement may reach the handlers.
  if (!handlers_.empty() && cur_ != kNoBlock) {
    BlockId next = NewBlock();
    Edge(cur_, handlers_.back().dispatch);
    Edge(cur_, next);
    cur_ = next;
  }
  switch (s->kind) {
    case StmtKind::kFunctionDef:
      LowerFunctionDef(static_cast<const FunctionDefStmt*>(s));
      return;
    case StmtKind::kClassDef:
      LowerClassDef(static_cast<const ClassDefStmt*>(s));
      return;
    case StmtKind::kReturn:
      VisitOptional(static_cast<const ReturnStmt*>(s)->value);
      Jump(return_);
      return;
    case StmtKind::kRaise: {
      auto* r = static_cast<const RaiseStmt*>(s);
      VisitOptional(r->exc);
      VisitOptional(r->cause);
      Raise();
      return;
    }
    case StmtKind::kDelete:
      for (const Expr* t : static_cast<const DeleteStmt*>(s)->targets) LowerTarget(t, s);
      return;
    case StmtKind::kAssign: {
      auto* a = static_cast<const AssignStmt*>(s);
      // `it = gen()` keeps the generator; `a, b = gen()` runs it.
      const bool stores = std::all_of(a->targets.begin(), a->targets.end(), [](const Expr* t) {
        return t->kind == ExprKind::kName || t->kind == ExprKind::kAttribute ||
               t->kind == ExprKind::kSubscript;
      });
      if (stores) stored_call_ = a->value;
      VisitExpr(a->value);
      for (const Expr* t : a->targets) LowerTarget(t, s);
      if (const auto* n = a->targets.size() == 1 ? a->targets[0]->As<Name>() : nullptr;
          n != nullptr && nested_ == 0 && IsComparableLiteral(a->value, options_.buffer) &&
          !declared_global_.contains(n->id)) {
        if (const NameId* id = unit_->FindName(n->id)) {
          if (*id >= literal_of_.size()) literal_of_.resize(*id + 1);
          literal_of_[*id] = a->value;
        }
      }
      return;
    }
    case StmtKind::kAugAssign: {
      auto* a = static_cast<const AugAssignStmt*>(s);
      VisitExpr(a->value);
      if (const auto* n = a->target->As<Name>()) {
        UseName(n->id, n->range);  // x += 1 reads x first
        Def(n->id, n->range, DefKind::kBind, s);
      } else {
        LowerTarget(a->target, s);
      }
      return;
    }
    case StmtKind::kAnnAssign: {
      auto* a = static_cast<const AnnAssignStmt*>(s);
      if (EvaluatesAnnotations()) VisitExpr(a->annotation);
      if (a->value != nullptr) {
        stored_call_ = a->value;
        VisitExpr(a->value);
        LowerTarget(a->target, s);
      } else if (a->target->kind != ExprKind::kName) {
        // x.y: int evaluates x.
        WalkExpr(a->target);
      }
      return;
    }
    case StmtKind::kTypeAlias: {
      // The value is evaluated lazily (PEP 695).
      auto* t = static_cast<const TypeAliasStmt*>(s);
      DefineTypeParams(t->type_params);
      LowerTarget(t->name, s);
      return;
    }
    case StmtKind::kFor:
      ++branch_depth_;
      LowerFor(static_cast<const ForStmt*>(s));
      --branch_depth_;
      return;
    case StmtKind::kWhile:
      ++branch_depth_;
      LowerWhile(static_cast<const WhileStmt*>(s));
      --branch_depth_;
      return;
    case StmtKind::kIf:
      ++branch_depth_;
      LowerIf(static_cast<const IfStmt*>(s));
      --branch_depth_;
      return;
    case StmtKind::kWith: {
      auto* w = static_cast<const WithStmt*>(s);
      const Call* suppress = nullptr;
      for (const WithItem* item : w->items) {
        VisitExpr(item->context_expr);
        if (item->optional_vars != nullptr) LowerTarget(item->optional_vars, s);
        if (suppress == nullptr) suppress = SuppressCall(item->context_expr);
      }
      if (suppress == nullptr) {
        LowerBody(w->body);
        return;
      }
      // `with suppress(E):` is a try whose handler does nothing: after any statement of the
      // body, the rest may be skipped.
      ++branch_depth_;
      BlockId dispatch = NewBlock();
      BlockId join = NewBlock();
      bool guards = false;
      for (const Expr* type : suppress->args) guards |= IsNameError(type);
      LowerGuarded(w->body, dispatch, guards);
      Jump(join);
      Edge(dispatch, join);
      // What it does not suppress goes on to an outer handler.
      if (!handlers_.empty()) Edge(dispatch, handlers_.back().dispatch);
      cur_ = join;
      --branch_depth_;
      return;
    }
    case StmtKind::kMatch:
      ++branch_depth_;
      LowerMatch(static_cast<const MatchStmt*>(s));
      --branch_depth_;
      return;
    case StmtKind::kTry:
      ++branch_depth_;
      LowerTry(static_cast<const TryStmt*>(s));
      --branch_depth_;
      return;
    case StmtKind::kAssert: {
      auto* a = static_cast<const AssertStmt*>(s);
      VisitExpr(a->test);
      VisitOptional(a->msg);
      // `assert False, "..."` always raises (a kernel does not run with -O).
      if (ConstantTruth(a->test) == false) Raise();
      return;
    }
    case StmtKind::kImport:
    case StmtKind::kImportFrom: {
      for (const Alias* a : ImportedNames(s)) {
        if (a->name == "*") {
          const auto* from = static_cast<const ImportFromStmt*>(s);
          const std::vector<std::string>* names =
              options_.bindings == nullptr
                  ? nullptr
                  : options_.bindings->StarNames(from->module, from->level);
          if (names == nullptr) {
            Wildcard(a->range);
          } else {
            for (const std::string& n : *names) Def(n, a->range, DefKind::kBind, s);
          }
          continue;
        }
        Identifier bound = BoundName(*a);
        Range site = a->asname.empty() ? a->range : a->asname_range;
        if (a->asname.empty()) site.end = site.start + static_cast<Offset>(bound.size());
        Def(bound, site, DefKind::kBind, s);
      }
      return;
    }
    case StmtKind::kExpr: {
      const Expr* value = static_cast<const ExprStmt*>(s)->value;
      stored_call_ = value;  // shown, not run: `gen()` alone
      VisitExpr(value);
      if (IsExitCall(value)) Stop();
      return;
    }
    case StmtKind::kBreak:
      if (!loops_.empty()) Jump(loops_.back().after);
      return;
    case StmtKind::kContinue:
      if (!loops_.empty()) Jump(loops_.back().head);
      return;
    case StmtKind::kIpyEscape:
      LowerMagic(static_cast<const IpyEscapeStmt*>(s));
      return;
    case StmtKind::kGlobal:
    case StmtKind::kNonlocal:
    case StmtKind::kPass:
    case StmtKind::kError:
      return;
  }
}

// Binds an assignment, for, with or del target (Name → definition; attribute and subscript
// targets only read their parts).
void Lowerer::LowerTarget(const Expr* target, const Stmt* stmt) {
  switch (target->kind) {
    case ExprKind::kName: {
      auto* n = static_cast<const Name*>(target);
      // `del x` needs x bound (NameError otherwise, as for a read).
      if (n->ctx == ExprContext::kDel) UseName(n->id, n->range, kInstrDeletes);
      Def(n->id, n->range, n->ctx == ExprContext::kDel ? DefKind::kDelete : DefKind::kBind, stmt);
      return;
    }
    case ExprKind::kTuple:
      for (const Expr* e : static_cast<const Tuple*>(target)->elts) LowerTarget(e, stmt);
      return;
    case ExprKind::kList:
      for (const Expr* e : static_cast<const List*>(target)->elts) LowerTarget(e, stmt);
      return;
    case ExprKind::kStarred:
      LowerTarget(static_cast<const Starred*>(target)->value, stmt);
      return;
    case ExprKind::kAttribute: {
      auto* a = static_cast<const Attribute*>(target);
      VisitExpr(a->value);
      // `builtins.helper = f`, `__main__.config = c`: a name every scope sees from now on.
      if (a->ctx != ExprContext::kDel && IsNamespaceModule(a->value, options_.buffer)) {
        BindGlobal(a->attr, a->attr_range);
      }
      return;
    }
    case ExprKind::kSubscript: {
      auto* sub = static_cast<const Subscript*>(target);
      if (sub->ctx == ExprContext::kStore && IsGlobals(sub->value)) {
        // globals()['name'] = v binds that name; at module level, globals()[f'df_{k}'] = v
        // binds names that start with 'df_'. Other keys may bind any name (the wildcard that
        // reading globals() as a dict leaves).
        std::string_view name = StringConstantName(sub->slice, options_.buffer);
        std::string_view prefix;
        if (name.empty() && unit_->kind == UnitKind::kModule && scope_ == unit_scope_) {
          prefix = NamePrefix(sub->slice, options_.buffer);
        }
        if (!name.empty() || !prefix.empty()) {
          namespace_read_ = sub->value;
          VisitExpr(sub->value);
          VisitExpr(sub->slice);
          if (!name.empty()) {
            BindGlobal(name, sub->slice->range);
          } else {
            Wildcard(sub->slice->range, prefix);
          }
          return;
        }
      }
      VisitExpr(sub->value);
      VisitExpr(sub->slice);
      return;
    }
    default:
      VisitExpr(target);
      return;
  }
}

// PEP 695 type parameters (`def f[T](x: T)`, `class C[T](Base[T])`): the annotations, bases
// and body see them. The scopes count them as bindings of the enclosing scope, so they are
// defined there, before what reads them; their bounds and defaults are evaluated lazily.
void Lowerer::DefineTypeParams(TypeParamList params) {
  for (const TypeParam* t : params) Def(t->name, t->name_range, DefKind::kBind);
}

void Lowerer::LowerFunctionDef(const FunctionDefStmt* f) {
  // Run now: decorators, defaults, annotations. The body runs when called.
  VisitAll(f->decorators);
  CallDecorators(f->decorators);
  VisitAll(f->args->defaults);
  VisitAll(f->args->kw_defaults);
  DefineTypeParams(f->type_params);
  if (!HasFutureAnnotationsFlag()) {
    auto ann = [&](const Arg* a) {
      if (a != nullptr && a->annotation != nullptr) VisitExpr(a->annotation);
    };
    for (const Arg* a : f->args->posonlyargs) ann(a);
    for (const Arg* a : f->args->args) ann(a);
    ann(f->args->vararg);
    for (const Arg* a : f->args->kwonlyargs) ann(a);
    ann(f->args->kwarg);
    VisitOptional(f->returns);
  }
  Def(f->name, f->name_range, DefKind::kBind, f);
  Queue(f);
}

void Lowerer::LowerClassDef(const ClassDefStmt* c) {
  VisitAll(c->decorators);
  CallDecorators(c->decorators);
  DefineTypeParams(c->type_params);
  VisitAll(c->bases);
  for (const Keyword* k : c->keywords) VisitExpr(k->value);
  // The body runs now, in the class's own namespace.
  const Scope* saved = scope_;
  const Scope* cs = tree_->ScopeOf(c);
  if (cs != nullptr) scope_ = cs;
  const bool module_level =
      cs != nullptr && unit_->kind == UnitKind::kModule && saved->kind == ScopeKind::kModule;
  if (module_level) classes_.push_back({cs, {}});
  LowerBody(c->body);
  if (module_level) classes_.pop_back();
  scope_ = saved;
  Def(c->name, c->name_range, DefKind::kBind, c);
}

void Lowerer::LowerIf(const IfStmt* i) {
  VisitExpr(i->test);
  std::optional<bool> truth = DecidedTruth(i->test, options_.buffer, options_.python_minor);
  if (!truth && loops_.empty()) {
    // `MODE = 'daily'` earlier in straight-line code, then `if MODE == 'daily':` (not in a
    // loop, whose body may run again after it rebinds the name).
    truth = LiteralComparison(i->test, options_.buffer, [&](std::string_view name) {
      const NameId* id = unit_->FindName(name);
      return id != nullptr && *id < literal_of_.size() ? literal_of_[*id] : nullptr;
    });
  }
  BlockId cond = Current();
  BlockId then_b = NewBlock();
  BlockId else_b = NewBlock();
  BlockId join = NewBlock();
  if (truth != false) Edge(cond, then_b);
  if (truth != true) Edge(cond, else_b);
  // Names proven bound at the start of each branch.
  std::vector<std::string_view> then_proven, else_proven;
  // `if flag: x = ...` then, later, `if flag: use(x)`: the same test, whose names nothing has
  // rebound since, takes the same branch, so what the earlier branch bound is bound here.
  std::string key;
  if (!truth && StableTest(i->test)) {
    key = TestKey(options_.buffer, i->test);
    SameTestProofs(key, &then_proven, &else_proven);
  }
  // In a loop, `if first: ...; first = False` / `else: ...`: the branch that flips the flag
  // runs first, the other only after it, so what the first one bound is bound there.
  if (!truth && !loops_.empty()) {
    bool negated = false;
    std::string_view flag = FlagTest(i->test, &negated);
    const bool body_when = !negated;  // the flag's truth when the body runs
    if (flag.empty()) {
      // not the idiom
    } else if (std::optional<bool> v = FlagAssigned(i->body, flag); v && *v != body_when) {
      BoundDirectly(i->body, &else_proven);
    } else if (std::optional<bool> w = FlagAssigned(i->orelse, flag); w && *w == body_when) {
      BoundDirectly(i->orelse, &then_proven);
    }
  }
  // `if 'x' not in globals(): x = ...`: where the test finds the name bound, it is.
  if (!truth) {
    MembershipProofs(i->test, true, &then_proven);
    MembershipProofs(i->test, false, &else_proven);
  }
  const auto defs_before = static_cast<uint32_t>(unit_->defs.size());
  cur_ = then_b;
  Prove(then_proven, i->test->range);
  dead_ += truth == false;
  LowerBody(i->body);
  dead_ -= truth == false;
  Jump(join);
  cur_ = else_b;
  Prove(else_proven, i->test->range);
  dead_ += truth == true;
  LowerBody(i->orelse);
  dead_ -= truth == true;
  Jump(join);
  cur_ = join;
  // Only a test every path runs (not nested in a branch or loop) is remembered.
  if (!key.empty() && branch_depth_ == 1) {
    SameTest t;
    t.key = std::move(key);
    t.scope = TestScope();
    t.defs_from = defs_before;
    TestNames(i->test, &t.test_names);
    BoundDirectly(i->body, &t.then_names);
    BoundDirectly(i->orelse, &t.else_names);
    Remember(std::move(t));
  }
}

void Lowerer::Remember(SameTest t) {
  // The newest test with this text replaces an older one: that one is out of date too once
  // its names are rebound. If they were not rebound in between, both took the same branch,
  // and what the older one's branches bound is bound in the newer one's too.
  for (const SameTest& old : tests_) {
    if (old.key != t.key || old.scope != t.scope) continue;
    // (A few names: machine-made code with thousands of such tests stays linear.)
    if (Rebound(old, t.defs_from) || t.then_names.size() + old.then_names.size() > kProvenKept ||
        t.else_names.size() + old.else_names.size() > kProvenKept) {
      continue;
    }
    t.then_names.insert(t.then_names.end(), old.then_names.begin(), old.then_names.end());
    t.else_names.insert(t.else_names.end(), old.else_names.begin(), old.else_names.end());
  }
  std::erase_if(tests_,
                [&](const SameTest& old) { return old.key == t.key && old.scope == t.scope; });
  if (tests_.size() == kTestsKept) tests_.erase(tests_.begin());
  tests_.push_back(std::move(t));
}

// `try: from google.colab import drive; IN_COLAB = True` / `except ImportError: IN_COLAB =
// False`: a later `if IN_COLAB:` runs its body only if the try body bound its names.
void Lowerer::RememberTryFlag(const TryStmt* t) {
  std::vector<std::string_view> bound;
  std::string_view flag = TrySuccessFlag(t, &bound);
  if (flag.empty()) return;
  for (bool negated : {false, true}) {
    SameTest test;
    test.key = negated ? StrCat("not", flag) : std::string(flag);
    test.scope = TestScope();
    test.defs_from = static_cast<uint32_t>(unit_->defs.size());
    test.test_names.push_back(flag);
    (negated ? test.else_names : test.then_names) = bound;
    Remember(std::move(test));
  }
}

// The earlier test with this text in this scope whose names no definition since has rebound.
void Lowerer::SameTestProofs(std::string_view key, std::vector<std::string_view>* then_names,
                             std::vector<std::string_view>* else_names) const {
  // A module-level class's body reads the module's names, unless it binds them itself: there a
  // test of the module's code that reads none of the body's names is the same test.
  auto module_test = [this](const SameTest& t) {
    return t.scope == nullptr && OwnClassBody() != nullptr &&
           std::none_of(t.test_names.begin(), t.test_names.end(),
                        [this](std::string_view n) { return ClassBinds(n); });
  };
  for (auto it = tests_.rbegin(); it != tests_.rend(); ++it) {
    if (it->key != key || (it->scope != TestScope() && !module_test(*it))) continue;
    // Rebound since this test: so since every earlier one too.
    if (Rebound(*it, unit_->defs.size())) return;
    then_names->insert(then_names->end(), it->then_names.begin(), it->then_names.end());
    else_names->insert(else_names->end(), it->else_names.begin(), it->else_names.end());
  }
}

// Names proven bound at the start of a branch.
void Lowerer::Prove(const std::vector<std::string_view>& names, Range site) {
  for (std::string_view n : names) Def(n, site, DefKind::kProven);
}

void Lowerer::BindGlobal(std::string_view name, Range site) {
  if (unit_->kind == UnitKind::kModule && scope_ == unit_scope_) {
    Def(name, site, DefKind::kBind);
  } else {
    unit_->global_writes.push_back(name);
  }
}

void Lowerer::MembershipProofs(const Expr* test, bool when,
                               std::vector<std::string_view>* out) const {
  bool negated = false;
  std::string_view name = NamespaceMembership(test, options_.buffer, &negated);
  if (!name.empty()) {
    if (negated != when) out->push_back(name);
    return;
  }
  if (const auto* b = test->As<BoolOp>()) {
    // All operands of a true `and`, and of a false `or`, have that value.
    if ((b->op == BoolOpKind::kAnd) == when) {
      for (const Expr* v : b->values) MembershipProofs(v, when, out);
    }
  }
}

void Lowerer::LowerBoolOp(const BoolOp* b) {
  // The operands after one that proves a name run in a block of their own, which the short
  // circuit skips; without such an operand (nearly always), no block is made.
  const bool continue_when = b->op == BoolOpKind::kAnd;
  std::vector<std::string_view> proven;
  BlockId join = kNoBlock;
  for (const Expr* v : b->values) {
    if (!proven.empty()) {
      BlockId rest = NewBlock();
      if (join == kNoBlock) join = NewBlock();
      Edge(Current(), rest);
      Edge(Current(), join);
      cur_ = rest;
      Prove(proven, v->range);
      proven.clear();
    }
    VisitExpr(v);
    // `False and x`, `'' and x`, `'text' or x`: the operand decides, the rest never runs.
    if (std::optional<bool> truth = LiteralTruth(v, options_.buffer);
        truth && *truth != continue_when) {
      break;
    }
    MembershipProofs(v, continue_when, &proven);
  }
  if (join != kNoBlock) {
    Jump(join);
    cur_ = join;
  }
}

void Lowerer::LowerIfExp(const IfExp* e, const std::vector<std::string_view>& when_true,
                         const std::vector<std::string_view>& when_false) {
  VisitExpr(e->test);
  BlockId cond = Current();
  BlockId body = NewBlock();
  BlockId orelse = NewBlock();
  BlockId join = NewBlock();
  Edge(cond, body);
  Edge(cond, orelse);
  cur_ = body;
  Prove(when_true, e->test->range);
  VisitExpr(e->body);
  Jump(join);
  cur_ = orelse;
  Prove(when_false, e->test->range);
  VisitExpr(e->orelse);
  Jump(join);
  cur_ = join;
}

// Loops are assumed to run their body at least once (unless the test is a constant false):
// in notebooks a loop over data or a flag almost always runs, and "the loop might not run" was
// the main source of false NB103 findings on real notebooks.
void Lowerer::LowerWhile(const WhileStmt* w) {
  std::optional<bool> truth = ConstantTruth(w->test);
  VisitExpr(w->test);  // the first test
  BlockId head = NewBlock();
  BlockId body = NewBlock();
  BlockId else_b = NewBlock();
  BlockId after = NewBlock();
  Jump(truth == false ? else_b : body);
  cur_ = head;
  VisitExpr(w->test);  // the test before each further iteration
  BlockId test_end = Current();
  if (truth != false) Edge(test_end, body);
  if (truth != true) Edge(test_end, else_b);
  cur_ = body;
  loops_.push_back({head, after});
  LowerBody(w->body);
  loops_.pop_back();
  Jump(head);
  cur_ = else_b;
  LowerBody(w->orelse);
  Jump(after);
  cur_ = after;
}

void Lowerer::LowerFor(const ForStmt* f) {
  VisitExpr(f->iter);
  BlockId head = NewBlock();
  BlockId body = NewBlock();
  BlockId else_b = NewBlock();
  BlockId after = NewBlock();
  Jump(RunsAtLeastOnce(f->iter) ? body : head);
  Edge(head, body);
  Edge(head, else_b);
  cur_ = body;
  LowerTarget(f->target, f);
  loops_.push_back({head, after});
  LowerBody(f->body);
  loops_.pop_back();
  Jump(head);
  cur_ = else_b;
  LowerBody(f->orelse);
  Jump(after);
  cur_ = after;
}

void Lowerer::LowerTry(const TryStmt* t) {
  BlockId dispatch = NewBlock();
  BlockId join = NewBlock();
  bool guards = false;
  bool catch_all = false;
  for (const ExceptHandler* h : t->handlers) {
    guards |= IsNameError(h->type);
    catch_all |= CatchesAll(h->type);
  }
  LowerGuarded(t->body, dispatch, guards);
  LowerBody(t->orelse);
  Jump(join);
  for (const ExceptHandler* h : t->handlers) {
    BlockId hb = NewBlock();
    Edge(dispatch, hb);
    cur_ = hb;
    VisitOptional(h->type);
    if (!h->name.empty()) Def(h->name, h->name_range, DefKind::kBind);
    LowerBody(h->body);
    if (!h->name.empty() && cur_ != kNoBlock) {
      // `except E as e` unbinds e when the handler ends.
      Def(h->name, h->name_range, DefKind::kDelete, nullptr, kInstrImplicit);
    }
    Jump(join);
  }
  if (t->handlers.empty() || !catch_all) {
    // Not caught here: on to an outer handler, or the run stops.
    if (!handlers_.empty()) Edge(dispatch, handlers_.back().dispatch);
  }
  cur_ = join;
  LowerBody(t->finalbody);
  if (branch_depth_ == 1) RememberTryFlag(t);
}

void Lowerer::LowerGuarded(StmtList body, BlockId dispatch, bool guards_name_error) {
  handlers_.push_back({dispatch, guards_name_error});
  LowerBody(body);
  if (cur_ != kNoBlock) Edge(cur_, dispatch);  // the last statement may fail too
  handlers_.pop_back();
}

void Lowerer::LowerMatch(const MatchStmt* m) {
  VisitExpr(m->subject);
  BlockId dispatch = Current();
  BlockId join = NewBlock();
  for (const MatchCase* c : m->cases) {
    BlockId cb = NewBlock();
    Edge(dispatch, cb);
    const bool irrefutable = IsIrrefutable(c->pattern);
    BlockId next = kNoBlock;
    if (c->guard != nullptr || !irrefutable) next = NewBlock();
    // A pattern that does not match binds nothing (the case after it sees the state before).
    if (!irrefutable) Edge(cb, next);
    cur_ = NewBlock();
    Edge(cb, cur_);
    VisitPattern(c->pattern);
    VisitOptional(c->guard);
    BlockId tested = Current();
    // A guard that fails leaves the pattern's names bound.
    if (c->guard != nullptr) Edge(tested, next);
    BlockId body = NewBlock();
    Edge(tested, body);
    cur_ = body;
    LowerBody(c->body);
    Jump(join);
    dispatch = next;
    if (dispatch == kNoBlock) break;
  }
  if (dispatch != kNoBlock) Edge(dispatch, join);
  cur_ = join;
}

// IPython escapes that bind or read Python names.
void Lowerer::LowerMagic(const IpyEscapeStmt* m) {
  std::string_view text = m->text;
  if (m->escape_kind == IpyEscapeKind::kShell && unit_->kind == UnitKind::kModule) {
    // `!cmd` leaves the command's exit status in _exit_code.
    Def("_exit_code", m->range, DefKind::kBind);
    return;
  }
  // Automagic lines ("run x.py", "pylab inline") are magics without the '%'.
  if (m->escape_kind == IpyEscapeKind::kHelp || m->escape_kind == IpyEscapeKind::kHelp2 ||
      m->escape_kind == IpyEscapeKind::kShell || m->escape_kind == IpyEscapeKind::kShellCapture) {
    return;
  }
  // The magic's name and what follows it.
  const std::string_view magic = EscapeMagicName(text);
  const size_t name_end = static_cast<size_t>(magic.data() + magic.size() - text.data());
  const std::string_view args = text.substr(name_end);
  Offset skipped = 0;
  std::string_view code = MagicPythonArgument(text, &skipped);
  if (m->escape_kind == IpyEscapeKind::kCellMagic && code.empty()) return;
  if (!code.empty() && options_.arena != nullptr) {
    // %time, %timeit, %prun, %memit... run a statement in the user namespace.
    Offset begin = m->range.start + skipped;
    Offset end = begin + static_cast<Offset>(code.size());
    ParseResult parsed = Parse(options_.buffer, begin, end, options_.arena, ParseOptions{});
    if (parsed.ok()) {
      program_->snippet_scopes.push_back(BuildScopes(parsed.module, options_.buffer));
      const ScopeTree* saved_tree = tree_;
      const Scope* saved_scope = scope_;
      const Scope* saved_unit_scope = unit_scope_;
      tree_ = program_->snippet_scopes.back().get();
      // The snippet's module scope stands for the notebook's module scope.
      scope_ = unit_scope_ = tree_->module();
      const auto defs_before = static_cast<DefId>(unit_->defs.size());
      LowerBody(parsed.module->body);
      tree_ = saved_tree;
      scope_ = saved_scope;
      unit_scope_ = saved_unit_scope;
      if (m->escape_kind == IpyEscapeKind::kMagic && magic == "timeit" &&
          unit_->kind == UnitKind::kModule) {
        ForgetBindings(defs_before);
      }
    }
    return;
  }
  if (magic == "aimport") {
    // autoreload's `%aimport a.b, c` binds the top-level names, as `import a.b, c` does.
    for (std::string_view module : AimportModules(args)) {
      std::string_view top = module.substr(0, module.find('.'));
      if (!LooksLikeIdentifier(top)) continue;
      auto at = m->range.start + static_cast<Offset>(top.data() - text.data());
      Def(top, Range{at, at + static_cast<Offset>(top.size())}, DefKind::kBind);
    }
    return;
  }
  if (magic == "store") {
    // %store -r [names]: restores variables another session saved.
    size_t r = args.find("-r");
    if (r == std::string_view::npos) return;
    size_t p = r + 2, start = 0;
    bool any = false;
    for (std::string_view n = NextWord(args, &p, &start); !n.empty();
         n = NextWord(args, &p, &start)) {
      Offset at = m->range.start + static_cast<Offset>(name_end + start);
      Def(n, Range{at, at + static_cast<Offset>(n.size())}, DefKind::kBind);
      any = true;
    }
    if (!any) Wildcard(m->range);
    return;
  }
  if (magic == "R" || magic == "Rpull" || magic == "octave" || magic == "octave_pull") {
    // rpy2: `%R -o x expr` and `%Rpull x y` copy R variables into Python; oct2py's
    // `%octave -o x ...` and `%octave_pull x y` Octave's.
    std::vector<std::string_view> names;
    if (magic == "R" || magic == "octave") {
      names = RMagicOutputs(args);
    } else {
      size_t p = 0;
      for (std::string_view n = NextWord(args, &p); !n.empty(); n = NextWord(args, &p)) {
        if (LooksLikeIdentifier(n)) names.push_back(n);
      }
    }
    for (std::string_view n : names) {
      auto at = m->range.start + static_cast<Offset>(n.data() - text.data());
      Def(n, Range{at, at + static_cast<Offset>(n.size())}, DefKind::kBind);
    }
    return;
  }
  if (magic == "sql") {
    if (std::string_view n = SqlMagicTarget(args); !n.empty()) {
      auto at = m->range.start + static_cast<Offset>(n.data() - text.data());
      Def(n, Range{at, at + static_cast<Offset>(n.size())}, DefKind::kBind);
    }
    return;
  }
  if (magic == "macro") {
    // %macro [-r] [-q] name ranges: a variable holding the lines of the input history.
    size_t p = 0, start = 0;
    std::string_view name;
    do {
      name = NextWord(args, &p, &start);
    } while (!name.empty() && name[0] == '-');
    if (LooksLikeIdentifier(name)) {
      Offset at = m->range.start + static_cast<Offset>(name_end + start);
      Def(name, Range{at, at + static_cast<Offset>(name.size())}, DefKind::kBind);
    }
    return;
  }
  // %run binds the script's top-level names and %pylab star-imports numpy and matplotlib: any
  // name may be bound afterwards. (%load only pastes code into the cell; it runs nothing.)
  if (magic == "run") {
    RunScript(args, m->range);
  } else if (magic == "pylab") {
    Wildcard(m->range);
  }
}

void Lowerer::RunScript(std::string_view args, Range site) {
  // %run [-i] [-e] [-t] [-d] [-p] [-m] script.py [args]: the first word not an option, as a
  // shell reads it ("My Helpers.ipynb").
  std::string script;
  size_t p = 0;
  std::string_view written;
  do {
    written = NextShellWord(args, &p, &script);
  } while (!written.empty() && written[0] == '-');
  const std::vector<std::string>* names = script.empty() || options_.bindings == nullptr
                                              ? nullptr
                                              : options_.bindings->RunNames(script);
  if (names == nullptr) {
    Wildcard(site);
    return;
  }
  for (const std::string& n : *names) Def(n, site, DefKind::kBind);
}

void Lowerer::LowerMagicCall(const Call* c, std::string_view method) {
  if (unit_->kind != UnitKind::kModule || c->args.empty()) return;
  std::string_view name, line;
  if (method == "run_line_magic" || method == "run_cell_magic") {
    if (c->args.size() < 2) return;
    name = PlainStringText(c->args[0], options_.buffer).value_or("");
    line = PlainStringText(c->args[1], options_.buffer).value_or("");
  } else if (method == "magic") {
    // The old get_ipython().magic('pylab inline'): the magic's line, its '%' optional.
    line = PlainStringText(c->args[0], options_.buffer).value_or("");
    if (line.starts_with('%')) line.remove_prefix(1);
    size_t p = 0;
    name = NextWord(line, &p);
    line = line.substr(p);
  } else {
    return;
  }
  size_t p = 0;
  std::string_view word;
  if (method == "run_cell_magic") {
    // %%capture [options] out: out receives what the cell printed.
    if (name != "capture") return;
    do {
      word = NextWord(line, &p);
    } while (!word.empty() && word[0] == '-');
    if (LooksLikeIdentifier(word)) Def(word, c->args[1]->range, DefKind::kBind);
    return;
  }
  if (name == "store") {
    // %store -r [names]
    if (line.find("-r") == std::string_view::npos) return;
    bool any = false;
    for (word = NextWord(line, &p); !word.empty(); word = NextWord(line, &p)) {
      if (word[0] == '-' || !LooksLikeIdentifier(word)) continue;
      Def(word, c->args.back()->range, DefKind::kBind);
      any = true;
    }
    if (!any) Wildcard(c->range);
  } else if (name == "run") {
    RunScript(line, c->range);
  } else if (name == "pylab") {
    Wildcard(c->range);
  }
}

void Lowerer::VisitExpr(const Expr* e) {
  switch (e->kind) {
    case ExprKind::kName: {
      auto* n = static_cast<const Name*>(e);
      if (n->ctx == ExprContext::kLoad) {
        UseName(n->id, n->range);
      } else {
        Def(n->id, n->range, n->ctx == ExprContext::kDel ? DefKind::kDelete : DefKind::kBind);
      }
      return;
    }
    case ExprKind::kNamedExpr: {
      auto* n = static_cast<const NamedExpr*>(e);
      VisitExpr(n->value);
      VisitExpr(n->target);
      return;
    }
    case ExprKind::kLambda: {
      auto* l = static_cast<const Lambda*>(e);
      VisitAll(l->args->defaults);
      VisitAll(l->args->kw_defaults);
      Queue(l);
      return;
    }
    case ExprKind::kListComp:
    case ExprKind::kSetComp:
    case ExprKind::kDictComp:
    case ExprKind::kGeneratorExp: {
      ComprehensionList gens;
      const Expr* a = nullptr;
      const Expr* b = nullptr;
      if (auto* c = e->As<ListComp>()) {
        gens = c->generators, a = c->elt;
      } else if (auto* c = e->As<SetComp>()) {
        gens = c->generators, a = c->elt;
      } else if (auto* c = e->As<GeneratorExp>()) {
        gens = c->generators, a = c->elt;
      } else if (auto* c = e->As<DictComp>()) {
        gens = c->generators, a = c->key, b = c->value;
      }
      if (gens.empty()) return;
      // The first iterable is evaluated here; the rest runs in the comprehension's scope.
      VisitOptional(gens[0]->iter);
      const Scope* saved = scope_;
      if (const Scope* cs = tree_->ScopeOf(e)) scope_ = cs;
      for (size_t i = 0; i < gens.size(); ++i) {
        if (i > 0) VisitOptional(gens[i]->iter);
        LowerTarget(gens[i]->target, nullptr);
        VisitAll(gens[i]->ifs);
      }
      VisitOptional(a);
      VisitOptional(b);
      scope_ = saved;
      return;
    }
    case ExprKind::kCall: {
      auto* c = static_cast<const Call*>(e);
      if (const auto* a = c->func->As<Attribute>()) {
        // globals().get(name), globals().keys(): read the namespace.
        if (IsGlobals(a->value) && IsDictReader(a->attr)) namespace_read_ = a->value;
      } else {
        // print(globals()), sorted(locals())
        for (const Expr* arg : c->args) {
          if (IsGlobals(arg) && ReadsItsArgumentsOnly(c->func)) namespace_read_ = arg;
        }
      }
      WalkExpr(e);
      if (const auto* f = c->func->As<Name>()) {
        // The namespace as a dict may be written (globals()[name] = ..., handed to a function
        // that writes it): any name may be bound from here on. Reads of it bind nothing.
        if (((f->id == "exec" || f->id == "eval") && !RunsInOwnNamespace(c) &&
             !BoundInModule(f->id)) ||
            f->id == "__import__" ||
            ((f->id == "globals" || f->id == "locals" || f->id == "vars") && e != namespace_read_ &&
             IsGlobals(e))) {
          Wildcard(f->range);
        } else if (f->id == "setattr" && c->args.size() >= 2 &&
                   IsNamespaceModule(c->args[0], options_.buffer)) {
          // setattr(sys.modules[__name__], "name", value): that name, or any.
          std::string_view name = StringConstantName(c->args[1], options_.buffer);
          if (name.empty()) {
            Wildcard(f->range);
          } else {
            BindGlobal(name, c->args[1]->range);
          }
        } else {
          if (f->id == "var" || f->id == "init_session") SympyInjects(c, f->id, f->range);
          CallName(f, e == stored_call_ ? kInstrStored : 0);
        }
      } else if (const auto* a = c->func->As<Attribute>(); a != nullptr) {
        if ((a->attr == "var" || a->attr == "init_session") && a->value->As<Name>() != nullptr) {
          SympyInjects(c, a->attr, a->range);  // sp.var('x y')
        }
        if (IsGetIpythonCall(a->value)) LowerMagicCall(c, a->attr);
        if (!method_receivers_.empty()) {
          LowerMethodCall(a, e == stored_call_);
        } else if (!self_name_.empty()) {
          // self.step(...) in a method.
          if (const auto* n = a->value->As<Name>(); n != nullptr && n->id == self_name_) {
            unit_->self_calls.push_back({a->attr, a->range});
          }
        }
      }
      return;
    }
    case ExprKind::kBoolOp:
      LowerBoolOp(static_cast<const BoolOp*>(e));
      return;
    case ExprKind::kAttribute: {
      // sys.modules[__name__].__dict__, __main__.__dict__: the globals as a dict.
      auto* a = static_cast<const Attribute*>(e);
      WalkExpr(e);
      // (The attribute's name first: this runs for every attribute.)
      if (a->attr == "__dict__" && e != namespace_read_ && IsGlobals(e)) Wildcard(a->range);
      return;
    }
    case ExprKind::kIfExp: {
      // Blocks of its own only for a namespace test (rare).
      auto* x = static_cast<const IfExp*>(e);
      std::vector<std::string_view> when_true, when_false;
      MembershipProofs(x->test, true, &when_true);
      MembershipProofs(x->test, false, &when_false);
      if (when_true.empty() && when_false.empty()) {
        WalkExpr(e);
      } else {
        LowerIfExp(x, when_true, when_false);
      }
      return;
    }
    case ExprKind::kCompare: {
      // 'name' in globals(): a read of the namespace.
      auto* c = static_cast<const Compare*>(e);
      for (size_t k = 0; k < c->comparators.size(); ++k) {
        if ((c->ops[k] == CmpOpKind::kIn || c->ops[k] == CmpOpKind::kNotIn) &&
            IsGlobals(c->comparators[k])) {
          namespace_read_ = c->comparators[k];
        }
      }
      WalkExpr(e);
      return;
    }
    case ExprKind::kSubscript: {
      // globals()[name], read.
      auto* s = static_cast<const Subscript*>(e);
      if (s->ctx == ExprContext::kLoad && IsGlobals(s->value)) namespace_read_ = s->value;
      WalkExpr(e);
      return;
    }
    default:
      WalkExpr(e);
      return;
  }
}

// A method call on a name (`model.fit(...)`, `Config.load(...)`) or on a new instance
// (`Model(...).fit(...)`), when the name may be a class or an instance of one: checked at the
// call like a function's (kInstrMethod). Kept out of VisitExpr, which is hot.
void Lowerer::LowerMethodCall(const Attribute* a, bool stored) {
  if (unit_->kind != UnitKind::kModule) return;  // calls are checked at module level only
  const Name* receiver = a->value->As<Name>();
  uint16_t flags = kInstrMethod | (stored ? kInstrStored : 0);
  if (const auto* made = a->value->As<Call>(); made != nullptr && receiver == nullptr) {
    receiver = made->func->As<Name>();
    flags |= kInstrOnInstance;
  }
  if (receiver == nullptr ||
      !std::binary_search(method_receivers_.begin(), method_receivers_.end(), receiver->id)) {
    return;
  }
  // The receiver was read just before (the callee is lowered before the arguments): its read
  // names the module-level name, resolved and interned already.
  const std::vector<Use>& uses = unit_->uses;
  for (size_t k = uses.size(); k-- > 0 && uses[k].site.start >= receiver->range.start;) {
    if (uses[k].site.start != receiver->range.start) continue;
    const auto index = static_cast<uint32_t>(unit_->call_attrs.size());
    unit_->call_attrs.push_back(a->attr);
    unit_->blocks[Current()].instrs.push_back(
        Instr{InstrKind::kCall, flags, uses[k].name, index, a->range});
    return;
  }
}

void Lowerer::SympyInjects(const Call* c, std::string_view function, Range site) {
  if (function == "init_session") {
    Wildcard(site);
    return;
  }
  // Only with the names as a string literal: np.var(a) and df.var() are variances.
  if (c->args.empty()) return;
  const Expr* names = c->args[0];
  const std::optional<std::string_view> symbols = PlainStringText(names, options_.buffer);
  if (!symbols) return;
  const std::string_view text = *symbols;
  size_t p = 0;
  while (p < text.size()) {
    const size_t start = text.find_first_not_of(" ,\t", p);
    if (start == std::string_view::npos) break;
    size_t end = text.find_first_of(" ,\t", start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view name = text.substr(start, end - start);
    if (!LooksLikeIdentifier(name)) {
      Wildcard(site);  // ranges such as 'x:3' make x0, x1, x2
      return;
    }
    BindGlobal(name, names->range);
    p = end;
  }
}

void Lowerer::VisitPattern(const Pattern* p) {
  if (!PatternBinding(p).empty()) Def(p->name, p->name_range, DefKind::kBind);
  WalkPattern(p);
}

}  // namespace

std::vector<std::string_view> RMagicOutputs(std::string_view args) {
  std::vector<std::string_view> names;
  size_t p = 0;
  for (std::string_view word = NextWord(args, &p); !word.empty(); word = NextWord(args, &p)) {
    // -o/--output; -d/--dataframe (IPython's older rmagic: data frames as record arrays).
    std::string_view value;
    if (word == "-o" || word == "--output" || word == "-d" || word == "--dataframe") {
      value = NextWord(args, &p);
    } else if (word.starts_with("--output=") || word.starts_with("--dataframe=")) {
      value = word.substr(word.find('=') + 1);
    } else if (word.size() > 2 && (word.starts_with("-o") || word.starts_with("-d"))) {
      value = word.substr(2);
    } else {
      continue;
    }
    // Several names are separated by commas, without blanks.
    while (!value.empty()) {
      size_t comma = value.find(',');
      std::string_view name = value.substr(0, comma);
      if (LooksLikeIdentifier(name)) names.push_back(name);
      if (comma == std::string_view::npos) break;
      value.remove_prefix(comma + 1);
    }
  }
  return names;
}

std::string_view EscapeMagicName(std::string_view escape) {
  size_t start = 0;
  while (start < escape.size() && start < 2 && escape[start] == '%') ++start;
  size_t end = start;
  while (end < escape.size() &&
         (std::isalnum(static_cast<unsigned char>(escape[end])) || escape[end] == '_')) {
    ++end;
  }
  return escape.substr(start, end - start);
}

std::vector<std::string_view> AimportModules(std::string_view args) {
  std::vector<std::string_view> modules;
  size_t p = 0;
  while (p < args.size()) {
    const size_t comma = std::min(args.find(',', p), args.size());
    size_t word = 0;
    std::string_view module = NextWord(args.substr(p, comma - p), &word);
    if (!module.empty() && module[0] != '-') modules.push_back(module);
    p = comma + 1;
  }
  return modules;
}

std::string_view SqlMagicTarget(std::string_view args) {
  const size_t eol = args.find_first_of("\r\n");
  const std::string_view line = args.substr(0, eol);
  const size_t shift = line.find("<<");
  if (shift == std::string_view::npos) {
    // `%%sql` (a connection or options at most) with `result << SELECT ...` as its first line.
    if (eol == std::string_view::npos) return {};
    // The magic's line holds no SQL: only options and a connection.
    size_t p = 0;
    for (std::string_view word = NextWord(line, &p); !word.empty(); word = NextWord(line, &p)) {
      if (word[0] != '-' && word.find("://") == std::string_view::npos &&
          word.find('@') == std::string_view::npos) {
        return {};
      }
    }
    const std::string_view body = args.substr(eol);
    const size_t first = body.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const std::string_view next = body.substr(first);
    // The variable must start the line.
    const std::string_view name = SqlMagicTarget(next.substr(0, next.find_first_of("\r\n")));
    return name.data() == next.data() ? name : std::string_view{};
  }
  // `result << ...`, and `result = << ...` as ipython-sql also reads it.
  auto trim_blanks = [](std::string_view s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
  };
  std::string_view before = trim_blanks(line.substr(0, shift));
  if (before.ends_with('=')) before = trim_blanks(before.substr(0, before.size() - 1));
  size_t start = before.size();
  while (start > 0 && (std::isalnum(static_cast<unsigned char>(before[start - 1])) ||
                       before[start - 1] == '_')) {
    --start;
  }
  // The word must stand alone: "postgresql://u@h/db result <<", not "a.b <<".
  if (start > 0 && before[start - 1] != ' ' && before[start - 1] != '\t') return {};
  std::string_view name = before.substr(start);
  return LooksLikeIdentifier(name) ? name : std::string_view{};
}

std::string_view BigQueryMagicTarget(std::string_view args) {
  args = args.substr(0, args.find_first_of("\r\n"));
  // The options that take a value (the others are flags: --dry_run, --use_rest_api, ...).
  static constexpr std::string_view kValued[] = {"--destination_table",
                                                 "--project",
                                                 "--bigquery_api_endpoint",
                                                 "--bqstorage_api_endpoint",
                                                 "--progress_bar_type",
                                                 "--location",
                                                 "--max_results",
                                                 "--maximum_bytes_billed",
                                                 "--engine"};
  size_t at = 0;
  while (true) {
    at = args.find_first_not_of(" \t", at);
    if (at == std::string_view::npos) return {};
    const size_t end = std::min(args.size(), args.find_first_of(" \t", at));
    const std::string_view word = args.substr(at, end - at);
    at = end;
    if (!word.starts_with("-")) return LooksLikeIdentifier(word) ? word : std::string_view{};
    // --params takes the rest of the line (a dict, or names): nothing positional after it.
    if (word == "--params") return {};
    if (word.find('=') == std::string_view::npos &&
        std::find(std::begin(kValued), std::end(kValued), word) != std::end(kValued)) {
      at = args.find_first_not_of(" \t", at);
      if (at == std::string_view::npos) return {};
      at = std::min(args.size(), args.find_first_of(" \t", at));
    }
  }
}

std::string_view MagicPythonArgument(std::string_view escape, Offset* skipped) {
  if (!escape.empty() && (escape[0] == '/' || escape[0] == ',' || escape[0] == ';')) {
    // Autocall: the function's (dotted) name is read; its arguments are not Python.
    size_t p = 1;
    while (p < escape.size() && (escape[p] == ' ' || escape[p] == '\t')) ++p;
    size_t end = p;
    while (end < escape.size() && (IsIdentifierByte(escape[end]) || escape[end] == '.')) ++end;
    *skipped = static_cast<Offset>(p);
    return escape.substr(p, end - p);
  }
  // A line magic without its '%' (automagic: "time x = f()") reads the same.
  const bool automagic = !escape.empty() && IsIdentifierByte(escape[0]);
  if (!automagic && (escape.size() < 2 || escape[0] != '%')) return {};
  const bool cell = !automagic && escape[1] == '%';
  const std::string_view name = EscapeMagicName(escape);
  // "%%timeit [options] setup", "%%memit [options] setup": the setup statement runs before the
  // cell body.
  if (cell && name != "timeit" && name != "memit") return {};
  // The options of each magic that take a value (IPython's parse_options specs).
  std::string_view valued;
  if (name == "timeit") {
    valued = "nrp";
  } else if (name == "prun") {
    valued = "lsTD";
  } else if (name == "memit") {
    valued = "rti";
  } else if (name == "mprun") {
    valued = "fT";
  } else if (name == "lprun") {
    valued = "fmDTu";
  } else if (name != "time" && name != "debug") {
    return {};
  }
  size_t p = static_cast<size_t>(name.data() + name.size() - escape.data());
  // Options: -n 10 -r 3 -q -o ... (each option letter may take one value).
  while (true) {
    while (p < escape.size() && (escape[p] == ' ' || escape[p] == '\t')) ++p;
    if (p >= escape.size() || escape[p] != '-') break;
    char opt = p + 1 < escape.size() ? escape[p + 1] : 0;
    p += 2;
    bool takes_value = opt != 0 && valued.find(opt) != std::string_view::npos;
    if (takes_value) {
      while (p < escape.size() && (escape[p] == ' ' || escape[p] == '\t')) ++p;
      while (p < escape.size() && escape[p] != ' ' && escape[p] != '\t') ++p;
    }
  }
  *skipped = static_cast<Offset>(p);
  return escape.substr(p);
}

namespace {

std::unique_ptr<Program> LowerWith(std::span<const CodeCell> cells, const LowerOptions& options,
                                   std::vector<std::string_view> method_receivers,
                                   const std::vector<std::string_view>* global_writers) {
  auto program = std::make_unique<Program>();
  std::deque<PendingBody> pending;
  program->module.kind = UnitKind::kModule;
  program->module.name = "module";
  {
    Lowerer lowerer(program.get(), &program->module, options, &pending);
    // Cells are compiled one by one; a future import in one applies to that cell only.
    lowerer.SetMethodReceivers(std::move(method_receivers));
    lowerer.SetGlobalWriters(global_writers);
    lowerer.LowerModule(cells);
  }
  while (!pending.empty()) {
    PendingBody body = pending.front();
    pending.pop_front();
    auto unit = std::make_unique<Unit>();
    const auto* stmt = static_cast<const Stmt*>(body.node);
    bool is_def = body.tree->ScopeOf(body.node) != nullptr &&
                  body.tree->ScopeOf(body.node)->kind == ScopeKind::kFunction;
    unit->kind = is_def ? UnitKind::kFunction : UnitKind::kLambda;
    unit->in_module_code = !is_def && body.from_module;
    unit->node = body.node;
    unit->name = is_def ? static_cast<const FunctionDefStmt*>(stmt)->name : "lambda";
    if (body.tree->ScopeOf(body.node) == nullptr) continue;
    if (is_def) {
      const Scope* scope = body.tree->ScopeOf(body.node);
      unit->lazy = (scope->is_generator || scope->is_coroutine) &&
                   static_cast<const FunctionDefStmt*>(stmt)->decorators.empty();
    }
    Lowerer lowerer(program.get(), unit.get(), options, &pending);
    lowerer.SetGlobalWriters(global_writers);
    lowerer.LowerFunction(body);
    program->unit_of[body.node] = unit.get();
    program->functions.push_back(std::move(unit));
  }
  return program;
}

}  // namespace

std::unique_ptr<Program> Lower(std::span<const CodeCell> cells, const LowerOptions& options) {
  std::vector<std::string_view> receivers = MethodReceivers(cells);
  std::unique_ptr<Program> program = LowerWith(cells, options, receivers, nullptr);
  // Rare: lowered again, with a wildcard after each call of such a function.
  std::vector<std::string_view> writers = GlobalWriters(*program, options.buffer);
  if (!writers.empty()) program = LowerWith(cells, options, std::move(receivers), &writers);
  return program;
}

}  // namespace cellflow
