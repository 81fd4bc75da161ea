// Facts about the tests of if statements, for the lowering's correlated branches: a second
// `if flag:` whose names nothing rebound since the first takes the branch the first took.
#ifndef CELLFLOW_IR_CONDITIONS_H_
#define CELLFLOW_IR_CONDITIONS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/ast.h"

namespace cellflow {

// A test made only of names, attributes, constants, comparisons and `and`/`or`/`not`:
// evaluating it again gives the same answer while its names keep their values.
bool StableTest(const Expr* test);

// Appends the names a stable test reads.
void TestNames(const Expr* test, std::vector<std::string_view>* out);

// Appends the names the statements of `body` bind whenever `body` runs to its end: its own
// assignments, imports, defs and classes, not those nested in its branches or loops, less
// what it deletes after binding.
void BoundDirectly(StmtList body, std::vector<std::string_view>* out);

// `if first:` or `if not first:` (*negated): the flag's name, else empty.
std::string_view FlagTest(const Expr* test, bool* negated);

// The truth of the constant (True, False, None) one of the statements of `body` itself assigns
// to `flag`, if one does. With FlagTest: the first-iteration idiom (`first = True` before a
// loop, `if first: ...; first = False` in it, or `done = False` ... `if not done: ...;
// done = True`), whose other branch runs only after the branch that flips the flag has.
std::optional<bool> FlagAssigned(StmtList body, std::string_view flag);

// The test's source text (in `buffer`) without blanks and line continuations: equal keys are
// the same test.
std::string TestKey(std::string_view buffer, const Expr* test);

}  // namespace cellflow

#endif  // CELLFLOW_IR_CONDITIONS_H_
