// JSON string escaping.
#include "driver/json_out.h"

#include "absl/strings/str_format.h"

#include "lexer/source.h"

namespace cellflow {

namespace {

// Printable ASCII other than '"' and '\\': copied as it is.
bool Plain(unsigned char c) { return c >= 0x20 && c < 0x7F && c != '"' && c != '\\'; }

}  // namespace

void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    // Runs of plain characters go in one append.
    size_t run = i;
    while (run < s.size() && Plain(static_cast<unsigned char>(s[run]))) ++run;
    if (run != i) {
      out->append(s.data() + i, run - i);
      i = run;
      if (i == s.size()) break;
    }
    auto c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(static_cast<char>(c));
    } else if (c == '\n') {
      out->append("\\n");
    } else if (c == '\r') {
      out->append("\\r");
    } else if (c == '\t') {
      out->append("\\t");
    } else if (c < 0x20 || c == 0x7F) {
      absl::StrAppendFormat(out, "\\u%04x", c);
    } else {
      size_t bad = FindInvalidUtf8(s.substr(i, 4));
      size_t len = (c >= 0xF0) ? 4 : (c >= 0xE0) ? 3 : 2;
      if (bad == 0 || bad < std::min(len, s.size() - i)) {
        out->append("\\ufffd");
        ++i;
        continue;
      }
      out->append(s.substr(i, len));
      i += len;
      continue;
    }
    ++i;
  }
  out->push_back('"');
}

}  // namespace cellflow
