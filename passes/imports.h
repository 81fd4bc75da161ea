// Import resolution rules (NB201-NB204) over a notebook's cells, against an environment that
// says what each module is: a local file, the standard library, a third-party distribution, or
// nothing at all. The environment (files around the notebook, dependency files, installed
// packages) is the driver's; this pass only asks it questions.
#ifndef CELLFLOW_PASSES_IMPORTS_H_
#define CELLFLOW_PASSES_IMPORTS_H_

#include <algorithm>
#include <deque>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"

#include "ir/ir.h"
#include "ir/lower.h"
#include "lexer/str_util.h"
#include "passes/diagnostic.h"

namespace cellflow {

class Locator;

// What cellflow knows of a module it found on disk (or one a %%writefile cell creates).
struct LocalModule {
  std::string name;     // dotted
  std::string path;     // the file, or the directory of a package without __init__.py
  std::string display;  // for messages: "config_module.py", "pkg/__init__.py"
  bool is_package = false;
  bool extension = false;  // a compiled .so / .pyd: names unknown
  // Any attribute may exist: a module-level __getattr__, a star import whose names are unknown,
  // exec, or a file that does not parse.
  bool dynamic = false;
  // Submodules may exist that are no files of it (`import pkg.x` finds what the code puts
  // there): __path__ edits, sys.modules writes, import hooks, exec, or code that cannot be read.
  // A star import or a __getattr__ makes names dynamic, not submodules.
  bool submodules_dynamic = false;
  // Module-level names (found by std::string_view too).
  absl::flat_hash_set<std::string, StringViewHash, std::equal_to<>> names;
  // Those of `names` that only imports bind (`import numpy as np`, `from x import y`, a star
  // import's names): the module's own are the others.
  absl::flat_hash_set<std::string, StringViewHash, std::equal_to<>> imported;
  // What `from m import *` binds: __all__ when it is a literal, else the public names.
  std::vector<std::string> exports;
  bool exports_known = true;
  // A .py file that holds a notebook's JSON (LooksLikeNotebookJson): Python fails to import it
  // (its `true` and `null` are undefined names), and it defines nothing.
  bool notebook_json = false;
  // Packages: the modules and packages inside.
  absl::flat_hash_set<std::string, StringViewHash, std::equal_to<>> submodules;
  // What importing it does to the search path (ModuleSearchPath): directories its code adds,
  // and whether it adds one that is not a literal.
  std::vector<std::string> sys_path;
  bool sys_path_dynamic = false;
  // A module only the notebook's own %%writefile makes beside it (no such file is there): where
  // the first cell that writes it starts; an import above it, in file order, finds nothing.
  // UINT32_MAX for other modules.
  Offset written_at = UINT32_MAX;
};

enum class ModuleStatus : uint8_t {
  kLocal,          // beside the notebook, on a literal sys.path entry, --path, or %%writefile
  kStdlib,         // in the standard library of the target version
  kRemovedStdlib,  // was in the standard library, removed by the target version
  kThirdParty,     // a known or declared distribution, or found in --site-packages
  kUnresolved,     // none of those
};

struct ModuleLookup {
  ModuleStatus status = ModuleStatus::kUnresolved;
  const LocalModule* local = nullptr;  // kLocal: the module itself (null for a bare directory)
  std::string distribution;            // kThirdParty: the distribution that provides it
  bool declared = false;               // kThirdParty: a dependency file or %pip install names it
  bool namespace_only = false;         // kThirdParty: a namespace several distributions share
  int removed_in = 0;                  // kRemovedStdlib: the minor version that removed it
  bool python2 = false;                // kUnresolved: a Python 2 standard library module
  std::string replacement;             // what to import instead ("importlib" for imp)
  std::string backport;                // a distribution that brings it back ("setuptools")
  // kUnresolved for "a.b.c": how far resolution got ("a.b" is a local package without "c"),
  // and the length of the dotted prefix that named it here ("a.b": 3). The module's own name
  // may differ: the batch shares modules that different notebooks reach by different names.
  const LocalModule* parent = nullptr;
  size_t parent_length = 0;

  // With a parent: what `dotted` (the name looked up) goes on to after it ("c" of "a.b.c").
  std::string_view AfterParent(std::string_view dotted) const {
    return dotted.substr(std::min(parent_length + 1, dotted.size()));
  }
};

// What the driver knows about the notebook's surroundings. Implementations cache; lookups of the
// same name may come many times.
class ModuleEnvironment {
 public:
  virtual ~ModuleEnvironment() = default;
  // An absolute dotted module name.
  virtual ModuleLookup Lookup(std::string_view dotted) const = 0;
  // True when some dependency file declares the notebook's dependencies (or --strict-deps):
  // only then is an undeclared third-party import reported (NB203).
  virtual bool ChecksDeclarations() const = 0;
  // The dependency file a missing declaration should go to ("requirements.txt"), for help.
  virtual std::string DependencyFileForHelp() const = 0;
  // A declared distribution that requires `distribution` (DistributionsRequiring), so that it
  // is installed without a declaration of its own; empty if none.
  virtual std::string DeclaredRequirer(std::string_view distribution) const {
    (void)distribution;
    return {};
  }
  // The local top-level modules a misspelled import may have meant: those the notebook writes,
  // then those of its search path.
  virtual std::vector<std::string_view> NearbyModuleNames() const = 0;
  // The notebook's package for relative imports (scripts inside packages); empty for a
  // notebook, whose relative imports fail.
  virtual std::string Package() const { return {}; }
  // The directories the notebook adds to sys.path, as it writes them ("..", "../src").
  virtual std::vector<std::string> AddedSearchPath() const { return {}; }
  // `%run path`: the script (path as written, relative to the notebook's directory), or null.
  virtual const LocalModule* RunScript(std::string_view path) const { return nullptr; }
  // True once a local module the notebook imported or ran has added a directory to sys.path
  // that is not a literal: modules may then come from a directory no one can name beforehand.
  virtual bool SearchPathDynamic() const { return false; }
  // `%run path`: whether the kernel may find the file, as IPython looks (`path`, then `path`.py)
  // from the notebook's directory, or a directory the notebook moves to or adds to sys.path;
  // true when that cannot be known (the folder `path` names is not there either). (A file the
  // notebook writes or downloads names it elsewhere: the caller rules those out first.)
  virtual bool RunFileFound(std::string_view path) const {
    (void)path;
    return true;
  }
  // A file in the directory `path` names whose name differs from its last part only in case
  // ("helpers.py" for "Helpers.py"), as `path` would be written; empty if none.
  virtual std::string SameFileButCase(std::string_view path) const {
    (void)path;
    return {};
  }
  // Where the top-level module or package of `dotted` is in a directory above the notebook's,
  // up to its repository's root (the directory holding .git; three levels at most), relative
  // to the notebook's directory ("../src"); empty if none or outside a repository. With
  // `missing`: the part of `dotted` after the top level that is not there ("entity.pack" when
  // ../src/features has no entity/pack), or empty when all of it is.
  virtual std::string FoundAbove(std::string_view dotted, std::string* missing) const {
    (void)dotted;
    (void)missing;
    return {};
  }
  // The .gitignore line that keeps `name`.py beside the notebook out of its repository
  // ("../.gitignore (line 3: 'env.py')"); empty if none does, or outside a repository.
  virtual std::string GitIgnored(std::string_view name) const {
    (void)name;
    return {};
  }
  // True if the notebook's directory holds `name`.ipynb (which `import name` does not import).
  virtual bool NotebookBeside(std::string_view name) const {
    (void)name;
    return false;
  }
  // The stem of a notebook beside this one whose name is `name` but for case
  // ("NumericCalculation" for `numericcalculation`), or empty.
  virtual std::string NotebookBesideButCase(std::string_view name) const {
    (void)name;
    return {};
  }
};

// Literal facts the environment needs from the notebook before it can answer.
struct ImportFacts {
  // Directories added with a literal sys.path.append/insert/extend, and the working directories
  // a literal `%cd DIR` or `os.chdir(DIR)` moves the kernel to (a kernel imports from its
  // working directory); relative to the notebook's directory when not absolute.
  std::vector<std::string> sys_path;
  // "%pip install ...", "!pip install ...", "!conda install ...": the text after the escape.
  std::vector<std::string> install_commands;
  // %%writefile cells: the file name as written and the offsets of the body in the buffer.
  struct WrittenFile {
    std::string path;
    Offset begin = 0;
    Offset end = 0;
    bool append = false;  // %%writefile -a: adds to what earlier cells wrote
  };
  std::vector<WrittenFile> written_files;
  // Module files the notebook downloads: the file names of URLs ending in ".py" in string
  // literals and shell commands ("!wget https://.../helpers.py", download("https://.../x.py")).
  std::vector<std::string> downloaded_files;
  // Module files beside the notebook that its code makes otherwise: copies ("!cp lib/x.py .",
  // shutil.copy(src, "x.py")), downloads to a name of its choosing (gdown.download(url,
  // "x.py"), "!wget -O x.py URL"), files it opens for writing (open("x.py", "w")).
  std::vector<std::string> made_files;
  // The notebook installs an import hook (sys.meta_path / sys.path_hooks): modules may come
  // from anywhere, such as other notebooks.
  bool import_hooks = false;
  // The notebook fetches code no one can list beforehand ("!git clone https://...", a
  // repository's archive from GitHub, GitLab or Bitbucket): a module found nowhere may be in it.
  bool fetches_files = false;
  // The notebook adds a directory to sys.path, or moves its working directory, that is not a
  // literal (`sys.path.append(PROJECT_ROOT)`, `os.chdir(ROOT_DIR)`): modules may come from a
  // directory no one can name beforehand.
  bool dynamic_search_path = false;
};

// One cell's parsed code, as the import pass sees it.
struct ImportCell {
  const Module* module = nullptr;
  uint32_t cell = 0;
};

// The notebook the ipynb package's `ipynb.fs.full.NAME` or `ipynb.fs.defs.NAME` imports from the
// working directory: NAME (NAME.ipynb); empty for any other module name.
std::string_view IpynbPackageNotebook(std::string_view dotted);

// Collects sys.path additions and install commands from the cells' code and escapes.
void CollectImportFacts(std::span<const ImportCell> cells, std::string_view buffer,
                        ImportFacts* facts);

// The directories a module's code adds to sys.path with literal paths, or moves the working
// directory to, when it runs (`sys.path.insert(0, os.path.join(os.path.dirname(__file__),
// '..'))` in a notebook's context.py): absolute when built from `file` (its __file__), else
// relative to the working directory. `dynamic`: it also adds one that is not a literal (or more
// than a few dozen).
void ModuleSearchPath(const Module* module, std::string_view buffer, std::string_view file,
                      std::vector<std::string>* paths, bool* dynamic);

// Counts for `cellflow stats`.
struct ImportCounts {
  uint32_t stdlib = 0;
  uint32_t local = 0;
  uint32_t third_party = 0;
  uint32_t unresolved = 0;
};

struct ImportRulesOptions {
  bool notebook = true;        // relative imports fail in a notebook (no parent package)
  bool import_hooks = false;   // ImportFacts::import_hooks: local submodules cannot be judged
  bool fetches_files = false;  // ImportFacts::fetches_files: an unresolved module may be fetched
  bool dynamic_search_path = false;  // ImportFacts::dynamic_search_path
  int python_minor = 12;             // decides `if sys.version_info ...:` branches
  bool file_order = true;            // cells run in file order (LocalModule::written_at applies)
  // A Databricks notebook: it runs on a Databricks runtime, whose packages (pyspark, delta,
  // mlflow, pandas, ...) no dependency file of the repository lists: NB203 does not apply.
  bool databricks = false;
  const Locator* locator = nullptr;  // for places in messages ("cell 3, line 1"); may be null
};

// NB201-NB204 for every import statement of the cells, and NB202 for `m.x` reads at module level
// where `m` is bound only by imports of the same local module. `module_unit`: the lowered module
// scope (for which names are bound by what).
void CheckImports(std::span<const ImportCell> cells, std::string_view buffer,
                  const Unit& module_unit, const ModuleEnvironment& env,
                  const ImportRulesOptions& options, std::vector<Diagnostic>* out,
                  ImportCounts* counts);

// The local module a module-level `from M import *` of another local module names (M as written,
// `level` its leading dots), or null when it is not one (or cannot be known).
using StarImportFinder = std::function<const LocalModule*(std::string_view module, int level)>;

// Fills the names, exports, dynamic flag of a parsed module (the caller sets name, path,
// display, is_package, submodules). The names of its module-level star imports are known when
// `find` gives a local module whose exports are known; any other star import makes the module
// dynamic.
void SummarizeModule(const Module* module, std::string_view buffer, LocalModule* out,
                     const StarImportFinder* find = nullptr);

// The absolute name `from <level dots><module> import ...` names in a module of `package` (the
// package the importing file is in; level >= 1): `module` in the package `level - 1` above it.
// False when that is above the top-level package.
bool ResolveRelativeImport(std::string_view package, std::string_view module, int level,
                           std::string* out);

// The value of a plain string literal (no f-string, no bytes), implicit concatenation included.
bool StringLiteralValue(const Expr* e, std::string_view buffer, std::string* out);

// Star imports and %run for the lowering: the names a local module exports, through `env`, and
// those of the standard-library modules StdlibStarExports knows under Python 3.`python_minor`.
class EnvironmentBindings : public BindingOracle {
 public:
  EnvironmentBindings(const ModuleEnvironment& env, int python_minor)
      : env_(env), python_minor_(python_minor) {}
  const std::vector<std::string>* StarNames(std::string_view module, int level) const override;
  const std::vector<std::string>* RunNames(std::string_view path) const override;
  const std::vector<std::string>* OwnNames(std::string_view module) const override;

 private:
  const ModuleEnvironment& env_;
  int python_minor_;
  // %run scripts' names and local modules' own names, sorted.
  mutable std::deque<std::vector<std::string>> names_;
};

}  // namespace cellflow

#endif  // CELLFLOW_PASSES_IMPORTS_H_
