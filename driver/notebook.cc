// Reading .ipynb with simdjson On-Demand (skipping output payloads), jupytext percent scripts
// and plain scripts into one cell buffer with a raw-line source map.
#include "driver/notebook.h"

#include <algorithm>
#include <cstring>

#ifdef __AVX2__
#include <immintrin.h>
#endif

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

// Line ends in `s` ("\n", "\r\n" and a lone "\r"); `next` is the byte after it. Most of a
// notebook is images, and this runs over every byte between two source strings: 32 bytes at a
// time where the reader is built for AVX2.
uint32_t CountLineEnds(std::string_view s, char next) {
  size_t n = 0;
  size_t i = 0;
  bool any_cr = false;
#ifdef __AVX2__
  const __m256i nl = _mm256_set1_epi8('\n');
  const __m256i cr = _mm256_set1_epi8('\r');
  const __m256i zero = _mm256_setzero_si256();
  __m256i crs = zero;
  // Per-byte counters (a match is -1, subtracted), summed before any can overflow.
  auto flush = [&](__m256i counts) {
    __m256i sums = _mm256_sad_epu8(counts, zero);
    n += static_cast<size_t>(_mm256_extract_epi64(sums, 0) + _mm256_extract_epi64(sums, 1) +
                             _mm256_extract_epi64(sums, 2) + _mm256_extract_epi64(sums, 3));
  };
  while (i + 32 <= s.size()) {
    __m256i counts = zero;
    for (int round = 0; round < 255 && i + 32 <= s.size(); ++round, i += 32) {
      __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s.data() + i));
      counts = _mm256_sub_epi8(counts, _mm256_cmpeq_epi8(v, nl));
      crs = _mm256_or_si256(crs, _mm256_cmpeq_epi8(v, cr));
    }
    flush(counts);
  }
  any_cr = _mm256_movemask_epi8(crs) != 0;
#endif
  for (; i < s.size(); ++i) {
    n += s[i] == '\n';
    any_cr |= s[i] == '\r';
  }
  if (any_cr) {
    for (size_t k = 0; k < s.size(); ++k) {
      if (s[k] != '\r') continue;
      char after = k + 1 < s.size() ? s[k + 1] : next;
      if (after != '\n') ++n;
    }
  }
  return static_cast<uint32_t>(n);
}

// Appends source text to the notebook buffer and records, for each source line that starts in
// it, the raw-file line of the JSON string holding it.
class SourceBuilder {
 public:
  SourceBuilder(std::string* buffer, std::vector<uint32_t>* raw_lines)
      : buffer_(buffer), raw_lines_(raw_lines) {}

  void Append(std::string_view text, uint32_t raw_line) {
    size_t i = 0;
    if (pending_cr_ && !text.empty()) {
      pending_cr_ = false;
      if (text[0] == '\n') i = 1;  // "\r" + "\n" split across two strings: one line end
    }
    const bool has_cr = text.find('\r', i) != std::string_view::npos;
    while (i < text.size()) {
      if (at_line_start_) {
        raw_lines_->push_back(raw_line);
        at_line_start_ = false;
      }
      size_t e = has_cr ? text.find_first_of("\r\n", i) : text.find('\n', i);
      if (e == std::string_view::npos) break;
      at_line_start_ = true;
      if (text[e] == '\r') {
        if (e + 1 < text.size()) {
          if (text[e + 1] == '\n') ++e;
        } else {
          pending_cr_ = true;
        }
      }
      i = e + 1;
    }
    buffer_->append(text);
  }

 private:
  std::string* buffer_;
  std::vector<uint32_t>* raw_lines_;
  bool at_line_start_ = true;
  bool pending_cr_ = false;
};

// Reads a notebook's JSON in one pass with simdjson On-Demand. Values the reader does not need
// (output payloads, metadata) are still walked, cheaply, so that invalid JSON anywhere is
// caught; a plain validator then says where.
class IpynbReader {
 public:
  IpynbReader(od::parser* parser, std::string* padded, std::string_view text, bool in_place,
              Notebook* nb)
      : parser_(parser), padded_(padded), text_(text), in_place_(in_place), nb_(nb) {}

  // Returns an empty string on success, else the reason; *error_offset gets a position when
  // one is known.
  std::string Read(size_t* error_offset);

 private:
  // Sentinel problem: the JSON is invalid somewhere; Read() turns it into a located message.
  static constexpr std::string_view kInvalid = "\x01invalid";

  std::string Located(size_t* error_offset);
  std::string ReadRoot(od::object root);
  std::string ReadWorksheets(od::value sheets);
  std::string ReadMetadata(od::value metadata);
  std::string ReadCells(od::value cells);
  std::string ReadCell(od::value cell, uint32_t index);
  std::string ReadSource(od::value source, Cell* cell, std::string_view field);
  std::string ReadOutputs(od::value outputs, Cell* cell);
  // Walks a value the reader does not need, so that On-Demand checks its syntax too.
  bool Check(od::value value);
  // The string value, or nullopt after checking that `value` is valid JSON of another type.
  bool GetString(od::value value, std::string_view* out, bool* valid);

  // Source strings come in file order, so the line count moves forward from the last one.
  uint32_t RawLineOf(const char* p) {
    size_t target = static_cast<size_t>(p - text_.data());
    if (target < line_cursor_) {
      line_cursor_ = 0;
      line_at_cursor_ = 1;
    }
    line_at_cursor_ += CountLineEnds(text_.substr(line_cursor_, target - line_cursor_),
                                     target < text_.size() ? text_[target] : '\0');
    line_cursor_ = target;
    return line_at_cursor_;
  }

  od::parser* parser_;
  std::string* padded_;    // reusable copy of the input with simdjson's padding
  std::string_view text_;  // the JSON, BOM removed; the padded copy mirrors its offsets
  const char* padded_base_ = nullptr;
  bool in_place_;  // text_ is followed by readable padding: no copy needed
  Notebook* nb_;
  int depth_ = 0;                // nesting of Check()
  size_t line_cursor_ = 0;       // offset up to which lines are counted
  uint32_t line_at_cursor_ = 1;  // 1-based line at line_cursor_
  bool have_nbformat_ = false;
  bool have_cells_ = false;
  int64_t nbformat_ = 0;
  int64_t nbformat_minor_ = 0;
};

std::string IpynbReader::Located(size_t* error_offset) {
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
  if (depth_ > 0) return "JSON nested too deeply (more than 1024 levels)";
  return "invalid JSON";
}

std::string IpynbReader::Read(size_t* error_offset) {
  simdjson::padded_string_view padded;
  if (in_place_) {
    padded = simdjson::padded_string_view(text_.data(), text_.size(),
                                          text_.size() + simdjson::SIMDJSON_PADDING);
  } else {
    // One padded copy, in a buffer reused across files (no allocation, no page faults).
    if (padded_->size() < text_.size() + simdjson::SIMDJSON_PADDING) {
      padded_->resize(text_.size() + simdjson::SIMDJSON_PADDING + text_.size() / 2);
    }
    std::memcpy(padded_->data(), text_.data(), text_.size());
    std::memset(padded_->data() + text_.size(), 0, simdjson::SIMDJSON_PADDING);
    padded = simdjson::padded_string_view(padded_->data(), text_.size(), padded_->size());
  }
  padded_base_ = padded.data();

  od::document doc;
  od::json_type root_type;
  if (parser_->iterate(padded).get(doc) || doc.type().get(root_type)) {
    return Located(error_offset);
  }
  if (root_type != od::json_type::object) {
    // Check the rest first: invalid JSON is the better reason.
    JsonProblem problem;
    if (FindJsonError(text_, &problem)) return Located(error_offset);
    return StrCat("JSON but not a notebook: the document is ", TypeName(root_type),
                  ", not an object");
  }
  od::object root;
  if (doc.get_object().get(root)) return Located(error_offset);
  std::string problem = ReadRoot(root);
  // Nothing may follow the root object.
  const char* end = nullptr;
  bool at_end = doc.current_location().get(end) == simdjson::OUT_OF_BOUNDS;
  if (problem == kInvalid || (problem.empty() && !at_end)) return Located(error_offset);
  if (!problem.empty()) return problem;

  if (!have_nbformat_ && !have_cells_) {
    return "JSON but not a notebook: no 'nbformat' and no 'cells'";
  }
  if (!have_nbformat_) return "JSON but not a notebook: no 'nbformat' field";
  if (nbformat_ < 2 || nbformat_ > 4) {
    return absl::StrFormat("unsupported nbformat %d (cellflow reads nbformat 2 to 4)", nbformat_);
  }
  // nbformat 2 and 3 keep cells in worksheets; a notebook without any has no cells.
  if (!have_cells_ && nbformat_ == 4) return "not a notebook: nbformat 4 without a 'cells' list";
  nb_->nbformat = static_cast<int>(nbformat_);
  nb_->nbformat_minor = static_cast<int>(nbformat_minor_);
  return "";
}

std::string IpynbReader::ReadRoot(od::object root) {
  for (auto field_result : root) {
    od::field field;
    if (std::move(field_result).get(field)) return std::string(kInvalid);
    od::raw_json_string key = field.key();  // compared raw: no unescaping
    od::value value = field.value();
    std::string problem;
    if (key == "cells" || key == "worksheets") {
      if (have_cells_) {
        // A repeated key: JSON readers keep the last one.
        nb_->cells.clear();
        nb_->buffer.clear();
      }
      problem = key == std::string_view("cells") ? ReadCells(value) : ReadWorksheets(value);
      have_cells_ = true;
    } else if (key == "metadata") {
      problem = ReadMetadata(value);
    } else if (key == "nbformat" || key == "nbformat_minor") {
      int64_t n;
      bool major = key == std::string_view("nbformat");
      if (value.get_int64().get(n)) {
        if (!Check(value)) return std::string(kInvalid);
        if (major) return "'nbformat' is not an integer";
        n = 0;
      }
      (major ? nbformat_ : nbformat_minor_) = n;
      if (major) have_nbformat_ = true;
    } else if (!Check(value)) {
      return std::string(kInvalid);
    }
    if (!problem.empty()) return problem;
  }
  return "";
}

// nbformat 2 and 3: worksheets[].cells[].
std::string IpynbReader::ReadWorksheets(od::value value) {
  od::json_type t;
  if (value.type().get(t)) return std::string(kInvalid);
  if (t != od::json_type::array) {
    return Check(value) ? "'worksheets' is not a list" : std::string(kInvalid);
  }
  od::array sheets;
  if (value.get_array().get(sheets)) return std::string(kInvalid);
  for (auto sheet_result : sheets) {
    od::value sheet_value;
    od::json_type st;
    if (std::move(sheet_result).get(sheet_value) || sheet_value.type().get(st)) {
      return std::string(kInvalid);
    }
    if (st != od::json_type::object) {
      return Check(sheet_value) ? "a worksheet is not an object" : std::string(kInvalid);
    }
    od::object sheet;
    if (sheet_value.get_object().get(sheet)) return std::string(kInvalid);
    for (auto sf : sheet) {
      od::field f;
      if (std::move(sf).get(f)) return std::string(kInvalid);
      od::raw_json_string k = f.key();
      if (k == "cells") {
        std::string problem = ReadCells(f.value());
        if (!problem.empty()) return problem;
      } else if (!Check(f.value())) {
        return std::string(kInvalid);
      }
    }
  }
  return "";
}

bool IpynbReader::Check(od::value value) {
  constexpr int kMaxDepth = 1024;
  od::json_type t;
  if (value.type().get(t)) return false;
  switch (t) {
    case od::json_type::array: {
      if (++depth_ > kMaxDepth) return false;
      od::array a;
      if (value.get_array().get(a)) return false;
      for (auto item_result : a) {
        od::value item;
        if (std::move(item_result).get(item) || !Check(item)) return false;
      }
      --depth_;
      return true;
    }
    case od::json_type::object: {
      if (++depth_ > kMaxDepth) return false;
      od::object o;
      if (value.get_object().get(o)) return false;
      for (auto field_result : o) {
        od::field field;
        if (std::move(field_result).get(field) || !Check(field.value())) return false;
      }
      --depth_;
      return true;
    }
    case od::json_type::string: {
      od::raw_json_string raw;
      return !value.get_raw_json_string().get(raw);
    }
    case od::json_type::number: {
      od::number n;
      if (!value.get_number().get(n)) return true;
      // Beyond double range is still JSON (Python reads 1e400 as inf).
      JsonProblem problem;
      std::string_view token = value.raw_json_token();
      size_t len = token.find_first_of(" \t\r\n,]}");
      return !FindJsonError(token.substr(0, len), &problem);
    }
    case od::json_type::boolean: {
      bool b;
      return !value.get_bool().get(b);
    }
    case od::json_type::null: {
      bool is_null;
      return !value.is_null().get(is_null) && is_null;
    }
  }
  return false;
}

bool IpynbReader::GetString(od::value value, std::string_view* out, bool* valid) {
  *valid = true;
  od::json_type t;
  if (value.type().get(t)) {
    *valid = false;
    return false;
  }
  if (t == od::json_type::string) {
    *valid = !value.get_string().get(*out);
    return *valid;
  }
  *valid = Check(value);
  return false;
}

// metadata.kernelspec.language, else metadata.language_info.name, else metadata.language.
std::string IpynbReader::ReadMetadata(od::value metadata) {
  od::json_type t;
  if (metadata.type().get(t)) return std::string(kInvalid);
  if (t != od::json_type::object) return Check(metadata) ? "" : std::string(kInvalid);
  od::object obj;
  if (metadata.get_object().get(obj)) return std::string(kInvalid);
  std::string kernel, info, plain;
  bool valid = true;
  for (auto field_result : obj) {
    od::field field;
    if (std::move(field_result).get(field)) return std::string(kInvalid);
    od::raw_json_string key = field.key();  // compared raw: no unescaping
    bool kernelspec = key == std::string_view("kernelspec");
    if (key == "language") {
      std::string_view s;
      if (GetString(field.value(), &s, &valid)) plain = std::string(s);
      if (!valid) return std::string(kInvalid);
      continue;
    }
    if (!kernelspec && key != "language_info") {
      if (!Check(field.value())) return std::string(kInvalid);
      continue;
    }
    od::json_type st;
    if (field.value().type().get(st)) return std::string(kInvalid);
    if (st != od::json_type::object) {
      if (!Check(field.value())) return std::string(kInvalid);
      continue;
    }
    od::object sub;
    if (field.value().get_object().get(sub)) return std::string(kInvalid);
    for (auto sub_result : sub) {
      od::field f;
      if (std::move(sub_result).get(f)) return std::string(kInvalid);
      od::raw_json_string k = f.key();
      std::string_view s;
      if (k == std::string_view(kernelspec ? "language" : "name")) {
        if (GetString(f.value(), &s, &valid)) (kernelspec ? kernel : info) = std::string(s);
        if (!valid) return std::string(kInvalid);
      } else if (!Check(f.value())) {
        return std::string(kInvalid);
      }
    }
  }
  std::string lang = !kernel.empty() ? kernel : !info.empty() ? info : plain;
  nb_->language = absl::AsciiStrToLower(lang);
  return "";
}

std::string IpynbReader::ReadCells(od::value cells) {
  od::json_type t;
  if (cells.type().get(t)) return std::string(kInvalid);
  if (t != od::json_type::array)
    return Check(cells) ? "'cells' is not a list" : std::string(kInvalid);
  od::array list;
  if (cells.get_array().get(list)) return std::string(kInvalid);
  for (auto cell_result : list) {
    od::value cell;
    if (std::move(cell_result).get(cell)) return std::string(kInvalid);
    auto index = static_cast<uint32_t>(nb_->cells.size() + 1);
    std::string problem = ReadCell(cell, index);
    if (!problem.empty()) return problem;
  }
  return "";
}

std::string IpynbReader::ReadCell(od::value value, uint32_t index) {
  od::json_type t;
  if (value.type().get(t)) return std::string(kInvalid);
  if (t != od::json_type::object) {
    return Check(value) ? absl::StrFormat("cell %d is not an object", index)
                        : std::string(kInvalid);
  }
  od::object obj;
  if (value.get_object().get(obj)) return std::string(kInvalid);
  Cell cell;
  cell.index = index;
  bool have_source = false;
  bool have_type = false;
  std::string deferred;  // a problem to report once the cell's JSON is known to be valid
  for (auto field_result : obj) {
    od::field field;
    if (std::move(field_result).get(field)) return std::string(kInvalid);
    od::raw_json_string key = field.key();  // compared raw: no unescaping
    od::value v = field.value();
    bool valid = true;
    if (key == "cell_type") {
      std::string_view type;
      if (GetString(v, &type, &valid)) {
        cell.type = std::string(type);
        have_type = true;
      } else if (valid && deferred.empty()) {
        deferred = absl::StrFormat("cell %d: 'cell_type' is not a string", index);
      }
    } else if ((key == "source" || key == "input") &&
               !(have_source && key == std::string_view("input"))) {
      if (have_source) {
        // A repeated "source": the last one wins, as in every JSON reader.
        nb_->buffer.resize(cell.begin);
        cell.raw_lines.clear();
      }
      std::string problem =
          ReadSource(v, &cell, key == std::string_view("source") ? "source" : "input");
      if (problem == kInvalid) return problem;
      if (!problem.empty() && deferred.empty()) {
        deferred = absl::StrFormat("cell %d: %s", index, problem);
      }
      have_source = true;
    } else if (key == "execution_count" || key == "prompt_number") {
      od::json_type et;
      if (v.type().get(et)) return std::string(kInvalid);
      int64_t n;
      if (et == od::json_type::null) {
        valid = Check(v);
      } else if (!v.get_int64().get(n)) {
        cell.execution_count = n;
      } else {
        valid = Check(v);
        if (valid && deferred.empty()) {
          deferred = absl::StrFormat(
              "cell %d: '%s' is %s, not an integer or null", index,
              key == std::string_view("prompt_number") ? "prompt_number" : "execution_count",
              TypeName(et));
        }
      }
    } else if (key == "outputs") {
      std::string problem = ReadOutputs(v, &cell);
      if (problem == kInvalid) return problem;
      if (!problem.empty() && deferred.empty()) {
        deferred = absl::StrFormat("cell %d: %s", index, problem);
      }
    } else if (key == "metadata") {
      od::json_type mt;
      if (v.type().get(mt)) return std::string(kInvalid);
      if (mt != od::json_type::object) {
        valid = Check(v);
      } else {
        od::object meta;
        if (v.get_object().get(meta)) return std::string(kInvalid);
        for (auto mf : meta) {
          od::field f;
          if (std::move(mf).get(f)) return std::string(kInvalid);
          od::raw_json_string k = f.key();
          od::json_type tt;
          if (f.value().type().get(tt)) return std::string(kInvalid);
          if (k != "tags" || tt != od::json_type::array) {
            if (!Check(f.value())) return std::string(kInvalid);
            continue;
          }
          od::array tags;
          if (f.value().get_array().get(tags)) return std::string(kInvalid);
          for (auto tag_result : tags) {
            od::value tag;
            std::string_view s;
            if (std::move(tag_result).get(tag)) return std::string(kInvalid);
            if (GetString(tag, &s, &valid)) cell.tags.emplace_back(s);
            if (!valid) return std::string(kInvalid);
          }
        }
      }
    } else {
      valid = Check(v);
    }
    if (!valid) return std::string(kInvalid);
  }
  if (!deferred.empty()) return deferred;
  if (!have_type) return absl::StrFormat("cell %d has no 'cell_type'", index);
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
  if (source.type().get(t)) return std::string(kInvalid);
  cell->begin = static_cast<Offset>(nb_->buffer.size());
  SourceBuilder builder(&nb_->buffer, &cell->raw_lines);
  auto append = [&](od::value item) -> std::string {
    std::string_view raw = item.raw_json_token();
    std::string_view text;
    if (item.get_string().get(text)) return "a source string has an invalid escape";
    if (nb_->buffer.size() + text.size() >= kMaxInputBytes) return "source too large";
    builder.Append(text, RawLineOf(text_.data() + (raw.data() - padded_base_)));
    return "";
  };
  std::string problem;
  if (t == od::json_type::string) {
    problem = append(source);
  } else if (t == od::json_type::array) {
    od::array items;
    if (source.get_array().get(items)) return std::string(kInvalid);
    size_t k = 0;
    for (auto item_result : items) {
      ++k;
      od::value item;
      od::json_type it;
      if (std::move(item_result).get(item) || item.type().get(it)) return std::string(kInvalid);
      if (it != od::json_type::string) {
        if (!Check(item)) return std::string(kInvalid);
        if (problem.empty()) {
          problem = absl::StrFormat("'%s' item %d is %s, not a string", std::string(field), k,
                                    TypeName(it));
        }
        continue;
      }
      if (problem.empty()) problem = append(item);
    }
  } else {
    if (!Check(source)) return std::string(kInvalid);
    problem = absl::StrFormat("'%s' must be a string or a list of strings, not %s",
                              std::string(field), TypeName(t));
  }
  cell->end = static_cast<Offset>(nb_->buffer.size());
  nb_->buffer.push_back('\n');
  return problem;
}

// Notes whether there are outputs and the first saved error; payloads are only checked.
std::string IpynbReader::ReadOutputs(od::value outputs, Cell* cell) {
  od::json_type t;
  if (outputs.type().get(t)) return std::string(kInvalid);
  if (t != od::json_type::array) {
    return Check(outputs) ? "'outputs' is not a list" : std::string(kInvalid);
  }
  od::array list;
  if (outputs.get_array().get(list)) return std::string(kInvalid);
  for (auto out_result : list) {
    cell->has_outputs = true;
    od::value out_value;
    od::json_type ot;
    if (std::move(out_result).get(out_value) || out_value.type().get(ot)) {
      return std::string(kInvalid);
    }
    if (ot != od::json_type::object) {
      if (!Check(out_value)) return std::string(kInvalid);
      continue;
    }
    od::object out;
    if (out_value.get_object().get(out)) return std::string(kInvalid);
    std::string_view type, ename, evalue;
    bool has_ename = false;
    for (auto field_result : out) {
      od::field field;
      std::string_view key;
      if (std::move(field_result).get(field) || field.unescaped_key().get(key)) {
        return std::string(kInvalid);
      }
      bool valid = true;
      if (key == "output_type") {
        GetString(field.value(), &type, &valid);
      } else if (key == "ename") {
        has_ename = GetString(field.value(), &ename, &valid);
      } else if (key == "evalue") {
        GetString(field.value(), &evalue, &valid);
      } else {
        valid = Check(field.value());
      }
      if (!valid) return std::string(kInvalid);
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
      // A last line that was a bare "#" leaves a trailing newline, not a line.
      size_t lines_in_source = 0;
      for (size_t k = 0; k < source.size(); ++k) lines_in_source += source[k] == '\n';
      if (!source.empty() && source.back() != '\n') ++lines_in_source;
      cell.raw_lines.resize(std::min(cell.raw_lines.size(), lines_in_source));
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
  std::string padded;
};

NotebookReader::NotebookReader() : impl_(std::make_unique<Impl>()) {}
NotebookReader::~NotebookReader() = default;

absl::StatusOr<Notebook> NotebookReader::Read(std::string path, std::string_view bytes,
                                              ReadErrorPosition* where, size_t readable_after) {
  static_assert(kReadPadding >= simdjson::SIMDJSON_PADDING);
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
  IpynbReader reader(&impl_->parser, &impl_->padded, text, readable_after >= kReadPadding, &nb);
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
