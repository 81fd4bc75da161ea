// The cellflow command line.
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"

#include "CLI/CLI.hpp"
#include "lexer/source.h"
#include "lexer/str_util.h"
#include "parser/ast_dump.h"
#include "parser/names.h"
#include "parser/parser.h"

namespace cellflow {
namespace {

// Appends `s` as a JSON string literal. Invalid UTF-8 bytes become U+FFFD.
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

bool ReadFile(const std::string& path, std::string* bytes, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot open file";
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) {
    *error = "read error";
    return false;
  }
  *bytes = std::move(ss).str();
  if (bytes->size() >= (size_t{1} << 32) - 1) {
    *error = "file too large (4 GiB or more)";
    return false;
  }
  return true;
}

// One decoded and parsed .py file.
struct ParsedFile {
  DecodedSource source;
  Arena arena;
  ParseResult parse;
};

void ParseSource(const std::string& bytes, bool ipython, ParsedFile* f) {
  f->source = DecodeSource(bytes);
  ParseOptions options;
  options.ipython = ipython;
  f->parse = Parse(f->source.text, &f->arena, options);
}

// The first problem CPython would report: decoding first, then syntax.
bool FirstProblem(const ParsedFile& f, Offset* offset, std::string* message) {
  if (!f.source.problems.empty()) {
    *offset = f.source.problems[0].offset;
    *message = f.source.problems[0].message;
    return true;
  }
  if (!f.parse.errors.empty()) {
    *offset = f.parse.errors[0].start;
    *message = f.parse.errors[0].message;
    return true;
  }
  return false;
}

int DumpNames(const std::vector<std::string>& files, bool ipython) {
  int status = 0;
  std::string out;
  for (const std::string& path : files) {
    std::string bytes, error;
    if (!ReadFile(path, &bytes, &error)) {
      std::cerr << "cellflow: " << path << ": " << error << "\n";
      status = 2;
      continue;
    }
    ParsedFile f;
    ParseSource(bytes, ipython, &f);
    LineIndex lines(f.source.text);
    out.clear();
    Offset bad;
    std::string message;
    if (FirstProblem(f, &bad, &message)) {
      LineCol lc = lines.Lookup(bad);
      out += "{\"file\": ";
      AppendJsonString(path, &out);
      absl::StrAppendFormat(&out, ", \"syntax_error\": true, \"line\": %d, \"col\": %d}\n", lc.line,
                            lc.col);
    } else {
      for (const NameOccurrence& n : CollectNames(f.parse.module)) {
        LineCol lc = lines.Lookup(n.offset);
        out += "{\"file\": ";
        AppendJsonString(path, &out);
        out += ", \"name\": ";
        AppendJsonString(n.name, &out);
        absl::StrAppendFormat(&out, ", \"line\": %d, \"col\": %d, \"ctx\": \"%s\"}\n", lc.line,
                              lc.col, NameUseName(n.use));
      }
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
  return status;
}

int DumpTokens(const std::vector<std::string>& files, bool ipython) {
  int status = 0;
  for (const std::string& path : files) {
    std::string bytes, error;
    if (!ReadFile(path, &bytes, &error)) {
      std::cerr << "cellflow: " << path << ": " << error << "\n";
      status = 2;
      continue;
    }
    DecodedSource source = DecodeSource(bytes);
    LexResult lexed;
    LexOptions options;
    options.ipython = ipython;
    Tokenize(source.text, 0, static_cast<Offset>(source.text.size()), options, &lexed);
    LineIndex lines(source.text);
    if (files.size() > 1) std::cout << "==> " << path << " <==\n";
    for (const Token& t : lexed.tokens) {
      LineCol a = lines.Lookup(t.start);
      LineCol b = lines.Lookup(t.end);
      std::string text;
      AppendJsonString(std::string_view(source.text).substr(t.start, t.end - t.start), &text);
      std::cout << absl::StrFormat("%d:%d-%d:%d\t%s\t%s\n", a.line, a.col, b.line, b.col,
                                   TokenKindName(t.kind), text);
    }
    for (const DecodeProblem& p : source.problems) {
      LineCol lc = lines.Lookup(p.offset);
      std::cout << absl::StrFormat("%s:%d:%d: error: %s\n", path, lc.line, lc.col + 1, p.message);
    }
    for (const SyntaxDiagnostic& d : lexed.errors) {
      LineCol lc = lines.Lookup(d.start);
      std::cout << absl::StrFormat("%s:%d:%d: error: %s\n", path, lc.line, lc.col + 1, d.message);
    }
  }
  return status;
}

int DumpAstFiles(const std::vector<std::string>& files, bool ipython) {
  int status = 0;
  for (const std::string& path : files) {
    std::string bytes, error;
    if (!ReadFile(path, &bytes, &error)) {
      std::cerr << "cellflow: " << path << ": " << error << "\n";
      status = 2;
      continue;
    }
    ParsedFile f;
    ParseSource(bytes, ipython, &f);
    LineIndex lines(f.source.text);
    if (files.size() > 1) std::cout << "==> " << path << " <==\n";
    DumpAst(f.parse.module, f.source.text, lines, std::cout);
    for (const DecodeProblem& p : f.source.problems) {
      LineCol lc = lines.Lookup(p.offset);
      std::cout << absl::StrFormat("%s:%d:%d: error: %s\n", path, lc.line, lc.col + 1, p.message);
    }
    for (const SyntaxDiagnostic& d : f.parse.errors) {
      LineCol lc = lines.Lookup(d.start);
      std::cout << absl::StrFormat("%s:%d:%d: error: %s\n", path, lc.line, lc.col + 1, d.message);
    }
  }
  return status;
}

int Main(int argc, char** argv) {
  CLI::App app{"cellflow: finds NameError and ModuleNotFoundError in notebooks before they run"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "cellflow 0.1.0");

  CLI::App* dump = app.add_subcommand("dump", "Print what cellflow reads from a file");
  std::string what;
  std::vector<std::string> files;
  bool json = false;
  bool ipython = false;
  dump->add_option("what", what, "tokens | ast | names")
      ->required()
      ->check(CLI::IsMember({"tokens", "ast", "names"}));
  dump->add_option("files", files, "Python files")->required();
  dump->add_flag("--json", json, "JSON lines (names: the format of shared/oracles)");
  dump->add_flag("--ipython", ipython, "accept IPython escapes (%magic, !cmd, obj?)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  if (dump->parsed()) {
    if (what == "names") {
      if (!json) {
        std::cerr << "cellflow: dump names needs --json\n";
        return 2;
      }
      return DumpNames(files, ipython);
    }
    if (what == "tokens") return DumpTokens(files, ipython);
    return DumpAstFiles(files, ipython);
  }
  return 2;
}

}  // namespace
}  // namespace cellflow

int main(int argc, char** argv) {
  try {
    return cellflow::Main(argc, argv);
  } catch (const std::bad_alloc&) {
    std::cerr << "cellflow: out of memory\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "cellflow: internal error: " << e.what() << "\n";
    return 2;
  }
}
