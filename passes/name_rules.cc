// Classifies every read from the versions that reach it and explains each finding.
#include "passes/name_rules.h"

#include <algorithm>
#include <span>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_format.h"

#include "ir/dataflow.h"
#include "lexer/str_util.h"
#include "passes/builtins.h"
#include "passes/stdlib_modules.h"
#include "passes/suggest.h"

namespace cellflow {
namespace {

// What reaches a read.
struct Reach {
  bool undefined = false;  // the entry version: nothing bound on some path
  bool external = false;   // bound outside the unit (a function's global)
  bool deleted = false;    // a del on some path
  bool implicit_delete = false;
  uint32_t bound = 0;      // real definitions
  DefId first_bound = 0;   // the first of them
  bool all_proven = true;  // every real definition is a kProven one
  DefId deleted_at = 0;
};

Reach Classify(const Unit& unit, std::span<const DefId> reaching) {
  Reach r;
  for (DefId d : reaching) {
    const Definition& def = unit.defs[d];
    switch (def.kind) {
      case DefKind::kUndefined:
        r.undefined = true;
        break;
      case DefKind::kExternal:
        r.external = true;
        break;
      case DefKind::kDelete:
        r.deleted = true;
        r.deleted_at = d;
        r.implicit_delete = (def.flags & kInstrImplicit) != 0;
        break;
      case DefKind::kParam:
      case DefKind::kBind:
      case DefKind::kProven:
        if (r.bound++ == 0) r.first_bound = d;
        r.all_proven &= def.kind == DefKind::kProven;
        break;
    }
  }
  return r;
}

// The first of the definitions that bind a read, when every one of them comes after the read
// and so reaches it only around a loop (`total = total + x` in a loop body, with no total
// before the loop): until the loop assigns it, the name has no value. Null otherwise.
const Definition* BoundOnlyLaterInALoop(const Unit& unit, const Use& use) {
  const Definition* first = nullptr;
  for (DefId d : use.reaching) {
    const Definition& def = unit.defs[d];
    if (def.kind == DefKind::kUndefined) continue;
    if (def.kind != DefKind::kBind || def.order <= use.order) return nullptr;
    if (first == nullptr || def.order < first->order) first = &def;
  }
  return first;
}

// Does a definition of the wildcard pseudo-name that may bind `name` reach `state`?
bool WildcardReaches(const Unit& unit, const DefSet& state, std::string_view name) {
  const NameId* star = unit.FindName(kWildcardName);
  if (star == nullptr) return false;
  for (DefId d : unit.defs_of[*star]) {
    if (unit.defs[d].kind == DefKind::kBind && state.Has(d) && unit.WildcardBinds(d, name)) {
      return true;
    }
  }
  return false;
}

class NameChecker {
 public:
  NameChecker(Program* program, const Locator& locator, const NameRulesOptions& options,
              std::vector<Diagnostic>* out)
      : program_(program), loc_(locator), options_(options), out_(out) {}

  void Run() {
    CollectModuleDefinitions();
    CheckFunctions();
    CheckModule();
  }

 private:
  // Names that the namespace has without any definition in the notebook.
  bool Predefined(std::string_view name) const {
    if (IsBuiltin(name, options_.python_minor) || IsModuleDunder(name)) return true;
    if (options_.databricks && IsDatabricksName(name)) return true;
    if (options_.spark && IsSparkShellName(name)) return true;
    if (options_.notebook) return IsKernelName(name);
    return IsScriptOnlyName(name);
  }

  // What the notebook says about a name of the unit being checked, whatever the read.
  enum NameFact : uint8_t {
    kFactsKnown = 1 << 0,
    kPredefined = 1 << 1,          // Predefined()
    kDefined = 1 << 2,             // in defined_
    kDefinedByFunctions = 1 << 3,  // in defined_by_functions_
  };
  uint8_t Facts(const Unit& unit, NameId id) {
    uint8_t& f = facts_[id];
    if (f == 0) {
      std::string_view name = unit.names[id];
      f = kFactsKnown | (Predefined(name) ? kPredefined : 0) |
          (defined_.contains(name) ? kDefined : 0) |
          (defined_by_functions_.contains(name) ? kDefinedByFunctions : 0);
    }
    return f;
  }

  std::string Where(Offset at) const {
    uint32_t cell = loc_.CellOf(at);
    if (cell == 0) return absl::StrFormat("line %d", loc_.LineOf(at));
    return absl::StrFormat("cell %d, line %d", cell, loc_.LineOf(at));
  }

  // NB103 for a name that only the loop's later assignments bind (BoundOnlyLaterInALoop): the
  // note points at the first of them and the help starts the name before the loop. False,
  // with `d` untouched, for other reads.
  bool ExplainLoopOnlyBinding(const Unit& unit, const Use& use, std::string_view name,
                              Diagnostic* d) const {
    const Definition* loop = BoundOnlyLaterInALoop(unit, use);
    if (loop == nullptr) return false;
    d->related.push_back(
        {loop->site, StrCat("'", name, "' is assigned only later in the loop (",
                            Where(loop->site.start), "): until then it has no value")});
    d->help = StrCat("give '", name, "' a value before the loop");
    return true;
  }

  void CollectModuleDefinitions() {
    const Unit& m = program_->module;
    for (const Definition& d : m.defs) {
      if (d.kind == DefKind::kBind && defined_.insert(m.names[d.name]).second) {
        defined_in_order_.push_back(m.names[d.name]);
      }
    }
    defined_.insert(options_.bound_elsewhere.begin(), options_.bound_elsewhere.end());
    for (const auto& f : program_->functions) {
      for (std::string_view g : f->global_writes) defined_by_functions_.insert(g);
      if (f->FindName(kWildcardName) != nullptr) any_wildcard_ = true;
    }
    if (const NameId* star = m.FindName(kWildcardName)) {
      // A wildcard with a prefix binds only names with that prefix, wherever they are read.
      for (DefId d : m.defs_of[*star]) {
        if (m.defs[d].kind != DefKind::kBind) continue;
        if (const std::string_view* prefix = m.WildcardPrefix(d)) {
          wildcard_prefixes_.push_back(*prefix);
        } else {
          any_wildcard_ = true;
        }
      }
    }
  }
  // A name a module-level wildcard may bind (any, or one with its prefix).
  bool AnyWildcardBinds(std::string_view name) const {
    if (any_wildcard_) return true;
    for (std::string_view p : wildcard_prefixes_) {
      if (name.starts_with(p)) return true;
    }
    return false;
  }

  // Typo and missing-import hints for a name nothing defines. A standard library module's name
  // (`string.punctuation` without `import string`) also gets CPython 3.12's "did you forget to
  // import" hint, after any other. `function_read`: where a function body reads the name (its
  // `visible` is then what may be bound when it is called); kNoRead for a module-level read,
  // whose `visible` is what is bound there.
  static constexpr Offset kNoRead = ~Offset{0};
  std::string Hint(std::string_view name, const std::vector<std::string_view>& visible,
                   Offset function_read = kNoRead, Offset read_at = kNoRead) {
    bool names_import = false;
    std::string hint = Suggest(name, visible, function_read, read_at, &names_import);
    if (names_import || name.empty() || name.front() == '_' ||
        !IsStdlibModule(name, options_.python_minor)) {
      return hint;
    }
    std::string forgot = StrCat("'import ", name, "'?");
    return hint.empty() ? StrCat("did you forget ", forgot)
                        : StrCat(hint, " or did you forget ", forgot);
  }

  // The module first binds `name` on the line of the module-level read at `read_at` (after
  // the read: the caller asks about names the read does not see).
  bool BoundFirstOnLineOf(std::string_view name, Offset read_at) const {
    if (read_at == kNoRead) return false;
    const Unit& m = program_->module;
    const NameId* id = m.FindName(name);
    if (id == nullptr) return false;
    for (DefId d : m.defs_of[*id]) {
      const Definition& def = m.defs[d];
      if (def.kind != DefKind::kBind) continue;
      return loc_.CellOf(def.site.start) == loc_.CellOf(read_at) &&
             loc_.LineOf(def.site.start) == loc_.LineOf(read_at);
    }
    return false;
  }

  // The hint proper; `names_import` says whether it is about an import of the name.
  std::string Suggest(std::string_view name, const std::vector<std::string_view>& visible,
                      Offset function_read, Offset read_at, bool* names_import) {
    // `import numpy as np` then `numpy.zeros(3)`: the module is there under its alias.
    if (std::string alias = ImportedAs(name); !alias.empty()) {
      *names_import = true;
      return alias;
    }
    if (std::string_view now = Python2BuiltinReplacement(name); !now.empty()) {
      return StrCat("'", name, "' is a Python 2 builtin; in Python 3 use '", now, "'");
    }
    // Exactly a name of a module imported whole: likelier than a misspelling of another name.
    if (std::string member = ModuleMember(name, visible, function_read, read_at); !member.empty()) {
      *names_import = true;
      return member;
    }
    // A conventional alias (`pd`, `np`, `plt`): its import, before a name one letter away from
    // it (`px`, `nn`). A one-letter alias (`F`) is as likely a misspelling of a name in scope:
    // its import comes after those.
    const std::string_view import = ConventionalImport(name);
    auto forgot_import = [&] {
      *names_import = true;
      return StrCat("did you forget '", import, "'?");
    };
    if (!import.empty() && name.size() > 1) return forgot_import();
    // CPython's pick, when it starts as the name does: a misspelling seldom changes the first
    // letter, while another name a few letters away often differs there (`Wall` and `all`,
    // `last_name` and `first_name`, `hist` and `list`).
    auto pick = [&](std::span<const std::string_view> candidates) {
      std::string_view best = BestSuggestion(name, candidates);
      return SameInitial(name, best, /*skip_underscores=*/true) ? best : std::string_view();
    };
    // CPython searches the namespace dict in insertion order; `visible` is in first-seen order.
    std::string_view best = pick(visible);
    if (!best.empty()) return StrCat("did you mean '", best, "'?");
    // Names defined somewhere later in the notebook.
    if (later_.empty()) {
      later_ = defined_in_order_;
      std::sort(later_.begin(), later_.end());
    }
    best = pick(later_);
    // Not the name this very line binds: `net = Net()` with no class Net is not helped by
    // 'net', which has no value until the line has run.
    if (!best.empty() && !BoundFirstOnLineOf(best, read_at)) {
      return StrCat("did you mean '", best, "' (defined later)?");
    }
    if (!import.empty()) return forgot_import();
    // `product`, `List`, `deepcopy` read without their import.
    if (std::string_view member = StandardMemberImport(name); !member.empty()) {
      *names_import = true;
      return StrCat("did you forget '", member, "'?");
    }
    if (builtins_.empty()) builtins_ = BuiltinNames(options_.python_minor);
    best = pick(builtins_);
    if (!best.empty()) return StrCat("did you mean '", best, "'?");
    return "";
  }

  // "did you mean 'np'? ('numpy' is imported as 'np' in cell 1, line 1)" when an import binds
  // `name` under another name; "did you forget 'import matplotlib'? ..." when it binds a
  // submodule of `name` under another name, or only names from `name` or its submodules
  // (`from sklearn.metrics import f1_score`, then `sklearn.preprocessing`); empty otherwise.
  std::string ImportedAs(std::string_view name) const {
    const Unit& m = program_->module;
    std::string from_only;
    for (const Definition& d : m.defs) {
      if (d.stmt == nullptr ||
          (d.stmt->kind != StmtKind::kImport && d.stmt->kind != StmtKind::kImportFrom)) {
        continue;
      }
      if (const auto* f = d.stmt->As<ImportFromStmt>();
          f != nullptr && from_only.empty() && f->level == 0 &&
          (f->module == name || (f->module.starts_with(name) && f->module.size() > name.size() &&
                                 f->module[name.size()] == '.'))) {
        from_only =
            StrCat("did you forget 'import ", name, "'? ('from ", f->module, " import ...' in ",
                   Where(d.site.start), " binds only the names it imports)");
      }
      for (const Alias* a : ImportedNames(d.stmt)) {
        if (a->asname.empty() || a->asname == name || a->asname_range.start != d.site.start) {
          continue;
        }
        if (a->name == name) {
          return StrCat("did you mean '", a->asname, "'? ('", a->name, "' is imported as '",
                        a->asname, "' in ", Where(d.site.start), ")");
        }
        // `import matplotlib.pyplot as plt` binds plt, not matplotlib.
        if (d.stmt->kind == StmtKind::kImport && a->name.starts_with(name) &&
            a->name[name.size()] == '.') {
          return StrCat("did you forget 'import ", name, "'? ('import ", a->name, " as ", a->asname,
                        "' in ", Where(d.site.start), " binds only '", a->asname, "')");
        }
      }
    }
    return from_only;
  }

  // "did you mean 'math.sqrt'? ('import math' in cell 1, line 1 binds the module, not the
  // names in it)" when a module the notebook imports whole, and that is bound where the name is
  // read (`visible`; for a function body's read, imported above it), defines `name`: a local module
  // (its own names, not those it imports), or one of the standard library's whose names are called
  // bare often and seldom clash with a notebook's variables (not os, sys or re: 'pipe', 'path',
  // 'X'). Or, for a name a local module defines but leaves out of its __all__, that a star
  // import of it above the read (at `read_at`, or `function_read`) does not bind it. Empty
  // otherwise. The names of those modules are gathered once.
  std::string ModuleMember(std::string_view name, const std::vector<std::string_view>& visible,
                           Offset function_read, Offset read_at) {
    static constexpr std::string_view kStdlibModules[] = {
        "cmath", "collections", "datetime", "math", "os.path", "random", "statistics", "string",
    };
    if (name.size() < 2) return "";
    if (!members_ready_) {
      members_ready_ = true;
      const Unit& m = program_->module;
      const Stmt* star_seen = nullptr;
      for (const Definition& d : m.defs) {
        if (d.kind == DefKind::kBind && d.stmt != nullptr && d.stmt != star_seen &&
            d.stmt->kind == StmtKind::kImportFrom) {
          star_seen = d.stmt;
          StarOmissions(static_cast<const ImportFromStmt*>(d.stmt), d.site.start);
        }
        if (d.kind != DefKind::kBind || d.stmt == nullptr || d.stmt->kind != StmtKind::kImport) {
          continue;
        }
        for (const Alias* a : ImportedNames(d.stmt)) {
          // Each name the statement binds is a definition of its own: this one's alias.
          const std::string_view bound =
              a->asname.empty() ? a->name.substr(0, a->name.find('.')) : a->asname;
          if (bound != m.names[d.name]) continue;
          const std::vector<std::string>* names = nullptr;
          if (std::find(std::begin(kStdlibModules), std::end(kStdlibModules), a->name) !=
              std::end(kStdlibModules)) {
            names = StdlibStarExports(a->name, options_.python_minor);
          } else if (options_.modules != nullptr) {
            names = options_.modules->OwnNames(a->name);
          }
          if (names == nullptr) continue;
          for (const std::string& n : *names) {
            members_.try_emplace(n, Member{a, bound, d.site.start});
          }
        }
      }
    }
    if (auto omitted = omitted_.find(name); omitted != omitted_.end()) {
      const Omitted& o = omitted->second;
      if (function_read != kNoRead ? o.at < function_read : o.at < read_at) {
        return StrCat("'from ", o.module, " import *' in ", Where(o.at), " binds only what ",
                      o.module, ".__all__ lists, which leaves '", name,
                      "' out; import it by name: 'from ", o.module, " import ", name, "'");
      }
    }
    auto it = members_.find(name);
    if (it == members_.end()) return "";
    if (function_read != kNoRead
            ? it->second.at > function_read
            : std::find(visible.begin(), visible.end(), it->second.bound) == visible.end()) {
      return "";
    }
    const Alias* a = it->second.alias;
    return StrCat("did you mean '", a->asname.empty() ? a->name : a->asname, ".", name,
                  "'? ('import ", a->name, a->asname.empty() ? "" : StrCat(" as ", a->asname),
                  "' in ", Where(it->second.at), " binds the module, not the names in it)");
  }

  // The public names a local module defines that its star import `from` (at `at`) leaves out:
  // those its __all__ does not list.
  void StarOmissions(const ImportFromStmt* from, Offset at) {
    if (options_.modules == nullptr || from->level != 0 || from->names.size() != 1 ||
        from->names[0]->name != "*") {
      return;
    }
    const std::vector<std::string>* own = options_.modules->OwnNames(from->module);
    const std::vector<std::string>* star = options_.modules->StarNames(from->module, 0);
    if (own == nullptr || star == nullptr) return;
    for (const std::string& n : *own) {
      if (std::find(star->begin(), star->end(), n) == star->end()) {
        omitted_.try_emplace(n, Omitted{from->module, at});
      }
    }
  }

  // The first binding of the read's name that runs after it (not the read's own statement, as
  // in `x += 1`), or null: the cause is cell order. Definitions before it that do not reach it
  // (inside `if TYPE_CHECKING:`, in another branch) are not.
  static const Definition* DefinitionAfter(const Unit& m, const Use& use) {
    for (DefId id : m.defs_of[use.name]) {
      const Definition& def = m.defs[id];
      if (def.kind == DefKind::kBind && def.order > use.order && def.site.start != use.site.start) {
        return &def;
      }
    }
    return nullptr;
  }

  // NB105: __file__ and the like, which a kernel does not define.
  static Diagnostic ScriptOnlyName(std::string_view name, Range site) {
    Diagnostic d;
    d.rule = RuleId::kUndefinedInNotebook;
    d.range = site;
    d.symbol = std::string(name);
    d.message = StrCat("name '", name, "' is not defined in a notebook kernel");
    d.help = "use os.getcwd() or pathlib.Path.cwd() for the notebook's directory";
    return d;
  }

  // Names with a real definition in `state`: what dir() would show there.
  std::vector<std::string_view> Visible(const Unit& unit, const DefSet& state) {
    std::vector<std::string_view> names;
    for (NameId n = 0; n < unit.names.size(); ++n) {
      if (unit.names[n] == kWildcardName) continue;
      for (DefId d : unit.defs_of[n]) {
        DefKind k = unit.defs[d].kind;
        if ((IsBinding(k) || k == DefKind::kExternal) && state.Has(d)) {
          names.push_back(unit.names[n]);
          break;
        }
      }
    }
    return names;
  }

  // True if `at` is in a cell that does not parse (NameRulesOptions::broken_cells).
  bool InBrokenCell(Offset at) const {
    const auto& cells = options_.broken_cells;
    auto it = std::upper_bound(cells.begin(), cells.end(), at,
                               [](Offset a, const Range& r) { return a < r.start; });
    return it != cells.begin() && at < std::prev(it)->end;
  }

  // One diagnostic per name and rule in a unit (one root cause); later reads with the same
  // problem are counted in a note on the first. Asked before a diagnostic is built, so that
  // repeats cost no messages or hints: true (and counted) when `unit` already has one.
  bool Repeated(const void* unit, RuleId rule, std::string_view symbol) {
    auto it = first_.find(std::make_tuple(unit, rule, symbol));
    if (it == first_.end()) return false;
    ++repeats_[it->second];
    return true;
  }
  // Adds the first diagnostic for (unit, d.rule, symbol); `symbol` outlives the checker.
  void Report(const void* unit, std::string_view symbol, Diagnostic d) {
    first_.emplace(std::make_tuple(unit, d.rule, symbol), out_->size());
    out_->push_back(std::move(d));
  }

  void CheckModule();
  void CheckModuleUse(const Unit& m, const Use& use, const DefSet& state);
  void CheckFunctions();
  void CheckFunctionUse(Unit& unit, const Use& use, const DefSet& state);
  void CheckCall(const Unit& m, const Instr& call, const DefSet& state);
  // The methods a method call runs (kInstrMethod): of the classes its receiver is bound to, or
  // makes instances of.
  void MethodRoots(const Unit& m, const Instr& call, const DefSet& state,
                   std::vector<const Unit*>* roots);
  // The units of the methods named `name` in the body of `cls`.
  std::span<const Unit* const> MethodsNamed(const ClassDefStmt* cls, std::string_view name);

  Program* program_;
  const Locator& loc_;
  const NameRulesOptions& options_;
  std::vector<Diagnostic>* out_;
  // Bound somewhere at module level; by some function (`global x; x = ...`).
  absl::flat_hash_set<std::string_view, StringViewHash, StringViewEq> defined_;
  // defined_ in the order the names were first bound, as CPython's globals dict keeps them
  // (a hash set's order changes from run to run: hints among equally close names would too).
  std::vector<std::string_view> defined_in_order_;
  absl::flat_hash_set<std::string_view, StringViewHash, StringViewEq> defined_by_functions_;
  bool any_wildcard_ = false;
  std::vector<std::string_view> wildcard_prefixes_;  // of the module's prefixed wildcards
  // A hint looks at every name in scope and every name the notebook defines: a notebook with
  // thousands of undefined names among thousands of others (machine-made code) would take
  // minutes. Past this many names looked at, findings come without a hint.
  static constexpr size_t kHintBudget = 8'000'000;
  size_t hint_work_ = 0;
  bool HintAffordable(const Unit& unit) {
    const size_t cost = 2 * unit.names.size() + unit.defs.size() + 2 * defined_.size() + 256;
    if (hint_work_ + cost > kHintBudget) return false;
    hint_work_ += cost;
    return true;
  }
  absl::flat_hash_map<std::tuple<const void*, RuleId, std::string_view>, size_t> first_;
  absl::flat_hash_map<size_t, int> repeats_;  // index in out_ → further reads
  absl::flat_hash_set<std::pair<Offset, std::string_view>> calls_reported_;
  // Without options_.function_bodies: each function's reads of names nothing defines, for
  // CheckCall to report at the first module-level call that runs them.
  absl::flat_hash_map<const Unit*, std::vector<GlobalRead>> undefined_reads_;
  // MethodsNamed's index: by class, its methods by name.
  absl::flat_hash_map<const ClassDefStmt*,
                      absl::flat_hash_map<std::string_view, std::vector<const Unit*>>>
      methods_;
  // Each call site walks the functions it runs: thousands of calls into a chain of thousands
  // of functions (machine-made code) would take seconds and much memory. Past this many reads
  // and calls looked at, later call sites are not checked (NB106 says less, never more).
  static constexpr size_t kCallBudget = 2'000'000;
  size_t call_work_ = 0;
  std::vector<uint8_t> facts_;  // NameFact bits of the unit being checked, by NameId
  // ModuleMember's index, made for the first hint: each name of a module imported whole, with
  // the first import statement that binds such a module.
  struct Member {
    const Alias* alias;
    std::string_view bound;  // the name the import binds
    Offset at;
  };
  bool members_ready_ = false;
  absl::flat_hash_map<std::string_view, Member> members_;
  // The names local modules define that star imports of them leave out (StarOmissions).
  struct Omitted {
    std::string_view module;
    Offset at;  // the star import
  };
  absl::flat_hash_map<std::string_view, Omitted> omitted_;
  // Suggestion candidates, made for the first hint: defined_ sorted, and the builtins.
  std::vector<std::string_view> later_;
  std::vector<std::string_view> builtins_;
};

void NameChecker::CheckModule() {
  Unit& m = program_->module;
  facts_.assign(m.names.size(), 0);
  ReachingDefinitions(&m, [&](const Instr& instr, const DefSet& state) {
    if (instr.kind == InstrKind::kUse) {
      CheckModuleUse(m, m.uses[instr.id], state);
    } else if (instr.kind == InstrKind::kCall) {
      CheckCall(m, instr, state);
    }
  });
  for (auto& [index, n] : repeats_) {
    Diagnostic& d = (*out_)[index];
    d.notes.push_back(absl::StrFormat("'%s' is read at %d more place%s with the same problem",
                                      d.symbol, n, n == 1 ? "" : "s"));
  }
}

void NameChecker::CheckModuleUse(const Unit& m, const Use& use, const DefSet& state) {
  if (use.flags & kInstrGuarded) return;
  if (InBrokenCell(use.site.start)) return;
  std::string_view name = m.names[use.name];
  Reach r = Classify(m, use.reaching);
  bool maybe_unbound = r.undefined || r.deleted;
  if (!maybe_unbound) return;
  // `pwd()` alone in a cell: with no variable `pwd` to shadow it, IPython runs the magic.
  if (use.flags & kInstrAutomagic) return;
  // Bound only because a guarded read did not raise, and defined nowhere: nothing defines it.
  const uint8_t facts = Facts(m, use.name);
  if (r.all_proven && !(facts & kDefined)) r.bound = 0;
  // `del all`: the builtins are not in the notebook's namespace, which is all `del` looks in.
  const bool deletes_builtin = (use.flags & kInstrDeletes) && r.bound == 0 && !r.deleted &&
                               !(facts & kDefined) && IsBuiltin(name, options_.python_minor);
  if ((facts & kPredefined) && !r.deleted && !deletes_builtin) return;
  // `list = [...]` then `del list`: the module's name is gone and the builtin shows again.
  if (r.deleted && IsBuiltin(name, options_.python_minor)) return;
  if (facts & kDefinedByFunctions) return;  // bound when some function runs
  if (WildcardReaches(m, state, name)) return;

  RuleId rule = RuleId::kUndefinedName;
  const Definition* later = nullptr;  // with kDefinedLater: the definition after the read
  if (r.bound > 0) {
    rule = RuleId::kPossiblyUndefined;
  } else if (r.deleted) {
    rule = RuleId::kDeletedName;
  } else if ((later = DefinitionAfter(m, use)) != nullptr) {
    rule = RuleId::kDefinedLater;
  } else if (options_.notebook && IsScriptOnlyName(name)) {
    rule = RuleId::kUndefinedInNotebook;
  }
  if (Repeated(&m, rule, name)) return;
  Diagnostic d;
  d.rule = rule;
  d.range = use.site;
  d.symbol = std::string(name);
  if (!options_.explain) {
    // Only the rule, place and name; and where a name used before it is defined is defined.
    if (rule == RuleId::kDefinedLater) d.related.push_back({later->site, ""});
  } else if (rule == RuleId::kPossiblyUndefined) {
    d.message = StrCat("name '", name, "' may be undefined here");
    if (!ExplainLoopOnlyBinding(m, use, name, &d)) {
      const Definition& def = m.defs[r.first_bound];
      d.related.push_back({def.site, StrCat("'", name, "' is defined at ", Where(def.site.start),
                                            ", but not on every path to this use")});
      d.help = StrCat("define '", name, "' on every path before this use");
    }
  } else if (rule == RuleId::kDeletedName) {
    const Definition& del = m.defs[r.deleted_at];
    d.message = StrCat("name '", name, "' is used after it was deleted");
    d.related.push_back(
        {del.site, r.implicit_delete
                       ? StrCat("'", name, "' is unbound when its except block ends (",
                                Where(del.site.start), ")")
                       : StrCat("'", name, "' is deleted at ", Where(del.site.start))});
  } else if (rule == RuleId::kDefinedLater) {
    d.message = StrCat("name '", name, "' is used before it is defined");
    uint32_t use_cell = loc_.CellOf(use.site.start);
    uint32_t def_cell = loc_.CellOf(later->site.start);
    if (use_cell != def_cell) {
      d.related.push_back(
          {later->site,
           StrCat("'", name, "' is defined in ", Where(later->site.start),
                  later->order > use.order ? ", which runs after this cell"
                                           : ", on a path that does not reach this use")});
      // In the executed order, the defining cell may be above the use and have run after it.
      d.help = def_cell < use_cell ? absl::StrFormat(
                                         "cell %d is above cell %d but ran after it: run the cells "
                                         "from the top, in file order",
                                         def_cell, use_cell)
                                   : absl::StrFormat("move cell %d above cell %d, or run it first",
                                                     def_cell, use_cell);
    } else {
      d.related.push_back(
          {later->site, StrCat("'", name, "' is defined at ", Where(later->site.start),
                               later->order > use.order ? ", after this use" : "")});
      d.help = StrCat("move the definition of '", name, "' above this line");
    }
  } else if (rule == RuleId::kUndefinedInNotebook) {
    d = ScriptOnlyName(name, use.site);
  } else {
    d.message = StrCat("name '", name, "' is not defined");
    for (DefId id : use.reaching) {
      const Definition& def = m.defs[id];
      if (def.kind != DefKind::kUndefined || !(def.flags & kInstrTimeit)) continue;
      d.related.push_back(
          {def.site, StrCat("'", name, "' is assigned only inside %timeit code (",
                            Where(def.site.start), "), which runs in a function of its own")});
      d.help = "%timeit keeps nothing its code assigns: run the assignment once outside it";
      break;
    }
    if (deletes_builtin) {
      d.help = StrCat("'", name,
                      "' is a builtin, which 'del' cannot remove: it removes names the notebook "
                      "binds");
    } else if (d.help.empty() && HintAffordable(m)) {
      d.help = Hint(name, Visible(m, state), kNoRead, use.site.start);
    }
  }
  Report(&m, name, std::move(d));
}

void NameChecker::CheckFunctions() {
  for (const auto& unit_ptr : program_->functions) {
    Unit& unit = *unit_ptr;
    facts_.assign(unit.names.size(), 0);
    ReachingDefinitions(&unit, [&](const Instr& instr, const DefSet& state) {
      if (instr.kind != InstrKind::kUse) return;
      CheckFunctionUse(unit, unit.uses[instr.id], state);
    });
  }
}

void NameChecker::CheckFunctionUse(Unit& unit, const Use& use, const DefSet& state) {
  if (InBrokenCell(use.site.start)) return;
  std::string_view name = unit.names[use.name];
  Reach r = Classify(unit, use.reaching);
  const bool reported = options_.function_bodies || unit.in_module_code;
  if (r.external) {
    // A read in a try whose handler catches NameError raises nothing out of the function.
    if (use.flags & kInstrGuarded) return;
    // A global read: checked at call sites; here only whether anything defines it at all.
    unit.global_reads.push_back({name, use.site});
    if ((Facts(unit, use.name) & (kPredefined | kDefined | kDefinedByFunctions)) ||
        AnyWildcardBinds(name)) {
      return;
    }
    if (options_.notebook && IsScriptOnlyName(name)) {
      if (!Repeated(nullptr, RuleId::kUndefinedInNotebook, name)) {
        Report(nullptr, name, ScriptOnlyName(name, use.site));
      }
      return;
    }
    if (!reported) {
      // Reported where module-level code calls the function (CheckCall), if anywhere.
      undefined_reads_[&unit].push_back({name, use.site});
      return;
    }
    if (Repeated(nullptr, RuleId::kUndefinedName, name)) return;
    Diagnostic d;
    d.rule = RuleId::kUndefinedName;
    d.range = use.site;
    d.symbol = std::string(name);
    if (options_.explain) {
      d.message = StrCat("name '", name, "' is not defined");
      if (HintAffordable(unit)) {
        std::vector<std::string_view> visible = Visible(unit, state);
        visible.insert(visible.end(), defined_in_order_.begin(), defined_in_order_.end());
        d.help = Hint(name, visible, use.site.start);
      }
    }
    Report(nullptr, name, std::move(d));
    return;
  }
  if (!reported || (use.flags & kInstrGuarded)) return;
  if (!r.undefined && !r.deleted) return;
  if (WildcardReaches(unit, state, name)) return;
  // A closure binds it whenever it runs (`nonlocal x` in a nested function).
  if (std::find(unit.nonlocal_writes.begin(), unit.nonlocal_writes.end(), name) !=
      unit.nonlocal_writes.end()) {
    return;
  }
  RuleId rule = r.bound > 0 ? RuleId::kPossiblyUndefined
                : r.deleted ? RuleId::kDeletedName
                            : RuleId::kDefinedLater;
  if (Repeated(&unit, rule, name)) return;
  Diagnostic d;
  d.rule = rule;
  d.range = use.site;
  d.symbol = std::string(name);
  if (!options_.explain) {
    // Only the rule, place and name.
  } else if (rule == RuleId::kPossiblyUndefined) {
    d.message = StrCat("local variable '", name, "' may be unassigned here");
    if (!ExplainLoopOnlyBinding(unit, use, name, &d)) {
      d.related.push_back(
          {unit.defs[r.first_bound].site,
           StrCat("'", name, "' is assigned at ", Where(unit.defs[r.first_bound].site.start),
                  ", but not on every path to this use")});
      d.help = StrCat("assign '", name, "' on every path before this use");
    }
  } else if (rule == RuleId::kDeletedName) {
    d.message = StrCat("local variable '", name, "' is used after it was deleted");
    d.related.push_back(
        {unit.defs[r.deleted_at].site,
         StrCat("'", name, "' is deleted at ", Where(unit.defs[r.deleted_at].site.start))});
  } else {
    d.message = StrCat("local variable '", name, "' is read before it is assigned");
    for (DefId id : unit.defs_of[use.name]) {
      if (unit.defs[id].kind == DefKind::kBind) {
        d.related.push_back({unit.defs[id].site, StrCat("'", name, "' is assigned at ",
                                                        Where(unit.defs[id].site.start))});
        break;
      }
    }
    d.help = StrCat("assign '", name, "' before this line, or declare 'global ", name,
                    "' to use the module's");
  }
  Report(&unit, name, std::move(d));
}

// The classes `name` is bound to where `state` holds, or none when some binding that reaches
// is not a class statement.
std::vector<const ClassDefStmt*> ClassesOf(const Unit& m, NameId name, const DefSet& state,
                                           size_t* work) {
  *work += m.defs_of[name].size();
  std::vector<const ClassDefStmt*> classes;
  for (DefId id : m.defs_of[name]) {
    const Definition& d = m.defs[id];
    if (!IsBinding(d.kind) || !state.Has(id)) continue;
    const auto* cls = d.stmt != nullptr ? d.stmt->As<ClassDefStmt>() : nullptr;
    if (cls == nullptr) return {};
    classes.push_back(cls);
  }
  return classes;
}

// The class whose instance a definition binds (`model = Net(...)`), or none.
std::vector<const ClassDefStmt*> InstanceClasses(const Unit& m, const Definition& d,
                                                 const DefSet& state, size_t* work) {
  const auto* assign = d.stmt != nullptr ? d.stmt->As<AssignStmt>() : nullptr;
  if (assign == nullptr) return {};
  const auto* made = assign->value->As<Call>();
  const auto* cls = made != nullptr ? made->func->As<Name>() : nullptr;
  if (cls == nullptr) return {};
  // The name itself is a target, not a part of one (`a, b = Net()` is not an instance).
  bool target = false;
  for (const Expr* t : assign->targets) {
    if (const auto* n = t->As<Name>(); n != nullptr && n->range.start == d.site.start) {
      target = true;
    }
  }
  const NameId* id = m.FindName(cls->id);
  if (!target || id == nullptr) return {};
  return ClassesOf(m, *id, state, work);
}

void NameChecker::MethodRoots(const Unit& m, const Instr& call, const DefSet& state,
                              std::vector<const Unit*>* roots) {
  const std::string_view method = m.call_attrs[call.id];
  std::vector<const ClassDefStmt*> classes;
  if (call.flags & kInstrOnInstance) {
    classes = ClassesOf(m, call.name, state, &call_work_);  // Net(...).fit()
  } else {
    // Config.load() on a class, or model.fit() on what `model = Net(...)` made.
    for (DefId id : m.defs_of[call.name]) {
      const Definition& d = m.defs[id];
      if (!IsBinding(d.kind) || !state.Has(id)) continue;
      std::vector<const ClassDefStmt*> found;
      if (d.stmt != nullptr && d.stmt->kind == StmtKind::kClassDef) {
        found.push_back(static_cast<const ClassDefStmt*>(d.stmt));
      } else {
        found = InstanceClasses(m, d, state, &call_work_);
        if (call_work_ > kCallBudget) return;
      }
      if (found.empty()) return;  // bound to something else on some path: not known
      classes.insert(classes.end(), found.begin(), found.end());
    }
  }
  for (const ClassDefStmt* cls : classes) {
    for (const Unit* u : MethodsNamed(cls, method)) roots->push_back(u);
  }
}

std::span<const Unit* const> NameChecker::MethodsNamed(const ClassDefStmt* cls,
                                                       std::string_view name) {
  auto [it, inserted] = methods_.try_emplace(cls);
  if (inserted) {
    // A class's methods by name, made on first use (a class may have thousands).
    for (const Stmt* s : cls->body) {
      const auto* f = s->As<FunctionDefStmt>();
      if (f == nullptr) continue;
      auto unit = program_->unit_of.find(f);
      if (unit != program_->unit_of.end()) it->second[f->name].push_back(unit->second);
    }
  }
  auto found = it->second.find(name);
  if (found == it->second.end()) return {};
  return found->second;
}

// NB106: the function, class or method called here reads (directly or through functions it
// calls) a global that no definition reaches at this call, though one is defined later.
void NameChecker::CheckCall(const Unit& m, const Instr& call, const DefSet& state) {
  if (InBrokenCell(call.site.start)) return;
  // The callee's definitions are looked through: budgeted like the walk below (thousands of
  // calls of a name rebound thousands of times).
  call_work_ += m.defs_of[call.name].size() + 1;
  if (call_work_ > kCallBudget) return;
  std::string_view callee = m.names[call.name];
  // The units this call runs: the function's body, or a class's __init__, or a method.
  std::vector<const Unit*> roots;
  std::string method_call;  // "model.fit", "Net().fit"
  if (call.flags & kInstrMethod) {
    MethodRoots(m, call, state, &roots);
    if (roots.empty()) return;
    method_call =
        StrCat(callee, (call.flags & kInstrOnInstance) ? "()." : ".", m.call_attrs[call.id]);
    callee = method_call;
  } else {
    for (DefId id : m.defs_of[call.name]) {
      if (!state.Has(id)) continue;
      const Stmt* stmt = m.defs[id].stmt;
      if (stmt == nullptr) continue;
      if (stmt->kind == StmtKind::kFunctionDef) {
        auto it = program_->unit_of.find(stmt);
        if (it != program_->unit_of.end()) roots.push_back(it->second);
      } else if (const auto* cls = stmt->As<ClassDefStmt>()) {
        for (const Unit* init : MethodsNamed(cls, "__init__")) roots.push_back(init);
      }
    }
    if (roots.empty()) return;
  }
  // `it = gen()`, `coro = main()`: a generator or coroutine runs its body only when iterated
  // or awaited, which is not here.
  if (call.flags & kInstrStored) {
    std::erase_if(roots, [](const Unit* u) { return u->lazy; });
    if (roots.empty()) return;
  }
  // Functions reachable through calls of module-level functions, breadth first: `roots` grows
  // into the queue of them.
  absl::flat_hash_set<const Unit*> seen(roots.begin(), roots.end());
  for (size_t next = 0; next < roots.size(); ++next) {
    const Unit* u = roots[next];
    call_work_ += u->global_reads.size() + u->global_calls.size() + 1;
    if (call_work_ > kCallBudget) return;
    if (auto it = undefined_reads_.find(u); it != undefined_reads_.end()) {
      // Without function bodies of their own (the hidden-state replay): the reads of names
      // nothing defines, reported once each, with the call that ran them.
      for (const GlobalRead& g : it->second) {
        if (Repeated(nullptr, RuleId::kUndefinedName, g.name)) continue;
        Diagnostic d;
        d.rule = RuleId::kUndefinedName;
        d.range = g.site;
        d.symbol = std::string(g.name);
        d.related.push_back({call.site, std::string(callee)});
        Report(nullptr, g.name, std::move(d));
      }
    }
    for (const GlobalRead& g : u->global_reads) {
      const NameId* id = m.FindName(g.name);
      if (id == nullptr) {
        // Bound only by cells outside this run (NameRulesOptions::bound_elsewhere): never here.
        if (!defined_.contains(g.name) || Predefined(g.name)) continue;
      } else {
        const uint8_t facts = Facts(m, *id);  // m is the unit being walked
        if ((facts & kPredefined) || !(facts & kDefined)) continue;
        bool bound = false;
        for (DefId d : m.defs_of[*id]) {
          DefKind k = m.defs[d].kind;
          if (IsBinding(k) && state.Has(d)) bound = true;
        }
        if (bound) continue;
      }
      if (!calls_reported_.insert({call.site.start, g.name}).second) continue;
      if (WildcardReaches(m, state, g.name)) continue;
      if (Repeated(&m, RuleId::kCallBeforeDefinition, g.name)) continue;
      Diagnostic d;
      d.rule = RuleId::kCallBeforeDefinition;
      d.range = call.site;
      d.symbol = std::string(g.name);
      if (!options_.explain) {
        Report(&m, g.name, std::move(d));
        continue;
      }
      d.message = StrCat("'", callee, "' is called before '", g.name, "' is defined");
      std::string_view reader = u->name;
      d.related.push_back(
          {g.site, StrCat("'", reader, "' reads '", g.name, "' at ", Where(g.site.start))});
      for (DefId def :
           id != nullptr ? std::span<const DefId>(m.defs_of[*id]) : std::span<const DefId>()) {
        if (m.defs[def].kind != DefKind::kBind) continue;
        d.related.push_back({m.defs[def].site, StrCat("'", g.name, "' is defined in ",
                                                      Where(m.defs[def].site.start))});
        break;
      }
      d.help = StrCat("define '", g.name, "' before calling '", callee,
                      "' (run the cell that defines it first)");
      Report(&m, g.name, std::move(d));
    }
    // A method's self.step(): the class's method of that name.
    for (const GlobalRead& c : u->self_calls) {
      for (const Unit* method : MethodsNamed(u->owner_class, c.name)) {
        if (seen.insert(method).second) roots.push_back(method);
      }
    }
    // The functions it calls are those their names are bound to when this call runs: a
    // function of the same name defined later does not run here.
    for (const GlobalRead& c : u->global_calls) {
      const NameId* id = m.FindName(c.name);
      if (id == nullptr) continue;
      for (DefId def : m.defs_of[*id]) {
        if (!state.Has(def)) continue;
        const Stmt* stmt = m.defs[def].stmt;
        if (stmt == nullptr || stmt->kind != StmtKind::kFunctionDef) continue;
        auto it = program_->unit_of.find(stmt);
        if (it != program_->unit_of.end() && seen.insert(it->second).second) {
          roots.push_back(it->second);
        }
      }
    }
  }
}

}  // namespace

void CheckNames(Program* program, const Locator& locator, const NameRulesOptions& options,
                std::vector<Diagnostic>* out) {
  size_t first = out->size();
  NameChecker checker(program, locator, options, out);
  checker.Run();
  std::stable_sort(
      out->begin() + static_cast<std::ptrdiff_t>(first), out->end(),
      [](const Diagnostic& a, const Diagnostic& b) { return a.range.start < b.range.start; });
}

}  // namespace cellflow
