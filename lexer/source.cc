// Decoding of Python source bytes and the line table.
#include "lexer/source.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"

#include "lexer/str_util.h"

namespace cellflow {
namespace {

// Code points of bytes 0x80-0xFF in the single-byte encodings cellflow knows (0: undefined).
constexpr uint16_t kCp1252High[128] = {
    0x20AC, 0x0000, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
    0x0152, 0x0000, 0x017D, 0x0000, 0x0000, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x0000, 0x017E, 0x0178, 0x00A0, 0x00A1, 0x00A2, 0x00A3,
    0x00A4, 0x00A5, 0x00A6, 0x00A7, 0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
    0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7, 0x00B8, 0x00B9, 0x00BA, 0x00BB,
    0x00BC, 0x00BD, 0x00BE, 0x00BF, 0x00C0, 0x00C1, 0x00C2, 0x00C3, 0x00C4, 0x00C5, 0x00C6, 0x00C7,
    0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x00CC, 0x00CD, 0x00CE, 0x00CF, 0x00D0, 0x00D1, 0x00D2, 0x00D3,
    0x00D4, 0x00D5, 0x00D6, 0x00D7, 0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x00DD, 0x00DE, 0x00DF,
    0x00E0, 0x00E1, 0x00E2, 0x00E3, 0x00E4, 0x00E5, 0x00E6, 0x00E7, 0x00E8, 0x00E9, 0x00EA, 0x00EB,
    0x00EC, 0x00ED, 0x00EE, 0x00EF, 0x00F0, 0x00F1, 0x00F2, 0x00F3, 0x00F4, 0x00F5, 0x00F6, 0x00F7,
    0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x00FD, 0x00FE, 0x00FF};

constexpr uint16_t kKoi8RHigh[128] = {
    0x2500, 0x2502, 0x250C, 0x2510, 0x2514, 0x2518, 0x251C, 0x2524, 0x252C, 0x2534, 0x253C, 0x2580,
    0x2584, 0x2588, 0x258C, 0x2590, 0x2591, 0x2592, 0x2593, 0x2320, 0x25A0, 0x2219, 0x221A, 0x2248,
    0x2264, 0x2265, 0x00A0, 0x2321, 0x00B0, 0x00B2, 0x00B7, 0x00F7, 0x2550, 0x2551, 0x2552, 0x0451,
    0x2553, 0x2554, 0x2555, 0x2556, 0x2557, 0x2558, 0x2559, 0x255A, 0x255B, 0x255C, 0x255D, 0x255E,
    0x255F, 0x2560, 0x2561, 0x0401, 0x2562, 0x2563, 0x2564, 0x2565, 0x2566, 0x2567, 0x2568, 0x2569,
    0x256A, 0x256B, 0x256C, 0x00A9, 0x044E, 0x0430, 0x0431, 0x0446, 0x0434, 0x0435, 0x0444, 0x0433,
    0x0445, 0x0438, 0x0439, 0x043A, 0x043B, 0x043C, 0x043D, 0x043E, 0x043F, 0x044F, 0x0440, 0x0441,
    0x0442, 0x0443, 0x0436, 0x0432, 0x044C, 0x044B, 0x0437, 0x0448, 0x044D, 0x0449, 0x0447, 0x044A,
    0x042E, 0x0410, 0x0411, 0x0426, 0x0414, 0x0415, 0x0424, 0x0413, 0x0425, 0x0418, 0x0419, 0x041A,
    0x041B, 0x041C, 0x041D, 0x041E, 0x041F, 0x042F, 0x0420, 0x0421, 0x0422, 0x0423, 0x0416, 0x0412,
    0x042C, 0x042B, 0x0417, 0x0428, 0x042D, 0x0429, 0x0427, 0x042A};

enum class Encoding { kUtf8, kLatin1, kAscii, kCp1252, kKoi8R, kUnknown };

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
  if (n == "cp1252" || n == "windows-1252") return Encoding::kCp1252;
  if (n == "koi8-r" || n == "koi8r") return Encoding::kKoi8R;
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
  bool bom = bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF";
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
    out.problems.push_back({0, StrCat("encoding problem: ", cookie, " with BOM")});
    enc = Encoding::kUtf8;
  }
  if (enc == Encoding::kUnknown) {
    out.problems.push_back({0, StrCat("unknown encoding: ", cookie)});
    enc = Encoding::kUtf8;
  }

  if (enc == Encoding::kUtf8 || enc == Encoding::kAscii) {
    out.text.assign(bytes.data(), bytes.size());
    size_t bad = FindInvalidUtf8(out.text);
    if (bad < out.text.size()) {
      out.problems.push_back(
          {static_cast<Offset>(bad),
           absl::StrFormat("(unicode error) 'utf-8' codec can't decode byte 0x%02x in position "
                           "%d: invalid start byte",
                           static_cast<unsigned char>(out.text[bad]), bad)});
    } else if (enc == Encoding::kAscii) {
      for (size_t i = 0; i < out.text.size(); ++i) {
        if (static_cast<unsigned char>(out.text[i]) >= 0x80) {
          out.problems.push_back(
              {static_cast<Offset>(i), "(unicode error) 'ascii' codec can't decode byte"});
          break;
        }
      }
    }
  } else {
    out.text.reserve(bytes.size() + bytes.size() / 4);
    const uint16_t* table = enc == Encoding::kCp1252  ? kCp1252High
                            : enc == Encoding::kKoi8R ? kKoi8RHigh
                                                      : nullptr;
    for (size_t i = 0; i < bytes.size(); ++i) {
      auto b = static_cast<unsigned char>(bytes[i]);
      uint32_t cp = b < 0x80 || table == nullptr ? b : table[b - 0x80];
      if (cp == 0 && b != 0) {
        out.problems.push_back({static_cast<Offset>(out.text.size()),
                                StrCat("(unicode error) '", cookie, "' codec can't decode byte")});
        cp = 0xFFFD;
      }
      AppendCodePoint(cp, &out.text);
    }
  }
  const void* nul = std::memchr(out.text.data(), 0, out.text.size());
  if (nul != nullptr) {
    out.problems.push_back({static_cast<Offset>(static_cast<const char*>(nul) - out.text.data()),
                            "source code string cannot contain null bytes"});
  }
  return out;
}

LineIndex::LineIndex(std::string_view text) {
  starts_.reserve(text.size() / 32 + 1);
  starts_.push_back(0);
  const size_t n = text.size();
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
