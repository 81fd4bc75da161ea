// Helpers shared by the dependency readers (driver/deps_*.cc), not an interface of its own:
// text handling, PEP 508 requirement names, conda specs, and pip's requirement-line syntax.
#ifndef CELLFLOW_DRIVER_DEPS_INTERNAL_H_
#define CELLFLOW_DRIVER_DEPS_INTERNAL_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "driver/deps.h"
#include "lexer/str_util.h"

namespace cellflow::deps_internal {

// Files larger than this are not dependency files anyone wrote; they are skipped with a problem.
inline constexpr uintmax_t kMaxFileBytes = 16 << 20;

inline bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }
inline bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool StartsWith(std::string_view s, std::string_view prefix);
bool EndsWith(std::string_view s, std::string_view suffix);
std::string Lower(std::string_view s);
// Splits text into lines at "\n", "\r\n" or "\r".
std::vector<std::string_view> Lines(std::string_view text);
// The part of a line before a comment: a '#' at the start or after whitespace.
std::string_view StripHashComment(std::string_view line);
// `s` shortened and with control characters replaced, for quoting in a problem message.
std::string Excerpt(std::string_view s);
// "line N: message".
std::string LineProblem(size_t line, std::string_view message);

// What a requirement string names.
enum class RequirementKind {
  kName,     // a distribution
  kLocal,    // a local path without a name ("." or "./pkg"): nothing to declare, no problem
  kInvalid,  // not a requirement
};
struct RequirementResult {
  RequirementKind kind = RequirementKind::kInvalid;
  std::string name = {};  // normalized, for kName
  std::string also = {};  // a second guess for a VCS URL without a name ("owner-repo"), or empty
};

// Letters, digits, '-', '_' and '.'.
bool IsNameChar(char c);
// The length of the PEP 508 name at the start of `s` (starting and ending with a letter or a
// digit), 0 if there is none.
size_t NameLength(std::string_view s);
// `name` as a whole must be a distribution name.
RequirementResult NameResult(std::string_view name);
// A requirement as pip reads it: PEP 508, or a URL or path (see RequirementName).
RequirementResult ParseRequirement(std::string_view requirement);
// The name of a conda match spec, normalized and mapped to its PyPI name; empty for python
// itself and for what is not a spec.
std::string CondaSpecName(std::string_view spec);

// Add the named distribution to `out`, or a problem on `line` if the text names none (local
// paths are not problems).
void AddRequirement(std::string_view requirement, size_t line, DependencyParse* out);
void AddCondaSpec(std::string_view spec, size_t line, DependencyParse* out);

// One logical line of a requirements file: a requirement or options (-r, -c, -e, -i, ...).
void ParseRequirementLine(std::string_view line, size_t number, DependencyParse* out);

// pip's options, as requirements files and `pip install` take them.
enum class PipArg { kNone, kIgnored, kRequirementFile, kConstraintFile, kEditable };
struct PipOption {
  std::string_view name;  // "-r" or "--requirement"
  PipArg arg;             // what its argument is
};
// The option that takes an argument named `name`, or null.
const PipOption* FindPipOption(std::string_view name);
// True for options without an argument (--pre, -U, -q, -qU, ...).
bool IsPipFlag(std::string_view name);
// Applies option `o` with argument `arg`: a requirements file to read, an editable requirement.
void ApplyPipOption(const PipOption& o, std::string_view arg, size_t line, DependencyParse* out);

}  // namespace cellflow::deps_internal

#endif  // CELLFLOW_DRIVER_DEPS_INTERNAL_H_
