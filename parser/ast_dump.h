// A readable, indented dump of the AST for `cellflow dump ast`.
#ifndef CELLFLOW_PARSER_AST_DUMP_H_
#define CELLFLOW_PARSER_AST_DUMP_H_

#include <ostream>
#include <string_view>

#include "lexer/source.h"
#include "parser/ast.h"

namespace cellflow {

// One node per line, children indented under their field name, each node with its
// line:col-line:col range (col: 0-based byte column) resolved through `lines`.
void DumpAst(const Module* module, std::string_view buffer, const LineIndex& lines,
             std::ostream& out);

}  // namespace cellflow

#endif  // CELLFLOW_PARSER_AST_DUMP_H_
