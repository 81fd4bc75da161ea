// Token kinds and the compact token record shared by the lexer and the parser.
#ifndef CELLFLOW_LEXER_TOKEN_H_
#define CELLFLOW_LEXER_TOKEN_H_

#include <cstdint>
#include <string_view>

namespace cellflow {

// A position is a byte offset into the buffer that holds all code of one input.
using Offset = uint32_t;

enum class TokenKind : uint8_t {
#define TOKEN(name, text) k##name,
#define PUNCT(name, text) k##name,
#define KEYWORD(name, text) k##name,
#include "lexer/token_kinds.def"
};

inline constexpr int kNumTokenKinds = 0
#define TOKEN(name, text) +1
#define PUNCT(name, text) +1
#define KEYWORD(name, text) +1
#include "lexer/token_kinds.def"
    ;

// Flag bits of Token::flags.
enum TokenFlag : uint8_t {
  kFlagNonAscii = 1 << 0,      // Name: contains non-ASCII code points (needs NFKC)
  kFlagBytes = 1 << 1,         // String: a bytes literal
  kFlagRaw = 1 << 2,           // String / FStringStart: raw prefix
  kFlagTriple = 1 << 3,        // String / FStringStart: triple-quoted
  kFlagLineStart = 1 << 4,     // first token of a logical line
  kFlagUnterminated = 1 << 5,  // String / FStringMiddle: closing quote missing
};

// A token is its kind, flags and byte range; the text stays in the buffer.
struct Token {
  Offset start = 0;
  Offset end = 0;  // one past the last byte
  TokenKind kind = TokenKind::kEndOfFile;
  uint8_t flags = 0;

  bool Is(TokenKind k) const { return kind == k; }
};
static_assert(sizeof(Token) == 12, "tokens are kept small: one vector per cell");

// "(", "if", "name": the spelling of fixed tokens, a description otherwise.
std::string_view TokenKindSpelling(TokenKind kind);
// "LPar", "If", "Name": the enumerator name, for dumps.
std::string_view TokenKindName(TokenKind kind);
// True for the hard keywords (not the soft ones: match, case, type, _).
bool IsKeyword(TokenKind kind);

}  // namespace cellflow

#endif  // CELLFLOW_LEXER_TOKEN_H_
