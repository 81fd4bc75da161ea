// Recursive-descent parser for Python 3.8-3.13 (and IPython escapes) producing the AST.
#ifndef CELLFLOW_PARSER_PARSER_H_
#define CELLFLOW_PARSER_PARSER_H_

#include <string_view>
#include <vector>

#include "lexer/lexer.h"
#include "parser/arena.h"
#include "parser/ast.h"

namespace cellflow {

struct ParseOptions {
  bool ipython = false;  // lex IPython escapes (notebook cells)
  // Nesting of expressions, patterns and blocks beyond which parsing stops with an error instead
  // of exhausting the stack. CPython's own limits (200 brackets, 100 indents) come first.
  int max_depth = 2000;
};

struct ParseResult {
  Module* module = nullptr;  // never null; statements that failed are ErrorStmt
  // Lexer and parser errors, in source order. CPython reports errors[0]; later entries come
  // from the statements after it (recovery at statement boundaries).
  std::vector<SyntaxDiagnostic> errors;

  bool ok() const { return errors.empty(); }
};

// Parses buffer[begin, end). Nodes go into `arena`; they and the result's views point into
// `buffer`, which must outlive them. Never fails and never throws: invalid input yields a
// partial tree plus errors, whatever the bytes (NUL, bad UTF-8, 100k nested brackets).
ParseResult Parse(std::string_view buffer, Offset begin, Offset end, Arena* arena,
                  const ParseOptions& options = {});

// Convenience: the whole buffer.
inline ParseResult Parse(std::string_view buffer, Arena* arena, const ParseOptions& options = {}) {
  return Parse(buffer, 0, static_cast<Offset>(buffer.size()), arena, options);
}

}  // namespace cellflow

#endif  // CELLFLOW_PARSER_PARSER_H_
