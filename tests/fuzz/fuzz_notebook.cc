// libFuzzer target: reads arbitrary bytes as a notebook (.ipynb) and as a script (.py) and checks
// the invariants every notebook the reader returns must keep.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

#include "driver/notebook.h"

namespace {

// Number of source lines: "\n", "\r\n" or a lone "\r" ends one; no empty line after the last.
size_t CountLines(std::string_view s) {
  size_t lines = 0;
  size_t pos = 0;
  while (pos < s.size()) {
    ++lines;
    size_t e = s.find_first_of("\r\n", pos);
    if (e == std::string_view::npos) break;
    pos = e + 1;
    if (s[e] == '\r' && pos < s.size() && s[pos] == '\n') ++pos;
  }
  return lines;
}

[[noreturn]] void Fail(const char* path, const cellflow::Cell& cell, const char* what) {
  std::fprintf(stderr, "invariant violated reading %s, cell %u: %s\n", path, cell.index, what);
  std::abort();
}

void Check(const char* path, const cellflow::Notebook& nb) {
  for (size_t i = 0; i < nb.cells.size(); ++i) {
    const cellflow::Cell& cell = nb.cells[i];
    if (cell.index != i + 1) Fail(path, cell, "cells are not numbered 1..n in order");
    if (cell.begin > cell.end) Fail(path, cell, "begin > end");
    if (cell.end > nb.buffer.size()) Fail(path, cell, "[begin, end) is outside the buffer");
    if (cell.raw_lines_begin > cell.raw_lines_end || cell.raw_lines_end > nb.raw_lines.size()) {
      Fail(path, cell, "[raw_lines_begin, raw_lines_end) is outside raw_lines");
    }
    std::span<const uint32_t> raw_lines = nb.RawLines(cell);
    if (raw_lines.size() != CountLines(nb.Source(cell))) {
      Fail(path, cell, "RawLines().size() differs from the number of source lines");
    }
    for (size_t k = 0; k < raw_lines.size(); ++k) {
      if (raw_lines[k] < 1) Fail(path, cell, "a raw line is 0");
      if (k > 0 && raw_lines[k] < raw_lines[k - 1]) {
        Fail(path, cell, "raw_lines decrease");
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static cellflow::NotebookReader* reader = new cellflow::NotebookReader();
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  for (const char* path : {"x.ipynb", "x.py"}) {
    cellflow::ReadErrorPosition where;
    absl::StatusOr<cellflow::Notebook> nb = reader->Read(path, bytes, &where);
    if (nb.ok()) {
      Check(path, *nb);
    } else if (nb.status().message().empty()) {
      std::fprintf(stderr, "reading %s failed without a message\n", path);
      std::abort();
    }
  }
  return 0;
}
