// A finding about the user's code: a rule, a place, a message, and the notes and help that
// explain it. Positions are byte offsets into the notebook's buffer; the reporters turn them
// into cell, line and column.
#ifndef CELLFLOW_PASSES_DIAGNOSTIC_H_
#define CELLFLOW_PASSES_DIAGNOSTIC_H_

#include <string>
#include <vector>

#include "parser/ast.h"
#include "passes/rules.h"

namespace cellflow {

struct RelatedLocation {
  Range range;
  std::string message;  // "'data' is defined here"
};

struct Diagnostic {
  RuleId rule = RuleId::kUndefinedName;
  Range range;
  std::string message;                   // stands alone: "name 'x' is not defined"
  std::string symbol;                    // the name concerned, if any
  std::string help;                      // the fix: "did you mean 'x'?"
  std::vector<RelatedLocation> related;  // notes with a place
  std::vector<std::string> notes;        // notes without one
};

}  // namespace cellflow

#endif  // CELLFLOW_PASSES_DIAGNOSTIC_H_
