// Throughput of the lexer and the parser over the Python standard library and over the code cells
// of the shared notebook corpus.
//
// Inputs are read and decoded once, before timing:
//   CELLFLOW_BENCH_STDLIB  the stdlib directory (site-packages is skipped). When unset, python3
//                          is asked once for sysconfig's "stdlib" path.
//   CELLFLOW_BENCH_CELLS   a directory of .py files, one per code cell, written by
//                          bench/extract_cells.py (default: <build>/bench/cells).
// A benchmark whose inputs are missing is reported as skipped with the reason.
//
// Counters: bytes_per_second (of decoded text; the console shows binary units, M/s = MiB/s) and
// items_per_second (files) for every benchmark, `files`, `MB` (the set's size, 10^6 bytes), and
// `errors`: the number of inputs with at least one lexer (BM_Lex_*) or parser (BM_Parse_*) error.
// The stdlib set excludes CPython's own known-bad test inputs, so `errors` must be 0 there.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <benchmark/benchmark.h>

#include "lexer/lexer.h"
#include "lexer/source.h"
#include "parser/arena.h"
#include "parser/parser.h"

#ifndef CELLFLOW_BENCH_CELLS_DEFAULT
#define CELLFLOW_BENCH_CELLS_DEFAULT "bench/cells"
#endif

namespace cellflow {
namespace {

namespace fs = std::filesystem;

struct Input {
  std::string path;
  std::string text;  // decoded UTF-8
};

struct InputSet {
  std::vector<Input> inputs;
  int64_t bytes = 0;
  int decode_skipped = 0;
  bool expect_clean = false;  // every input is valid Python: list the ones with errors
  std::string missing;        // why the set is empty, when it is
};

// Stdlib files that CPython itself rejects or that are not Python 3 (tokenizer and lib2to3 test
// data): they are left out so that the `errors` counter has to be 0.
bool IsKnownBadStdlibFile(std::string_view path) {
  for (std::string_view part : {"badsyntax", "bad_coding", "tokenizedata", "lib2to3/tests/data"}) {
    if (path.find(part) != std::string_view::npos) return true;
  }
  return false;
}

bool ReadBytes(const fs::path& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

std::string TrimTrailingNewlines(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// The stdlib directory: $CELLFLOW_BENCH_STDLIB, else what python3 reports (asked once).
std::string StdlibDir() {
  if (const char* env = std::getenv("CELLFLOW_BENCH_STDLIB"); env != nullptr && *env != '\0') {
    return env;
  }
  FILE* pipe = popen(
      "python3 -c 'import sysconfig; print(sysconfig.get_paths()[\"stdlib\"])' 2>/dev/null", "r");
  if (pipe == nullptr) return "";
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), pipe)) > 0) out.append(buf, n);
  if (pclose(pipe) != 0) return "";
  return TrimTrailingNewlines(std::move(out));
}

// Every *.py file under `root` in path order, not descending into site-packages. Files that
// `keep` rejects, that cannot be read, or that do not decode are left out.
template <typename Keep>
InputSet LoadTree(const std::string& root, Keep keep) {
  InputSet set;
  std::error_code ec;
  if (root.empty() || !fs::is_directory(root, ec)) {
    set.missing = "input directory not found: '" + root + "'";
    return set;
  }
  std::vector<fs::path> paths;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::directory_entry& entry = *it;
    if (entry.is_directory(ec)) {
      if (entry.path().filename() == "site-packages") it.disable_recursion_pending();
      continue;
    }
    if (entry.path().extension() == ".py" && entry.is_regular_file(ec)) {
      paths.push_back(entry.path());
    }
  }
  std::sort(paths.begin(), paths.end());
  for (const fs::path& path : paths) {
    std::string bytes;
    if (!ReadBytes(path, &bytes)) continue;
    if (!keep(path.generic_string(), bytes)) continue;
    DecodedSource source = DecodeSource(bytes);
    if (!source.problems.empty()) {
      ++set.decode_skipped;
      continue;
    }
    set.bytes += static_cast<int64_t>(source.text.size());
    set.inputs.push_back({path.generic_string(), std::move(source.text)});
  }
  if (set.inputs.empty()) set.missing = "no .py files under '" + root + "'";
  return set;
}

bool HasNonAscii(std::string_view bytes) {
  return std::any_of(bytes.begin(), bytes.end(),
                     [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

// The stdlib minus CPython's known-bad inputs; all of it, or only the files whose bytes are not
// all ASCII (identifiers, strings and comments in other scripts: the lexer's slow paths).
InputSet* LoadStdlib(bool non_ascii_only) {
  auto* set = new InputSet(
      LoadTree(StdlibDir(), [non_ascii_only](const std::string& path, const std::string& bytes) {
        return !IsKnownBadStdlibFile(path) && (!non_ascii_only || HasNonAscii(bytes));
      }));
  set->expect_clean = true;
  return set;
}

const InputSet& Stdlib() {
  static const InputSet* set = LoadStdlib(false);
  return *set;
}

const InputSet& StdlibUnicode() {
  static const InputSet* set = LoadStdlib(true);
  return *set;
}

const InputSet& Cells() {
  static const InputSet* set = [] {
    const char* env = std::getenv("CELLFLOW_BENCH_CELLS");
    std::string dir = env != nullptr && *env != '\0' ? env : CELLFLOW_BENCH_CELLS_DEFAULT;
    auto* cells =
        new InputSet(LoadTree(dir, [](const std::string&, const std::string&) { return true; }));
    if (!cells->missing.empty()) {
      cells->missing += " (write it with: python3 bench/extract_cells.py CORPUS_DIR " + dir + ")";
    }
    return cells;
  }();
  return *set;
}

// Skips the benchmark, with the reason, when the set is empty. Returns false when skipped.
bool Prepare(benchmark::State& state, const InputSet& set) {
  if (set.inputs.empty()) {
    state.SkipWithError(set.missing.c_str());
    return false;
  }
  return true;
}

void Finish(benchmark::State& state, const InputSet& set, int error_files) {
  state.SetBytesProcessed(state.iterations() * set.bytes);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(set.inputs.size()));
  state.counters["files"] = static_cast<double>(set.inputs.size());
  state.counters["MB"] = static_cast<double>(set.bytes) / 1e6;
  state.counters["errors"] = error_files;
  if (set.decode_skipped > 0) state.counters["decode_skipped"] = set.decode_skipped;
}

// For a set of valid inputs, prints the first few with errors once per benchmark, so a nonzero
// `errors` can be looked at without rerunning anything. (Notebook cells include Python 2 code.)
void ReportErrors(const char* name, const InputSet& set, const std::vector<std::string>& failed) {
  static std::vector<std::string> reported;
  if (!set.expect_clean || failed.empty() ||
      std::find(reported.begin(), reported.end(), name) != reported.end()) {
    return;
  }
  reported.push_back(name);
  std::fprintf(stderr, "%s: %zu input(s) with errors, first ones:\n", name, failed.size());
  for (size_t i = 0; i < failed.size() && i < 10; ++i) {
    std::fprintf(stderr, "  %s\n", failed[i].c_str());
  }
}

void RunLex(benchmark::State& state, const char* name, const InputSet& set, bool ipython) {
  if (!Prepare(state, set)) return;
  LexOptions options;
  options.ipython = ipython;
  std::vector<std::string> failed;
  bool first = true;
  for (auto _ : state) {
    for (const Input& input : set.inputs) {
      LexResult result;
      Tokenize(input.text, 0, static_cast<Offset>(input.text.size()), options, &result);
      benchmark::DoNotOptimize(result.tokens.data());
      if (first && !result.errors.empty()) failed.push_back(input.path);
    }
    benchmark::ClobberMemory();
    first = false;
  }
  Finish(state, set, static_cast<int>(failed.size()));
  ReportErrors(name, set, failed);
}

void RunParse(benchmark::State& state, const char* name, const InputSet& set, bool ipython) {
  if (!Prepare(state, set)) return;
  ParseOptions options;
  options.ipython = ipython;
  std::vector<std::string> failed;
  bool first = true;
  for (auto _ : state) {
    for (const Input& input : set.inputs) {
      Arena arena;
      ParseResult result = Parse(input.text, &arena, options);
      benchmark::DoNotOptimize(result.module);
      if (first && !result.ok()) failed.push_back(input.path);
    }
    benchmark::ClobberMemory();
    first = false;
  }
  Finish(state, set, static_cast<int>(failed.size()));
  ReportErrors(name, set, failed);
}

void BM_Lex_Stdlib(benchmark::State& state) { RunLex(state, "BM_Lex_Stdlib", Stdlib(), false); }
void BM_Parse_Stdlib(benchmark::State& state) {
  RunParse(state, "BM_Parse_Stdlib", Stdlib(), false);
}
void BM_Lex_Cells(benchmark::State& state) { RunLex(state, "BM_Lex_Cells", Cells(), true); }
void BM_Parse_Cells(benchmark::State& state) { RunParse(state, "BM_Parse_Cells", Cells(), true); }
void BM_Parse_Unicode(benchmark::State& state) {
  RunParse(state, "BM_Parse_Unicode", StdlibUnicode(), false);
}

BENCHMARK(BM_Lex_Stdlib)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Parse_Stdlib)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Lex_Cells)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Parse_Cells)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Parse_Unicode)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cellflow

BENCHMARK_MAIN();
