// Reading .ipynb with simdjson On-Demand (skipping output payloads), jupytext percent scripts
// and plain scripts into one cell buffer with a raw-line source map.
#include "driver/notebook.h"

#include <algorithm>
#include <bit>
#include <cstring>

#if defined(__AVX2__) || defined(__SSE2__)
#include <immintrin.h>
#endif

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
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

// Where '\n' and '\r' are in 64 bytes: bit i stands for p[i]. Reads exactly 64 bytes.
struct LineBreakMasks {
  uint64_t nl;
  uint64_t cr;
};

LineBreakMasks FindLineBreaks(const char* p) {
#if defined(__AVX2__)
  const __m256i nl = _mm256_set1_epi8('\n');
  const __m256i cr = _mm256_set1_epi8('\r');
  __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));
  auto mask = [](__m256i a, __m256i b, __m256i c) {
    return static_cast<uint64_t>(
               static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, c)))) |
           static_cast<uint64_t>(
               static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, c))))
               << 32;
  };
  return {mask(lo, hi, nl), mask(lo, hi, cr)};
#elif defined(__SSE2__)
  const __m128i nl = _mm_set1_epi8('\n');
  const __m128i cr = _mm_set1_epi8('\r');
  LineBreakMasks m = {0, 0};
  for (int k = 0; k < 4; ++k) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    m.nl |= static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl))))
            << (16 * k);
    m.cr |= static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, cr))))
            << (16 * k);
  }
  return m;
#else
  LineBreakMasks m = {0, 0};
  for (int i = 0; i < 64; ++i) {
    m.nl |= static_cast<uint64_t>(p[i] == '\n') << i;
    m.cr |= static_cast<uint64_t>(p[i] == '\r') << i;
  }
  return m;
#endif
}

// Bits below `n` (n <= 64).
uint64_t LowBits(size_t n) { return n >= 64 ? ~uint64_t{0} : (uint64_t{1} << n) - 1; }

// The line ends among 64 bytes: each "\n", and each "\r" not followed by "\n" ("\r\n" ends a
// line at its "\n"). `next_nl`: the byte after the 64 is '\n'.
uint64_t LineEnds(LineBreakMasks m, bool next_nl) {
  if (m.cr == 0) return m.nl;
  return m.nl | (m.cr & ~((m.nl >> 1) | (static_cast<uint64_t>(next_nl) << 63)));
}

// 1-based line numbers of offsets of the raw file, asked for in increasing order: line ends are
// counted 64 bytes at a time, once, as the offsets move forward (most of the bytes are output
// payloads between two source strings). The file must be readable up to 64 bytes past its end.
class RawLineCounter {
 public:
  void Reset(const char* data, size_t size) {
    data_ = data;
    size_ = size;
    block_ = 0;
    lines_ = 1;
    ends_ = Ends(0);
  }

  // The line holding data[offset], offset < size.
  uint32_t LineOf(size_t offset) {
    size_t block = offset / 64;
    if (block != block_) {
      if (block < block_) Reset(data_, size_);
      lines_ += static_cast<uint32_t>(std::popcount(ends_));
      if (block > block_ + 1) lines_ += LineEndsIn(block_ + 1, block);
      block_ = block;
      ends_ = Ends(block);
    }
    return lines_ + static_cast<uint32_t>(std::popcount(ends_ & LowBits(offset % 64)));
  }

 private:
  // The number of line ends in blocks [first, last), which lie inside the file.
  uint32_t LineEndsIn(size_t first, size_t last) const {
#if defined(__AVX2__)
    {
      // Most of these bytes are output payloads: '\n' is counted 64 bytes per step; '\r', rare,
      // is only noticed, and then the blocks are counted one by one.
      const __m256i nl = _mm256_set1_epi8('\n');
      const __m256i cr = _mm256_set1_epi8('\r');
      const __m256i zero = _mm256_setzero_si256();
      const char* p = data_ + first * 64;
      const char* end = data_ + last * 64;
      __m256i crs = zero;
      int64_t n = 0;
      while (p < end) {
        // Per-byte counters, at most 2 per step: summed before they can overflow.
        __m256i counts = zero;
        for (int step = 0; step < 127 && p < end; ++step, p += 64) {
          __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
          __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));
          counts = _mm256_sub_epi8(counts, _mm256_cmpeq_epi8(lo, nl));
          counts = _mm256_sub_epi8(counts, _mm256_cmpeq_epi8(hi, nl));
          crs = _mm256_or_si256(
              crs, _mm256_or_si256(_mm256_cmpeq_epi8(lo, cr), _mm256_cmpeq_epi8(hi, cr)));
        }
        __m256i sums = _mm256_sad_epu8(counts, zero);
        n += _mm256_extract_epi64(sums, 0) + _mm256_extract_epi64(sums, 1) +
             _mm256_extract_epi64(sums, 2) + _mm256_extract_epi64(sums, 3);
      }
      if (_mm256_testz_si256(crs, crs)) return static_cast<uint32_t>(n);
    }
#endif
    uint32_t n = 0;
    for (size_t block = first; block < last; ++block) {
      n += static_cast<uint32_t>(std::popcount(Ends(block)));
    }
    return n;
  }

  // Line ends in block `block`, none past the end of the file.
  uint64_t Ends(size_t block) const {
    size_t start = block * 64;
    if (start >= size_) return 0;
    LineBreakMasks m = FindLineBreaks(data_ + start);
    uint64_t valid = LowBits(size_ - start);
    m.nl &= valid;
    m.cr &= valid;
    return LineEnds(m, start + 64 < size_ && data_[start + 64] == '\n');
  }

  const char* data_ = nullptr;
  size_t size_ = 0;
  size_t block_ = 0;    // the block whose line ends are in ends_
  uint32_t lines_ = 1;  // 1 + the line ends before block_
  uint64_t ends_ = 0;
};

// The text of the JSON string starting at `s` (after its opening quote) when it holds no escape
// but a final "\n", as most lines of source do: copied to `out`, and its size returned; else
// SIZE_MAX, and the general unescaping does it. `token_size` bounds the string. Reads and writes
// 32 bytes at a time: up to 64 bytes past the closing quote are read (the JSON parser's padding),
// and `out` must have room for token_size + 32 bytes.
size_t UnescapeLine(const char* s, size_t token_size, char* out) {
#if defined(__AVX2__)
  const __m256i quote = _mm256_set1_epi8('"');
  const __m256i backslash = _mm256_set1_epi8('\\');
  for (size_t i = 0; i < token_size; i += 32) {
    __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + i));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), v);
    auto special = static_cast<uint32_t>(_mm256_movemask_epi8(
        _mm256_or_si256(_mm256_cmpeq_epi8(v, quote), _mm256_cmpeq_epi8(v, backslash))));
    if (special == 0) continue;
    size_t at = i + static_cast<size_t>(std::countr_zero(special));
    if (s[at] == '"') return at;
    if (s[at + 1] == 'n' && s[at + 2] == '"') {
      out[at] = '\n';
      return at + 1;
    }
    return SIZE_MAX;
  }
#endif
  return SIZE_MAX;
}

// One JSON string of a cell's source: the text it added, buffer[begin, end), and the offset of
// its opening quote in the raw file.
struct SourceItem {
  Offset begin;
  Offset end;
  size_t raw;
};

// Appends to *raw_lines, for each line of the source buffer[begin, end), the raw-file line of
// the string in which it starts. `items` cover [begin, end) in order. Lines end at "\n", "\r\n"
// and a lone "\r", also when a "\r\n" is split between two strings.
void MapSourceLines(std::string_view buffer, Offset begin, Offset end,
                    const std::vector<SourceItem>& items, RawLineCounter* counter,
                    std::vector<uint32_t>* raw_lines) {
  size_t item = 0;
  size_t item_of_line = SIZE_MAX;
  uint32_t line = 0;
  uint64_t carry = 1;  // a line starts at `begin`
  char tail[64];
  for (size_t k = begin; k < end; k += 64) {
    size_t n = std::min<size_t>(64, end - k);
    const char* p = buffer.data() + k;
    if (k + 64 > buffer.size()) {
      std::memset(tail, 0, sizeof tail);
      std::memcpy(tail, p, n);
      p = tail;
    }
    LineBreakMasks m = FindLineBreaks(p);
    uint64_t valid = LowBits(n);
    m.nl &= valid;
    m.cr &= valid;
    uint64_t ends = LineEnds(m, k + 64 < end && buffer[k + 64] == '\n');
    uint64_t starts = ((ends << 1) | carry) & valid;
    carry = ends >> 63;
    while (starts != 0) {
      size_t at = k + static_cast<size_t>(std::countr_zero(starts));
      starts &= starts - 1;
      while (items[item].end <= at) ++item;
      if (item != item_of_line) {
        line = counter->LineOf(items[item].raw);
        item_of_line = item;
      }
      raw_lines->push_back(line);
    }
  }
}

// Reads a notebook's JSON in one pass with simdjson On-Demand. Values the reader does not need
// (output payloads, metadata) are still walked, cheaply, so that invalid JSON anywhere is
// caught; a plain validator then says where.
class IpynbReader {
 public:
  // Buffers kept from one notebook to the next.
  struct Scratch {
    std::string padded;  // a copy of the input with simdjson's padding
    std::string source;  // the cells' source as it is built, with spare bytes after it
    std::vector<SourceItem> items;
    std::vector<uint32_t> raw_lines;  // every cell's, as Notebook::raw_lines
  };

  IpynbReader(od::parser* parser, Scratch* scratch, std::string_view text, bool in_place,
              Notebook* nb)
      : parser_(parser), scratch_(scratch), text_(text), in_place_(in_place), nb_(nb) {}

  // Returns an empty string on success, else the reason; *error_offset gets a position when
  // one is known. The notebook's buffer is filled on success only.
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

  // The source buffer: scratch_->source[0, source_size_), followed by at least `n` writable
  // bytes after this call.
  char* SourceSpace(size_t n) {
    std::string& s = scratch_->source;
    if (s.size() - source_size_ < n) s.resize(std::max(2 * s.size(), source_size_ + n));
    return s.data() + source_size_;
  }
  void PutNewline() {
    *SourceSpace(1) = '\n';
    ++source_size_;
  }

  od::parser* parser_;
  Scratch* scratch_;
  std::string_view text_;  // the JSON, BOM removed; the padded copy mirrors its offsets
  const char* padded_base_ = nullptr;
  bool in_place_;  // text_ is followed by readable padding: no copy needed
  Notebook* nb_;
  int depth_ = 0;  // nesting of Check()
  size_t source_size_ = 0;
  // Source strings come in file order, so their raw lines are counted forward.
  RawLineCounter line_counter_;
  bool have_nbformat_ = false;
  bool have_cells_ = false;
  std::string cell_language_;  // nbformat 3: the first code cell's "language"
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
    std::string& copy = scratch_->padded;
    if (copy.size() < text_.size() + simdjson::SIMDJSON_PADDING) {
      copy.resize(text_.size() + simdjson::SIMDJSON_PADDING + text_.size() / 2);
    }
    std::memcpy(copy.data(), text_.data(), text_.size());
    std::memset(copy.data() + text_.size(), 0, simdjson::SIMDJSON_PADDING);
    padded = simdjson::padded_string_view(copy.data(), text_.size(), copy.size());
  }
  padded_base_ = padded.data();
  line_counter_.Reset(padded_base_, text_.size());
  scratch_->raw_lines.clear();

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
  if (nb_->language.empty()) nb_->language = absl::AsciiStrToLower(cell_language_);
  nb_->buffer.assign(scratch_->source.data(), source_size_);
  nb_->raw_lines.assign(scratch_->raw_lines.begin(), scratch_->raw_lines.end());
  return {};
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
        source_size_ = 0;
        scratch_->raw_lines.clear();
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
  return {};
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
  return {};
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

// metadata.kernelspec.language, else metadata.language_info.name, else metadata.language, else
// the language of a Databricks export.
std::string IpynbReader::ReadMetadata(od::value metadata) {
  od::json_type t;
  if (metadata.type().get(t)) return std::string(kInvalid);
  if (t != od::json_type::object) return Check(metadata) ? "" : std::string(kInvalid);
  od::object obj;
  if (metadata.get_object().get(obj)) return std::string(kInvalid);
  std::string kernel, info, plain, databricks;
  bool valid = true;
  for (auto field_result : obj) {
    od::field field;
    if (std::move(field_result).get(field)) return std::string(kInvalid);
    od::raw_json_string key = field.key();  // compared raw: no unescaping
    bool kernelspec = key == std::string_view("kernelspec");
    bool databricks_export = key == std::string_view("application/vnd.databricks.v1+notebook");
    if (databricks_export) nb_->databricks = true;
    if (key == "language") {
      std::string_view s;
      if (GetString(field.value(), &s, &valid)) plain = std::string(s);
      if (!valid) return std::string(kInvalid);
      continue;
    }
    if (!kernelspec && !databricks_export && key != "language_info") {
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
      if (k == std::string_view(kernelspec || databricks_export ? "language" : "name")) {
        if (GetString(f.value(), &s, &valid)) {
          (kernelspec ? kernel : databricks_export ? databricks : info) = std::string(s);
        }
        if (!valid) return std::string(kInvalid);
      } else if (kernelspec && k == std::string_view("name")) {
        // pysparkkernel (sparkmagic), pyspark, apache_toree_pyspark: kernels that start Spark.
        if (GetString(f.value(), &s, &valid)) {
          const std::string name = absl::AsciiStrToLower(std::string(s));
          nb_->spark_kernel = absl::StrContains(name, "spark");
          nb_->python2_kernel |= name == "python2";
        }
        if (!valid) return std::string(kInvalid);
      } else if (!kernelspec && !databricks_export && k == std::string_view("version")) {
        // language_info.version: the Python that last ran the notebook.
        if (GetString(f.value(), &s, &valid)) nb_->python2_kernel |= s.starts_with("2.");
        if (!valid) return std::string(kInvalid);
      } else if (!Check(f.value())) {
        return std::string(kInvalid);
      }
    }
  }
  std::string lang = !kernel.empty()  ? kernel
                     : !info.empty()  ? info
                     : !plain.empty() ? plain
                                      : databricks;
  nb_->language = absl::AsciiStrToLower(lang);
  return {};
}

std::string IpynbReader::ReadCells(od::value cells) {
  od::json_type t;
  if (cells.type().get(t)) return std::string(kInvalid);
  if (t != od::json_type::array)
    return Check(cells) ? "'cells' is not a list" : std::string(kInvalid);
  od::array list;
  if (cells.get_array().get(list)) return std::string(kInvalid);
  // Room for most notebooks' cells (a Cell is moved whenever the vector grows).
  nb_->cells.reserve(nb_->cells.size() + 64);
  for (auto cell_result : list) {
    od::value cell;
    if (std::move(cell_result).get(cell)) return std::string(kInvalid);
    auto index = static_cast<uint32_t>(nb_->cells.size() + 1);
    std::string problem = ReadCell(cell, index);
    if (!problem.empty()) return problem;
  }
  return {};
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
  // Built in place; a cell with a problem fails the whole notebook.
  Cell& cell = nb_->cells.emplace_back();
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
        source_size_ = cell.begin;
        scratch_->raw_lines.resize(cell.raw_lines_begin);
      }
      std::string problem =
          ReadSource(v, &cell, key == std::string_view("source") ? "source" : "input");
      if (problem == kInvalid) return problem;
      if (!problem.empty() && deferred.empty()) {
        deferred = absl::StrFormat("cell %d: %s", index, problem);
      }
      have_source = true;
    } else if (key == "execution_count" || key == "prompt_number") {
      // null, or not a count ("prompt_number": "&nbsp;" in some nbformat 3 files, 1.5, "3"):
      // Jupyter opens such a notebook with a validation warning; the cell's count is unknown.
      int64_t n;
      if (!v.get_int64().get(n)) {
        cell.execution_count = n;
      } else {
        valid = Check(v);
      }
    } else if (key == "language") {
      // nbformat 3 code cells name their language (the metadata, when it says, wins).
      std::string_view language;
      if (GetString(v, &language, &valid) && cell_language_.empty()) {
        cell_language_ = std::string(language);
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
    cell.begin = cell.end = static_cast<Offset>(source_size_);
    PutNewline();
  }
  return {};
}

// "source": a string or a list of strings (nbformat 3 code cells: "input").
std::string IpynbReader::ReadSource(od::value source, Cell* cell, std::string_view field) {
  od::json_type t;
  if (source.type().get(t)) return std::string(kInvalid);
  cell->begin = static_cast<Offset>(source_size_);
  cell->source_line =
      line_counter_.LineOf(static_cast<size_t>(source.raw_json_token().data() - padded_base_));
  std::vector<SourceItem>& pieces = scratch_->items;
  pieces.clear();
  // Unescaped straight into the source buffer: the string with its quotes and the blanks after
  // it (the token) is at least as long as its text. Returns a problem, or an empty view.
  auto append = [&](od::value item) -> std::string_view {
    std::string_view token = item.raw_json_token();
    od::raw_json_string raw;
    if (item.get_raw_json_string().get(raw)) return kInvalid;
    if (source_size_ + token.size() >= kMaxInputBytes) return "source too large";
    char* dst = SourceSpace(token.size() + simdjson::SIMDJSON_PADDING);
    size_t size = UnescapeLine(raw.raw(), token.size(), dst);
    if (size == SIZE_MAX) {
      auto* end = reinterpret_cast<uint8_t*>(dst);
      std::string_view text;
      if (parser_->unescape(raw, end).get(text)) return "a source string has an invalid escape";
      size = text.size();
    }
    auto begin = static_cast<Offset>(source_size_);
    source_size_ += size;
    pieces.push_back({begin, static_cast<Offset>(source_size_),
                      static_cast<size_t>(token.data() - padded_base_)});
    return {};
  };
  std::string problem;
  if (t == od::json_type::string) {
    problem = append(source);  // empty, or a problem
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
      if (std::string_view p = problem.empty() ? append(item) : ""; !p.empty()) problem = p;
    }
  } else {
    if (!Check(source)) return std::string(kInvalid);
    problem = absl::StrFormat("'%s' must be a string or a list of strings, not %s",
                              std::string(field), TypeName(t));
  }
  cell->end = static_cast<Offset>(source_size_);
  PutNewline();
  std::vector<uint32_t>& lines = scratch_->raw_lines;
  cell->raw_lines_begin = static_cast<uint32_t>(lines.size());
  MapSourceLines(scratch_->source, cell->begin, cell->end, pieces, &line_counter_, &lines);
  cell->raw_lines_end = static_cast<uint32_t>(lines.size());
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
  return {};
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

// A line jupytext comments out because the notebook has it as a magic: "# %load_ext x",
// "# !pip install x", "# files = !ls", "# out = %sql ..." (the line without its comment), else
// empty.
// A comment line's text: the line after `prefix` and one blank ("# text" → "text").
std::string_view Uncommented(std::string_view line, std::string_view prefix = "#") {
  line.remove_prefix(std::min(line.size(), prefix.size()));
  if (line.starts_with(' ')) line.remove_prefix(1);
  return line;
}

std::string JoinLines(const std::vector<std::string_view>& lines) {
  std::string out;
  for (size_t k = 0; k < lines.size(); ++k) {
    if (k > 0) out.push_back('\n');
    out.append(lines[k]);
  }
  return out;
}

// Sets `cell` to `source`, text the reader makes (uncommented lines), which it keeps in
// `appended`: after the file's own `file_size` bytes and their newline in the buffer.
void SetMadeSource(std::string_view source, size_t file_size, std::string* appended, Cell* cell) {
  cell->begin = static_cast<Offset>(file_size + 1 + appended->size());
  appended->append(source);
  cell->end = static_cast<Offset>(file_size + 1 + appended->size());
  appended->push_back('\n');
}

std::string_view JupytextEscapedMagic(std::string_view line) {
  if (!line.starts_with('#')) return {};
  std::string_view rest = Uncommented(line);
  auto letter = [](std::string_view t, size_t at) {
    return at < t.size() && std::isalpha(static_cast<unsigned char>(t[at]));
  };
  size_t p = 0;
  if (rest.starts_with('!')) return rest.size() > 1 && rest[1] != ' ' ? rest : std::string_view();
  if (rest.starts_with('%')) {
    p = rest.starts_with("%%") ? 2 : 1;
    return letter(rest, p) ? rest : std::string_view();
  }
  // name = %magic / name = !command
  while (p < rest.size() && (std::isalnum(static_cast<unsigned char>(rest[p])) || rest[p] == '_')) {
    ++p;
  }
  if (p == 0 || std::isdigit(static_cast<unsigned char>(rest[0]))) return {};
  while (p < rest.size() && rest[p] == ' ') ++p;
  if (p >= rest.size() || rest[p] != '=' || rest.substr(p, 2) == "==") return {};
  ++p;
  while (p < rest.size() && rest[p] == ' ') ++p;
  if (p < rest.size() && (rest[p] == '%' || rest[p] == '!') &&
      letter(rest, p + 1 + (rest.substr(p, 2) == "%%"))) {
    return rest;
  }
  return {};
}

// Jupytext's marker of a cell in another language, `# %% magic_args="-o x" language="R"`: the
// cell magic it stands for ("%%R -o x"), or empty.
std::string JupytextCellMagic(std::string_view marker) {
  auto value = [&](std::string_view key) -> std::string_view {
    size_t at = marker.find(key);
    if (at == std::string_view::npos) return {};
    at += key.size();
    size_t end = marker.find('"', at);
    return end == std::string_view::npos ? std::string_view() : marker.substr(at, end - at);
  };
  std::string_view language = value("language=\"");
  if (language.empty() || language.find_first_of(" \\") != std::string_view::npos) return {};
  std::string magic = StrCat("%%", language);
  if (std::string_view args = value("magic_args=\""); !args.empty()) StrAppend(&magic, " ", args);
  return magic;
}

void ReadPercentScript(Notebook* nb) {
  std::string_view text = nb->buffer;  // code cells are slices of the decoded text
  auto lines = SplitLines(text);
  size_t i = 0;
  // A jupytext header: "# ---" ... "# ---" at the very top is notebook metadata.
  bool jupytext = false;
  if (!lines.empty() && StripTrailing(lines[0].second) == "# ---") {
    for (size_t k = 1; k < lines.size(); ++k) {
      if (StripTrailing(lines[k].second) == "# ---") {
        i = k + 1;
        break;
      }
      jupytext |= Strip(lines[k].second) == "#   jupytext:" || lines[k].second == "# jupytext:";
    }
  }
  struct Pending {
    Cell cell;
    size_t first = 0;        // first content line
    size_t last = 0;         // one past the last content line
    std::string cell_magic;  // jupytext's `language="R" magic_args="-o x"`: "%%R -o x"
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
    if (jupytext) current.cell_magic = JupytextCellMagic(rest);
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
    size_t raw_first = p.first;  // the raw line (0-based) of the source's first line
    size_t raw_lines = p.last - p.first;
    bool escaped = false;
    for (size_t k = p.first; jupytext && k < p.last && !escaped; ++k) {
      escaped = !JupytextEscapedMagic(lines[k].second).empty();
    }
    if (cell.IsCode() && !escaped && p.cell_magic.empty()) {
      cell.begin = static_cast<Offset>(p.first < lines.size() ? lines[p.first].first : all.size());
      cell.end =
          p.last > p.first
              ? static_cast<Offset>(lines[p.last - 1].first + lines[p.last - 1].second.size())
              : cell.begin;
    } else if (cell.IsCode()) {
      // Jupytext comments out magics ("# %load_ext x", "# files = !ls") and the body of a
      // cell in another language (after `# %% language="R"`): the notebook has them as such.
      std::vector<std::string_view> parts;
      if (!p.cell_magic.empty()) {
        parts.push_back(p.cell_magic);
        --raw_first;  // the marker's line
        ++raw_lines;
      }
      for (size_t k = p.first; k < p.last; ++k) {
        std::string_view line = lines[k].second;
        std::string_view magic = JupytextEscapedMagic(line);
        parts.push_back(!magic.empty() ? magic : !p.cell_magic.empty() ? Uncommented(line) : line);
      }
      SetMadeSource(JoinLines(parts), all.size(), &appended, &cell);
    } else {
      // Markdown and raw cells are comments: "# text" → "text".
      std::vector<std::string_view> parts;
      for (size_t k = p.first; k < p.last; ++k) parts.push_back(Uncommented(lines[k].second));
      const std::string source = JoinLines(parts);
      // A last line that was a bare "#" leaves a trailing newline, not a line.
      size_t lines_in_source = 0;
      for (size_t k = 0; k < source.size(); ++k) lines_in_source += source[k] == '\n';
      if (!source.empty() && source.back() != '\n') ++lines_in_source;
      raw_lines = std::min(raw_lines, lines_in_source);
      SetMadeSource(source, all.size(), &appended, &cell);
    }
    cell.raw_lines_begin = static_cast<uint32_t>(nb->raw_lines.size());
    for (size_t k = raw_first; k < raw_first + raw_lines; ++k) {
      nb->raw_lines.push_back(static_cast<uint32_t>(k + 1));
    }
    cell.raw_lines_end = static_cast<uint32_t>(nb->raw_lines.size());
    out.push_back(std::move(cell));
  }
  nb->buffer.push_back('\n');
  nb->buffer.append(appended);
  nb->cells = std::move(out);
}

// Notebooks exported as Python source by Databricks ("# Databricks notebook source", cells
// between "# COMMAND ----------" lines) and Microsoft Fabric ("# Fabric notebook source", cells
// after "# CELL ****..." and "# MARKDOWN ****..." lines, their metadata after "# METADATA
// ****..." lines). A cell whose every line is "# MAGIC ..." is the magic cell those lines
// comment out (%md, %sql, %run ./other, %%sql).
enum class ExportedCell : uint8_t { kNone, kCode, kMarkdown, kMetadata };

ExportedCell ExportSeparator(bool fabric, std::string_view line) {
  line = StripTrailing(line);
  if (!fabric) return line == "# COMMAND ----------" ? ExportedCell::kCode : ExportedCell::kNone;
  auto starred = [&](std::string_view word) {
    return line.starts_with(word) && line.size() > word.size() + 1 &&
           line.substr(word.size()).find_first_not_of(" *") == std::string_view::npos;
  };
  if (starred("# CELL") || starred("# PARAMETERS CELL")) return ExportedCell::kCode;
  if (starred("# MARKDOWN")) return ExportedCell::kMarkdown;
  if (starred("# METADATA")) return ExportedCell::kMetadata;
  return ExportedCell::kNone;
}

void ReadExportedSource(Notebook* nb, bool fabric) {
  std::string_view all = nb->buffer;
  auto lines = SplitLines(all);
  std::string appended;
  // The cell of lines [first, last) of kind `kind`.
  auto add = [&](size_t first, size_t last, ExportedCell kind) {
    while (first < last && Strip(lines[first].second).empty()) ++first;
    while (last > first && Strip(lines[last - 1].second).empty()) --last;
    if (first == last || kind == ExportedCell::kMetadata) return;
    auto commented = [&](std::string_view prefix) {
      for (size_t k = first; k < last; ++k) {
        std::string_view line = lines[k].second;
        if (!Strip(line).empty() && !line.starts_with(prefix)) return false;
      }
      return true;
    };
    std::string_view prefix = kind == ExportedCell::kMarkdown ? "#" : "# MAGIC";
    const bool uncomment = kind == ExportedCell::kMarkdown || commented(prefix);
    Cell cell;
    cell.index = static_cast<uint32_t>(nb->cells.size() + 1);
    cell.type = kind == ExportedCell::kMarkdown ? "markdown" : "code";
    if (!uncomment) {
      cell.begin = static_cast<Offset>(lines[first].first);
      cell.end = static_cast<Offset>(lines[last - 1].first + lines[last - 1].second.size());
    } else {
      std::vector<std::string_view> parts;
      for (size_t k = first; k < last; ++k) parts.push_back(Uncommented(lines[k].second, prefix));
      SetMadeSource(JoinLines(parts), all.size(), &appended, &cell);
    }
    cell.raw_lines_begin = static_cast<uint32_t>(nb->raw_lines.size());
    for (size_t k = first; k < last; ++k) nb->raw_lines.push_back(static_cast<uint32_t>(k + 1));
    cell.raw_lines_end = static_cast<uint32_t>(nb->raw_lines.size());
    nb->cells.push_back(std::move(cell));
  };
  // Line 0 is the header; Fabric's first cells start at their separators.
  size_t first = 1;
  ExportedCell kind = fabric ? ExportedCell::kMetadata : ExportedCell::kCode;
  for (size_t k = 1; k < lines.size(); ++k) {
    const ExportedCell next = ExportSeparator(fabric, lines[k].second);
    if (next == ExportedCell::kNone) continue;
    add(first, k, kind);
    first = k + 1;
    kind = next;
  }
  add(first, lines.size(), kind);
  nb->buffer.push_back('\n');
  nb->buffer.append(appended);
}

void ReadScript(Notebook* nb) {
  Cell cell;
  cell.index = 1;
  cell.type = "code";
  cell.begin = 0;
  cell.end = static_cast<Offset>(nb->buffer.size());
  auto lines = SplitLines(nb->buffer);
  for (size_t k = 0; k < lines.size(); ++k) nb->raw_lines.push_back(static_cast<uint32_t>(k + 1));
  cell.raw_lines_end = static_cast<uint32_t>(nb->raw_lines.size());
  nb->cells.push_back(std::move(cell));
  nb->buffer.push_back('\n');
}

}  // namespace

bool Notebook::IsPython() const {
  // sparkmagic's PySpark kernel names its language "pyspark": Python, run in a Spark session.
  return language.empty() || language == "python" || language.rfind("python", 0) == 0 ||
         language == "ipython" || language.rfind("pyspark", 0) == 0;
}

std::string_view CellMagicName(std::string_view source) {
  size_t at = source.find_first_not_of(" \t\r\n");
  if (at == std::string_view::npos || source.substr(at, 2) != "%%") return {};
  size_t e = at + 2;
  while (e < source.size() &&
         (std::isalnum(static_cast<unsigned char>(source[e])) || source[e] == '_')) {
    ++e;
  }
  return source.substr(at + 2, e - at - 2);
}

bool IsPythonCellMagic(std::string_view name) {
  return name == "time" || name == "timeit" || name == "capture" || name == "prun" ||
         name == "debug" || name == "memit" || name == "mprun";
}

namespace {

// `bytes` start with a JSON object, after blanks and a byte-order mark.
bool StartsWithJsonObject(std::string_view bytes) {
  const size_t first = bytes.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  return first != std::string_view::npos && bytes[first] == '{';
}

}  // namespace

bool LooksLikeNotebookJson(std::string_view bytes) {
  return StartsWithJsonObject(bytes) && bytes.find("\"nbformat\"") != std::string_view::npos &&
         bytes.find("\"cells\"") != std::string_view::npos;
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
  IpynbReader::Scratch scratch;
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
  // Any other name is a notebook if it holds JSON; a .py name only if that JSON is a
  // notebook's (saved under that name).
  const bool ipynb =
      EndsWith(nb.path, ".ipynb") ||
      (EndsWith(nb.path, ".py") ? LooksLikeNotebookJson(bytes) : StartsWithJsonObject(bytes));
  if (!ipynb) {
    DecodedSource decoded = DecodeSource(bytes);
    nb.buffer = std::move(decoded.text);
    nb.decode_problems = std::move(decoded.problems);
    const std::string_view header =
        StripTrailing(std::string_view(nb.buffer).substr(0, nb.buffer.find('\n')));
    if (header == "# Databricks notebook source" || header == "# Fabric notebook source") {
      // Both run their notebooks in a Spark session; Databricks' also has its own names.
      const bool fabric = header[2] == 'F';
      nb.format = NotebookFormat::kPercentScript;
      nb.databricks = !fabric;
      nb.spark_kernel = fabric;
      ReadExportedSource(&nb, fabric);
    } else if (IsPercentScript(nb.buffer)) {
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
  IpynbReader reader(&impl_->parser, &impl_->scratch, text, readable_after >= kReadPadding, &nb);
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
