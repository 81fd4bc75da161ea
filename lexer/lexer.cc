// Python tokenizer following CPython's Parser/tokenizer.c: indentation, brackets, strings,
// PEP 701 f-strings and IPython escapes, with error tokens instead of stopping.
#include "lexer/lexer.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <iterator>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_format.h"

#include "lexer/cell_cleanup.h"
#include "lexer/source.h"
#include "lexer/str_util.h"
#include "lexer/unicode.h"

namespace cellflow {

namespace {

constexpr std::string_view kSpellings[] = {
#define TOKEN(name, text) text,
#define PUNCT(name, text) text,
#define KEYWORD(name, text) text,
#include "lexer/token_kinds.def"
};

constexpr std::string_view kNames[] = {
#define TOKEN(name, text) #name,
#define PUNCT(name, text) #name,
#define KEYWORD(name, text) #name,
#include "lexer/token_kinds.def"
};

inline bool IsAsciiIdentStart(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
inline bool IsAsciiIdentChar(unsigned char c) {
  return IsAsciiIdentStart(c) || (c >= '0' && c <= '9');
}
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsHexDigit(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Hard keywords by spelling. Only ASCII names reach this.
TokenKind KeywordOrName(std::string_view s) {
  switch (s.size()) {
    case 2:
      if (s == "if") return TokenKind::kIf;
      if (s == "in") return TokenKind::kIn;
      if (s == "is") return TokenKind::kIs;
      if (s == "or") return TokenKind::kOr;
      if (s == "as") return TokenKind::kAs;
      break;
    case 3:
      if (s == "def") return TokenKind::kDef;
      if (s == "for") return TokenKind::kFor;
      if (s == "and") return TokenKind::kAnd;
      if (s == "not") return TokenKind::kNot;
      if (s == "del") return TokenKind::kDel;
      if (s == "try") return TokenKind::kTry;
      break;
    case 4:
      if (s == "None") return TokenKind::kNone;
      if (s == "True") return TokenKind::kTrue;
      if (s == "else") return TokenKind::kElse;
      if (s == "elif") return TokenKind::kElif;
      if (s == "from") return TokenKind::kFrom;
      if (s == "pass") return TokenKind::kPass;
      if (s == "with") return TokenKind::kWith;
      break;
    case 5:
      if (s == "False") return TokenKind::kFalse;
      if (s == "class") return TokenKind::kClass;
      if (s == "while") return TokenKind::kWhile;
      if (s == "yield") return TokenKind::kYield;
      if (s == "break") return TokenKind::kBreak;
      if (s == "raise") return TokenKind::kRaise;
      if (s == "async") return TokenKind::kAsync;
      if (s == "await") return TokenKind::kAwait;
      break;
    case 6:
      if (s == "import") return TokenKind::kImport;
      if (s == "return") return TokenKind::kReturn;
      if (s == "lambda") return TokenKind::kLambda;
      if (s == "global") return TokenKind::kGlobal;
      if (s == "assert") return TokenKind::kAssert;
      if (s == "except") return TokenKind::kExcept;
      break;
    case 7:
      if (s == "finally") return TokenKind::kFinally;
      break;
    case 8:
      if (s == "continue") return TokenKind::kContinue;
      if (s == "nonlocal") return TokenKind::kNonlocal;
      break;
  }
  return TokenKind::kName;
}

class Lexer {
 public:
  Lexer(std::string_view buffer, Offset begin, Offset end, const LexOptions& options,
        LexResult* result)
      : buf_(buffer.data()),
        begin_(begin),
        end_(end),
        pos_(begin),
        options_(options),
        toks_(&result->tokens),
        errs_(&result->errors) {
    if (options.ipython) {
      cleanup_ = FindCellCleanup(buffer, begin, end);
      cleanup_active_ = cleanup_.active();
    }
  }

  void Run();

 private:
  // What an open bracket or string means for the text that follows it.
  struct Mode {
    enum Kind : uint8_t { kBracket, kFString, kReplacement };
    Kind kind;
    char open;     // kBracket: '(', '[' or '{'
    char quote;    // kFString: the quote character
    bool triple;   // kFString: triple-quoted
    bool raw;      // kFString: raw prefix
    bool in_spec;  // kReplacement: after the top-level ':' (reading a format spec)
    Offset start;  // where the bracket or string opened
  };

  // ---- helpers
  char Peek(size_t ahead = 0) const { return pos_ + ahead < end_ ? buf_[pos_ + ahead] : '\0'; }
  bool AtEnd() const { return pos_ >= end_; }
  bool IsNewlineAt(size_t p) const { return p < end_ && (buf_[p] == '\n' || buf_[p] == '\r'); }
  // Length of the line terminator at p (1 or 2), 0 if none.
  size_t NewlineLength(size_t p) const {
    if (p >= end_) return 0;
    if (buf_[p] == '\n') return 1;
    if (buf_[p] == '\r') return (p + 1 < end_ && buf_[p + 1] == '\n') ? 2 : 1;
    return 0;
  }
  uint32_t LineOf(size_t p) const {
    uint32_t line = 1;
    for (size_t i = begin_; i < p && i < end_; ++i) {
      if (buf_[i] == '\n') {
        ++line;
      } else if (buf_[i] == '\r') {
        if (i + 1 < end_ && buf_[i + 1] == '\n') ++i;
        ++line;
      }
    }
    return line;
  }

  void Emit(TokenKind kind, size_t start, size_t end, uint8_t flags = 0) {
    toks_->push_back(Token{static_cast<Offset>(start), static_cast<Offset>(end), kind, flags});
  }
  void Error(size_t start, size_t end, std::string message,
             SyntaxErrorKind kind = SyntaxErrorKind::kSyntax) {
    errs_->push_back(SyntaxDiagnostic{static_cast<Offset>(start), static_cast<Offset>(end), kind,
                                      std::move(message),
                                      static_cast<Offset>(std::max(pos_, end))});
  }
  // An error token over [start, end) with a message; the lexer goes on after it.
  void ErrorToken(size_t start, size_t end, std::string message,
                  SyntaxErrorKind kind = SyntaxErrorKind::kSyntax) {
    if (end <= start) end = start + 1;
    if (end > end_) end = end_;
    Emit(TokenKind::kUnknown, start, end);
    Error(start, end, std::move(message), kind);
  }

  bool InsideBrackets() const { return !modes_.empty(); }
  // The innermost f-string (for the rules on what its replacement fields may contain).
  const Mode* InnermostFString() const {
    for (auto it = modes_.rbegin(); it != modes_.rend(); ++it) {
      if (it->kind == Mode::kFString) return &*it;
    }
    return nullptr;
  }
  bool LastTokenEndsLine() const {
    if (toks_->empty()) return true;
    TokenKind k = toks_->back().kind;
    return k == TokenKind::kNewline || k == TokenKind::kIndent || k == TokenKind::kDedent;
  }

  // ---- scanning
  void AtLineStart();
  bool ScanIpythonEscape(size_t line_start);
  bool IsAutomagicLine() const;
  void ScanToken();
  void ScanName();
  void ScanNumber();
  bool ScanStringPrefix(size_t start);
  void ScanString(size_t start, size_t prefix_end, uint8_t flags);
  void ScanFStringText(Mode* fstring);
  void ScanFormatSpec();
  void ScanOperator();
  void OpenBracket(char c);
  void CloseBracket(char c);
  void ScanEscapeToEndOfLine(size_t start);
  void Finish();
  bool CheckNumberEnd(size_t start, const char* kind);
  void ValidateStringEscapes(size_t body_start, size_t body_end, bool bytes);

  // Immutable state.
  const char* buf_;
  const size_t begin_;
  const size_t end_;
  size_t pos_;
  const LexOptions options_;
  std::vector<Token>* toks_;
  std::vector<SyntaxDiagnostic>* errs_;

  // Scanning state.
  bool at_bol_ = true;                        // at the start of a physical line outside brackets
  int indent_ = 0;                            // top of the indentation stacks
  int col_stack_[kMaxIndentLevels] = {0};     // columns with tabs to multiples of 8
  int altcol_stack_[kMaxIndentLevels] = {0};  // columns with tabs as 1 (consistency check)
  int bracket_level_ = 0;                     // open brackets and replacement fields
  int fstring_level_ = 0;                     // open f-strings
  int bracket_overflow_ = 0;  // brackets opened past kMaxBracketLevels, not in modes_
  // Open brackets and f-strings, innermost last; most code nests a few deep.
  absl::InlinedVector<Mode, 16> modes_;
  // IPython's cleanup of the cell: skipped at the start of each line.
  CellCleanup cleanup_;
  bool cleanup_active_ = false;
  // At the start of a line: past what the cleanup removes from it.
  void SkipCleanup() {
    if (cleanup_active_ && !AtEnd()) pos_ = cleanup_.Skip(std::string_view(buf_, end_), pos_, end_);
  }
};

void Lexer::Run() {
  // A generous first guess: real Python has about one token per 4-5 bytes.
  toks_->reserve(toks_->size() + (end_ - begin_) / 4 + 16);
  while (true) {
    if (at_bol_) {
      AtLineStart();
      if (AtEnd()) break;
      continue;
    }
    if (!modes_.empty()) {
      Mode& top = modes_.back();
      if (top.kind == Mode::kFString) {
        ScanFStringText(&top);
        continue;
      }
      if (top.kind == Mode::kReplacement && top.in_spec) {
        ScanFormatSpec();
        continue;
      }
    }
    if (AtEnd()) break;
    ScanToken();
  }
  Finish();
}

// Handles the start of a physical line outside brackets: measures indentation, skips blank
// and comment-only lines, and emits INDENT/DEDENT (CPython's tok_get "Get indentation level").
void Lexer::AtLineStart() {
  size_t line_start = pos_;
  SkipCleanup();
  int col = 0;
  int altcol = 0;
  while (!AtEnd()) {
    char c = buf_[pos_];
    if (c == ' ') {
      ++col, ++altcol;
    } else if (c == '\t') {
      col = (col / kTabSize + 1) * kTabSize;
      altcol = altcol + 1;
    } else if (c == '\f') {
      col = altcol = 0;
    } else {
      break;
    }
    ++pos_;
  }
  if (AtEnd()) return;
  char c = buf_[pos_];
  if (c == '#' || c == '\n' || c == '\r') {
    // A blank line: no indentation change. Skip the comment and the line end.
    while (!AtEnd() && !IsNewlineAt(pos_)) ++pos_;
    pos_ += NewlineLength(pos_);
    return;
  }
  at_bol_ = false;

  // Indentation relative to the stack.
  if (col == col_stack_[indent_]) {
    if (altcol != altcol_stack_[indent_]) {
      ErrorToken(line_start, pos_, "inconsistent use of tabs and spaces in indentation",
                 SyntaxErrorKind::kTab);
    }
  } else if (col > col_stack_[indent_]) {
    if (indent_ + 1 >= kMaxIndentLevels) {
      ErrorToken(line_start, pos_, "too many levels of indentation", SyntaxErrorKind::kIndentation);
    } else if (altcol <= altcol_stack_[indent_]) {
      ErrorToken(line_start, pos_, "inconsistent use of tabs and spaces in indentation",
                 SyntaxErrorKind::kTab);
    } else {
      ++indent_;
      col_stack_[indent_] = col;
      altcol_stack_[indent_] = altcol;
      Emit(TokenKind::kIndent, line_start, pos_);
    }
  } else {
    while (indent_ > 0 && col < col_stack_[indent_]) {
      --indent_;
      Emit(TokenKind::kDedent, pos_, pos_);
    }
    if (col != col_stack_[indent_]) {
      ErrorToken(line_start, pos_, "unindent does not match any outer indentation level",
                 SyntaxErrorKind::kIndentation);
    } else if (altcol != altcol_stack_[indent_]) {
      ErrorToken(line_start, pos_, "inconsistent use of tabs and spaces in indentation",
                 SyntaxErrorKind::kTab);
    }
  }

  if (options_.ipython) ScanIpythonEscape(pos_);
}

// In IPython mode, a logical line that starts with %, %%, !, !!, ?, ?? or ends with ? or ??
// after a dotted name is one escape token. Returns true if one was emitted.
bool Lexer::ScanIpythonEscape(size_t start) {
  char c = Peek();
  // '/', ',' and ';' start IPython's autocall (`/f x` is `f(x)`); no Python line starts so.
  if (c == '%' || c == '!' || c == '?' || c == '/' || c == ',' || c == ';') {
    ScanEscapeToEndOfLine(start);
    return true;
  }
  if (IsAutomagicLine()) {
    ScanEscapeToEndOfLine(start);
    return true;
  }
  // obj?, obj.attr??, np.*load*? : a help request on a (wildcard) dotted name.
  size_t p = pos_;
  while (p < end_ &&
         (IsAsciiIdentChar(static_cast<unsigned char>(buf_[p])) ||
          static_cast<unsigned char>(buf_[p]) >= 0x80 || buf_[p] == '.' || buf_[p] == '*'))
    ++p;
  if (p == pos_ || p >= end_ || buf_[p] != '?') return false;
  size_t q = p;
  while (q < end_ && buf_[q] == '?') ++q;
  if (q - p > 2) return false;
  while (q < end_ && (buf_[q] == ' ' || buf_[q] == '\t')) ++q;
  if (q < end_ && !IsNewlineAt(q)) return false;
  ScanEscapeToEndOfLine(start);
  return true;
}

// IPython's automagic: "ls -la", "cd data", "pip install x", "run script.py" work without the
// '%' when the word is a line magic and the cell is that one line (IPython applies its dynamic
// transformations to single-line cells only). Python code that merely starts with such a word ("ls
// = 3", "cd.x", "run(x)", "pwd == p") is left alone; so are names that are not shell-like magics.
bool Lexer::IsAutomagicLine() const {
  auto blank = [this](size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) {
      char c = buf_[i];
      if (c != ' ' && c != '\t' && c != '\f' && c != '\n' && c != '\r') return false;
    }
    return true;
  };
  if (!blank(begin_, pos_)) return false;
  size_t line_end = pos_;
  while (line_end < end_ && !IsNewlineAt(line_end)) ++line_end;
  if (!blank(line_end, end_)) return false;
  size_t p = pos_;
  while (p < end_ && IsAsciiIdentChar(static_cast<unsigned char>(buf_[p]))) ++p;
  std::string_view word(buf_ + pos_, p - pos_);
  if (!IsAutomagicName(word)) return false;
  if (p >= end_ || IsNewlineAt(p)) return true;  // the word alone: "ls", "pwd"
  if (buf_[p] != ' ' && buf_[p] != '\t') return false;
  while (p < end_ && (buf_[p] == ' ' || buf_[p] == '\t')) ++p;
  if (p >= end_ || IsNewlineAt(p) || buf_[p] == '#') return true;
  char c = buf_[p];
  char c1 = p + 1 < end_ ? buf_[p + 1] : '\0';
  // Python continues with an operator, a call, an attribute, an assignment...
  if (c == '=' || c == '(' || c == '[' || c == ',' || c == ':' || c == ')' || c == ';') {
    return false;
  }
  if (c == '.' && c1 != '.' && c1 != '/') return false;  // "ls ../data" is a path
  if (c1 == '=' && std::string_view("+-*/%&|^<>!@").find(c) != std::string_view::npos) {
    return false;
  }
  // "ls -la" is also "ls - la" in Python, and "cd /content/data" a division; IPython runs the
  // magic, and so do we. But a binary operator followed by a space ("cd + 1") is Python, and
  // so is "ls //2".
  if (c == '/' && c1 != ' ' && c1 != '\t' && c1 != '/') return true;
  if (std::string_view("+*/%&|^<>@").find(c) != std::string_view::npos) return false;
  if (c == '-' && (c1 == ' ' || c1 == '\t')) return false;
  // Keywords that make it Python: "ls if x else y", "run in cmds", "cd is None", ...
  std::string_view rest(buf_ + p, end_ - p);
  for (std::string_view kw : {"if ", "else", "in ", "is ", "and ", "or ", "not ", "for "}) {
    if (rest.substr(0, kw.size()) == kw) return false;
  }
  return true;
}

// Emits the rest of the physical line (and the lines a trailing backslash joins to it) as one
// IPython escape token.
void Lexer::ScanEscapeToEndOfLine(size_t start) {
  while (!AtEnd()) {
    if (IsNewlineAt(pos_)) {
      if (pos_ > start && buf_[pos_ - 1] == '\\') {
        pos_ += NewlineLength(pos_);
        continue;
      }
      break;
    }
    ++pos_;
  }
  Emit(TokenKind::kIpyEscape, start, pos_);
}

void Lexer::ScanToken() {
  // Skip white space.
  while (!AtEnd() && (buf_[pos_] == ' ' || buf_[pos_] == '\t' || buf_[pos_] == '\f')) ++pos_;
  if (AtEnd()) return;
  size_t start = pos_;
  auto c = static_cast<unsigned char>(buf_[pos_]);

  if (c == '#') {
    const Mode* fs = InnermostFString();
    if (fs != nullptr && !fs->triple) {
      // The comment would swallow the closing quote.
      ErrorToken(start, start + 1, "f-string expression part cannot include '#'");
      ++pos_;
      return;
    }
    while (!AtEnd() && !IsNewlineAt(pos_)) ++pos_;
    return;
  }
  if (c == '\n' || c == '\r') {
    size_t len = NewlineLength(pos_);
    pos_ += len;
    if (InsideBrackets()) {  // implicit line joining
      SkipCleanup();
      return;
    }
    Emit(TokenKind::kNewline, start, pos_);
    at_bol_ = true;
    return;
  }
  if (c == '\\') {
    size_t len = NewlineLength(pos_ + 1);
    if (len != 0) {
      pos_ += 1 + len;
      SkipCleanup();
      if (AtEnd()) ErrorToken(start, start + 1, "unexpected EOF while parsing");
      return;
    }
    if (pos_ + 1 >= end_) {
      ++pos_;
      ErrorToken(start, pos_, "unexpected EOF while parsing");
      return;
    }
    ++pos_;
    ErrorToken(start, pos_, "unexpected character after line continuation character");
    return;
  }
  if (IsAsciiIdentStart(c) || c >= 0x80) {
    if (ScanStringPrefix(start)) return;
    ScanName();
    return;
  }
  if (IsDigit(static_cast<char>(c)) || (c == '.' && IsDigit(Peek(1)))) {
    ScanNumber();
    return;
  }
  if (c == '"' || c == '\'') {
    ScanString(start, start, 0);
    return;
  }
  if (options_.ipython && (c == '!' || c == '%') && !toks_->empty() &&
      toks_->back().kind == TokenKind::kEqual && modes_.empty()) {
    // x = !cmd, x = %magic: the right-hand side is an escape.
    ScanEscapeToEndOfLine(start);
    return;
  }
  ScanOperator();
}

// Identifiers: ASCII fast path; non-ASCII text is NFKC-checked like CPython's
// verify_identifier().
void Lexer::ScanName() {
  size_t start = pos_;
  bool non_ascii = false;
  while (!AtEnd()) {
    auto c = static_cast<unsigned char>(buf_[pos_]);
    if (IsAsciiIdentChar(c)) {
      ++pos_;
    } else if (c >= 0x80) {
      non_ascii = true;
      ++pos_;
    } else {
      break;
    }
  }
  std::string_view text(buf_ + start, pos_ - start);
  if (!non_ascii) {
    Emit(KeywordOrName(text), start, pos_);
    return;
  }
  size_t invalid = FindInvalidUtf8(text);
  if (invalid != text.size()) {
    ErrorToken(start, pos_, Utf8ErrorMessage(text, invalid));
    return;
  }
  // Each character as written must be one an identifier may hold (XID_Start, then
  // XID_Continue): `R²` is an error though NFKC makes it `R2`. Only a valid name is normalized
  // (where the parser reads its text).
  uint32_t bad = 0;
  size_t at = 0;
  if (IsValidIdentifier(text, &bad, &at)) {
    Emit(TokenKind::kName, start, pos_, kFlagNonAscii);
    return;
  }
  // The error is the character itself (`print（1）`: the '（' at column 6).
  const size_t bad_start = start + at;
  size_t bad_end = bad_start + 1;
  while (bad_end < pos_ && (static_cast<unsigned char>(buf_[bad_end]) & 0xC0) == 0x80) ++bad_end;
  if (IsPrintable(bad)) {
    std::string ch;
    AppendCodePoint(bad, &ch);
    ErrorToken(bad_start, bad_end, absl::StrFormat("invalid character '%s' (U+%04X)", ch, bad));
  } else {
    ErrorToken(bad_start, bad_end, absl::StrFormat("invalid non-printable character U+%04X", bad));
  }
}

// After a number, CPython rejects an identifier character unless a keyword that may follow a
// literal starts there (1if x else y). Returns false after reporting.
bool Lexer::CheckNumberEnd(size_t start, const char* kind) {
  if (AtEnd()) return true;
  // Not a letter after it: a non-ASCII character ends the number (CPython 3.11 then reads it as
  // the start of a name: `1，2` is "invalid character", `1ä` a name after a number).
  auto c = static_cast<unsigned char>(buf_[pos_]);
  if (!IsAsciiIdentChar(c)) return true;
  static constexpr std::string_view kAllowed[] = {"and", "else", "for", "if",
                                                  "in",  "is",   "not", "or"};
  std::string_view rest(buf_ + pos_, end_ - pos_);
  for (std::string_view kw : kAllowed) {
    if (rest.substr(0, kw.size()) == kw) return true;
  }
  while (!AtEnd() && (IsAsciiIdentChar(static_cast<unsigned char>(buf_[pos_])) ||
                      static_cast<unsigned char>(buf_[pos_]) >= 0x80))
    ++pos_;
  ErrorToken(start, pos_, StrCat("invalid ", kind, " literal"));
  return false;
}

// Numbers per the reference manual's "Integer literals", "Floating-point literals" and
// "Imaginary literals", with CPython's messages for the common mistakes.
void Lexer::ScanNumber() {
  size_t start = pos_;
  // Reads digits with single underscores between them; returns false on a misplaced '_'.
  auto digits = [this](bool (*is_digit)(char)) -> bool {
    while (!AtEnd()) {
      if (is_digit(buf_[pos_])) {
        ++pos_;
      } else if (buf_[pos_] == '_') {
        if (pos_ + 1 >= end_ || !is_digit(buf_[pos_ + 1])) {
          ++pos_;
          return false;
        }
        ++pos_;
      } else {
        break;
      }
    }
    return true;
  };
  auto is_dec = [](char c) { return IsDigit(c); };

  if (Peek() == '0' && (Peek(1) == 'x' || Peek(1) == 'X' || Peek(1) == 'o' || Peek(1) == 'O' ||
                        Peek(1) == 'b' || Peek(1) == 'B')) {
    char base = static_cast<char>(Peek(1) | 0x20);
    pos_ += 2;
    bool (*is_digit)(char) = base == 'x'   ? [](char c) { return IsHexDigit(c); }
                             : base == 'o' ? [](char c) { return c >= '0' && c <= '7'; }
                                           : [](char c) { return c == '0' || c == '1'; };
    const char* name = base == 'x' ? "hexadecimal" : base == 'o' ? "octal" : "binary";
    if (Peek() == '_') ++pos_;
    if (!is_digit(Peek())) {
      if (IsDigit(Peek())) {
        ErrorToken(start, pos_ + 1,
                   absl::StrFormat("invalid digit '%c' in %s literal", Peek(), name));
        ++pos_;
      } else {
        ErrorToken(start, pos_, StrCat("invalid ", name, " literal"));
      }
      return;
    }
    if (!digits(is_digit)) {
      ErrorToken(start, pos_, StrCat("invalid ", name, " literal"));
      return;
    }
    if (IsDigit(Peek())) {
      ErrorToken(start, pos_ + 1,
                 absl::StrFormat("invalid digit '%c' in %s literal", Peek(), name));
      ++pos_;
      return;
    }
    if (CheckNumberEnd(start, name)) Emit(TokenKind::kNumber, start, pos_);
    return;
  }

  bool is_float = false;
  bool leading_zero_int = false;
  if (Peek() != '.') {
    bool all_zero = Peek() == '0';
    size_t digits_start = pos_;
    if (!digits(is_dec)) {
      ErrorToken(start, pos_, "invalid decimal literal");
      return;
    }
    if (all_zero) {
      for (size_t i = digits_start; i < pos_; ++i) {
        if (buf_[i] != '0' && buf_[i] != '_') {
          leading_zero_int = true;
          break;
        }
      }
    }
  }
  if (Peek() == '.') {
    is_float = true;
    ++pos_;
    if (IsDigit(Peek()) && !digits(is_dec)) {
      ErrorToken(start, pos_, "invalid decimal literal");
      return;
    }
  }
  if (Peek() == 'e' || Peek() == 'E') {
    size_t e = pos_;
    ++pos_;
    if (Peek() == '+' || Peek() == '-') ++pos_;
    if (!IsDigit(Peek())) {
      // "1else": an exponent-less 'e' may begin a keyword.
      pos_ = e;
      if (!is_float && leading_zero_int) {
        ErrorToken(start, pos_,
                   "leading zeros in decimal integer literals are not permitted; use an 0o "
                   "prefix for octal integers");
        return;
      }
      if (CheckNumberEnd(start, "decimal")) Emit(TokenKind::kNumber, start, pos_);
      return;
    }
    if (!digits(is_dec)) {
      ErrorToken(start, pos_, "invalid decimal literal");
      return;
    }
    is_float = true;
  }
  if (Peek() == 'j' || Peek() == 'J') {
    ++pos_;
    is_float = true;
  }
  if (!is_float && leading_zero_int) {
    ErrorToken(start, pos_,
               "leading zeros in decimal integer literals are not permitted; use an 0o prefix "
               "for octal integers");
    return;
  }
  if (CheckNumberEnd(start, is_float && (buf_[pos_ - 1] == 'j' || buf_[pos_ - 1] == 'J')
                                ? "imaginary"
                                : "decimal"))
    Emit(TokenKind::kNumber, start, pos_);
}

// A name of at most two letters followed by a quote may be a string prefix. Returns true if a
// string (or f-string start) was scanned.
bool Lexer::ScanStringPrefix(size_t start) {
  bool saw_b = false, saw_r = false, saw_u = false, saw_f = false;
  size_t p = start;
  // Valid prefixes, in any case: r u b br rb f fr rf.
  while (p < end_ && p - start < 2) {
    char c = static_cast<char>(buf_[p] | 0x20);
    if (c == 'b' && !saw_b) {
      saw_b = true;
    } else if (c == 'r' && !saw_r) {
      saw_r = true;
    } else if (c == 'u' && !saw_u) {
      saw_u = true;
    } else if (c == 'f' && !saw_f) {
      saw_f = true;
    } else {
      break;
    }
    ++p;
  }
  if (p == start || p >= end_ || (buf_[p] != '"' && buf_[p] != '\'')) return false;
  if ((saw_u && p - start > 1) || (saw_b && saw_f)) return false;
  uint8_t flags = (saw_b ? kFlagBytes : 0) | (saw_r ? kFlagRaw : 0);
  if (!saw_f) {
    pos_ = p;
    ScanString(start, p, flags);
    return true;
  }
  // f-string: FSTRING_START covers the prefix and the opening quote(s).
  char q = buf_[p];
  bool triple = p + 2 < end_ && buf_[p + 1] == q && buf_[p + 2] == q;
  pos_ = p + (triple ? 3 : 1);
  if (fstring_level_ >= kMaxFStringLevels) {
    ErrorToken(start, pos_, "too many nested f-strings");
  }
  ++fstring_level_;
  Emit(TokenKind::kFStringStart, start, pos_, flags | (triple ? kFlagTriple : 0));
  modes_.push_back(Mode{Mode::kFString, 0, q, triple, saw_r, false, static_cast<Offset>(start)});
  return true;
}

// A plain or bytes string literal: prefix at [start, prefix_end), quote at prefix_end.
void Lexer::ScanString(size_t start, size_t prefix_end, uint8_t flags) {
  char q = buf_[prefix_end];
  bool triple = prefix_end + 2 < end_ && buf_[prefix_end + 1] == q && buf_[prefix_end + 2] == q;
  size_t qlen = triple ? 3 : 1;
  pos_ = prefix_end + qlen;
  size_t body_start = pos_;
  bool bytes = (flags & kFlagBytes) != 0;
  bool non_ascii = false;
  while (true) {
    if (AtEnd()) {
      Emit(TokenKind::kUnknown, start, pos_);
      Error(start, pos_,
            triple ? absl::StrFormat("unterminated triple-quoted string literal (detected at "
                                     "line %d)",
                                     LineOf(pos_))
                   : absl::StrFormat("unterminated string literal (detected at line %d)",
                                     LineOf(start)));
      return;
    }
    char c = buf_[pos_];
    if (c == q) {
      if (!triple) break;
      if (pos_ + 2 < end_ && buf_[pos_ + 1] == q && buf_[pos_ + 2] == q) break;
      ++pos_;
      continue;
    }
    if (c == '\\') {
      pos_ += 1;
      size_t nl = NewlineLength(pos_);
      pos_ += nl != 0 ? nl : (AtEnd() ? 0 : 1);
      continue;
    }
    if (!triple && (c == '\n' || c == '\r')) {
      ErrorToken(
          start, pos_,
          absl::StrFormat("unterminated string literal (detected at line %d)", LineOf(start)));
      return;
    }
    if (static_cast<unsigned char>(c) >= 0x80) non_ascii = true;
    ++pos_;
  }
  size_t body_end = pos_;
  pos_ += qlen;
  if (bytes && non_ascii) {
    ErrorToken(start, pos_, "bytes can only contain ASCII literal characters");
    return;
  }
  if (non_ascii) {
    std::string_view body(buf_ + body_start, body_end - body_start);
    size_t bad = FindInvalidUtf8(body);
    if (bad != body.size()) {
      ErrorToken(start, pos_, Utf8ErrorMessage(body, bad));
      return;
    }
  }
  Emit(TokenKind::kString, start, pos_, flags | (triple ? kFlagTriple : 0));
  if ((flags & kFlagRaw) == 0) ValidateStringEscapes(body_start, body_end, bytes);
}

// CPython rejects truncated \x, \u, \U and out-of-range \U escapes (warnings for the rest).
void Lexer::ValidateStringEscapes(size_t body_start, size_t body_end, bool bytes) {
  const void* found = std::memchr(buf_ + body_start, '\\', body_end - body_start);
  if (found == nullptr) return;
  for (size_t p = static_cast<const char*>(found) - buf_; p < body_end; ++p) {
    if (buf_[p] != '\\') continue;
    if (p + 1 >= body_end) break;
    char e = buf_[p + 1];
    int need = e == 'x' ? 2 : (!bytes && e == 'u') ? 4 : (!bytes && e == 'U') ? 8 : 0;
    if (need == 0) {
      ++p;  // skip the escaped character (it may be a backslash)
      continue;
    }
    uint32_t value = 0;
    int have = 0;
    while (have < need && p + 2 + have < body_end && IsHexDigit(buf_[p + 2 + have])) {
      char h = buf_[p + 2 + have];
      value = value * 16 + static_cast<uint32_t>(IsDigit(h) ? h - '0' : (h | 0x20) - 'a' + 10);
      ++have;
    }
    if (have < need) {
      Error(p, p + 2 + have,
            bytes
                ? absl::StrFormat("(value error) invalid \\x escape at position %d", p - body_start)
                : absl::StrFormat("(unicode error) 'unicodeescape' codec can't decode bytes "
                                  "in position %d-%d: truncated \\%cXXXX escape",
                                  p - body_start, p - body_start + 1 + have, e));
      return;
    }
    if (e == 'U' && value > 0x10FFFF) {
      Error(p, p + 10,
            absl::StrFormat("(unicode error) 'unicodeescape' codec can't decode bytes in "
                            "position %d-%d: illegal Unicode character",
                            p - body_start, p - body_start + 9));
      return;
    }
    p += 1 + need;
  }
}

// Literal text of an f-string up to a replacement field or the closing quote.
void Lexer::ScanFStringText(Mode* fs) {
  size_t start = pos_;
  const char q = fs->quote;
  const bool triple = fs->triple;
  const bool raw = fs->raw;
  auto flush = [&](size_t end) {
    if (end <= start) return;
    std::string_view text(buf_ + start, end - start);
    size_t bad = FindInvalidUtf8(text);
    if (bad != text.size()) {
      ErrorToken(start, end, Utf8ErrorMessage(text, bad));
    } else {
      Emit(TokenKind::kFStringMiddle, start, end);
    }
  };
  while (true) {
    if (AtEnd()) {
      flush(pos_);
      Error(fs->start, pos_,
            triple ? absl::StrFormat("unterminated triple-quoted f-string literal (detected at "
                                     "line %d)",
                                     LineOf(pos_))
                   : absl::StrFormat("unterminated f-string literal (detected at line %d)",
                                     LineOf(fs->start)));
      Emit(TokenKind::kUnknown, pos_, pos_);
      --fstring_level_;
      modes_.pop_back();
      return;
    }
    char c = buf_[pos_];
    if (c == q && (!triple || (pos_ + 2 < end_ && buf_[pos_ + 1] == q && buf_[pos_ + 2] == q))) {
      flush(pos_);
      size_t qlen = triple ? 3 : 1;
      Emit(TokenKind::kFStringEnd, pos_, pos_ + qlen);
      pos_ += qlen;
      --fstring_level_;
      modes_.pop_back();
      return;
    }
    if (!triple && (c == '\n' || c == '\r')) {
      flush(pos_);
      Error(fs->start, pos_,
            absl::StrFormat("unterminated f-string literal (detected at line %d)",
                            LineOf(fs->start)));
      Emit(TokenKind::kUnknown, pos_, pos_);
      --fstring_level_;
      modes_.pop_back();
      return;
    }
    if (c == '\\') {
      if (!raw && Peek(1) == 'N' && Peek(2) == '{') {
        // \N{NAME}: the braces belong to the escape.
        pos_ += 3;
        while (!AtEnd() && buf_[pos_] != '}' && buf_[pos_] != q && !IsNewlineAt(pos_)) ++pos_;
        if (!AtEnd() && buf_[pos_] == '}') ++pos_;
        continue;
      }
      char n = Peek(1);
      if (n == '{' || n == '}') {
        ++pos_;  // a backslash before a brace is literal; the brace is handled next
        continue;
      }
      pos_ += 1;
      size_t nl = NewlineLength(pos_);
      pos_ += nl != 0 ? nl : (AtEnd() ? 0 : 1);
      continue;
    }
    if (c == '{') {
      if (Peek(1) == '{') {
        pos_ += 2;
        continue;
      }
      flush(pos_);
      OpenBracket('{');
      return;
    }
    if (c == '}') {
      if (Peek(1) == '}') {
        pos_ += 2;
        continue;
      }
      flush(pos_);
      ErrorToken(pos_, pos_ + 1, "f-string: single '}' is not allowed");
      ++pos_;
      start = pos_;
      continue;
    }
    ++pos_;
  }
}

// The format spec after ':' in a replacement field: literal text and nested fields up to '}'.
void Lexer::ScanFormatSpec() {
  size_t start = pos_;
  const Mode* fs = InnermostFString();
  while (true) {
    if (AtEnd()) {
      if (pos_ > start) Emit(TokenKind::kFStringMiddle, start, pos_);
      // Finish() reports the unclosed field.
      modes_.back().in_spec = false;
      return;
    }
    char c = buf_[pos_];
    if (c == '{') {
      if (pos_ > start) Emit(TokenKind::kFStringMiddle, start, pos_);
      OpenBracket('{');
      return;
    }
    if (c == '}') {
      if (pos_ > start) Emit(TokenKind::kFStringMiddle, start, pos_);
      CloseBracket('}');
      return;
    }
    if (fs != nullptr && ((c == fs->quote && (!fs->triple || (Peek(1) == c && Peek(2) == c))) ||
                          (!fs->triple && IsNewlineAt(pos_)))) {
      if (pos_ > start) Emit(TokenKind::kFStringMiddle, start, pos_);
      // Zero width: the quote or line end that follows is a token of its own.
      Emit(TokenKind::kUnknown, pos_, pos_);
      Error(pos_, pos_, "f-string: expecting '}'");
      // Close the field so that the f-string text scanner sees the quote.
      --bracket_level_;
      modes_.pop_back();
      return;
    }
    ++pos_;
  }
}

void Lexer::OpenBracket(char c) {
  size_t start = pos_;
  ++pos_;
  // A '{' opens a replacement field in f-string text and in a format spec.
  bool replacement = c == '{' && !modes_.empty() &&
                     (modes_.back().kind == Mode::kFString ||
                      (modes_.back().kind == Mode::kReplacement && modes_.back().in_spec));
  if (bracket_level_ >= kMaxBracketLevels) {
    // Report the first bracket past the limit; the rest (and their closers) only become
    // error tokens, so 100k nested brackets cost no more than one message.
    if (bracket_overflow_++ == 0) {
      ErrorToken(start, pos_, "too many nested parentheses");
    } else {
      Emit(TokenKind::kUnknown, start, pos_);
    }
    return;
  }
  ++bracket_level_;
  TokenKind kind = c == '(' ? TokenKind::kLPar : c == '[' ? TokenKind::kLSqb : TokenKind::kLBrace;
  Emit(kind, start, pos_);
  modes_.push_back(Mode{replacement ? Mode::kReplacement : Mode::kBracket, c, 0, false, false,
                        false, static_cast<Offset>(start)});
}

void Lexer::CloseBracket(char c) {
  size_t start = pos_;
  ++pos_;
  char want = c == ')' ? '(' : c == ']' ? '[' : '{';
  if (bracket_overflow_ > 0) {
    --bracket_overflow_;
    Emit(TokenKind::kUnknown, start, pos_);
    return;
  }
  if (modes_.empty()) {
    ErrorToken(start, pos_, absl::StrFormat("unmatched '%c'", c));
    return;
  }
  Mode& top = modes_.back();
  if (top.kind == Mode::kFString) {
    // Only reachable through a format spec; treated as text by the caller.
    ErrorToken(start, pos_, absl::StrFormat("unmatched '%c'", c));
    return;
  }
  if (top.open != want) {
    if (top.kind == Mode::kReplacement) {
      ErrorToken(start, pos_, absl::StrFormat("f-string: unmatched '%c'", c));
    } else {
      ErrorToken(start, pos_,
                 absl::StrFormat("closing parenthesis '%c' does not match opening parenthesis "
                                 "'%c'",
                                 c, top.open));
    }
    return;
  }
  TokenKind kind = c == ')' ? TokenKind::kRPar : c == ']' ? TokenKind::kRSqb : TokenKind::kRBrace;
  Emit(kind, start, pos_);
  --bracket_level_;
  modes_.pop_back();
}

void Lexer::ScanOperator() {
  size_t start = pos_;
  char c = buf_[pos_];
  char c1 = Peek(1);
  char c2 = Peek(2);
  TokenKind kind;
  size_t len = 1;
  switch (c) {
    case '(':
    case '[':
    case '{':
      OpenBracket(c);
      return;
    case ')':
    case ']':
    case '}':
      CloseBracket(c);
      return;
    case ':':
      if (!modes_.empty() && modes_.back().kind == Mode::kReplacement) {
        // The top-level ':' of a replacement field starts its format spec (even before '=').
        ++pos_;
        Emit(TokenKind::kColon, start, pos_);
        modes_.back().in_spec = true;
        return;
      }
      if (c1 == '=') {
        kind = TokenKind::kColonEqual, len = 2;
      } else {
        kind = TokenKind::kColon;
      }
      break;
    case ',':
      kind = TokenKind::kComma;
      break;
    case ';':
      kind = TokenKind::kSemi;
      break;
    case '~':
      kind = TokenKind::kTilde;
      break;
    case '.':
      if (c1 == '.' && c2 == '.') {
        kind = TokenKind::kEllipsis, len = 3;
      } else {
        kind = TokenKind::kDot;
      }
      break;
    case '+':
      kind = c1 == '=' ? (len = 2, TokenKind::kPlusEqual) : TokenKind::kPlus;
      break;
    case '-':
      if (c1 == '=') {
        kind = TokenKind::kMinusEqual, len = 2;
      } else if (c1 == '>') {
        kind = TokenKind::kRArrow, len = 2;
      } else {
        kind = TokenKind::kMinus;
      }
      break;
    case '*':
      if (c1 == '*') {
        kind =
            c2 == '=' ? (len = 3, TokenKind::kDoubleStarEqual) : (len = 2, TokenKind::kDoubleStar);
      } else {
        kind = c1 == '=' ? (len = 2, TokenKind::kStarEqual) : TokenKind::kStar;
      }
      break;
    case '/':
      if (c1 == '/') {
        kind = c2 == '=' ? (len = 3, TokenKind::kDoubleSlashEqual)
                         : (len = 2, TokenKind::kDoubleSlash);
      } else {
        kind = c1 == '=' ? (len = 2, TokenKind::kSlashEqual) : TokenKind::kSlash;
      }
      break;
    case '|':
      kind = c1 == '=' ? (len = 2, TokenKind::kVBarEqual) : TokenKind::kVBar;
      break;
    case '&':
      kind = c1 == '=' ? (len = 2, TokenKind::kAmperEqual) : TokenKind::kAmper;
      break;
    case '^':
      kind = c1 == '=' ? (len = 2, TokenKind::kCircumflexEqual) : TokenKind::kCircumflex;
      break;
    case '%':
      kind = c1 == '=' ? (len = 2, TokenKind::kPercentEqual) : TokenKind::kPercent;
      break;
    case '@':
      kind = c1 == '=' ? (len = 2, TokenKind::kAtEqual) : TokenKind::kAt;
      break;
    case '=':
      kind = c1 == '=' ? (len = 2, TokenKind::kEqEqual) : TokenKind::kEqual;
      break;
    case '!':
      if (c1 == '=') {
        kind = TokenKind::kNotEqual, len = 2;
      } else if (!modes_.empty() && modes_.back().kind == Mode::kReplacement) {
        kind = TokenKind::kExclamation;  // conversion: f"{x!r}"
      } else {
        ++pos_;
        ErrorToken(start, pos_, "invalid syntax");
        return;
      }
      break;
    case '<':
      if (c1 == '<') {
        kind = c2 == '=' ? (len = 3, TokenKind::kLeftShiftEqual) : (len = 2, TokenKind::kLeftShift);
      } else if (c1 == '=') {
        kind = TokenKind::kLessEqual, len = 2;
      } else if (c1 == '>') {
        pos_ += 2;
        ErrorToken(start, pos_, "invalid syntax");
        return;
      } else {
        kind = TokenKind::kLess;
      }
      break;
    case '>':
      if (c1 == '>') {
        kind =
            c2 == '=' ? (len = 3, TokenKind::kRightShiftEqual) : (len = 2, TokenKind::kRightShift);
      } else if (c1 == '=') {
        kind = TokenKind::kGreaterEqual, len = 2;
      } else {
        kind = TokenKind::kGreater;
      }
      break;
    case '\0':
      ++pos_;
      ErrorToken(start, pos_, "source code string cannot contain null bytes");
      return;
    default: {
      auto uc = static_cast<unsigned char>(c);
      ++pos_;
      if (uc < 0x20 || uc == 0x7F) {
        ErrorToken(start, pos_, absl::StrFormat("invalid non-printable character U+%04X", uc));
      } else {
        ErrorToken(start, pos_, absl::StrFormat("invalid character '%c' (U+%04X)", c, uc));
      }
      return;
    }
  }
  pos_ += len;
  Emit(kind, start, pos_);
}

// End of input: report what is still open, end the last logical line, close all blocks.
void Lexer::Finish() {
  if (!modes_.empty()) {
    const Mode& outer = modes_.front();
    if (outer.kind == Mode::kBracket) {
      Error(outer.start, outer.start + 1, absl::StrFormat("'%c' was never closed", outer.open));
      errs_->back().unclosed_bracket = true;
    } else if (errs_->empty()) {
      Error(outer.start, pos_, "f-string: expecting '}'");
    }
    Emit(TokenKind::kUnknown, pos_, pos_);
    modes_.clear();
  }
  if (!LastTokenEndsLine()) Emit(TokenKind::kNewline, pos_, pos_);
  while (indent_ > 0) {
    --indent_;
    Emit(TokenKind::kDedent, pos_, pos_);
  }
  Emit(TokenKind::kEndOfFile, pos_, pos_);
}

}  // namespace

std::string_view TokenKindSpelling(TokenKind kind) { return kSpellings[static_cast<int>(kind)]; }

std::string_view TokenKindName(TokenKind kind) { return kNames[static_cast<int>(kind)]; }

bool IsKeyword(TokenKind kind) { return kind >= TokenKind::kFalse; }

bool IsAutomagicName(std::string_view word) {
  // The shell-like line magics (and aliases) a notebook runs this way.
  static constexpr std::string_view kAutomagics[] = {
      "aimport", "alias",  "autoreload", "autosave",   "bookmark", "cat",
      "cd",      "clear",  "colors",     "conda",      "config",   "cp",
      "dhist",   "dirs",   "env",        "hist",       "history",  "ldir",
      "less",    "lf",     "lk",         "ll",         "load_ext", "ls",
      "lsmagic", "lx",     "man",        "matplotlib", "mkdir",    "more",
      "mv",      "pdef",   "pdoc",       "pfile",      "pinfo",    "pinfo2",
      "pip",     "popd",   "precision",  "psource",    "pushd",    "pwd",
      "pycat",   "pylab",  "rehashx",    "reload_ext", "reset",    "reset_selective",
      "rm",      "rmdir",  "run",        "store",      "sx",       "system",
      "time",    "timeit", "unalias",    "who",        "who_ls",   "whos",
      "xdel",    "xmode"};
  return std::find(std::begin(kAutomagics), std::end(kAutomagics), word) != std::end(kAutomagics);
}

void Tokenize(std::string_view buffer, Offset begin, Offset end, const LexOptions& options,
              LexResult* result) {
  assert(begin <= end && end <= buffer.size());
  Lexer lexer(buffer, begin, end, options, result);
  lexer.Run();
}

}  // namespace cellflow
