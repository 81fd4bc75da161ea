// The name rules NB101-NB106 on the fixture notebooks of tests/fixtures/names/, and the import
// rules NB201-NB204 on tests/fixtures/imports/*/notebook.py (each beside the modules and
// dependency files it imports): jupytext percent scripts in which every line that must produce
// a finding ends with "# expect: NB101" (several codes separated by commas), and every other
// line must produce none. Also: every name and import rule has a fixture, and the messages say
// where the definition is and how to fix the notebook.
#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "driver/analyze.h"
#include "driver/environment.h"
#include "driver/notebook.h"
#include "ir/conditions.h"
#include "ir/lower.h"
#include "lexer/str_util.h"
#include "parser/parser.h"
#include "passes/distributions.h"
#include "passes/rules.h"
#include "tests/temp_dir.h"

namespace cellflow {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// "CODE symbol" of each finding, in order.
std::vector<std::string> CodesAndSymbols(const NotebookReport& report) {
  std::vector<std::string> out;
  for (const Finding& f : report.findings) {
    out.push_back(StrCat(GetRule(f.diagnostic.rule).code, " ", f.diagnostic.symbol));
  }
  return out;
}

// "symbol: help" of each finding, in order.
std::vector<std::string> SymbolsAndHelps(const NotebookReport& report) {
  std::vector<std::string> out;
  for (const Finding& f : report.findings) {
    out.push_back(StrCat(f.diagnostic.symbol, ": ", f.diagnostic.help));
  }
  return out;
}

// Fixtures whose expectations state the correct behaviour, which cellflow does not have yet.
// Each one must still fail: once it passes, its test fails until it is removed from here.
struct KnownFailure {
  std::string_view file;
  std::string_view why;
};
// Fixtures whose expectations cellflow does not meet yet: {file, why}. Their test passes
// only while the fixture still differs, so a fix must remove the entry.
constexpr std::array<KnownFailure, 0> kKnownFailures{};

const KnownFailure* FindKnownFailure(std::string_view file) {
  for (const KnownFailure& k : kKnownFailures) {
    if (k.file == file) return &k;
  }
  return nullptr;
}

std::string SourceDir() {
  const char* dir = std::getenv("CELLFLOW_SOURCE_DIR");
  return dir != nullptr && *dir != '\0' ? dir : ".";
}

std::string FixtureDir() { return StrCat(SourceDir(), "/tests/fixtures"); }

// The fixture files relative to FixtureDir(), sorted: names/*.py and imports/*/notebook.py;
// empty when the directories are missing.
std::vector<std::string> FixtureFiles() {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(FixtureDir() + "/names", ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".py") {
      files.push_back("names/" + entry.path().filename().string());
    }
  }
  for (const auto& entry : std::filesystem::directory_iterator(FixtureDir() + "/imports", ec)) {
    if (entry.is_directory() && std::filesystem::exists(entry.path() / "notebook.py")) {
      files.push_back("imports/" + entry.path().filename().string() + "/notebook.py");
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool IsImportFixture(std::string_view file) { return file.substr(0, 8) == "imports/"; }

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = std::move(ss).str();
  return !in.bad();
}

std::string_view Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// The lines of `text` without their terminators, 0-based.
std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.emplace_back(line);
    pos = nl + 1;
  }
  return lines;
}

// A finding, as the fixtures state them.
struct Key {
  uint32_t cell = 0;
  uint32_t line = 0;  // within the cell
  std::string code;
  auto operator<=>(const Key&) const = default;
};

struct Fixture {
  std::string file;
  std::string text;
  Notebook notebook;
  std::vector<std::string> lines;  // of the file
  std::vector<Key> expected;       // sorted
  std::set<std::string> expected_codes;
  std::vector<std::string> problems;  // malformed markers, unreadable file
};

constexpr std::string_view kMarker = "# expect:";

// Reads a fixture and its expectations: each "# expect:" comment is placed at the cell and the
// line within the cell that the reader made of its file line.
Fixture LoadFixture(const std::string& file) {
  Fixture fx;
  fx.file = file;
  std::string path = StrCat(FixtureDir(), "/", file);
  if (!ReadFile(path, &fx.text)) {
    fx.problems.push_back(StrCat("cannot read ", path, " (set CELLFLOW_SOURCE_DIR)"));
    return fx;
  }
  NotebookReader reader;
  absl::StatusOr<Notebook> nb = reader.Read(path, fx.text);
  if (!nb.ok()) {
    fx.problems.push_back(StrCat("cannot read ", path, ": ", std::string(nb.status().message())));
    return fx;
  }
  fx.notebook = *std::move(nb);
  if (fx.notebook.format != NotebookFormat::kPercentScript) {
    fx.problems.push_back("not a percent script: it needs \"# %%\" cell markers");
  }
  // File line (1-based) → code cell and line within it.
  std::map<uint32_t, std::pair<uint32_t, uint32_t>> place;
  for (const Cell& cell : fx.notebook.cells) {
    if (!cell.IsCode()) continue;
    std::span<const uint32_t> raw_lines = fx.notebook.RawLines(cell);
    for (size_t k = 0; k < raw_lines.size(); ++k) {
      place[raw_lines[k]] = {cell.index, static_cast<uint32_t>(k + 1)};
    }
  }
  fx.lines = Lines(fx.text);
  for (size_t i = 0; i < fx.lines.size(); ++i) {
    std::string_view line = fx.lines[i];
    size_t at = line.find(kMarker);
    if (at == std::string_view::npos) continue;
    auto file_line = static_cast<uint32_t>(i + 1);
    auto it = place.find(file_line);
    if (it == place.end()) {
      fx.problems.push_back(StrCat("line ", file_line, ": marker outside a code cell"));
      continue;
    }
    std::string_view codes = line.substr(at + kMarker.size());
    bool any = false;
    bool bad = false;
    while (!codes.empty()) {
      size_t comma = codes.find(',');
      std::string_view code = Trim(codes.substr(0, comma));
      codes = comma == std::string_view::npos ? std::string_view() : codes.substr(comma + 1);
      if (code.empty() || FindRule(code) == nullptr || code.substr(0, 2) != "NB") {
        fx.problems.push_back(
            StrCat("line ", file_line, ": '", code, "' is not a rule code (\"# expect: NB101\")"));
        bad = true;
        continue;
      }
      fx.expected.push_back({it->second.first, it->second.second, std::string(code)});
      fx.expected_codes.insert(std::string(code));
      any = true;
    }
    if (!any && !bad) fx.problems.push_back(StrCat("line ", file_line, ": marker without a code"));
  }
  std::sort(fx.expected.begin(), fx.expected.end());
  return fx;
}

// Import fixtures resolve imports against their directory; name fixtures do not.
AnalyzeOptions FixtureOptions(std::string_view file = {}) {
  static const ImportContext* imports = new ImportContext(ImportOptions{});
  AnalyzeOptions options;
  options.order = CellOrder::kFile;
  options.python_minor = 12;
  if (IsImportFixture(file)) options.imports = imports;
  return options;
}

// The codes a fixture is compared on: syntax errors and the name rules, the import rules for
// import fixtures, and whatever else it expects. Execution counts are not the fixtures' subject.
bool Compared(const Fixture& fx, std::string_view code) {
  return code.substr(0, 3) == "NB0" || code.substr(0, 3) == "NB1" ||
         (IsImportFixture(fx.file) && code.substr(0, 3) == "NB2") ||
         fx.expected_codes.contains(std::string(code));
}

// The file line of a cell's line, for messages (0 if unknown).
uint32_t FileLine(const Fixture& fx, uint32_t cell, uint32_t line) {
  for (const Cell& c : fx.notebook.cells) {
    std::span<const uint32_t> raw_lines = fx.notebook.RawLines(c);
    if (c.index == cell && line >= 1 && line <= raw_lines.size()) return raw_lines[line - 1];
  }
  return 0;
}

std::string Describe(const Fixture& fx, const Key& key) {
  uint32_t file_line = FileLine(fx, key.cell, key.line);
  std::string_view source;
  if (file_line >= 1 && file_line <= fx.lines.size()) source = Trim(fx.lines[file_line - 1]);
  return StrCat(fx.file, ":", file_line, " (cell ", key.cell, ", line ", key.line, ") ", key.code,
                "  | ", source);
}

// What the fixture expects and cellflow does not report, and what it reports unexpectedly;
// empty when they agree.
std::string Diff(const Fixture& fx) {
  NotebookReport report = AnalyzeNotebook(fx.notebook, FixtureOptions(fx.file));
  std::vector<Key> actual;
  std::multimap<Key, std::string> messages;
  for (const Finding& f : report.findings) {
    std::string code(GetRule(f.diagnostic.rule).code);
    if (!Compared(fx, code)) continue;
    Key key{f.start.cell, f.start.line, code};
    actual.push_back(key);
    messages.emplace(key, f.diagnostic.message);
  }
  std::sort(actual.begin(), actual.end());
  std::vector<Key> missing;
  std::vector<Key> unexpected;
  std::set_difference(fx.expected.begin(), fx.expected.end(), actual.begin(), actual.end(),
                      std::back_inserter(missing));
  std::set_difference(actual.begin(), actual.end(), fx.expected.begin(), fx.expected.end(),
                      std::back_inserter(unexpected));
  std::string diff;
  for (const Key& k : missing) StrAppend(&diff, "  missing     ", Describe(fx, k), "\n");
  // Equal keys: their messages in turn.
  std::map<Key, int> shown;
  for (const Key& k : unexpected) {
    auto [first, last] = messages.equal_range(k);
    int skip = shown[k]++;
    while (first != last && skip-- > 0) ++first;
    StrAppend(&diff, "  unexpected  ", Describe(fx, k), "\n");
    if (first != last) StrAppend(&diff, "              cellflow: ", first->second, "\n");
  }
  return diff;
}

std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name;
  for (char c : info.param.substr(0, info.param.rfind('.'))) {
    name.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  }
  return name;
}

class NameFixtureTest : public ::testing::TestWithParam<std::string> {};

TEST_P(NameFixtureTest, FindingsMatchExpectations) {
  Fixture fx = LoadFixture(GetParam());
  ASSERT_TRUE(fx.problems.empty())
      << GetParam() << ":\n  " << ::testing::PrintToString(fx.problems);
  std::string diff = Diff(fx);
  const KnownFailure* known = FindKnownFailure(GetParam());
  if (known == nullptr) {
    EXPECT_TRUE(diff.empty()) << GetParam() << " differs from its expectations:\n" << diff;
    return;
  }
  EXPECT_FALSE(diff.empty()) << GetParam()
                             << " is a known failure but now matches its expectations; remove "
                                "it from kKnownFailures (it was: "
                             << known->why << ")";
  if (!diff.empty()) {
    std::cout << "[ KNOWN    ] " << GetParam() << ": " << known->why << "\n" << diff;
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, NameFixtureTest, ::testing::ValuesIn(FixtureFiles()), TestName);
// A missing fixture directory is reported by NameFixtures.DirectoryHasFixtures.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(NameFixtureTest);

TEST(NameFixtures, DirectoryHasFixtures) {
  std::vector<std::string> files = FixtureFiles();
  ASSERT_FALSE(files.empty()) << "no fixtures in " << FixtureDir() << "; set CELLFLOW_SOURCE_DIR";
  for (const KnownFailure& k : kKnownFailures) {
    EXPECT_TRUE(std::find(files.begin(), files.end(), k.file) != files.end())
        << "kKnownFailures lists " << k.file << ", which is not a fixture";
  }
}

// Every name rule is exercised by a fixture that passes (known failures do not count).
TEST(NameFixtures, EveryNameRuleHasAFixture) {
  std::set<std::string> covered;
  for (const std::string& file : FixtureFiles()) {
    if (FindKnownFailure(file) != nullptr) continue;
    Fixture fx = LoadFixture(file);
    covered.insert(fx.expected_codes.begin(), fx.expected_codes.end());
  }
  int rules = 0;
  for (const RuleInfo& rule : AllRules()) {
    if (rule.code.substr(0, 3) != "NB1" && rule.code.substr(0, 3) != "NB2") continue;
    ++rules;
    EXPECT_TRUE(covered.contains(std::string(rule.code)))
        << rule.code << " (" << rule.name << ") has no fixture expectation in " << FixtureDir()
        << " outside the known failures";
  }
  EXPECT_GE(rules, 10) << "NB101..NB106, NB201..NB204";
}

// ---- Messages

class NameMessageTest : public ::testing::Test {
 protected:
  // Analyzes a percent script (or, with a path ending in .ipynb, a notebook) given as text.
  NotebookReport Analyze(std::string_view text, std::string path = "message_test.py") {
    absl::StatusOr<Notebook> nb = reader_.Read(std::move(path), text);
    EXPECT_TRUE(nb.ok()) << nb.status();
    if (!nb.ok()) return {};
    notebook_ = *std::move(nb);
    return AnalyzeNotebook(notebook_, FixtureOptions());
  }

  // The same for a notebook given as JSON, in its recorded order (--order executed).
  NotebookReport AnalyzeExecuted(std::string_view json, std::string path) {
    absl::StatusOr<Notebook> nb = reader_.Read(std::move(path), json);
    EXPECT_TRUE(nb.ok()) << nb.status();
    if (!nb.ok()) return {};
    notebook_ = *std::move(nb);
    AnalyzeOptions options = FixtureOptions();
    options.order = CellOrder::kExecuted;
    return AnalyzeNotebook(notebook_, options);
  }

  // "CODE symbol" of the report's one finding; how many there are otherwise.
  static std::string SoleFinding(const NotebookReport& report) {
    std::vector<std::string> all = CodesAndSymbols(report);
    return all.size() == 1 ? all[0] : StrCat(all.size(), " findings");
  }

  // A notebook of two code cells: `ran`, saved as run (In [2]), then `unrun`, never run.
  NotebookReport RanThenUnrun(std::string_view ran, std::string_view unrun) {
    return Analyze(StrCat(R"json({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
          {"cell_type": "code", "execution_count": 2, "metadata": {}, "outputs": [],
           "source": ")json",
                          ran, R"json("},
          {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
           "source": ")json",
                          unrun, R"json("}]})json"),
                   "ran_then_unrun.ipynb");
  }

  // The only finding of `code` about `symbol`; fails the test otherwise.
  static const Finding* Only(const NotebookReport& report, std::string_view code,
                             std::string_view symbol) {
    const Finding* found = nullptr;
    int n = 0;
    for (const Finding& f : report.findings) {
      if (GetRule(f.diagnostic.rule).code == code && f.diagnostic.symbol == symbol) {
        found = &f;
        ++n;
      }
    }
    EXPECT_EQ(n, 1) << code << " about '" << symbol << "'";
    return n == 1 ? found : nullptr;
  }

  static std::string Related(const Finding& f) {
    std::string out;
    for (const PlacedRelated& r : f.related) {
      StrAppend(&out, "[cell ", r.position.cell, ", line ", r.position.line, "] ", r.message, "\n");
    }
    return out;
  }

 private:
  NotebookReader reader_;
  Notebook notebook_;
};

TEST_F(NameMessageTest, DefinedLaterNamesTheCellAndTheMove) {
  NotebookReport report = Analyze(
      "# %%\nimport json\n\n"
      "# %%\nprint(session_conf['lr'])\n\n"
      "# %% [markdown]\n# Settings\n\n"
      "# %%\nsession_conf = json.loads('{\"lr\": 0.1}')\n");
  const Finding* f = Only(report, "NB102", "session_conf");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->start.cell, 2u);
  EXPECT_EQ(f->start.line, 1u);
  ASSERT_FALSE(f->related.empty());
  EXPECT_THAT(Related(*f), HasSubstr("defined in cell 4"));
  EXPECT_EQ(f->related.front().position.cell, 4u);
  EXPECT_EQ(f->related.front().position.line, 1u);
  EXPECT_THAT(f->diagnostic.help, HasSubstr("move cell 4 above cell 2"));
}

// In the executed order a cell above the use may have run after it: the fix is the file order.
TEST_F(NameMessageTest, DefinedLaterInExecutedOrderAboveTheUse) {
  NotebookReport report = AnalyzeExecuted(R"json({
      "nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "execution_count": 5, "metadata": {}, "outputs": [],
         "source": "browser = 1"},
        {"cell_type": "code", "execution_count": 3, "metadata": {},
         "outputs": [{"output_type": "error", "ename": "NameError", "evalue": "", "traceback": []}],
         "source": "print(browser)"}]})json",
                                          "ran_late.ipynb");
  const Finding* f = Only(report, "NB102", "browser");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->diagnostic.help,
            "cell 1 is above cell 2 but ran after it: run the cells from the top, in file order");
}

// A notebook saved without a run (no cell has an execution count, or all have 0 as Colab
// saves them) records no order: the executed order is the file's. Once some cell ran, the
// cells that did not are left out of the replay.
TEST_F(NameMessageTest, ExecutedOrderOfANotebookThatNeverRan) {
  // (The reading cell, when it ran, failed: saved without an error it would be hidden state.)
  auto notebook = [](std::string_view first, std::string_view second) {
    return StrCat(R"json({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "execution_count": )json",
                  first, R"json(, "metadata": {}, "outputs": )json",
                  first == "1" ? R"json([{"output_type": "error", "ename": "NameError",
                                "evalue": "", "traceback": []}])json"
                               : "[]",
                  R"json(, "source": "print(late)"},
        {"cell_type": "code", "execution_count": )json",
                  second, R"json(, "metadata": {}, "outputs": [], "source": "late = 1"}]})json");
  };
  for (auto [first, second] : {std::pair{"null", "null"}, std::pair{"0", "0"}}) {
    EXPECT_EQ(SoleFinding(AnalyzeExecuted(notebook(first, second), "never_ran.ipynb")),
              "NB102 late")
        << first;
  }
  // Only the reading cell ran: the binding cell is not in the replay.
  EXPECT_EQ(SoleFinding(AnalyzeExecuted(notebook("1", "null"), "half_ran.ipynb")), "NB101 late");
}

// With --order executed, a cell saved as run without error read its names successfully: a read
// the replay finds unbound there is hidden state (NB302), as file order says, not an error
// its saved output contradicts; where the cell failed, it stays NB101/NB102. A function body's
// read proves nothing (the cell only defined the function).
TEST_F(NameMessageTest, ExecutedOrderCleanRunIsHiddenState) {
  auto notebook = [](std::string_view outputs) {
    return StrCat(R"json({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "execution_count": 2, "metadata": {}, "outputs": [],
         "source": "browser = 1"},
        {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": )json",
                  outputs,
                  R"json(, "source": "print(browser, gone)\ndef f():\n    return lost"}]})json");
  };
  NotebookReport clean = AnalyzeExecuted(notebook("[]"), "clean.ipynb");
  // One finding for the cell: its first read, naming the others.
  EXPECT_THAT(CodesAndSymbols(clean),
              testing::ElementsAre("NB301 ", "NB302 browser", "NB101 lost"));
  const Finding* f = Only(clean, "NB302", "browser");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->diagnostic.message,
            "'browser' had a value when this cell ran (In [1]), but the cell that defines it ran "
            "after it (In [2])");
  EXPECT_THAT(
      f->diagnostic.notes,
      testing::ElementsAre("this cell read 'gone' too: the same saved run gave it a value"));
  NotebookReport only_gone = AnalyzeExecuted(
      R"json({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
         "source": "print(gone)"}]})json",
      "gone.ipynb");
  f = Only(only_gone, "NB302", "gone");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->diagnostic.message,
            "'gone' had a value when this cell ran (In [1]), but no cell run before it defines it");
  NotebookReport failed =
      AnalyzeExecuted(notebook(R"json([{"output_type": "error", "ename": "NameError", "evalue": "",
                        "traceback": []}])json"),
                      "failed.ipynb");
  EXPECT_THAT(CodesAndSymbols(failed),
              testing::ElementsAre("NB301 ", "NB102 browser", "NB101 gone", "NB101 lost"));
}

// The cells the saved run never ran are still the notebook's: with --order executed, a name
// only they bind is undefined because they did not run (the finding says which cell), a
// function that reads one is not reported where it reads it but where a replayed cell calls
// it, and their syntax errors are findings.
TEST_F(NameMessageTest, ExecutedOrderKeepsTheCellsThatNeverRan) {
  auto notebook = [](std::initializer_list<std::pair<std::string_view, std::string_view>> cells) {
    std::string text = R"json({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [)json";
    for (const auto& [count, source] : cells) {
      // A cell that ran failed (saved without an error, its reads would be hidden state).
      StrAppend(&text, text.back() == '[' ? "" : ",",
                R"json({"cell_type": "code", "metadata": {}, "execution_count": )json", count,
                R"json(, "outputs": )json",
                count == "null" ? "[]" : R"json([{"output_type": "error", "ename": "NameError",
                                           "evalue": "", "traceback": []}])json",
                R"json(, "source": ")json", source, "\"}");
    }
    return StrCat(text, "]}");
  };
  NotebookReport report = AnalyzeExecuted(notebook({{"1", "print(YEAR)"},
                                                    {"null", "YEAR = 2024"},
                                                    {"2", "def link():\\n    return URL"},
                                                    {"null", "URL = 'x'"}}),
                                          "never_ran.ipynb");
  const Finding* f = Only(report, "NB101", "YEAR");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(Related(*f),
            "[cell 2, line 1] 'YEAR' is defined in cell 2, which the saved run never ran (it has "
            "no execution count)\n");
  EXPECT_EQ(f->diagnostic.help, "run cell 2 before this one");
  EXPECT_EQ(CodesAndSymbols(report), std::vector<std::string>{"NB101 YEAR"});

  report = AnalyzeExecuted(notebook({{"1", "def link():\\n    return URL"},
                                     {"2", "link()"},
                                     {"null", "URL = 'x'"},
                                     {"null", "broken = [1, 2)"}}),
                           "called.ipynb");
  EXPECT_THAT(CodesAndSymbols(report), testing::ElementsAre("NB106 URL", "NB001 "));
  f = Only(report, "NB106", "URL");
  ASSERT_NE(f, nullptr);
  EXPECT_THAT(Related(*f), HasSubstr("'URL' is defined in cell 3, which the saved run never ran"));
  EXPECT_EQ(f->diagnostic.help, "run cell 3 before this call");
}

// Older Colab exports save cells that ran as In [0]: such a cell (or one with outputs and no
// count) ran at a time the file does not say. What it binds counts for the recorded order; its
// own reads are not checked against that order. A cell with neither did not run.
TEST_F(NameMessageTest, CellsThatRanAtAnUnknownTime) {
  const std::string text = R"json({"nbformat": 4, "nbformat_minor": 0, "metadata": {}, "cells": [
      {"cell_type": "code", "execution_count": 0, "metadata": {}, "outputs": [],
       "source": "def bind(f, x):\n    return lambda y: f(x, y)"},
      {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
       "source": "never_ran = 1"},
      {"cell_type": "code", "execution_count": 15, "metadata": {},
       "outputs": [{"output_type": "error", "ename": "NameError", "evalue": "", "traceback": []}],
       "source": "add5 = bind(lambda a, b: a + b, 5)\nprint(never_ran)"},
      {"cell_type": "code", "execution_count": null, "metadata": {},
       "outputs": [{"output_type": "stream", "name": "stdout", "text": "7"}],
       "source": "print(add5(2), later)"},
      {"cell_type": "code", "execution_count": 16, "metadata": {}, "outputs": [],
       "source": "later = 2"}]})json";
  EXPECT_EQ(SoleFinding(AnalyzeExecuted(text, "colab.ipynb")), "NB101 never_ran");
  // In file order neither is hidden state: bind's cell ran, and never_ran's cell, above the
  // reading one in the file, most likely ran too with its count cleared.
  NotebookReport file = Analyze(text, "colab.ipynb");
  std::vector<std::string> hidden;
  for (const Finding& f : file.findings) {
    if (GetRule(f.diagnostic.rule).code == "NB302") hidden.push_back(f.diagnostic.symbol);
  }
  EXPECT_THAT(hidden, testing::IsEmpty());
}

// A notebook exported from Databricks: the runtime's names exist, a %sql cell is SQL (and binds
// _sqldf), %md / %sh / %scala cells are not Python; an export whose language is SQL is skipped.
TEST_F(NameMessageTest, DatabricksExports) {
  auto notebook = [](std::string_view metadata) {
    return StrCat(R"json({"nbformat": 4, "nbformat_minor": 0, "metadata": )json", metadata,
                  R"json(, "cells": [
        {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
         "source": ["%sql\n", "SELECT * FROM trips WHERE fare > :limit"]},
        {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
         "source": ["%md\n", "## Trips (not Python: **bold**)"]},
        {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
         "source": ["%sh\n", "ls -la /dbfs/tmp | wc -l"]},
        {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
         "source": ["df = spark.range(3)\n", "display(_sqldf)\n",
                    "dbutils.fs.ls('/')\n", "print(sc, sqlContext, undefined_here)"]}]})json");
  };
  NotebookReport report =
      Analyze(notebook(R"json({"application/vnd.databricks.v1+notebook": {"language": "python",
                       "notebookName": "trips"}})json"),
              "databricks.ipynb");
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(GetRule(report.findings[0].diagnostic.rule).code, "NB101");
  EXPECT_EQ(report.findings[0].diagnostic.symbol, "undefined_here");

  // The same cells in a plain Jupyter notebook: the runtime's names do not exist.
  NotebookReport plain = Analyze(notebook("{}"), "plain.ipynb");
  std::set<std::string> undefined;
  for (const Finding& f : plain.findings) {
    if (GetRule(f.diagnostic.rule).code == "NB101") undefined.insert(f.diagnostic.symbol);
  }
  EXPECT_TRUE(undefined.contains("spark"));
  EXPECT_TRUE(undefined.contains("dbutils"));

  NotebookReport sql = Analyze(
      notebook(R"json({"application/vnd.databricks.v1+notebook": {"language": "sql"}})json"),
      "sql.ipynb");
  EXPECT_TRUE(sql.skipped);
}

// sc, spark and sqlContext: a Spark kernel creates them; in a Python kernel they are undefined,
// and when the notebook is a Spark one the finding says who creates them and how to make one.
TEST_F(NameMessageTest, SparkShellNames) {
  auto notebook = [](std::string_view kernel, std::string_view first, std::string_view count) {
    return StrCat(
        R"json({"nbformat": 4, "nbformat_minor": 2, "metadata": {"kernelspec": {"name": ")json",
        kernel, R"json(", "language": "python", "display_name": "k"}}, "cells": [
        {"cell_type": "code", "execution_count": )json",
        count,
        R"json(, "metadata": {}, "outputs": [],
         "source": [")json",
        first, R"json(\n", "rdd = sc.parallelize([1, 2])\n",
                    "df = spark.read.csv('a.csv')\n", "sqlContext.sql('SELECT 1')"]}]})json");
  };
  NotebookReport kernel = Analyze(notebook("pysparkkernel", "x = 1", "1"), "kernel.ipynb");
  EXPECT_TRUE(kernel.findings.empty()) << kernel.findings.size();
  NotebookReport synapse =
      Analyze(notebook("synapse_pyspark", "mssparkutils.fs.ls('/')", "1"), "synapse.ipynb");
  EXPECT_TRUE(synapse.findings.empty()) << synapse.findings.size();

  // A Python kernel, a notebook saved as run without error: the shell's names were there.
  NotebookReport plain =
      Analyze(notebook("python3", "from pyspark.sql import functions as F", "1"), "plain.ipynb");
  const Finding* sc = Only(plain, "NB101", "sc");
  ASSERT_NE(sc, nullptr);
  ASSERT_EQ(sc->diagnostic.notes.size(), 1u);
  EXPECT_EQ(sc->diagnostic.notes[0],
            "'sc' is the SparkContext that the pyspark shell, Spark kernels and Databricks "
            "create before the first cell runs; a Python kernel has none");
  EXPECT_EQ(sc->diagnostic.help,
            "create it first: 'from pyspark import SparkContext' and "
            "'sc = SparkContext.getOrCreate()'");
  const Finding* spark = Only(plain, "NB101", "spark");
  ASSERT_NE(spark, nullptr);
  EXPECT_THAT(spark->diagnostic.help, HasSubstr("SparkSession.builder.getOrCreate()"));
  ASSERT_NE(Only(plain, "NB101", "sqlContext"), nullptr);

  // No pyspark import: a Spark method on the name still shows what it is.
  NotebookReport bare = Analyze(notebook("python3", "x = 1", "null"), "bare.ipynb");
  ASSERT_NE(Only(bare, "NB101", "sc"), nullptr);
  EXPECT_THAT(Only(bare, "NB101", "sc")->diagnostic.help, HasSubstr("SparkContext"));

  // `sc` that is not Spark's (scanpy's usual alias, its import forgotten): no Spark note.
  NotebookReport scanpy = Analyze(
      "# %%\n"
      "sc.pp.filter_cells(adata, min_genes=200)\n",
      "scanpy.py");
  const Finding* other = Only(scanpy, "NB101", "sc");
  ASSERT_NE(other, nullptr);
  EXPECT_THAT(other->diagnostic.help, Not(HasSubstr("Spark")));
  EXPECT_TRUE(other->diagnostic.notes.empty());
}

// A name that nothing defines, assigned in a cell that does not parse (an exercise's blank):
// the finding points at that assignment and says to fix that cell.
TEST_F(NameMessageTest, UndefinedNameAssignedInABrokenCell) {
  NotebookReport report = Analyze(
      "# %%\nalphas = [0.1, 0.2]\nbest_alpha = # YOUR CODE HERE\n\n"
      "# %%\ndef best_model(): # YOUR CODE HERE\n\n"
      "# %%\nbest_alphb = 0\nprint(best_alpha, best_model, best_alphas, alphas)\n");
  const Finding* alpha = Only(report, "NB101", "best_alpha");
  ASSERT_NE(alpha, nullptr);
  EXPECT_EQ(Related(*alpha),
            "[cell 1, line 2] 'best_alpha' is assigned in cell 1, which does "
            "not parse\n");
  EXPECT_EQ(alpha->diagnostic.help, "fix the syntax error in cell 1");
  const Finding* model = Only(report, "NB101", "best_model");
  ASSERT_NE(model, nullptr);
  EXPECT_THAT(Related(*model), HasSubstr("assigned in cell 2, which does not parse"));
  // "best_alphas" is not "best_alpha": no such note.
  const Finding* other = Only(report, "NB101", "best_alphas");
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(Related(*other), "");
}

// Hidden state (NB302): a cell saved as run reads a name that nothing run before it defines now.
// Where the file order reports the same name at the same place, that finding carries the
// hidden state as a note instead of a second finding.
TEST_F(NameMessageTest, HiddenStateIsOneFindingPerPlace) {
  NotebookReport report = Analyze(
      R"json({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
          {"cell_type": "code", "execution_count": 3, "metadata": {}, "outputs": [],
           "source": "w = 1"},
          {"cell_type": "code", "execution_count": 2, "metadata": {}, "outputs": [],
           "source": "print(w)\nprint(ghost)"}]})json",
      "hidden.ipynb");
  const Finding* hidden = Only(report, "NB302", "w");
  ASSERT_NE(hidden, nullptr);
  EXPECT_EQ(hidden->start.cell, 2u);
  // `w = 1` is still there above, run (again) after this cell: the finding says where.
  EXPECT_EQ(hidden->diagnostic.message,
            "'w' had a value when this cell ran (In [2]), but the cell that defines it now ran "
            "after it (In [3])");
  EXPECT_EQ(Related(*hidden),
            "[cell 1, line 1] 'w' is defined in cell 1, line 1, saved as run after this cell "
            "(In [3])\n");
  EXPECT_EQ(hidden->diagnostic.help,
            "restart the kernel and run all cells to check that this cell works with cell 1 as "
            "it is now");
  const Finding* undefined = Only(report, "NB101", "ghost");
  ASSERT_NE(undefined, nullptr);
  ASSERT_EQ(undefined->diagnostic.notes.size(), 1u);
  EXPECT_THAT(undefined->diagnostic.notes.front(),
              HasSubstr("saved as run without error (In [2]): 'ghost' had a value then"));
  for (const Finding& f : report.findings) {
    EXPECT_FALSE(GetRule(f.diagnostic.rule).code == "NB302" && f.diagnostic.symbol == "ghost");
  }
}

// Two cells saved with the same count ran in two kernel sessions: which ran first is not
// recorded, so the later-defined read is no evidence of hidden state.
TEST_F(NameMessageTest, HiddenStateNotFromARepeatedCount) {
  NotebookReport report = Analyze(
      R"json({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
          {"cell_type": "code", "execution_count": 5, "metadata": {}, "outputs": [],
           "source": "cluster = make()"},
          {"cell_type": "code", "execution_count": 2, "metadata": {}, "outputs": [],
           "source": "print(cluster)"},
          {"cell_type": "code", "execution_count": 2, "metadata": {}, "outputs": [],
           "source": "cluster = load()"},
          {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
           "source": "def make(): pass\ndef load(): pass"}]})json",
      "sessions.ipynb");
  for (const Finding& f : report.findings) {
    EXPECT_NE(GetRule(f.diagnostic.rule).code, "NB302") << f.diagnostic.message;
  }
}

// A name only an unexecuted cell defines now: its value came from a cell since edited or
// deleted.
TEST_F(NameMessageTest, HiddenStateFromACellThatDidNotRun) {
  NotebookReport report = RanThenUnrun("print(rate)", "rate = 0.1");
  // The file's order reports the read (rate is defined below); the replay adds its note.
  const Finding* later = Only(report, "NB102", "rate");
  ASSERT_NE(later, nullptr);
  ASSERT_EQ(later->diagnostic.notes.size(), 1u);
  EXPECT_THAT(later->diagnostic.notes.front(),
              HasSubstr("saved as run without error (In [2]): 'rate' had a value then"));
}

// A cell that ran without error ran its module-level code, not the bodies of the functions it
// defined: their reads are evidence of hidden state only where an executed cell called them,
// and the finding says which call.
TEST_F(NameMessageTest, HiddenStateInFunctionBodiesNeedsACallThatRan) {
  auto notebook = [](std::string_view calling_count) {
    return StrCat(R"json({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
          {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
           "source": "def f():\n    return ghost + later\n\ndef g(rows):\n    out = [r for r in r]\n    for r in rows:\n        pass\n    return out"},
          {"cell_type": "code", "execution_count": )json",
                  calling_count, R"json(, "metadata": {}, "outputs": [],
           "source": "f()"},
          {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
           "source": "later = 2"}]})json");
  };
  // The call ran (In [3]): 'ghost' (defined nowhere) gets the call as its note; 'later'
  // (defined only in a cell that never ran) is hidden state at the read, with the call.
  NotebookReport ran = Analyze(notebook("3"), "called.ipynb");
  const Finding* ghost = Only(ran, "NB101", "ghost");
  ASSERT_NE(ghost, nullptr);
  ASSERT_EQ(ghost->diagnostic.notes.size(), 1u);
  EXPECT_EQ(ghost->diagnostic.notes.front(),
            "'f' ran in cell 2, saved as run without error (In [3]): 'ghost' had a value then, "
            "from a cell since edited, deleted or run again");
  const Finding* later = Only(ran, "NB302", "later");
  ASSERT_NE(later, nullptr);
  EXPECT_EQ(later->start.cell, 1u);
  EXPECT_EQ(later->start.line, 2u);
  EXPECT_EQ(later->diagnostic.message,
            "'later' had a value when cell 2 ran (In [3]) and called 'f', but no cell run before "
            "it defines it now");
  EXPECT_EQ(Related(*later), "[cell 2, line 1] 'f' is called at cell 2, line 1\n");
  // g's read of its own unassigned local is an error whatever ran: no hidden-state note.
  const Finding* local = Only(ran, "NB102", "r");
  ASSERT_NE(local, nullptr);
  EXPECT_TRUE(local->diagnostic.notes.empty());

  // The call never ran: the def cell's clean run says nothing of what f reads.
  NotebookReport not_ran = Analyze(notebook("null"), "not_called.ipynb");
  const Finding* quiet = Only(not_ran, "NB101", "ghost");
  ASSERT_NE(quiet, nullptr);
  EXPECT_TRUE(quiet->diagnostic.notes.empty());
  for (const Finding& f : not_ran.findings) {
    EXPECT_NE(GetRule(f.diagnostic.rule).code, "NB302") << f.diagnostic.message;
  }
}

// A lambda in module-level code runs, as a rule, with its cell (a key of sorted(), an argument
// of map() or apply()): its reads are evidence like the cell's own.
TEST_F(NameMessageTest, HiddenStateInALambdaOfTheCell) {
  NotebookReport report = RanThenUnrun("print(sorted([3, 1], key=lambda v: weight[v]))", "z = 1");
  const Finding* f = Only(report, "NB101", "weight");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(f->diagnostic.notes.size(), 1u);
  EXPECT_THAT(f->diagnostic.notes.front(),
              HasSubstr("this cell was saved as run without error (In [2])"));
}

// Lines and columns count within the cell, in code points, whatever ends the lines.
TEST_F(NameMessageTest, PlacesFindingsWithinTheirCell) {
  for (std::string_view eol : {"\n", "\r\n"}) {
    SCOPED_TRACE(eol == "\n" ? "LF" : "CRLF");
    std::string text;
    for (std::string_view line :
         {"# %%", "x = 1", "", "# %%", "# comment", "y = '\xc3\xa9'; print(y, undefined_a)", ""}) {
      StrAppend(&text, line, eol);
    }
    NotebookReport report = Analyze(text);
    const Finding* f = Only(report, "NB101", "undefined_a");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->start.cell, 2u);
    EXPECT_EQ(f->start.line, 2u);
    EXPECT_EQ(f->start.column, 19u);
    EXPECT_EQ(f->end.line, 2u);
    EXPECT_EQ(f->end.column, 30u);
    EXPECT_EQ(f->start.file_line, 6u);
    EXPECT_EQ(f->source_line, "y = '\xc3\xa9'; print(y, undefined_a)");
  }
}

TEST_F(NameMessageTest, MissingNumpyImportSuggestsTheConventionalImport) {
  NotebookReport report = Analyze("# %%\nx = np.zeros(3)\nprint(x)\n");
  const Finding* f = Only(report, "NB101", "np");
  ASSERT_NE(f, nullptr);
  EXPECT_THAT(f->diagnostic.help, HasSubstr("import numpy as np"));
}

TEST_F(NameMessageTest, ModuleReadUnderItsOwnNameSuggestsItsAlias) {
  NotebookReport report = Analyze(
      "# %%\nimport numpy as np\nimport matplotlib.pyplot as plt\n\n"
      "# %%\nx = numpy.zeros(3)\nmatplotlib.show()\nprint(np, plt, pandas)\n");
  const Finding* f = Only(report, "NB101", "numpy");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->diagnostic.help,
            "did you mean 'np'? ('numpy' is imported as 'np' in cell 1, line 1)");
  f = Only(report, "NB101", "matplotlib");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->diagnostic.help,
            "did you forget 'import matplotlib'? ('import matplotlib.pyplot as plt' in cell 1, "
            "line 2 binds only 'plt')");
  // Nothing imports pandas under another name: the conventional import is suggested.
  f = Only(report, "NB101", "pandas");
  ASSERT_NE(f, nullptr);
  EXPECT_THAT(f->diagnostic.help, Not(HasSubstr("imported as")));
}

TEST_F(NameMessageTest, TimeitAssignmentsSayTheyDoNotOutliveIt) {
  NotebookReport report = Analyze(
      "# %%\nimport time\n\n"
      "# %%\n%%timeit\nresult = time.time()\n\n"
      "# %%\nprint(result)\n");
  const Finding* f = Only(report, "NB101", "result");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->start.cell, 3u);
  // At the assignment, below the %%timeit line.
  EXPECT_EQ(
      Related(*f),
      "[cell 2, line 2] 'result' is assigned only inside %timeit code (cell 2, line 2), which "
      "runs in a function of its own\n");
  EXPECT_THAT(f->diagnostic.help, HasSubstr("run the assignment once outside it"));
}

TEST_F(NameMessageTest, Python2PrintSaysSo) {
  NotebookReport report = Analyze("# %%\nprint 'total:', 3\n\n# %%\nprint(undefined_c)\n");
  const Finding* f = Only(report, "NB001", "");
  ASSERT_NE(f, nullptr);
  EXPECT_THAT(f->diagnostic.message, HasSubstr("Missing parentheses in call to 'print'"));
  EXPECT_THAT(f->diagnostic.help, HasSubstr("Python 2 code"));
  EXPECT_NE(Only(report, "NB101", "undefined_c"), nullptr);  // the other cells are still checked
}

// An exercise's stub cell raises before its assignment: the name read later is undefined, and
// the finding says where it is assigned and that the code there never runs.
TEST_F(NameMessageTest, UndefinedNameAssignedWhereCodeNeverRuns) {
  NotebookReport report =
      Analyze("# %%\nraise NotImplementedError()\nanswer = None\n\n# %%\nprint(answer, missing)\n");
  const Finding* f = Only(report, "NB101", "answer");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(Related(*f),
            "[cell 1, line 2] 'answer' is assigned at cell 1, line 2, where the code "
            "never runs\n");
  const Finding* other = Only(report, "NB101", "missing");
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(Related(*other), "");
}

// Other Python 2 syntax in a notebook a Python 2 kernel saved (its kernelspec, or the version
// language_info records) says so too; the same syntax error elsewhere gets no such help.
TEST_F(NameMessageTest, Python2KernelSyntaxSaysSo) {
  auto notebook = [](std::string_view metadata) {
    return StrCat(R"json({"nbformat": 4, "nbformat_minor": 0, "metadata": )json", metadata,
                  R"json(, "cells": [
        {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
         "source": "try:\n    f()\nexcept ValueError, e:\n    pass"}]})json");
  };
  for (std::string_view metadata :
       {R"json({"kernelspec": {"name": "python2", "language": "python"}})json",
        R"json({"language_info": {"name": "python", "version": "2.7.12"}})json"}) {
    NotebookReport report = Analyze(notebook(metadata), "py2.ipynb");
    const Finding* f = Only(report, "NB001", "");
    ASSERT_NE(f, nullptr) << metadata;
    EXPECT_EQ(
        f->diagnostic.help,
        "the notebook was saved by a Python 2 kernel: port it to Python 3 (2to3 converts it)");
  }
  NotebookReport py3 =
      Analyze(notebook(R"json({"language_info": {"name": "python", "version": "3.11.4"}})json"),
              "py3.ipynb");
  const Finding* f = Only(py3, "NB001", "");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->diagnostic.help, "");
}

// A Markdown cell whose text is Python (its type switched by mistake, here the imports): an
// undefined name it binds says so. Markdown that is prose (a fenced example among it) is not
// read as code.
TEST_F(NameMessageTest, UndefinedNameBoundInAMarkdownCell) {
  NotebookReport report = Analyze(
      R"json({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
          {"cell_type": "markdown", "metadata": {},
           "source": "Load with:\n```python\nimport seaborn as sns\n```"},
          {"cell_type": "markdown", "metadata": {},
           "source": "import json\nimport pandas as pd\nDATA_ROOT, SEED = 'data', 3"},
          {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
           "source": "print(json.dumps({}), pd.DataFrame(), DATA_ROOT, SEED, sns)"}]})json",
      "markdown.ipynb");
  const Finding* json = Only(report, "NB101", "json");
  ASSERT_NE(json, nullptr);
  EXPECT_EQ(Related(*json),
            "[cell 2, line 1] 'json' is imported in cell 2, which is a Markdown cell\n");
  EXPECT_EQ(json->diagnostic.help, "make cell 2 a code cell: its text is Python");
  const Finding* pd = Only(report, "NB101", "pd");
  ASSERT_NE(pd, nullptr);
  EXPECT_EQ(pd->diagnostic.help, "make cell 2 a code cell: its text is Python");
  const Finding* seed = Only(report, "NB101", "SEED");
  ASSERT_NE(seed, nullptr);
  EXPECT_EQ(Related(*seed),
            "[cell 2, line 3] 'SEED' is assigned in cell 2, which is a Markdown cell\n");
  // The fenced example in prose: the usual hint, no Markdown note.
  const Finding* sns = Only(report, "NB101", "sns");
  ASSERT_NE(sns, nullptr);
  EXPECT_EQ(Related(*sns), "");
  EXPECT_EQ(sns->diagnostic.help, "did you forget 'import seaborn as sns'?");
}

// A method (or a lambda, comprehension or nested class in a class body) does not see the class
// body's names: NB101 says where the class binds the name and how to reach it.
TEST_F(NameMessageTest, ClassBodyNamesReadWhereTheyAreNotSeen) {
  NotebookReport report = Analyze(
      "# %%\n"
      "class Model:\n"
      "    LIMIT = 10\n"
      "    scale = 2\n"
      "    squares = [i * scale for i in range(LIMIT)]\n"
      "\n"
      "    def helper(self):\n"
      "        return 1\n"
      "\n"
      "    def fit(self, steps=LIMIT):\n"
      "        return helper() + steps\n"
      "\n"
      "    @classmethod\n"
      "    def make(cls):\n"
      "        return cls(), MODE\n"
      "\n"
      "    @staticmethod\n"
      "    def check():\n"
      "        return TOLERANCE\n"
      "\n"
      "    MODE = 'fast'\n"
      "    TOLERANCE = 0.1\n"
      "    first = [n for n in range(3) if n < LATER]\n"
      "    LATER = 1\n"
      "\n"
      "    class Config:\n"
      "        depth = LIMIT + 1\n"
      "\n"
      "# %%\n"
      "Model().fit()\n");
  const Finding* helper = Only(report, "NB101", "helper");
  ASSERT_NE(helper, nullptr);
  EXPECT_EQ(Related(*helper),
            "[cell 1, line 6] 'helper' is defined in the body of class 'Model' (line 6), whose "
            "names a method does not see\n");
  EXPECT_EQ(helper->diagnostic.help, "write 'self.helper' (or 'Model.helper')");
  const Finding* mode = Only(report, "NB101", "MODE");
  ASSERT_NE(mode, nullptr);
  EXPECT_EQ(mode->diagnostic.help, "write 'cls.MODE' (or 'Model.MODE')");
  const Finding* tolerance = Only(report, "NB101", "TOLERANCE");
  ASSERT_NE(tolerance, nullptr);
  EXPECT_EQ(tolerance->diagnostic.help, "write 'Model.TOLERANCE'");
  // The comprehension's condition runs in a scope of its own; its first iterable, in the body.
  const Finding* scale = Only(report, "NB101", "scale");
  ASSERT_NE(scale, nullptr);
  EXPECT_EQ(scale->start.line, 4u);
  EXPECT_THAT(Related(*scale), HasSubstr("'scale' is defined in the body of class 'Model' (line "
                                         "3), whose names a lambda, comprehension or nested "
                                         "class there does not see"));
  EXPECT_EQ(scale->diagnostic.help,
            "move 'scale' to module level, or reach it as 'Model.scale' once the class exists");
  // The nested class's body: the note names the outer class.
  const Finding* limit = Only(report, "NB101", "LIMIT");
  ASSERT_NE(limit, nullptr);
  EXPECT_EQ(limit->start.line, 26u);
  EXPECT_THAT(Related(*limit), HasSubstr("body of class 'Model' (line 2)"));
  // A comprehension does not see the body's names, bound before it or after.
  const Finding* later = Only(report, "NB101", "LATER");
  ASSERT_NE(later, nullptr);
  EXPECT_THAT(Related(*later), HasSubstr("whose names a lambda, comprehension or nested class"));
  // A default value runs in the class body (steps=LIMIT), and a name the module defines is the
  // module's: neither is a finding.
  for (const Finding& f : report.findings) {
    EXPECT_FALSE(f.start.line == 9 && f.diagnostic.symbol == "LIMIT");
  }
  // The body's own code reads a name it binds only later (or in the same statement): the
  // lookup goes on to the module, which does not define it.
  NotebookReport body_order = Analyze(
      "# %%\nx = 1\n\nclass Grid:\n    x = x + 1\n    step = size / 2\n    size = 10\n"
      "    count = count + 1\n");
  const Finding* size = Only(body_order, "NB101", "size");
  ASSERT_NE(size, nullptr);
  EXPECT_EQ(Related(*size),
            "[cell 1, line 6] 'size' is assigned in the body of class 'Grid' (line 6), after this "
            "read\n");
  EXPECT_EQ(size->diagnostic.help,
            "assign 'size' before this read, in the class body or the module");
  const Finding* count = Only(body_order, "NB101", "count");
  ASSERT_NE(count, nullptr);
  EXPECT_THAT(Related(*count), HasSubstr("(line 7), after this read"));
  EXPECT_EQ(body_order.findings.size(), 2u);  // `x = x + 1` reads the module's x
  NotebookReport module_defines = Analyze(
      "# %%\nLIMIT = 3\n\nclass Model:\n    LIMIT = 10\n\n    def fit(self):\n"
      "        return LIMIT\n");
  EXPECT_TRUE(module_defines.findings.empty());
}

// A method that reads its instance's attribute as a bare name, or `self` without having it:
// NB101 (and NB102 for `total += x`) say which attribute and which parameter.
TEST_F(NameMessageTest, InstanceAttributesAndSelfInMethods) {
  NotebookReport report = Analyze(
      "# %%\n"
      "class Account:\n"
      "    def __init__(self, owner, balance=0):\n"
      "        self.owner = owner\n"
      "        self.balance, self.history = balance, []\n"
      "\n"
      "    def deposit(self, amount):\n"
      "        balance += amount\n"
      "        history.append(amount)\n"
      "\n"
      "    def report():\n"
      "        return self\n"
      "\n"
      "    def show(this):\n"
      "        return owner, rate\n"
      "\n"
      "# %%\n"
      "Account('a').deposit(1)\n");
  const Finding* history = Only(report, "NB101", "history");
  ASSERT_NE(history, nullptr);
  EXPECT_EQ(Related(*history),
            "[cell 1, line 4] 'history' is an attribute of 'Account' instances, assigned at line "
            "4\n");
  EXPECT_EQ(history->diagnostic.help, "write 'self.history'");
  const Finding* balance = Only(report, "NB102", "balance");
  ASSERT_NE(balance, nullptr);
  EXPECT_THAT(Related(*balance), HasSubstr("'balance' is an attribute of 'Account' instances"));
  EXPECT_EQ(balance->diagnostic.help, "write 'self.balance'");
  const Finding* self = Only(report, "NB101", "self");
  ASSERT_NE(self, nullptr);
  EXPECT_EQ(self->diagnostic.help,
            "add 'self' as the first parameter of 'report': def report(self, ...)");
  // The method's own receiver name; a name no method assigns gets no note.
  const Finding* owner = Only(report, "NB101", "owner");
  ASSERT_NE(owner, nullptr);
  EXPECT_EQ(owner->diagnostic.help, "write 'this.owner'");
  const Finding* rate = Only(report, "NB101", "rate");
  ASSERT_NE(rate, nullptr);
  EXPECT_EQ(Related(*rate), "");

  NotebookReport static_self =
      Analyze("# %%\nclass Tool:\n    @staticmethod\n    def run(x):\n        return self.x + x\n");
  const Finding* s = Only(static_self, "NB101", "self");
  ASSERT_NE(s, nullptr);
  EXPECT_THAT(s->diagnostic.help, HasSubstr("'run' is a static method, which gets no 'self'"));
  // Outside a class, `self` is just undefined.
  NotebookReport loose = Analyze("# %%\ndef step():\n    return self.x\n");
  const Finding* l = Only(loose, "NB101", "self");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(Related(*l), "");
}

// A name that only a function assigns, or a comprehension's variable, read outside: the note
// says whose local it is, and the help how to get the value out.
// A name a loop assigns only after reading it (an accumulator never started): the note points
// at that assignment and the help says to start it before the loop; a name bound before the
// loop on some path keeps the general note.
TEST_F(NameMessageTest, ReadBeforeTheLoopAssignsIt) {
  NotebookReport report = Analyze(
      "# %%\n"
      "for number in range(10):\n"
      "    count = count + number\n"
      "\n"
      "# %%\n"
      "def total(xs):\n"
      "    for x in xs:\n"
      "        acc += x\n"
      "    return acc\n"
      "\n"
      "# %%\n"
      "import random\n"
      "if random.random() > 0.5:\n"
      "    last = 0\n"
      "for k in range(3):\n"
      "    print(last)\n"
      "    last = k\n");
  const Finding* count = Only(report, "NB103", "count");
  ASSERT_NE(count, nullptr);
  EXPECT_EQ(Related(*count),
            "[cell 1, line 2] 'count' is assigned only later in the loop (cell 1, line 2): until "
            "then it has no value\n");
  EXPECT_EQ(count->diagnostic.help, "give 'count' a value before the loop");
  const Finding* acc = Only(report, "NB103", "acc");
  ASSERT_NE(acc, nullptr);
  EXPECT_EQ(acc->diagnostic.message, "local variable 'acc' may be unassigned here");
  EXPECT_EQ(acc->diagnostic.help, "give 'acc' a value before the loop");
  const Finding* last = Only(report, "NB103", "last");
  ASSERT_NE(last, nullptr);
  EXPECT_EQ(last->diagnostic.help, "define 'last' on every path before this use");
}

TEST_F(NameMessageTest, FunctionLocalsReadOutside) {
  NotebookReport report = Analyze(
      "# %%\n"
      "def load(path):\n"
      "    raw = open(path).read()\n"
      "    rows = raw.split()\n"
      "    return rows\n"
      "\n"
      "# %%\n"
      "load('a.txt')\n"
      "print(raw, rows)\n"
      "squares = [k * k for k in range(3)]\n"
      "print(k, later)\n"
      "\n"
      "# %%\n"
      "def report():\n"
      "    later = 1\n");
  const Finding* raw = Only(report, "NB101", "raw");
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(Related(*raw),
            "[cell 1, line 2] 'raw' is a local variable of 'load' (cell 1, line 2), which does not "
            "exist outside the function\n");
  EXPECT_EQ(raw->diagnostic.help,
            "return 'raw' from 'load' and assign it where you call it (raw = load(...)), or "
            "declare 'global raw' in 'load'");
  const Finding* rows = Only(report, "NB101", "rows");
  ASSERT_NE(rows, nullptr);
  EXPECT_EQ(rows->diagnostic.help,
            "'load' returns it: assign the call's result (rows = load(...))");
  const Finding* k = Only(report, "NB101", "k");
  ASSERT_NE(k, nullptr);
  EXPECT_THAT(Related(*k), HasSubstr("'k' is a variable of the comprehension at line 3"));
  // A function further down is no explanation.
  const Finding* later = Only(report, "NB101", "later");
  ASSERT_NE(later, nullptr);
  EXPECT_EQ(Related(*later), "");

  // A method's local read in another method of the class: kept on the instance.
  NotebookReport method = Analyze(
      "# %%\nclass Net:\n    def loss(self):\n        return total / count\n\n"
      "    def fit(self, data):\n        count = len(data)\n        self.total = sum(data)\n");
  const Finding* count = Only(method, "NB101", "count");
  ASSERT_NE(count, nullptr);
  EXPECT_EQ(count->diagnostic.help,
            "keep it on the instance in 'fit' (self.count = ...) and read it as 'self.count'");
  const Finding* total = Only(method, "NB101", "total");
  ASSERT_NE(total, nullptr);
  EXPECT_EQ(total->diagnostic.help, "write 'self.total'");
}

// A standard library module read without its import: CPython 3.12's "did you forget to
// import" hint, after a typo hint when there is one; not for a module the target version lacks.
TEST_F(NameMessageTest, StandardModuleWithoutItsImport) {
  NotebookReport report = Analyze(
      "# %%\nprint(string.punctuation, os.sep)\nstrings = ['a']\n\n"
      "# %%\nprint(string.digits, imp)\n");
  const std::vector<std::string> helps = SymbolsAndHelps(report);
  EXPECT_THAT(helps, testing::ElementsAre(
                         "string: did you mean 'strings' (defined later)? or did you forget "
                         "'import string'?",
                         "os: did you forget 'import os'?", "imp: "));
}

// NB301 points at the cell's first line of code, not at blank lines it starts with.
TEST_F(NameMessageTest, OutOfOrderCellAtItsFirstCode) {
  NotebookReport report = Analyze(R"json({"nbformat": 4, "nbformat_minor": 5, "metadata": {},
      "cells": [
        {"cell_type": "code", "execution_count": 3, "metadata": {}, "outputs": [],
         "source": "a = 1"},
        {"cell_type": "code", "execution_count": 2, "metadata": {}, "outputs": [],
         "source": "\n\n  b = 2"}]})json",
                                  "counts.ipynb");
  ASSERT_EQ(report.findings.size(), 1u);
  const Finding& f = report.findings.front();
  EXPECT_EQ(GetRule(f.diagnostic.rule).code, "NB301");
  EXPECT_EQ(f.start.cell, 2u);
  EXPECT_EQ(f.start.line, 3u);
  EXPECT_EQ(f.start.column, 3u);
}

// A standard library name read without its import (typing's List in an annotation,
// itertools' product): the import is the hint, after similar names in scope or defined later.
TEST_F(NameMessageTest, StandardMemberWithoutItsImport) {
  NotebookReport report = Analyze(
      "# %%\ndef f(xs: List[int]):\n    return deepcopy(xs)\n\n"
      "# %%\nfrom copy import copy\nprint(f, product, permutation)\npermutations = 1\n");
  EXPECT_THAT(SymbolsAndHelps(report),
              testing::ElementsAre("List: did you forget 'from typing import List'?",
                                   "deepcopy: did you forget 'from copy import deepcopy'?",
                                   "product: did you forget 'from itertools import product'?",
                                   "permutation: did you mean 'permutations' (defined later)?"));
}

// A name defined later is no hint when the very line that reads the undefined name binds it
// (`net = Net()` with no class Net, `for station in stations`): it has no value there either.
TEST_F(NameMessageTest, NoHintFromTheNameTheLineBinds) {
  NotebookReport report = Analyze(
      "# %%\nnet = Net()\nfor station in stations:\n    pass\nprint(totals)\n\n"
      "# %%\ntotal = 1\n");
  EXPECT_THAT(SymbolsAndHelps(report), testing::ElementsAre("Net: ", "stations: ",
                                                            "totals: did you mean 'total' (defined "
                                                            "later)?"));
}

// IPython's automagic runs a one-line cell that starts with a line magic's name (`pwd()`,
// `ls[0]`) as that magic unless a variable shadows the name: no finding for the name. In a
// longer cell the line is Python, and the magic's arguments are still read (`time(f())`).
TEST_F(NameMessageTest, AutomagicCallInOneLineCell) {
  NotebookReport report = Analyze(
      "# %%\npwd()\n\n# %%\nwhos()\n\n# %%\nls[0]\n\n# %%\nx = 1\npwd()\n\n"
      "# %%\ntime(f())\n\n# %%\nhelper()\n");
  std::vector<std::string> found;
  for (const Finding& f : report.findings) {
    found.push_back(
        StrCat(GetRule(f.diagnostic.rule).code, " ", f.diagnostic.symbol, " cell ", f.start.cell));
  }
  EXPECT_THAT(found,
              testing::ElementsAre("NB101 pwd cell 4", "NB101 f cell 5", "NB101 helper cell 6"));
}

// A conventional alias read without its import: the import is the hint, even when another name
// one letter away is bound (`px` for `pd`), before or after the read; a one-letter alias (`F`)
// next to a name in scope is taken for a misspelling of it.
TEST_F(NameMessageTest, ConventionalAliasBeforeNearbyNames) {
  NotebookReport report = Analyze(
      "# %%\nimport torch.nn as nn\nf = 2\ndf = pd.read_csv('x.csv')\nx = np.zeros(3) + F\n\n"
      "# %%\nimport plotly.express as px\n");
  const std::vector<std::string> helps = SymbolsAndHelps(report);
  EXPECT_THAT(helps, testing::ElementsAre("pd: did you forget 'import pandas as pd'?",
                                          "np: did you forget 'import numpy as np'?",
                                          "F: did you mean 'f'?"));
}

// A name of a module imported whole, read bare: the help writes it under the module's name
// (its alias), ahead of a misspelling of another name ('cos' is not 'os').
TEST_F(NameMessageTest, ModuleNameReadBare) {
  NotebookReport report = Analyze(
      "# %%\nimport math, os\nimport random as rnd\nimport os.path\n\n"
      "# %%\nprint(sqrt(2), cos(0), randint(1, 6), join('a', 'b'), no_such_member)\n\n"
      "# %%\ndef area(r):\n    return pi * r ** 2\n\ndef middle(xs):\n    return median(xs)\n\n"
      "import statistics\n");
  const std::vector<std::string> helps = SymbolsAndHelps(report);
  EXPECT_THAT(
      helps, testing::ElementsAre("sqrt: did you mean 'math.sqrt'? ('import math' in cell 1, line "
                                  "1 binds the module, not the names in it)",
                                  "cos: did you mean 'math.cos'? ('import math' in cell 1, line 1 "
                                  "binds the module, not the names in it)",
                                  "randint: did you mean 'rnd.randint'? ('import random as rnd' in "
                                  "cell 1, line 2 binds the module, not the names in it)",
                                  "join: did you mean 'os.path.join'? ('import os.path' in cell 1, "
                                  "line 3 binds the module, not the names in it)",
                                  "no_such_member: ",
                                  "pi: did you mean 'math.pi'? ('import math' in cell 1, line 1 "
                                  "binds the module, not the names in it)",
                                  "median: "));  // imported below the function
}

// `from sklearn.metrics import f1_score` binds f1_score, not sklearn: the help says so.
TEST_F(NameMessageTest, PackageOnlyImportedFrom) {
  NotebookReport report = Analyze(
      "# %%\nfrom sklearn.metrics import f1_score\nfrom os import path\n\n"
      "# %%\nencoder = sklearn.preprocessing.OrdinalEncoder()\nprint(os.sep, f1_score, path)\n"
      "print(sk.x)\n");
  const Finding* sklearn = Only(report, "NB101", "sklearn");
  ASSERT_NE(sklearn, nullptr);
  EXPECT_EQ(sklearn->diagnostic.help,
            "did you forget 'import sklearn'? ('from sklearn.metrics import ...' in cell 1, line "
            "1 binds only the names it imports)");
  const Finding* os = Only(report, "NB101", "os");
  ASSERT_NE(os, nullptr);
  EXPECT_THAT(os->diagnostic.help, HasSubstr("'from os import ...' in cell 1, line 2"));
  // Only the package itself or a parent of the module imported from.
  const Finding* sk = Only(report, "NB101", "sk");
  ASSERT_NE(sk, nullptr);
  EXPECT_THAT(sk->diagnostic.help, Not(HasSubstr("from sklearn")));
}

// A shell command in a Python cell (a cell of commands without its %%bash, a line without its
// '!'): the syntax error says so. Python that merely starts with such a word is not one.
TEST_F(NameMessageTest, ShellCommandsInAPythonCellSaySo) {
  auto help_of = [&](std::string_view source) {
    NotebookReport report =
        Analyze(StrCat(R"json({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
            {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
             "source": ")json",
                       source, R"json("}]})json"),
                "shell.ipynb");
    const Finding* f = Only(report, "NB001", "");
    return f == nullptr ? std::string("(no NB001)") : f->diagnostic.help;
  };
  EXPECT_EQ(help_of("# Step 1\\nmkdir -p results/plots\\npython code/simulate.py results"),
            "'mkdir' is a shell command: start the line with '!' (or the cell with %%bash)");
  EXPECT_EQ(help_of("import os\\ngit clone https://github.com/a/b"),
            "'git' is a shell command: start the line with '!' (or the cell with %%bash)");
  EXPECT_EQ(help_of("x = 1\\npip install torch==2.1"),
            "'pip' is a shell command: write '%pip' (it installs into the kernel's environment)");
  // Not a command line: the error has no such help.
  EXPECT_EQ(help_of("python = 3\\npython ++ 1 +"), "");
  EXPECT_EQ(help_of("cd = {}\\ncd(1"), "");
}

TEST_F(NameMessageTest, Python2BuiltinsSayWhatPython3Has) {
  NotebookReport report =
      Analyze("# %%\nname = raw_input('?')\nfor i in xrange(3):\n    print(unicode(i))\n");
  const Finding* f = Only(report, "NB101", "raw_input");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->diagnostic.help, "'raw_input' is a Python 2 builtin; in Python 3 use 'input'");
  f = Only(report, "NB101", "xrange");
  ASSERT_NE(f, nullptr);
  EXPECT_THAT(f->diagnostic.help, HasSubstr("use 'range'"));
  f = Only(report, "NB101", "unicode");
  ASSERT_NE(f, nullptr);
  EXPECT_THAT(f->diagnostic.help, HasSubstr("use 'str'"));
}

TEST_F(NameMessageTest, TypoSuggestsTheVisibleName) {
  NotebookReport report = Analyze(
      "# %%\nsession_conff = {'lr': 0.1}\n\n"
      "# %%\nprint(session_conf)\n");
  const Finding* f = Only(report, "NB101", "session_conf");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->start.cell, 2u);
  EXPECT_THAT(f->diagnostic.help, HasSubstr("did you mean 'session_conff'?"));
}

TEST_F(NameMessageTest, TypoOfANameDefinedLaterSaysSo) {
  NotebookReport report = Analyze(
      "# %%\nprint(learning_rat)\n\n"
      "# %%\nlearning_rate = 0.1\n");
  const Finding* f = Only(report, "NB101", "learning_rat");
  ASSERT_NE(f, nullptr);
  EXPECT_THAT(f->diagnostic.help, HasSubstr("'learning_rate'"));
  EXPECT_THAT(f->diagnostic.help, HasSubstr("later"));
}

TEST_F(NameMessageTest, CallBeforeDefinitionNamesTheGlobalAndWhereItIsRead) {
  NotebookReport report = Analyze(
      "# %%\ndef train():\n    return len(data)\n\n"
      "# %%\ntrain()\n\n"
      "# %%\ndata = [1, 2, 3]\n");
  const Finding* f = Only(report, "NB106", "data");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->start.cell, 2u);
  EXPECT_THAT(f->diagnostic.message, HasSubstr("'train'"));
  EXPECT_THAT(f->diagnostic.message, HasSubstr("'data'"));
  std::string related = Related(*f);
  EXPECT_THAT(related, HasSubstr("[cell 1, line 2]"));  // where train reads data
  EXPECT_THAT(related, HasSubstr("[cell 3, line 1]"));  // where data is defined
}

// A unit with tens of thousands of branches would need gigabytes of bit sets (blocks times
// definitions): it is solved coarsely, in little memory, and still finds what nothing defines.
// A script's functions are checked where they are defined, unless the definition is in a
// branch that never runs under the target version.
TEST_F(NameMessageTest, ScriptFunctionsInBranchesThatNeverRunAreNotChecked) {
  NotebookReport report = Analyze(
      "import sys\n"
      "if sys.version_info[0] < 3:\n"
      "    def quote(s):\n"
      "        return unicode(s)\n"
      "else:\n"
      "    def quote(s):\n"
      "        return str(s) + suffix\n");
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].diagnostic.symbol, "suffix");
}

// `'x' in globals()` in a function proves the global there and nowhere else: calling the
// function binds nothing.
TEST_F(NameMessageTest, NamespaceTestInAFunctionBindsNothingForItsCallers) {
  NotebookReport report = Analyze(
      "# %%\n"
      "def connect():\n"
      "    if 'engine' in globals():\n"
      "        return engine\n"
      "    return None\n"
      "\n"
      "# %%\n"
      "connect()\n"
      "print(engine)\n",
      "namespace_test.py");
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(GetRule(report.findings[0].diagnostic.rule).code, "NB101");
  EXPECT_EQ(report.findings[0].diagnostic.symbol, "engine");
  EXPECT_EQ(report.findings[0].start.line, 2);  // of the second cell
}

// unittest's self.fail() and self.skipTest() and pytest.skip() never return.
TEST_F(NameMessageTest, TestHelpersThatRaiseEndTheirPath) {
  NotebookReport report = Analyze(
      "import unittest\n"
      "import pytest\n"
      "class T(unittest.TestCase):\n"
      "    def test_a(self):\n"
      "        try:\n"
      "            import json as codec\n"
      "        except ImportError:\n"
      "            self.skipTest('no codec')\n"
      "        try:\n"
      "            value = codec.loads('1')\n"
      "        except ValueError as e:\n"
      "            self.fail(str(e))\n"
      "        return codec, value\n"
      "def test_b():\n"
      "    try:\n"
      "        import json as codec\n"
      "    except ImportError:\n"
      "        pytest.skip('no codec')\n"
      "    try:\n"
      "        import csv as table\n"
      "    except ImportError:\n"
      "        print('no table')\n"
      "    return codec, table\n");
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].diagnostic.symbol, "table");
}

// Code written for both a script and a kernel asks for __file__ first: only the read that
// does not ask is NB105.
TEST_F(NameMessageTest, FileReadAfterAskingTheNamespaceIsNotReported) {
  NotebookReport report = Analyze(
      "# %%\n"
      "import os\n"
      "BASE = os.path.dirname(__file__) if '__file__' in globals() else os.getcwd()\n"
      "if '__file__' in dir():\n"
      "    here = os.path.dirname(__file__)\n"
      "print(BASE, __file__)\n",
      "file_test.py");
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(GetRule(report.findings[0].diagnostic.rule).code, "NB105");
  EXPECT_EQ(report.findings[0].start.line, 5);
}

// Among equally close names, the hint is the one bound first (CPython searches the globals in
// insertion order), the same in every run.
TEST_F(NameMessageTest, HintAmongEquallyCloseGlobalsIsTheFirstBound) {
  std::string text = "# %%\n";
  for (int i = 8; i >= 1; --i) StrAppend(&text, "value", i, " = ", i, "\n");
  StrAppend(&text, "def total():\n    return valu\n");
  NotebookReport report = Analyze(text, "hint_order_test.py");
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].diagnostic.symbol, "valu");
  EXPECT_EQ(report.findings[0].diagnostic.help, "did you mean 'value8'?");
}

TEST_F(NameMessageTest, HugeUnitIsSolvedCoarsely) {
  std::string text = "# %%\nflag = True\n";
  for (int i = 0; i < 60000; ++i) {
    StrAppend(&text, "if flag:\n    v", i, " = ", i, "\nprint(v", i, ")\n");
  }
  StrAppend(&text, "print(never_defined)\n");
  NotebookReport report = Analyze(text);
  const Finding* f = Only(report, "NB101", "never_defined");
  ASSERT_NE(f, nullptr);
  // Coarse: a binding on one branch counts as a binding (no NB103 for v0..v59999).
  EXPECT_EQ(report.findings.size(), 1u);
}

// Hints look at every name in scope: thousands of undefined names among thousands of others
// get hints until a per-notebook budget is spent, then none, instead of quadratic time.
TEST_F(NameMessageTest, HintsStopAtABudgetInMachineMadeCode) {
  std::string text = "# %%\n";
  constexpr int kNames = 5000;
  for (int i = 0; i < kNames; ++i) StrAppend(&text, "value_", i, " = 1\nprint(value_", i, "x)\n");
  NotebookReport report = Analyze(text);
  ASSERT_EQ(report.findings.size(), static_cast<size_t>(kNames));
  EXPECT_EQ(report.findings.front().diagnostic.help, "did you mean 'value_0'?");
  EXPECT_EQ(report.findings.back().diagnostic.help, "");
}

// Thousands of calls into a chain of thousands of functions: call sites are checked until a
// per-notebook budget is spent (seconds and hundreds of megabytes otherwise).
TEST_F(NameMessageTest, CallChecksStopAtABudgetInMachineMadeCode) {
  std::string text = "# %%\n";
  constexpr int kFunctions = 3000;
  for (int i = 0; i < kFunctions; ++i) {
    StrAppend(&text, "def f", i, "():\n    return f", i + 1, "() + g", i, "\n");
  }
  StrAppend(&text, "def f", kFunctions, "():\n    return 0\n");
  for (int i = 0; i < kFunctions; ++i) StrAppend(&text, "f", i, "()\n");
  for (int i = 0; i < kFunctions; ++i) StrAppend(&text, "g", i, " = ", i, "\n");
  NotebookReport report = Analyze(text);
  // The first call runs every function before any g is defined.
  const Finding* f = Only(report, "NB106", "g0");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->start.line, static_cast<uint32_t>(2 * kFunctions + 3));
}

// The notebook `text`, as if saved at `path`, analyzed with imports resolved around it.
NotebookReport AnalyzeWithImports(const std::filesystem::path& path, const std::string& text) {
  NotebookReader reader;
  absl::StatusOr<Notebook> nb = reader.Read(path.string(), text);
  EXPECT_TRUE(nb.ok()) << nb.status();
  if (!nb.ok()) return {};
  ImportContext imports{ImportOptions{}};
  AnalyzeOptions options;
  options.imports = &imports;
  return AnalyzeNotebook(*nb, options);
}

// A local module imported whole, its function called bare: the help names the module.
TEST(ImportHintsTest, LocalModuleNameReadBare) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  std::ofstream(tmp.path() / "helpers.py")
      << "from sklearn.metrics import accuracy_score\nimport glob\n"
         "def load_data(path):\n    return path\n_hidden = 1\n";
  std::ofstream(tmp.path() / "later.py") << "def plot_later():\n    pass\n";
  NotebookReport report = AnalyzeWithImports(
      tmp.path() / "notebook.py",
      "# %%\nimport helpers\n\n# %%\nload_data('x'), _hidden, accuracy_score, glob\n"
      "plot_later()\nimport later\n");
  const std::vector<std::string> helps = SymbolsAndHelps(report);
  // A name the module imports is not its own; a module imported after the read is no hint.
  EXPECT_THAT(helps, testing::ElementsAre(
                         "load_data: did you mean 'helpers.load_data'? ('import helpers' in cell "
                         "1, line 1 binds the module, not the names in it)",
                         "_hidden: ",
                         "accuracy_score: did you forget 'from sklearn.metrics import "
                         "accuracy_score'?",
                         "glob: did you forget 'import glob'?", "plot_later: "));
}

// A name a local module defines but leaves out of its __all__, read after a star import of it:
// the help says the star import does not bind it. Not when the read comes before the import.
TEST(ImportHintsTest, NameLeftOutOfAStarImport) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  std::ofstream(tmp.path() / "helpers.py")
      << "__all__ = ['alpha']\ndef alpha():\n    pass\ndef beta():\n    pass\n"
         "def gamma():\n    pass\n";
  NotebookReport report =
      AnalyzeWithImports(tmp.path() / "notebook.py",
                         "# %%\ngamma()\n\n# %%\nfrom helpers import *\nalpha()\nbeta()\n\n"
                         "# %%\ndef run():\n    return beta()\nrun()\n");
  const std::vector<std::string> helps = SymbolsAndHelps(report);
  const std::string left_out =
      "beta: 'from helpers import *' in cell 2, line 1 binds only what helpers.__all__ lists, "
      "which leaves 'beta' out; import it by name: 'from helpers import beta'";
  EXPECT_THAT(helps, testing::ElementsAre("gamma: ", left_out, left_out));
}

// A module that .gitignore keeps out of the repository (settings, credentials): the note
// quotes the line, from the repository's root down to the notebook's folder, where a later
// and deeper line decides ('!' takes a file back).
TEST(ImportHintsTest, ModuleLeftOutByGitignore) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  const std::filesystem::path& root = tmp.path();
  std::filesystem::create_directories(root / ".git");
  std::filesystem::create_directories(root / "notebooks");
  std::ofstream(root / ".gitignore") << "# secrets\nenv.py\nconfig_*.py\nnotebooks/private.py\n";
  std::ofstream(root / "notebooks/.gitignore") << "!config_shared.py\n";
  NotebookReport report = AnalyzeWithImports(
      root / "notebooks/analysis.py",
      "# %%\nfrom env import password\nimport config_local, config_shared, private, other\n");
  std::vector<std::string> notes;
  for (const Finding& f : report.findings) {
    ASSERT_EQ(GetRule(f.diagnostic.rule).code, "NB201");
    notes.push_back(
        StrCat(f.diagnostic.symbol, ": ", f.diagnostic.notes.empty() ? "" : f.diagnostic.notes[0]));
  }
  EXPECT_THAT(notes,
              testing::ElementsAre(
                  "env: 'env.py' is not committed: ../.gitignore (line 2: 'env.py') keeps it out "
                  "of the repository",
                  "config_local: 'config_local.py' is not committed: ../.gitignore (line 3: "
                  "'config_*.py') keeps it out of the repository",
                  "config_shared: 'config_shared' is not beside the notebook, in the standard "
                  "library or a declared dependency",
                  "private: 'private.py' is not committed: ../.gitignore (line 4: "
                  "'notebooks/private.py') keeps it out of the repository",
                  "other: 'other' is not beside the notebook, in the standard library or a "
                  "declared dependency"));
  EXPECT_EQ(report.findings[0].diagnostic.help,
            "create env.py beside the notebook, with the names the notebook imports from it");
}

// Missing names of a module with thousands of names: hints until a per-notebook budget is
// spent, then none, instead of quadratic time.
TEST(ImportHintsTest, StopAtABudgetInMachineMadeCode) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  const std::filesystem::path& dir = tmp.path();
  constexpr int kNames = 20000, kImports = 3000;
  {
    std::ofstream helper(dir / "helper.py");
    for (int i = 0; i < kNames; ++i) helper << "name_" << i << " = " << i << "\n";
  }
  std::string text = "# %%\n";
  for (int i = 0; i < kImports; ++i) StrAppend(&text, "from helper import nam_", i, "\n");
  NotebookReport report = AnalyzeWithImports(dir / "notebook.py", text);
  std::vector<const Finding*> missing;
  for (const Finding& f : report.findings) {
    if (GetRule(f.diagnostic.rule).code == "NB202") missing.push_back(&f);
  }
  ASSERT_EQ(missing.size(), static_cast<size_t>(kImports));
  EXPECT_EQ(missing.front()->diagnostic.help, "did you mean 'name_0'?");
  EXPECT_EQ(missing.back()->diagnostic.help, "");
}

// An unresolved import's hint: a misspelled module (local, standard or a listed third-party
// one), or a distribution's name in place of its module's.
TEST(ImportHintsTest, MisspelledModulesAndDistributionNames) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  const std::filesystem::path& dir = tmp.path();
  std::ofstream(dir / "helpers.py") << "x = 1\n";
  const std::string text =
      "# %%\nimport helpres\nimport jsn\nimport pandsa\nimport pillow\nimport pytorch\n"
      "import pandas_extension_of_mine\nimport lib\nimport utils\nimport config\nimport Helpesr\n"
      "import functorch\nimport Pandas\nimport matplotlip\nimport PyQt4\nimport model\n"
      "import db\nimport functions\nimport pymol\nimport sklern\n";
  NotebookReport report = AnalyzeWithImports(dir / "notebook.py", text);
  std::map<std::string, std::string> help;
  for (const Finding& f : report.findings) {
    if (GetRule(f.diagnostic.rule).code == "NB201") help[f.diagnostic.symbol] = f.diagnostic.help;
  }
  EXPECT_EQ(help["helpres"], "did you mean 'helpers'?");
  EXPECT_EQ(help["jsn"], "did you mean 'json'?");
  EXPECT_EQ(help["pandsa"], "did you mean 'pandas'?");
  EXPECT_EQ(help["pillow"],
            "did you mean 'PIL'? ('pillow' is the name of a distribution; its module is 'PIL')");
  EXPECT_EQ(help["pytorch"], "did you mean 'torch'? (PyTorch is imported as 'torch')");
  // Much longer than any listed name: an unlisted package, not a misspelling.
  ASSERT_TRUE(help.contains("pandas_extension_of_mine"));
  EXPECT_EQ(help["pandas_extension_of_mine"], "");
  // Missing helper modules a letter or a prefix away from other modules ('zlib', 'etils',
  // 'sysconfig'): a misspelling seldom changes the first letter, so no hint.
  for (const char* helper : {"lib", "utils", "config"}) {
    ASSERT_TRUE(help.contains(helper)) << helper;
    EXPECT_EQ(help[helper], "") << helper;
  }
  // The first letter's case does not count.
  EXPECT_EQ(help["Helpesr"], "did you mean 'helpers'?");
  // Three letters off a standard module of its length: another module, not a misspelling.
  ASSERT_TRUE(help.contains("functorch"));
  EXPECT_EQ(help["functorch"], "");
  // Slips of the keyboard: the case, a letter in a long name, a digit, a letter left out.
  EXPECT_EQ(help["Pandas"], "did you mean 'pandas'?");
  EXPECT_EQ(help["matplotlip"], "did you mean 'matplotlib'?");
  EXPECT_EQ(help["PyQt4"], "did you mean 'PyQt5'?");
  EXPECT_EQ(help["sklern"], "did you mean 'sklearn'?");
  // A short name a letter off a listed module ('modal', 'dbm'), or two letters off one
  // ('fractions', 'pydoc'): a helper module that is missing, or a package not listed.
  for (const char* other : {"model", "db", "functions", "pymol"}) {
    ASSERT_TRUE(help.contains(other)) << other;
    EXPECT_EQ(help[other], "") << other;
  }
}

// CPython's regression-test package: its support modules are there; `test` itself is taken for
// a test.py the notebook lacks, and the note says what Python imports instead.
TEST(ImportHintsTest, RegressionTestPackage) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  NotebookReport report =
      AnalyzeWithImports(tmp.path() / "notebook.py",
                         "# %%\nimport test.support\nfrom test import support, test_grammar\n"
                         "from test.support import os_helper\nfrom test import ImageDataset\n");
  std::vector<const Finding*> found;
  for (const Finding& f : report.findings) found.push_back(&f);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(GetRule(found[0]->diagnostic.rule).code, "NB201");
  EXPECT_EQ(found[0]->start.line, 4u);
  ASSERT_EQ(found[0]->diagnostic.notes.size(), 1u);
  EXPECT_THAT(found[0]->diagnostic.notes[0], HasSubstr("regression-test package 'test' instead"));

  // A test.py beside the notebook is the module imported.
  std::ofstream(tmp.path() / "test.py") << "ImageDataset = object\n";
  NotebookReport local =
      AnalyzeWithImports(tmp.path() / "notebook.py", "# %%\nfrom test import ImageDataset\n");
  EXPECT_TRUE(local.findings.empty());
}

// `from src.features import f` in notebooks/, with src/ at the repository's root: not found from
// the notebook's directory, and the finding says where it is; silent when the notebook adds a
// computed directory to sys.path (it may reach it). Nothing above the repository's root counts.
TEST(ImportLookupTest, PackagesAboveTheNotebooksDirectory) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  namespace fs = std::filesystem;
  const fs::path repo = tmp.path() / "repo";
  fs::create_directories(repo / ".git");
  fs::create_directories(repo / "src");
  fs::create_directories(repo / "notebooks" / "eda");
  std::ofstream(repo / "src" / "__init__.py") << "";
  std::ofstream(repo / "src" / "features.py") << "def f():\n    return 1\n";
  std::ofstream(repo / "settings.py") << "SEED = 1\n";
  fs::create_directories(tmp.path() / "outside");
  std::ofstream(tmp.path() / "outside" / "__init__.py") << "";
  auto unresolved = [](const NotebookReport& report) {
    std::map<std::string, const Finding*> found;
    for (const Finding& f : report.findings) {
      if (GetRule(f.diagnostic.rule).code == "NB201") found[f.diagnostic.symbol] = &f;
    }
    return found;
  };

  NotebookReport plain =
      AnalyzeWithImports(repo / "notebooks" / "eda" / "nb.py",
                         "# %%\nfrom src.features import f\nimport settings\nimport outside\n");
  auto found = unresolved(plain);
  ASSERT_TRUE(found.contains("src.features"));
  const Finding* src = found["src.features"];
  ASSERT_EQ(src->diagnostic.notes.size(), 1u);
  EXPECT_EQ(src->diagnostic.notes.front(),
            "'src' is at ../../src, above the notebook's directory, from which the kernel imports");
  EXPECT_EQ(src->diagnostic.help,
            "add its directory to sys.path first (sys.path.insert(0, '../..')), or install the "
            "project");
  ASSERT_TRUE(found.contains("settings"));
  EXPECT_EQ(found["settings"]->diagnostic.notes.front(),
            "'settings' is at ../../settings.py, above the notebook's directory, from which the "
            "kernel imports");
  // Above the repository's root: not the notebook's.
  ASSERT_TRUE(found.contains("outside"));
  EXPECT_THAT(found["outside"]->diagnostic.notes.front(), HasSubstr("is not beside the notebook"));
  // What the import names is not up there either: adding the directory would not help.
  NotebookReport deeper =
      AnalyzeWithImports(repo / "notebooks" / "eda" / "nb.py",
                         "# %%\nfrom src.models.cnn import Net\nimport src.features.extra\n");
  found = unresolved(deeper);
  ASSERT_TRUE(found.contains("src.models.cnn"));
  EXPECT_EQ(found["src.models.cnn"]->diagnostic.notes.front(),
            "'src' is at ../../src, above the notebook's directory, but has no module "
            "'models.cnn' either");
  EXPECT_EQ(found["src.models.cnn"]->diagnostic.help, "");
  ASSERT_TRUE(found.contains("src.features.extra"));
  EXPECT_EQ(found["src.features.extra"]->diagnostic.notes.front(),
            "'src' is at ../../src, above the notebook's directory, but has no module "
            "'features.extra' either");

  NotebookReport computed =
      AnalyzeWithImports(repo / "notebooks" / "eda" / "nb.py",
                         "# %%\nimport os, sys\nROOT = os.environ['ROOT']\nsys.path.append(ROOT)\n"
                         "from src.features import f\nimport outside\n");
  found = unresolved(computed);
  EXPECT_FALSE(found.contains("src.features"));
  EXPECT_TRUE(found.contains("outside"));  // nowhere in the repository
}

// A local module the notebook imports, or a script it runs, that puts a directory on sys.path
// (notebooks/context.py adding the repository's root): later imports find modules there. Not
// before it runs; and one that adds a computed directory leaves modules above unjudged.
TEST(ImportLookupTest, ModulesThatExtendTheSearchPath) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  namespace fs = std::filesystem;
  const fs::path repo = tmp.path() / "repo";
  fs::create_directories(repo / ".git");
  fs::create_directories(repo / "pkg");
  fs::create_directories(repo / "notebooks");
  std::ofstream(repo / "pkg" / "__init__.py") << "";
  std::ofstream(repo / "pkg" / "mod.py") << "def f():\n    return 1\n";
  std::ofstream(repo / "notebooks" / "context.py")
      << "import os, sys\n"
         "sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), '..')))\n";
  std::ofstream(repo / "notebooks" / "setup_paths.py") << "import sys\nsys.path.append('..')\n";
  std::ofstream(repo / "notebooks" / "computed.py") << "import sys\nsys.path.append(find_root())\n";
  auto unresolved = [](const NotebookReport& report) {
    std::vector<std::string> found;
    for (const Finding& f : report.findings) {
      found.push_back(StrCat(GetRule(f.diagnostic.rule).code, " ", f.diagnostic.symbol, " cell ",
                             f.start.cell));
    }
    return found;
  };
  const fs::path nb = repo / "notebooks" / "nb.py";
  EXPECT_THAT(unresolved(AnalyzeWithImports(nb, "# %%\nimport context\nfrom pkg.mod import f\n")),
              testing::IsEmpty());
  EXPECT_THAT(unresolved(AnalyzeWithImports(nb, "# %%\n%run setup_paths.py\n\n# %%\nimport pkg\n")),
              testing::IsEmpty());
  EXPECT_THAT(unresolved(AnalyzeWithImports(nb, "# %%\nimport pkg.mod\n\n# %%\nimport context\n")),
              testing::ElementsAre("NB201 pkg.mod cell 1"));
  EXPECT_THAT(unresolved(AnalyzeWithImports(nb, "# %%\nimport computed\nimport pkg.mod\n")),
              testing::IsEmpty());
  EXPECT_THAT(unresolved(AnalyzeWithImports(nb, "# %%\nimport pkg.mod\n")),
              testing::ElementsAre("NB201 pkg.mod cell 1"));
}

// A module of a package imports absolutely (no implicit relative imports): a sibling named like
// a standard module, or the file's own name, is not what `import json` / `import pytest` gets.
TEST(ImportLookupTest, PackageModulesDoNotImportTheirSiblingsImplicitly) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  const std::filesystem::path& dir = tmp.path();
  std::filesystem::create_directory(dir / "pkg");
  std::ofstream(dir / "pkg" / "__init__.py") << "";
  std::ofstream(dir / "pkg" / "json.py") << "x = 1\n";
  std::ofstream(dir / "pkg" / "helpers.py") << "y = 2\n";
  const std::string text =
      "import json\nimport pytest\nimport helpers\n"
      "print(json.dumps, pytest.mark, helpers.y, helpers.z)\n";
  std::ofstream(dir / "pkg" / "pytest.py") << text;
  NotebookReport report = AnalyzeWithImports(dir / "pkg" / "pytest.py", text);
  const std::vector<std::string> found = CodesAndSymbols(report);
  // Other siblings are still found, as when the file runs as a script.
  EXPECT_THAT(found, testing::ElementsAre("NB202 z"));
}

// A package whose names are unknown (a star import of a module it lacks) still has only the
// submodules on disk; one that edits __path__ or installs an import hook may have any.
TEST(ImportLookupTest, SubmodulesOfPackagesWithUnknownNames) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  const std::filesystem::path& dir = tmp.path();
  for (const char* pkg : {"stars", "extended"}) std::filesystem::create_directory(dir / pkg);
  std::ofstream(dir / "stars" / "__init__.py") << "from .missing import *\n";
  std::ofstream(dir / "stars" / "real.py") << "R = 1\n";
  std::ofstream(dir / "extended" / "__init__.py")
      << "from pkgutil import extend_path\n__path__ = extend_path(__path__, __name__)\n";
  NotebookReport report = AnalyzeWithImports(
      dir / "notebook.py",
      "# %%\nfrom stars.real import R\nfrom stars.nothere import X\nimport stars.gone\n"
      "from stars import anything\nimport extended.elsewhere\n");
  const std::vector<std::string> found = CodesAndSymbols(report);
  EXPECT_THAT(found, testing::ElementsAre("NB201 stars.nothere", "NB201 stars.gone"));
}

// Where a missing module was looked for: beside the notebook and in the folders it adds.
TEST(ImportLookupTest, MissingModuleNoteNamesTheAddedFolders) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  std::filesystem::create_directory(tmp.path() / "week1");
  NotebookReport report =
      AnalyzeWithImports(tmp.path() / "week1" / "notebook.py",
                         "# %%\nimport sys\nsys.path.append('..')\nimport grading\n");
  ASSERT_EQ(report.findings.size(), 1u);
  ASSERT_EQ(report.findings[0].diagnostic.notes.size(), 1u);
  EXPECT_EQ(report.findings[0].diagnostic.notes[0],
            "'grading' is not beside the notebook, in the folders it adds to sys.path ('..'), in "
            "the standard library or a declared dependency");
}

// `%pip install -r FILE` reads FILE where the kernel was then: after `%cd repo`, in repo; a
// file a clone would bring is not looked for (nor reported as unreadable).
TEST(ImportLookupTest, RequirementFileOfAnInstallAfterCd) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  const std::filesystem::path& dir = tmp.path();
  std::filesystem::create_directories(dir / "repo");
  std::ofstream(dir / "repo" / "requirements.txt") << "scikit-learn\n";
  auto run = [&](const std::string& text, std::vector<std::string>* problems) {
    NotebookReader reader;
    absl::StatusOr<Notebook> nb = reader.Read((dir / "notebook.py").string(), text);
    EXPECT_TRUE(nb.ok()) << nb.status();
    ImportContext imports{ImportOptions{}};
    AnalyzeOptions options;
    options.imports = &imports;
    NotebookReport report = AnalyzeNotebook(*nb, options);
    *problems = imports.DependencyFileProblems();
    std::vector<std::string> found;
    for (const Finding& f : report.findings) found.push_back(f.diagnostic.symbol);
    return found;
  };
  std::vector<std::string> problems;
  EXPECT_THAT(run("# %%\n%cd repo\n%pip install -r requirements.txt\nimport sklearn\n", &problems),
              testing::IsEmpty());
  EXPECT_THAT(problems, testing::IsEmpty());
  run("# %%\n!git clone https://github.com/u/other\n%cd other\n"
      "%pip install -r requirements-colab.txt\n",
      &problems);
  EXPECT_THAT(problems, testing::IsEmpty());
  // Not there, and nothing fetched: the unreadable file is reported.
  run("# %%\n%pip install -r missing.txt\n", &problems);
  EXPECT_THAT(problems, testing::ElementsAre(testing::HasSubstr("missing.txt")));
}

// Two notebooks of one folder, one adding to its own search path and installing a package:
// in either order, in one batch (whose caches they share), each gets its own answer.
TEST(ImportLookupTest, FolderNeighboursWithTheirOwnSearchPath) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  const std::filesystem::path& dir = tmp.path();
  std::filesystem::create_directory(dir / "lib");
  std::ofstream(dir / "lib" / "helper.py") << "x = 1\n";
  std::ofstream(dir / "requirements.txt") << "numpy\n";
  const std::string own =
      "# %%\nimport sys\nsys.path.append('lib')\n%pip install rich\nimport helper\nimport rich\n"
      "import numpy\n";
  const std::string plain = "# %%\nimport helper\nimport rich\nimport numpy\n";
  for (bool own_first : {true, false}) {
    SCOPED_TRACE(own_first);
    ImportContext imports{ImportOptions{}};
    AnalyzeOptions options;
    options.imports = &imports;
    NotebookReader reader;
    std::map<std::string, std::vector<std::string>> found;
    std::vector<std::pair<std::string, std::string>> order = {{"own.py", own}, {"plain.py", plain}};
    if (!own_first) std::swap(order[0], order[1]);
    for (const auto& [name, text] : order) {
      absl::StatusOr<Notebook> nb = reader.Read((dir / name).string(), text);
      ASSERT_TRUE(nb.ok()) << nb.status();
      found[name] = CodesAndSymbols(AnalyzeNotebook(*nb, options));
    }
    EXPECT_THAT(found["own.py"], testing::IsEmpty());
    EXPECT_THAT(found["plain.py"], testing::UnorderedElementsAre("NB201 helper", "NB203 rich"));
  }
}

// An undeclared import that a declared distribution requires (numpy with pandas, torch with
// torchvision, Pillow with matplotlib): still NB203, with a note that it is installed anyway.
TEST(ImportLookupTest, UndeclaredButRequiredByADeclaredDistribution) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  const std::filesystem::path& dir = tmp.path();
  std::ofstream(dir / "requirements.txt") << "pandas==2.2\ntorchvision\nMatplotlib\n";
  NotebookReport report = AnalyzeWithImports(
      dir / "nb.py", "# %%\nimport numpy\nimport torch\nfrom PIL import Image\nimport rich\n");
  std::map<std::string, std::string> notes;
  for (const Finding& f : report.findings) {
    EXPECT_EQ(GetRule(f.diagnostic.rule).code, "NB203");
    notes[f.diagnostic.symbol] = absl::StrJoin(f.diagnostic.notes, "|");
  }
  // (Of several declared distributions that require it, the first in the table's order.)
  EXPECT_EQ(notes["numpy"],
            "'matplotlib' requires 'numpy', so it is installed, but not at a version this notebook "
            "chose");
  EXPECT_THAT(notes["torch"], HasSubstr("'torchvision' requires 'torch'"));
  EXPECT_THAT(notes["PIL"], HasSubstr("'matplotlib' requires 'Pillow'"));
  EXPECT_EQ(notes["rich"], "");
  EXPECT_EQ(notes.size(), 4u);
  EXPECT_THAT(DistributionsRequiring("NumPy"), testing::Contains("scikit-learn"));
  EXPECT_THAT(DistributionsRequiring("rich"), testing::Contains("keras"));
  EXPECT_THAT(DistributionsRequiring("no-such-distribution"), testing::IsEmpty());
}

// A Databricks notebook exported as Python source: the runtime's names exist, and `%run` of
// another exported notebook binds its names.
TEST(ImportLookupTest, DatabricksSourceExport) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  std::ofstream(tmp.path() / "config.py")
      << "# Databricks notebook source\nsource_path = '/mnt/raw'\n";
  const std::string text =
      "# Databricks notebook source\n# MAGIC %run \"./config\"\n\n# COMMAND ----------\n\n"
      "df = spark.read.json(source_path)\ndisplay(df)\ndbutils.fs.ls(missing_path)\n";
  NotebookReport report = AnalyzeWithImports(tmp.path() / "ingest.py", text);
  const std::vector<std::string> found = CodesAndSymbols(report);
  EXPECT_THAT(found, testing::ElementsAre("NB101 missing_path"));
}

// `%run ./config` runs config.py, as IPython looks; a notebook config.ipynb is not it: the file
// is reported missing, and what config.ipynb defines is not taken as bound.
TEST(ImportLookupTest, RunWithoutExtension) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  std::ofstream(tmp.path() / "config.ipynb")
      << R"({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code",
            "execution_count": null, "metadata": {}, "outputs": [], "source": "x = 1"}]})";
  NotebookReport report =
      AnalyzeWithImports(tmp.path() / "nb.py", "# %%\n%run ./config\nprint(x, y)\n");
  std::vector<std::string> found;
  for (const Finding& f : report.findings) found.emplace_back(GetRule(f.diagnostic.rule).code);
  EXPECT_THAT(found, testing::ElementsAre("NB201"));
  std::ofstream(tmp.path() / "config.py") << "x = 1\n";
  report = AnalyzeWithImports(tmp.path() / "nb.py", "# %%\n%run ./config\nprint(x, y)\n");
  EXPECT_THAT(CodesAndSymbols(report), testing::ElementsAre("NB101 y"));
}

// %run splits its arguments as a POSIX shell does: a quoted path or one with an escaped
// blank is one file, found (its names bound) or reported missing by its name.
TEST(ImportLookupTest, RunPathsWithBlanks) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  std::ofstream(tmp.path() / "my setup.py") << "AREA = 42\n";
  for (std::string_view run : {"%run \"my setup.py\"", "%run 'my setup.py' --fast",
                               "%run my\\ setup.py", "%run -i \"my setup\""}) {
    NotebookReport report =
        AnalyzeWithImports(tmp.path() / "nb.py", StrCat("# %%\n", run, "\nprint(AREA, other)\n"));
    EXPECT_THAT(CodesAndSymbols(report), testing::ElementsAre("NB101 other")) << run;
  }
  NotebookReport missing =
      AnalyzeWithImports(tmp.path() / "nb.py", "# %%\n%run \"Not There.ipynb\"\nprint(AREA)\n");
  ASSERT_EQ(missing.findings.size(), 1u);
  EXPECT_EQ(missing.findings[0].diagnostic.message, "%run: file 'Not There.ipynb' not found");
  EXPECT_EQ(missing.findings[0].start.column, 6u);
}

// A module file that is a link to nowhere (a checkout's link to another machine's path) is no
// module: Python's import skips it.
TEST(ImportLookupTest, DanglingLinkIsNoModule) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  std::error_code ec;
  std::filesystem::create_symlink("/nonexistent/cellflow/helpers.py", tmp.path() / "helpers.py",
                                  ec);
  ASSERT_FALSE(ec) << ec.message();
  std::ofstream(tmp.path() / "real.py") << "X = 1\n";
  std::filesystem::create_symlink(tmp.path() / "real.py", tmp.path() / "linked.py", ec);
  ASSERT_FALSE(ec) << ec.message();
  NotebookReport report = AnalyzeWithImports(
      tmp.path() / "nb.py", "# %%\nimport helpers\nfrom linked import X\nprint(helpers, X)\n");
  EXPECT_THAT(CodesAndSymbols(report), testing::ElementsAre("NB201 helpers"));
}

// An import above the %%writefile cell that makes the module finds nothing on a fresh run;
// not when the file is there too (a regenerated module), nor above a -a cell only.
TEST(ImportLookupTest, ImportAboveTheCellThatWritesTheModule) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  const std::string text =
      "# %%\nimport helpers\nprint(helpers.X)\n\n# %%\n%%writefile helpers.py\nX = 1\n";
  NotebookReport report = AnalyzeWithImports(tmp.path() / "nb.py", text);
  ASSERT_EQ(report.findings.size(), 1u);
  const Finding& f = report.findings[0];
  EXPECT_EQ(f.diagnostic.message, "no module named 'helpers'");
  EXPECT_EQ(f.start.cell, 1u);
  ASSERT_EQ(f.related.size(), 1u);
  EXPECT_EQ(f.related[0].message,
            "'helpers.py' is written by %%writefile in cell 2, which runs after this import");
  EXPECT_EQ(f.related[0].position.cell, 2u);
  EXPECT_EQ(f.diagnostic.help, "move cell 2 above this one, or run it first");
  std::ofstream(tmp.path() / "helpers.py") << "X = 0\n";
  EXPECT_THAT(AnalyzeWithImports(tmp.path() / "nb.py", text).findings, testing::IsEmpty());
}

// A build file that names only its own project (setup.py without install_requires, a
// [project] table without dependencies) declares nothing the notebook needs: no NB203. Once it
// declares something, what it leaves out is.
TEST(ImportLookupTest, BuildFileThatOnlyNamesItsProject) {
  for (const auto& [file, text, undeclared] :
       {std::tuple{"setup.py", "from setuptools import setup\nsetup(name='mypkg')\n", false},
        std::tuple{"pyproject.toml", "[project]\nname = \"mypkg\"\n", false},
        std::tuple{"pyproject.toml", "[project]\nname = \"mypkg\"\ndependencies = [\"pandas\"]\n",
                   true}}) {
    TempDir tmp;
    ASSERT_FALSE(tmp.path().empty());
    std::ofstream(tmp.path() / file) << text;
    NotebookReport report = AnalyzeWithImports(tmp.path() / "nb.py", "# %%\nimport numpy\n");
    const std::vector<std::string> found = CodesAndSymbols(report);
    if (undeclared) {
      EXPECT_THAT(found, testing::ElementsAre("NB203 numpy")) << text;
    } else {
      EXPECT_THAT(found, testing::IsEmpty()) << text;
    }
  }
}

// A local module that is a notebook's JSON under a .py name: importing it fails, once per
// import (no NB202 for the names imported from it).
TEST(ImportLookupTest, LocalModuleThatIsANotebooksJson) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  const std::filesystem::path& dir = tmp.path();
  std::ofstream(dir / "model_core.py")
      << "{\n \"cells\": [{\"cell_type\": \"code\", \"execution_count\": null, \"metadata\": {},"
         " \"outputs\": [], \"source\": \"class Detector: pass\"}],\n \"metadata\": {},\n"
         " \"nbformat\": 4,\n \"nbformat_minor\": 0\n}\n";
  NotebookReport report = AnalyzeWithImports(
      dir / "nb.py", "# %%\nfrom model_core import Detector, make\nimport model_core\n");
  std::vector<std::string> found;
  for (const Finding& f : report.findings) {
    found.push_back(
        StrCat(GetRule(f.diagnostic.rule).code, " ", f.start.line, " ", f.diagnostic.message));
  }
  EXPECT_THAT(found, testing::ElementsAre(
                         "NB201 1 cannot import 'model_core': model_core.py holds a Jupyter "
                         "notebook's JSON, not Python",
                         "NB201 2 cannot import 'model_core': model_core.py holds a Jupyter "
                         "notebook's JSON, not Python"));
  ASSERT_FALSE(report.findings.empty());
  EXPECT_THAT(report.findings[0].diagnostic.help, HasSubstr("Download > .py"));
}

// `import helpers` with helpers.ipynb beside the notebook: a notebook is no module.
TEST(ImportLookupTest, NotebookBesideIsNoModule) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  const std::filesystem::path& dir = tmp.path();
  std::ofstream(dir / "helpers.ipynb") << "{\"cells\": [], \"nbformat\": 4}";
  NotebookReport report = AnalyzeWithImports(dir / "nb.py", "# %%\nimport helpers\nimport other\n");
  ASSERT_EQ(report.findings.size(), 2u);
  const Diagnostic& d = report.findings[0].diagnostic;
  EXPECT_EQ(d.symbol, "helpers");
  EXPECT_THAT(d.notes,
              testing::ElementsAre("'helpers.ipynb' beside the notebook is a notebook, which "
                                   "Python does not import"));
  EXPECT_EQ(d.help,
            "run it with '%run helpers.ipynb' (its names are then defined here), or save its "
            "code as helpers.py");
  EXPECT_THAT(report.findings[1].diagnostic.notes,
              testing::ElementsAre(HasSubstr("is not beside")));

  // The notebook's name differs in case from the import's.
  NotebookReport other_case = AnalyzeWithImports(dir / "nb.py", "# %%\nimport Helpers\n");
  ASSERT_EQ(other_case.findings.size(), 1u);
  const Diagnostic& c = other_case.findings[0].diagnostic;
  EXPECT_THAT(c.notes, testing::ElementsAre("'helpers.ipynb' beside the notebook (its name "
                                            "differs in case) is a notebook, which Python does "
                                            "not import"));
  EXPECT_EQ(c.help,
            "run it with '%run helpers.ipynb' (its names are then defined here), or save its "
            "code as helpers.py and import it by that name");

  // Inside a package, a notebook is none of its modules.
  std::filesystem::create_directory(dir / "pkg");
  std::ofstream(dir / "pkg" / "__init__.py") << "x = 1\n";
  std::ofstream(dir / "pkg" / "demo.ipynb") << "{\"cells\": [], \"nbformat\": 4}";
  NotebookReport in_package = AnalyzeWithImports(dir / "nb2.py", "# %%\nfrom pkg import demo, x\n");
  ASSERT_EQ(in_package.findings.size(), 1u);
  EXPECT_EQ(GetRule(in_package.findings[0].diagnostic.rule).code, "NB202");
  EXPECT_EQ(in_package.findings[0].diagnostic.symbol, "demo");
}

// `import helpers.py`: Python looks for a module `py` in helpers; the help drops the suffix,
// whether helpers.py is there or not.
TEST(ImportLookupTest, ModuleNameWithPySuffix) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  const std::filesystem::path& dir = tmp.path();
  std::ofstream(dir / "helpers.py") << "x = 1\n";
  NotebookReport report = AnalyzeWithImports(
      dir / "nb.py", "# %%\nimport helpers.py\nfrom missing.py import y\nimport helpers\n");
  std::vector<std::string> found;
  for (const Finding& f : report.findings) {
    found.push_back(
        StrCat(GetRule(f.diagnostic.rule).code, " ", f.diagnostic.symbol, ": ", f.diagnostic.help));
  }
  EXPECT_THAT(found, testing::ElementsAre(
                         "NB201 helpers.py: import it as 'helpers': a module's name has no '.py'",
                         "NB201 missing.py: import it as 'missing': a module's name has no '.py'"));
}

// One package reached under two names by two notebooks of a batch ("src.utils" from the
// repository's root, "utils" from src/): each note names it as its own import does.
TEST(ImportLookupTest, OnePackageUnderTwoNamesInABatch) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  const std::filesystem::path& dir = tmp.path();
  std::filesystem::create_directories(dir / "src" / "utils");
  std::ofstream(dir / "src" / "utils" / "__init__.py") << "x = 1\n";
  ImportContext imports{ImportOptions{}};
  AnalyzeOptions options;
  options.imports = &imports;
  NotebookReader reader;
  std::vector<std::string> notes;
  for (const auto& [path, text] :
       {std::pair{dir / "first.py", "# %%\nimport src.utils.long_submodule_name\n"},
        std::pair{dir / "src" / "second.py", "# %%\nimport utils.zz\n"}}) {
    absl::StatusOr<Notebook> nb = reader.Read(path.string(), text);
    ASSERT_TRUE(nb.ok()) << nb.status();
    for (const Finding& f : AnalyzeNotebook(*nb, options).findings) {
      for (const std::string& n : f.diagnostic.notes) notes.push_back(n);
    }
  }
  EXPECT_THAT(notes, testing::Contains(testing::HasSubstr(
                         "'src.utils' is the local package utils/__init__.py, which has no "
                         "module 'long_submodule_name'")));
  EXPECT_THAT(notes,
              testing::Contains(testing::HasSubstr(
                  "'utils' is the local package utils/__init__.py, which has no module 'zz'")));
}

// sys.version_info comparisons, decided under a target version the way Python compares tuples.
// The comparisons of a name holding a literal with literals, as Python answers them; nothing
// where the literals' texts do not tell (escapes, prefixes, True == 1).
TEST(LiteralComparisonTest, ComparesLikePython) {
  auto decide = [](std::string_view setting, std::string_view test) -> std::optional<bool> {
    std::string code = StrCat(setting, "\n", test, "\n");
    Arena arena;
    ParseResult parsed = Parse(code, 0, static_cast<Offset>(code.size()), &arena, {});
    EXPECT_TRUE(parsed.errors.empty()) << test;
    const Expr* value = parsed.module->body[0]->As<AssignStmt>()->value;
    if (!IsComparableLiteral(value, code)) return std::nullopt;
    const auto* stmt = parsed.module->body[1]->As<ExprStmt>();
    return LiteralComparison(
        stmt->value, code, [&](std::string_view name) { return name == "MODE" ? value : nullptr; });
  };
  EXPECT_EQ(decide("MODE = 'daily'", "MODE == 'daily'"), true);
  EXPECT_EQ(decide("MODE = 'daily'", "MODE == \"daily\""), true);
  EXPECT_EQ(decide("MODE = 'daily'", "'hourly' == MODE"), false);
  EXPECT_EQ(decide("MODE = 'daily'", "MODE != 'daily'"), false);
  EXPECT_EQ(decide("MODE = 'daily'", "MODE in ('hourly', 'daily')"), true);
  EXPECT_EQ(decide("MODE = 'daily'", "MODE not in ['hourly']"), true);
  EXPECT_EQ(decide("MODE = 'daily'", "MODE == 3"), false);
  EXPECT_EQ(decide("MODE = 1_000", "MODE == 1000"), true);
  EXPECT_EQ(decide("MODE = None", "MODE is None"), true);
  EXPECT_EQ(decide("MODE = False", "MODE is not True"), true);
  // Not decided: other names, escapes, prefixed strings, bool against int, `is` with a string,
  // chained or other comparisons.
  EXPECT_EQ(decide("MODE = 'daily'", "OTHER == 'daily'"), std::nullopt);
  EXPECT_EQ(decide("MODE = 'da\\x69ly'", "MODE == 'daily'"), std::nullopt);
  EXPECT_EQ(decide("MODE = 'daily'", "MODE == f'daily'"), std::nullopt);
  EXPECT_EQ(decide("MODE = True", "MODE == 1"), std::nullopt);
  EXPECT_EQ(decide("MODE = 'a'", "MODE is 'a'"), std::nullopt);
  EXPECT_EQ(decide("MODE = 1", "0 < MODE < 2"), std::nullopt);
  EXPECT_EQ(decide("MODE = 1", "MODE > 0"), std::nullopt);
  EXPECT_EQ(decide("MODE = 1", "MODE in (x, 1)"), std::nullopt);
  EXPECT_EQ(decide("MODE = 0x10", "MODE == 16"), std::nullopt);
}

TEST(VersionTestTest, ComparesLikePython) {
  auto decide = [](std::string_view test, int minor) -> std::optional<bool> {
    std::string code(test);
    Arena arena;
    ParseResult parsed = Parse(code, 0, static_cast<Offset>(code.size()), &arena, {});
    EXPECT_TRUE(parsed.errors.empty()) << test;
    const auto* stmt = parsed.module->body.front()->As<ExprStmt>();
    return VersionTest(stmt->value, code, minor);
  };
  EXPECT_EQ(decide("sys.version_info >= (3, 8)", 12), true);
  EXPECT_EQ(decide("sys.version_info >= (3, 13)", 12), false);
  EXPECT_EQ(decide("sys.version_info > (3, 12)", 12), true);  // 3.12.x > (3, 12)
  EXPECT_EQ(decide("sys.version_info == (3, 12)", 12), false);
  EXPECT_EQ(decide("sys.version_info < (3,)", 12), false);
  EXPECT_EQ(decide("sys.version_info[0] == 2", 12), false);
  EXPECT_EQ(decide("sys.version_info[0] >= 3", 8), true);
  EXPECT_EQ(decide("sys.version_info[1] < 10", 9), true);
  EXPECT_EQ(decide("sys.version_info[:2] >= (3, 11)", 11), true);
  EXPECT_EQ(decide("sys.version_info[:2] == (3, 11)", 11), true);
  EXPECT_EQ(decide("sys.version_info.major != 3", 12), false);
  EXPECT_EQ(decide("sys.version_info.minor >= 12", 12), true);
  // Not decided: the micro version, other objects, other operators.
  EXPECT_EQ(decide("sys.version_info >= (3, 12, 1)", 12), std::nullopt);
  EXPECT_EQ(decide("version_info >= (3, 8)", 12), std::nullopt);
  EXPECT_EQ(decide("sys.version_info in [(3, 8)]", 12), std::nullopt);
  EXPECT_EQ(decide("sys.version_info[0] >= x", 12), std::nullopt);
}

TEST(MagicBindingsTest, SqlResultVariableIsTheWordBeforeTheShift) {
  EXPECT_EQ(SqlMagicTarget(" result <<"), "result");
  EXPECT_EQ(SqlMagicTarget(" rows<< SELECT 1"), "rows");
  EXPECT_EQ(SqlMagicTarget(" sqlite:///a.db out << SELECT 1\nmore"), "out");
  EXPECT_EQ(SqlMagicTarget(" SELECT 1"), "");
  EXPECT_EQ(SqlMagicTarget(" a.b << SELECT 1"), "");
  EXPECT_EQ(SqlMagicTarget(" 1x << SELECT 1"), "");
  EXPECT_EQ(SqlMagicTarget(" << SELECT 1"), "");
  EXPECT_EQ(SqlMagicTarget(" SELECT 1\nx << y"), "");  // only the first line
  // `result = <<` keeps the result too; a cell magic may start its body with the variable.
  EXPECT_EQ(SqlMagicTarget(" top=<<"), "top");
  EXPECT_EQ(SqlMagicTarget(" top = << SELECT 1"), "top");
  EXPECT_EQ(SqlMagicTarget("\n\nres << SELECT 2"), "res");
  EXPECT_EQ(SqlMagicTarget(" sqlite:///a.db -l\n  res = << SELECT 2"), "res");
  EXPECT_EQ(SqlMagicTarget("\nSELECT 2\nres << x"), "");
  EXPECT_EQ(SqlMagicTarget("\nres.x << SELECT 2"), "");
}

TEST(MagicBindingsTest, BigQueryDestinationIsThePositionalArgument) {
  EXPECT_EQ(BigQueryMagicTarget(" trips"), "trips");
  EXPECT_EQ(BigQueryMagicTarget(" df --project $PROJECT"), "df");
  EXPECT_EQ(BigQueryMagicTarget(" --project my-proj df1"), "df1");
  EXPECT_EQ(BigQueryMagicTarget(" --use_rest_api df3 --location EU"), "df3");
  EXPECT_EQ(BigQueryMagicTarget(" --project=p out"), "out");
  EXPECT_EQ(BigQueryMagicTarget(" --dry_run\ndf"), "");  // only the first line
  EXPECT_EQ(BigQueryMagicTarget(" --project p"), "");
  EXPECT_EQ(BigQueryMagicTarget(" --params {\"n\": 3}"), "");
  EXPECT_EQ(BigQueryMagicTarget(""), "");
}

}  // namespace
}  // namespace cellflow
