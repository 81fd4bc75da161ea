// The per-notebook pipeline and the mapping from buffer offsets back to cells.
#include "driver/analyze.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_format.h"

#include "driver/environment.h"
#include "ir/dataflow.h"
#include "ir/ir_dump.h"
#include "ir/lower.h"
#include "ir/scopes.h"
#include "lexer/source.h"
#include "lexer/str_util.h"
#include "lexer/unicode.h"
#include "parser/ast_visitor.h"
#include "parser/parser.h"
#include "passes/name_rules.h"

namespace cellflow {
namespace {

// "%%capture [--no-stderr] [--no-stdout] [--no-display] [output]" → "output".
std::string_view CaptureTarget(std::string_view line) {
  std::string_view rest = line.substr(std::min<size_t>(line.size(), 9));  // after %%capture
  std::string_view found;
  size_t p = 0;
  for (std::string_view w = NextWord(rest, &p); !w.empty(); w = NextWord(rest, &p)) {
    if (w[0] != '-') found = w;
  }
  return found;
}

// The line holding `at` starts with a shell command and its arguments ("mkdir -p out",
// "pip install torch", "git clone URL", "python train.py"): a cell of shell commands that lacks
// its %%bash, or a command that lacks its '!'. Returns the command, or empty.
std::string_view ShellCommandAt(std::string_view buffer, Offset cell_begin, Offset at) {
  static constexpr std::string_view kCommands[] = {
      "apt",  "apt-get",    "bash",   "cat",   "cd",    "chmod",  "conda",   "cp",
      "curl", "echo",       "export", "gdown", "git",   "gunzip", "ls",      "mkdir",
      "mv",   "nvidia-smi", "pip",    "pip3",  "pwd",   "python", "python3", "rm",
      "sh",   "sudo",       "tar",    "touch", "unzip", "wget"};
  if (at > buffer.size() || cell_begin > at) return {};
  size_t p = at;
  while (p > cell_begin && buffer[p - 1] != '\n') --p;
  while (p < buffer.size() && (buffer[p] == ' ' || buffer[p] == '\t')) ++p;
  size_t q = p;
  while (q < buffer.size() &&
         (std::isalnum(static_cast<unsigned char>(buffer[q])) || buffer[q] == '-')) {
    ++q;
  }
  std::string_view word = buffer.substr(p, q - p);
  if (std::find(std::begin(kCommands), std::end(kCommands), word) == std::end(kCommands)) return {};
  // A command takes words, options or paths, which Python never puts after a name.
  if (q >= buffer.size() || buffer[q] != ' ') return {};
  while (q < buffer.size() && buffer[q] == ' ') ++q;
  if (q >= buffer.size()) return {};
  const char c = buffer[q];
  if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '/' || c == '~' ||
      c == '$') {
    return word;
  }
  return {};
}

class CellLocator : public Locator {
 public:
  explicit CellLocator(const Notebook& nb) : nb_(nb) {
    for (size_t i = 0; i < nb.cells.size() && sorted_; ++i) {
      const Cell& c = nb.cells[i];
      sorted_ = c.begin <= c.end && (i == 0 || nb.cells[i - 1].end <= c.begin);
    }
  }

  // The cell holding `offset` (its end included); of several, the one that starts last.
  const Cell* CellAt(Offset offset) const {
    if (sorted_) {
      // Cells in buffer order that do not overlap (.ipynb lays them out so): the last one
      // starting at or before `offset` is the only candidate.
      auto it = std::upper_bound(nb_.cells.begin(), nb_.cells.end(), offset,
                                 [](Offset o, const Cell& c) { return o < c.begin; });
      if (it == nb_.cells.begin()) return nullptr;
      --it;
      return offset <= it->end ? &*it : nullptr;
    }
    const Cell* best = nullptr;
    for (const Cell& c : nb_.cells) {
      if (c.begin <= offset && offset <= c.end) {
        if (best == nullptr || c.begin >= best->begin) best = &c;
      }
    }
    return best;
  }
  uint32_t CellOf(Offset offset) const override {
    if (nb_.format == NotebookFormat::kScript) return 0;
    const Cell* c = CellAt(offset);
    return c == nullptr ? 0 : c->index;
  }
  uint32_t LineOf(Offset offset) const override { return Line(CellAt(offset), offset).line; }
  Position Place(Offset offset) const {
    Position p;
    const Cell* c = CellAt(offset);
    p.cell = nb_.format == NotebookFormat::kScript || c == nullptr ? 0 : c->index;
    const LineCol lc = Line(c, offset);
    p.line = lc.line;
    std::string_view line_text = std::string_view(nb_.buffer).substr(offset - lc.col, lc.col);
    p.column = static_cast<uint32_t>(CountCodePoints(line_text)) + 1;
    if (c != nullptr && p.line >= 1 && p.line <= nb_.RawLines(*c).size()) {
      p.file_line = nb_.RawLines(*c)[p.line - 1];
    } else if (c != nullptr && c->source_line != 0) {
      p.file_line = c->source_line;
    } else {
      p.file_line = p.line;
    }
    return p;
  }
  std::string SourceLine(Offset offset) const {
    std::string_view buf = nb_.buffer;
    size_t start = offset - Line(CellAt(offset), offset).col;
    size_t end = start;
    while (end < buf.size() && buf[end] != '\n' && buf[end] != '\r') ++end;
    return std::string(buf.substr(start, end - start));
  }

 private:
  // The line of `offset` within cell `c` (within the buffer when null), and its byte column.
  LineCol Line(const Cell* c, Offset offset) const {
    if (c == nullptr) {
      if (!lines_) lines_.emplace(nb_.buffer);
      return lines_->Lookup(offset);
    }
    // Only the cells with something to report need their lines, each indexed once.
    const size_t i = static_cast<size_t>(c - nb_.cells.data());
    if (cell_lines_.empty()) cell_lines_.resize(nb_.cells.size());
    if (!cell_lines_[i]) {
      // With the '\n' after the cell, so that a "\r" ending the cell ends its line as the
      // buffer's "\r\n" does.
      const size_t size = std::min<size_t>(c->end + 1, nb_.buffer.size()) - c->begin;
      cell_lines_[i] =
          std::make_unique<LineIndex>(std::string_view(nb_.buffer).substr(c->begin, size));
    }
    return cell_lines_[i]->Lookup(offset - c->begin);
  }

  const Notebook& nb_;
  bool sorted_ = true;
  mutable std::optional<LineIndex> lines_;  // of the whole buffer, for offsets outside cells
  mutable std::vector<std::unique_ptr<LineIndex>> cell_lines_;  // by position in nb_.cells
};

// A cell order that satisfies every definition-use dependency the file's order breaks: cell D
// must come before cell U when U reads a name that no definition reaches in file order and D
// is the first cell defining it. Kahn's algorithm, always taking the earliest ready cell.
std::vector<uint32_t> SuggestOrder(const Notebook& nb, const Program& program,
                                   const CellLocator& locator) {
  const Unit& m = program.module;
  std::vector<std::pair<uint32_t, uint32_t>> edges;  // (before, after)
  for (const Use& u : m.uses) {
    if (!u.reachable || (u.flags & kInstrGuarded)) continue;
    bool bound = false;
    for (DefId d : u.reaching) {
      DefKind k = m.defs[d].kind;
      bound |= IsBinding(k);
    }
    if (bound) continue;
    uint32_t use_cell = locator.CellOf(u.site.start);
    for (DefId d : m.defs_of[u.name]) {
      if (m.defs[d].kind != DefKind::kBind) continue;
      uint32_t def_cell = locator.CellOf(m.defs[d].site.start);
      if (def_cell != use_cell && def_cell != 0) edges.push_back({def_cell, use_cell});
      break;
    }
  }
  if (edges.empty()) return {};
  const size_t n = nb.cells.size();
  std::vector<std::vector<uint32_t>> after(n + 1);
  std::vector<int> indegree(n + 1, 0);
  for (auto [b, a] : edges) {
    after[b].push_back(a);
    ++indegree[a];
  }
  std::vector<uint32_t> order;
  std::vector<bool> done(n + 1, false);
  while (order.size() < n) {
    uint32_t next = 0;
    for (uint32_t c = 1; c <= n; ++c) {
      if (!done[c] && indegree[c] == 0) {
        next = c;
        break;
      }
    }
    if (next == 0) return {};  // a cycle: no order works
    done[next] = true;
    order.push_back(next);
    for (uint32_t a : after[next]) --indegree[a];
  }
  return order;
}

// Edges from the cells whose definitions a read at module level uses to the reading cell; for a
// read no binding reaches, from the first cell that binds the name anywhere.
NotebookGraph BuildGraph(Program* program, const CellLocator& locator) {
  ReachingDefinitions solved(&program->module);  // fills every use's reaching definitions
  const Unit& m = program->module;
  std::map<std::pair<uint32_t, uint32_t>, std::set<std::string>> edges;
  for (const Use& u : m.uses) {
    if (!u.reachable) continue;
    uint32_t to = locator.CellOf(u.site.start);
    bool bound = false;
    for (DefId d : u.reaching) {
      const Definition& def = m.defs[d];
      if (!IsBinding(def.kind) || def.kind == DefKind::kProven) continue;
      bound = true;
      uint32_t from = locator.CellOf(def.site.start);
      if (from != to && from != 0) edges[{from, to}].emplace(m.names[u.name]);
    }
    if (bound) continue;
    for (DefId d : m.defs_of[u.name]) {
      if (m.defs[d].kind != DefKind::kBind) continue;
      uint32_t from = locator.CellOf(m.defs[d].site.start);
      if (from != to && from != 0) edges[{from, to}].emplace(m.names[u.name]);
      break;
    }
  }
  NotebookGraph graph;
  for (auto& [cells, names] : edges) {
    if (names.contains(std::string(kWildcardName))) names.erase(std::string(kWildcardName));
    if (names.empty()) continue;
    graph.edges.push_back({cells.first, cells.second,
                           std::vector<std::string>(names.begin(), names.end()),
                           cells.first > cells.second});
  }
  return graph;
}

// Parses the code cells, lowers them in `order` and runs the name rules.
// `name`, a view into the notebook's buffer, as a name a magic binds, with its place.
std::pair<std::string_view, Range> MagicBinding(const Notebook& nb, std::string_view name) {
  auto at = static_cast<Offset>(name.data() - nb.buffer.data());
  return {name, Range{at, at + static_cast<Offset>(name.size())}};
}

// "%%bash --out listing --err problems": the names bound by --out, --err and --proc.
void ScriptMagicBindings(const Notebook& nb, std::string_view cell,
                         std::vector<std::pair<std::string_view, Range>>* out) {
  std::string_view line = cell.substr(0, cell.find_first_of("\r\n"));
  size_t p = 0;
  while ((p = line.find("--", p)) != std::string_view::npos) {
    p += 2;
    size_t e = p;
    while (e < line.size() && std::isalpha(static_cast<unsigned char>(line[e]))) ++e;
    std::string_view option = line.substr(p, e - p);
    if (option != "out" && option != "err" && option != "proc") continue;
    while (e < line.size() && (line[e] == ' ' || line[e] == '\t' || line[e] == '=')) ++e;
    size_t v = e;
    while (e < line.size() &&
           (std::isalnum(static_cast<unsigned char>(line[e])) || line[e] == '_')) {
      ++e;
    }
    if (e == v) continue;
    out->push_back(MagicBinding(nb, line.substr(v, e - v)));
  }
}

// Calls visit(line) for every line of a cell magic's body (the lines after the magic's own).
template <typename Visit>
void ForEachBodyLine(std::string_view cell, Visit&& visit) {
  size_t p = cell.find('\n');
  while (p != std::string_view::npos && p < cell.size()) {
    size_t start = p + 1;
    size_t end = cell.find('\n', start);
    visit(cell.substr(start, end == std::string_view::npos ? end : end - start));
    p = end;
  }
}

// A %%fortran cell (the fortranmagic extension, through f2py) binds its subroutines, functions
// and modules as Python names: "SUBROUTINE name", "REAL(8) FUNCTION name", "MODULE name", in
// any case, but not "END SUBROUTINE name" or "MODULE PROCEDURE". Comment lines start with '!'.
void FortranBindings(const Notebook& nb, std::string_view cell,
                     std::vector<std::pair<std::string_view, Range>>* out) {
  auto lower = [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  };
  auto ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  ForEachBodyLine(cell, [&](std::string_view line) {
    // The line's words, lowercased, up to a comment.
    std::vector<std::pair<std::string, size_t>> words;  // word, position in `line`
    for (size_t k = 0; k < line.size();) {
      if (line[k] == '!') break;
      if (!ident(line[k])) {
        ++k;
        continue;
      }
      size_t b = k;
      while (k < line.size() && ident(line[k])) ++k;
      std::string w;
      for (size_t c = b; c < k; ++c) w += lower(line[c]);
      words.emplace_back(std::move(w), b);
    }
    for (size_t w = 0; w + 1 < words.size(); ++w) {
      const std::string& word = words[w].first;
      if (word != "subroutine" && word != "function" && word != "module") continue;
      if (w > 0 && words[w - 1].first == "end") break;
      if (word == "module" && words[w + 1].first == "procedure") break;
      out->push_back(MagicBinding(nb, line.substr(words[w + 1].second, words[w + 1].first.size())));
      break;
    }
  });
}

// The Python-visible names a %%cython cell defines: `def f(`, `cpdef [type] f(`, `class C`,
// `cdef class C`, `name = ...` at the start of a line.
void CythonBindings(const Notebook& nb, std::string_view cell,
                    std::vector<std::pair<std::string_view, Range>>* out) {
  ForEachBodyLine(cell, [&](std::string_view line) {
    if (line.empty() || !IsIdentifierByte(line[0])) return;
    size_t name_at = std::string_view::npos;
    size_t name_end = 0;
    auto after_word = [&](std::string_view word) {
      return line.substr(0, word.size()) == word && line.size() > word.size() &&
             (line[word.size()] == ' ' || line[word.size()] == '\t');
    };
    if (after_word("def") || after_word("class") || after_word("cdef class") ||
        after_word("cpdef")) {
      // The name is the last identifier before '(' or ':' (cpdef may carry a return type).
      size_t stop = line.find_first_of("(:");
      if (stop == std::string_view::npos) return;
      size_t e = stop;
      while (e > 0 && (line[e - 1] == ' ' || line[e - 1] == '\t')) --e;
      size_t b = e;
      while (b > 0 && IsIdentifierByte(line[b - 1])) --b;
      name_at = b;
      name_end = e;
    } else if (!after_word("cdef") && !after_word("cimport") && !after_word("import") &&
               !after_word("from")) {
      size_t e = 0;
      while (e < line.size() && IsIdentifierByte(line[e])) ++e;
      size_t q = e;
      while (q < line.size() && (line[q] == ' ' || line[q] == '\t')) ++q;
      if (q < line.size() && line[q] == '=' && (q + 1 >= line.size() || line[q + 1] != '=')) {
        name_at = 0;
        name_end = e;
      }
    }
    if (name_at == std::string_view::npos || name_end <= name_at) return;
    out->push_back(MagicBinding(nb, line.substr(name_at, name_end - name_at)));
  });
}

// What RunCells does besides the name rules.
struct RunRequest {
  CellOrder order = CellOrder::kFile;
  int python_minor = 12;
  bool report_syntax = true;       // NB001 and the import rules (off for the hidden-state replay)
  std::ostream* ir_out = nullptr;  // dump the IR instead of checking
  std::vector<uint32_t>* suggested_order = nullptr;
  NotebookGraph* graph = nullptr;  // build the cell graph instead of checking
  const ImportContext* imports = nullptr;
  // With `imports`: the notebook's module environment, made by the first run over the notebook
  // and reused by the next (the hidden-state replay).
  struct Environment {
    std::unique_ptr<ModuleEnvironment> env;
    std::unique_ptr<EnvironmentBindings> bindings;
  };
  Environment* environment = nullptr;
  ImportCounts* import_counts = nullptr;
  bool explain = true;          // messages and hints (the replay needs only rule, place and name)
  bool function_bodies = true;  // reads in function bodies (not in the replay)
};

// "%%writefile [-a] mod.py" or "%%file [-a] mod.py": the file name, or empty; *append for -a
// (--append).
std::string_view WrittenFileName(std::string_view first_line, bool* append) {
  std::string_view name;
  size_t p = 0;
  *append = false;
  NextWord(first_line, &p);  // the magic itself
  for (std::string_view w = NextWord(first_line, &p); !w.empty(); w = NextWord(first_line, &p)) {
    if (w[0] != '-') name = w;
    *append |= w == "-a" || w == "--append";
  }
  if (name.size() >= 2 && (name.front() == '"' || name.front() == '\'') &&
      name.back() == name.front()) {
    name = name.substr(1, name.size() - 2);
  }
  while (name.substr(0, 2) == "./") name.remove_prefix(2);
  return name;
}

// A code cell as every run over the notebook sees it (the file's order, the hidden-state replay
// of the recorded order): parsed, with its scopes, once per notebook.
struct ParsedCell {
  bool python = false;  // false: a cell magic whose body is not Python (%%bash, %%html, ...)
  CodeCell code;        // the tree, its scopes, the cell number, names bound by magic lines
  std::optional<Diagnostic> syntax;                 // NB001: the cell's first syntax error
  std::optional<ImportFacts::WrittenFile> written;  // a %%writefile cell's file
};

class ParsedCells {
 public:
  // IPython runs a notebook's cells with top-level await; a plain script runs without.
  bool TopLevelAwait() const { return nb_.format != NotebookFormat::kScript; }

  explicit ParsedCells(const Notebook& nb) : nb_(nb), cells_(nb.cells.size()) {
    trees_.reserve(nb.cells.size());
  }

  Arena* arena() { return &arena_; }

  // `c` is one of the notebook's cells; parsed on first use.
  const ParsedCell& Get(const Cell& c) {
    std::optional<ParsedCell>& slot = cells_[static_cast<size_t>(&c - nb_.cells.data())];
    if (!slot) Parse(c, &slot.emplace());
    if (slot->python && slot->code.scopes == nullptr) Scope(&*slot);
    return *slot;
  }

  // Parses every code cell, then builds every cell's scopes: one phase's code at a time, not
  // the parser's and the scope builder's in turn for each (small) cell.
  void PrepareAll() {
    for (size_t i = 0; i < nb_.cells.size(); ++i) {
      if (nb_.cells[i].IsCode() && !cells_[i]) Parse(nb_.cells[i], &cells_[i].emplace());
    }
    for (std::optional<ParsedCell>& slot : cells_) {
      if (slot && slot->python && slot->code.scopes == nullptr) Scope(&*slot);
    }
  }

 private:
  // Parses a cell; its scopes come after (Scope), unless it is a magic line.
  void Parse(const Cell& c, ParsedCell* out);
  void Scope(ParsedCell* out);
  void ParseMagicLine(std::string_view trimmed, ParsedCell* out);

  const Notebook& nb_;
  Arena arena_;
  std::vector<std::unique_ptr<ScopeTree>> trees_;
  std::vector<std::optional<ParsedCell>> cells_;  // by position in nb_.cells
};

// A cell magic whose body is not Python but binds names: only its first line is code, and the
// names it binds are bound at its start.
void ParsedCells::ParseMagicLine(std::string_view trimmed, ParsedCell* out) {
  ParseOptions parse_options;
  parse_options.ipython = true;
  auto begin = static_cast<Offset>(trimmed.data() - nb_.buffer.data());
  Offset end = begin + static_cast<Offset>(std::min(trimmed.find_first_of("\r\n"), trimmed.size()));
  ParseResult parsed = cellflow::Parse(nb_.buffer, begin, end, &arena_, parse_options);
  trees_.push_back(
      BuildScopes(parsed.module, nb_.buffer, TopLevelAwait(), ModuleSymbols::kWhereDeclared));
  out->code.module = parsed.module;
  out->code.scopes = trees_.back().get();
  out->python = true;
}

void ParsedCells::Parse(const Cell& c, ParsedCell* out) {
  const Notebook& nb = nb_;
  std::string_view source = nb.Source(c);
  std::string_view trimmed =
      source.substr(std::min(source.size(), source.find_first_not_of(" \t\r\n")));
  CodeCell& cell = out->code;
  cell.cell = c.index;
  // %%time and %%capture run the rest of the cell as a cell of its own: when that starts with
  // another cell magic (%%time, then %%bash), the inner one says what the rest is.
  Offset begin = c.begin;
  while (trimmed.starts_with("%%")) {
    const std::string_view outer = CellMagicName(trimmed);
    const size_t newline = trimmed.find('\n');
    if ((outer != "time" && outer != "capture") || newline == std::string_view::npos) break;
    std::string_view inner = trimmed.substr(newline + 1);
    inner = inner.substr(std::min(inner.size(), inner.find_first_not_of(" \t\r\n")));
    if (!inner.starts_with("%%")) break;
    if (outer == "capture") {
      std::string_view target = CaptureTarget(trimmed.substr(0, trimmed.find_first_of("\r\n")));
      if (!target.empty()) cell.magic_bindings.push_back(MagicBinding(nb, target));
    }
    trimmed = inner;
    begin = static_cast<Offset>(inner.data() - nb.buffer.data());
  }
  // A magic's line (only cells that start with one: this runs for every cell).
  const std::string_view first_line = trimmed.starts_with('%')
                                          ? trimmed.substr(0, trimmed.find_first_of("\r\n"))
                                          : std::string_view();
  if (nb.databricks && trimmed.substr(0, 1) == "%" && trimmed.substr(0, 2) != "%%") {
    // A Databricks cell in another language: its first line names it.
    const std::string_view word = EscapeMagicName(first_line);
    if (word == "sql") {
      // The result of the last SQL cell is the DataFrame _sqldf.
      static constexpr std::string_view kSqlResult = "_sqldf";
      auto at = static_cast<Offset>(trimmed.data() - nb.buffer.data());
      cell.magic_bindings.emplace_back(kSqlResult, Range{at, at + 4});
      ParseMagicLine(trimmed, out);
      return;
    }
    if (word == "md" || word == "sh" || word == "fs" || word == "scala" || word == "r") {
      return;
    }
  }
  if (trimmed.substr(0, 2) == "%%") {
    std::string_view magic = CellMagicName(trimmed);
    if (magic == "writefile" || magic == "file") {
      size_t line_end = trimmed.find('\n');
      bool append = false;
      std::string_view name = WrittenFileName(trimmed.substr(0, line_end), &append);
      if (!name.empty() && line_end != std::string_view::npos) {
        auto body = static_cast<Offset>(trimmed.data() - nb.buffer.data() + line_end + 1);
        out->written = ImportFacts::WrittenFile{std::string(name), body, c.end, append};
      }
    }
    if (magic == "bash" || magic == "sh" || magic == "script" || magic == "ruby" ||
        magic == "perl" || magic == "python" || magic == "python2" || magic == "python3" ||
        magic == "pypy") {
      // Script magics run another program; --out, --err and --proc name variables that
      // receive its output, error stream and process.
      ScriptMagicBindings(nb, trimmed, &cell.magic_bindings);
      if (!cell.magic_bindings.empty()) ParseMagicLine(trimmed, out);
      return;
    }
    // The magic's options: the rest of its line.
    const std::string_view args = first_line.substr(2 + magic.size());
    if (magic == "R" || magic == "octave" || magic == "matlab" || magic == "spark") {
      // rpy2's %%R, oct2py's %%octave, pymatbridge's %%matlab, sparkmagic's %%spark: code in
      // another language, whose -o names are copied into Python afterwards.
      for (std::string_view n : RMagicOutputs(args)) {
        cell.magic_bindings.push_back(MagicBinding(nb, n));
      }
      if (!cell.magic_bindings.empty()) ParseMagicLine(trimmed, out);
      return;
    }
    if (magic == "fortran") {
      FortranBindings(nb, trimmed, &cell.magic_bindings);
      ParseMagicLine(trimmed, out);
      return;
    }
    if (magic == "cython") {
      // Compiled into the user namespace: its def/cpdef functions, classes and module-level
      // assignments become names (cdef ones stay inside the extension).
      CythonBindings(nb, trimmed, &cell.magic_bindings);
      ParseMagicLine(trimmed, out);
      return;
    }
    if (magic == "bigquery") {
      // A query, whose DataFrame `%%bigquery df` stores in a variable.
      if (std::string_view n = BigQueryMagicTarget(args); !n.empty()) {
        cell.magic_bindings.push_back(MagicBinding(nb, n));
        ParseMagicLine(trimmed, out);
      }
      return;
    }
    if (magic == "sql") {
      // SQL, whose result `%%sql result <<` (ipython-sql, jupysql) or `%%sql -o df`
      // (sparkmagic) stores in a variable.
      // (The variable may also start the body: `%%sql` then `result << SELECT ...`.)
      if (std::string_view n = SqlMagicTarget(trimmed.substr(2 + magic.size())); !n.empty()) {
        cell.magic_bindings.push_back(MagicBinding(nb, n));
      }
      for (std::string_view n : RMagicOutputs(args)) {
        cell.magic_bindings.push_back(MagicBinding(nb, n));
      }
      if (!cell.magic_bindings.empty()) ParseMagicLine(trimmed, out);
      return;
    }
    if (!IsPythonCellMagic(magic)) return;  // %%bash, %%html, %%javascript...: not Python
    if (magic == "capture") {
      std::string_view target = CaptureTarget(first_line);
      if (!target.empty()) cell.magic_bindings.push_back(MagicBinding(nb, target));
    }
  }
  ParseOptions parse_options;
  parse_options.ipython = nb.format != NotebookFormat::kScript;
  // One line, blank lines after it aside (as the lexer's automagic lines).
  if (parse_options.ipython) {
    const size_t newline = trimmed.find('\n');
    cell.one_line = newline == std::string_view::npos ||
                    trimmed.find_first_not_of(" \t\r\n", newline) == std::string_view::npos;
  }
  ParseResult parsed = cellflow::Parse(nb.buffer, begin, c.end, &arena_, parse_options);
  if (!parsed.errors.empty()) {
    const SyntaxDiagnostic& e = parsed.errors.front();
    Diagnostic& d = out->syntax.emplace();
    d.rule = RuleId::kSyntaxError;
    d.range = {e.start, std::max(e.start, e.end)};
    d.message = e.message;
    // CPython's sign of a Python 2 statement.
    if (d.message.starts_with("Missing parentheses in call to 'print'") ||
        d.message.starts_with("Missing parentheses in call to 'exec'")) {
      d.help = "this is Python 2 code: port the notebook to Python 3 (2to3 converts it)";
    } else if (std::string_view command =
                   parse_options.ipython ? ShellCommandAt(nb.buffer, c.begin, e.start) : "";
               !command.empty()) {
      d.help = command == "pip" || command == "conda"
                   ? StrCat("'", command, "' is a shell command: write '%", command,
                            "' (it installs into the kernel's environment)")
                   : StrCat("'", command,
                            "' is a shell command: start the line with '!' (or the cell with "
                            "%%bash)");
    } else if (nb.python2_kernel) {
      d.help =
          "the notebook was saved by a Python 2 kernel: port it to Python 3 (2to3 converts it)";
    }
  }
  cell.module = parsed.module;
  out->python = true;
}

void ParsedCells::Scope(ParsedCell* out) {
  trees_.push_back(
      BuildScopes(out->code.module, nb_.buffer, TopLevelAwait(), ModuleSymbols::kWhereDeclared));
  out->code.scopes = trees_.back().get();
  if (!out->syntax && !trees_.back()->errors().empty()) {
    const SyntaxDiagnostic& e = trees_.back()->errors().front();
    Diagnostic& d = out->syntax.emplace();
    d.rule = RuleId::kSyntaxError;
    d.range = {e.start, e.end};
    d.message = e.message;
  }
}

size_t FindBinding(std::string_view text, std::string_view name);

// NB302's fix: the saved run's value came from code the file no longer runs in that order.
constexpr std::string_view kHiddenStateHelp =
    "the value came from a cell since edited, deleted or run again: restart the kernel and run "
    "all cells to check that this cell still works";

// Where cell `c` binds `name`: an assignment or def/class line if the text shows one, else the
// cell's start.
Offset FindBindingIn(const Notebook& nb, const Cell& c, std::string_view name) {
  const size_t at = FindBinding(nb.Source(c), name);
  return c.begin + static_cast<Offset>(at == std::string_view::npos ? 0 : at);
}

// The code cells a run leaves out.
struct UnrunCells {
  std::vector<ImportCell> import_cells;
  std::vector<std::string_view> names;  // what they bind at module level, sorted, unique
  // Each name's first binding among them.
  absl::flat_hash_map<std::string_view, Offset, StringViewHash, StringViewEq> first_binding;
};

UnrunCells CollectUnrunCells(const Notebook& nb, std::span<const Cell* const> order,
                             ParsedCells* parsed, std::vector<Diagnostic>* diagnostics,
                             ImportFacts* facts) {
  UnrunCells unrun;
  absl::flat_hash_set<const Cell*> ran(order.begin(), order.end());
  for (const Cell& c : nb.cells) {
    if (!c.IsCode() || ran.contains(&c)) continue;
    const ParsedCell& p = parsed->Get(c);
    if (p.written) facts->written_files.push_back(*p.written);
    if (!p.python) continue;
    if (p.syntax) diagnostics->push_back(*p.syntax);
    unrun.import_cells.push_back({p.code.module, p.code.cell});
    auto bind = [&](std::string_view name, Offset at) {
      if (unrun.first_binding.try_emplace(name, at).second) unrun.names.push_back(name);
    };
    for (const auto& [name, site] : p.code.magic_bindings) bind(name, site.start);
    // The module's own table (the run's scopes list only where it declares names).
    std::unique_ptr<ScopeTree> tree = BuildScopes(p.code.module, nb.buffer, true);
    for (const Symbol& sym : tree->module()->symbols) {
      if (sym.flags & (kDefBound | kDefGlobal)) bind(sym.name, FindBindingIn(nb, c, sym.name));
    }
  }
  std::sort(unrun.names.begin(), unrun.names.end());
  return unrun;
}

// With --order executed: a name nothing in the run defines, bound in a cell the saved run never
// ran, is undefined because that cell did not run.
void ExplainUndefinedByUnrunCells(const UnrunCells& unrun, const CellLocator& locator,
                                  std::span<Diagnostic> diagnostics) {
  for (Diagnostic& d : diagnostics) {
    if ((d.rule != RuleId::kUndefinedName && d.rule != RuleId::kCallBeforeDefinition) ||
        d.symbol.empty()) {
      continue;
    }
    auto it = unrun.first_binding.find(d.symbol);
    if (it == unrun.first_binding.end()) continue;
    const uint32_t cell = locator.CellOf(it->second);
    d.related.push_back({{it->second, it->second},
                         absl::StrFormat("'%s' is defined in cell %d, which the saved run never "
                                         "ran (it has no execution count)",
                                         d.symbol, cell)});
    d.help = absl::StrFormat("run cell %d before this %s", cell,
                             d.rule == RuleId::kCallBeforeDefinition ? "call" : "one");
  }
}

// With --order executed: a module-level read the replay finds unbound, in a cell saved as run
// without error, had a value when it ran: hidden state (NB302), as file order reports it, not
// an error the saved output contradicts. (A read in a function body proves nothing: the cell
// only defined the function.)
void SavedAsRunCleanly(const Unit& module, const CellLocator& locator,
                       std::span<Diagnostic> diagnostics) {
  absl::flat_hash_set<Offset> module_reads;
  for (Diagnostic& d : diagnostics) {
    if (d.rule != RuleId::kUndefinedName && d.rule != RuleId::kDefinedLater) continue;
    const Cell* cell = locator.CellAt(d.range.start);
    if (cell == nullptr || !cell->Ran() || cell->error_name) continue;
    if (module_reads.empty()) {
      for (const Use& u : module.uses) module_reads.insert(u.site.start);
    }
    if (!module_reads.contains(d.range.start)) continue;
    const int64_t in = *cell->execution_count;
    const Cell* def_cell = d.rule == RuleId::kDefinedLater && !d.related.empty()
                               ? locator.CellAt(d.related.front().range.start)
                               : nullptr;
    d.rule = RuleId::kHiddenState;
    if (def_cell != nullptr && def_cell->execution_count) {
      d.message = StrCat("'", d.symbol, "' had a value when this cell ran (In [", in,
                         "]), but the cell that defines it ran after it (In [",
                         *def_cell->execution_count, "])");
    } else {
      d.message = StrCat("'", d.symbol, "' had a value when this cell ran (In [", in,
                         "]), but no cell run before it defines it");
    }
    d.help = std::string(kHiddenStateHelp);
  }
}

// Lowers the code cells in `request.order` and runs the name rules (or what else `request`
// asks for).
void RunCells(const Notebook& nb, const CellLocator& locator, const RunRequest& request,
              ParsedCells* parsed, std::vector<Diagnostic>* out) {
  // A notebook saved without a run (Colab and Databricks save In [0] for every cell) records
  // no order: its cells run as "Run All" runs them.
  const CellOrder cell_order =
      request.order == CellOrder::kExecuted &&
              std::none_of(nb.cells.begin(), nb.cells.end(), [](const Cell& c) { return c.Ran(); })
          ? CellOrder::kFile
          : request.order;
  const bool report_syntax = request.report_syntax;
  std::vector<Diagnostic>& diagnostics = *out;
  // Cells in execution order: in the recorded one, those that ran. A cell saved as In [0]
  // (Colab's exports save cells that ran so, Jupyter never does) or with outputs but no count
  // ran at a time the file does not say: it comes first, so that what it binds counts for
  // every cell after it, and the name rules say nothing about its own reads (no order to
  // check them against).
  std::vector<const Cell*> order;
  std::vector<Range> unknown_time;
  order.reserve(nb.cells.size());
  for (const Cell& c : nb.cells) {
    if (!c.IsCode()) continue;
    if (cell_order == CellOrder::kExecuted && !c.Ran()) {
      if (!c.has_outputs && !c.execution_count) continue;
      unknown_time.push_back({c.begin, c.end});
    }
    order.push_back(&c);
  }
  if (cell_order == CellOrder::kExecuted) {
    std::stable_sort(order.begin(), order.end(), [&](const Cell* a, const Cell* b) {
      return (a->Ran() ? *a->execution_count : 0) < (b->Ran() ? *b->execution_count : 0);
    });
  }

  std::vector<CodeCell> code;
  code.reserve(order.size());
  ImportFacts facts;
  const bool notebook = nb.format != NotebookFormat::kScript;
  std::vector<Range> broken;  // cells that do not parse (a script is one cell: not counted)
  for (const Cell* c : order) {
    const ParsedCell& p = parsed->Get(*c);
    if (p.written) facts.written_files.push_back(*p.written);
    if (!p.python) continue;
    if (report_syntax && p.syntax) diagnostics.push_back(*p.syntax);
    if (notebook && p.syntax) broken.push_back({c->begin, c->end});
    code.push_back(p.code);
  }
  std::sort(broken.begin(), broken.end(),
            [](const Range& a, const Range& b) { return a.start < b.start; });
  // The cells this run leaves out (with --order executed, those the saved run never ran) are
  // still the notebook's: their syntax errors are findings, what they install or write is
  // declared, and the names they bind are defined in the notebook, though not in this order.
  UnrunCells unrun;
  if (report_syntax && cell_order == CellOrder::kExecuted) {
    unrun = CollectUnrunCells(nb, order, parsed, &diagnostics, &facts);
  }

  std::vector<ImportCell> import_cells;
  import_cells.reserve(code.size());
  for (const CodeCell& c : code) import_cells.push_back({c.module, c.cell});
  RunRequest::Environment own;
  RunRequest::Environment& environment =
      request.environment != nullptr ? *request.environment : own;
  if (request.imports != nullptr && environment.env == nullptr) {
    if (unrun.import_cells.empty()) {
      CollectImportFacts(import_cells, nb.buffer, &facts);
    } else {
      std::vector<ImportCell> all = import_cells;
      all.insert(all.end(), unrun.import_cells.begin(), unrun.import_cells.end());
      CollectImportFacts(all, nb.buffer, &facts);
    }
    environment.env = request.imports->ForNotebook(nb.path, !notebook, facts, nb.buffer);
    environment.bindings =
        std::make_unique<EnvironmentBindings>(*environment.env, request.python_minor);
  }
  const ModuleEnvironment* env = environment.env.get();

  LowerOptions lower_options;
  lower_options.buffer = nb.buffer;
  lower_options.arena = parsed->arena();
  lower_options.bindings = environment.bindings.get();
  lower_options.python_minor = request.python_minor;
  std::unique_ptr<Program> program = Lower(code, lower_options);
  std::ostream* ir_out = request.ir_out;
  if (ir_out != nullptr) {
    auto where = [&](Offset at) {
      Position p = locator.Place(at);
      return p.cell == 0 ? absl::StrFormat("%d:%d", p.line, p.column)
                         : absl::StrFormat("cell %d:%d:%d", p.cell, p.line, p.column);
    };
    DumpUnit(&program->module, where, *ir_out);
    for (auto& unit : program->functions) DumpUnit(unit.get(), where, *ir_out);
    return;
  }
  if (request.graph != nullptr) {
    *request.graph = BuildGraph(program.get(), locator);
    return;
  }
  NameRulesOptions rules_options;
  rules_options.python_minor = request.python_minor;
  rules_options.notebook = notebook;
  rules_options.databricks = nb.databricks;
  rules_options.spark = nb.spark_kernel;
  rules_options.modules = environment.bindings.get();
  rules_options.broken_cells = broken;
  rules_options.explain = request.explain;
  rules_options.function_bodies = request.function_bodies;
  rules_options.bound_elsewhere = unrun.names;
  const size_t first_name_finding = diagnostics.size();
  CheckNames(program.get(), locator, rules_options, &diagnostics);
  if (!unrun.names.empty() && request.explain) {
    ExplainUndefinedByUnrunCells(unrun, locator,
                                 std::span<Diagnostic>(diagnostics).subspan(first_name_finding));
  }
  if (cell_order == CellOrder::kExecuted && report_syntax) {
    SavedAsRunCleanly(program->module, locator,
                      std::span<Diagnostic>(diagnostics).subspan(first_name_finding));
  }
  if (!unknown_time.empty()) {
    auto in_unknown_time = [&](const Diagnostic& d) {
      return std::any_of(unknown_time.begin(), unknown_time.end(), [&](const Range& r) {
        return d.range.start >= r.start && d.range.start <= r.end;
      });
    };
    diagnostics.erase(
        std::remove_if(diagnostics.begin() + static_cast<std::ptrdiff_t>(first_name_finding),
                       diagnostics.end(), in_unknown_time),
        diagnostics.end());
  }
  if (env != nullptr && report_syntax) {
    ImportRulesOptions import_options;
    import_options.notebook = notebook;
    import_options.import_hooks = facts.import_hooks;
    import_options.fetches_files = facts.fetches_files;
    import_options.dynamic_search_path = facts.dynamic_search_path;
    import_options.python_minor = request.python_minor;
    import_options.file_order = cell_order == CellOrder::kFile;
    import_options.databricks = nb.databricks;
    import_options.locator = &locator;
    CheckImports(import_cells, nb.buffer, program->module, *env, import_options, &diagnostics,
                 request.import_counts);
  }
  if (request.suggested_order != nullptr) {
    *request.suggested_order = SuggestOrder(nb, *program, locator);
  }
}

// True if replaying the saved execution counts runs other cells, or in another order, than
// the file: only then can the recorded run have depended on state the file does not create.
bool RecordedOrderDiffers(const Notebook& nb) {
  int64_t last = 0;
  bool executed = false, unexecuted = false, reordered = false;
  for (const Cell& c : nb.cells) {
    if (!c.IsCode()) continue;
    if (!c.Ran()) {
      unexecuted |= !nb.Source(c).empty();
      continue;
    }
    reordered |= *c.execution_count <= last;
    last = *c.execution_count;
    executed = true;
  }
  return reordered || (executed && unexecuted);
}

// NB301: a code cell whose saved execution count is lower than one above it.
void CheckExecutionCounts(const Notebook& nb, std::vector<Diagnostic>* out) {
  int64_t highest = 0;
  uint32_t highest_cell = 0;
  Diagnostic* first = nullptr;
  size_t first_index = 0;
  int more = 0;
  for (const Cell& c : nb.cells) {
    if (!c.IsCode() || !c.Ran()) continue;
    if (*c.execution_count < highest && first != nullptr) {
      ++more;  // one finding per notebook; the others are counted
    } else if (*c.execution_count < highest) {
      Diagnostic d;
      d.rule = RuleId::kOutOfOrderExecution;
      // At the cell's first line with code (not a blank line it starts with).
      const size_t code = nb.Source(c).find_first_not_of(" \t\r\n\f");
      const Offset at = c.begin + static_cast<Offset>(code == std::string_view::npos ? 0 : code);
      d.range = {at, at};
      d.message = absl::StrFormat("cell ran as In [%d], before cell %d above it (In [%d])",
                                  *c.execution_count, highest_cell, highest);
      d.help =
          "restart the kernel and run all cells, then save, so that outputs match the file's "
          "order";
      out->push_back(std::move(d));
      first_index = out->size() - 1;
      first = &out->back();
    } else {
      highest = *c.execution_count;
      highest_cell = c.index;
    }
  }
  if (more > 0) {
    (*out)[first_index].notes.push_back(
        absl::StrFormat("%d more cell%s below ran out of order too", more, more == 1 ? "" : "s"));
  }
}

// Where `text` assigns or defines `name` ("name = ", "def name", "class name"), or npos.
size_t FindBinding(std::string_view text, std::string_view name) {
  for (size_t at = text.find(name); at != std::string_view::npos; at = text.find(name, at + 1)) {
    const size_t end = at + name.size();
    if ((at > 0 && IsIdentifierByte(text[at - 1])) ||
        (end < text.size() && IsIdentifierByte(text[end]))) {
      continue;
    }
    size_t p = end;
    while (p < text.size() && (text[p] == ' ' || text[p] == '\t')) ++p;
    if (p < text.size() && text[p] == '=' && (p + 1 == text.size() || text[p + 1] != '=')) {
      return at;
    }
    // The character before the name is no identifier's: "def" or "class", then blanks.
    const size_t last = at == 0 ? std::string_view::npos : text.find_last_not_of(" \t", at - 1);
    std::string_view before = text.substr(0, last == std::string_view::npos ? 0 : last + 1);
    for (std::string_view keyword : {"def", "class"}) {
      const size_t kw = before.size() - keyword.size();
      if (before.ends_with(keyword) && (kw == 0 || !IsIdentifierByte(before[kw - 1]))) return at;
    }
  }
  return std::string_view::npos;
}

// A name that nothing defines may be assigned in a cell that does not parse (an exercise's
// blank: "best_alpha = # YOUR CODE HERE"): the finding says so, and the fix is that cell.
void ExplainUndefinedByBrokenCells(const Notebook& nb, std::span<const uint32_t> broken,
                                   std::vector<Diagnostic>* diagnostics) {
  // Bounded: a machine-made notebook with many undefined names and broken cells stays linear.
  size_t budget = size_t{8} << 20;
  for (Diagnostic& d : *diagnostics) {
    if (d.rule != RuleId::kUndefinedName || d.symbol.empty()) continue;
    for (uint32_t index : broken) {
      if (index == 0 || index > nb.cells.size()) continue;
      const Cell& cell = nb.cells[index - 1];
      std::string_view text = nb.Source(cell);
      if (text.size() > budget) return;
      budget -= text.size();
      size_t at = FindBinding(text, d.symbol);
      if (at == std::string_view::npos) continue;
      const auto start = static_cast<Offset>(cell.begin + at);
      d.related.push_back(
          {Range{start, start + static_cast<Offset>(d.symbol.size())},
           StrCat("'", d.symbol, "' is assigned in cell ", index, ", which does not parse")});
      // The cause, rather than a name it may have been misspelled from.
      d.help = StrCat("fix the syntax error in cell ", index);
      break;
    }
  }
}

// The names a module's own code binds (imports, assignments to names, defs, classes) and where,
// in source order.
void ModuleBindings(StmtList body,
                    std::vector<std::tuple<std::string_view, Range, std::string_view>>* out) {
  auto targets = [out](const Expr* e) {
    ForEachTargetName(e, [out](const Name* n) { out->emplace_back(n->id, n->range, "assigned"); });
  };
  for (const Stmt* s : body) {
    if (s->kind == StmtKind::kImport || s->kind == StmtKind::kImportFrom) {
      for (const Alias* a : ImportedNames(s)) {
        if (a->name != "*") out->emplace_back(BoundName(*a), a->range, "imported");
      }
    } else if (const auto* f = s->As<FunctionDefStmt>()) {
      out->emplace_back(f->name, f->name_range, "defined");
    } else if (const auto* c = s->As<ClassDefStmt>()) {
      out->emplace_back(c->name, c->name_range, "defined");
    } else if (const auto* a = s->As<AssignStmt>()) {
      for (const Expr* t : a->targets) targets(t);
    } else if (const auto* an = s->As<AnnAssignStmt>()) {
      targets(an->target);
    }
    ForEachBody(s, /*definitions=*/false, [out](StmtList inner) { ModuleBindings(inner, out); });
  }
}

// The statement of `body` whose range holds `at`, or null.
const Stmt* StatementAt(StmtList body, Offset at) {
  auto it = std::upper_bound(body.begin(), body.end(), at,
                             [](Offset o, const Stmt* s) { return o < s->range.start; });
  if (it == body.begin()) return nullptr;
  const Stmt* s = *(it - 1);
  return at < s->range.end ? s : nullptr;
}

// A method's receiver: its first parameter ("self", "cls"), or empty (ReceiverParam).
std::string_view Receiver(const FunctionDefStmt* f) {
  const Arg* a = ReceiverParam(f);
  return a != nullptr ? a->name : std::string_view();
}

// Why a name that nothing defines is undefined where a class is around the read:
// - kClassName: the class body binds it, but a method (or a lambda, comprehension or class
//   nested in the body) does not see the class's own names, which are no enclosing scope
//   (`helper()` for `self.helper()`, `LIMIT` for `self.LIMIT`);
// - kInstanceAttribute: a method of the class assigns it as an attribute of its instance
//   (`self.rate = rate` in __init__, then `rate` in another method);
// - kMissingSelf: `self` read in a method that has no parameter of that name;
// - kClassLater: the class body's own code reads it before the body binds it (the read then
//   looks in the module, which does not define it).
struct ClassScopeMiss {
  enum Kind { kClassName, kInstanceAttribute, kMissingSelf, kClassLater };
  Kind kind = kClassName;
  const ClassDefStmt* cls = nullptr;
  const FunctionDefStmt* method = nullptr;  // the def of the class body that holds the read
  Range binding;                            // the class-level binding or the attribute's
  std::string_view receiver;                // the method's receiver (Receiver)
};

// What a class binds, worked out once per class (a notebook with thousands of such reads in
// one class stays linear): the first binding of each name in its body, and the first
// assignment of each attribute of `self` in its methods.
struct ClassNames {
  absl::flat_hash_map<std::string_view, Range> body;
  absl::flat_hash_map<std::string_view, Range> instance;
};
using ClassNamesCache = absl::flat_hash_map<const ClassDefStmt*, ClassNames>;

// The attributes of `receiver` that `target` assigns (`self.x`, `self.a, self.b`), into `out`.
void ReceiverAttributes(const Expr* target, std::string_view receiver,
                        absl::flat_hash_map<std::string_view, Range>* out) {
  ForEachTargetLeaf(target, [&](const Expr* e) {
    const auto* a = e->As<Attribute>();
    const auto* n = a != nullptr ? a->value->As<Name>() : nullptr;
    if (n != nullptr && n->id == receiver) out->try_emplace(a->attr, a->range);
  });
}

void InstanceAssignments(StmtList body, std::string_view receiver,
                         absl::flat_hash_map<std::string_view, Range>* out) {
  for (const Stmt* s : body) {
    if (const auto* a = s->As<AssignStmt>()) {
      for (const Expr* t : a->targets) ReceiverAttributes(t, receiver, out);
    } else if (const auto* an = s->As<AnnAssignStmt>()) {
      ReceiverAttributes(an->target, receiver, out);
    } else if (const auto* au = s->As<AugAssignStmt>()) {
      ReceiverAttributes(au->target, receiver, out);
    }
    ForEachBody(s, /*definitions=*/false,
                [&](StmtList inner) { InstanceAssignments(inner, receiver, out); });
  }
}

const ClassNames& NamesOf(const ClassDefStmt* c, ClassNamesCache* cache) {
  auto [entry, added] = cache->try_emplace(c);
  ClassNames& names = entry->second;
  if (!added) return names;
  std::vector<std::tuple<std::string_view, Range, std::string_view>> bound;
  ModuleBindings(c->body, &bound);
  for (const auto& [n, range, how] : bound) names.body.try_emplace(n, range);
  for (const Stmt* s : c->body) {
    const auto* f = s->As<FunctionDefStmt>();
    if (f == nullptr) continue;
    std::string_view receiver = Receiver(f);
    if (!receiver.empty()) InstanceAssignments(f->body, receiver, &names.instance);
  }
  return names;
}

std::optional<ClassScopeMiss> FindClassScopeMiss(const CodeCell& code, Offset at,
                                                 std::string_view name, ClassNamesCache* cache) {
  StmtList body = code.module->body;
  struct Enclosing {
    const ClassDefStmt* cls;
    bool nested = false;  // the read is in a def or class inside the body, not the body's own code
    const FunctionDefStmt* method = nullptr;  // the def of the body that holds the read
  };
  std::vector<Enclosing> classes;  // outermost first
  // Down the statements that hold the read. A def's or class's header (decorators, defaults,
  // bases) runs in the enclosing scope; only its body is a scope of its own.
  for (const Stmt* s = StatementAt(body, at); s != nullptr;) {
    StmtList inner;
    if (const auto* c = s->As<ClassDefStmt>()) {
      if (c->body.empty() || at < c->body.front()->range.start) break;
      for (Enclosing& e : classes) e.nested = true;
      classes.push_back({c});
      inner = c->body;
    } else if (const auto* f = s->As<FunctionDefStmt>()) {
      if (f->body.empty() || at < f->body.front()->range.start) break;
      if (!classes.empty() && !classes.back().nested) classes.back().method = f;
      for (Enclosing& e : classes) e.nested = true;
      inner = f->body;
    } else {
      ForEachBody(s, /*definitions=*/false, [&](StmtList b) {
        if (inner.empty() && StatementAt(b, at) != nullptr) inner = b;
      });
    }
    s = inner.empty() ? nullptr : StatementAt(inner, at);
  }
  if (classes.empty()) return std::nullopt;
  // A read in a class body's own statements may still be in a lambda or comprehension there,
  // a scope of its own.
  for (Enclosing& e : classes) {
    const Scope* scope = e.nested ? nullptr : code.scopes->ScopeOf(e.cls);
    if (scope == nullptr) continue;
    for (const Scope* child : scope->children) {
      if (child->kind != ScopeKind::kLambda && child->kind != ScopeKind::kComprehension) continue;
      const Range r = static_cast<const Expr*>(child->node)->range;
      if (r.start <= at && at < r.end) e.nested = true;
    }
  }
  for (auto e = classes.rbegin(); e != classes.rend(); ++e) {
    const ClassNames& names = NamesOf(e->cls, cache);
    auto it = names.body.find(name);
    if (it == names.body.end()) continue;
    // In the body's own code, a read after the binding sees it: one left undefined there is in
    // a lambda or comprehension. A read before it reads the module's name (kClassLater) if it
    // is in the innermost class's own code.
    const bool same_statement =
        StatementAt(e->cls->body, at) == StatementAt(e->cls->body, it->second.start);
    if (!e->nested && (it->second.start >= at || same_statement)) {
      if (e != classes.rbegin() || it->second.start == at) continue;
      ClassScopeMiss later;
      later.kind = ClassScopeMiss::kClassLater;
      later.cls = e->cls;
      later.binding = it->second;
      return later;
    }
    ClassScopeMiss miss;
    miss.cls = e->cls;
    miss.method = e->method;
    miss.binding = it->second;
    if (e->method != nullptr) miss.receiver = Receiver(e->method);
    return miss;
  }
  // In a method of the innermost class: its instance's attributes, or its missing `self`.
  const Enclosing& e = classes.back();
  if (e.method == nullptr) return std::nullopt;
  ClassScopeMiss miss;
  miss.cls = e.cls;
  miss.method = e.method;
  miss.receiver = Receiver(e.method);
  if (name == "self") {
    if (miss.receiver == "self") return std::nullopt;
    miss.kind = ClassScopeMiss::kMissingSelf;
    return miss;
  }
  const ClassNames& names = NamesOf(e.cls, cache);
  auto it = names.instance.find(name);
  if (it == names.instance.end() || miss.receiver.empty()) return std::nullopt;
  miss.kind = ClassScopeMiss::kInstanceAttribute;
  miss.binding = it->second;
  return miss;
}

// Where `at` is, as a note on a finding at `from` says it: "line 4" in the same cell (or a
// script), else "cell 2, line 4".
std::string PlaceText(const CellLocator& locator, Offset at, Offset from) {
  const uint32_t cell = locator.CellOf(at);
  return cell == 0 || cell == locator.CellOf(from)
             ? StrCat("line ", locator.LineOf(at))
             : StrCat("cell ", cell, ", line ", locator.LineOf(at));
}

// Where a name is first bound at module level (ModuleBindings), and how, in file order.
struct FirstBinding {
  const Cell* cell;
  Range range;
  std::string_view how;  // "assigned", "imported", "defined"
};

// The first binding of each name among the code cells that parse and that `take(cell)` accepts.
template <typename Take>
absl::flat_hash_map<std::string_view, FirstBinding> FirstBindings(const Notebook& nb,
                                                                  ParsedCells* parsed, Take take) {
  absl::flat_hash_map<std::string_view, FirstBinding> first;
  std::vector<std::tuple<std::string_view, Range, std::string_view>> bound;
  for (const Cell& c : nb.cells) {
    if (!c.IsCode() || !take(c)) continue;
    const ParsedCell& p = parsed->Get(c);
    if (!p.python || p.code.module == nullptr) continue;
    bound.clear();
    ModuleBindings(p.code.module->body, &bound);
    for (const auto& [name, range, how] : bound)
      first.try_emplace(name, FirstBinding{&c, range, how});
  }
  return first;
}

// NB101 for a name that module-level code binds only where it never runs (after a `raise` that
// always stops the cell, in an `if False:` branch): says where. An exercise's stub cell (`raise
// NotImplementedError()` above `answer = None`) is the common case.
void ExplainUnreachableBindings(const Notebook& nb, const CellLocator& locator, ParsedCells* parsed,
                                std::vector<Diagnostic>* diagnostics) {
  std::optional<absl::flat_hash_map<std::string_view, FirstBinding>> first;
  for (Diagnostic& d : *diagnostics) {
    if (d.rule != RuleId::kUndefinedName || d.symbol.empty() || !d.related.empty()) continue;
    if (!first) {
      first = FirstBindings(nb, parsed, [&](const Cell& c) { return !parsed->Get(c).syntax; });
    }
    auto it = first->find(d.symbol);
    if (it == first->end()) continue;
    const FirstBinding& b = it->second;
    d.related.push_back({b.range, StrCat("'", d.symbol, "' is ", b.how, " at ",
                                         PlaceText(locator, b.range.start, d.range.start),
                                         ", where the code never runs")});
  }
}

// NB101 where a class is around the read, for one of the reasons of ClassScopeMiss: says which.
void ExplainClassScopeReads(const CellLocator& locator, ParsedCells* parsed,
                            std::vector<Diagnostic>* diagnostics) {
  ClassNamesCache cache;
  for (Diagnostic& d : *diagnostics) {
    // NB101, and NB102 for a method's local read before it is assigned (`total += x` for
    // `self.total += x`).
    const bool local = d.rule == RuleId::kDefinedLater && d.message.starts_with("local variable");
    if ((d.rule != RuleId::kUndefinedName && !local) || d.symbol.empty() || d.message.empty()) {
      continue;
    }
    const Cell* cell = locator.CellAt(d.range.start);
    if (cell == nullptr || !cell->IsCode()) continue;
    const ParsedCell& p = parsed->Get(*cell);
    if (!p.python || p.code.module == nullptr || p.code.scopes == nullptr) continue;
    std::optional<ClassScopeMiss> miss =
        FindClassScopeMiss(p.code, d.range.start, d.symbol, &cache);
    if (!miss || (local && miss->kind == ClassScopeMiss::kMissingSelf)) continue;
    const std::string_view cls = miss->cls->name;
    const std::string_view name = d.symbol;
    if (miss->kind == ClassScopeMiss::kMissingSelf) {
      const std::string_view method = miss->method->name;
      if (IsStaticMethod(miss->method)) {
        d.help = StrCat("'", method,
                        "' is a static method, which gets no 'self': drop @staticmethod and add "
                        "'self' as its first parameter");
      } else if (!miss->receiver.empty()) {
        d.help = StrCat("the first parameter of '", method, "' is '", miss->receiver, "': write '",
                        miss->receiver, "', or rename the parameter");
      } else {
        d.help = StrCat("add 'self' as the first parameter of '", method, "': def ", method,
                        "(self, ...)");
      }
      continue;
    }
    const std::string where = PlaceText(locator, miss->binding.start, d.range.start);
    if (miss->kind == ClassScopeMiss::kClassLater) {
      d.related.push_back({miss->binding, StrCat("'", name, "' is assigned in the body of class '",
                                                 cls, "' (", where, "), after this read")});
      d.help = StrCat("assign '", name, "' before this read, in the class body or the module");
    } else if (miss->kind == ClassScopeMiss::kInstanceAttribute) {
      d.related.push_back({miss->binding, StrCat("'", name, "' is an attribute of '", cls,
                                                 "' instances, assigned at ", where)});
      d.help = StrCat("write '", miss->receiver, ".", name, "'");
    } else if (miss->method != nullptr) {
      d.related.push_back(
          {miss->binding, StrCat("'", name, "' is defined in the body of class '", cls, "' (",
                                 where, "), whose names a method does not see")});
      d.help = miss->receiver.empty()
                   ? StrCat("write '", cls, ".", name, "'")
                   : StrCat("write '", miss->receiver, ".", name, "' (or '", cls, ".", name, "')");
    } else {
      d.related.push_back(
          {miss->binding,
           StrCat("'", name, "' is defined in the body of class '", cls, "' (", where,
                  "), whose names a lambda, comprehension or nested class there does not see")});
      d.help = StrCat("move '", name, "' to module level, or reach it as '", cls, ".", name,
                      "' once the class exists");
    }
  }
}

// True if a return statement of `body` (outside nested defs) returns `name`, alone or in a
// tuple.
bool ReturnsName(StmtList body, std::string_view name) {
  for (const Stmt* s : body) {
    if (const auto* r = s->As<ReturnStmt>(); r != nullptr && r->value != nullptr) {
      bool found = false;
      ForEachTargetName(r->value, [&](const Name* n) { found = found || n->id == name; });
      if (found) return true;
    }
    bool inner = false;
    ForEachBody(s, /*definitions=*/false,
                [&](StmtList b) { inner = inner || ReturnsName(b, name); });
    if (inner) return true;
  }
  return false;
}

// NB101 for a name that only a function (or lambda) assigns, as its local variable, or that is
// a comprehension's variable: code outside cannot see it, and the finding says where it lives
// (a body copied out of its function, a result never returned, Python 2's leaking
// comprehension variable).
void ExplainFunctionLocals(const Notebook& nb, const CellLocator& locator, ParsedCells* parsed,
                           std::vector<Diagnostic>* diagnostics) {
  // The first function, lambda or comprehension scope in file order where each name is a
  // local; filled on the first finding that needs it.
  std::optional<absl::flat_hash_map<std::string_view, const Scope*>> homes;
  for (Diagnostic& d : *diagnostics) {
    if (d.rule != RuleId::kUndefinedName || d.symbol.empty() || d.message.empty() ||
        !d.related.empty()) {
      continue;
    }
    if (!homes) {
      homes.emplace();
      std::vector<const Scope*> stack;
      for (const Cell& c : nb.cells) {
        if (!c.IsCode()) continue;
        const ParsedCell& p = parsed->Get(c);
        if (!p.python || p.code.scopes == nullptr) continue;
        const std::vector<Scope*>& top = p.code.scopes->module()->children;
        stack.assign(top.rbegin(), top.rend());
        while (!stack.empty()) {
          const Scope* scope = stack.back();
          stack.pop_back();
          stack.insert(stack.end(), scope->children.rbegin(), scope->children.rend());
          if (scope->kind == ScopeKind::kClass) continue;
          for (const Symbol& sym : scope->symbols) {
            const bool local =
                (sym.flags & kDefLocal) && !(sym.flags & (kDefParam | kDefGlobal | kDefNonlocal)) &&
                (sym.resolution == Resolution::kLocal || sym.resolution == Resolution::kCell);
            if (local) homes->try_emplace(sym.name, scope);
          }
        }
      }
    }
    auto it = homes->find(d.symbol);
    if (it == homes->end()) continue;
    const Scope* scope = it->second;
    // A function further down is seldom where the read was copied from; a method of the class
    // that holds the read may be anywhere in it.
    const Scope* parent = scope->parent;
    const bool same_class = parent != nullptr && parent->kind == ScopeKind::kClass &&
                            static_cast<const Stmt*>(parent->node)->range.start <= d.range.start &&
                            d.range.start < static_cast<const Stmt*>(parent->node)->range.end;
    if (scope->start > d.range.start && !same_class) continue;
    const std::string_view name = d.symbol;
    if (scope->kind == ScopeKind::kComprehension) {
      const auto* e = static_cast<const Expr*>(scope->node);
      d.related.push_back({e->range, StrCat("'", name, "' is a variable of the comprehension at ",
                                            PlaceText(locator, e->range.start, d.range.start),
                                            ", which does not exist outside it (in Python 3)")});
      d.help = "use a for loop to keep the last value, or assign the value you need to a name";
      continue;
    }
    if (scope->kind == ScopeKind::kLambda) {
      const auto* e = static_cast<const Expr*>(scope->node);
      d.related.push_back({e->range, StrCat("'", name, "' is a local variable of the lambda at ",
                                            PlaceText(locator, e->range.start, d.range.start),
                                            ", which does not exist outside it")});
      continue;
    }
    const auto* f = static_cast<const FunctionDefStmt*>(scope->node);
    Range site = f->name_range;
    std::vector<std::tuple<std::string_view, Range, std::string_view>> bound;
    ModuleBindings(f->body, &bound);
    for (const auto& [n, range, how] : bound) {
      if (n == name) {
        site = range;
        break;
      }
    }
    const std::string_view fn = f->name;
    d.related.push_back({site, StrCat("'", name, "' is a local variable of '", fn, "' (",
                                      PlaceText(locator, site.start, d.range.start),
                                      "), which does not exist outside the function")});
    if (parent != nullptr && parent->kind == ScopeKind::kClass) {
      // A method's local: kept on the instance, it is there for the other methods.
      d.help = StrCat("keep it on the instance in '", fn, "' (self.", name,
                      " = ...) and read it as 'self.", name, "'");
    } else if (ReturnsName(f->body, name)) {
      d.help =
          StrCat("'", fn, "' returns it: assign the call's result (", name, " = ", fn, "(...))");
    } else {
      d.help = StrCat("return '", name, "' from '", fn, "' and assign it where you call it (", name,
                      " = ", fn, "(...)), or declare 'global ", name, "' in '", fn, "'");
    }
  }
}

// A name that nothing defines may be bound in a Markdown cell whose text is Python code (a
// cell whose type was switched by mistake, often the imports): the finding says so, and the fix
// is that cell's type.
void ExplainUndefinedByMarkdownCells(const Notebook& nb, std::vector<Diagnostic>* diagnostics) {
  if (nb.format != NotebookFormat::kIpynb) return;
  std::vector<std::string_view> undefined;
  for (const Diagnostic& d : *diagnostics) {
    if (d.rule == RuleId::kUndefinedName && !d.symbol.empty()) undefined.push_back(d.symbol);
  }
  if (undefined.empty()) return;
  // Only Markdown that reads like code is parsed (most is prose, which would be tokenized in
  // full): a line that starts with an import, or a binding of an undefined name (FindBinding).
  auto looks_like_code = [&undefined](std::string_view text) {
    for (size_t at = 0; at < text.size();) {
      size_t end = std::min(text.find('\n', at), text.size());
      std::string_view line = text.substr(at, end - at);
      at = end + 1;
      if (line.starts_with("import ") ||
          (line.starts_with("from ") && line.find(" import ") != std::string_view::npos)) {
        return true;
      }
    }
    return std::any_of(undefined.begin(), undefined.end(), [text](std::string_view name) {
      return FindBinding(text, name) != std::string_view::npos;
    });
  };
  struct Bound {
    Range site;
    std::string_view how;
    uint32_t cell;
  };
  absl::flat_hash_map<std::string_view, Bound> bound;  // the first binding of each name
  Arena arena;
  size_t budget = size_t{4} << 20;  // bytes of Markdown looked at, at most
  for (const Cell& c : nb.cells) {
    if (c.type != "markdown") continue;
    std::string_view text = nb.Source(c);
    if (text.size() > budget) break;
    budget -= text.size();
    if (!looks_like_code(text)) continue;
    ParseOptions options;
    options.ipython = true;
    ParseResult parsed = cellflow::Parse(nb.buffer, c.begin, c.end, &arena, options);
    if (!parsed.errors.empty()) continue;  // prose, or code with prose around it
    std::vector<std::tuple<std::string_view, Range, std::string_view>> names;
    ModuleBindings(parsed.module->body, &names);
    for (const auto& [name, site, how] : names) bound.try_emplace(name, Bound{site, how, c.index});
  }
  if (bound.empty()) return;
  for (Diagnostic& d : *diagnostics) {
    if (d.rule != RuleId::kUndefinedName) continue;
    auto it = bound.find(d.symbol);
    if (it == bound.end()) continue;
    const Bound& b = it->second;
    d.related.push_back({b.site, StrCat("'", d.symbol, "' is ", b.how, " in cell ", b.cell,
                                        ", which is a Markdown cell")});
    d.help = StrCat("make cell ", b.cell, " a code cell: its text is Python");
  }
}

// `sc`, `spark` and `sqlContext`: the pyspark shell (with Jupyter as its driver), Spark kernels
// and Databricks create them before the first cell runs.
struct SparkName {
  std::string_view name;
  std::string_view what;
  std::string_view make;
  std::initializer_list<std::string_view> api;  // attributes that show the name is Spark's
};
const SparkName kSparkNames[] = {
    {"sc",
     "the SparkContext",
     "'from pyspark import SparkContext' and 'sc = SparkContext.getOrCreate()'",
     {"textFile",
      "parallelize",
      "wholeTextFiles",
      "binaryFiles",
      "broadcast",
      "accumulator",
      "setLogLevel",
      "getConf",
      "version",
      "addFile",
      "addPyFile",
      "emptyRDD",
      "pickleFile",
      "sequenceFile",
      "hadoopFile",
      "newAPIHadoopFile",
      "applicationId",
      "uiWebUrl",
      "defaultParallelism",
      "setCheckpointDir",
      "sparkUser",
      "stop",
      "_jsc"}},
    {"spark",
     "the SparkSession",
     "'from pyspark.sql import SparkSession' and 'spark = SparkSession.builder.getOrCreate()'",
     {"read", "readStream", "sql", "createDataFrame", "table", "sparkContext", "catalog", "conf",
      "udf", "range", "streams", "newSession", "stop", "version"}},
    {"sqlContext",
     "the SQLContext",
     "'from pyspark.sql import SQLContext' and 'sqlContext = SQLContext(sc)'",
     {"read", "readStream", "sql", "createDataFrame", "table", "tables", "tableNames",
      "registerDataFrameAsTable", "registerFunction", "udf", "cacheTable", "uncacheTable",
      "clearCache"}},
};

// Which of kSparkNames an NB101 reads in a Spark notebook (one that mentions pyspark or
// findspark in its code, or a read that is a Spark call such as `sc.textFile`), or null: there
// the notebook ran where it was written, and the finding's cause is the kernel.
class SparkReads {
 public:
  explicit SparkReads(const Notebook& nb) : nb_(nb) {}

  const SparkName* Of(const Diagnostic& d) {
    if (d.rule != RuleId::kUndefinedName) return nullptr;
    const SparkName* spark = nullptr;
    for (const SparkName& n : kSparkNames) {
      if (d.symbol == n.name) spark = &n;
    }
    if (spark == nullptr) return nullptr;
    std::string_view after =
        std::string_view(nb_.buffer).substr(std::min<size_t>(d.range.end, nb_.buffer.size()));
    if (after.starts_with(".")) {
      size_t end = 1;
      while (end < after.size() && IsIdentifierByte(after[end])) ++end;
      const std::string_view attribute = after.substr(1, end - 1);
      if (std::find(spark->api.begin(), spark->api.end(), attribute) != spark->api.end()) {
        return spark;
      }
    }
    if (!imports_spark_) {
      imports_spark_ = std::any_of(nb_.cells.begin(), nb_.cells.end(), [this](const Cell& c) {
        std::string_view code = c.IsCode() ? nb_.Source(c) : std::string_view();
        return code.find("pyspark") != std::string_view::npos ||
               code.find("findspark") != std::string_view::npos;
      });
    }
    return *imports_spark_ ? spark : nullptr;
  }

 private:
  const Notebook& nb_;
  std::optional<bool> imports_spark_;  // a code cell mentions pyspark or findspark
};

// The finding stands for a Spark name (a Python kernel has none); the note says why and the
// help how to make one. (MergeHiddenState leaves such a finding without its hidden-state note.)
void ExplainSparkNames(const Notebook& nb, std::vector<Diagnostic>* diagnostics) {
  SparkReads spark_reads(nb);
  for (Diagnostic& d : *diagnostics) {
    const SparkName* spark = spark_reads.Of(d);
    if (spark == nullptr) continue;
    d.notes.push_back(StrCat("'", d.symbol, "' is ", spark->what,
                             " that the pyspark shell, Spark kernels and Databricks create "
                             "before the first cell runs; a Python kernel has none"));
    d.help = StrCat("create it first: ", spark->make);
  }
}

// The replay's undefined reads in cells saved as run without error, as hidden state (NB302):
// a note on the file order's finding at the same place, else a finding of their own.
void MergeHiddenState(const Notebook& nb, const CellLocator& locator, ParsedCells* parsed,
                      std::span<const Diagnostic> replay, std::vector<Diagnostic>* diagnostics) {
  SparkReads spark_reads(nb);
  // What cells saved without a count bind (made for the first read that asks).
  std::optional<absl::flat_hash_map<std::string_view, FirstBinding>> countless;
  // The names the file order already reports as undefined, by place: there the hidden
  // state is a note on that finding, not a second finding at the same place.
  absl::flat_hash_map<Offset, size_t> undefined_at;
  for (size_t k = 0; k < diagnostics->size() && !replay.empty(); ++k) {
    const Diagnostic& d = (*diagnostics)[k];
    if (d.rule == RuleId::kUndefinedName || d.rule == RuleId::kDefinedLater) {
      undefined_at.try_emplace(d.range.start, k);
    }
  }
  for (const Diagnostic& d : replay) {
    if (d.rule != RuleId::kUndefinedName && d.rule != RuleId::kDefinedLater) continue;
    // A read in a function body comes with the module-level call that ran it: the cell
    // of that call is the one whose clean run shows the name had a value. A name defined
    // only by a cell that ran later comes with that definition.
    const bool defined_later = d.rule == RuleId::kDefinedLater && !d.related.empty();
    const RelatedLocation* call = d.related.empty() || defined_later ? nullptr : &d.related.front();
    const Cell* cell = locator.CellAt(call != nullptr ? call->range.start : d.range.start);
    if (cell == nullptr || !cell->Ran() || cell->error_name) {
      continue;
    }
    const int64_t in = *cell->execution_count;
    if (defined_later) {
      // The defining cell saved with the same count: the notebook ran in two kernel sessions,
      // and which of the two cells ran first is not recorded.
      const Cell* def_cell = locator.CellAt(d.related.front().range.start);
      if (def_cell != nullptr && def_cell->execution_count == cell->execution_count) continue;
    }
    if (auto it = undefined_at.find(d.range.start);
        it != undefined_at.end() && (*diagnostics)[it->second].symbol == d.symbol) {
      // A Spark name had its value from the kernel (ExplainSparkNames), not from a cell.
      if (spark_reads.Of((*diagnostics)[it->second]) != nullptr) continue;
      (*diagnostics)[it->second].notes.push_back(
          call == nullptr
              ? StrCat("this cell was saved as run without error (In [", in, "]): '", d.symbol,
                       "' had a value then, from a cell since edited, deleted or run again")
              : StrCat("'", call->message, "' ran in cell ", cell->index,
                       ", saved as run without error (In [", in, "]): '", d.symbol,
                       "' had a value then, from a cell since edited, deleted or run again"));
      continue;
    }
    // Bound above in the file by a cell saved without a count (its count cleared with its
    // output): what the file's order runs, and most likely what ran.
    if (!defined_later) {
      if (!countless) countless = FirstBindings(nb, parsed, [](const Cell& c) { return !c.Ran(); });
      if (auto it = countless->find(d.symbol);
          it != countless->end() && it->second.cell->index < cell->index) {
        continue;
      }
    }
    Diagnostic h;
    h.rule = RuleId::kHiddenState;
    h.range = d.range;
    h.symbol = d.symbol;
    // Its value came from a cell since edited, deleted, or run again later (the file's order
    // may well define it above: an import cell run again at the end).
    h.help = std::string(kHiddenStateHelp);
    const Cell* def_cell = defined_later ? locator.CellAt(d.related.front().range.start) : nullptr;
    if (def_cell != nullptr && def_cell->execution_count) {
      // `import numpy as np` in cell 1, run again as In [84] after this cell's In [36].
      const int64_t def_in = *def_cell->execution_count;
      h.message = StrCat("'", d.symbol, "' had a value when this cell ran (In [", in,
                         "]), but the cell that defines it now ran after it (In [", def_in, "])");
      h.related.push_back(
          {d.related.front().range, StrCat("'", d.symbol, "' is defined in cell ", def_cell->index,
                                           ", line ", locator.LineOf(d.related.front().range.start),
                                           ", saved as run after this cell (In [", def_in, "])")});
      h.help =
          StrCat("restart the kernel and run all cells to check that this cell works with cell ",
                 def_cell->index, " as it is now");
    } else if (call == nullptr) {
      h.message = StrCat("'", d.symbol, "' had a value when this cell ran (In [", in,
                         "]), but no cell run before it defines it now");
    } else {
      h.message =
          StrCat("'", d.symbol, "' had a value when cell ", cell->index, " ran (In [", in,
                 "]) and called '", call->message, "', but no cell run before it defines it now");
      h.related.push_back(
          {call->range, StrCat("'", call->message, "' is called at cell ", cell->index, ", line ",
                               locator.LineOf(call->range.start))});
    }
    diagnostics->push_back(std::move(h));
  }
}

// A cell that depended on state the file no longer creates is one cause, however many names it
// read so: its first NB302 stays, naming the others in a note.
void OneHiddenStateFindingPerCell(const CellLocator& locator,
                                  std::vector<Diagnostic>* diagnostics) {
  absl::flat_hash_map<uint32_t, std::vector<size_t>> by_cell;
  for (size_t k = 0; k < diagnostics->size(); ++k) {
    const Diagnostic& d = (*diagnostics)[k];
    if (d.rule == RuleId::kHiddenState) by_cell[locator.CellOf(d.range.start)].push_back(k);
  }
  std::vector<char> drop;
  for (auto& [cell, found] : by_cell) {
    if (found.size() < 2) continue;
    drop.resize(diagnostics->size(), 0);
    // The first in the cell is kept.
    auto kept = std::min_element(found.begin(), found.end(), [&](size_t a, size_t b) {
      return (*diagnostics)[a].range.start < (*diagnostics)[b].range.start;
    });
    std::vector<std::string> names;
    for (size_t k : found) {
      if (k == *kept) continue;
      names.push_back((*diagnostics)[k].symbol);
      drop[k] = 1;
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    std::string list;
    for (const std::string& n : names) absl::StrAppend(&list, list.empty() ? "'" : ", '", n, "'");
    (*diagnostics)[*kept].notes.push_back(
        absl::StrFormat("this cell read %s too: the same saved run gave %s a value", list,
                        names.size() == 1 ? "it" : "them"));
  }
  if (drop.empty()) return;
  size_t k = 0;
  std::erase_if(*diagnostics, [&](const Diagnostic&) { return drop[k++] != 0; });
}

}  // namespace

NotebookReport AnalyzeNotebook(const Notebook& nb, const AnalyzeOptions& options) {
  NotebookReport report;
  if (!nb.IsPython()) {
    report.skipped = true;
    report.skip_reason = StrCat("kernel language is '", nb.language, "', not Python");
    return report;
  }
  CellLocator locator(nb);
  std::vector<Diagnostic> diagnostics;

  for (const DecodeProblem& p : nb.decode_problems) {
    Diagnostic d;
    d.rule = RuleId::kSyntaxError;
    d.range = {p.offset, p.offset};
    d.message = p.message;
    diagnostics.push_back(std::move(d));
  }

  RunRequest request;
  request.order = options.order;
  request.python_minor = options.python_minor;
  request.suggested_order = options.order == CellOrder::kFile ? &report.suggested_order : nullptr;
  request.imports = options.imports;
  RunRequest::Environment environment;
  request.environment = &environment;
  request.import_counts = &report.imports;
  ParsedCells parsed(nb);
  if (options.order == CellOrder::kFile) parsed.PrepareAll();
  RunCells(nb, locator, request, &parsed, &diagnostics);
  if (nb.format == NotebookFormat::kIpynb) {
    CheckExecutionCounts(nb, &diagnostics);
    if (options.order == CellOrder::kFile && RecordedOrderDiffers(nb)) {
      // Hidden state: replay the recorded order; a cell that ran cleanly but now reads a name
      // nothing defines before it depended on a cell that was since edited or deleted.
      std::vector<Diagnostic> replay;
      RunRequest replay_request;
      replay_request.order = CellOrder::kExecuted;
      replay_request.python_minor = options.python_minor;
      replay_request.report_syntax = false;
      replay_request.imports = options.imports;
      replay_request.environment = &environment;
      replay_request.explain = false;
      // A cell saved as run without error shows that its own module-level reads found a
      // value, not the reads in the function bodies it defined (they ran, if ever, when a
      // later cell called them).
      replay_request.function_bodies = false;
      RunCells(nb, locator, replay_request, &parsed, &replay);
      MergeHiddenState(nb, locator, &parsed, replay, &diagnostics);
    }
  }

  // A cell that does not parse fails as a whole: its syntax error is the finding, not the
  // names read in its (partial) tree.
  std::vector<uint32_t> broken;
  for (const Diagnostic& d : diagnostics) {
    if (d.rule == RuleId::kSyntaxError) broken.push_back(locator.CellOf(d.range.start));
  }
  std::sort(broken.begin(), broken.end());
  broken.erase(std::unique(broken.begin(), broken.end()), broken.end());
  if (!broken.empty() && nb.format != NotebookFormat::kScript) {
    auto in_broken = [&](Offset at) {
      return std::binary_search(broken.begin(), broken.end(), locator.CellOf(at));
    };
    // (The name rules skip broken cells themselves; the import and execution-count rules do not.)
    std::erase_if(diagnostics, [&](const Diagnostic& d) {
      return d.rule != RuleId::kSyntaxError && in_broken(d.range.start);
    });
    ExplainUndefinedByBrokenCells(nb, broken, &diagnostics);
  }
  ExplainUndefinedByMarkdownCells(nb, &diagnostics);
  if (options.order == CellOrder::kFile)
    ExplainUnreachableBindings(nb, locator, &parsed, &diagnostics);
  ExplainClassScopeReads(locator, &parsed, &diagnostics);
  ExplainFunctionLocals(nb, locator, &parsed, &diagnostics);
  ExplainSparkNames(nb, &diagnostics);
  OneHiddenStateFindingPerCell(locator, &diagnostics);
  for (Diagnostic& d : diagnostics) {
    Finding f;
    f.start = locator.Place(d.range.start);
    f.end = locator.Place(std::max(d.range.start, d.range.end));
    f.source_line = locator.SourceLine(d.range.start);
    for (const RelatedLocation& r : d.related) {
      f.related.push_back({locator.Place(r.range.start), r.message});
    }
    f.diagnostic = std::move(d);
    report.findings.push_back(std::move(f));
  }
  std::stable_sort(report.findings.begin(), report.findings.end(),
                   [](const Finding& a, const Finding& b) {
                     if (a.start.cell != b.start.cell) return a.start.cell < b.start.cell;
                     if (a.start.line != b.start.line) return a.start.line < b.start.line;
                     if (a.start.column != b.start.column) return a.start.column < b.start.column;
                     return a.diagnostic.rule < b.diagnostic.rule;
                   });
  return report;
}

}  // namespace cellflow

namespace cellflow {

namespace {

// The cells lowered for something other than findings: the IR dump or the graph.
void LowerOnly(const Notebook& nb, const AnalyzeOptions& options, std::ostream* ir_out,
               NotebookGraph* graph) {
  CellLocator locator(nb);
  std::vector<Diagnostic> ignored;
  RunRequest request;
  request.order = options.order;
  request.python_minor = options.python_minor;
  request.report_syntax = false;
  request.ir_out = ir_out;
  request.graph = graph;
  request.imports = options.imports;
  ParsedCells parsed(nb);
  RunCells(nb, locator, request, &parsed, &ignored);
}

}  // namespace

NotebookGraph CellGraph(const Notebook& nb, const AnalyzeOptions& options) {
  NotebookGraph graph;
  LowerOnly(nb, options, nullptr, &graph);
  return graph;
}

void DumpNotebookIr(const Notebook& nb, const AnalyzeOptions& options, std::ostream& out) {
  LowerOnly(nb, options, &out, nullptr);
}

}  // namespace cellflow
