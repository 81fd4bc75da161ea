// Reading .ipynb with simdjson On-Demand (skipping output payloads), jupytext percent scripts
// and plain scripts into one cell buffer with a raw-line source map.
#include "driver/notebook.h"

#include <algorithm>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include <simdjson.h>

#include "driver/json_check.h"
#include "lexer/source.h"
#include "lexer/str_util.h"
#include "lexer/unicode.h"

namespace cellflow {
namespace {

namespace od = simdjson::ondemand;

constexpr size_t kMaxInputBytes = size_t{2} << 30;  // offsets are 32-bit

std::string_view TypeName(od::json_type t) {
  switch (t) {
    case od::json_type::array:
      return "a list";
    case od::json_type::object:
      return "an object";
    case od::json_type::number:
      return "a number";
    case od::json_type::string:
      return "a string";
    case od::json_type::boolean:
      return "a boolean";
    case od::json_type::null:
      return "null";
  }
  return "a value";
}

std::string_view StripTrailing(std::string_view s) {
  size_t e = s.find_last_not_of(" \t\f\v\r\n");
  return e == std::string_view::npos ? std::string_view() : s.substr(0, e + 1);
}

std::string_view Strip(std::string_view s) {
  s = StripTrailing(s);
  size_t b = s.find_first_not_of(" \t\f\v\r\n");
  return b == std::string_view::npos ? std::string_view() : s.substr(b);
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Appends source text to the notebook buffer and records, for each source line that starts in
// it, the raw-file line of the JSON string holding it.
class SourceBuilder {
 public:
  SourceBuilder(std::string* buffer, std::vector<uint32_t>* raw_lines)
      : buffer_(buffer), raw_lines_(raw_lines) {}

  void Append(std::string_view text, uint32_t raw_line) {
    for (size_t i = 0; i < text.size(); ++i) {
      char c = text[i];
      if (pending_cr_) {
        pending_cr_ = false;
        if (c == '\n') continue;  // "\r" + "\n" split across two strings: one line end
      }
      if (at_line_start_) {
        raw_lines_->push_back(raw_line);
        at_line_start_ = false;
      }
      if (c == '\n') {
        at_line_start_ = true;
      } else if (c == '\r') {
        if (i + 1 < text.size()) {
          if (text[i + 1] == '\n') ++i;
        } else {
          pending_cr_ = true;
        }
        at_line_start_ = true;
      }
    }
    buffer_->append(text);
  }

 private:
  std::string* buffer_;
  std::vector<uint32_t>* raw_lines_;
  bool at_line_start_ = true;
  bool pending_cr_ = false;
};

class IpynbReader {
 public:
  IpynbReader(od::parser* parser, std::string_view text, Notebook* nb)
      : parser_(parser), text_(text), lines_(text), nb_(nb) {}

  // Returns an empty string on success, else the reason; *error_offset gets a position when
  // one is known.
  std::string Read(size_t* error_offset);

 private:
  // simdjson error → message; the plain validator finds the position when the JSON is invalid.
  std::string JsonFailure(simdjson::error_code code, size_t* error_offset);
  std::string ReadMetadata(od::value metadata);
  std::string ReadCells(od::value cells, size_t* error_offset);
  std::string ReadCell(od::value cell, uint32_t index);
  std::string ReadSource(od::value source, Cell* cell, std::string_view field);
  std::string ReadOutputs(od::value outputs, Cell* cell);
  uint32_t RawLineOf(const char* p) const {
    return lines_.Lookup(static_cast<Offset>(p - text_.data())).line;
  }

  od::parser* parser_;
  std::string_view text_;  // the JSON, BOM removed; simdjson's padded copy mirrors its offsets
  const char* padded_base_ = nullptr;
  LineIndex lines_;
  Notebook* nb_;
};

std::string IpynbReader::JsonFailure(simdjson::error_code code, size_t* error_offset) {
  JsonProblem problem;
  if (FindJsonError(text_, &problem)) {
    *error_offset = problem.offset;
    return StrCat("invalid JSON: ", problem.message);
  }
  size_t bad = FindInvalidUtf8(text_);
  if (bad != text_.size()) {
    *error_offset = bad;
    return absl::StrFormat("invalid UTF-8 (byte 0x%02x)", static_cast<unsigned char>(text_[bad]));
  }
  return StrCat("cannot read the JSON: ", simdjson::error_message(code));
}

std::string IpynbReader::Read(size_t* error_offset) {
  simdjson::padded_string padded(text_.data(), text_.size());
  padded_base_ = padded.data();
  od::document doc;
  simdjson::error_code err = parser_->iterate(padded).get(doc);
  if (err) return JsonFailure(err, error_offset);
  od::object root;
  if (doc.get_object().get(root)) {
    od::json_type t;
    if (doc.type().get(t)) return JsonFailure(simdjson::TAPE_ERROR, error_offset);
    return StrCat("JSON but not a notebook: the document is ", TypeName(t), ", not an object");
  }
  bool have_cells = false;
  bool have_nbformat = false;
  int64_t nbformat = 0;
  int64_t nbformat_minor = 0;
  for (auto field_result : root) {
    od::field field;
    if ((err = std::move(field_result).get(field))) return JsonFailure(err, error_offset);
    std::string_view key;
    if ((err = field.unescaped_key().get(key))) return JsonFailure(err, error_offset);
    od::value value = field.value();
    if (key == "cells" || key == "worksheets") {
      std::string problem;
      if (key == "cells") {
        problem = ReadCells(value, error_offset);
      } else {
        // nbformat 3: worksheets[].cells[]
        od::array sheets;
        if (value.get_array().get(sheets)) return "'worksheets' is not a list";
        for (auto sheet_result : sheets) {
          od::object sheet;
          if ((err = sheet_result.get_object().get(sheet))) {
            return err == simdjson::INCORRECT_TYPE ? "a worksheet is not an object"
                                                   : JsonFailure(err, error_offset);
          }
          for (auto sf : sheet) {
            od::field f;
            if ((err = std::move(sf).get(f))) return JsonFailure(err, error_offset);
            std::string_view k;
            if ((err = f.unescaped_key().get(k))) return JsonFailure(err, error_offset);
            if (k != "cells") continue;
            problem = ReadCells(f.value(), error_offset);
            if (!problem.empty()) return problem;
          }
        }
      }
      if (!problem.empty()) return problem;
      have_cells = true;
    } else if (key == "metadata") {
      std::string problem = ReadMetadata(value);
      if (!problem.empty()) return problem;
    } else if (key == "nbformat") {
      if (value.get_int64().get(nbformat)) return "'nbformat' is not an integer";
      have_nbformat = true;
    } else if (key == "nbformat_minor") {
      if (value.get_int64().get(nbformat_minor)) nbformat_minor = 0;
    }
  }
  // The root object must be all there is (On-Demand stops reading at its end).
  size_t last = text_.find_last_not_of(" \t\r\n");
  if (last == std::string_view::npos || text_[last] != '}') {
    return JsonFailure(simdjson::TRAILING_CONTENT, error_offset);
  }
  if (!have_nbformat && !have_cells) {
    return "JSON but not a notebook: no 'nbformat' and no 'cells'";
  }
  if (!have_nbformat) return "JSON but not a notebook: no 'nbformat' field";
  if (nbformat < 2 || nbformat > 4) {
    return absl::StrFormat("unsupported nbformat %d (cellflow reads nbformat 2 to 4)", nbformat);
  }
  // nbformat 2 and 3 keep cells in worksheets; a notebook without any has no cells.
  if (!have_cells && nbformat == 4) return "not a notebook: nbformat 4 without a 'cells' list";
  nb_->nbformat = static_cast<int>(nbformat);
  nb_->nbformat_minor = static_cast<int>(nbformat_minor);
  return "";
}

// metadata.kernelspec.language, else metadata.language_info.name, else metadata.language.
std::string IpynbReader::ReadMetadata(od::value metadata) {
  od::object obj;
  if (metadata.get_object().get(obj)) return "";  // odd metadata is no reason to refuse
  std::string kernel, info, plain;
  for (auto field_result : obj) {
    od::field field;
    if (std::move(field_result).get(field)) return "";
    std::string_view key;
    if (field.unescaped_key().get(key)) return "";
    bool kernelspec = key == "kernelspec";
    if (!kernelspec && key != "language_info" && key != "language") continue;
    if (key == "language") {
      std::string_view s;
      if (!field.value().get_string().get(s)) plain = std::string(s);
      continue;
    }
    od::object sub;
    if (field.value().get_object().get(sub)) continue;
    for (auto sub_result : sub) {
      od::field f;
      if (std::move(sub_result).get(f)) break;
      std::string_view k;
      if (f.unescaped_key().get(k)) break;
      if (k != (kernelspec ? "language" : "name")) continue;
      std::string_view s;
      if (!f.value().get_string().get(s)) (kernelspec ? kernel : info) = std::string(s);
    }
  }
  std::string lang = !kernel.empty() ? kernel : !info.empty() ? info : plain;
  nb_->language = absl::AsciiStrToLower(lang);
  return "";
}

std::string IpynbReader::ReadCells(od::value cells, size_t* error_offset) {
  od::array list;
  simdjson::error_code err = cells.get_array().get(list);
  if (err) {
    return err == simdjson::INCORRECT_TYPE ? "'cells' is not a list"
                                           : JsonFailure(err, error_offset);
  }
  for (auto cell_result : list) {
    od::value cell;
    if ((err = std::move(cell_result).get(cell))) return JsonFailure(err, error_offset);
    auto index = static_cast<uint32_t>(nb_->cells.size() + 1);
    std::string problem = ReadCell(cell, index);
    if (!problem.empty()) {
      // A JSON error met while reading the cell is reported as such.
      JsonProblem json;
      if (FindJsonError(text_, &json)) {
        *error_offset = json.offset;
        return StrCat("invalid JSON: ", json.message);
      }
      return problem;
    }
  }
  return "";
}

std::string IpynbReader::ReadCell(od::value value, uint32_t index) {
  od::object obj;
  if (value.get_object().get(obj)) return absl::StrFormat("cell %d is not an object", index);
  Cell cell;
  cell.index = index;
  bool have_source = false;
  for (auto field_result : obj) {
    od::field field;
    if (std::move(field_result).get(field)) return absl::StrFormat("cell %d: invalid JSON", index);
    std::string_view key;
    if (field.unescaped_key().get(key)) return absl::StrFormat("cell %d: invalid key", index);
    od::value v = field.value();
    if (key == "cell_type") {
      std::string_view type;
      if (v.get_string().get(type)) {
        return absl::StrFormat("cell %d: 'cell_type' is not a string", index);
      }
      cell.type = std::string(type);
    } else if (key == "source" || key == "input") {
      if (have_source && key == "input") continue;
      // Source text must land in the buffer in cell order; the cell is appended below.
      std::string problem = ReadSource(v, &cell, key);
      if (!problem.empty()) return absl::StrFormat("cell %d: %s", index, problem);
      have_source = true;
    } else if (key == "execution_count" || key == "prompt_number") {
      od::json_type t;
      if (v.type().get(t)) return absl::StrFormat("cell %d: invalid JSON", index);
      if (t == od::json_type::null) continue;
      int64_t n;
      if (v.get_int64().get(n)) {
        return absl::StrFormat("cell %d: '%s' is %s, not an integer or null", index,
                               std::string(key), TypeName(t));
      }
      cell.execution_count = n;
    } else if (key == "outputs") {
      std::string problem = ReadOutputs(v, &cell);
      if (!problem.empty()) return absl::StrFormat("cell %d: %s", index, problem);
    } else if (key == "metadata") {
      od::object meta;
      if (v.get_object().get(meta)) continue;
      for (auto mf : meta) {
        od::field f;
        if (std::move(mf).get(f)) break;
        std::string_view k;
        if (f.unescaped_key().get(k)) break;
        if (k != "tags") continue;
        od::array tags;
        if (f.value().get_array().get(tags)) continue;
        for (auto tag : tags) {
          std::string_view s;
          if (!tag.get_string().get(s)) cell.tags.emplace_back(s);
        }
      }
    }
  }
  if (cell.type.empty()) return absl::StrFormat("cell %d has no 'cell_type'", index);
  if (!have_source) {
    cell.begin = cell.end = static_cast<Offset>(nb_->buffer.size());
    nb_->buffer.push_back('\n');
  }
  nb_->cells.push_back(std::move(cell));
  return "";
}

// "source": a string or a list of strings (nbformat 3 code cells: "input").
std::string IpynbReader::ReadSource(od::value source, Cell* cell, std::string_view field) {
  od::json_type t;
  if (source.type().get(t)) return "invalid JSON";
  cell->begin = static_cast<Offset>(nb_->buffer.size());
  SourceBuilder builder(&nb_->buffer, &cell->raw_lines);
  auto append = [&](od::value item) -> std::string {
    std::string_view raw = item.raw_json_token();
    std::string_view text;
    if (item.get_string().get(text)) return "invalid string";
    if (nb_->buffer.size() + text.size() >= kMaxInputBytes) return "source too large";
    builder.Append(text, RawLineOf(text_.data() + (raw.data() - padded_base_)));
    return "";
  };
  if (t == od::json_type::string) {
    std::string problem = append(source);
    if (!problem.empty()) return problem;
  } else if (t == od::json_type::array) {
    od::array items;
    if (source.get_array().get(items)) return "invalid JSON";
    size_t k = 0;
    for (auto item_result : items) {
      ++k;
      od::value item;
      if (std::move(item_result).get(item)) return "invalid JSON";
      od::json_type it;
      if (item.type().get(it)) return "invalid JSON";
      if (it != od::json_type::string) {
        return absl::StrFormat("'%s' item %d is %s, not a string", std::string(field), k,
                               TypeName(it));
      }
      std::string problem = append(item);
      if (!problem.empty()) return problem;
    }
  } else {
    return absl::StrFormat("'%s' must be a string or a list of strings, not %s", std::string(field),
                           TypeName(t));
  }
  cell->end = static_cast<Offset>(nb_->buffer.size());
  nb_->buffer.push_back('\n');
  return "";
}

// Notes whether there are outputs and the first saved error; payloads are skipped unread.
std::string IpynbReader::ReadOutputs(od::value outputs, Cell* cell) {
  od::array list;
  if (outputs.get_array().get(list)) return "'outputs' is not a list";
  for (auto out_result : list) {
    cell->has_outputs = true;
    od::object out;
    if (out_result.get_object().get(out)) continue;
    std::string_view type, ename, evalue;
    bool has_ename = false;
    for (auto field_result : out) {
      od::field field;
      if (std::move(field_result).get(field)) return "invalid JSON in an output";
      std::string_view key;
      if (field.unescaped_key().get(key)) return "invalid JSON in an output";
      if (key == "output_type") {
        if (field.value().get_string().get(type)) type = {};
      } else if (key == "ename") {
        has_ename = !field.value().get_string().get(ename);
      } else if (key == "evalue") {
        if (field.value().get_string().get(evalue)) evalue = {};
      }
    }
    if ((type == "error" || type == "pyerr") && has_ename && !cell->error_name) {
      cell->error_name = std::string(ename);
      cell->error_value = std::string(evalue);
    }
  }
  return "";
}

// ---------------------------------------------------------------------------------------------
// Scripts

// "# %%" or "#%%" at the start of a line (jupytext's percent format).
bool IsCellMarker(std::string_view line, std::string_view* rest) {
  if (line.empty() || line[0] != '#') return false;
  size_t i = 1;
  while (i < line.size() && line[i] == ' ') ++i;
  if (line.substr(i, 2) != "%%") return false;
  if (i + 2 < line.size() && line[i + 2] == '%') return false;  // "# %%%" is a comment
  *rest = line.substr(i + 2);
  return true;
}

// Splits text into lines (without terminators), with their start offsets.
std::vector<std::pair<size_t, std::string_view>> SplitLines(std::string_view text) {
  std::vector<std::pair<size_t, std::string_view>> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t e = pos;
    while (e < text.size() && text[e] != '\n' && text[e] != '\r') ++e;
    out.emplace_back(pos, text.substr(pos, e - pos));
    if (e < text.size() && text[e] == '\r' && e + 1 < text.size() && text[e + 1] == '\n') ++e;
    pos = e + 1;
  }
  return out;
}

// Cell type, title and tags from what follows "# %%": " Title [markdown] tags=["a", "b"]".
void ParseMarker(std::string_view rest, Cell* cell) {
  std::string_view s = Strip(rest);
  cell->type = "code";
  size_t open = s.find('[');
  size_t close = open == std::string_view::npos ? open : s.find(']', open);
  size_t meta = s.find('=');
  if (open != std::string_view::npos && close != std::string_view::npos &&
      (meta == std::string_view::npos || open < meta)) {
    std::string_view kind = s.substr(open + 1, close - open - 1);
    if (kind == "markdown" || kind == "md") {
      cell->type = "markdown";
    } else if (kind == "raw") {
      cell->type = "raw";
    }
    cell->title = std::string(Strip(s.substr(0, open)));
  } else {
    size_t title_end = s.size();
    // Metadata starts at the first word followed by '='.
    for (size_t p = 0; p < s.size(); ++p) {
      if (s[p] == '=' && p > 0) {
        size_t w = s.rfind(' ', p);
        title_end = w == std::string_view::npos ? 0 : w;
        break;
      }
    }
    cell->title = std::string(Strip(s.substr(0, title_end)));
  }
  size_t tags = s.find("tags=[");
  if (tags != std::string_view::npos) {
    size_t p = tags + 6;
    while (p < s.size() && s[p] != ']') {
      if (s[p] == '"' || s[p] == '\'') {
        char q = s[p];
        size_t e = s.find(q, p + 1);
        if (e == std::string_view::npos) break;
        cell->tags.emplace_back(s.substr(p + 1, e - p - 1));
        p = e + 1;
      } else {
        ++p;
      }
    }
  }
}

void ReadPercentScript(Notebook* nb) {
  std::string_view text = nb->buffer;  // code cells are slices of the decoded text
  auto lines = SplitLines(text);
  size_t i = 0;
  // A jupytext header: "# ---" ... "# ---" at the very top is notebook metadata.
  if (!lines.empty() && StripTrailing(lines[0].second) == "# ---") {
    for (size_t k = 1; k < lines.size(); ++k) {
      if (StripTrailing(lines[k].second) == "# ---") {
        i = k + 1;
        break;
      }
    }
  }
  struct Pending {
    Cell cell;
    size_t first = 0;  // first content line
    size_t last = 0;   // one past the last content line
  };
  std::vector<Pending> cells;
  Pending current;
  current.cell.type = "code";
  current.first = i;
  bool explicit_cell = false;
  auto close = [&](size_t end_line) {
    current.last = end_line;
    // Blank lines before the next marker separate cells; they are not content.
    while (current.last > current.first && Strip(lines[current.last - 1].second).empty())
      --current.last;
    bool empty = current.last == current.first;
    if (explicit_cell || !empty) cells.push_back(current);
  };
  for (; i < lines.size(); ++i) {
    std::string_view rest;
    if (!IsCellMarker(lines[i].second, &rest)) continue;
    close(i);
    current = Pending{};
    ParseMarker(rest, &current.cell);
    current.first = i + 1;
    explicit_cell = true;
  }
  close(lines.size());

  std::string_view all = nb->buffer;
  std::string appended;
  std::vector<Cell> out;
  for (Pending& p : cells) {
    Cell cell = std::move(p.cell);
    cell.index = static_cast<uint32_t>(out.size() + 1);
    for (size_t k = p.first; k < p.last; ++k)
      cell.raw_lines.push_back(static_cast<uint32_t>(k + 1));
    size_t begin = p.first < lines.size() ? lines[p.first].first : all.size();
    size_t end =
        p.last > p.first ? lines[p.last - 1].first + lines[p.last - 1].second.size() : begin;
    if (cell.IsCode()) {
      cell.begin = static_cast<Offset>(begin);
      cell.end = static_cast<Offset>(end);
    } else {
      // Markdown and raw cells are comments: "# text" → "text".
      std::string source;
      for (size_t k = p.first; k < p.last; ++k) {
        std::string_view line = lines[k].second;
        if (line.substr(0, 2) == "# ") {
          line.remove_prefix(2);
        } else if (line.substr(0, 1) == "#") {
          line.remove_prefix(1);
        }
        source.append(line);
        if (k + 1 < p.last) source.push_back('\n');
      }
      cell.begin = static_cast<Offset>(all.size() + 1 + appended.size());
      appended.append(source);
      cell.end = static_cast<Offset>(all.size() + 1 + appended.size());
      appended.push_back('\n');
    }
    out.push_back(std::move(cell));
  }
  nb->buffer.push_back('\n');
  nb->buffer.append(appended);
  nb->cells = std::move(out);
}

void ReadScript(Notebook* nb) {
  Cell cell;
  cell.index = 1;
  cell.type = "code";
  cell.begin = 0;
  cell.end = static_cast<Offset>(nb->buffer.size());
  auto lines = SplitLines(nb->buffer);
  for (size_t k = 0; k < lines.size(); ++k) cell.raw_lines.push_back(static_cast<uint32_t>(k + 1));
  nb->cells.push_back(std::move(cell));
  nb->buffer.push_back('\n');
}

}  // namespace

bool Notebook::IsPython() const {
  return language.empty() || language == "python" || language.rfind("python", 0) == 0 ||
         language == "ipython";
}

bool IsPercentScript(std::string_view text) {
  for (const auto& [offset, line] : SplitLines(text)) {
    std::string_view rest;
    if (IsCellMarker(line, &rest)) return true;
  }
  return false;
}

struct NotebookReader::Impl {
  od::parser parser;
};

NotebookReader::NotebookReader() : impl_(std::make_unique<Impl>()) {}
NotebookReader::~NotebookReader() = default;

absl::StatusOr<Notebook> NotebookReader::Read(std::string path, std::string_view bytes,
                                              ReadErrorPosition* where) {
  if (bytes.size() >= kMaxInputBytes) {
    return absl::InvalidArgumentError("file too large (2 GiB or more)");
  }
  Notebook nb;
  nb.path = std::move(path);
  bool ipynb = EndsWith(nb.path, ".ipynb");
  if (!ipynb && !EndsWith(nb.path, ".py")) {
    size_t first = bytes.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    ipynb = first != std::string_view::npos && bytes[first] == '{';
  }
  if (!ipynb) {
    DecodedSource decoded = DecodeSource(bytes);
    nb.buffer = std::move(decoded.text);
    nb.decode_problems = std::move(decoded.problems);
    if (IsPercentScript(nb.buffer)) {
      nb.format = NotebookFormat::kPercentScript;
      ReadPercentScript(&nb);
    } else {
      nb.format = NotebookFormat::kScript;
      ReadScript(&nb);
    }
    return nb;
  }

  nb.format = NotebookFormat::kIpynb;
  size_t bom = bytes.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  std::string_view text = bytes.substr(bom);
  if (Strip(text).empty()) {
    return absl::InvalidArgumentError(text.empty() ? "empty file" : "the file holds only blanks");
  }
  nb.buffer.reserve(text.size() / 4);
  IpynbReader reader(&impl_->parser, text, &nb);
  size_t error_offset = SIZE_MAX;
  std::string problem = reader.Read(&error_offset);
  if (problem.empty()) return nb;
  if (error_offset != SIZE_MAX) {
    LineIndex lines(text);
    LineCol lc = lines.Lookup(static_cast<Offset>(std::min(error_offset, text.size())));
    std::string_view line_text =
        text.substr(lines.LineStart(lc.line), std::min<size_t>(lc.col, text.size()));
    uint32_t column = static_cast<uint32_t>(CountCodePoints(line_text.substr(0, lc.col))) + 1;
    if (where != nullptr) *where = {lc.line, column, error_offset + bom};
    problem = absl::StrFormat("%s (line %d, column %d, byte %d)", problem, lc.line, column,
                              error_offset + bom);
  }
  return absl::InvalidArgumentError(problem);
}

}  // namespace cellflow
