// Runs the whole pipeline on one notebook: parse each cell, build scopes, lower the cells in
// execution order, run the passes, and place every finding at cell, line and column.
#ifndef CELLFLOW_DRIVER_ANALYZE_H_
#define CELLFLOW_DRIVER_ANALYZE_H_

#include <ostream>
#include <string>
#include <vector>

#include "driver/notebook.h"
#include "passes/diagnostic.h"
#include "passes/imports.h"

namespace cellflow {

enum class CellOrder : uint8_t {
  kFile,      // "Restart Kernel and Run All"
  kExecuted,  // the author's order, from saved execution counts
};

class ImportContext;

struct AnalyzeOptions {
  CellOrder order = CellOrder::kFile;
  int python_minor = 12;  // --target-version 3.x
  // Import resolution (NB201-NB204, star imports and %run binding known names); null: imports
  // are not checked and star imports may bind anything.
  const ImportContext* imports = nullptr;
};

// A position for people: 1-based cell (0 for a script), line within the cell, column in code
// points, and the line of the raw file.
struct Position {
  uint32_t cell = 0;
  uint32_t line = 0;
  uint32_t column = 0;
  uint32_t file_line = 0;
};

struct PlacedRelated {
  Position position;
  std::string message;
};

struct Finding {
  Diagnostic diagnostic;
  Position start;
  Position end;
  std::string source_line;  // the line the finding is on, for the caret display
  std::vector<PlacedRelated> related;
};

struct NotebookReport {
  std::vector<Finding> findings;  // sorted by position
  bool skipped = false;           // not a Python notebook
  std::string skip_reason;
  // A cell order (1-based cell numbers, every cell) in which every name is defined before a
  // later cell reads it, as close to the file's order as possible; empty when the file's order
  // already works or no order can (a cycle).
  std::vector<uint32_t> suggested_order;
  ImportCounts imports;  // import statements by what they resolve to
};

NotebookReport AnalyzeNotebook(const Notebook& nb, const AnalyzeOptions& options);

// The cell dependency graph: an edge from cell A to cell B when B reads a name that A defines
// (at module level, in the chosen order). An edge is backward when A comes after B in the file:
// the notebook only works if A runs first.
struct GraphEdge {
  uint32_t from = 0;
  uint32_t to = 0;
  std::vector<std::string> names;  // sorted
  bool backward = false;
};
struct NotebookGraph {
  std::vector<GraphEdge> edges;  // sorted by (from, to)
};
NotebookGraph CellGraph(const Notebook& nb, const AnalyzeOptions& options);

// `cellflow dump ir`: the IR of the notebook's module scope and of every function body, with
// the versions that reach each read.
void DumpNotebookIr(const Notebook& nb, const AnalyzeOptions& options, std::ostream& out);

}  // namespace cellflow

#endif  // CELLFLOW_DRIVER_ANALYZE_H_
