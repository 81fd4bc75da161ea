// Unicode facts the lexer needs: UTF-8 decoding, identifier classes, NFKC.
#ifndef CELLFLOW_LEXER_UNICODE_H_
#define CELLFLOW_LEXER_UNICODE_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace cellflow {

// Decodes one code point at text[pos]. Returns its length in bytes (1 to 4), or 0 for an
// invalid or truncated sequence (then *cp is the byte itself).
int DecodeUtf8(std::string_view text, size_t pos, uint32_t* cp);

// Number of code points in valid UTF-8 text (invalid bytes count one each).
size_t CountCodePoints(std::string_view text);

// Identifier classes of PEP 3131 (XID_Start plus '_', XID_Continue).
bool IsXidStart(uint32_t cp);
bool IsXidContinue(uint32_t cp);

// NFKC normalization, as CPython applies to non-ASCII identifiers. Returns the input unchanged
// when it is not valid UTF-8.
std::string NfkcNormalize(std::string_view text);

// True if `name` (UTF-8, as written) is a valid identifier: XID_Start, then XID_Continue code
// points. On failure, *bad is the first offending code point and *at (if given) its byte offset.
bool IsValidIdentifier(std::string_view name, uint32_t* bad, size_t* at = nullptr);

// True for code points CPython calls printable (used in "invalid character" messages).
bool IsPrintable(uint32_t cp);

// The columns a terminal gives the code point: 2 for East Asian wide characters and most emoji,
// 0 for combining marks and other zero-width ones, else 1.
int DisplayWidth(uint32_t cp);

}  // namespace cellflow

#endif  // CELLFLOW_LEXER_UNICODE_H_
