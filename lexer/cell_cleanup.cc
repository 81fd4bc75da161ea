// IPython's cleanup transforms of a cell, found once per cell and applied line by line.
#include "lexer/cell_cleanup.h"

#include <cstring>

namespace cellflow {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\f'; }
bool IsLineEnd(char c) { return c == '\n' || c == '\r'; }

// ">>>" or "..." followed by a space or the end of the line: its length, or 0. `first_line`
// accepts ">>>" only, as IPython's first-line pattern does.
size_t ClassicPrompt(std::string_view b, size_t p, size_t end, bool first_line) {
  if (end - p < 3) return 0;
  std::string_view three = b.substr(p, 3);
  if (three != ">>>" && (first_line || three != "...")) return 0;
  if (p + 3 == end || IsLineEnd(b[p + 3])) return 3;
  return b[p + 3] == ' ' ? 4 : 0;
}

// "In [12]: " (after an optional "[nav] " or "[ins] " of vi mode, or a lone space), or blanks,
// three or more dots, ':' and an optional space: its length, or 0.
size_t IPythonPrompt(std::string_view b, size_t p, size_t end) {
  if (p >= end) return 0;
  // Most lines start with neither prompt: "In [", "[nav] ", " In [", blanks and "...".
  const char c0 = b[p];
  if (c0 != 'I' && c0 != '[' && c0 != '.' && !IsBlank(c0)) return 0;
  size_t q = p;
  for (std::string_view vi : {"[nav] ", "[ins] "}) {
    if (b.substr(q, vi.size()) == vi && q + vi.size() <= end) {
      q += vi.size();
      break;
    }
  }
  if (q == p && q < end && b[q] == ' ') ++q;
  for (size_t start : {q, p}) {
    if (b.substr(start, 4) != "In [" || start + 4 > end) continue;
    size_t r = start + 4;
    size_t digits = r;
    while (r < end && b[r] >= '0' && b[r] <= '9') ++r;
    if (r > digits && r + 2 < end && b.substr(r, 3) == "]: ") return r + 3 - p;
  }
  size_t r = p;
  while (r < end && IsBlank(b[r])) ++r;
  size_t dots = r;
  while (r < end && b[r] == '.') ++r;
  if (r - dots < 3 || r >= end || b[r] != ':') return 0;
  ++r;
  if (r < end && b[r] == ' ') ++r;
  return r - p;
}

size_t LineEnd(std::string_view b, size_t p, size_t end) {
  // A line ends at '\n', '\r\n' or a lone '\r': look for '\n', then for an earlier '\r'.
  const void* nl = p < end ? std::memchr(b.data() + p, '\n', end - p) : nullptr;
  size_t stop = nl == nullptr ? end : static_cast<size_t>(static_cast<const char*>(nl) - b.data());
  const void* cr = p < stop ? std::memchr(b.data() + p, '\r', stop - p) : nullptr;
  return cr == nullptr ? stop : static_cast<size_t>(static_cast<const char*>(cr) - b.data());
}

size_t NextLine(std::string_view b, size_t p, size_t end) {
  p = LineEnd(b, p, end);
  if (p < end && b[p] == '\r') ++p;
  if (p < end && b[p] == '\n') ++p;
  return p;
}

}  // namespace

size_t CellCleanup::Skip(std::string_view buffer, size_t p, size_t end) const {
  if (!indent.empty() && buffer.substr(p, indent.size()) == indent && p + indent.size() <= end) {
    p += indent.size();
  }
  if (classic_prompts) p += ClassicPrompt(buffer, p, end, /*first_line=*/false);
  if (ipython_prompts) p += IPythonPrompt(buffer, p, end);
  return p;
}

CellCleanup FindCellCleanup(std::string_view buffer, size_t begin, size_t end) {
  CellCleanup c;
  // leading_empty_lines: the cell starts at its first line that is not blank.
  size_t first = begin;
  while (first < end) {
    size_t q = first;
    while (q < end && IsBlank(buffer[q])) ++q;
    if (q < end && !IsLineEnd(buffer[q])) break;
    first = NextLine(buffer, first, end);
  }
  if (first >= end) return c;
  size_t q = first;
  while (q < end && (buffer[q] == ' ' || buffer[q] == '\t')) ++q;
  c.indent = buffer.substr(first, q - first);
  // The prompt strippers look at the first two lines as the transforms before them left them:
  // c.Skip applies those decided so far.
  const size_t second = NextLine(buffer, first, end);
  const bool two_lines = second < end;
  size_t l0 = c.Skip(buffer, first, end);
  size_t l1 = two_lines ? c.Skip(buffer, second, end) : end;
  c.classic_prompts = ClassicPrompt(buffer, l0, end, /*first_line=*/true) != 0 ||
                      (two_lines && ClassicPrompt(buffer, l1, end, false) != 0);
  if (c.classic_prompts) {
    l0 = c.Skip(buffer, first, end);
    if (two_lines) l1 = c.Skip(buffer, second, end);
  }
  c.ipython_prompts =
      IPythonPrompt(buffer, l0, end) != 0 || (two_lines && IPythonPrompt(buffer, l1, end) != 0);
  return c;
}

}  // namespace cellflow
