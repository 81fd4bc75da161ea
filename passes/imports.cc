// Import resolution rules and the summaries of local modules.
#include "passes/imports.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "absl/container/flat_hash_map.h"
#include "absl/container/node_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

#include "ir/conditions.h"
#include "ir/scopes.h"
#include "lexer/str_util.h"
#include "parser/ast_visitor.h"
#include "passes/distributions.h"
#include "passes/name_rules.h"
#include "passes/stdlib_modules.h"
#include "passes/suggest.h"

namespace cellflow {
namespace {

// True if catching `type` stops an ImportError: bare except, ImportError, ModuleNotFoundError,
// Exception, BaseException, or a tuple holding one.
bool CatchesImportError(const Expr* type) {
  if (type == nullptr) return true;
  if (const auto* t = type->As<Tuple>()) {
    for (const Expr* e : t->elts) {
      if (CatchesImportError(e)) return true;
    }
    return false;
  }
  std::string_view name;
  if (const auto* n = type->As<Name>()) name = n->id;
  if (const auto* a = type->As<Attribute>()) name = a->attr;  // builtins.ImportError
  return name == "ImportError" || name == "ModuleNotFoundError" || name == "Exception" ||
         name == "BaseException";
}

// `with suppress(ImportError):` / `contextlib.suppress(...)`.
bool SuppressesImportError(const WithStmt* w) {
  for (const WithItem* item : w->items) {
    const auto* call = item->context_expr->As<Call>();
    if (call == nullptr) continue;
    std::string_view f;
    if (const auto* n = call->func->As<Name>()) f = n->id;
    if (const auto* a = call->func->As<Attribute>()) f = a->attr;
    if (f != "suppress") continue;
    for (const Expr* arg : call->args) {
      if (CatchesImportError(arg)) return true;
    }
  }
  return false;
}

std::string JoinDotted(std::string_view package, std::string_view module) {
  if (package.empty()) return std::string(module);
  if (module.empty()) return std::string(package);
  return StrCat(package, ".", module);
}

// "a.b.c" → "a".
std::string_view TopLevel(std::string_view dotted) { return dotted.substr(0, dotted.find('.')); }

class ImportChecker : public AstVisitor {
 public:
  ImportChecker(std::span<const ImportCell> cells, const Unit& unit, const ModuleEnvironment& env,
                const ImportRulesOptions& options, std::string_view buffer,
                std::vector<Diagnostic>* out, ImportCounts* counts)
      : unit_(unit),
        env_(env),
        options_(options),
        buffer_(buffer),
        out_(out),
        counts_(counts),
        cells_(cells) {}

  void VisitStmt(const Stmt* s) override {
    switch (s->kind) {
      case StmtKind::kImport:
        if (attributes_) return;
        for (const Alias* a : static_cast<const ImportStmt*>(s)->names) {
          CheckModule(a->name, NameSite(a));
          NoteNotebookImporter(a->name);
        }
        return;
      case StmtKind::kImportFrom:
        if (attributes_) return;
        CheckFrom(static_cast<const ImportFromStmt*>(s));
        if (static_cast<const ImportFromStmt*>(s)->level == 0) {
          NoteNotebookImporter(static_cast<const ImportFromStmt*>(s)->module);
        }
        return;
      case StmtKind::kIpyEscape:
        if (!attributes_) CheckMagic(static_cast<const IpyEscapeStmt*>(s));
        return;
      case StmtKind::kTry: {
        const auto* t = static_cast<const TryStmt*>(s);
        bool guards =
            std::any_of(t->handlers.begin(), t->handlers.end(),
                        [](const ExceptHandler* h) { return CatchesImportError(h->type); });
        guarded_ += guards;
        for (const Stmt* b : t->body) VisitStmt(b);
        guarded_ -= guards;
        for (const ExceptHandler* h : t->handlers) VisitExceptHandler(h);
        for (const Stmt* b : t->orelse) VisitStmt(b);
        for (const Stmt* b : t->finalbody) VisitStmt(b);
        return;
      }
      case StmtKind::kWith: {
        const auto* w = static_cast<const WithStmt*>(s);
        bool guards = SuppressesImportError(w);
        guarded_ += guards;
        VisitInside(s);
        guarded_ -= guards;
        return;
      }
      case StmtKind::kFunctionDef:
      case StmtKind::kClassDef:
        ++nested_;
        VisitInside(s);
        --nested_;
        return;
      case StmtKind::kIf: {
        // A branch that never runs (`if sys.version_info < (3,):`, `if TYPE_CHECKING:`)
        // imports nothing.
        const auto* i = static_cast<const IfStmt*>(s);
        std::optional<bool> truth = DecidedTruth(i->test, buffer_, options_.python_minor);
        if (!truth) {
          ++branches_;
          VisitInside(s);
          --branches_;
          return;
        }
        VisitExpr(i->test);
        for (const Stmt* b : *truth ? i->body : i->orelse) VisitStmt(b);
        return;
      }
      case StmtKind::kFor:
      case StmtKind::kWhile:
      case StmtKind::kMatch:
        ++branches_;
        VisitInside(s);
        --branches_;
        return;
      default:
        // No statement inside: only the attribute pass reads its expressions.
        if (attributes_) WalkStmt(s);
    }
  }

  // What a compound statement holds: in the attribute pass, all of it; in the first, only its
  // statements (no expression holds an import), which is much less to walk.
  void VisitInside(const Stmt* s) {
    if (attributes_) {
      WalkStmt(s);
      return;
    }
    ForEachBody(s, /*definitions=*/true, [this](StmtList body) { VisitBody(body); });
  }

  bool SawLocalModule() const { return saw_local_; }
  // The notebook imports google.colab whatever happens: it runs only in Colab's image, whose
  // packages no dependency file of the repository lists (NB203 does not apply, as on Kaggle).
  bool RunsOnColab() const { return colab_; }
  // The second pass: statements are walked again for the `m.x` reads in their expressions;
  // imports are not checked twice.
  void StartAttributePass() { attributes_ = true; }

  void VisitExpr(const Expr* e) override {
    if (!attributes_) return;
    if (e->kind == ExprKind::kLambda || e->kind == ExprKind::kListComp ||
        e->kind == ExprKind::kSetComp || e->kind == ExprKind::kDictComp ||
        e->kind == ExprKind::kGeneratorExp) {
      ++nested_;
      WalkExpr(e);
      --nested_;
      return;
    }
    if (const auto* a = e->As<Attribute>(); a != nullptr && nested_ == 0) {
      if (const auto* n = a->value->As<Name>(); n != nullptr && n->ctx == ExprContext::kLoad) {
        CheckAttribute(n->id, a->attr, a->attr_range);
      }
    }
    WalkExpr(e);
  }

 private:
  void Report(RuleId rule, Range site, std::string message, std::string symbol,
              std::string help = {}, std::vector<std::string> notes = {}) {
    Diagnostic d;
    d.rule = rule;
    d.range = site;
    d.message = std::move(message);
    d.symbol = std::move(symbol);
    d.help = std::move(help);
    d.notes = std::move(notes);
    out_->push_back(std::move(d));
  }

  void Count(const ModuleLookup& m) {
    if (counts_ == nullptr) return;
    switch (m.status) {
      case ModuleStatus::kLocal:
        ++counts_->local;
        break;
      case ModuleStatus::kStdlib:
        ++counts_->stdlib;
        break;
      case ModuleStatus::kThirdParty:
        ++counts_->third_party;
        break;
      case ModuleStatus::kRemovedStdlib:
      case ModuleStatus::kUnresolved:
        ++counts_->unresolved;
        break;
    }
  }

  // Extensions IPython once shipped and gave away (in 1.0 to 4.0): what to do instead, or
  // empty.
  static std::string_view MovedExtensionHelp(std::string_view name) {
    static constexpr std::pair<std::string_view, std::string_view> kMoved[] = {
        {"cythonmagic", "load 'Cython' instead: %load_ext Cython"},
        {"rmagic", "load 'rpy2.ipython' instead: %load_ext rpy2.ipython"},
        {"octavemagic", "load 'oct2py.ipython' instead: %load_ext oct2py.ipython"},
        {"sympyprinting", "call sympy.init_printing() instead"},
        {"parallelmagic", "load 'ipyparallel' instead: %load_ext ipyparallel"},
    };
    for (const auto& [old_name, help] : kMoved) {
      if (name == old_name) return help;
    }
    return {};
  }

  // A slip of the keyboard that turns the module `b` into `a`, letter case aside: one
  // letter left out or added, two neighbours swapped, or one letter for another in a name long
  // enough that such a change seldom lands on another real module (and a digit for a digit,
  // `PyQt4` for `PyQt5`). A short name one letter off a listed one is mostly another module
  // (`model` and `modal`, `db` and `dbm`), often a helper that was not committed.
  static bool TypoOf(std::string_view a, std::string_view b) {  // a: wrong, b: meant
    auto same = [](char x, char y) { return absl::ascii_tolower(x) == absl::ascii_tolower(y); };
    if (a.size() == b.size()) {
      size_t i = 0;
      while (i < a.size() && same(a[i], b[i])) ++i;
      if (i == a.size()) return true;  // only the case differs
      if (a.size() < 3) return false;
      if (std::equal(a.begin() + i + 1, a.end(), b.begin() + i + 1, same)) {
        const bool digits = absl::ascii_isdigit(a[i]) && absl::ascii_isdigit(b[i]);
        return digits || a.size() >= 7;
      }
      return i + 1 < a.size() && same(a[i], b[i + 1]) && same(a[i + 1], b[i]) &&
             std::equal(a.begin() + i + 2, a.end(), b.begin() + i + 2, same);
    }
    if (a.size() < 3) return false;
    std::string_view shorter = a.size() < b.size() ? a : b;
    std::string_view longer = a.size() < b.size() ? b : a;
    if (longer.size() - shorter.size() != 1) return false;
    size_t i = 0;
    while (i < shorter.size() && same(shorter[i], longer[i])) ++i;
    return std::equal(shorter.begin() + i, shorter.end(), longer.begin() + i + 1, same);
  }

  // `import pillow`, `import pytorch`, `import cv`: the module meant, and why; empty if none.
  static std::string DistributionHint(std::string_view name) {
    static constexpr std::array<std::string_view, 3> kKnown[] = {
        {"pytorch", "torch", "PyTorch is imported as 'torch'"},
        {"opencv", "cv2", "OpenCV is imported as 'cv2'"},
        {"cv", "cv2", "OpenCV 1's 'cv' module is gone; OpenCV 2 and later are imported as 'cv2'"},
        {"beautifulsoup", "bs4", "Beautiful Soup 4 is imported as 'bs4'"},
        {"BeautifulSoup", "bs4", "Beautiful Soup 4 is imported as 'bs4'"},
    };
    for (const auto& [wrong, module, why] : kKnown) {
      if (name == wrong) return StrCat("did you mean '", module, "'? (", why, ")");
    }
    std::string_view module = ImportNameOfDistribution(name);
    if (module.empty()) return {};
    return StrCat("did you mean '", module, "'? ('", name,
                  "' is the name of a distribution; its module is '", module, "')");
  }

  // CPython's pick among `candidates`, if at most two edits (and a change of case) away: a
  // long name further off is another module (`functorch` is not `functools`).
  static std::string_view CloseModule(std::string_view wrong,
                                      std::span<const std::string_view> candidates) {
    static constexpr size_t kMaxCost = 5;  // two edits at 2, a case change at 1
    std::string_view best = BestSuggestion(wrong, candidates);
    if (best.empty() || SuggestionDistance(wrong, best, kMaxCost) > kMaxCost) return {};
    return best;
  }

  // "did you mean 'config'?" among the modules around, those with its first letter
  // (SameInitial): a module name is rarely misspelled there, while a missing helper module often
  // lies a letter or a prefix away from some other module: `lib` from `zlib`, `utils` from
  // `etils`, `config` from `sysconfig`, `model` from `code`.
  std::string ModuleHint(std::string_view dotted, const ModuleLookup& m) {
    std::vector<std::string_view> candidates;
    std::string_view wrong = dotted;
    if (m.parent != nullptr) {
      wrong = m.AfterParent(dotted);
      wrong = wrong.substr(0, wrong.find('.'));
      for (const std::string& s : m.parent->submodules) {
        if (SameInitial(wrong, s)) candidates.push_back(s);
      }
      std::sort(candidates.begin(), candidates.end());
    } else if (dotted.find('.') == std::string_view::npos) {
      // `import pillow`, `import pytorch`: a distribution's name, not its module's.
      if (std::string hint = DistributionHint(wrong); !hint.empty()) return hint;
      if (!nearby_) nearby_ = env_.NearbyModuleNames();  // the same for every import here
      if (!HintAffordable(nearby_->size())) return {};
      // A module beside the notebook: as close as CPython's suggestions for names go.
      for (std::string_view n : *nearby_) {
        if (SameInitial(wrong, n)) candidates.push_back(n);
      }
      std::string_view best = CloseModule(wrong, candidates);
      if (best.empty()) {
        // A misspelled standard or third-party module (`jsn`, `pandsa`, `sklern`, `PyQt4`).
        // A looser match among thousands of names mostly takes a missing helper module
        // (`trainer`, `functions`) for some package (`chainer`, `fractions`).
        const std::vector<std::string_view>& stdlib = StdlibModules(options_.python_minor);
        const std::vector<std::string_view>& known = KnownTopLevelImports();
        if (!HintAffordable((stdlib.size() + known.size()) / 8)) return {};
        candidates.clear();
        for (const std::vector<std::string_view>* list : {&stdlib, &known}) {
          for (std::string_view n : *list) {
            if (!n.starts_with('_') && SameInitial(wrong, n) && TypoOf(wrong, n)) {
              candidates.push_back(n);
            }
          }
        }
        best = BestSuggestion(wrong, candidates);
      }
      return best.empty() ? std::string() : StrCat("did you mean '", best, "'?");
    } else {
      return {};
    }
    if (!HintAffordable(candidates.size())) return {};
    std::string_view best = CloseModule(wrong, candidates);
    return best.empty() ? std::string() : StrCat("did you mean '", best, "'?");
  }

  // The notebook reads Kaggle's input or working directory: it runs in Kaggle's image, whose
  // packages no dependency file of the repository lists (NB203 does not apply). Looked for
  // once, in the code cells, when an undeclared import is found.
  bool RunsOnKaggle() {
    if (!kaggle_) {
      kaggle_ = false;
      for (const ImportCell& c : cells_) {
        if (c.module == nullptr || c.module->body.empty()) continue;
        const Offset begin = c.module->body.front()->range.start;
        std::string_view code = buffer_.substr(begin, c.module->body.back()->range.end - begin);
        for (std::string_view marker : {"/kaggle/input", "/kaggle/working", "../input/"}) {
          if (code.find(marker) != std::string_view::npos) kaggle_ = true;
        }
        if (*kaggle_) break;
      }
    }
    return *kaggle_;
  }

  // Hints compare a name with every module around, or every name of a module: thousands of
  // missing imports among thousands of files (machine-made code) would take minutes. Past
  // this many candidates looked at, findings come without a hint.
  static constexpr size_t kHintBudget = 8'000'000;
  bool HintAffordable(size_t cost) {
    if (hint_work_ + cost > kHintBudget) return false;
    hint_work_ += cost;
    return true;
  }

  const ModuleLookup& Lookup(std::string_view dotted) {
    auto it = cache_.find(dotted);
    if (it == cache_.end()) it = cache_.try_emplace(std::string(dotted), env_.Lookup(dotted)).first;
    saw_local_ |= it->second.status == ModuleStatus::kLocal;
    return it->second;
  }

  // `import dotted` (or the module of a from-import, or the extension `%load_ext` loads).
  // Returns the lookup.
  const ModuleLookup& CheckModule(std::string_view dotted, Range site, bool count = true,
                                  bool load_ext = false) {
    const ModuleLookup& m = Lookup(dotted);
    if (guarded_ == 0 && nested_ == 0 && branches_ == 0 &&
        (dotted == "google.colab" || dotted.starts_with("google.colab."))) {
      colab_ = true;
    }
    dotnet_ |= dotted == "clr" && m.status != ModuleStatus::kLocal;
    // `import helpers` above the %%writefile cell that makes helpers.py: nothing to import yet.
    if (options_.file_order && m.status == ModuleStatus::kLocal && m.local != nullptr &&
        site.start < m.local->written_at && m.local->written_at != UINT32_MAX && guarded_ == 0 &&
        nested_ == 0) {
      if (count) Count(m);
      Diagnostic d;
      d.rule = RuleId::kUnresolvedImport;
      d.range = site;
      d.message = StrCat("no module named '", dotted, "'");
      d.symbol = std::string(dotted);
      const Offset at = m.local->written_at;
      const uint32_t cell = options_.locator != nullptr ? options_.locator->CellOf(at) : 0;
      const std::string writer = cell != 0 ? StrCat("cell ", cell) : "the %%writefile cell";
      d.related.push_back(
          {{at, at},
           StrCat("'", TopLevel(dotted), ".py' is written by %%writefile ",
                  cell != 0 ? StrCat("in ", writer) : "below", ", which runs after this import")});
      d.help = StrCat("move ", writer, " above this one, or run it first");
      out_->push_back(std::move(d));
      return m;
    }
    if (guarded_ == 0 && CheckNotebookModule(dotted, m, site)) {
      if (count && counts_ != nullptr) ++counts_->local;
      return m;
    }
    if (count) Count(m);
    if (guarded_ > 0) return m;
    // With an import hook, what a local package holds is up to the hook.
    if (options_.import_hooks && m.status == ModuleStatus::kUnresolved && m.parent != nullptr) {
      return m;
    }
    // A module found nowhere may be in what the notebook cloned or unpacked.
    if (options_.fetches_files && m.status == ModuleStatus::kUnresolved && !m.python2) return m;
    // After pythonnet's `import clr`, .NET namespaces import as modules (`from System import
    // DateTime`, `from QuantConnect.Data import Slice`): by .NET's convention their names start
    // with a capital letter.
    if (dotnet_ && m.status == ModuleStatus::kUnresolved && m.parent == nullptr &&
        dotted[0] >= 'A' && dotted[0] <= 'Z') {
      return m;
    }
    switch (m.status) {
      case ModuleStatus::kUnresolved: {
        // Why it is missing and what to do: the first reason that applies, else where it was
        // looked for, with a module it may have meant.
        std::string help, note;
        const std::string_view moved = load_ext ? MovedExtensionHelp(dotted) : std::string_view();
        if (m.python2) {
          help = m.replacement.empty() ? std::string("port this code to Python 3")
                                       : StrCat("in Python 3 this is '", m.replacement, "'");
          note = StrCat("'", TopLevel(dotted), "' is a Python 2 standard library module");
        } else if (!moved.empty()) {
          help = std::string(moved);
          note = StrCat("IPython no longer ships the '", dotted, "' extension");
        } else if (m.parent != nullptr) {
          note = absl::StrFormat("'%s' is the local %s %s, which has no module '%s'",
                                 dotted.substr(0, m.parent_length),
                                 m.parent->is_package ? "package" : "module", m.parent->display,
                                 m.AfterParent(dotted));
        } else if (std::string missing, above = env_.FoundAbove(dotted, &missing); !above.empty()) {
          // `from src.features import f` in notebooks/, with src/ at the repository's root.
          // A notebook that adds a computed directory to sys.path (or moves there) may well
          // reach it: nothing to say then.
          if (options_.dynamic_search_path || env_.SearchPathDynamic()) break;
          if (!missing.empty()) {
            // Reaching it would not help: what the import names is not there either.
            note = absl::StrFormat(
                "'%s' is at %s, above the notebook's directory, but has no module '%s' either",
                TopLevel(dotted), above, missing);
          } else {
            help = StrCat("add its directory to sys.path first (sys.path.insert(0, '",
                          above.substr(0, above.rfind('/')), "')), or install the project");
            note = absl::StrFormat(
                "'%s' is at %s, above the notebook's directory, from which the kernel imports",
                TopLevel(dotted), above);
          }
        } else if (dotted.find('.') == std::string_view::npos && env_.NotebookBeside(dotted)) {
          // `import helpers` for helpers.ipynb beside the notebook.
          help = StrCat("run it with '%run ", dotted,
                        ".ipynb' (its names are then defined here), or save its code as ", dotted,
                        ".py");
          note = StrCat("'", dotted,
                        ".ipynb' beside the notebook is a notebook, which Python does not import");
        } else if (std::string other = dotted.find('.') == std::string_view::npos
                                           ? env_.NotebookBesideButCase(dotted)
                                           : std::string();
                   !other.empty()) {
          // `import numericCalculation` for NumericCalculation.ipynb beside the notebook.
          help = StrCat("run it with '%run ", other,
                        ".ipynb' (its names are then defined here), or save its code as ", other,
                        ".py and import it by that name");
          note = StrCat("'", other,
                        ".ipynb' beside the notebook (its name differs in case) is a notebook, "
                        "which Python does not import");
        } else if (std::string ignored = env_.GitIgnored(TopLevel(dotted)); !ignored.empty()) {
          // `from env import password`: a module of settings or secrets each user makes.
          help = StrCat("create ", TopLevel(dotted),
                        ".py beside the notebook, with the names the notebook imports from it");
          note = StrCat("'", TopLevel(dotted), ".py' is not committed: ", ignored,
                        " keeps it out of the repository");
        } else if (dotted == "test") {
          note =
              "'test' is not beside the notebook: Python imports the standard library's "
              "regression-test package 'test' instead, which holds none of the notebook's code";
        } else if (std::vector<std::string> added = env_.AddedSearchPath(); !added.empty()) {
          note = StrCat("'", TopLevel(dotted),
                        "' is not beside the notebook, in the folders it adds to sys.path ('",
                        absl::StrJoin(added, "', '"),
                        "'), in the standard library or a declared dependency");
        } else {
          note = absl::StrFormat(
              "'%s' is not beside the notebook, in the standard library or a declared "
              "dependency",
              TopLevel(dotted));
        }
        // `import helpers.py`: Python looks for a module `py` in helpers.
        if (help.empty() && dotted.size() > 3 && dotted.ends_with(".py")) {
          help = StrCat("import it as '", dotted.substr(0, dotted.size() - 3),
                        "': a module's name has no '.py'");
        }
        if (help.empty()) help = ModuleHint(dotted, m);
        Report(RuleId::kUnresolvedImport, site, StrCat("no module named '", dotted, "'"),
               std::string(dotted), std::move(help), {std::move(note)});
        break;
      }
      case ModuleStatus::kRemovedStdlib: {
        std::string help;
        if (!m.replacement.empty()) help = StrCat("use '", m.replacement, "' instead");
        if (!m.backport.empty()) {
          StrAppend(&help, help.empty() ? "" : ", or ", "declare '", m.backport,
                    "', which provides it");
        }
        if (help.empty()) help = "check against an older Python with --target-version";
        Report(RuleId::kUnresolvedImport, site, StrCat("no module named '", dotted, "'"),
               std::string(dotted), help,
               {absl::StrFormat("'%s' was removed from the standard library in Python 3.%d",
                                TopLevel(dotted), m.removed_in)});
        break;
      }
      case ModuleStatus::kThirdParty:
        if (!m.declared && env_.ChecksDeclarations() && !RunsOnKaggle()) {
          std::string dist =
              m.distribution.empty() ? std::string(TopLevel(dotted)) : m.distribution;
          if (reported_undeclared_.insert(dist).second) {
            // Installed all the same when a declared distribution requires it (numpy with
            // pandas): reported, as the notebook depends on it directly, but saying so.
            const std::string requirer = env_.DeclaredRequirer(dist);
            std::vector<std::string> notes;
            if (!requirer.empty()) {
              notes.push_back(absl::StrFormat(
                  "'%s' requires '%s', so it is installed, but not at a version this notebook "
                  "chose",
                  requirer, dist));
            }
            Report(RuleId::kUndeclaredDependency, site,
                   absl::StrFormat("'%s' is imported but no dependency file declares '%s'", dotted,
                                   dist),
                   std::string(dotted),
                   absl::StrFormat("add '%s' to %s", dist, env_.DependencyFileForHelp()),
                   std::move(notes));
          }
        }
        break;
      case ModuleStatus::kLocal:
        if (m.local != nullptr && m.local->notebook_json) {
          Report(RuleId::kUnresolvedImport, site,
                 StrCat("cannot import '", dotted, "': ", m.local->display,
                        " holds a Jupyter notebook's JSON, not Python"),
                 std::string(dotted), NotebookJsonHelp(*m.local),
                 {"Python runs the file as code: its JSON 'true' and 'null' are undefined names"});
        }
        break;
      case ModuleStatus::kStdlib:
        break;
    }
    return m;
  }

  // Notebooks imported as modules. After `import import_ipynb` (or nbimporter, or importnb's
  // loaders), `import helpers` that finds no module imports helpers.ipynb beside the notebook
  // (what it defines is not followed); the ipynb package's `ipynb.fs.full.helpers` and
  // `ipynb.fs.defs.helpers` import it without a hook (the lookup finds it, as a local module).
  // True when `dotted` is such an import and not otherwise found: counted as local, and
  // reported here when the notebook is not there.
  bool CheckNotebookModule(std::string_view dotted, const ModuleLookup& m, Range site) {
    if (m.status == ModuleStatus::kLocal) return false;
    const std::string_view name = IpynbPackageNotebook(dotted);
    if (name.empty()) {
      // A hook comes after Python's own finders: a module found otherwise is that module.
      return notebook_importer_ && m.status == ModuleStatus::kUnresolved && m.parent == nullptr &&
             dotted.find('.') == std::string_view::npos && env_.NotebookBeside(dotted);
    }
    if (name.find('.') != std::string_view::npos || options_.fetches_files) return true;
    Report(RuleId::kUnresolvedImport, site, StrCat("no module named '", dotted, "'"),
           std::string(dotted),
           StrCat("add ", name, ".ipynb beside the notebook, or correct the name"),
           {StrCat("the ipynb package imports '", name,
                   ".ipynb' from the kernel's working directory, where the notebook is: it is not "
                   "there")});
    return true;
  }

  // `import import_ipynb`, `import nbimporter`, `from importnb import Notebook`: from here on,
  // notebooks beside this one import as modules.
  void NoteNotebookImporter(std::string_view module) {
    if (guarded_ > 0) return;
    if (module == "import_ipynb" || module == "nbimporter" || module == "importnb" ||
        module.starts_with("importnb.")) {
      notebook_importer_ = true;
    }
  }

  // "%load_ext name" imports the extension module; autoreload's "%aimport a.b, c" imports
  // modules; "%run FILE" runs a file the kernel must find, and "%run -m mod" imports a module.
  void CheckMagic(const IpyEscapeStmt* e) {
    const std::string_view text = e->text;
    const std::string_view magic = EscapeMagicName(text);
    const std::string_view args = text.substr(magic.data() + magic.size() - text.data());
    auto site = [&](std::string_view part) {
      Offset at = e->range.start + static_cast<Offset>(part.data() - text.data());
      return Range{at, at + static_cast<Offset>(part.size())};
    };
    if (magic == "aimport") {
      for (std::string_view module : AimportModules(args)) CheckModule(module, site(module));
      return;
    }
    if (magic == "run") {
      CheckRun(args, site);
      return;
    }
    if (magic != "load_ext") return;
    size_t p = 0;
    std::string_view name = NextWord(args, &p);
    if (name.empty() || name[0] == '-') return;
    // IPython's own extensions (IPython.extensions.*).
    if (name == "autoreload" || name == "storemagic") return;
    CheckModule(name, site(name), /*count=*/true, /*load_ext=*/true);
  }

  // %run [options] FILE [args]: IPython looks for FILE (then FILE.py) in the kernel's working
  // directory and fails the cell without it ("File `'helpers.py'` not found."), as an import
  // of a module that was never committed does.
  template <typename Site>
  void CheckRun(std::string_view args, const Site& site) {
    size_t p = 0;
    std::string file;  // the path, as the shell-like split reads it ("My Helpers.ipynb")
    std::string_view written;
    for (std::string_view word = NextShellWord(args, &p, &file); !word.empty();
         word = NextShellWord(args, &p, &file)) {
      if (word[0] != '-') {
        written = word;
        break;
      }
      // Options with an argument (-N 3, -m module, -D file, ...); -p takes profiler options
      // of its own, which are not read here.
      const char last = word.back();
      if (word == "-p") return;
      if (word.size() == 2 && std::string_view("NbDlsTm").find(last) != std::string_view::npos) {
        std::string_view value = NextWord(args, &p);
        if (last == 'm') {
          // (a relative name is relative to no package in a notebook)
          if (!value.empty() && value[0] != '.') CheckModule(value, site(value), false);
          return;
        }
      }
    }
    // A path built at run time, an absolute one (another machine's), or a placeholder
    // (`%run '<your_script.py>'`).
    if (written.empty() || file.empty() || file[0] == '/' ||
        written.find_first_of("$~{}*?[<>") != std::string_view::npos) {
      return;
    }
    if (options_.fetches_files || options_.dynamic_search_path || env_.SearchPathDynamic()) return;
    // A file the notebook makes, downloads or copies names it somewhere else than %run lines
    // (past a few dozen mentions, it surely does).
    const std::string_view base = std::string_view(file).substr(file.rfind('/') + 1);
    int mentions = 0;
    for (size_t at = buffer_.find(base); at != std::string_view::npos;
         at = buffer_.find(base, at + 1)) {
      if (++mentions > 32) return;
      size_t line = buffer_.rfind('\n', at);
      line = line == std::string_view::npos ? 0 : line + 1;
      while (line < at && (buffer_[line] == ' ' || buffer_[line] == '\t')) ++line;
      // (a Databricks export's magic lines start "# MAGIC ")
      if (buffer_.substr(line, 8) == "# MAGIC ") line += 8;
      if (buffer_.substr(line, 4) != "%run") return;
    }
    if (env_.RunFileFound(file)) return;
    // Databricks' %run names a notebook without its extension, exported as .ipynb too.
    if (options_.databricks && base.find('.') == std::string_view::npos &&
        env_.RunFileFound(StrCat(file, ".ipynb"))) {
      return;
    }
    std::string help;
    if (std::string other = env_.SameFileButCase(file); !other.empty()) {
      help = StrCat("did you mean '", other,
                    "'? (file names differ in case only, and Linux tells them apart)");
    } else {
      help = StrCat("add '", file, "' to the repository, or correct the path");
    }
    Report(RuleId::kUnresolvedImport, site(written), StrCat("%run: file '", file, "' not found"),
           file, std::move(help),
           {"%run looks for it in the kernel's working directory, where the notebook is"});
  }

  // The module name's place in `from module import ...` (the whole statement if not found).
  Range ModuleSite(const ImportFromStmt* f) const {
    std::string_view stmt = buffer_.substr(f->range.start, f->range.end - f->range.start);
    size_t from = stmt.find("from");
    size_t at = f->module.empty() || from == std::string_view::npos
                    ? std::string_view::npos
                    : stmt.find(f->module, from + 4);
    if (at == std::string_view::npos) return f->range;
    Offset start = f->range.start + static_cast<Offset>(at);
    return Range{start, start + static_cast<Offset>(f->module.size())};
  }

  void CheckFrom(const ImportFromStmt* f) {
    std::string module(f->module);
    Range site = ModuleSite(f);
    if (f->level > 0) {
      std::string package = env_.Package();
      if (options_.notebook || package.empty()) {
        if (guarded_ == 0) {
          Report(RuleId::kUnresolvedImport, f->range,
                 "attempted relative import with no known parent package", std::string(f->module),
                 "import the module by its absolute name",
                 {options_.notebook ? "a notebook is not part of a package: its relative "
                                      "imports always fail"
                                    : "this file is not inside a package"});
        }
        if (counts_ != nullptr) ++counts_->unresolved;
        return;
      }
      if (!ResolveRelativeImport(package, f->module, f->level, &module)) {
        if (guarded_ == 0) {
          Report(RuleId::kUnresolvedImport, f->range,
                 "attempted relative import beyond top-level package", std::string(f->module),
                 "import the module by its absolute name");
        }
        if (counts_ != nullptr) ++counts_->unresolved;
        return;
      }
    }
    if (module.empty()) return;
    // `from test import support`: modules of CPython's regression-test package.
    if (f->level == 0 && module == "test" && Lookup(module).status == ModuleStatus::kUnresolved &&
        std::all_of(f->names.begin(), f->names.end(), [](const Alias* a) {
          return IsRegressionTestModule(StrCat("test.", a->name));
        })) {
      if (counts_ != nullptr) ++counts_->stdlib;
      return;
    }
    const ModuleLookup& m = CheckModule(module, site);
    if (guarded_ > 0) return;
    // Star imports: a local module's exports can be known, and those of the standard-library
    // modules notebooks star-import (asked only for a star import).
    auto exports_known = [&] {
      return (m.status == ModuleStatus::kLocal && m.local != nullptr && m.local->exports_known) ||
             (m.status == ModuleStatus::kStdlib &&
              StdlibStarExports(module, options_.python_minor) != nullptr);
    };
    const bool found = m.status == ModuleStatus::kLocal || m.status == ModuleStatus::kStdlib ||
                       m.status == ModuleStatus::kThirdParty;
    for (const Alias* a : f->names) {
      if (a->name == "*") {
        if (found && !exports_known()) {
          Report(RuleId::kStarImport, a->range,
                 StrCat("'from ", module, " import *' binds names cellflow cannot know"), module,
                 "import the names you use explicitly");
        }
      } else if (m.status == ModuleStatus::kThirdParty && m.namespace_only) {
        // `from google.cloud import storage`: the distribution is the submodule's.
        std::string sub = JoinDotted(module, a->name);
        if (Lookup(sub).status == ModuleStatus::kThirdParty) {
          CheckModule(sub, NameSite(a), /*count=*/false);
        }
      } else if (m.status == ModuleStatus::kLocal) {
        CheckImportedName(module, m.local, a);
      }
    }
  }

  // `from module import name` where `module` is local (`local` null for a bare directory).
  void CheckImportedName(const std::string& module, const LocalModule* local, const Alias* a) {
    if (local != nullptr && (local->dynamic || local->extension)) return;
    if (options_.import_hooks) return;
    std::string_view name = a->name;
    if (local != nullptr && local->names.contains(name)) return;
    if (IsModuleAttribute(name)) return;  // `from m import __doc__`
    // A submodule: `from pkg import sub` imports pkg.sub.
    if (Lookup(JoinDotted(module, name)).status == ModuleStatus::kLocal) return;
    std::string where = local != nullptr ? local->display : StrCat(module, "/");
    // (Its import is the finding: CheckModule.)
    if (local != nullptr && local->notebook_json) return;
    Report(RuleId::kMissingModuleAttribute, NameSite(a),
           absl::StrFormat("cannot import name '%s' from '%s' (%s)", name, module, where),
           std::string(name), AttributeHint(local, name));
  }

  // For a module that is a notebook saved under a .py name.
  static std::string NotebookJsonHelp(const LocalModule& m) {
    return StrCat(
        "save the notebook's code as a Python file (in Jupyter or Colab: File > "
        "Download > .py) in place of ",
        m.display);
  }

  // The imported name alone, without its "as" part.
  static Range NameSite(const Alias* a) {
    return Range{a->range.start, a->range.start + static_cast<Offset>(a->name.size())};
  }

  std::string AttributeHint(const LocalModule* local, std::string_view name) {
    if (local == nullptr) return {};
    if (!HintAffordable(local->names.size() + local->submodules.size())) return {};
    std::vector<std::string_view>& candidates = module_names_[local];
    if (candidates.empty()) {
      for (const std::string& n : local->names) candidates.push_back(n);
      for (const std::string& n : local->submodules) candidates.push_back(n);
      std::sort(candidates.begin(), candidates.end());
    }
    std::string_view best = BestSuggestion(name, candidates);
    return best.empty() ? std::string() : StrCat("did you mean '", best, "'?");
  }

  // `m.x` at module level, where every binding of `m` imports the same local module.
  void CheckAttribute(std::string_view name, std::string_view attr, Range site) {
    if (guarded_ > 0) return;
    const NameId* id = unit_.FindName(name);
    if (id == nullptr || unit_.defs_of[*id].empty()) return;
    std::string module;
    for (DefId d : unit_.defs_of[*id]) {
      const Definition& def = unit_.defs[d];
      if (def.kind == DefKind::kUndefined) continue;
      const auto* import = def.stmt == nullptr ? nullptr : def.stmt->As<ImportStmt>();
      if (import == nullptr || def.kind != DefKind::kBind) return;
      std::string bound;
      for (const Alias* a : import->names) {
        if (BoundName(*a) != name) continue;
        // `import a.b` binds `a`; `import a.b as m` binds a.b.
        bound = std::string(a->asname.empty() ? TopLevel(a->name) : a->name);
      }
      if (bound.empty() || (!module.empty() && module != bound)) return;
      module = bound;
    }
    const ModuleLookup& m = Lookup(module);
    if (m.status != ModuleStatus::kLocal || m.local == nullptr) return;
    const LocalModule* local = m.local;
    // (A notebook's JSON under a .py name: its import is the finding.)
    if (local->dynamic || local->extension || local->notebook_json || local->names.contains(attr) ||
        local->submodules.contains(attr) || IsModuleAttribute(attr)) {
      return;
    }
    std::string a(attr);
    Report(RuleId::kMissingModuleAttribute, site,
           absl::StrFormat("module '%s' has no attribute '%s'", module, a), a,
           AttributeHint(local, a), {StrCat("'", module, "' is ", local->display)});
  }

  // Attributes every module object has.
  static bool IsModuleAttribute(std::string_view a) {
    return a == "__name__" || a == "__file__" || a == "__doc__" || a == "__dict__" ||
           a == "__spec__" || a == "__loader__" || a == "__package__" || a == "__path__" ||
           a == "__builtins__" || a == "__cached__" || a == "__all__" || a == "__class__";
  }

  const Unit& unit_;
  const ModuleEnvironment& env_;
  const ImportRulesOptions& options_;
  std::string_view buffer_;
  std::vector<Diagnostic>* out_;
  ImportCounts* counts_;
  size_t hint_work_ = 0;               // candidates looked at for hints (HintAffordable)
  std::span<const ImportCell> cells_;  // the notebook's cells (RunsOnKaggle)
  std::optional<bool> kaggle_;         // RunsOnKaggle, once asked
  bool colab_ = false;                 // RunsOnColab
  bool dotnet_ = false;                // pythonnet's clr imported: .NET namespaces import too
  int branches_ = 0;                   // inside an if, for, while or match statement
  std::optional<std::vector<std::string_view>> nearby_;  // NearbyModuleNames, once
  // A local module's names and submodules, sorted, for AttributeHint.
  absl::flat_hash_map<const LocalModule*, std::vector<std::string_view>> module_names_;
  int guarded_ = 0;
  int nested_ = 0;                  // inside a def, class, lambda or comprehension
  bool attributes_ = false;         // the second pass
  bool saw_local_ = false;          // some import resolved to a local module
  bool notebook_importer_ = false;  // NoteNotebookImporter: notebooks import as modules
  // Stable: lookups hand out references.
  absl::node_hash_map<std::string, ModuleLookup, StringViewHash, std::equal_to<>> cache_;
  absl::flat_hash_set<std::string> reported_undeclared_;
};

// The value of a string literal (implicit concatenation included) if it is plain enough: no
// f-string parts; escapes \\ \' \" \n \t; prefixes r, u.
bool LiteralValue(const Expr* e, std::string_view buffer, std::string* out) {
  const auto* c = e == nullptr ? nullptr : e->As<Constant>();
  if (c == nullptr || c->value_kind != ConstantKind::kStr) return false;
  std::string_view text = buffer.substr(c->range.start, c->range.end - c->range.start);
  out->clear();
  size_t p = 0;
  while (p < text.size()) {
    while (p < text.size() && (text[p] == ' ' || text[p] == '\t' || text[p] == '\n' ||
                               text[p] == '\r' || text[p] == '\\')) {
      ++p;
    }
    if (p >= text.size()) break;
    bool raw = false;
    while (p < text.size() && text[p] != '\'' && text[p] != '"') {
      char k = static_cast<char>(std::tolower(static_cast<unsigned char>(text[p])));
      if (k == 'r') raw = true;
      if (k != 'r' && k != 'u') return false;  // b, f: not a plain str
      ++p;
    }
    if (p >= text.size()) return false;
    char q = text[p];
    size_t qlen = text.substr(p, 3) == std::string(3, q) ? 3 : 1;
    std::string_view quote = text.substr(p, qlen);
    p += qlen;
    size_t end = p;
    while (end < text.size() && text.substr(end, qlen) != quote) end += text[end] == '\\' ? 2 : 1;
    if (end > text.size()) return false;
    std::string_view body = text.substr(p, end - p);
    for (size_t i = 0; i < body.size(); ++i) {
      if (body[i] != '\\' || raw || i + 1 >= body.size()) {
        *out += body[i];
        continue;
      }
      char n = body[++i];
      switch (n) {
        case 'n':
          *out += '\n';
          break;
        case 't':
          *out += '\t';
          break;
        case '\\':
        case '\'':
        case '"':
          *out += n;
          break;
        default:
          *out += '\\';
          *out += n;
      }
    }
    p = end + qlen;
  }
  return true;
}

// `path` without its last component ("a/b" → "a", "a" → ".", "/a" → "/"); the working
// directory's (os.getcwd(), ".") is "..", and that of "../.." is "../../..", as paths made
// absolute first (os.path.abspath, Path.resolve) have.
std::string ParentPath(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  if (path == "." || path.empty()) return "..";
  if (path == ".." || path.ends_with("/..")) return path + "/..";
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, std::max<size_t>(slash, 1));
}

// `a` joined with `b` as os.path.join does (an absolute `b` replaces `a`), without the "."
// steps of `b`'s start.
std::string JoinPaths(std::string a, std::string_view b) {
  if ((!b.empty() && b[0] == '/') || a.empty()) return std::string(b);
  // (what stays where it is: "." and a leading "./" of `b`)
  while (b.starts_with("./")) b.remove_prefix(2);
  if (b == "." || b.empty()) return a;
  if (a.back() != '/') a += '/';
  a += b;
  return a;
}

// What the names in a path expression stand for: `assigned` gives the value a top-level
// `name = value` assigned last before the code being read (or null), and `file` is the
// `__file__` of a module's code (empty for a notebook's, which has none).
struct PathNames {
  std::function<const Expr*(std::string_view)> assigned;
  std::string_view file;
};

// A path expression made of literals: "x", os.path.join(...), os.path.abspath(x),
// os.path.realpath(x), os.path.expanduser(x), str(x), Path(x), Path(), Path(x).resolve(),
// Path(x) / "y", a + "/y", p.parent, p.parents[1], os.pardir, os.getcwd(), Path.cwd(),
// os.path.dirname(os.getcwd()), and (with `names`) a variable a literal path was assigned to and
// a module's __file__. Relative results stay relative.
bool LiteralPath(const Expr* e, std::string_view buffer, std::string* out, int depth = 0,
                 const PathNames* names = nullptr) {
  if (e == nullptr || depth > 20) return false;
  if (LiteralValue(e, buffer, out)) return true;
  if (const auto* n = e->As<Name>()) {
    if (names == nullptr) return false;
    if (n->id == "__file__") {
      if (names->file.empty()) return false;
      *out = std::string(names->file);
      return true;
    }
    return LiteralPath(names->assigned(n->id), buffer, out, depth + 1, names);
  }
  if (const auto* s = e->As<Subscript>()) {
    // p.parents[n]: the directory n + 1 levels up.
    const auto* a = s->value->As<Attribute>();
    const auto* k = s->slice->As<Constant>();
    if (a == nullptr || a->attr != "parents" || k == nullptr ||
        k->value_kind != ConstantKind::kInt) {
      return false;
    }
    std::string_view digits = buffer.substr(k->range.start, k->range.end - k->range.start);
    if (digits.empty() || digits.size() > 2 ||
        digits.find_first_not_of("0123456789") != std::string_view::npos) {
      return false;
    }
    std::string inner;
    if (!LiteralPath(a->value, buffer, &inner, depth + 1, names)) return false;
    int up = 0;
    for (char c : digits) up = up * 10 + (c - '0');
    for (; up >= 0; --up) inner = ParentPath(inner);
    *out = std::move(inner);
    return true;
  }
  if (const auto* j = e->As<JoinedStr>()) {
    // f'{ROOT}/src': its text (spelled as it is meant: no escapes, no braces) and paths.
    std::string joined;
    for (const Expr* v : j->values) {
      if (const auto* k = v->As<Constant>()) {
        std::string_view text = buffer.substr(k->range.start, k->range.end - k->range.start);
        if (text.find_first_of("\\{}") != std::string_view::npos) return false;
        joined += text;
        continue;
      }
      const auto* f = v->As<FormattedValue>();
      std::string part;
      if (f == nullptr || f->conversion != 0 || f->format_spec != nullptr ||
          !LiteralPath(f->value, buffer, &part, depth + 1, names)) {
        return false;
      }
      joined += part;
    }
    *out = std::move(joined);
    return true;
  }
  if (const auto* b = e->As<BinOp>();
      b != nullptr && (b->op == BinOpKind::kAdd || b->op == BinOpKind::kDiv)) {
    // `root + '/src'` puts strings together; pathlib's `/` joins a Path and a string or Path.
    std::string left, right;
    if (!LiteralPath(b->left, buffer, &left, depth + 1, names) ||
        !LiteralPath(b->right, buffer, &right, depth + 1, names)) {
      return false;
    }
    *out = b->op == BinOpKind::kAdd ? std::move(left) + right : JoinPaths(std::move(left), right);
    return true;
  }
  if (const auto* a = e->As<Attribute>()) {
    if (a->attr == "pardir") {
      *out = "..";
      return true;
    }
    if (a->attr == "curdir") {
      *out = ".";
      return true;
    }
    if (a->attr == "parent") {
      std::string inner;
      if (!LiteralPath(a->value, buffer, &inner, depth + 1, names)) return false;
      *out = ParentPath(std::move(inner));
      return true;
    }
    return false;
  }
  const auto* c = e->As<Call>();
  if (c == nullptr) return false;
  std::string_view f;
  if (const auto* n = c->func->As<Name>()) f = n->id;
  if (const auto* a = c->func->As<Attribute>()) {
    f = a->attr;
    // Path(x).resolve() / .absolute()
    if ((f == "resolve" || f == "absolute") && c->args.empty()) {
      return LiteralPath(a->value, buffer, out, depth + 1, names);
    }
  }
  if ((f == "getcwd" || f == "cwd" || f == "Path" || f == "PurePath") && c->args.empty()) {
    *out = ".";
    return true;
  }
  if (f == "join" && !c->args.empty()) {
    std::string joined;
    for (const Expr* arg : c->args) {
      std::string part;
      if (!LiteralPath(arg, buffer, &part, depth + 1, names)) return false;
      joined = JoinPaths(std::move(joined), part);
    }
    *out = joined;
    return true;
  }
  if (f == "dirname" && c->args.size() == 1) {
    std::string inner;
    if (!LiteralPath(c->args[0], buffer, &inner, depth + 1, names)) return false;
    *out = ParentPath(std::move(inner));
    return true;
  }
  if ((f == "abspath" || f == "realpath" || f == "normpath" || f == "str" || f == "Path" ||
       f == "PurePath" || f == "expanduser" || f == "fspath") &&
      c->args.size() == 1) {
    return LiteralPath(c->args[0], buffer, out, depth + 1, names);
  }
  return false;
}

// sys.path.append(p) / sys.path.insert(i, p) / sys.path.extend([p, ...]) / sys.path += [...].
class FactCollector : public AstVisitor {
 public:
  // `file`: the module's __file__ when the cells are a module's code.
  FactCollector(std::span<const ImportCell> cells, std::string_view buffer, ImportFacts* facts,
                std::string_view file = {})
      : cells_(cells), buffer_(buffer), facts_(facts) {
    names_.file = file;
  }

  // The top-level statement read next: statement `stmt` of cells_[cell].
  void At(size_t cell, size_t stmt) {
    cell_ = cell;
    stmt_ = stmt;
  }

  void VisitStmt(const Stmt* s) override {
    if (const auto* e = s->As<IpyEscapeStmt>()) {
      Escape(e->text);
      return;
    }
    if (const auto* a = s->As<AugAssignStmt>(); a != nullptr && IsSysPath(a->target)) {
      AddAll(a->value);
      return;
    }
    // sys.path = ['../src'] + sys.path (or sys.path + [...]): the lists put together.
    if (const auto* a = s->As<AssignStmt>();
        a != nullptr && a->targets.size() == 1 && IsSysPath(a->targets[0])) {
      const auto* b = a->value->As<BinOp>();
      if (b != nullptr && b->op == BinOpKind::kAdd && (IsSysPath(b->left) || IsSysPath(b->right))) {
        AddAll(IsSysPath(b->left) ? b->right : b->left);
      } else {
        facts_->dynamic_search_path = true;
      }
      return;
    }
    WalkStmt(s);
  }

  void VisitExpr(const Expr* e) override {
    if (const auto* a = e->As<Attribute>();
        a != nullptr && (a->attr == "meta_path" || a->attr == "path_hooks")) {
      if (const auto* n = a->value->As<Name>(); n != nullptr && n->id == "sys") {
        facts_->import_hooks = true;
      }
    }
    if (const auto* k = e->As<Constant>();
        k != nullptr && k->value_kind == ConstantKind::kStr && MayHoldUrl(k->range)) {
      std::string value;
      if (LiteralValue(k, buffer_, &value)) Downloads(value);
    }
    // subprocess.run(["git", "clone", url]): a clone whose URL may be any expression.
    if (const auto* l = e->As<List>(); l != nullptr && l->elts.size() >= 2) {
      std::string first, second;
      if (LiteralValue(l->elts[0], buffer_, &first) && first == "git" &&
          LiteralValue(l->elts[1], buffer_, &second) &&
          (second == "clone" || second == "submodule")) {
        facts_->fetches_files = true;
      }
    }
    if (const auto* c = e->As<Call>()) {
      InstallCall(c);
      MadeByCall(c);
      // JupyterLite's installers: `await piplite.install("seaborn")`, `micropip.install([...])`.
      if (const auto* a = c->func->As<Attribute>();
          a != nullptr && a->attr == "install" && !c->args.empty()) {
        const auto* n = a->value->As<Name>();
        if (n != nullptr && (n->id == "piplite" || n->id == "micropip")) PipliteInstall(c->args[0]);
      }
      if (const auto* a = c->func->As<Attribute>(); a != nullptr && IsSysPath(a->value)) {
        if (a->attr == "append" && c->args.size() == 1) Add(c->args[0]);
        if (a->attr == "insert" && c->args.size() == 2) Add(c->args[1]);
        if (a->attr == "extend" && c->args.size() == 1) AddAll(c->args[0]);
      }
      // site.addsitedir(DIR) appends DIR (and what its .pth files name) to sys.path.
      if (const auto* a = c->func->As<Attribute>();
          a != nullptr && a->attr == "addsitedir" && c->args.size() == 1) {
        const auto* n = a->value->As<Name>();
        if (n != nullptr && n->id == "site") Add(c->args[0]);
      }
      // os.chdir(DIR)
      if (const auto* a = c->func->As<Attribute>();
          a != nullptr && a->attr == "chdir" && c->args.size() == 1 && c->keywords.empty()) {
        const auto* n = a->value->As<Name>();
        std::string path;
        if (n != nullptr && n->id == "os") {
          if (LiteralPath(c->args[0], buffer_, &path, 0, &names_)) {
            ChangeDirectory(path);
          } else {
            facts_->dynamic_search_path = true;
          }
        }
      }
    }
    if (const auto* i = e->As<IpyEscapeExpr>()) Escape(i->text);
    WalkExpr(e);
  }

 private:
  static bool IsSysPath(const Expr* e) {
    const auto* a = e == nullptr ? nullptr : e->As<Attribute>();
    if (a == nullptr || a->attr != "path") return false;
    const auto* n = a->value->As<Name>();
    return n != nullptr && n->id == "sys";
  }
  void Add(const Expr* e) {
    std::string path;
    if (LiteralPath(e, buffer_, &path, 0, &names_)) {
      // A relative path (os.getcwd() too) is taken from where %cd and os.chdir moved to.
      if (!cwd_.empty()) path = JoinPaths(cwd_, path);
      facts_->sys_path.push_back(path);
    } else {
      facts_->dynamic_search_path = true;
    }
  }
  // The kernel's working directory moves to `path` (relative to where it was).
  void ChangeDirectory(std::string_view path) {
    if (path.empty() || path.front() == '~' || path.find('$') != std::string_view::npos) return;
    // No system takes a path longer than this (PATH_MAX): many relative moves stop here.
    constexpr size_t kMaxPath = 4096;
    std::string moved = JoinPaths(cwd_, path);
    if (moved.size() > kMaxPath) return;
    cwd_ = std::move(moved);
    facts_->sys_path.push_back(cwd_);
  }
  void AddAll(const Expr* e) {
    const ExprList* elts = nullptr;
    if (const auto* l = e->As<List>()) elts = &l->elts;
    if (const auto* t = e->As<Tuple>()) elts = &t->elts;
    if (elts == nullptr) return;
    for (const Expr* x : *elts) Add(x);
  }
  // URLs ending in ".py" (optionally followed by a query) name module files the notebook
  // fetches.
  // The source text of a string literal can only spell a URL if it holds "://" (escapes
  // inside a URL are not worth decoding every literal for).
  bool MayHoldUrl(Range r) const {
    return buffer_.substr(r.start, r.end - r.start).find("://") != std::string_view::npos;
  }

  // Also notes clones and downloaded archives (ImportFacts::fetches_files).
  void Downloads(std::string_view text) {
    if (text.find("git clone") != std::string_view::npos ||
        text.find("git submodule") != std::string_view::npos) {
      facts_->fetches_files = true;
    }
    size_t p = 0;
    while ((p = text.find("://", p)) != std::string_view::npos) {
      size_t end = p + 3;
      while (end < text.size() && text[end] != ' ' && text[end] != '\t' && text[end] != '"' &&
             text[end] != '\'' && text[end] != '\n' && text[end] != '?' && text[end] != '#') {
        ++end;
      }
      std::string_view url = text.substr(p, end - p);
      size_t slash = url.rfind('/');
      std::string_view file = url.substr(slash + 1);
      if (file.size() > 3 && file.substr(file.size() - 3) == ".py") {
        facts_->downloaded_files.emplace_back(file);
      }
      // An archive of a repository (a data archive brings no modules).
      const bool code_host = url.find("github.com/") != std::string_view::npos ||
                             url.find("gitlab.com/") != std::string_view::npos ||
                             url.find("bitbucket.org/") != std::string_view::npos;
      if (code_host &&
          (file.ends_with(".zip") || file.ends_with(".tar.gz") || file.ends_with(".tgz"))) {
        facts_->fetches_files = true;
      }
      p = end;
    }
  }

  // Installs written as calls: `os.system("pip install x")`, `get_ipython().system(...)`,
  // `get_ipython().run_line_magic("pip", "install x")` (a notebook exported as a script),
  // `subprocess.check_call([sys.executable, "-m", "pip", "install", "x"])`.
  void InstallCall(const Call* c) {
    const auto* a = c->func->As<Attribute>();
    if (a == nullptr || c->args.empty()) return;
    const auto* owner = a->value->As<Name>();
    const bool ipython = IsGetIpythonCall(a->value);
    std::string text;
    if ((ipython && (a->attr == "system" || a->attr == "getoutput" || a->attr == "magic")) ||
        (owner != nullptr && owner->id == "os" && a->attr == "system")) {
      if (LiteralValue(c->args[0], buffer_, &text)) Escape(text);
      return;
    }
    if (ipython && a->attr == "run_line_magic" && c->args.size() == 2) {
      std::string line;
      if (LiteralValue(c->args[0], buffer_, &text) && LiteralValue(c->args[1], buffer_, &line)) {
        Escape(StrCat("%", text, " ", line));
      }
      return;
    }
    if (owner == nullptr || owner->id != "subprocess") return;
    if (LiteralValue(c->args[0], buffer_, &text)) {
      Escape(text);  // subprocess.run("pip install x", shell=True)
      return;
    }
    ExprList words;
    if (const auto* l = c->args[0]->As<List>()) words = l->elts;
    if (const auto* t = c->args[0]->As<Tuple>()) words = t->elts;
    std::string command;
    for (const Expr* w : words) {
      std::string word;
      if (LiteralValue(w, buffer_, &word)) {
        StrAppend(&command, command.empty() ? "" : " ", word);
      } else if (const auto* x = w->As<Attribute>(); x != nullptr && x->attr == "executable") {
        StrAppend(&command, command.empty() ? "" : " ", "python");  // sys.executable
      }
    }
    if (!command.empty()) Escape(command);
  }

  // The requirement (a string) or requirements (a list or tuple of strings) given to piplite
  // or micropip, as the pip command that installs the same.
  void PipliteInstall(const Expr* what) {
    std::string command = "pip install";
    std::string value;
    bool any = false;
    auto add = [&](const Expr* e) {
      if (LiteralValue(e, buffer_, &value) && !value.empty()) {
        StrAppend(&command, " ", value);
        any = true;
      }
    };
    if (const auto* l = what->As<List>()) {
      for (const Expr* e : l->elts) add(e);
    } else if (const auto* t = what->As<Tuple>()) {
      for (const Expr* e : t->elts) add(e);
    } else {
      add(what);
    }
    if (any) facts_->install_commands.push_back(std::move(command));
  }

  // `path`, a file the notebook makes: a module beside the notebook when it names one there.
  void Made(std::string_view path) {
    while (path.starts_with("./")) path.remove_prefix(2);
    if (path.size() > 3 && path.ends_with(".py") && path.find('/') == std::string_view::npos) {
      facts_->made_files.emplace_back(path);
    }
  }
  // The file a copy makes of `source` at `target` (a file, or the folder "." it goes into).
  void Copied(std::string_view source, std::string_view target) {
    if (target == "." || target == "./") {
      size_t slash = source.rfind('/');
      Made(slash == std::string_view::npos ? source : source.substr(slash + 1));
    } else {
      Made(target);
    }
  }
  // Shell commands that make files: "cp a/x.py .", "mv x.py y.py", "ln -s ../x.py",
  // "wget -O x.py URL", "curl -o x.py URL" (commands joined with && or ; one by one).
  void MadeByShell(std::string_view text) {
    std::vector<std::string> words;
    auto command = [&] {
      if (words.empty()) return;
      const std::string& program = words[0];
      std::vector<std::string_view> operands;
      for (size_t i = 1; i < words.size(); ++i) {
        const std::string& w = words[i];
        if ((program == "wget" && (w == "-O" || w == "--output-document")) ||
            (program == "curl" && (w == "-o" || w == "--output"))) {
          if (i + 1 < words.size()) Made(words[i + 1]);
          ++i;
          continue;
        }
        if (!w.empty() && w[0] != '-') operands.push_back(w);
      }
      if ((program == "cp" || program == "mv" || program == "ln") && !operands.empty()) {
        // "ln -s ../x.py" links into the working directory.
        if (program == "ln" && operands.size() == 1) {
          Copied(operands[0], ".");
          return;
        }
        for (size_t i = 0; i + 1 < operands.size(); ++i) Copied(operands[i], operands.back());
      }
    };
    size_t p = 0;
    std::string word;
    while (p < text.size()) {
      std::string_view raw = NextShellWord(text, &p, &word);
      if (raw.empty()) break;
      if (raw == "&&" || raw == ";" || raw == "||") {
        command();
        words.clear();
        continue;
      }
      words.push_back(word);
    }
    command();
  }
  // Calls that make files: shutil.copy/copy2/copyfile/move(src, dst), a download to a named
  // file (gdown.download(url, "x.py"), urlretrieve(url, "x.py"), wget.download(url, "x.py")),
  // open("x.py", "w").
  void MadeByCall(const Call* c) {
    std::string_view f;
    if (const auto* n = c->func->As<Name>()) f = n->id;
    if (const auto* a = c->func->As<Attribute>()) f = a->attr;
    if (f.empty() || c->args.empty()) return;
    std::string first, second;
    if (f == "copy" || f == "copy2" || f == "copyfile" || f == "move") {
      if (c->args.size() == 2 && LiteralValue(c->args[0], buffer_, &first) &&
          LiteralValue(c->args[1], buffer_, &second)) {
        Copied(first, second);
      }
      return;
    }
    if (f == "download" || f == "urlretrieve") {
      const Expr* target = c->args.size() >= 2 ? c->args[1] : nullptr;
      for (const Keyword* k : c->keywords) {
        if (k->arg == "output" || k->arg == "out" || k->arg == "filename") target = k->value;
      }
      if (target != nullptr && LiteralValue(target, buffer_, &second)) Made(second);
      return;
    }
    if (f == "open" && c->args.size() >= 2 && c->func->As<Name>() != nullptr &&
        LiteralValue(c->args[0], buffer_, &first) && LiteralValue(c->args[1], buffer_, &second) &&
        second.find_first_of("wax") != std::string::npos) {
      Made(first);
    }
  }

  // Install lines ("%pip install x", "!{sys.executable} -m pip install x", "!conda install x",
  // ...); "%cd DIR" (not "!cd", which moves a subshell).
  void Escape(std::string_view text) {
    Downloads(text);
    // A shell command: "!..." in a cell, or os.system(...) and the like.
    if (size_t start = text.find_first_not_of("!"); !text.starts_with("%") && start != text.npos) {
      MadeByShell(text.substr(start));
    }
    size_t p = text.find_first_not_of("%!= \t");
    if (p == std::string_view::npos) return;
    std::string_view rest = text.substr(p);
    if (p > 0 && text[p - 1] == '%' && (p < 2 || text[p - 2] != '%') && rest.size() > 3 &&
        rest.substr(0, 2) == "cd" && (rest[2] == ' ' || rest[2] == '\t')) {
      CdMagic(rest.substr(3));
      return;
    }
    // Whatever starts the installer ("pip", "pip3", "{sys.executable} -m pip", "python3 -m
    // pip", "conda", "mamba", "uv pip"), and commands joined with && or ;, ParseInstallCommand
    // reads; it declares nothing for apt-get and the like.
    if (rest.find("install") != std::string_view::npos) {
      facts_->install_commands.emplace_back(rest);
    }
  }

  // The arguments of %cd: "-q" (quiet) may come first; "-" and "-b NAME" go back or to a
  // bookmark, and a "$var" or "{expr}" is not literal: those are not followed.
  void CdMagic(std::string_view args) {
    args = Trim(args);
    if (args.substr(0, 3) == "-q " || args.substr(0, 3) == "-q\t") args = args.substr(3);
    args = Unquote(args);
    if (args.empty() || args.front() == '-') return;
    if (args.find('{') != std::string_view::npos || args.front() == '$') {
      facts_->dynamic_search_path = true;
      return;
    }
    ChangeDirectory(args);
  }

  // The value of the last top-level `name = value` before the statement being read (in its
  // cell, then in the cells before), or null: `p = os.path.abspath('..')` then
  // `sys.path.append(p)`. Searched only when a path is a variable, which is rare.
  const Expr* AssignedBefore(std::string_view name) const {
    // A path is assigned shortly before it is used; a bounded search keeps a notebook of a
    // million `sys.path.append(p)` lines linear.
    constexpr size_t kMaxLookback = 1000;
    size_t looked = 0;
    for (size_t ci = cell_ + 1; ci-- > 0 && looked < kMaxLookback;) {
      if (cells_[ci].module == nullptr) continue;
      const auto& body = cells_[ci].module->body;
      for (size_t si = ci == cell_ ? std::min(stmt_, body.size()) : body.size();
           si-- > 0 && looked++ < kMaxLookback;) {
        if (const auto* a = body[si]->As<AssignStmt>(); a != nullptr && a->targets.size() == 1) {
          if (const auto* n = a->targets[0]->As<Name>(); n != nullptr && n->id == name) {
            return a->value;
          }
        }
      }
    }
    return nullptr;
  }

  std::span<const ImportCell> cells_;
  size_t cell_ = 0;
  size_t stmt_ = 0;
  PathNames names_{[this](std::string_view name) { return AssignedBefore(name); }, {}};
  std::string_view buffer_;
  ImportFacts* facts_;
  std::string cwd_;  // where %cd and os.chdir moved the kernel so far ("" where it started)
};

}  // namespace

bool ResolveRelativeImport(std::string_view package, std::string_view module, int level,
                           std::string* out) {
  for (int up = 1; up < level; ++up) {
    size_t dot = package.rfind('.');
    if (dot == std::string_view::npos) return false;
    package = package.substr(0, dot);
  }
  *out = JoinDotted(package, module);
  return true;
}

bool StringLiteralValue(const Expr* e, std::string_view buffer, std::string* out) {
  return LiteralValue(e, buffer, out);
}

namespace {

// One of the words below at text position i: "sys.path", "meta_path", "path_hooks" (found by
// their "path"), "://", "install", "chdir", "clone", "%cd", "addsitedir" (found by its "dsit"),
// ".py" ending a file name.
inline __attribute__((always_inline)) bool ImportFactWordAt(const char* p, size_t n, size_t i) {
  // A literal's length is known here, so the comparison is inlined.
  auto has = [p, n]<size_t N>(size_t at, const char(&word)[N]) {
    return at + N - 1 <= n && std::memcmp(p + at, word, N - 1) == 0;
  };
  if (has(i, "path")) {
    return (i >= 4 && has(i - 4, "sys.")) || (i >= 5 && has(i - 5, "meta_")) ||
           has(i, "path_hooks");
  }
  if (p[i] == 'd') return i >= 2 && has(i - 2, "addsitedir");
  if (p[i] == '.') {
    // ".py" ending a file name: a module file the notebook may copy or write.
    return has(i, ".py") && (i + 3 == n || p[i + 3] == '\'' || p[i + 3] == '"' || p[i + 3] == ' ' ||
                             p[i + 3] == '\n');
  }
  return has(i, "://") || has(i, "install") || has(i, "chdir") || has(i, "clone") || has(i, "%cd");
}

#if defined(__x86_64__)
// Bytes where x holds cx and y holds cy.
__attribute__((target("avx2"), always_inline)) inline __m256i BothAt(__m256i x, char cx, __m256i y,
                                                                     char cy) {
  return _mm256_and_si256(_mm256_cmpeq_epi8(x, _mm256_set1_epi8(cx)),
                          _mm256_cmpeq_epi8(y, _mm256_set1_epi8(cy)));
}

// Bytes where z holds cz.
__attribute__((target("avx2"), always_inline)) inline __m256i At(__m256i z, char cz) {
  return _mm256_cmpeq_epi8(z, _mm256_set1_epi8(cz));
}

// Candidate positions among the 32 starting at `q` (which has 3 more bytes readable), one
// bit each: "pa?h" ("path"), "in?t" ("inst"), "ch?i" ("chdi"), "cl?n" ("clon"), "ds?t"
// ("addsitedir"), ":/", "%c" and ".py". Two letters alone would also take common words ("python",
// "list", "init") for candidates.
__attribute__((target("avx2"), always_inline)) inline uint32_t ImportFactCandidates(const char* q) {
  const __m256i a0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q));
  const __m256i a1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q + 1));
  const __m256i a2 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q + 2));
  const __m256i a3 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q + 3));
  const __m256i words =
      _mm256_or_si256(_mm256_or_si256(_mm256_and_si256(BothAt(a0, 'p', a3, 'h'), At(a1, 'a')),
                                      _mm256_and_si256(BothAt(a0, 'i', a3, 't'), At(a1, 'n'))),
                      _mm256_or_si256(_mm256_and_si256(BothAt(a0, 'c', a3, 'i'), At(a1, 'h')),
                                      _mm256_and_si256(BothAt(a0, 'c', a3, 'n'), At(a1, 'l'))));
  // "dsit" and ".py" (ImportFactWordAt checks what follows a ".py").
  const __m256i more = _mm256_or_si256(_mm256_and_si256(BothAt(a0, 'd', a3, 't'), At(a1, 's')),
                                       _mm256_and_si256(BothAt(a0, '.', a1, 'p'), At(a2, 'y')));
  const __m256i hit =
      _mm256_or_si256(_mm256_or_si256(words, more),
                      _mm256_or_si256(BothAt(a0, ':', a1, '/'), BothAt(a0, '%', a1, 'c')));
  return static_cast<uint32_t>(_mm256_movemask_epi8(hit));
}

// 32 positions at a time; the last ones, whose look-ahead would read past the text, in a
// zero-padded copy. Returns a word's position, or npos.
__attribute__((target("avx2"))) size_t ScanImportFactsAvx2(const char* p, size_t n, size_t from) {
  size_t at = from;
  for (; at + 35 <= n; at += 32) {
    for (uint32_t mask = ImportFactCandidates(p + at); mask != 0; mask &= mask - 1) {
      const size_t word = at + static_cast<size_t>(__builtin_ctz(mask));
      if (ImportFactWordAt(p, n, word)) return word;
    }
  }
  if (at >= n) return std::string_view::npos;
  // Fewer than 35 bytes are left: at most two more steps, over a copy with zeros after it.
  char tail[32 + 35] = {};
  std::memcpy(tail, p + at, n - at);
  for (size_t k = 0; at + k < n; k += 32) {
    for (uint32_t mask = ImportFactCandidates(tail + k); mask != 0; mask &= mask - 1) {
      const size_t word = at + k + static_cast<size_t>(__builtin_ctz(mask));
      if (word < n && ImportFactWordAt(p, n, word)) return word;
    }
  }
  return std::string_view::npos;
}
#endif

// Where `text` next holds, at or after `from`, one of "sys.path", "meta_path", "path_hooks",
// "://", "install", "chdir", "clone", "%cd", "addsitedir" or a file name's ".py" (npos if
// nowhere): the words code that edits the search path, moves the working directory, installs an
// import hook, downloads or clones code, installs a package or makes a module file cannot do
// without. Candidate positions are found 32 at a time where AVX2 is there, else byte by byte,
// then checked for the whole word.
size_t NextImportFactWord(std::string_view text, size_t from) {
  const char* p = text.data();
  const size_t n = text.size();
#if defined(__x86_64__)
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2) return ScanImportFactsAvx2(p, n, from);
#endif
  for (size_t i = from; i < n; ++i) {
    const char c = p[i];
    if ((c == 'p' || c == ':' || c == 'i' || c == 'c' || c == '%' || c == '.' || c == 'd') &&
        ImportFactWordAt(p, n, i)) {
      return i;
    }
  }
  return std::string_view::npos;
}

// The facts of the statements of `cells` that mention them.
void CollectFacts(FactCollector& collector, std::span<const ImportCell> cells,
                  std::string_view buffer) {
  for (size_t ci = 0; ci < cells.size(); ++ci) {
    const ImportCell& c = cells[ci];
    if (c.module == nullptr || c.module->body.empty()) continue;
    // Most statements mention neither sys.path, an import hook, a URL nor an installer: only
    // the first one that ends after such a word (the word may sit in its decorators) is
    // walked, then the search goes on after it.
    const Offset begin = c.module->body.front()->range.start;
    const std::string_view text = buffer.substr(begin, c.module->body.back()->range.end - begin);
    size_t at = NextImportFactWord(text, 0);
    const auto& body = c.module->body;
    for (size_t si = 0; si < body.size(); ++si) {
      if (at == std::string_view::npos) break;
      const size_t end = body[si]->range.end - begin;
      if (at >= end) continue;
      collector.At(ci, si);
      collector.VisitStmt(body[si]);
      at = NextImportFactWord(text, end);
    }
  }
}

}  // namespace

void CollectImportFacts(std::span<const ImportCell> cells, std::string_view buffer,
                        ImportFacts* facts) {
  FactCollector collector(cells, buffer, facts);
  CollectFacts(collector, cells, buffer);
}

void ModuleSearchPath(const Module* module, std::string_view buffer, std::string_view file,
                      std::vector<std::string>* paths, bool* dynamic) {
  ImportFacts facts;
  const ImportCell cell{module, 0};
  FactCollector collector({&cell, 1}, buffer, &facts, file);
  CollectFacts(collector, {&cell, 1}, buffer);
  *paths = std::move(facts.sys_path);
  *dynamic = facts.dynamic_search_path;
  // Every notebook that imports the module searches these: a machine-made module with
  // thousands of them is taken for one that may add any directory.
  constexpr size_t kMaxPaths = 64;
  if (paths->size() > kMaxPaths) {
    paths->clear();
    *dynamic = true;
  }
}

void CheckImports(std::span<const ImportCell> cells, std::string_view buffer,
                  const Unit& module_unit, const ModuleEnvironment& env,
                  const ImportRulesOptions& options, std::vector<Diagnostic>* out,
                  ImportCounts* counts) {
  ImportChecker checker(cells, module_unit, env, options, buffer, out, counts);
  const size_t first = out->size();
  // First the import statements (no expression holds one); then, only if some name is bound to
  // a local module, the `m.x` reads.
  for (const ImportCell& c : cells) {
    if (c.module == nullptr) continue;
    for (const Stmt* s : c.module->body) checker.VisitStmt(s);
  }
  if (checker.RunsOnColab() || options.databricks) {
    out->erase(
        std::remove_if(out->begin() + static_cast<std::ptrdiff_t>(first), out->end(),
                       [](const Diagnostic& d) { return d.rule == RuleId::kUndeclaredDependency; }),
        out->end());
  }
  if (!checker.SawLocalModule()) return;
  checker.StartAttributePass();
  for (const ImportCell& c : cells) {
    if (c.module == nullptr) continue;
    for (const Stmt* s : c.module->body) checker.VisitStmt(s);
  }
}

const std::vector<std::string>* EnvironmentBindings::StarNames(std::string_view module,
                                                               int level) const {
  if (level > 0) return nullptr;
  ModuleLookup m = env_.Lookup(module);
  if (m.status == ModuleStatus::kStdlib) return StdlibStarExports(module, python_minor_);
  if (m.status != ModuleStatus::kLocal || m.local == nullptr || !m.local->exports_known) {
    return nullptr;
  }
  return &m.local->exports;
}

std::string_view IpynbPackageNotebook(std::string_view dotted) {
  for (std::string_view prefix : {"ipynb.fs.full.", "ipynb.fs.defs."}) {
    if (dotted.starts_with(prefix)) return dotted.substr(prefix.size());
  }
  return {};
}

const std::vector<std::string>* EnvironmentBindings::OwnNames(std::string_view module) const {
  ModuleLookup m = env_.Lookup(module);
  if (m.status != ModuleStatus::kLocal || m.local == nullptr || m.local->dynamic) return nullptr;
  names_.emplace_back();
  std::vector<std::string>& names = names_.back();
  for (const std::string& n : m.local->names) {
    if (!n.empty() && n[0] != '_' && !m.local->imported.contains(n)) names.push_back(n);
  }
  std::sort(names.begin(), names.end());
  return &names;
}

const std::vector<std::string>* EnvironmentBindings::RunNames(std::string_view path) const {
  const LocalModule* script = env_.RunScript(path);
  if (script == nullptr || script->dynamic) return nullptr;
  // %run executes the script as __main__ in the user namespace: every top-level name.
  names_.emplace_back();
  std::vector<std::string>& names = names_.back();
  names.assign(script->names.begin(), script->names.end());
  std::sort(names.begin(), names.end());
  return &names;
}

}  // namespace cellflow
