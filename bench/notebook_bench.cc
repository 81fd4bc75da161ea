// Throughput of the notebook reader (JSON parse, cell split, raw-line map) and of the analysis
// over every .ipynb of the shared notebook corpus, single-threaded.
//
// The files are read into memory once, before timing, from
//   CELLFLOW_CORPUS        the corpus directory, else
//   CELLFLOW_SHARED_DIR    + "/corpus", else
//   <source>/../shared/corpus (compiled in).
// A missing corpus skips the benchmark with the reason.
//
// BM_ReadNotebooks counters: bytes_per_second (raw .ipynb bytes) and items_per_second
// (notebooks), `files`, `MB`, `cells`, and `errors`: the notebooks the reader refuses (0 on the
// shared corpus). BM_ParseCells, BM_AnalyzeNotebooks and BM_AnalyzeNotebooksImports count the
// bytes of the code cells (`code_MB`), read before timing.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include <benchmark/benchmark.h>

#include "driver/analyze.h"
#include "driver/environment.h"
#include "driver/notebook.h"
#include "parser/parser.h"

#ifndef CELLFLOW_NOTEBOOK_BENCH_CORPUS_DEFAULT
#define CELLFLOW_NOTEBOOK_BENCH_CORPUS_DEFAULT "../shared/corpus"
#endif

namespace cellflow {
namespace {

namespace fs = std::filesystem;

struct NotebookFile {
  std::string path;
  std::string bytes;
};

struct Corpus {
  std::string dir;
  std::vector<NotebookFile> files;
  int64_t bytes = 0;
  std::string missing;  // why `files` is empty, when it is
};

std::string CorpusDir() {
  if (const char* env = std::getenv("CELLFLOW_CORPUS"); env != nullptr && *env != '\0') {
    return env;
  }
  if (const char* env = std::getenv("CELLFLOW_SHARED_DIR"); env != nullptr && *env != '\0') {
    return std::string(env) + "/corpus";
  }
  return CELLFLOW_NOTEBOOK_BENCH_CORPUS_DEFAULT;
}

Corpus* LoadCorpus() {
  auto* corpus = new Corpus;
  corpus->dir = CorpusDir();
  std::error_code ec;
  if (!fs::is_directory(corpus->dir, ec)) {
    corpus->missing = "corpus directory not found: '" + corpus->dir + "' (set CELLFLOW_CORPUS)";
    return corpus;
  }
  std::vector<fs::path> paths;
  fs::recursive_directory_iterator it(corpus->dir, fs::directory_options::skip_permission_denied,
                                      ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->path().extension() == ".ipynb" && it->is_regular_file(ec)) {
      paths.push_back(it->path());
    }
  }
  std::sort(paths.begin(), paths.end());
  for (const fs::path& path : paths) {
    std::ifstream in(path, std::ios::binary);
    if (!in) continue;
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // As the cellflow command reads files: with spare capacity, parsed in place.
    bytes.reserve(bytes.size() + NotebookReader::kReadPadding);
    corpus->bytes += static_cast<int64_t>(bytes.size());
    corpus->files.push_back({path.generic_string(), std::move(bytes)});
  }
  if (corpus->files.empty()) corpus->missing = "no .ipynb files under '" + corpus->dir + "'";
  return corpus;
}

const Corpus& TheCorpus() {
  static const Corpus* corpus = LoadCorpus();
  return *corpus;
}

void BM_ReadNotebooks(benchmark::State& state) {
  const Corpus& corpus = TheCorpus();
  if (corpus.files.empty()) {
    state.SkipWithError(corpus.missing.c_str());
    return;
  }
  NotebookReader reader;
  int64_t cells = 0;
  int errors = 0;
  bool first = true;
  for (auto _ : state) {
    for (const NotebookFile& file : corpus.files) {
      absl::StatusOr<Notebook> nb =
          reader.Read(file.path, file.bytes, nullptr, file.bytes.capacity() - file.bytes.size());
      if (first) {
        if (nb.ok()) {
          cells += static_cast<int64_t>(nb->cells.size());
        } else if (++errors <= 5) {
          std::fprintf(stderr, "BM_ReadNotebooks: %s: %s\n", file.path.c_str(),
                       std::string(nb.status().message()).c_str());
        }
      }
      benchmark::DoNotOptimize(nb);
    }
    first = false;
  }
  state.SetBytesProcessed(state.iterations() * corpus.bytes);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(corpus.files.size()));
  state.counters["files"] = static_cast<double>(corpus.files.size());
  state.counters["MB"] = static_cast<double>(corpus.bytes) / 1e6;
  state.counters["cells"] = static_cast<double>(cells);
  state.counters["errors"] = errors;
}

BENCHMARK(BM_ReadNotebooks)->Unit(benchmark::kMillisecond);

// The corpus' notebooks, read once, for the analysis benchmarks; and their code bytes.
struct ReadCorpus {
  std::vector<Notebook> notebooks;
  int64_t code_bytes = 0;
};

const ReadCorpus& TheReadCorpus() {
  static const ReadCorpus* read = [] {
    auto* r = new ReadCorpus;
    NotebookReader reader;
    for (const NotebookFile& file : TheCorpus().files) {
      absl::StatusOr<Notebook> nb = reader.Read(file.path, file.bytes);
      if (!nb.ok() || !nb->IsPython()) continue;
      for (const Cell& c : nb->cells) {
        if (c.IsCode()) r->code_bytes += c.end - c.begin;
      }
      r->notebooks.push_back(*std::move(nb));
    }
    return r;
  }();
  return *read;
}

// Lexing and parsing of every code cell: the baseline the analysis is compared with.
void BM_ParseCells(benchmark::State& state) {
  const ReadCorpus& corpus = TheReadCorpus();
  if (corpus.notebooks.empty()) {
    state.SkipWithError("no notebooks");
    return;
  }
  for (auto _ : state) {
    for (const Notebook& nb : corpus.notebooks) {
      Arena arena;
      ParseOptions options;
      options.ipython = true;
      for (const Cell& c : nb.cells) {
        if (!c.IsCode()) continue;
        ParseResult r = Parse(nb.buffer, c.begin, c.end, &arena, options);
        benchmark::DoNotOptimize(r.module);
      }
    }
  }
  state.SetBytesProcessed(state.iterations() * corpus.code_bytes);
  state.counters["code_MB"] = static_cast<double>(corpus.code_bytes) / 1e6;
}

// What `cellflow check` does with a notebook once it is read (AnalyzeNotebook): parse, scopes,
// IR, dataflow, name rules, the hidden-state replay, positions; with `imports`, also import
// resolution against the notebook's real surroundings in the corpus (the files beside it, its
// dependency files) and rules NB201-NB204.
void AnalyzeCorpus(benchmark::State& state, bool imports) {
  const ReadCorpus& corpus = TheReadCorpus();
  if (corpus.notebooks.empty()) {
    state.SkipWithError("no notebooks");
    return;
  }
  int64_t findings = 0;
  for (auto _ : state) {
    // As in one `cellflow check` run: one import context for the batch, so every folder is
    // listed and every dependency file and local module read once per pass.
    std::unique_ptr<ImportContext> context;
    AnalyzeOptions options;
    if (imports) {
      context = std::make_unique<ImportContext>(ImportOptions{});
      options.imports = context.get();
    }
    findings = 0;
    for (const Notebook& nb : corpus.notebooks) {
      NotebookReport report = AnalyzeNotebook(nb, options);
      findings += static_cast<int64_t>(report.findings.size());
      benchmark::DoNotOptimize(report);
    }
  }
  state.SetBytesProcessed(state.iterations() * corpus.code_bytes);
  state.counters["code_MB"] = static_cast<double>(corpus.code_bytes) / 1e6;
  state.counters["findings"] = static_cast<double>(findings);
}

void BM_AnalyzeNotebooks(benchmark::State& state) { AnalyzeCorpus(state, /*imports=*/false); }
void BM_AnalyzeNotebooksImports(benchmark::State& state) { AnalyzeCorpus(state, /*imports=*/true); }

BENCHMARK(BM_ParseCells)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AnalyzeNotebooks)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AnalyzeNotebooksImports)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cellflow

BENCHMARK_MAIN();
