// Per-notebook metrics and the cell graph.
#include "driver/stats.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include "absl/strings/str_format.h"

#include "driver/analyze.h"
#include "driver/batch.h"
#include "driver/environment.h"
#include "driver/json_out.h"
#include "driver/notebook.h"
#include "lexer/str_util.h"

namespace cellflow {
namespace {

constexpr size_t kRuleCount = static_cast<size_t>(RuleId::kHiddenState) + 1;

struct Row {
  std::string path;
  std::string error;  // why the file could not be read; the other fields are then empty
  std::string format;
  int nbformat = 0;
  std::string language;
  uint32_t cells = 0, code_cells = 0, markdown_cells = 0, executed_cells = 0;
  bool out_of_order = false;
  std::vector<std::string> error_names;
  uint32_t lines_of_code = 0;
  uint32_t parse_errors = 0;
  ImportCounts imports;
  std::vector<uint32_t> findings = std::vector<uint32_t>(kRuleCount, 0);
  double analysis_ms = 0;
};

void FillRow(const Notebook& nb, const NotebookReport& report, Row* row) {
  static constexpr const char* kFormats[] = {"ipynb", "percent", "script"};
  row->format = kFormats[static_cast<int>(nb.format)];
  row->nbformat = nb.nbformat;
  row->language = nb.language;
  int64_t highest = 0;
  for (const Cell& c : nb.cells) {
    ++row->cells;
    if (c.type == "markdown") ++row->markdown_cells;
    if (!c.IsCode()) continue;
    ++row->code_cells;
    if (c.Ran()) {
      ++row->executed_cells;
      if (*c.execution_count < highest) row->out_of_order = true;
      highest = std::max(highest, *c.execution_count);
    }
    if (c.error_name) row->error_names.push_back(*c.error_name);
    std::string_view src = nb.Source(c);
    size_t p = 0;
    while (p < src.size()) {
      size_t e = src.find('\n', p);
      if (e == std::string_view::npos) e = src.size();
      if (src.substr(p, e - p).find_first_not_of(" \t\r\f") != std::string_view::npos) {
        ++row->lines_of_code;
      }
      p = e + 1;
    }
  }
  for (const Finding& f : report.findings) {
    ++row->findings[static_cast<size_t>(f.diagnostic.rule)];
  }
  row->parse_errors = row->findings[static_cast<size_t>(RuleId::kSyntaxError)];
  row->imports = report.imports;
}

void AppendCsvField(std::string_view s, std::string* out) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    *out += s;
    return;
  }
  *out += '"';
  for (char c : s) {
    if (c == '"') *out += '"';
    *out += c;
  }
  *out += '"';
}

std::string CsvHeader() {
  std::string h =
      "path,error,format,nbformat,language,cells,code_cells,markdown_cells,executed_code_cells,"
      "out_of_order,error_names,lines_of_code,parse_errors,imports_stdlib,imports_local,"
      "imports_third_party,imports_unresolved";
  for (const RuleInfo& r : AllRules()) StrAppend(&h, ",", r.code);
  h += ",analysis_ms\n";
  return h;
}

void AppendCsv(const Row& r, std::string* out) {
  AppendCsvField(r.path, out);
  *out += ',';
  AppendCsvField(r.error, out);
  if (!r.error.empty()) {
    // Every other column empty: the file could not be read.
    *out += std::string(15 + kRuleCount + 1, ',');
    *out += '\n';
    return;
  }
  std::string errors;
  for (const std::string& e : r.error_names) StrAppend(&errors, errors.empty() ? "" : ";", e);
  absl::StrAppendFormat(out, ",%s,%d,", r.format, r.nbformat);
  AppendCsvField(r.language, out);
  absl::StrAppendFormat(out, ",%d,%d,%d,%d,%s,", r.cells, r.code_cells, r.markdown_cells,
                        r.executed_cells, r.out_of_order ? "true" : "false");
  AppendCsvField(errors, out);
  absl::StrAppendFormat(out, ",%d,%d,%d,%d,%d,%d", r.lines_of_code, r.parse_errors,
                        r.imports.stdlib, r.imports.local, r.imports.third_party,
                        r.imports.unresolved);
  for (uint32_t n : r.findings) absl::StrAppendFormat(out, ",%d", n);
  absl::StrAppendFormat(out, ",%.3f\n", r.analysis_ms);
}

void AppendJsonl(const Row& r, std::string* out) {
  *out += "{\"path\": ";
  AppendJsonString(r.path, out);
  if (!r.error.empty()) {
    *out += ", \"error\": ";
    AppendJsonString(r.error, out);
    *out += "}\n";
    return;
  }
  *out += ", \"error\": null, \"format\": ";
  AppendJsonString(r.format, out);
  absl::StrAppendFormat(out, ", \"nbformat\": %d, \"language\": ", r.nbformat);
  AppendJsonString(r.language, out);
  absl::StrAppendFormat(out,
                        ", \"cells\": %d, \"code_cells\": %d, \"markdown_cells\": %d, "
                        "\"executed_code_cells\": %d, \"out_of_order\": %s, \"error_names\": [",
                        r.cells, r.code_cells, r.markdown_cells, r.executed_cells,
                        r.out_of_order ? "true" : "false");
  for (size_t i = 0; i < r.error_names.size(); ++i) {
    if (i > 0) *out += ", ";
    AppendJsonString(r.error_names[i], out);
  }
  absl::StrAppendFormat(out,
                        "], \"lines_of_code\": %d, \"parse_errors\": %d, \"imports\": {\"stdlib\": "
                        "%d, \"local\": %d, \"third_party\": %d, \"unresolved\": %d}, "
                        "\"findings\": {",
                        r.lines_of_code, r.parse_errors, r.imports.stdlib, r.imports.local,
                        r.imports.third_party, r.imports.unresolved);
  bool first = true;
  for (const RuleInfo& rule : AllRules()) {
    absl::StrAppendFormat(out, "%s\"%s\": %d", first ? "" : ", ", std::string(rule.code),
                          r.findings[static_cast<size_t>(rule.id)]);
    first = false;
  }
  absl::StrAppendFormat(out, "}, \"analysis_ms\": %.3f}\n", r.analysis_ms);
}

AnalyzeOptions MakeAnalyzeOptions(const CheckOptions& o) {
  AnalyzeOptions a;
  a.order = o.order == "executed" ? CellOrder::kExecuted : CellOrder::kFile;
  a.python_minor = std::stoi(o.target_version.substr(2));
  return a;
}

}  // namespace

int RunStats(const std::vector<std::string>& paths, const CheckOptions& o) {
  if (!InputsGiven(paths, o.files_from)) return 2;
  int status = 0;
  PathList files;
  ImportContext imports(ImportOptionsOf(o));
  OutputFile output(o.output);
  if (!output.ok()) return 2;
  std::FILE* out = output.get();
  AnalyzeOptions analyze = MakeAnalyzeOptions(o);
  analyze.imports = &imports;
  const bool csv = o.format != "jsonl";
  if (csv) {
    std::string header = CsvHeader();
    std::fwrite(header.data(), 1, header.size(), out);
  }
  // The workers start on the first inputs while the walk looks for the others.
  int walk_status = 0;
  RunOrdered(
      BatchOptionsOf(o, out),
      [&](const TasksFound& found) {
        CollectInputs(paths, o.files_from, o.exclude, o.include_py, &files, &walk_status, &imports,
                      found);
      },
      [&](size_t i, FileOutcome* outcome) {
        thread_local NotebookReader reader;
        Row row;
        row.path = files[i];
        thread_local FileBytes file;
        std::string error;
        if (!file.Read(row.path, &error)) {
          outcome->io_error = true;
          outcome->error_text = StrCat("cellflow: ", row.path, ": ", error, "\n");
          row.error = error;
        } else {
          auto start = std::chrono::steady_clock::now();
          absl::StatusOr<Notebook> nb = reader.Read(row.path, file.view(), nullptr, file.spare());
          if (!nb.ok()) {
            row.error = std::string(nb.status().message());
          } else {
            NotebookReport report = AnalyzeNotebook(*nb, analyze);
            FillRow(*nb, report, &row);
          }
          row.analysis_ms =
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                  .count();
        }
        if (csv) {
          AppendCsv(row, &outcome->text);
        } else {
          AppendJsonl(row, &outcome->text);
        }
      },
      [&](size_t, FileOutcome& outcome) {
        if (outcome.io_error) status = 2;
        if (!outcome.error_text.empty()) std::fputs(outcome.error_text.c_str(), stderr);
        std::fwrite(outcome.text.data(), 1, outcome.text.size(), out);
      });
  if (!output.Finish(o.output)) return 2;
  return std::max(status, walk_status);
}

int RunGraph(const std::string& path, const std::string& format, const std::string& order) {
  FileBytes file;
  std::string error;
  if (!file.Read(path, &error)) {
    std::cerr << "cellflow: " << path << ": " << error << "\n";
    return 2;
  }
  NotebookReader reader;
  absl::StatusOr<Notebook> nb = reader.Read(path, file.view(), nullptr, file.spare());
  if (!nb.ok()) {
    std::cerr << "cellflow: " << path << ": " << nb.status().message() << " [NB002]\n";
    return 1;
  }
  CheckOptions o;
  o.order = order;
  AnalyzeOptions analyze = MakeAnalyzeOptions(o);
  ImportContext imports(ImportOptions{});
  analyze.imports = &imports;
  NotebookGraph graph = CellGraph(*nb, analyze);
  std::string out;
  if (format == "json") {
    out += "{\"path\": ";
    AppendJsonString(path, &out);
    out += ", \"cells\": [";
    for (size_t i = 0; i < nb->cells.size(); ++i) {
      const Cell& c = nb->cells[i];
      absl::StrAppendFormat(&out, "%s{\"cell\": %d, \"type\": ", i == 0 ? "" : ", ", c.index);
      AppendJsonString(c.type, &out);
      out += ", \"execution_count\": ";
      out += c.execution_count ? std::to_string(*c.execution_count) : "null";
      out += "}";
    }
    out += "], \"edges\": [";
    for (size_t i = 0; i < graph.edges.size(); ++i) {
      const GraphEdge& e = graph.edges[i];
      absl::StrAppendFormat(&out, "%s{\"from\": %d, \"to\": %d, \"names\": [", i == 0 ? "" : ", ",
                            e.from, e.to);
      for (size_t k = 0; k < e.names.size(); ++k) {
        if (k > 0) out += ", ";
        AppendJsonString(e.names[k], &out);
      }
      absl::StrAppendFormat(&out, "], \"backward\": %s}", e.backward ? "true" : "false");
    }
    out += "]}\n";
  } else {
    auto quote = [](std::string_view s) {
      std::string q = "\"";
      for (char c : s) {
        if (c == '"' || c == '\\') q += '\\';
        q += c == '\n' ? ' ' : c;
      }
      return q + "\"";
    };
    absl::StrAppendFormat(
        &out, "digraph %s {\n  rankdir=TB;\n  node [shape=box, fontname=\"monospace\"];\n",
        quote(path));
    for (const Cell& c : nb->cells) {
      if (!c.IsCode()) continue;
      std::string label = absl::StrFormat("cell %d", c.index);
      if (c.execution_count) absl::StrAppendFormat(&label, "\\nIn [%d]", *c.execution_count);
      absl::StrAppendFormat(&out, "  c%d [label=\"%s\"];\n", c.index, label);
    }
    for (const GraphEdge& e : graph.edges) {
      std::string names;
      for (const std::string& n : e.names) StrAppend(&names, names.empty() ? "" : ", ", n);
      absl::StrAppendFormat(&out, "  c%d -> c%d [label=%s%s];\n", e.from, e.to, quote(names),
                            e.backward ? ", color=red, fontcolor=red, style=bold" : "");
    }
    out += "}\n";
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace cellflow
