// Lowering the AST of a notebook's cells (in execution order) to IR units: one for the module
// scope across all cells, one per function or lambda body.
#ifndef CELLFLOW_IR_LOWER_H_
#define CELLFLOW_IR_LOWER_H_

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"

#include "ir/ir.h"
#include "ir/scopes.h"
#include "parser/arena.h"
#include "parser/ast.h"

namespace cellflow {

// One piece of code that runs as a whole: a notebook cell, or a script.
struct CodeCell {
  const Module* module = nullptr;  // may be partial (statements that failed are ErrorStmt)
  const ScopeTree* scopes = nullptr;
  uint32_t cell = 0;  // 1-based cell index (0 for a plain script)
  // Magic lines of a cell magic that binds a name (%%capture out): names bound at its start.
  std::vector<std::pair<std::string_view, Range>> magic_bindings;
  // The cell is one line of IPython code: its automagic applies (`pwd()` runs %pwd).
  bool one_line = false;
};

// What a star import or `%run` binds, when the surroundings tell (a local module's exports, a
// script's top-level names). The strings must outlive the Program.
class BindingOracle {
 public:
  virtual ~BindingOracle() = default;
  // `from module import *` (`level` leading dots): the names it binds, or null when unknown.
  virtual const std::vector<std::string>* StarNames(std::string_view module, int level) const = 0;
  // `%run path`: the script's top-level names, or null when unknown.
  virtual const std::vector<std::string>* RunNames(std::string_view path) const = 0;
  // The public names a local module `module` (absolute, dotted) defines itself, not those it
  // imports; null when unknown or not a local module.
  virtual const std::vector<std::string>* OwnNames(std::string_view module) const {
    (void)module;
    return nullptr;
  }
};

struct LowerOptions {
  // The buffer the cells were parsed from (to parse the Python inside line magics such as
  // %time and %timeit) and an arena for those snippets.
  std::string_view buffer;
  Arena* arena = nullptr;
  // Null: every star import and %run may bind any name.
  const BindingOracle* bindings = nullptr;
  // The Python 3 minor version the code runs under: `if sys.version_info >= (3, 8):` is decided
  // by it.
  int python_minor = 12;
};

struct Program {
  Unit module;
  std::vector<std::unique_ptr<Unit>> functions;  // every def / lambda body, in source order
  absl::flat_hash_map<const void*, const Unit*> unit_of;  // FunctionDefStmt / Lambda → unit
  // Scope trees of code parsed out of magics (kept alive for the units that point into them).
  std::vector<std::unique_ptr<ScopeTree>> snippet_scopes;
};

std::unique_ptr<Program> Lower(std::span<const CodeCell> cells, const LowerOptions& options);

// True if the body of `definition` (a def or class, nested code included), when it runs, can bind
// module globals that no statement names: `globals()[name] = ...`, `globals().update(...)`,
// `globals()` handed to a call (`exec(source, globals())`), `setattr(sys.modules[...], ...)`.
// `buffer` holds the code's text.
bool WritesGlobals(const Stmt* definition, std::string_view buffer);

// The module-level functions of `program` that bind globals dynamically (WritesGlobals; only
// functions whose unit has a wildcard are read again), and those that call one, sorted.
std::vector<std::string_view> GlobalWriters(const Program& program, std::string_view buffer);

// The magic an escape runs: "timeit" for "%timeit f()" and "%%timeit", "run" for the automagic
// "run x.py" (a view into `escape`).
std::string_view EscapeMagicName(std::string_view escape);

// autoreload's `%aimport a.b, c`: the modules it imports ("a.b", "c"; views into `args`, the text
// after the magic's name). `-m` (do not reload m) imports nothing.
std::vector<std::string_view> AimportModules(std::string_view args);

// "%time x = f()" → the Python after the magic's name, when that magic runs Python code
// (time, timeit, prun, debug, memory_profiler's memit and mprun, line_profiler's lprun; options
// like -n 10 are skipped). For a cell magic, the setup statement of %%timeit and %%memit. For
// IPython's autocall ("/f x", ",f a b", ";f a b"), the function's name. Empty otherwise.
std::string_view MagicPythonArgument(std::string_view escape, Offset* skipped);

// The names rpy2's `%R` / `%%R` options copy from R into the user namespace: each of
// "-o a,b", "--output a", "--output=a", and the older "-d"/"--dataframe" (views into `args`,
// the text after the magic's name).
std::vector<std::string_view> RMagicOutputs(std::string_view args);

// ipython-sql's and jupysql's `%sql result << SELECT ...` / `%%sql result <<`: the variable that
// receives the query's result (a view into `args`, the text after the magic's name), or empty.
std::string_view SqlMagicTarget(std::string_view args);

// google-cloud-bigquery's `%%bigquery df --project p` (also `%%bigquery --project p df`): the
// variable that receives the query's DataFrame, its one positional argument (a view into
// `args`, the text after the magic's name), or empty.
std::string_view BigQueryMagicTarget(std::string_view args);

}  // namespace cellflow

#endif  // CELLFLOW_IR_LOWER_H_
