// String concatenation that takes std::string_view (Debian's Abseil has its own string_view,
// so absl::StrCat does not accept the standard one).
#ifndef CELLFLOW_LEXER_STR_UTIL_H_
#define CELLFLOW_LEXER_STR_UTIL_H_

#include <concepts>
#include <string>
#include <string_view>

namespace cellflow {
namespace str_internal {

inline void AppendPiece(std::string* out, std::string_view s) { out->append(s); }
inline void AppendPiece(std::string* out, const char* s) { out->append(s); }
inline void AppendPiece(std::string* out, char c) { out->push_back(c); }
template <std::integral T>
requires(!std::same_as<T, char>) void AppendPiece(std::string* out, T value) {
  out->append(std::to_string(value));
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

}  // namespace cellflow

#endif  // CELLFLOW_LEXER_STR_UTIL_H_
