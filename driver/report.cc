// Text and JSON renderings of a finding.
#include "driver/report.h"

#include "absl/strings/str_format.h"

#include "driver/json_out.h"
#include "lexer/str_util.h"
#include "lexer/unicode.h"

namespace cellflow {
namespace {

std::string Place(const std::string& path, const Position& p) {
  if (p.cell == 0) return absl::StrFormat("%s:%d:%d", path, p.line, p.column);
  return absl::StrFormat("%s:cell %d:%d:%d", path, p.cell, p.line, p.column);
}

// The source line, tabs as single spaces, cut to 72 code points around the caret. `column` and
// `width` count code points; the caret line counts the terminal columns they take (two for a
// wide character such as 漢 or most emoji).
void AppendSnippet(const std::string& line, uint32_t column, uint32_t width, bool color,
                   std::string* out) {
  constexpr size_t kMaxColumns = 72;
  std::string shown;
  size_t cp = 0;
  size_t first = column > kMaxColumns - 10 ? column - (kMaxColumns - 10) : 0;
  size_t pad = first > 0 ? 3 : 0;  // "..."
  size_t marks = 0;
  for (size_t i = 0; i < line.size();) {
    uint32_t c = 0;
    int len = DecodeUtf8(line, i, &c);
    if (len == 0) len = 1;
    if (cp >= first && cp < first + kMaxColumns) {
      if (line[i] == '\t') {
        shown += ' ';
        c = ' ';
      } else {
        shown.append(line, i, static_cast<size_t>(len));
      }
      const auto w = static_cast<size_t>(std::max(DisplayWidth(c), 0));
      if (cp + 1 < column) {
        pad += w;
      } else if (cp + 1 < size_t{column} + width) {
        marks += w;
      }
    }
    ++cp;
    i += static_cast<size_t>(len);
  }
  // Past the end of the line (a missing token at its end): one column per code point.
  if (cp + 1 < column) pad += column - 1 - std::max(cp, first);
  absl::StrAppendFormat(out, "    %s%s\n", first > 0 ? "..." : "", shown);
  std::string caret(pad, ' ');
  caret += std::string(std::max<size_t>(marks, std::min<size_t>(width, 1)), '^');
  absl::StrAppendFormat(out, "    %s%s%s\n", color ? "\x1b[1;31m" : "", caret,
                        color ? "\x1b[0m" : "");
}

// Workflow-command escaping: '%', CR and LF always; in properties also ':' and ','.
std::string GithubEscape(std::string_view s, bool property) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '\r':
        out += "%0D";
        break;
      case '\n':
        out += "%0A";
        break;
      case ':':
        out += property ? "%3A" : ":";
        break;
      case ',':
        out += property ? "%2C" : ",";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// GitHub's workflow commands call a note "notice".
std::string_view GithubLevel(Severity s) {
  return s == Severity::kNote ? "notice" : SeverityName(s);
}

std::string GithubPath(const std::string& path) {
  std::string_view p = path;
  while (p.substr(0, 2) == "./") p.remove_prefix(2);
  return GithubEscape(p, /*property=*/true);
}

}  // namespace

void AppendFindingGithub(const std::string& path, const Finding& f, bool is_script,
                         std::string* out) {
  const Diagnostic& d = f.diagnostic;
  const RuleInfo& rule = GetRule(d.rule);
  absl::StrAppendFormat(out, "::%s file=%s,line=%d", std::string(GithubLevel(rule.severity)),
                        GithubPath(path), std::max<uint32_t>(f.start.file_line, 1));
  // A .ipynb line holds the source line inside JSON quoting: its columns are not the cell's.
  if (is_script) {
    absl::StrAppendFormat(out, ",col=%d", f.start.column);
    if (f.end.line == f.start.line && f.end.column > f.start.column) {
      absl::StrAppendFormat(out, ",endColumn=%d", f.end.column);
    }
  }
  std::string title = StrCat(rule.code, " ", rule.name);
  std::string message = d.message;
  if (f.start.cell != 0) {
    message = absl::StrFormat("cell %d, line %d: %s", f.start.cell, f.start.line, message);
  }
  for (const PlacedRelated& r : f.related) StrAppend(&message, "\nnote: ", r.message);
  for (const std::string& n : d.notes) StrAppend(&message, "\nnote: ", n);
  if (!d.help.empty()) StrAppend(&message, "\nhelp: ", d.help);
  absl::StrAppendFormat(out, ",title=%s::%s\n", GithubEscape(title, true),
                        GithubEscape(message, false));
}

void AppendInvalidNotebookGithub(const std::string& path, std::string_view message, uint32_t line,
                                 std::string* out) {
  absl::StrAppendFormat(out, "::error file=%s,line=%d,title=NB002 invalid-notebook::%s\n",
                        GithubPath(path), std::max<uint32_t>(line, 1),
                        GithubEscape(message, false));
}

void AppendInvalidNotebookJson(const std::string& path, std::string_view message,
                               const ReadErrorPosition& where, std::string* out) {
  *out += "{\"path\": ";
  AppendJsonString(path, out);
  std::string line = where.line > 0 ? std::to_string(where.line) : "null";
  std::string column = where.column > 0 ? std::to_string(where.column) : "null";
  absl::StrAppendFormat(out,
                        ", \"cell\": null, \"line\": %s, \"column\": %s, \"end_line\": null, "
                        "\"end_column\": null, \"file_line\": %s, \"code\": \"NB002\", "
                        "\"rule\": \"invalid-notebook\", \"severity\": \"error\", \"message\": ",
                        line, column, line);
  AppendJsonString(message, out);
  *out += ", \"symbol\": null, \"help\": null, \"related\": []}\n";
}

void AppendFindingText(const std::string& path, const Finding& f, bool color, std::string* out) {
  const Diagnostic& d = f.diagnostic;
  const RuleInfo& rule = GetRule(d.rule);
  std::string_view severity = SeverityName(rule.severity);
  const char* sev_color = rule.severity == Severity::kError ? "\x1b[1;31m" : "\x1b[1;33m";
  absl::StrAppendFormat(out, "%s%s:%s %s%s:%s %s [%s]\n", color ? "\x1b[1m" : "",
                        Place(path, f.start), color ? "\x1b[0m" : "", color ? sev_color : "",
                        std::string(severity), color ? "\x1b[0m" : "", d.message,
                        std::string(rule.code));
  uint32_t width = f.end.line == f.start.line && f.end.column > f.start.column
                       ? f.end.column - f.start.column
                       : 1;
  AppendSnippet(f.source_line, f.start.column, width, color, out);
  // Related messages name their place ("defined in cell 4, line 1"); JSON has it as fields.
  for (const PlacedRelated& r : f.related) {
    absl::StrAppendFormat(out, "  %snote:%s %s\n", color ? "\x1b[1;36m" : "",
                          color ? "\x1b[0m" : "", r.message);
  }
  for (const std::string& n : d.notes) {
    absl::StrAppendFormat(out, "  %snote:%s %s\n", color ? "\x1b[1;36m" : "",
                          color ? "\x1b[0m" : "", n);
  }
  if (!d.help.empty()) {
    absl::StrAppendFormat(out, "  %shelp:%s %s\n", color ? "\x1b[1;32m" : "",
                          color ? "\x1b[0m" : "", d.help);
  }
}

void AppendFindingJson(const std::string& path, const Finding& f, bool is_script,
                       std::string* out) {
  const Diagnostic& d = f.diagnostic;
  const RuleInfo& rule = GetRule(d.rule);
  *out += "{\"path\": ";
  AppendJsonString(path, out);
  *out += ", \"cell\": ";
  if (is_script) {
    *out += "null";
  } else {
    StrAppend(out, f.start.cell);
  }
  StrAppend(out, ", \"line\": ", f.start.line, ", \"column\": ", f.start.column,
            ", \"end_line\": ", f.end.line, ", \"end_column\": ", f.end.column,
            ", \"file_line\": ", f.start.file_line, ", \"code\": \"", rule.code, "\", \"rule\": \"",
            rule.name, "\", \"severity\": \"", SeverityName(rule.severity), "\", \"message\": ");
  AppendJsonString(d.message, out);
  *out += ", \"symbol\": ";
  if (d.symbol.empty()) {
    *out += "null";
  } else {
    AppendJsonString(d.symbol, out);
  }
  *out += ", \"help\": ";
  if (d.help.empty()) {
    *out += "null";
  } else {
    AppendJsonString(d.help, out);
  }
  *out += ", \"related\": [";
  bool first = true;
  for (const PlacedRelated& r : f.related) {
    if (!first) *out += ", ";
    first = false;
    *out += "{\"cell\": ";
    if (is_script) {
      *out += "null";
    } else {
      StrAppend(out, r.position.cell);
    }
    StrAppend(out, ", \"line\": ", r.position.line, ", \"column\": ", r.position.column,
              ", \"message\": ");
    AppendJsonString(r.message, out);
    *out += "}";
  }
  for (const std::string& n : d.notes) {
    if (!first) *out += ", ";
    first = false;
    *out += "{\"cell\": null, \"line\": null, \"column\": null, \"message\": ";
    AppendJsonString(n, out);
    *out += "}";
  }
  *out += "]}\n";
}

}  // namespace cellflow
