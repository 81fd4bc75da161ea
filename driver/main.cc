// The cellflow command line.
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"

#include "CLI/CLI.hpp"
#include "driver/analyze.h"
#include "driver/check.h"
#include "driver/config.h"
#include "driver/json_out.h"
#include "driver/notebook.h"
#include "driver/report.h"
#include "driver/stats.h"
#include "ir/scopes.h"
#include "lexer/source.h"
#include "lexer/str_util.h"
#include "parser/ast_dump.h"
#include "parser/names.h"
#include "parser/parser.h"

namespace cellflow {
namespace {

// Reads a file named on the command line; on failure says why on stderr and sets *status to 2.
bool ReadInput(const std::string& path, FileBytes* file, int* status) {
  std::string error;
  if (file->Read(path, &error)) return true;
  std::cerr << "cellflow: " << path << ": " << error << "\n";
  *status = 2;
  return false;
}

// One decoded and parsed .py file.
struct ParsedFile {
  DecodedSource source;
  Arena arena;
  ParseResult parse;
};

void ParseSource(std::string_view bytes, bool ipython, ParsedFile* f) {
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

// The one line the oracles' formats give a file CPython refuses.
void AppendSyntaxErrorJson(const std::string& path, LineCol at, std::string* out) {
  *out += "{\"file\": ";
  AppendJsonString(path, out);
  absl::StrAppendFormat(out, ", \"syntax_error\": true, \"line\": %d, \"col\": %d}\n", at.line,
                        at.col);
}

int DumpNames(const std::vector<std::string>& files, bool ipython) {
  int status = 0;
  std::string out;
  for (const std::string& path : files) {
    FileBytes file;
    if (!ReadInput(path, &file, &status)) continue;
    std::string_view bytes = file.view();
    ParsedFile f;
    ParseSource(bytes, ipython, &f);
    LineIndex lines(f.source.text);
    out.clear();
    Offset bad;
    std::string message;
    if (FirstProblem(f, &bad, &message)) {
      AppendSyntaxErrorJson(path, lines.Lookup(bad), &out);
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
    FileBytes file;
    if (!ReadInput(path, &file, &status)) continue;
    std::string_view bytes = file.view();
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
    FileBytes file;
    if (!ReadInput(path, &file, &status)) continue;
    std::string_view bytes = file.view();
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

// Scopes in preorder with the qualified names of shared/oracles/README.md ("C.method",
// "f.<lambda>@12", "<listcomp>@7:4" when two share a line).
void AppendScopesJson(const std::string& path, const Scope* module, const LineIndex& lines,
                      std::string* out) {
  struct Item {
    const Scope* scope;
    std::string qual;
  };
  std::vector<Item> work{{module, "module"}};
  while (!work.empty()) {
    Item item = std::move(work.back());
    work.pop_back();
    const Scope* s = item.scope;
    bool is_module = s->kind == ScopeKind::kModule;
    *out += "{\"file\": ";
    AppendJsonString(path, out);
    *out += ", \"scope\": ";
    AppendJsonString(item.qual, out);
    absl::StrAppendFormat(out, ", \"type\": \"%s\", \"line\": %d, \"symbols\": {",
                          std::string(s->TypeName()), is_module ? 0 : lines.Lookup(s->start).line);
    bool first = true;
    for (const Symbol& sym : s->symbols) {
      if (!sym.name.empty() && sym.name[0] == '.') continue;
      if (!first) *out += ", ";
      first = false;
      AppendJsonString(sym.name, out);
      *out += ": [";
      bool first_flag = true;
      for (std::string_view flag : SymbolFlagNames(sym, is_module)) {
        if (!first_flag) *out += ", ";
        first_flag = false;
        AppendJsonString(flag, out);
      }
      *out += "]";
    }
    *out += "}}\n";
    std::string prefix = is_module ? "" : item.qual + ".";
    std::vector<Item> kids;
    for (const Scope* c : s->children) {
      bool anonymous = c->kind == ScopeKind::kLambda || c->kind == ScopeKind::kComprehension;
      if (!anonymous) {
        kids.push_back({c, prefix + std::string(c->name)});
        continue;
      }
      LineCol lc = lines.Lookup(c->start);
      int same = 0;
      for (const Scope* o : s->children) {
        if (o->name == c->name && lines.Lookup(o->start).line == lc.line) ++same;
      }
      std::string qual = absl::StrFormat("%s<%s>@%d", prefix, std::string(c->name), lc.line);
      if (same > 1) absl::StrAppendFormat(&qual, ":%d", lc.col);
      kids.push_back({c, std::move(qual)});
    }
    for (auto it = kids.rbegin(); it != kids.rend(); ++it) work.push_back(std::move(*it));
  }
}

int DumpScopes(const std::vector<std::string>& files) {
  int status = 0;
  std::string out;
  for (const std::string& path : files) {
    FileBytes file;
    if (!ReadInput(path, &file, &status)) continue;
    std::string_view bytes = file.view();
    ParsedFile f;
    ParseSource(bytes, /*ipython=*/false, &f);
    LineIndex lines(f.source.text);
    out.clear();
    Offset bad;
    std::string message;
    std::unique_ptr<ScopeTree> tree;
    if (!FirstProblem(f, &bad, &message)) {
      tree = BuildScopes(f.parse.module, f.source.text);
      if (!tree->errors().empty()) bad = tree->errors()[0].start;
    }
    if (tree == nullptr || !tree->errors().empty()) {
      AppendSyntaxErrorJson(path, lines.Lookup(bad), &out);
    } else {
      AppendScopesJson(path, tree->module(), lines, &out);
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
  return status;
}

// One JSON object per cell, or one NB002 diagnostic for a file that is no readable notebook.
void AppendCellsJson(const Notebook& nb, std::string* out) {
  for (const Cell& cell : nb.cells) {
    *out += "{\"file\": ";
    AppendJsonString(nb.path, out);
    absl::StrAppendFormat(out, ", \"cell\": %d, \"type\": ", cell.index);
    AppendJsonString(cell.type, out);
    *out += ", \"execution_count\": ";
    *out += cell.execution_count ? std::to_string(*cell.execution_count) : "null";
    *out += ", \"source\": ";
    AppendJsonString(nb.Source(cell), out);
    *out += ", \"error\": ";
    if (cell.error_name) {
      AppendJsonString(*cell.error_name, out);
    } else {
      *out += "null";
    }
    *out += ", \"raw_lines\": [";
    for (size_t i = 0; i < nb.RawLines(cell).size(); ++i) {
      if (i > 0) *out += ", ";
      *out += std::to_string(nb.RawLines(cell)[i]);
    }
    *out += "]}\n";
  }
}

void AppendCellsText(const Notebook& nb, std::string* out) {
  static constexpr const char* kFormats[] = {"ipynb", "percent script", "script"};
  absl::StrAppendFormat(out, "%s: %s", nb.path, kFormats[static_cast<int>(nb.format)]);
  if (nb.nbformat != 0)
    absl::StrAppendFormat(out, " nbformat %d.%d", nb.nbformat, nb.nbformat_minor);
  if (!nb.language.empty()) absl::StrAppendFormat(out, ", language %s", nb.language);
  absl::StrAppendFormat(out, ", %d cells\n", nb.cells.size());
  for (const Cell& cell : nb.cells) {
    absl::StrAppendFormat(out, "[cell %d] %s", cell.index, cell.type);
    if (cell.execution_count)
      absl::StrAppendFormat(out, ", execution_count %d", *cell.execution_count);
    if (cell.has_outputs) *out += ", outputs";
    if (cell.error_name) absl::StrAppendFormat(out, ", error %s", *cell.error_name);
    for (const std::string& tag : cell.tags) absl::StrAppendFormat(out, ", tag %s", tag);
    *out += "\n";
    std::string_view source = nb.Source(cell);
    size_t line = 0;
    while (!source.empty()) {
      size_t e = source.find_first_of("\r\n");
      std::string_view text = source.substr(0, e);
      uint32_t raw = line < nb.RawLines(cell).size() ? nb.RawLines(cell)[line] : 0;
      absl::StrAppendFormat(out, "%6d | %s\n", raw, std::string(text));
      ++line;
      if (e == std::string_view::npos) break;
      if (source[e] == '\r' && e + 1 < source.size() && source[e + 1] == '\n') ++e;
      source.remove_prefix(e + 1);
    }
  }
}

int DumpIr(const std::vector<std::string>& files) {
  NotebookReader reader;
  int status = 0;
  for (const std::string& path : files) {
    FileBytes file;
    if (!ReadInput(path, &file, &status)) continue;
    std::string_view bytes = file.view();
    absl::StatusOr<Notebook> nb = reader.Read(path, bytes);
    if (!nb.ok()) {
      std::cerr << "cellflow: " << path << ": " << nb.status().message() << "\n";
      status = 1;
      continue;
    }
    if (files.size() > 1) std::cout << "==> " << path << " <==\n";
    DumpNotebookIr(*nb, AnalyzeOptions{}, std::cout);
  }
  return status;
}

int DumpCells(const std::vector<std::string>& files, bool json) {
  int status = 0;
  NotebookReader reader;
  std::string out;
  for (const std::string& path : files) {
    FileBytes file;
    if (!ReadInput(path, &file, &status)) continue;
    std::string_view bytes = file.view();
    out.clear();
    ReadErrorPosition where;
    absl::StatusOr<Notebook> nb = reader.Read(path, bytes, &where, file.spare());
    if (!nb.ok()) {
      std::string message(nb.status().message());
      if (json) {
        AppendInvalidNotebookJson(path, message, where, &out);
      } else {
        absl::StrAppendFormat(&out, "%s: error: %s [NB002]\n", path, message);
      }
      if (status == 0) status = 1;
    } else if (json) {
      AppendCellsJson(*nb, &out);
    } else {
      AppendCellsText(*nb, &out);
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
  return status;
}

// `cellflow rules`: the rule table, from passes/rules.def.
int PrintRules(const std::string& format) {
  std::string out;
  if (format == "markdown") {
    out += "| code | name | severity | fires when |\n|---|---|---|---|\n";
    for (const RuleInfo& r : AllRules()) {
      absl::StrAppendFormat(&out, "| %s | %s | %s | %s |\n", std::string(r.code),
                            std::string(r.name), std::string(SeverityName(r.severity)),
                            std::string(r.summary));
    }
  } else if (format == "json") {
    for (const RuleInfo& r : AllRules()) {
      out += "{\"code\": ";
      AppendJsonString(r.code, &out);
      out += ", \"name\": ";
      AppendJsonString(r.name, &out);
      out += ", \"severity\": ";
      AppendJsonString(SeverityName(r.severity), &out);
      out += ", \"summary\": ";
      AppendJsonString(r.summary, &out);
      out += ", \"description\": ";
      AppendJsonString(r.description, &out);
      out += "}\n";
    }
  } else {
    for (const RuleInfo& r : AllRules()) {
      absl::StrAppendFormat(&out, "%s  %-24s %-8s %s\n", std::string(r.code), std::string(r.name),
                            std::string(SeverityName(r.severity)), std::string(r.summary));
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

int Main(int argc, char** argv) {
  CLI::App app{"cellflow: finds NameError and ModuleNotFoundError in notebooks before they run"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "cellflow " CELLFLOW_VERSION);

  CLI::App* dump = app.add_subcommand("dump", "Print what cellflow reads from a file");
  std::string what;
  std::vector<std::string> files;
  bool json = false;
  bool ipython = false;
  dump->add_option("what", what, "tokens | ast | names | scopes | cells | ir")
      ->required()
      ->check(CLI::IsMember({"tokens", "ast", "names", "scopes", "cells", "ir"}));
  dump->add_option("files", files, "Python files (cells: notebooks and scripts)")->required();
  dump->add_flag("--json", json, "JSON lines (names: the format of shared/oracles)");
  dump->add_flag("--ipython", ipython, "accept IPython escapes (%magic, !cmd, obj?)");

  CLI::App* check = app.add_subcommand("check", "Report what would fail when the notebooks run");
  std::vector<std::string> check_paths;
  CheckOptions check_options;
  check->add_option("paths", check_paths, "notebooks, scripts and directories");
  check->add_option("--format", check_options.format, "text | json | jsonl | sarif | github")
      ->check(CLI::IsMember({"text", "json", "jsonl", "sarif", "github"}));
  check->add_option("-o,--output", check_options.output, "write the report to FILE");
  check->add_option("--order", check_options.order, "file (Run All) | executed (saved counts)")
      ->check(CLI::IsMember({"file", "executed"}));
  check->add_option("--target-version", check_options.target_version, "3.8 .. 3.13")
      ->check(CLI::IsMember({"3.8", "3.9", "3.10", "3.11", "3.12", "3.13"}));
  check->add_option("--select", check_options.select, "rule codes or prefixes (NB1)")
      ->delimiter(',')
      ->allow_extra_args(false);
  check->add_option("--ignore", check_options.ignore, "rule codes or prefixes")
      ->delimiter(',')
      ->allow_extra_args(false);
  check
      ->add_option("--exclude", check_options.exclude,
                   "skip paths matching GLOB (whole path or one component)")
      ->delimiter(',')
      ->allow_extra_args(false);
  check->add_option("--files-from", check_options.files_from,
                    "read paths to check from FILE, one per line (- for stdin)");
  check->add_option("-j,--jobs", check_options.jobs, "worker threads (default: every core)")
      ->check(CLI::Range(0, 1024));
  check->add_option("--repo-root", check_options.repo_root,
                    "SARIF paths are relative to DIR (default: the current directory)");
  check
      ->add_option("--path", check_options.paths,
                   "also look for local modules in DIR (after the notebook's directory)")
      ->allow_extra_args(false);
  check
      ->add_option("--site-packages", check_options.site_packages,
                   "installed packages in DIR resolve imports (reads *.dist-info)")
      ->allow_extra_args(false);
  check
      ->add_option("--requirements", check_options.requirements,
                   "a dependency file that declares packages for every notebook")
      ->allow_extra_args(false);
  check->add_flag("--strict-deps", check_options.strict_deps,
                  "report undeclared third-party imports even without a dependency file");
  check->add_flag("--no-imports", check_options.no_imports,
                  "do not resolve imports against the files around each notebook (no NB2xx; "
                  "star imports and %run bind unknown names)");
  check->add_flag("--include-py", check_options.include_py, "also check .py files in directories");
  check->add_flag("--exit-zero", check_options.exit_zero, "exit 0 even with findings");
  check->add_flag("--statistics", check_options.statistics,
                  "print the number of findings per rule instead of the findings");
  check->add_flag("--no-progress", check_options.no_progress,
                  "no progress line on stderr (shown only on a terminal)");
  check->add_flag("--suggest-order", check_options.suggest_order,
                  "print a cell order in which every name is defined before it is read");
  std::string config_file;
  bool no_config = false;
  check->add_option("--config", config_file,
                    "read [tool.cellflow] from FILE (default: the nearest pyproject.toml that has "
                    "it, from the current directory up)");
  check->add_flag("--no-config", no_config, "read no [tool.cellflow] settings");

  CLI::App* stats = app.add_subcommand("stats", "One row of hygiene metrics per notebook");
  std::vector<std::string> stats_paths;
  CheckOptions stats_options;
  stats_options.format = "csv";
  stats->add_option("paths", stats_paths, "notebooks, scripts and directories");
  stats->add_option("--format", stats_options.format, "csv | jsonl")
      ->check(CLI::IsMember({"csv", "jsonl"}));
  stats->add_option("-o,--output", stats_options.output, "write the rows to FILE");
  stats->add_option("--order", stats_options.order, "file (Run All) | executed (saved counts)")
      ->check(CLI::IsMember({"file", "executed"}));
  stats->add_option("--target-version", stats_options.target_version, "3.8 .. 3.13")
      ->check(CLI::IsMember({"3.8", "3.9", "3.10", "3.11", "3.12", "3.13"}));
  stats->add_option("--files-from", stats_options.files_from,
                    "read paths from FILE, one per line (- for stdin)");
  stats->add_option("--exclude", stats_options.exclude, "skip paths matching GLOB")
      ->delimiter(',')
      ->allow_extra_args(false);
  stats->add_option("-j,--jobs", stats_options.jobs, "worker threads (default: every core)")
      ->check(CLI::Range(0, 1024));
  stats->add_option("--path", stats_options.paths, "also look for local modules in DIR")
      ->allow_extra_args(false);
  stats->add_option("--site-packages", stats_options.site_packages, "installed packages in DIR")
      ->allow_extra_args(false);
  stats->add_option("--requirements", stats_options.requirements, "a dependency file for all")
      ->allow_extra_args(false);
  stats->add_flag("--include-py", stats_options.include_py, "also .py files in directories");
  stats->add_flag("--no-progress", stats_options.no_progress, "no progress line on stderr");
  stats->add_option("--config", config_file, "read [tool.cellflow] from FILE");
  stats->add_flag("--no-config", no_config, "read no [tool.cellflow] settings");

  CLI::App* graph = app.add_subcommand("graph", "The cell dependency graph of a notebook");
  std::string graph_path;
  std::string graph_format = "dot";
  std::string graph_order = "file";
  graph->add_option("notebook", graph_path, "a notebook")->required();
  graph->add_option("--format", graph_format, "dot | json")->check(CLI::IsMember({"dot", "json"}));
  graph->add_option("--order", graph_order, "file (Run All) | executed (saved counts)")
      ->check(CLI::IsMember({"file", "executed"}));

  CLI::App* rules = app.add_subcommand("rules", "List the rules cellflow checks");
  std::string rules_format = "text";
  rules->add_option("--format", rules_format, "text | json | markdown")
      ->check(CLI::IsMember({"text", "json", "markdown"}));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  // Settings from pyproject.toml fill in what the command line leaves out.
  auto configure = [&](CLI::App* command, CheckOptions* options) {
    if (no_config) return true;
    ConfigFile config;
    std::string error;
    std::vector<std::string> warnings;
    std::error_code cwd_error;  // no working directory: no pyproject.toml is looked for
    bool ok = config_file.empty()
                  ? FindConfigFile(std::filesystem::current_path(cwd_error).string(), &config,
                                   &error, &warnings)
                  : ReadConfigFile(config_file, &config, &error);
    for (const std::string& w : warnings) std::cerr << "cellflow: warning: " << w << "\n";
    if (!ok) {
      std::cerr << "cellflow: " << error << "\n";
      return false;
    }
    ApplyConfig(
        config,
        [command](std::string_view option) {
          const CLI::Option* o = command->get_option_no_throw(std::string(option));
          return o != nullptr && o->count() > 0;
        },
        options);
    return true;
  };
  if (check->parsed()) {
    if (!configure(check, &check_options)) return 2;
    return RunCheck(check_paths, check_options);
  }
  if (rules->parsed()) return PrintRules(rules_format);
  if (stats->parsed()) {
    if (!configure(stats, &stats_options)) return 2;
    return RunStats(stats_paths, stats_options);
  }
  if (graph->parsed()) return RunGraph(graph_path, graph_format, graph_order);
  if (dump->parsed()) {
    if (what == "names") {
      if (!json) {
        std::cerr << "cellflow: dump names needs --json\n";
        return 2;
      }
      return DumpNames(files, ipython);
    }
    if (what == "tokens") return DumpTokens(files, ipython);
    if (what == "cells") return DumpCells(files, json);
    if (what == "ir") return DumpIr(files);
    if (what == "scopes") {
      if (!json) {
        std::cerr << "cellflow: dump scopes needs --json\n";
        return 2;
      }
      return DumpScopes(files);
    }
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
