// SARIF 2.1.0 output.
#include "driver/sarif.h"

#include <filesystem>

#include "absl/strings/str_format.h"

#include "driver/json_out.h"
#include "lexer/str_util.h"
#include "passes/rules.h"

#ifndef CELLFLOW_VERSION
#define CELLFLOW_VERSION "0.0.0"
#endif
#ifndef CELLFLOW_HOMEPAGE
#define CELLFLOW_HOMEPAGE "https://github.com/cellflow/cellflow"
#endif

namespace cellflow {
namespace {

// RFC 3986 path characters that need no escape: unreserved, sub-delims, ':' '@' and '/'.
bool IsUriPathChar(unsigned char c) {
  if (std::isalnum(c)) return true;
  switch (c) {
    case '-':
    case '.':
    case '_':
    case '~':
    case '!':
    case '$':
    case '&':
    case '\'':
    case '(':
    case ')':
    case '*':
    case '+':
    case ',':
    case ';':
    case '=':
    case ':':
    case '@':
    case '/':
      return true;
    default:
      return false;
  }
}

std::string PercentEncode(std::string_view path) {
  std::string out;
  for (unsigned char c : path) {
    if (IsUriPathChar(c)) {
      out += static_cast<char>(c);
    } else {
      absl::StrAppendFormat(&out, "%%%02X", c);
    }
  }
  // A first segment with ':' would read as a scheme.
  size_t colon = out.find(':');
  if (colon != std::string::npos && out.find('/') > colon) {
    out.replace(colon, 1, "%3A");
  }
  return out;
}

// The first paragraph of a rule's "What it does" section.
std::string_view FullDescription(const RuleInfo& rule) {
  std::string_view d = rule.description;
  size_t heading = d.find("## What it does\n");
  if (heading != std::string_view::npos) d.remove_prefix(heading + 16);
  size_t end = d.find("\n\n");
  return d.substr(0, end);
}

// FNV-1a, 64 bits: stable across runs, machines and builds.
uint64_t Fnv1a(std::string_view s, uint64_t h = 1469598103934665603ull) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// The finding's line with its whitespace collapsed: moving or re-indenting code, or editing
// other lines and cells, keeps the fingerprint.
std::string NormalizedLine(std::string_view line) {
  std::string out;
  bool space = false;
  for (char c : line) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

void AppendRegion(uint32_t line, const Finding* f, bool is_script, std::string* out) {
  absl::StrAppendFormat(out, "\"region\": {\"startLine\": %d", std::max<uint32_t>(line, 1));
  // Columns are those of the source line; in a .ipynb the raw line also holds the JSON
  // quoting around it, so only scripts give them.
  if (f != nullptr && is_script) {
    uint32_t end_column =
        f->end.line == f->start.line ? std::max(f->end.column, f->start.column) : f->start.column;
    absl::StrAppendFormat(out, ", \"startColumn\": %d, \"endColumn\": %d", f->start.column,
                          end_column);
  }
  *out += "}";
}

void AppendPhysicalLocation(std::string_view uri, uint32_t line, const Finding* f, bool is_script,
                            std::string* out) {
  *out += "{\"physicalLocation\": {\"artifactLocation\": {\"uri\": ";
  AppendJsonString(uri, out);
  *out += ", \"uriBaseId\": \"%SRCROOT%\"}, ";
  AppendRegion(line, f, is_script, out);
  *out += "}}";
}

}  // namespace

std::string SarifRelativeUri(const std::string& path, const std::string& repo_root) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path absolute = fs::absolute(fs::path(path), ec).lexically_normal();
  fs::path relative = absolute.lexically_relative(fs::path(repo_root));
  if (relative.empty()) relative = fs::path(path).lexically_normal();
  return PercentEncode(relative.generic_string());
}

void AppendSarifHeader(const std::string& repo_root, std::string* out) {
  *out +=
      "{\n  \"$schema\": "
      "\"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
      "sarif-schema-2.1.0.json\",\n"
      "  \"version\": \"2.1.0\",\n  \"runs\": [{\n    \"tool\": {\"driver\": {\n"
      "      \"name\": \"cellflow\",\n      \"version\": \"" CELLFLOW_VERSION
      "\",\n"
      "      \"semanticVersion\": \"" CELLFLOW_VERSION
      "\",\n"
      "      \"informationUri\": \"" CELLFLOW_HOMEPAGE "\",\n      \"rules\": [\n";
  bool first = true;
  for (const RuleInfo& r : AllRules()) {
    if (!first) *out += ",\n";
    first = false;
    *out += "        {\"id\": ";
    AppendJsonString(r.code, out);
    *out += ", \"name\": ";
    AppendJsonString(r.name, out);
    *out += ", \"shortDescription\": {\"text\": ";
    AppendJsonString(r.summary, out);
    *out += "}, \"fullDescription\": {\"text\": ";
    AppendJsonString(FullDescription(r), out);
    *out += "}, \"help\": {\"text\": ";
    AppendJsonString(r.description, out);
    *out += ", \"markdown\": ";
    AppendJsonString(r.description, out);
    absl::StrAppendFormat(
        out,
        "}, \"defaultConfiguration\": {\"level\": \"%s\"}, \"properties\": "
        "{\"tags\": [\"notebook\", \"%s\", \"correctness\"], \"precision\": "
        "\"%s\", \"problem.severity\": \"%s\"}}",
        std::string(SeverityName(r.severity)), std::string(RuleCategory(r)),
        std::string(r.precision),
        r.severity == Severity::kNote ? "recommendation" : std::string(SeverityName(r.severity)));
  }
  *out += "\n      ]\n    }},\n    \"originalUriBaseIds\": {\"%SRCROOT%\": {\"uri\": ";
  std::string root_uri = StrCat("file://", PercentEncode(repo_root));
  if (root_uri.back() != '/') root_uri += '/';
  AppendJsonString(root_uri, out);
  *out += "}},\n    \"columnKind\": \"unicodeCodePoints\",\n    \"results\": [\n";
}

void AppendSarifFooter(bool execution_successful, std::string* out) {
  absl::StrAppendFormat(out,
                        "\n    ],\n    \"invocations\": [{\"executionSuccessful\": %s}]\n  }]\n}\n",
                        execution_successful ? "true" : "false");
}

void AppendSarifResult(std::string_view uri, const Finding& f, bool is_script,
                       SarifFingerprintCounts* counts, std::string* out) {
  const Diagnostic& d = f.diagnostic;
  const RuleInfo& rule = GetRule(d.rule);
  std::string text = d.message;
  for (const PlacedRelated& r : f.related) StrAppend(&text, "\nnote: ", r.message);
  for (const std::string& n : d.notes) StrAppend(&text, "\nnote: ", n);
  if (!d.help.empty()) StrAppend(&text, "\nhelp: ", d.help);

  absl::StrAppendFormat(out, "{\"ruleId\": \"%s\", \"ruleIndex\": %d, \"level\": \"%s\", ",
                        std::string(rule.code), static_cast<int>(d.rule),
                        std::string(SeverityName(rule.severity)));
  *out += "\"message\": {\"text\": ";
  AppendJsonString(text, out);
  *out += "}, \"locations\": [";
  AppendPhysicalLocation(uri, f.start.file_line, &f, is_script, out);
  *out += "]";
  if (!f.related.empty()) {
    *out += ", \"relatedLocations\": [";
    for (size_t i = 0; i < f.related.size(); ++i) {
      const PlacedRelated& r = f.related[i];
      if (i > 0) *out += ", ";
      absl::StrAppendFormat(out, "{\"id\": %d, ", i + 1);
      *out += "\"physicalLocation\": {\"artifactLocation\": {\"uri\": ";
      AppendJsonString(uri, out);
      *out += ", \"uriBaseId\": \"%SRCROOT%\"}, ";
      AppendRegion(r.position.file_line, nullptr, is_script, out);
      *out += "}, \"message\": {\"text\": ";
      AppendJsonString(r.message, out);
      *out += "}}";
    }
    *out += "]";
  }
  // Rule, symbol and the text of the line, plus a counter for look-alikes in the same file:
  // unchanged when cells are added, removed or moved elsewhere in the notebook.
  uint64_t h = Fnv1a(rule.code);
  h = Fnv1a(d.symbol, Fnv1a("\x1f", h));
  h = Fnv1a(NormalizedLine(f.source_line), Fnv1a("\x1f", h));
  uint32_t occurrence = ++(*counts)[h];
  absl::StrAppendFormat(out, ", \"partialFingerprints\": {\"cellflowFinding/v1\": \"%016x:%d\"}", h,
                        occurrence);
  *out += ", \"properties\": {";
  if (!is_script) {
    absl::StrAppendFormat(out, "\"cell\": %d, ", f.start.cell);
  }
  absl::StrAppendFormat(out, "\"line\": %d, \"column\": %d, \"ruleName\": \"%s\"", f.start.line,
                        f.start.column, std::string(rule.name));
  if (!d.symbol.empty()) {
    *out += ", \"symbol\": ";
    AppendJsonString(d.symbol, out);
  }
  *out += "}}";
}

void AppendSarifInvalidNotebook(std::string_view uri, std::string_view message,
                                const ReadErrorPosition& where, std::string* out) {
  const RuleInfo& rule = GetRule(RuleId::kInvalidNotebook);
  absl::StrAppendFormat(out, "{\"ruleId\": \"%s\", \"ruleIndex\": %d, \"level\": \"error\", ",
                        std::string(rule.code), static_cast<int>(RuleId::kInvalidNotebook));
  *out += "\"message\": {\"text\": ";
  AppendJsonString(message, out);
  *out += "}, \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": ";
  AppendJsonString(uri, out);
  absl::StrAppendFormat(out, ", \"uriBaseId\": \"%%SRCROOT%%\"}, \"region\": {\"startLine\": %d",
                        std::max<uint32_t>(where.line, 1));
  uint64_t h = Fnv1a(message, Fnv1a(rule.code));
  absl::StrAppendFormat(out,
                        "}}}], \"partialFingerprints\": {\"cellflowFinding/v1\": \"%016x:1\"}}", h);
}

}  // namespace cellflow
