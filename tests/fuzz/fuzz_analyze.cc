// libFuzzer target: reads arbitrary bytes as a jupytext percent script and as a notebook, and
// runs the whole analysis (scopes, IR, dataflow, name rules, the recorded-order replay) on what
// the reader accepts, in both cell orders. Every finding must lie within the cells it names.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "driver/analyze.h"
#include "driver/notebook.h"

namespace {

[[noreturn]] void Fail(const char* path, const char* what) {
  std::fprintf(stderr, "analysis invariant violated for %s: %s\n", path, what);
  std::abort();
}

void Check(const char* path, const cellflow::Notebook& nb, const cellflow::NotebookReport& r) {
  for (const cellflow::Finding& f : r.findings) {
    const cellflow::Range range = f.diagnostic.range;
    if (range.start > range.end) Fail(path, "a finding ends before it starts");
    if (range.end > nb.buffer.size()) Fail(path, "a finding ends past the buffer");
    if (f.start.cell > nb.cells.size()) Fail(path, "a finding names a cell that is not there");
  }
  for (uint32_t c : r.suggested_order) {
    if (c < 1 || c > nb.cells.size()) Fail(path, "a suggested order names a cell not there");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static cellflow::NotebookReader* reader = new cellflow::NotebookReader();
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  for (const char* path : {"x.py", "x.ipynb"}) {
    absl::StatusOr<cellflow::Notebook> nb = reader->Read(path, bytes);
    if (!nb.ok()) continue;
    for (cellflow::CellOrder order : {cellflow::CellOrder::kFile, cellflow::CellOrder::kExecuted}) {
      cellflow::AnalyzeOptions options;
      options.order = order;
      Check(path, *nb, cellflow::AnalyzeNotebook(*nb, options));
    }
  }
  return 0;
}
