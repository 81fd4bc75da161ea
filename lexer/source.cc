// Decoding of Python source bytes and the line table.
#include "lexer/source.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"

#include "lexer/str_util.h"

namespace cellflow {
namespace {

// Single-byte encodings: code points of bytes 0x80-0xFF (0 where a byte is undefined).
struct CodePage {
  std::string_view names;  // '|'-separated lowercase names and aliases
  uint16_t high[128];
};

constexpr CodePage kCodePages[] = {
#define CODEPAGE(names, ...) {names, {__VA_ARGS__}},
#include "lexer/codepages.inc"
#undef CODEPAGE
};

// The code page a cookie names, or null.
const CodePage* FindCodePage(std::string_view cookie) {
  std::string n = absl::AsciiStrToLower(std::string(cookie));
  std::string underscored = n;
  std::replace(underscored.begin(), underscored.end(), '-', '_');
  for (const CodePage& page : kCodePages) {
    std::string_view names = page.names;
    while (!names.empty()) {
      size_t bar = names.find('|');
      std::string_view one = names.substr(0, bar);
      if (one == n || one == underscored) return &page;
      if (bar == std::string_view::npos) break;
      names.remove_prefix(bar + 1);
    }
  }
  return nullptr;
}

enum class Encoding { kUtf8, kLatin1, kAscii, kCodePage, kMultiByte, kUnknown };

// CPython's get_normal_name(), plus the aliases of the few codecs decoded here.
Encoding ClassifyEncoding(std::string_view name) {
  std::string n = absl::AsciiStrToLower(std::string(name));
  std::replace(n.begin(), n.end(), '_', '-');
  auto is_or_prefix = [&n](std::string_view base) {
    return n == base || (n.size() > base.size() && n.compare(0, base.size(), base) == 0 &&
                         n[base.size()] == '-');
  };
  if (is_or_prefix("utf-8") || n == "utf8") return Encoding::kUtf8;
  if (is_or_prefix("latin-1") || is_or_prefix("iso-8859-1") || is_or_prefix("iso-latin-1") ||
      n == "latin1" || n == "l1" || n == "iso8859-1" || n == "8859" || n == "cp819" || n == "latin")
    return Encoding::kLatin1;
  if (n == "ascii" || n == "us-ascii" || n == "646") return Encoding::kAscii;
  if (FindCodePage(name) != nullptr) return Encoding::kCodePage;
  // Real multi-byte codecs: accepted while the text is ASCII.
  static constexpr std::string_view kMultiBytePrefixes[] = {
      "euc-",      "eucjp",    "euckr",  "gb2312", "gbk",       "gb18030", "hz",
      "big5",      "cp932",    "cp949",  "cp950",  "iso-2022-", "iso2022", "johab",
      "shift-jis", "shiftjis", "sjis",   "ms932",  "ms936",     "ms949",   "ms950",
      "ujis",      "utf-16",   "utf-32", "utf16",  "utf32",     "utf-7"};
  for (std::string_view prefix : kMultiBytePrefixes) {
    if (n.compare(0, prefix.size(), prefix) == 0) return Encoding::kMultiByte;
  }
  return Encoding::kUnknown;
}

}  // namespace

void AppendCodePoint(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

namespace {

// CPython's get_normal_name() yields "utf-8" only for utf-8 and utf-8-*, any case, '_' for '-'.
bool IsNormalUtf8Name(std::string_view name) {
  std::string n = absl::AsciiStrToLower(std::string(name.substr(0, 12)));
  std::replace(n.begin(), n.end(), '_', '-');
  return n == "utf-8" || n.compare(0, 6, "utf-8-") == 0;
}

// The physical line starting at `pos` (without its terminator), and where the next begins.
std::string_view LineAt(std::string_view s, size_t pos, size_t* next) {
  size_t e = pos;
  while (e < s.size() && s[e] != '\n' && s[e] != '\r') ++e;
  *next = e;
  if (e < s.size()) *next = (s[e] == '\r' && e + 1 < s.size() && s[e + 1] == '\n') ? e + 2 : e + 1;
  return s.substr(pos, e - pos);
}

// The encoding named by a PEP 263 cookie in one line, if the line is a comment that has one:
// "^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)".
bool FindCookie(std::string_view line, std::string* name) {
  size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\f')) ++i;
  if (i >= line.size() || line[i] != '#') return false;
  for (size_t p = line.find("coding", i); p != std::string_view::npos;
       p = line.find("coding", p + 1)) {
    size_t q = p + 6;
    if (q >= line.size() || (line[q] != ':' && line[q] != '=')) continue;
    ++q;
    while (q < line.size() && (line[q] == ' ' || line[q] == '\t')) ++q;
    size_t s = q;
    while (q < line.size() &&
           (absl::ascii_isalnum(line[q]) || line[q] == '-' || line[q] == '_' || line[q] == '.'))
      ++q;
    if (q == s) continue;
    *name = std::string(line.substr(s, q - s));
    return true;
  }
  return false;
}

// True when a line holds only white space or a comment (line 2's cookie counts only then).
bool IsBlankOrComment(std::string_view line) {
  for (char c : line) {
    if (c == '#') return true;
    if (c != ' ' && c != '\t' && c != '\f') return false;
  }
  return true;
}

}  // namespace

size_t FindInvalidUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    int len;
    uint32_t min;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4, min = 0x10000;
    } else {
      return i;
    }
    if (i + len > n) return i;
    uint32_t cp = c & (0x3F >> (len - 1));
    for (int k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return n;
}

DecodedSource DecodeSource(std::string_view bytes) {
  DecodedSource out;
  // CPython refuses NUL bytes before it looks at anything else.
  const void* nul = std::memchr(bytes.data(), 0, bytes.size());
  bool bom = bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF";
  if (nul != nullptr) {
    size_t at = static_cast<size_t>(static_cast<const char*>(nul) - bytes.data());
    out.problems.push_back({static_cast<Offset>(bom && at >= 3 ? at - 3 : at),
                            "source code string cannot contain null bytes"});
  }
  if (bom) bytes.remove_prefix(3);

  // The cookie may be on line 1, or on line 2 when line 1 is blank or a comment.
  std::string cookie;
  size_t next = 0;
  std::string_view line1 = LineAt(bytes, 0, &next);
  bool found = FindCookie(line1, &cookie);
  if (!found && IsBlankOrComment(line1) && next < bytes.size()) {
    size_t next2;
    found = FindCookie(LineAt(bytes, next, &next2), &cookie);
  }
  Encoding enc = found ? ClassifyEncoding(cookie) : Encoding::kUtf8;
  if (found) out.encoding = cookie;
  // With a BOM, CPython accepts only a cookie whose normal name is exactly utf-8.
  if (bom && found && !IsNormalUtf8Name(cookie)) {
    std::string normal = enc == Encoding::kLatin1 ? "iso-8859-1" : cookie;
    out.problems.push_back({0, StrCat("encoding problem: ", normal, " with BOM")});
    enc = Encoding::kUtf8;
  }
  if (enc == Encoding::kUnknown) {
    out.problems.push_back({0, StrCat("unknown encoding: ", cookie)});
    enc = Encoding::kUtf8;
  }

  if (enc == Encoding::kUtf8) {
    // Kept as bytes, as CPython's tokenizer does: invalid UTF-8 is an error where a token
    // holds it (strings, names) and harmless in a comment. The lexer checks.
    out.text.assign(bytes.data(), bytes.size());
    return out;
  }
  if (enc == Encoding::kAscii || enc == Encoding::kMultiByte) {
    out.text.assign(bytes.data(), bytes.size());
    for (size_t i = 0; i < out.text.size(); ++i) {
      if (static_cast<unsigned char>(out.text[i]) < 0x80) continue;
      out.problems.push_back(
          {static_cast<Offset>(i),
           enc == Encoding::kAscii
               ? absl::StrFormat("'ascii' codec can't decode byte 0x%02x in position %d: "
                                 "ordinal not in range(128)",
                                 static_cast<unsigned char>(out.text[i]), i)
               : StrCat("encoding '", cookie,
                        "' is not supported for non-ASCII text; convert the file to UTF-8")});
      break;
    }
    return out;
  }
  out.text.reserve(bytes.size() + bytes.size() / 4);
  const uint16_t* table = enc == Encoding::kCodePage ? FindCodePage(cookie)->high : nullptr;
  for (size_t i = 0; i < bytes.size(); ++i) {
    auto b = static_cast<unsigned char>(bytes[i]);
    uint32_t cp = b < 0x80 || table == nullptr ? b : table[b - 0x80];
    if (cp == 0 && b != 0) {
      out.problems.push_back(
          {static_cast<Offset>(out.text.size()),
           absl::StrFormat("(unicode error) '%s' codec can't decode byte 0x%02x in position %d: "
                           "character maps to <undefined>",
                           cookie, b, i)});
      cp = 0xFFFD;
    }
    AppendCodePoint(cp, &out.text);
  }
  return out;
}

std::string Utf8ErrorMessage(std::string_view unit, size_t bad) {
  // Python's UTF-8 decoder: the error spans the lead byte and the valid continuation bytes
  // after it; the reason says which byte broke the sequence.
  const auto* s = reinterpret_cast<const unsigned char*>(unit.data());
  size_t n = unit.size();
  unsigned char c = s[bad];
  size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the first continuation byte
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  }
  std::string reason = "invalid start byte";
  size_t span = 1;
  if (len != 0) {
    reason = "unexpected end of data";
    for (size_t k = 1; k < len; ++k) {
      if (bad + k >= n) break;
      unsigned char d = s[bad + k];
      bool ok = k == 1 ? (d >= lo && d <= hi) : (d >= 0x80 && d <= 0xBF);
      if (!ok) {
        reason = "invalid continuation byte";
        break;
      }
      ++span;
    }
  }
  if (span == 1) {
    return absl::StrFormat(
        "(unicode error) 'utf-8' codec can't decode byte 0x%02x in position "
        "%d: %s",
        c, bad, reason);
  }
  return absl::StrFormat("(unicode error) 'utf-8' codec can't decode bytes in position %d-%d: %s",
                         bad, bad + span - 1, reason);
}

LineIndex::LineIndex(std::string_view text) {
  starts_.reserve(text.size() / 32 + 1);
  starts_.push_back(0);
  const size_t n = text.size();
  if (n == 0) return;
  if (std::memchr(text.data(), '\r', n) == nullptr) {
    // Only "\n" ends lines: memchr finds them many bytes at a time.
    const char* const base = text.data();
    const char* p = base;
    const char* const end = base + n;
    while (const auto* nl = static_cast<const char*>(std::memchr(p, '\n', end - p))) {
      p = nl + 1;
      starts_.push_back(static_cast<Offset>(p - base));
    }
    return;
  }
  for (size_t i = 0; i < n; ++i) {
    char c = text[i];
    if (c == '\n') {
      starts_.push_back(static_cast<Offset>(i + 1));
    } else if (c == '\r') {
      if (i + 1 < n && text[i + 1] == '\n') ++i;
      starts_.push_back(static_cast<Offset>(i + 1));
    }
  }
}

LineCol LineIndex::Lookup(Offset offset) const {
  auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  auto line = static_cast<uint32_t>(it - starts_.begin());  // >= 1 since starts_[0] == 0
  return {line, offset - starts_[line - 1]};
}

}  // namespace cellflow
