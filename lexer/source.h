// Source text: decoding raw bytes to UTF-8 (BOM, PEP 263 cookies) and line/column lookup.
#ifndef CELLFLOW_LEXER_SOURCE_H_
#define CELLFLOW_LEXER_SOURCE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lexer/token.h"

namespace cellflow {

// A problem found while decoding, at a byte offset of the decoded text.
struct DecodeProblem {
  Offset offset = 0;
  std::string message;
};

struct DecodedSource {
  std::string text;  // UTF-8, BOM removed; invalid bytes are kept as they were
  std::string encoding = "utf-8";
  std::vector<DecodeProblem> problems;  // empty when CPython would decode the file
};

// Decodes the bytes of a .py file the way CPython does before tokenizing: a UTF-8 BOM is
// dropped; a PEP 263 cookie on line 1 or 2 selects the encoding (UTF-8, ASCII and the
// single-byte code pages of lexer/codepages.inc are decoded; multi-byte ones only while the text
// is ASCII); otherwise the text is UTF-8, kept byte for byte (the lexer reports invalid UTF-8
// where a token holds it, as CPython does). NUL bytes and cookie problems are reported, never
// fatal: the text is still returned for the lexer.
DecodedSource DecodeSource(std::string_view bytes);

// CPython's message for invalid UTF-8 at unit[bad], e.g. "(unicode error) 'utf-8' codec can't
// decode byte 0x80 in position 0: invalid start byte" (positions relative to `unit`).
std::string Utf8ErrorMessage(std::string_view unit, size_t bad);

// Offset of the first invalid UTF-8 sequence in `text`, or text.size() when it is valid.
size_t FindInvalidUtf8(std::string_view text);

// Appends the UTF-8 encoding of a code point.
void AppendCodePoint(uint32_t cp, std::string* out);

// 1-based line and 0-based byte column, as CPython's lineno and col_offset.
struct LineCol {
  uint32_t line = 1;
  uint32_t col = 0;
};

// Line starts of a text where "\n", "\r\n" and a lone "\r" end a line. Built once, then
// positions are resolved by binary search when something is reported.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);

  LineCol Lookup(Offset offset) const;
  uint32_t LineCount() const { return static_cast<uint32_t>(starts_.size()); }
  Offset LineStart(uint32_t line) const { return starts_[line - 1]; }

 private:
  std::vector<Offset> starts_;  // starts_[0] == 0; one entry per line
};

}  // namespace cellflow

#endif  // CELLFLOW_LEXER_SOURCE_H_
