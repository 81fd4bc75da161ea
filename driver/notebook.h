// Notebooks as cellflow reads them: cells laid out in one buffer, with a source map back to the
// raw file. Reads .ipynb (nbformat 3 and 4), jupytext percent scripts and plain .py files.
#ifndef CELLFLOW_DRIVER_NOTEBOOK_H_
#define CELLFLOW_DRIVER_NOTEBOOK_H_

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

#include "lexer/source.h"
#include "lexer/token.h"

namespace cellflow {

enum class NotebookFormat : uint8_t {
  kIpynb,          // JSON notebook
  kPercentScript,  // jupytext "# %%" script
  kScript,         // plain .py file: one code cell
};

struct Cell {
  // Identity.
  uint32_t index = 0;  // 1-based among all cells (markdown included), as editors number them
  std::string type;    // as stored: "code", "markdown", "raw", "heading" (nbformat 3), ...
  std::vector<std::string> tags;
  std::string title;  // percent scripts: the text after "# %%"

  // Source: Notebook::buffer[begin, end), exactly as stored (list items joined).
  Offset begin = 0;
  Offset end = 0;
  // The cell's entries of Notebook::raw_lines, [raw_lines_begin, raw_lines_end): see
  // Notebook::RawLines.
  // The raw-file line on which the source value starts ("source": [...]); where findings about
  // a cell without source lines point. 0 when not known.
  uint32_t source_line = 0;
  uint32_t raw_lines_begin = 0;
  uint32_t raw_lines_end = 0;

  // Saved state (.ipynb only).
  std::optional<int64_t> execution_count;  // nbformat 3: prompt_number
  bool has_outputs = false;
  std::optional<std::string> error_name;  // ename of the first saved error output
  std::string error_value;                // its evalue

  bool IsCode() const { return type.size() == 4 && std::memcmp(type.data(), "code", 4) == 0; }
  // Saved with the count of a run (In [N], N > 0): not null, nor Colab's and Databricks' In [0].
  bool Ran() const { return execution_count && *execution_count > 0; }
};

struct Notebook {
  std::string path;
  NotebookFormat format = NotebookFormat::kIpynb;
  int nbformat = 0;  // 0 for scripts
  int nbformat_minor = 0;
  std::string language;  // kernel language, lowercase ("python"); empty when not stated
  // Exported from Databricks (its notebook metadata): the runtime's names (spark, dbutils, ...)
  // exist, and a cell may start with a language line (%sql, %md, %sh, %scala, %r, %fs).
  bool databricks = false;
  // Its kernel starts Spark (kernelspec name with "spark": sparkmagic's pysparkkernel, a
  // pyspark kernel): spark, sc and sqlContext exist before the first cell runs.
  bool spark_kernel = false;
  // Saved by a Python 2 kernel (kernelspec "python2", or language_info.version 2.x).
  bool python2_kernel = false;
  std::string buffer;  // every cell's source, in order, each followed by '\n'
  std::vector<Cell> cells;
  // The raw lines of every cell, cell after cell (one table: no allocation per cell).
  std::vector<uint32_t> raw_lines;
  // Scripts: what decoding the file found (offsets into buffer); CPython would refuse the file.
  std::vector<DecodeProblem> decode_problems;

  std::string_view Source(const Cell& cell) const {
    return std::string_view(buffer).substr(cell.begin, cell.end - cell.begin);
  }
  // RawLines(cell)[k]: 1-based line of the raw file on which source line k+1 of `cell` starts.
  std::span<const uint32_t> RawLines(const Cell& cell) const {
    return std::span<const uint32_t>(raw_lines).subspan(cell.raw_lines_begin,
                                                        cell.raw_lines_end - cell.raw_lines_begin);
  }
  // True unless the notebook states a kernel language other than Python.
  bool IsPython() const;
};

// Where a file stopped being readable (0 when unknown): 1-based line and column of the raw file
// and the byte offset.
struct ReadErrorPosition {
  uint32_t line = 0;
  uint32_t column = 0;
  uint64_t offset = 0;
};

// Reads notebooks; keep one per thread and reuse it, it holds the JSON parser's buffers.
class NotebookReader {
 public:
  NotebookReader();
  ~NotebookReader();
  NotebookReader(const NotebookReader&) = delete;
  NotebookReader& operator=(const NotebookReader&) = delete;

  // Reads `bytes`, the contents of `path`. The format comes from the extension (.ipynb, .py;
  // anything else by content). On failure the status message says why, in words for a person
  // (invalid JSON with its line, JSON that is no notebook, unsupported nbformat, a cell field of
  // the wrong type, ...) and *where, if given, gets the position. Never crashes or throws; the
  // input is limited to 2 GiB.
  // `readable_after`: how many bytes after the end of `bytes` may be read (for instance the
  // spare capacity of the string holding them); with at least kReadPadding the JSON parser
  // reads the bytes in place instead of copying them.
  absl::StatusOr<Notebook> Read(std::string path, std::string_view bytes,
                                ReadErrorPosition* where = nullptr, size_t readable_after = 0);

  static constexpr size_t kReadPadding = 64;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// True if a .py text is a jupytext percent script (has a "# %%" cell marker line).
bool IsPercentScript(std::string_view text);

// True if `bytes` (a file's contents) hold a Jupyter notebook's JSON: a JSON object, after
// blanks and a byte-order mark, with "nbformat" and "cells" keys. Colab's "Save a copy in
// GitHub" writes such files under any name given, `.py` included.
bool LooksLikeNotebookJson(std::string_view bytes);

// The cell magic a code cell's source starts with ("time" for "%%time -n 3"), or empty.
std::string_view CellMagicName(std::string_view source);
// Cell magics whose body is Python and runs in the user namespace: %%time, %%timeit,
// %%capture, %%prun, %%debug, and memory_profiler's %%memit and %%mprun.
bool IsPythonCellMagic(std::string_view name);

}  // namespace cellflow

#endif  // CELLFLOW_DRIVER_NOTEBOOK_H_
