// libFuzzer target: lexes and parses arbitrary bytes (plain and IPython mode) and checks the
// invariants every parse must keep.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "lexer/source.h"
#include "parser/names.h"
#include "parser/parser.h"
#include "tests/invariants.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  cellflow::DecodedSource source = cellflow::DecodeSource(bytes);
  for (bool ipython : {false, true}) {
    cellflow::Arena arena;
    cellflow::ParseOptions options;
    options.ipython = ipython;
    cellflow::ParseResult result = cellflow::Parse(source.text, &arena, options);
    std::string problem = cellflow::CheckParseInvariants(source.text, result);
    if (!problem.empty()) {
      fprintf(stderr, "invariant violated: %s\n", problem.c_str());
      std::abort();
    }
    cellflow::CollectNames(result.module);
  }
  return 0;
}
