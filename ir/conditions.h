// Facts about the tests of if statements, for the lowering: tests decided before running
// (constants, sys.version_info under the target version), and correlated branches (a second
// `if flag:` whose names nothing rebound since the first takes the branch the first took; a
// loop's first-iteration flag), and what code does with the module's namespace (reads of it,
// `'x' in globals()` tests, writes through the module object).
#ifndef CELLFLOW_IR_CONDITIONS_H_
#define CELLFLOW_IR_CONDITIONS_H_

#include <functional>
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

// `try: import x; FLAG = True` / `except ImportError: FLAG = False` (or `FLAG = True` in the
// try's else): the flag that is true exactly when the try body ran to its end, and (appended to
// *bound) the names the body bound directly before it set the flag. Empty when `t` is not the
// idiom.
std::string_view TrySuccessFlag(const TryStmt* t, std::vector<std::string_view>* bound);

// The truth value of a test that is decided before running: constants, TYPE_CHECKING (false
// at run time), `not` of those, and `__name__ == "__main__"` (true in a kernel and a script).
std::optional<bool> ConstantTruth(const Expr* test);

// A comparison of sys.version_info (`sys.version_info >= (3, 8)`, `sys.version_info[0] == 2`,
// `sys.version_info[:2] < (3, 10)`, `sys.version_info.major >= 3`) under Python 3.`minor`:
// its value, or nullopt when it is not one or depends on more than the minor version.
std::optional<bool> VersionTest(const Expr* test, std::string_view buffer, int minor);

// ConstantTruth, else VersionTest: whether an if statement's test is decided before running.
std::optional<bool> DecidedTruth(const Expr* test, std::string_view buffer, int minor);

// The text of a plain string literal: one quoted piece ('...' or "..."), without a prefix,
// escapes or implicit joining; nullopt for other expressions.
std::optional<std::string_view> PlainStringText(const Expr* e, std::string_view buffer);

// A literal a straight-line assignment can give a name for LiteralComparison: a string
// without escapes, a decimal int, True, False or None.
bool IsComparableLiteral(const Expr* e, std::string_view buffer);

// `name == 'daily'`, `name != 2`, `name in ('a', 'b')`, `name is None` (or the literal first),
// where `value_of` gives the literal the name holds (IsComparableLiteral), or null when it is
// not known: the test's value, or nullopt when it is not such a comparison.
std::optional<bool> LiteralComparison(const Expr* test, std::string_view buffer,
                                      const std::function<const Expr*(std::string_view)>& value_of);

// The truth value of a literal: a constant (True, None, 0, '', 'text'), or a list, tuple, set
// or dict display, empty or not (a starred item or ** leaves it unknown); nullopt for other
// expressions.
std::optional<bool> LiteralTruth(const Expr* e, std::string_view buffer);

// `get_ipython()`: the kernel's shell, whose methods run magics and commands.
bool IsGetIpythonCall(const Expr* e);

// A callee that only reads the object it is given and keeps no reference that could change it
// later: print(globals()), sorted(globals()), len(globals()).
bool ReadsItsArgumentsOnly(const Expr* func);

// A method of the namespace dict that reads it: globals().get(name), globals().keys().
bool IsDictReader(std::string_view method);

// The module whose globals the code runs in, named as an object: `__main__` (after
// `import __main__`; a kernel runs cells in __main__), `sys.modules[__name__]`,
// `sys.modules["__main__"]`.
bool IsMainModule(const Expr* e, std::string_view buffer);

// A module whose attributes are names every global scope sees: the builtins (`builtins`,
// `__builtins__`), or IsMainModule.
bool IsNamespaceModule(const Expr* e, std::string_view buffer);

// The module's globals as a dict: globals(), vars(m) and m.__dict__ of the module itself
// (IsMainModule), and, where code runs at module level (`module_level`), locals() and vars().
bool IsGlobalsDict(const Expr* e, std::string_view buffer, bool module_level);

// The identifier a plain string literal ('name' or "name") holds, else empty.
std::string_view StringConstantName(const Expr* e, std::string_view buffer);

// What every name a key built from a literal start begins with: f"df_{k}", "df_" + k,
// "df_%s" % k, "df_{}".format(k) give "df_". Empty when the key does not start with a literal
// identifier start (or is not built so).
std::string_view NamePrefix(const Expr* key, std::string_view buffer);

// `'name' in globals()` (or another IsGlobalsDict, or dir(); `not in`, `not (...)`;
// *negated when the test is true without the name): the name when `test` asks whether the
// namespace binds it, else empty.
std::string_view NamespaceMembership(const Expr* test, std::string_view buffer, bool* negated);

// The test's source text (in `buffer`) without blanks and line continuations outside string
// literals: equal keys are the same test.
std::string TestKey(std::string_view buffer, const Expr* test);

}  // namespace cellflow

#endif  // CELLFLOW_IR_CONDITIONS_H_
