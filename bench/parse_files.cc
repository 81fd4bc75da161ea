// Times cellflow's parser on a list of files, for bench/parse_vs_cpython.sh.
//
// Usage: parse_files [ROUNDS] < LIST
// LIST holds one path per line. Every file is read into memory first; then each round decodes
// (BOM, coding cookie) and parses every file once, single-threaded, like CPython's
// ast.parse(bytes). Prints one line:
//   files=F bytes=B rounds=R best_seconds=S errors=E
// where B is the raw size of all files, S the fastest round in CPU seconds of this process
// (steadier than wall time on a shared machine) and E the number of files with decoding or syntax
// errors. Exit: 0, 1 a file could not be read, 2 usage.
#include <time.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "lexer/source.h"
#include "parser/arena.h"
#include "parser/parser.h"

namespace cellflow {
namespace {

double CpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

int Main(int argc, char** argv) {
  int rounds = 3;
  if (argc > 2 || (argc == 2 && (rounds = std::atoi(argv[1])) <= 0)) {
    std::fprintf(stderr, "usage: %s [ROUNDS] < LIST_OF_FILES\n", argv[0]);
    return 2;
  }
  std::vector<std::string> files;
  int64_t total = 0;
  std::string path;
  while (std::getline(std::cin, path)) {
    if (path.empty()) continue;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "parse_files: cannot open %s\n", path.c_str());
      return 1;
    }
    files.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    total += static_cast<int64_t>(files.back().size());
  }

  double best = std::numeric_limits<double>::infinity();
  int errors = 0;
  for (int round = 0; round < rounds; ++round) {
    int round_errors = 0;
    double start = CpuSeconds();
    for (const std::string& bytes : files) {
      DecodedSource source = DecodeSource(bytes);
      Arena arena;
      ParseResult result = Parse(source.text, &arena);
      benchmark::DoNotOptimize(result.module);
      if (!source.problems.empty() || !result.ok()) ++round_errors;
    }
    best = std::min(best, CpuSeconds() - start);
    errors = round_errors;
  }
  std::printf("files=%zu bytes=%lld rounds=%d best_seconds=%.6f errors=%d\n", files.size(),
              static_cast<long long>(total), rounds, best, errors);
  return 0;
}

}  // namespace
}  // namespace cellflow

int main(int argc, char** argv) { return cellflow::Main(argc, argv); }
