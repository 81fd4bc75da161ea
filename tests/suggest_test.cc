// Typo hints: SuggestionDistance on hand-computed values, BestSuggestion's cut-off and ties, and
// the baseline against CPython 3.11 itself (tests/suggest_cpython.py asks it for its NameError
// suggestion on generated namespaces and wrong names).
#include "passes/suggest.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"

#include "ir/scopes.h"
#include "lexer/str_util.h"
#include "parser/parser.h"
#include "passes/builtins.h"

namespace cellflow {
namespace {

constexpr size_t kNoLimit = 1000;

size_t Distance(std::string_view a, std::string_view b) {
  return SuggestionDistance(a, b, kNoLimit);
}

TEST(SuggestionDistance, HandComputedValues) {
  EXPECT_EQ(Distance("model", "model"), 0u);
  // A substitution that only changes case costs 1, any other costs 2.
  EXPECT_EQ(Distance("model", "Model"), 1u);
  EXPECT_EQ(Distance("MODEL", "model"), 5u);
  EXPECT_EQ(Distance("df", "DF"), 2u);
  EXPECT_EQ(Distance("model", "nodel"), 2u);
  EXPECT_EQ(Distance("learning_rate", "learning_Rat3"), 3u);  // R: 1, 3: 2
  // Insertion and deletion cost 2.
  EXPECT_EQ(Distance("session_conf", "session_conff"), 2u);
  EXPECT_EQ(Distance("session_conff", "session_conf"), 2u);
  EXPECT_EQ(Distance("lenght", "length"), 4u);  // a transposition: two substitutions
  EXPECT_EQ(Distance("kitten", "sitting"), 6u);
  EXPECT_EQ(Distance("", "abc"), 6u);
  EXPECT_EQ(Distance("abc", ""), 6u);
  // Characters 32 apart that are not letters are not a case change.
  EXPECT_EQ(Distance("x@", "x`"), 2u);
  EXPECT_EQ(Distance("a1", "aQ"), 2u);
  EXPECT_EQ(Distance("a_", "a\x7f"), 2u);
}

TEST(SuggestionDistance, StopsAboveTheLimit) {
  // Returns max_cost + 1 once the distance must exceed max_cost.
  EXPECT_EQ(SuggestionDistance("abcdef", "uvwxyz", 4), 5u);
  EXPECT_EQ(SuggestionDistance("xy", "abcdef", 6), 7u);  // the lengths alone cost 8
  // What is left after common affixes is all insertions: its cost, whatever the limit.
  EXPECT_EQ(SuggestionDistance("ab", "abcdef", 6), 8u);
  // Past common affixes, strings longer than 40 characters are never compared.
  std::string a = StrCat("x", std::string(40, 'a'), "x");
  std::string b = StrCat("y", std::string(40, 'a'), "y");
  EXPECT_EQ(SuggestionDistance(a, b, 10), 11u);
  EXPECT_EQ(
      SuggestionDistance(StrCat(std::string(50, 'a'), "x"), StrCat(std::string(50, 'a'), "y"), 10),
      2u);
}

TEST(BestSuggestion, CutOffTiesAndExactMatches) {
  std::vector<std::string_view> names = {"bin", "len", "min"};
  // All three are at distance 2: the first one wins.
  EXPECT_EQ(BestSuggestion("lin", names), "bin");
  // (len(name) + len(candidate) + 3) * 2 / 6: for "ab" and "xy" (2 + 2 + 3) * 2 / 6 = 2.
  std::vector<std::string_view> far = {"xy"};
  EXPECT_EQ(BestSuggestion("ab", far), "");
  std::vector<std::string_view> near = {"xb"};
  EXPECT_EQ(BestSuggestion("ab", near), "xb");
  // A closer candidate later in the list wins; the name itself is never suggested.
  std::vector<std::string_view> later = {"session_config", "session_conf", "session_conff"};
  EXPECT_EQ(BestSuggestion("session_conf", later), "session_conff");
  std::vector<std::string_view> none;
  EXPECT_EQ(BestSuggestion("x", none), "");
}

// ---- CPython 3.11

std::string SourceDir() {
  const char* dir = std::getenv("CELLFLOW_SOURCE_DIR");
  return dir != nullptr && *dir != '\0' ? dir : ".";
}

struct Pair {
  std::string wrong;
  std::string expected;            // CPython's suggestion, or empty
  std::vector<std::string> names;  // the namespace
};

std::vector<std::string_view> SplitOn(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t pos = 0;
  while (true) {
    size_t e = s.find(sep, pos);
    parts.push_back(s.substr(pos, e == std::string_view::npos ? e : e - pos));
    if (e == std::string_view::npos) break;
    pos = e + 1;
  }
  return parts;
}

// Runs the script (python3.11 if there is one, else python3); false with *why on failure.
bool RunScript(std::string* out, std::string* why) {
  std::string script = StrCat(SourceDir(), "/tests/suggest_cpython.py");
  std::string command = StrCat(
      "if command -v python3.11 >/dev/null 2>&1; then py=python3.11; else py=python3; fi; "
      "exec \"$py\" '",
      script, "'");
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    *why = "cannot start a shell";
    return false;
  }
  char buffer[1 << 16];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out->append(buffer, n);
  int status = pclose(pipe);
  if (status != 0) {
    *why = StrCat(script, " failed (wait status ", status,
                  "): it needs Python 3.11 as python3.11 or python3; see its message above");
    return false;
  }
  return true;
}

// What cellflow's baseline suggests: the best of the globals (sorted, as dir() shows them), else
// the best of the builtins of 3.11.
std::string_view CellflowBaseline(const Pair& p, const std::vector<std::string_view>& builtins) {
  std::vector<std::string_view> globals(p.names.begin(), p.names.end());
  std::sort(globals.begin(), globals.end());
  std::string_view best = BestSuggestion(p.wrong, globals);
  if (best.empty()) best = BestSuggestion(p.wrong, builtins);
  return best;
}

TEST(SuggestionBaseline, MatchesCPython311) {
  std::string output;
  std::string why;
  if (!RunScript(&output, &why)) GTEST_SKIP() << why;
  std::vector<Pair> pairs;
  for (std::string_view line : SplitOn(output, '\n')) {
    if (line.empty()) continue;
    std::vector<std::string_view> fields = SplitOn(line, '\t');
    ASSERT_EQ(fields.size(), 3u) << "malformed row: " << line;
    Pair p{std::string(fields[0]), std::string(fields[1]), {}};
    for (std::string_view name : SplitOn(fields[2], ' ')) {
      if (!name.empty()) p.names.emplace_back(name);
    }
    ASSERT_FALSE(p.wrong.empty()) << "malformed row: " << line;
    pairs.push_back(std::move(p));
  }
  ASSERT_GE(pairs.size(), 2000u) << "the script printed too few pairs";

  std::vector<std::string_view> builtins = BuiltinNames(11);  // CPython's dict order
  size_t mismatches = 0;
  std::string shown;
  for (const Pair& p : pairs) {
    std::string_view ours = CellflowBaseline(p, builtins);
    if (ours == p.expected) continue;
    if (++mismatches > 20) continue;
    StrAppend(&shown, "  '", p.wrong, "': CPython '", p.expected, "'");
    if (!p.expected.empty()) StrAppend(&shown, " (distance ", Distance(p.wrong, p.expected), ")");
    StrAppend(&shown, ", cellflow '", ours, "'");
    if (!ours.empty()) StrAppend(&shown, " (distance ", Distance(p.wrong, ours), ")");
    StrAppend(&shown, "; ", p.names.size(), " globals:");
    for (const std::string& n : p.names) StrAppend(&shown, " ", n);
    StrAppend(&shown, "\n");
  }
  std::cout << "[ BASELINE ] " << pairs.size() << " pairs compared with CPython 3.11, "
            << mismatches << " mismatches\n";
  EXPECT_EQ(mismatches, 0u) << "first " << std::min<size_t>(mismatches, 20)
                            << " of the mismatches:\n"
                            << shown;
}

// `statement` parses and binds exactly `name`.
void ExpectBindsOnly(std::string_view statement, std::string_view name) {
  Arena arena;
  ParseResult parsed = Parse(statement, 0, static_cast<Offset>(statement.size()), &arena, {});
  ASSERT_TRUE(parsed.errors.empty()) << statement;
  std::unique_ptr<ScopeTree> scopes = BuildScopes(parsed.module, statement);
  const auto& symbols = scopes->module()->symbols;
  ASSERT_EQ(symbols.size(), 1u) << statement;
  EXPECT_EQ(symbols[0].name, name);
}

// Every conventional import parses and binds exactly the name it is suggested for.
TEST(ConventionalImportTest, EveryStatementBindsItsName) {
  std::vector<std::string_view> aliases = ConventionalAliases();
  ASSERT_GE(aliases.size(), 80u);
  for (std::string_view alias : aliases) {
    SCOPED_TRACE(alias);
    ExpectBindsOnly(ConventionalImport(alias), alias);
    EXPECT_EQ(std::count(aliases.begin(), aliases.end(), alias), 1) << "listed twice";
  }
  EXPECT_EQ(ConventionalImport("numpy_array"), "");
}

// The same for the standard library names: each statement binds its name, in no other table.
TEST(ConventionalImportTest, EveryStandardMemberStatementBindsItsName) {
  std::vector<std::string_view> names = StandardMemberNames();
  std::vector<std::string_view> aliases = ConventionalAliases();
  ASSERT_GE(names.size(), 30u);
  for (std::string_view name : names) {
    SCOPED_TRACE(name);
    ExpectBindsOnly(StandardMemberImport(name), name);
    EXPECT_EQ(std::count(names.begin(), names.end(), name), 1) << "listed twice";
    EXPECT_EQ(std::count(aliases.begin(), aliases.end(), name), 0) << "also a conventional alias";
  }
  EXPECT_EQ(StandardMemberImport("products"), "");
}

}  // namespace
}  // namespace cellflow
