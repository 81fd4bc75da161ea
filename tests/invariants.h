// Structural invariants that every parse result must keep, whatever the input: used by the
// tests and by the fuzz targets.
#ifndef CELLFLOW_TESTS_INVARIANTS_H_
#define CELLFLOW_TESTS_INVARIANTS_H_

#include <string>
#include <string_view>

#include "parser/parser.h"

namespace cellflow {

// Checks the result of Parse(text, ...) over the whole of `text`. Returns "" when every
// invariant holds, otherwise a description of the first violation found:
//   * tokens: each has start <= end, lies within the text, starts at or after the end of the
//     previous token that has a width (zero-width tokens may share offsets with their
//     neighbours), and the last one, only that one, is kEndOfFile;
//   * errors: each range has start <= end <= text.size();
//   * AST: every statement, expression, pattern, argument, keyword, alias and type parameter
//     range has start <= end, lies within the text, and lies within the range of the innermost
//     statement (or except handler) around it. Decorators are checked against the statement
//     around their def or class, since a def's range starts at "def" as in CPython;
//   * no ErrorStmt or ErrorExpr node when there are no errors.
std::string CheckParseInvariants(std::string_view text, const ParseResult& r);

}  // namespace cellflow

#endif  // CELLFLOW_TESTS_INVARIANTS_H_
