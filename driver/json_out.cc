// JSON string escaping.
#include "driver/json_out.h"

#include "absl/strings/str_format.h"

#include "lexer/source.h"

namespace cellflow {

void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  size_t i = 0;
  while (i < s.size()) {
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
    } else if (c < 0x80) {
      out->push_back(static_cast<char>(c));
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
