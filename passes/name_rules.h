// The name rules NB101-NB106 over the lowered program: reads of names no definition reaches,
// with the cause (nothing defines it, it is defined later, on some paths only, deleted, a
// script-only name, or a function called too early) and a fix.
#ifndef CELLFLOW_PASSES_NAME_RULES_H_
#define CELLFLOW_PASSES_NAME_RULES_H_

#include <cstdint>
#include <span>
#include <vector>

#include "ir/lower.h"
#include "passes/diagnostic.h"

namespace cellflow {

// Turns offsets into what messages say ("cell 4", "line 2").
class Locator {
 public:
  virtual ~Locator() = default;
  virtual uint32_t CellOf(Offset offset) const = 0;  // 0 for a script
  virtual uint32_t LineOf(Offset offset) const = 0;  // 1-based, within the cell
};

struct NameRulesOptions {
  int python_minor = 12;    // target version 3.x: its builtins
  bool notebook = true;     // a kernel: In/Out/_N/display exist, __file__ does not
  bool databricks = false;  // a Databricks notebook: spark, dbutils, ... exist too
  bool spark = false;       // a Spark kernel: spark, sc, sqlContext, ... exist too
  // The names local modules define (BindingOracle::OwnNames), for hints such as
  // 'helpers.load_data' for `load_data` after `import helpers`; null: no local module's (the
  // standard library's modules of such hints need no oracle).
  const BindingOracle* modules = nullptr;
  // The cells that do not parse, sorted: they fail as a whole, so their reads are not findings
  // (and a name's first read there does not hide a later one).
  std::span<const Range> broken_cells;
  // Messages, related locations, notes and help. Without them a diagnostic has only its rule,
  // range and symbol (all a caller that only counts or filters findings needs).
  bool explain = true;
  // Reads inside function bodies (and the lambdas in them) are findings where they are. Off
  // for the hidden-state replay: a cell that ran without error ran its module-level code (and,
  // as a rule, the lambdas in it), not the bodies of the functions it defined. Then a body's
  // read of a name nothing defines is reported (NB101, once per name) only when module-level
  // code calls the function, with that call as its first related location (the message then
  // holds the callee's name).
  bool function_bodies = true;
  // Names that cells outside this run bind (with --order executed, the cells the saved run never
  // ran): the notebook defines them, so a function's read of one is not a name nothing defines.
  std::span<const std::string_view> bound_elsewhere;
};

void CheckNames(Program* program, const Locator& locator, const NameRulesOptions& options,
                std::vector<Diagnostic>* out);

}  // namespace cellflow

#endif  // CELLFLOW_PASSES_NAME_RULES_H_
