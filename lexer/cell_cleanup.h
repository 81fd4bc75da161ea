// IPython's cleanup of a cell before it compiles it (IPython.core.inputtransformer2's
// leading_indent, classic_prompt and ipython_prompt), as text the lexer skips at line starts.
#ifndef CELLFLOW_LEXER_CELL_CLEANUP_H_
#define CELLFLOW_LEXER_CELL_CLEANUP_H_

#include <cstddef>
#include <string_view>

namespace cellflow {

struct CellCleanup {
  // The leading whitespace of the cell's first non-blank line: removed from every line that
  // starts with it, so that a cell indented as a whole runs.
  std::string_view indent;
  // Pasted interpreter sessions: ">>> " and "... " (doctest), "In [3]: " and "   ...: ".
  bool classic_prompts = false;
  bool ipython_prompts = false;

  bool active() const { return !indent.empty() || classic_prompts || ipython_prompts; }
  // Where the line that starts at `p` (< end) continues once cleaned up.
  size_t Skip(std::string_view buffer, size_t p, size_t end) const;
};

// What IPython removes from the cell buffer[begin, end).
CellCleanup FindCellCleanup(std::string_view buffer, size_t begin, size_t end);

}  // namespace cellflow

#endif  // CELLFLOW_LEXER_CELL_CLEANUP_H_
