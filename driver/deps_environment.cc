// environment.yml: conda's environment files, read line by line (no YAML library).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "driver/deps.h"
#include "driver/deps_internal.h"
#include "lexer/str_util.h"

namespace cellflow {

using deps_internal::AddCondaSpec;
using deps_internal::IsSpace;
using deps_internal::LineProblem;
using deps_internal::Lines;
using deps_internal::ParseRequirementLine;
using deps_internal::StartsWith;

// ---------------------------------------------------------------------------------------------
// environment.yml

namespace {

struct YamlLine {
  size_t number;             // 1-based
  size_t indent;             // leading spaces (a tab counts as one)
  std::string_view content;  // without indentation, comment and trailing space
};

// The part of a YAML line before its comment: a '#' at the start or after whitespace, outside
// quotes.
std::string_view StripYamlComment(std::string_view s) {
  char quote = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if ((c == '"' || c == '\'') && (i == 0 || IsSpace(s[i - 1]) || s[i - 1] == '-' ||
                                           s[i - 1] == '[' || s[i - 1] == ',')) {
      quote = c;
    } else if (c == '#' && (i == 0 || IsSpace(s[i - 1]))) {
      return s.substr(0, i);
    }
  }
  return s;
}

std::vector<YamlLine> YamlLines(std::string_view text) {
  std::vector<YamlLine> out;
  std::vector<std::string_view> lines = Lines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    size_t indent = 0;
    while (indent < line.size() && (line[indent] == ' ' || line[indent] == '\t')) ++indent;
    std::string_view content = Trim(StripYamlComment(line.substr(indent)));
    if (content.empty() || content == "---" || content == "...") continue;
    out.push_back({i + 1, indent, content});
  }
  return out;
}

// If `s` is "key:" or "key: value" (the key possibly quoted), the key; `value` gets the rest.
std::optional<std::string_view> YamlKey(std::string_view s, std::string_view* value) {
  std::string_view key;
  size_t after = 0;
  if (!s.empty() && (s[0] == '"' || s[0] == '\'')) {
    size_t close = s.find(s[0], 1);
    if (close == std::string_view::npos) return std::nullopt;
    key = s.substr(1, close - 1);
    after = close + 1;
    while (after < s.size() && s[after] == ' ') ++after;
    if (after >= s.size() || s[after] != ':') return std::nullopt;
  } else {
    size_t colon = s.find(':');
    while (colon != std::string_view::npos && colon + 1 < s.size() && !IsSpace(s[colon + 1])) {
      colon = s.find(':', colon + 1);  // "conda-forge::numpy" is not a key
    }
    if (colon == std::string_view::npos) return std::nullopt;
    key = Trim(s.substr(0, colon));
    after = colon;
  }
  *value = Trim(s.substr(after + 1));
  return key;
}

// The items of a flow sequence "[a, 'b', c]" (no nesting).
std::vector<std::string_view> FlowItems(std::string_view s) {
  std::vector<std::string_view> items;
  s = Trim(s);
  if (s.empty() || s.front() != '[') return items;
  s.remove_prefix(1);
  if (!s.empty() && s.back() == ']') s.remove_suffix(1);
  char quote = 0;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    char c = i < s.size() ? s[i] : ',';
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == ',') {
      std::string_view item = Unquote(s.substr(start, i - start));
      if (!item.empty()) items.push_back(item);
      start = i + 1;
    }
  }
  return items;
}

bool IsSequenceItem(std::string_view content) {
  return content == "-" || StartsWith(content, "- ") || StartsWith(content, "-\t");
}

// A flow sequence may span lines: joins lines from `*i` until the one that closes it.
std::string JoinFlow(std::string_view first, const std::vector<YamlLine>& lines, size_t* i) {
  std::string joined(first);
  while (joined.find(']') == std::string::npos && *i + 1 < lines.size()) {
    ++*i;
    joined.push_back(' ');
    joined.append(lines[*i].content);
  }
  return joined;
}

}  // namespace

bool LooksLikeCondaEnvironment(std::string_view text) {
  bool in_dependencies = false;
  for (const YamlLine& line : YamlLines(text)) {
    if (line.indent == 0 && !line.content.starts_with('-')) {
      // A top-level key; its list may follow on the same line.
      std::string_view value;
      std::optional<std::string_view> key = YamlKey(line.content, &value);
      if (key == "dependencies" && value.starts_with('[')) return true;
      in_dependencies = key == "dependencies" && value.empty();
      continue;
    }
    if (!in_dependencies) continue;
    // A list of match specs (`- numpy`, `- pytorch::pytorch=1.10`, `- pip:`), not of mappings
    // (a Helm chart's `- name: redis`) nor a mapping itself (pubspec's `flutter:`).
    if (!line.content.starts_with("- ")) return false;
    std::string_view item = line.content.substr(2);
    return item == "pip:" || (item.find(": ") == std::string_view::npos && !item.ends_with(':'));
  }
  return false;
}

DependencyParse ParseEnvironmentYml(std::string_view text) {
  DependencyParse out;
  std::vector<YamlLine> lines = YamlLines(text);
  size_t i = 0;
  std::string_view value;
  // The "dependencies:" key (top-level in conda's format; the first one found).
  for (; i < lines.size(); ++i) {
    std::optional<std::string_view> key = YamlKey(lines[i].content, &value);
    if (key && *key == "dependencies") break;
  }
  if (i == lines.size()) return out;
  const size_t key_indent = lines[i].indent;
  if (!value.empty()) {
    if (value.front() != '[') {
      out.problems.push_back(LineProblem(lines[i].number, "dependencies is not a list"));
      return out;
    }
    size_t line = lines[i].number;
    std::string flow = JoinFlow(value, lines, &i);
    for (std::string_view item : FlowItems(flow)) AddCondaSpec(item, line, &out);
    return out;
  }
  // A block sequence: "- item" lines, indented more than the key or at its indentation.
  size_t item_indent = std::string_view::npos;
  for (++i; i < lines.size(); ++i) {
    const YamlLine& l = lines[i];
    if (!IsSequenceItem(l.content)) {
      if (l.indent <= key_indent) break;  // the next key of the mapping
      continue;                           // the continuation of an item
    }
    if (item_indent == std::string_view::npos) item_indent = l.indent;
    if (l.indent < item_indent || l.indent < key_indent) break;
    if (l.indent > item_indent) continue;  // belongs to a nested list we do not read
    std::string_view item = Trim(l.content.substr(1));
    if (item.empty()) continue;
    std::string_view nested;
    std::optional<std::string_view> key = YamlKey(item, &nested);
    if (!key) {
      AddCondaSpec(item, l.number, &out);
      continue;
    }
    if (*key != "pip") {
      out.problems.push_back(LineProblem(l.number, StrCat("unexpected mapping '", *key, "'")));
      continue;
    }
    // "- pip:" and its list of pip requirements (lines of requirements-file syntax).
    if (!nested.empty()) {
      size_t line = l.number;
      std::string flow = JoinFlow(nested, lines, &i);
      for (std::string_view req : FlowItems(flow)) ParseRequirementLine(req, line, &out);
      continue;
    }
    size_t pip_indent = std::string_view::npos;
    while (i + 1 < lines.size()) {
      const YamlLine& p = lines[i + 1];
      if (p.indent <= item_indent) break;
      ++i;
      if (!IsSequenceItem(p.content)) continue;
      if (pip_indent == std::string_view::npos) pip_indent = p.indent;
      if (p.indent != pip_indent) continue;
      ParseRequirementLine(Unquote(Trim(p.content.substr(1))), p.number, &out);
    }
  }
  return out;
}

}  // namespace cellflow
