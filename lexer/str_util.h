// String concatenation that takes std::string_view (Debian's Abseil has its own string_view,
// so absl::StrCat does not accept the standard one), and a hash for std::string_view keys.
#ifndef CELLFLOW_LEXER_STR_UTIL_H_
#define CELLFLOW_LEXER_STR_UTIL_H_

#include <cctype>
#include <charconv>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace cellflow {
namespace str_internal {

inline void AppendPiece(std::string* out, std::string_view s) { out->append(s); }
inline void AppendPiece(std::string* out, const char* s) { out->append(s); }
inline void AppendPiece(std::string* out, char c) { out->push_back(c); }
template <std::integral T>
requires(!std::same_as<T, char>) void AppendPiece(std::string* out, T value) {
  char digits[24];  // a 64-bit integer in decimal, with its sign
  auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), value);
  out->append(digits, static_cast<size_t>(end - digits));
}

}  // namespace str_internal

// Appends every argument (strings, characters, integers) to *out.
template <typename... Args>
void StrAppend(std::string* out, const Args&... args) {
  (str_internal::AppendPiece(out, args), ...);
}

// Concatenates every argument (strings, characters, integers).
template <typename... Args>
std::string StrCat(const Args&... args) {
  std::string out;
  StrAppend(&out, args...);
  return out;
}

namespace str_internal {
// The n bytes at a and at b, sizeof(W) <= n <= 2 * sizeof(W), as two words that may overlap.
template <typename W>
inline bool SameEnds(const char* a, const char* b, size_t n) {
  W a0, b0, a1, b1;
  std::memcpy(&a0, a, sizeof(W));
  std::memcpy(&b0, b, sizeof(W));
  std::memcpy(&a1, a + n - sizeof(W), sizeof(W));
  std::memcpy(&b1, b + n - sizeof(W), sizeof(W));
  return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}
}  // namespace str_internal

// The n bytes at a and at b are the same. Names are short: up to 16 bytes are compared with
// (overlapping) word loads inline, without a call of memcmp; longer ones with memcmp.
inline bool SameBytes(const char* a, const char* b, size_t n) {
  if (n >= 8) {
    return n > 16 ? std::memcmp(a, b, n) == 0 : str_internal::SameEnds<uint64_t>(a, b, n);
  }
  if (n >= 4) return str_internal::SameEnds<uint32_t>(a, b, n);
  // 0 to 3 bytes: the first, middle and last cover them all.
  return n == 0 || (a[0] == b[0] && a[n >> 1] == b[n >> 1] && a[n - 1] == b[n - 1]);
}

// Equality of std::string_views for the tables StringViewHash hashes: inline whatever the
// compiler decides about std::equal_to in a large translation unit.
struct StringViewEq {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const {
    return a.size() == b.size() && SameBytes(a.data(), b.data(), a.size());
  }
};

// Hash of a std::string_view for Abseil's hash tables. Abseil hashes the standard string_view
// (not its own) through std::hash, an out-of-line call; names are short, and this is a few
// multiplications, inline.
struct StringViewHash {
  using is_transparent = void;  // std::string keys are found with a string_view
  size_t operator()(std::string_view s) const {
    const char* p = s.data();
    size_t n = s.size();
    uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
    for (; n >= 8; p += 8, n -= 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
      h ^= h >> 31;
    }
    if (n > 0) {
      // The last 1-7 bytes: two overlapping 4-byte loads, or the first, middle and last byte
      // (either covers every byte for a given length).
      uint64_t w;
      if (n >= 4) {
        uint32_t a, b;
        std::memcpy(&a, p, 4);
        std::memcpy(&b, p + n - 4, 4);
        w = (uint64_t{a} << 32) | b;
      } else {
        w = (uint64_t{static_cast<unsigned char>(p[0])} << 16) |
            (uint64_t{static_cast<unsigned char>(p[n >> 1])} << 8) |
            static_cast<unsigned char>(p[n - 1]);
      }
      h = (h ^ w) * 0x94d049bb133111ebull;
      h ^= h >> 29;
    }
    h *= 0xd6e8feb86659fd93ull;
    return static_cast<size_t>(h ^ (h >> 32));
  }
};

// A byte that may be part of a Python identifier: an ASCII letter, digit or '_', or any
// non-ASCII byte (what those spell is the lexer's business).
inline bool IsIdentifierByte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '_' || u >= 0x80;
}

// `s` has the shape of a Python identifier: identifier bytes, not first a digit.
inline bool LooksLikeIdentifier(std::string_view s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  for (char c : s) {
    if (!IsIdentifierByte(c)) return false;
  }
  return true;
}

// `s` without the blanks around it (spaces, tabs, line ends, form feeds).
inline std::string_view Trim(std::string_view s) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

// `s` trimmed, without one pair of matching quotes ('...' or "...") around it, and trimmed
// again inside them.
inline std::string_view Unquote(std::string_view s) {
  s = Trim(s);
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front()) {
    return Trim(s.substr(1, s.size() - 2));
  }
  return s;
}

// The next word of `s` at or after *pos (words are separated by blanks, tabs and line ends), or
// an empty view at the end; *pos moves past it and *start, if given, gets its offset.
inline std::string_view NextWord(std::string_view s, size_t* pos, size_t* start = nullptr) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  size_t p = *pos;
  while (p < s.size() && blank(s[p])) ++p;
  size_t e = p;
  while (e < s.size() && !blank(s[e])) ++e;
  *pos = e;
  if (start != nullptr) *start = p;
  return s.substr(p, e - p);
}

// The next word of `s` from *pos as a POSIX shell reads it (IPython's %run splits its
// arguments so): quotes group ("My Helpers.ipynb"), a backslash escapes the next character
// (my\ setup.py). Returns the word as written (empty at the end) and its value in *value.
inline std::string_view NextShellWord(std::string_view s, size_t* pos, std::string* value) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  value->clear();
  size_t p = *pos;
  while (p < s.size() && blank(s[p])) ++p;
  const size_t start = p;
  char quote = 0;
  for (; p < s.size(); ++p) {
    const char c = s[p];
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else if (c == '\\' && quote == '"' && p + 1 < s.size() &&
                 (s[p + 1] == '"' || s[p + 1] == '\\' || s[p + 1] == '$')) {
        value->push_back(s[++p]);
      } else {
        value->push_back(c);
      }
    } else if (blank(c)) {
      break;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '\\' && p + 1 < s.size()) {
      value->push_back(s[++p]);
    } else {
      value->push_back(c);
    }
  }
  *pos = p;
  return s.substr(start, p - start);
}

}  // namespace cellflow

#endif  // CELLFLOW_LEXER_STR_UTIL_H_
