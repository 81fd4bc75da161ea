// The Python tokenizer: bytes of one code unit (a cell or a file) to tokens.
#ifndef CELLFLOW_LEXER_LEXER_H_
#define CELLFLOW_LEXER_LEXER_H_

#include <string>
#include <string_view>
#include <vector>

#include "lexer/token.h"

namespace cellflow {

struct LexOptions {
  // Accept IPython escapes at the start of a logical line (%magic, %%cell, !cmd, ?obj, obj?)
  // and after "x =" (x = !cmd, x = %magic) as kIpyEscape tokens.
  bool ipython = false;
};

// Which Python exception a syntax problem corresponds to.
enum class SyntaxErrorKind : uint8_t { kSyntax, kIndentation, kTab };

// One syntax problem: a byte range of the buffer and a CPython-like message.
struct SyntaxDiagnostic {
  Offset start = 0;
  Offset end = 0;
  SyntaxErrorKind kind = SyntaxErrorKind::kSyntax;
  std::string message;
  // How far reading had got when the problem was found (errors are ordered by it, so the one
  // CPython reports comes first: "'(' was never closed" is found at the end of the input).
  Offset found_at = 0;
  bool unclosed_bracket = false;  // "'(' was never closed" (start: the bracket)
};

struct LexResult {
  std::vector<Token> tokens;  // always ends with kEndOfFile
  std::vector<SyntaxDiagnostic> errors;
};

// Tokenizes buffer[begin, end). Token offsets are offsets into `buffer`, so several cells laid
// out in one buffer get distinct positions. Never fails: invalid input produces kUnknown tokens
// and entries in `errors`, and lexing goes on. Positions must fit 32 bits (buffer < 4 GiB).
void Tokenize(std::string_view buffer, Offset begin, Offset end, const LexOptions& options,
              LexResult* result);

// A line magic IPython's automagic runs without its '%' ("ls", "pwd", "cd", "time", "run", ...)
// when the cell is that one line and no variable of the same name shadows it.
bool IsAutomagicName(std::string_view word);

// Limits copied from CPython's tokenizer (Parser/tokenizer.h).
inline constexpr int kMaxIndentLevels = 100;   // MAXINDENT
inline constexpr int kMaxBracketLevels = 200;  // MAXLEVEL
inline constexpr int kMaxFStringLevels = 150;  // MAXFSTRINGLEVEL
inline constexpr int kTabSize = 8;

}  // namespace cellflow

#endif  // CELLFLOW_LEXER_LEXER_H_
