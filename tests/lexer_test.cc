// Token sequences of the lexer. Every case is written with "\n" line ends and run three times:
// with "\n", "\r\n" and a lone "\r" (CPython reads all three as line ends), expecting the same
// tokens and errors each time.
#include "lexer/lexer.h"

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "lexer/source.h"
#include "lexer/str_util.h"
#include "lexer/token.h"

namespace cellflow {

// Readable token kinds and diagnostics in gtest messages.
void PrintTo(TokenKind kind, std::ostream* os) { *os << TokenKindName(kind); }
void PrintTo(const SyntaxDiagnostic& d, std::ostream* os) {
  *os << "[" << d.start << ", " << d.end << ") " << d.message;
}

namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using enum TokenKind;

LexResult Lex(std::string_view text, const LexOptions& options = {}) {
  LexResult r;
  Tokenize(text, 0, static_cast<Offset>(text.size()), options, &r);
  return r;
}

std::vector<TokenKind> Kinds(const LexResult& r) {
  std::vector<TokenKind> kinds;
  for (const Token& t : r.tokens) kinds.push_back(t.kind);
  return kinds;
}

std::string Normalize(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// The text of each token, with line ends written as "\n" whatever the input used.
std::vector<std::string> Texts(std::string_view text, const LexResult& r) {
  std::vector<std::string> texts;
  for (const Token& t : r.tokens) texts.push_back(Normalize(text.substr(t.start, t.end - t.start)));
  return texts;
}

struct Lexed {
  std::string eol;  // "LF", "CRLF" or "CR"
  std::string text;
  LexResult result;
};

// Lexes `lf_text` with each line ending; expects the same kinds and messages for all three.
std::vector<Lexed> LexEveryLineEnding(std::string_view lf_text, const LexOptions& options = {}) {
  std::vector<Lexed> all;
  for (std::string_view eol : {"LF", "CRLF", "CR"}) {
    Lexed l;
    l.eol = std::string(eol);
    for (char c : lf_text) {
      if (c != '\n') {
        l.text.push_back(c);
      } else if (eol == "LF") {
        l.text.push_back('\n');
      } else if (eol == "CRLF") {
        l.text.append("\r\n");
      } else {
        l.text.push_back('\r');
      }
    }
    l.result = Lex(l.text, options);
    all.push_back(std::move(l));
  }
  for (size_t i = 1; i < all.size(); ++i) {
    EXPECT_EQ(Kinds(all[i].result), Kinds(all[0].result)) << all[i].eol << " differs from LF";
    std::vector<std::string> a, b;
    for (const SyntaxDiagnostic& d : all[0].result.errors) a.push_back(d.message);
    for (const SyntaxDiagnostic& d : all[i].result.errors) b.push_back(d.message);
    EXPECT_EQ(b, a) << all[i].eol << " errors differ from LF";
  }
  return all;
}

// Expects exactly these kinds and no errors, under every line ending.
void ExpectKinds(std::string_view lf_text, const std::vector<TokenKind>& expected,
                 const LexOptions& options = {}) {
  for (const Lexed& l : LexEveryLineEnding(lf_text, options)) {
    SCOPED_TRACE(l.eol);
    EXPECT_THAT(Kinds(l.result), ElementsAreArray(expected));
    EXPECT_THAT(l.result.errors, IsEmpty());
  }
}

// Expects these token texts (line ends as "\n") and no errors, under every line ending.
void ExpectTexts(std::string_view lf_text, const std::vector<std::string>& expected,
                 const LexOptions& options = {}) {
  for (const Lexed& l : LexEveryLineEnding(lf_text, options)) {
    SCOPED_TRACE(l.eol);
    EXPECT_THAT(Texts(l.text, l.result), ElementsAreArray(expected));
    EXPECT_THAT(l.result.errors, IsEmpty());
  }
}

// Expects the first error to contain `message`, and an kUnknown token, under every line ending.
void ExpectError(std::string_view lf_text, std::string_view message,
                 const LexOptions& options = {}) {
  for (const Lexed& l : LexEveryLineEnding(lf_text, options)) {
    SCOPED_TRACE(l.eol);
    ASSERT_THAT(l.result.errors, testing::Not(IsEmpty()));
    EXPECT_THAT(l.result.errors[0].message, HasSubstr(std::string(message)));
    EXPECT_THAT(Kinds(l.result), testing::Contains(kUnknown));
    ASSERT_FALSE(l.result.tokens.empty());
    EXPECT_EQ(l.result.tokens.back().kind, kEndOfFile);
  }
}

// ---------------------------------------------------------------------------------------------
// Lines and indentation

TEST(LexerTest, EmptyInputIsJustEndOfFile) {
  ExpectKinds("", {kEndOfFile});
  ExpectKinds("\n\n\n", {kEndOfFile});
  ExpectKinds("   \n\t\n", {kEndOfFile});
}

TEST(LexerTest, NewlineEndsEveryLogicalLine) {
  ExpectKinds("x = 1\ny\n", {kName, kEqual, kNumber, kNewline, kName, kNewline, kEndOfFile});
  // Without a final line end the NEWLINE is still there, zero-width at the end.
  for (const Lexed& l : LexEveryLineEnding("x\ny")) {
    ASSERT_THAT(Kinds(l.result), ElementsAre(kName, kNewline, kName, kNewline, kEndOfFile));
    const Token& nl = l.result.tokens[3];
    EXPECT_EQ(nl.start, l.text.size());
    EXPECT_EQ(nl.end, l.text.size());
  }
}

TEST(LexerTest, BlankAndCommentLinesProduceNoTokens) {
  ExpectKinds("a\n\n   \n# comment\n    # indented comment\n\t\nb\n",
              {kName, kNewline, kName, kNewline, kEndOfFile});
  ExpectKinds("a  # trailing comment\n", {kName, kNewline, kEndOfFile});
  ExpectKinds("# only a comment", {kEndOfFile});
}

TEST(LexerTest, BlankLinesInsideABlockDoNotDedent) {
  ExpectKinds("if a:\n    b\n\n  # c\n    d\n", {kIf, kName, kColon, kNewline, kIndent, kName,
                                                 kNewline, kName, kNewline, kDedent, kEndOfFile});
}

TEST(LexerTest, IndentAndDedent) {
  ExpectKinds("if a:\n    b\nc\n", {kIf, kName, kColon, kNewline, kIndent, kName, kNewline, kDedent,
                                    kName, kNewline, kEndOfFile});
}

TEST(LexerTest, SeveralDedentsAtOnce) {
  ExpectKinds("if a:\n  if b:\n    if c:\n      d\ne\n",
              {kIf,      kName,   kColon,  kNewline, kIndent, kIf,      kName,     kColon,
               kNewline, kIndent, kIf,     kName,    kColon,  kNewline, kIndent,   kName,
               kNewline, kDedent, kDedent, kDedent,  kName,   kNewline, kEndOfFile});
  // Two of three levels.
  ExpectKinds("if a:\n  if b:\n    if c:\n      d\n  e\n",
              {kIf,      kName,   kColon,  kNewline, kIndent,  kIf,      kName,     kColon,
               kNewline, kIndent, kIf,     kName,    kColon,   kNewline, kIndent,   kName,
               kNewline, kDedent, kDedent, kName,    kNewline, kDedent,  kEndOfFile});
}

TEST(LexerTest, DedentsAtEndOfFile) {
  ExpectKinds("if a:\n  if b:\n    c",
              {kIf, kName, kColon, kNewline, kIndent, kIf, kName, kColon, kNewline, kIndent, kName,
               kNewline, kDedent, kDedent, kEndOfFile});
}

TEST(LexerTest, TabsAndSpacesIndentConsistently) {
  ExpectKinds("if a:\n\tif b:\n\t\tc\n\td\n",
              {kIf, kName, kColon, kNewline, kIndent, kIf, kName, kColon, kNewline, kIndent, kName,
               kNewline, kDedent, kName, kNewline, kDedent, kEndOfFile});
  // A tab after spaces, the same on every line of the block.
  ExpectKinds("if a:\n  \tb\n  \tc\n", {kIf, kName, kColon, kNewline, kIndent, kName, kNewline,
                                        kName, kNewline, kDedent, kEndOfFile});
}

TEST(LexerTest, TabsAdvanceToMultiplesOfEight) {
  // A tab is column 8, like 8 spaces: the columns agree and only the tab-size-1 check fails
  // (with tabs of 4 columns this would be a dedent and an unindent error instead).
  for (const Lexed& l : LexEveryLineEnding("if a:\n        b\n\tc\n")) {
    SCOPED_TRACE(l.eol);
    ASSERT_THAT(l.result.errors, testing::SizeIs(testing::Ge(1)));
    EXPECT_EQ(l.result.errors[0].message, "inconsistent use of tabs and spaces in indentation");
    EXPECT_EQ(l.result.errors[0].kind, SyntaxErrorKind::kTab);
  }
  // The INDENT of a tab-indented line covers the tab.
  for (const Lexed& l : LexEveryLineEnding("if a:\n\tb\n")) {
    ASSERT_EQ(l.result.tokens[4].kind, kIndent);
    EXPECT_EQ(Texts(l.text, l.result)[4], "\t");
  }
}

TEST(LexerTest, InconsistentTabsAndSpaces) {
  ExpectError("if a:\n        b\n\tc\n", "inconsistent use of tabs");
  // Deeper by columns but not with tabs counted as one column.
  ExpectError("if a:\n       b\n\t c\n", "inconsistent use of tabs");
}

TEST(LexerTest, FormFeedResetsTheColumn) {
  // "  \f" counts as column 0: c is back at the top level (CPython accepts this).
  ExpectKinds("if a:\n    b\n  \fc\n", {kIf, kName, kColon, kNewline, kIndent, kName, kNewline,
                                        kDedent, kName, kNewline, kEndOfFile});
  ExpectKinds("if a:\n\f    b\n",
              {kIf, kName, kColon, kNewline, kIndent, kName, kNewline, kDedent, kEndOfFile});
  // Elsewhere a form feed is white space.
  ExpectKinds("a \f= 1\n", {kName, kEqual, kNumber, kNewline, kEndOfFile});
}

TEST(LexerTest, UnindentMismatch) {
  ExpectError("if a:\n    b\n  c\n", "unindent does not match any outer indentation level");
  for (const Lexed& l : LexEveryLineEnding("if a:\n    b\n  c\n")) {
    ASSERT_FALSE(l.result.errors.empty());
    EXPECT_EQ(l.result.errors[0].kind, SyntaxErrorKind::kIndentation);
  }
}

// Lexer bug: the error token of an unclosed format spec is widened to one byte, over the closing
// quote (or line end) that the next token then covers again: the tokens overlap.
TEST(LexerTest, FormatSpecErrorTokenDoesNotOverlapTheQuote) {
  for (const Lexed& l : LexEveryLineEnding("f'{x:abc'\nf'{x:\n")) {
    SCOPED_TRACE(l.eol);
    for (size_t i = 1; i < l.result.tokens.size(); ++i) {
      EXPECT_GE(l.result.tokens[i].start, l.result.tokens[i - 1].end) << "token " << i;
    }
  }
}

TEST(LexerTest, TooManyIndentationLevels) {
  auto nested = [](int levels) {
    std::string text;
    for (int i = 0; i < levels; ++i) StrAppend(&text, std::string(i, ' '), "if x:\n");
    StrAppend(&text, std::string(levels, ' '), "pass\n");
    return text;
  };
  // 99 levels are fine (as in CPython); the 100th is one too many.
  for (const Lexed& l : LexEveryLineEnding(nested(99))) {
    SCOPED_TRACE(l.eol);
    EXPECT_THAT(l.result.errors, IsEmpty());
  }
  ExpectError(nested(100), "too many levels of indentation");
}

// ---------------------------------------------------------------------------------------------
// Line joining

TEST(LexerTest, ImplicitJoiningInsideBrackets) {
  ExpectKinds("x = (1,\n     2)\n",
              {kName, kEqual, kLPar, kNumber, kComma, kNumber, kRPar, kNewline, kEndOfFile});
  // Comments, blank lines and odd indentation inside brackets mean nothing.
  ExpectKinds("f(a,  # first\n\n        b,\n  c)\n",
              {kName, kLPar, kName, kComma, kName, kComma, kName, kRPar, kNewline, kEndOfFile});
  ExpectKinds("d = {\n  'k': [\n    1,\n  ],\n}\n",
              {kName, kEqual, kLBrace, kString, kColon, kLSqb, kNumber, kComma, kRSqb, kComma,
               kRBrace, kNewline, kEndOfFile});
}

TEST(LexerTest, BackslashContinuation) {
  ExpectKinds("x = 1 + \\\n    2\n",
              {kName, kEqual, kNumber, kPlus, kNumber, kNewline, kEndOfFile});
  // The continued line's indentation is not measured.
  ExpectKinds("if a and \\\n        b:\n    c\n", {kIf, kName, kAnd, kName, kColon, kNewline,
                                                   kIndent, kName, kNewline, kDedent, kEndOfFile});
}

TEST(LexerTest, BackslashErrors) {
  ExpectError("x = 1 \\ y\n", "unexpected character after line continuation character");
  ExpectError("x = 1 \\", "unexpected EOF while parsing");
  ExpectError("x = 1 \\\n", "unexpected EOF while parsing");
}

// ---------------------------------------------------------------------------------------------
// Strings

// Every casing of a prefix: "rb" -> rb, rB, Rb, RB.
std::vector<std::string> Casings(std::string_view prefix) {
  std::vector<std::string> out;
  for (unsigned mask = 0; mask < (1u << prefix.size()); ++mask) {
    std::string p(prefix);
    for (size_t i = 0; i < p.size(); ++i) {
      if ((mask >> i) & 1) p[i] = static_cast<char>(p[i] - 'a' + 'A');
    }
    out.push_back(p);
  }
  return out;
}

TEST(LexerTest, EveryStringPrefixInEveryCase) {
  const std::string_view kPrefixes[] = {"", "r", "u", "b", "br", "rb"};
  const std::string_view kQuotes[] = {"'", "\"", "'''", "\"\"\""};
  for (std::string_view base : kPrefixes) {
    for (const std::string& prefix : Casings(base)) {
      for (std::string_view quote : kQuotes) {
        std::string text = StrCat(prefix, quote, "a\\'b", quote, "\n");
        SCOPED_TRACE(text);
        for (const Lexed& l : LexEveryLineEnding(text)) {
          SCOPED_TRACE(l.eol);
          ASSERT_THAT(Kinds(l.result), ElementsAre(kString, kNewline, kEndOfFile));
          EXPECT_THAT(l.result.errors, IsEmpty());
          const Token& t = l.result.tokens[0];
          EXPECT_EQ(t.end - t.start, text.size() - 1);
          EXPECT_EQ((t.flags & kFlagBytes) != 0, base.find('b') != base.npos);
          EXPECT_EQ((t.flags & kFlagRaw) != 0, base.find('r') != base.npos);
          EXPECT_EQ((t.flags & kFlagTriple) != 0, quote.size() == 3);
        }
      }
    }
  }
}

TEST(LexerTest, EveryFStringPrefixInEveryCase) {
  const std::string_view kQuotes[] = {"'", "\"", "'''", "\"\"\""};
  for (std::string_view base : {"f", "fr", "rf"}) {
    for (const std::string& prefix : Casings(base)) {
      for (std::string_view quote : kQuotes) {
        std::string text = StrCat(prefix, quote, "a{x}b", quote, "\n");
        SCOPED_TRACE(text);
        for (const Lexed& l : LexEveryLineEnding(text)) {
          SCOPED_TRACE(l.eol);
          ASSERT_THAT(Kinds(l.result),
                      ElementsAre(kFStringStart, kFStringMiddle, kLBrace, kName, kRBrace,
                                  kFStringMiddle, kFStringEnd, kNewline, kEndOfFile));
          EXPECT_THAT(l.result.errors, IsEmpty());
          const Token& start = l.result.tokens[0];
          EXPECT_EQ(Texts(l.text, l.result)[0], StrCat(prefix, quote));
          EXPECT_EQ((start.flags & kFlagRaw) != 0, base.size() == 2);
          EXPECT_EQ((start.flags & kFlagTriple) != 0, quote.size() == 3);
          EXPECT_EQ(Texts(l.text, l.result)[6], quote);
        }
      }
    }
  }
}

TEST(LexerTest, InvalidPrefixesAreNamesFollowedByStrings) {
  // Not prefixes: the letters are a name (the parser then reports the syntax error).
  for (std::string_view text : {"ub'x'\n", "bu'x'\n", "bf'x'\n", "rr'x'\n", "fb'x'\n"}) {
    SCOPED_TRACE(text);
    ExpectKinds(text, {kName, kString, kNewline, kEndOfFile});
  }
}

TEST(LexerTest, TripleQuotedStringSpansLines) {
  ExpectTexts("s = '''a\nb ' '' \"\"\" \nc'''\nx\n",
              {"s", "=", "'''a\nb ' '' \"\"\" \nc'''", "\n", "x", "\n", ""});
}

TEST(LexerTest, BackslashNewlineInsideAString) {
  ExpectTexts("s = 'a\\\nb'\n", {"s", "=", "'a\\\nb'", "\n", ""});
}

TEST(LexerTest, EscapedQuotesDoNotEndAString) {
  ExpectTexts("'a\\'b' \"c\\\"d\" r'\\''\n", {"'a\\'b'", "\"c\\\"d\"", "r'\\''", "\n", ""});
}

TEST(LexerTest, UnterminatedStringsNameTheLine) {
  ExpectError("'abc\n", "unterminated string literal (detected at line 1)");
  ExpectError("x = 1\ns = 'abc\n", "unterminated string literal (detected at line 2)");
  ExpectError("x = 1\ns = b\"abc", "unterminated string literal (detected at line 2)");
  ExpectError("x = '''abc\n\nd", "unterminated triple-quoted string literal (detected at line 3)");
  ExpectError("s = f'abc\n", "(detected at line 1)");
}

TEST(LexerTest, BytesMustBeAscii) {
  ExpectError("b'caf\xc3\xa9'\n", "bytes can only contain ASCII literal characters");
}

// ---------------------------------------------------------------------------------------------
// f-strings (PEP 701 tokens)

TEST(LexerTest, FStringTokens) {
  ExpectTexts("f'a{x}b'\n", {"f'", "a", "{", "x", "}", "b", "'", "\n", ""});
  ExpectKinds("f''\n", {kFStringStart, kFStringEnd, kNewline, kEndOfFile});
}

TEST(LexerTest, FStringConversionAndNestedFormatSpec) {
  ExpectKinds("f'{x!r:>{w}}'\n",
              {kFStringStart, kLBrace, kName, kExclamation, kName, kColon, kFStringMiddle, kLBrace,
               kName, kRBrace, kRBrace, kFStringEnd, kNewline, kEndOfFile});
  ExpectTexts("f'{x!r:>{w}}'\n",
              {"f'", "{", "x", "!", "r", ":", ">", "{", "w", "}", "}", "'", "\n", ""});
}

TEST(LexerTest, FStringFormatSpecWithSeveralFields) {
  ExpectTexts("f'{x:{w}.{p}f}'\n",
              {"f'", "{", "x", ":", "{", "w", "}", ".", "{", "p", "}", "f", "}", "'", "\n", ""});
}

TEST(LexerTest, FStringDoubledBracesAreText) {
  ExpectTexts("f'{{a}} {b}}}'\n", {"f'", "{{a}} ", "{", "b", "}", "}}", "'", "\n", ""});
  ExpectKinds("f'{{}}'\n", {kFStringStart, kFStringMiddle, kFStringEnd, kNewline, kEndOfFile});
}

TEST(LexerTest, FStringSelfDocumentingEquals) {
  ExpectKinds("f'{x=}'\n",
              {kFStringStart, kLBrace, kName, kEqual, kRBrace, kFStringEnd, kNewline, kEndOfFile});
  ExpectKinds("f'{x = !r}'\n", {kFStringStart, kLBrace, kName, kEqual, kExclamation, kName, kRBrace,
                                kFStringEnd, kNewline, kEndOfFile});
}

TEST(LexerTest, NestedFStringsWithOtherQuotes) {
  ExpectKinds("f\"{f'{x}'}\"\n", {kFStringStart, kLBrace, kFStringStart, kLBrace, kName, kRBrace,
                                  kFStringEnd, kRBrace, kFStringEnd, kNewline, kEndOfFile});
}

TEST(LexerTest, NestedFStringsWithTheSameQuotes) {
  // PEP 701 (3.12): the inner string may reuse the outer quote.
  ExpectKinds("f\"{f\"{x}\"}\"\n", {kFStringStart, kLBrace, kFStringStart, kLBrace, kName, kRBrace,
                                    kFStringEnd, kRBrace, kFStringEnd, kNewline, kEndOfFile});
  ExpectKinds("f'{'a' + 'b'}'\n", {kFStringStart, kLBrace, kString, kPlus, kString, kRBrace,
                                   kFStringEnd, kNewline, kEndOfFile});
}

TEST(LexerTest, FStringReplacementFieldsMayContainBrackets) {
  ExpectKinds(
      "f'{d[\"k\"]:{w}}{ {1: 2}[1] }'\n",
      {kFStringStart, kLBrace, kName,   kLSqb,   kString, kRSqb,       kColon,   kLBrace,
       kName,         kRBrace, kRBrace, kLBrace, kLBrace, kNumber,     kColon,   kNumber,
       kRBrace,       kLSqb,   kNumber, kRSqb,   kRBrace, kFStringEnd, kNewline, kEndOfFile});
}

TEST(LexerTest, TripleQuotedFStringSpansLines) {
  ExpectTexts("f'''a\n{x}\nb'''\n", {"f'''", "a\n", "{", "x", "}", "\nb", "'''", "\n", ""});
  // A multi-line replacement field in a triple-quoted f-string.
  ExpectKinds("f'''{\nx\n}'''\n",
              {kFStringStart, kLBrace, kName, kRBrace, kFStringEnd, kNewline, kEndOfFile});
}

TEST(LexerTest, FStringErrors) {
  ExpectError("f'abc\n", "unterminated f-string literal (detected at line 1)");
  ExpectError("x\nf'''abc\n", "unterminated triple-quoted f-string literal");
  ExpectError("f'a}b'\n", "f-string: single '}' is not allowed");
  ExpectError("f'{x#}'\n", "f-string expression part cannot include '#'");
  ExpectError("f'{x:abc'\n", "f-string: expecting '}'");
}

// ---------------------------------------------------------------------------------------------
// Numbers

TEST(LexerTest, NumberForms) {
  const std::string_view kNumbers[] = {
      "0",      "7",       "123",          "1_000_000",
      "0_0",    "00",      "0x1F",         "0XfF",
      "0x_ff",  "0o17",    "0O7",          "0o_7",
      "0b101",  "0B_1_0",  "1.5",          "1.",
      ".5",     "1_0.0_1", "1e10",         "1E-5",
      "1.5e+3", ".5e1",    "0e5",          "09.5",
      "1j",     "1.5J",    "1e3j",         "09j",
      "1.e5j",  "0.0",     "1_0.0_1e1_0j", "99999999999999999999999999999",
  };
  for (std::string_view number : kNumbers) {
    SCOPED_TRACE(number);
    ExpectTexts(StrCat(number, "\n"), {std::string(number), "\n", ""});
    ExpectKinds(StrCat(number, "\n"), {kNumber, kNewline, kEndOfFile});
  }
}

TEST(LexerTest, NumbersFollowedByKeywords) {
  // CPython accepts a keyword right after a literal ("1if x else y").
  ExpectKinds("1if x else 2\n", {kNumber, kIf, kName, kElse, kNumber, kNewline, kEndOfFile});
  ExpectKinds("[0o1for x in y]\n",
              {kLSqb, kNumber, kFor, kName, kIn, kName, kRSqb, kNewline, kEndOfFile});
  ExpectKinds("1or 2\n", {kNumber, kOr, kNumber, kNewline, kEndOfFile});
}

TEST(LexerTest, NumberErrors) {
  ExpectError("09\n",
              "leading zeros in decimal integer literals are not permitted; use an 0o prefix "
              "for octal integers");
  ExpectError("1__0\n", "invalid decimal literal");
  ExpectError("1_\n", "invalid decimal literal");
  ExpectError("1abc\n", "invalid decimal literal");
  ExpectError("1e\n", "invalid decimal literal");
  ExpectError("0b2\n", "invalid digit '2' in binary literal");
  ExpectError("0o8\n", "invalid digit '8' in octal literal");
  ExpectError("0x\n", "invalid hexadecimal literal");
  ExpectError("0xg\n", "invalid hexadecimal literal");
  ExpectError("0b1_\n", "invalid binary literal");
}

// ---------------------------------------------------------------------------------------------
// Operators, delimiters, keywords and names

struct Spelled {
  TokenKind kind;
  std::string_view spelling;
};

constexpr Spelled kPunctuation[] = {
#define PUNCT(name, text) {TokenKind::k##name, text},
#include "lexer/token_kinds.def"
};

constexpr Spelled kKeywords[] = {
#define KEYWORD(name, text) {TokenKind::k##name, text},
#include "lexer/token_kinds.def"
};

TokenKind Closer(TokenKind open) { return open == kLPar ? kRPar : open == kLSqb ? kRSqb : kRBrace; }

TEST(LexerTest, EveryOperatorAndDelimiter) {
  ASSERT_GT(std::size(kPunctuation), 40u);
  for (const Spelled& p : kPunctuation) {
    SCOPED_TRACE(p.spelling);
    EXPECT_EQ(TokenKindSpelling(p.kind), p.spelling);
    if (p.kind == kExclamation) continue;  // only inside f-string fields; tested there
    if (p.kind == kLPar || p.kind == kLSqb || p.kind == kLBrace) {
      ExpectKinds(StrCat(p.spelling, TokenKindSpelling(Closer(p.kind)), "\n"),
                  {p.kind, Closer(p.kind), kNewline, kEndOfFile});
    } else if (p.kind == kRPar || p.kind == kRSqb || p.kind == kRBrace) {
      TokenKind open = p.kind == kRPar ? kLPar : p.kind == kRSqb ? kLSqb : kLBrace;
      ExpectKinds(StrCat(TokenKindSpelling(open), p.spelling, "\n"),
                  {open, p.kind, kNewline, kEndOfFile});
    } else {
      ExpectKinds(StrCat(p.spelling, "\n"), {p.kind, kNewline, kEndOfFile});
      // Between names, with and without spaces.
      ExpectKinds(StrCat("a ", p.spelling, " b\n"), {kName, p.kind, kName, kNewline, kEndOfFile});
    }
  }
}

TEST(LexerTest, LongestOperatorWins) {
  ExpectKinds("a<<=b>>=c**=d//=e->f:=g...h!=i\n",
              {kName, kLeftShiftEqual, kName, kRightShiftEqual, kName, kDoubleStarEqual, kName,
               kDoubleSlashEqual, kName, kRArrow, kName, kColonEqual, kName, kEllipsis, kName,
               kNotEqual, kName, kNewline, kEndOfFile});
  ExpectKinds("a**-b\n", {kName, kDoubleStar, kMinus, kName, kNewline, kEndOfFile});
  ExpectKinds("x[::2]\n", {kName, kLSqb, kColon, kColon, kNumber, kRSqb, kNewline, kEndOfFile});
  ExpectKinds("a.b..c\n", {kName, kDot, kName, kDot, kDot, kName, kNewline, kEndOfFile});
}

TEST(LexerTest, ExclamationOutsideAnFStringIsAnError) {
  ExpectError("a ! b\n", "invalid syntax");
  ExpectError("a <> b\n", "invalid syntax");
}

TEST(LexerTest, BracketErrors) {
  ExpectError("x = 1)\n", "unmatched ')'");
  ExpectError("x = (1]\n", "closing parenthesis ']' does not match opening parenthesis '('");
  for (const Lexed& l : LexEveryLineEnding("x = [1,\n2\n")) {
    SCOPED_TRACE(l.eol);
    ASSERT_FALSE(l.result.errors.empty());
    EXPECT_EQ(l.result.errors[0].message, "'[' was never closed");
    EXPECT_EQ(l.result.errors[0].start, 4u);
  }
}

TEST(LexerTest, EveryHardKeyword) {
  ASSERT_EQ(std::size(kKeywords), 35u);
  for (const Spelled& k : kKeywords) {
    SCOPED_TRACE(k.spelling);
    EXPECT_TRUE(IsKeyword(k.kind));
    EXPECT_EQ(TokenKindSpelling(k.kind), k.spelling);
    ExpectKinds(StrCat(k.spelling, "\n"), {k.kind, kNewline, kEndOfFile});
    // A longer name is a name.
    ExpectKinds(StrCat(k.spelling, "_\n"), {kName, kNewline, kEndOfFile});
    ExpectKinds(StrCat("_", k.spelling, "\n"), {kName, kNewline, kEndOfFile});
  }
}

TEST(LexerTest, SoftKeywordsAreNames) {
  for (std::string_view soft : {"match", "case", "type", "_"}) {
    SCOPED_TRACE(soft);
    ExpectKinds(StrCat(soft, "\n"), {kName, kNewline, kEndOfFile});
  }
  EXPECT_FALSE(IsKeyword(kName));
  ExpectKinds("match x:\n    case _:\n        pass\n",
              {kName, kName, kColon, kNewline, kIndent, kName, kName, kColon, kNewline, kIndent,
               kPass, kNewline, kDedent, kDedent, kEndOfFile});
  // Keywords are case-sensitive.
  ExpectKinds("IF None none NONE\n", {kName, kNone, kName, kName, kNewline, kEndOfFile});
}

TEST(LexerTest, UnicodeIdentifiers) {
  for (const Lexed& l : LexEveryLineEnding("caf\xc3\xa9 = \xef\xac\x81le\n")) {
    SCOPED_TRACE(l.eol);
    ASSERT_THAT(Kinds(l.result), ElementsAre(kName, kEqual, kName, kNewline, kEndOfFile));
    EXPECT_THAT(l.result.errors, IsEmpty());
    EXPECT_EQ(Texts(l.text, l.result)[0], "caf\xc3\xa9");
    EXPECT_EQ(Texts(l.text, l.result)[2], "\xef\xac\x81le");  // NFKC: "file"
    EXPECT_NE(l.result.tokens[0].flags & kFlagNonAscii, 0);
    EXPECT_NE(l.result.tokens[2].flags & kFlagNonAscii, 0);
  }
  // ASCII names do not carry the flag.
  for (const Lexed& l : LexEveryLineEnding("cafe\n")) {
    EXPECT_EQ(l.result.tokens[0].flags & kFlagNonAscii, 0);
  }
  // Greek, CJK and a combining mark after the first letter.
  ExpectKinds("\xce\xb1\xce\xb2 + \xe5\x90\x8d + e\xcc\x81\n",
              {kName, kPlus, kName, kPlus, kName, kNewline, kEndOfFile});
}

TEST(LexerTest, InvalidCharacters) {
  ExpectError("\xe2\x82\xac = 1\n", "invalid character '\xe2\x82\xac' (U+20AC)");
  ExpectError("a $ b\n", "'$'");
  for (const Lexed& l : LexEveryLineEnding("a $ b\n")) {
    EXPECT_THAT(Kinds(l.result), ElementsAre(kName, kUnknown, kName, kNewline, kEndOfFile));
  }
  ExpectError("a \x01 b\n", "invalid non-printable character U+0001");
  // Each character of a name as written, before NFKC: `R²` is not `R2`. The error is at the
  // character, not at the start of the name it ends.
  for (const auto& [text, message, at] :
       {std::tuple{"R\xc2\xb2 = 1\n", "invalid character '\xc2\xb2' (U+00B2)", 1u},
        std::tuple{"print\xef\xbc\x88"
                   "1\xef\xbc\x89\n",
                   "invalid character '\xef\xbc\x88' (U+FF08)", 5u},
        std::tuple{"x\xc2\xa0= 1\n", "invalid non-printable character U+00A0", 1u},
        std::tuple{"f(1\xef\xbc\x8c"
                   "2)\n",
                   "invalid character '\xef\xbc\x8c' (U+FF0C)", 3u}}) {
    ExpectError(text, message);
    for (const Lexed& l : LexEveryLineEnding(text)) {
      ASSERT_FALSE(l.result.errors.empty());
      EXPECT_EQ(l.result.errors[0].start, at) << text;
    }
  }
}

TEST(LexerTest, NulByte) {
  ExpectError(std::string_view("a\0b\n", 4), "source code string cannot contain null bytes");
  ExpectError(std::string_view("a = (\0)\n", 9), "source code string cannot contain null bytes");
  // In strings and comments the lexer lets it pass; DecodeSource reports it for the whole file.
  for (std::string_view text : {std::string_view("'a\0b'\n", 6), std::string_view("# \0\n", 4)}) {
    SCOPED_TRACE(testing::PrintToString(std::string(text)));
    DecodedSource decoded = DecodeSource(text);
    ASSERT_FALSE(decoded.problems.empty());
    EXPECT_EQ(decoded.problems[0].message, "source code string cannot contain null bytes");
  }
}

TEST(LexerTest, InvalidUtf8) {
  ExpectError("x = \xff\n", "0xff");
  ExpectError("caf\xc3\n", "'utf-8' codec can't decode byte 0xc3");
  ExpectError("s = '\xe2\x82'\n", "'utf-8' codec can't decode");
}

// ---------------------------------------------------------------------------------------------
// Robustness

uint64_t NextRandom(uint64_t* state) {
  // splitmix64: deterministic on every platform.
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Junk biased towards the characters the lexer cares about, plus arbitrary bytes.
std::string RandomJunk(uint64_t* state) {
  static constexpr std::string_view kPieces[] = {
      "(",          ")",        "[",        "]",      "{",
      "}",          "'",        "\"",       "'''",    "\"\"\"",
      "f'",         "f\"",      "rb'",      "\\",     "\n",
      "\r",         "\r\n",     " ",        "    ",   "\t",
      "\f",         "#",        "x",        "if",     "0",
      "1_",         "0x",       "1e",       ".",      "!",
      "%",          "?",        "=",        ":",      "+",
      "*",          "<",        ">",        "@",      ",",
      ";",          "\xc3\xa9", "\xe2\x82", "\xff",   std::string_view("\0", 1),
      "{x!r:>{w}}", "$",        "match",    "lambda",
  };
  std::string out;
  size_t n = NextRandom(state) % 60;
  for (size_t i = 0; i < n; ++i) {
    uint64_t r = NextRandom(state);
    if (r % 8 == 0) {
      out.push_back(static_cast<char>(r >> 8));
    } else {
      out.append(kPieces[(r >> 8) % std::size(kPieces)]);
    }
  }
  return out;
}

TEST(LexerTest, RandomJunkAlwaysEndsWithEndOfFile) {
  uint64_t state = 20240601;
  for (int i = 0; i < 2000; ++i) {
    std::string junk = RandomJunk(&state);
    for (bool ipython : {false, true}) {
      LexOptions options;
      options.ipython = ipython;
      LexResult r = Lex(junk, options);
      ASSERT_FALSE(r.tokens.empty()) << testing::PrintToString(junk);
      ASSERT_EQ(r.tokens.back().kind, kEndOfFile) << testing::PrintToString(junk);
      for (size_t t = 0; t < r.tokens.size(); ++t) {
        const Token& tok = r.tokens[t];
        ASSERT_LE(tok.start, tok.end) << testing::PrintToString(junk);
        ASSERT_LE(tok.end, junk.size()) << testing::PrintToString(junk);
        if (t + 1 < r.tokens.size()) {
          ASSERT_NE(tok.kind, kEndOfFile) << testing::PrintToString(junk);
        }
      }
      for (const SyntaxDiagnostic& d : r.errors) {
        ASSERT_LE(d.start, d.end) << testing::PrintToString(junk);
        ASSERT_LE(d.end, junk.size()) << testing::PrintToString(junk);
        ASSERT_FALSE(d.message.empty());
      }
    }
  }
}

TEST(LexerTest, TooManyNestedParentheses) {
  for (char open : {'(', '['}) {
    SCOPED_TRACE(std::string(1, open));
    std::string text(100000, open);
    text += "\n";
    for (const Lexed& l : LexEveryLineEnding(text)) {
      SCOPED_TRACE(l.eol);
      ASSERT_FALSE(l.result.errors.empty());
      EXPECT_EQ(l.result.errors[0].message, "too many nested parentheses");
      EXPECT_EQ(l.result.tokens.back().kind, kEndOfFile);
    }
  }
  // 200 levels are allowed, as in CPython.
  ExpectKinds(std::string(200, '(') + std::string(200, ')') + "\n", [] {
    std::vector<TokenKind> k(200, kLPar);
    k.insert(k.end(), 200, kRPar);
    k.push_back(kNewline);
    k.push_back(kEndOfFile);
    return k;
  }());
}

// ---------------------------------------------------------------------------------------------
// IPython escapes

LexOptions IPython() {
  LexOptions options;
  options.ipython = true;
  return options;
}

TEST(LexerTest, IPythonLineMagic) {
  ExpectTexts("%matplotlib inline\nx\n", {"%matplotlib inline", "\n", "x", "\n", ""}, IPython());
  ExpectKinds("%matplotlib inline\n", {kIpyEscape, kNewline, kEndOfFile}, IPython());
}

// Automagic: a one-line cell that starts with a line magic's name, and does not go on as
// Python, is that magic.
TEST(LexerTest, IPythonAutomagicLines) {
  ExpectKinds("reset -fs\n", {kIpyEscape, kNewline, kEndOfFile}, IPython());
  ExpectKinds("time x = f()\n", {kIpyEscape, kNewline, kEndOfFile}, IPython());
  ExpectKinds("history -n\n", {kIpyEscape, kNewline, kEndOfFile}, IPython());
  ExpectKinds("history = []\n", {kName, kEqual, kLSqb, kRSqb, kNewline, kEndOfFile}, IPython());
  ExpectKinds("time.sleep(1)\n", {kName, kDot, kName, kLPar, kNumber, kRPar, kNewline, kEndOfFile},
              IPython());
  ExpectKinds("reset - fs\n", {kName, kMinus, kName, kNewline, kEndOfFile}, IPython());
  // An absolute path after the magic ("cd /content/drive/MyDrive/proj"); a division is spaced.
  ExpectKinds("cd /content/drive/MyDrive/my-proj\n", {kIpyEscape, kNewline, kEndOfFile}, IPython());
  ExpectKinds("ls /tmp\n", {kIpyEscape, kNewline, kEndOfFile}, IPython());
  ExpectKinds("ls / n\n", {kName, kSlash, kName, kNewline, kEndOfFile}, IPython());
  ExpectKinds("ls //2\n", {kName, kDoubleSlash, kNumber, kNewline, kEndOfFile}, IPython());
}

TEST(LexerTest, IPythonCellMagic) {
  ExpectTexts("%%time\nx = 1\n", {"%%time", "\n", "x", "=", "1", "\n", ""}, IPython());
}

TEST(LexerTest, IPythonShellEscapes) {
  ExpectTexts("!ls -l\n", {"!ls -l", "\n", ""}, IPython());
  ExpectTexts("!!ls\n", {"!!ls", "\n", ""}, IPython());
}

TEST(LexerTest, IPythonHelp) {
  ExpectTexts("?obj\n", {"?obj", "\n", ""}, IPython());
  ExpectTexts("??obj\n", {"??obj", "\n", ""}, IPython());
  ExpectTexts("obj?\n", {"obj?", "\n", ""}, IPython());
  ExpectTexts("obj.attr??\n", {"obj.attr??", "\n", ""}, IPython());
}

TEST(LexerTest, IPythonEscapeAsAssignmentValue) {
  ExpectTexts("x = !ls\n", {"x", "=", "!ls", "\n", ""}, IPython());
  ExpectTexts("x = %who_ls\n", {"x", "=", "%who_ls", "\n", ""}, IPython());
  ExpectKinds("x = !ls\n", {kName, kEqual, kIpyEscape, kNewline, kEndOfFile}, IPython());
}

TEST(LexerTest, IPythonEscapeContinuedWithBackslash) {
  ExpectTexts("!echo a \\\n  b\nx\n", {"!echo a \\\n  b", "\n", "x", "\n", ""}, IPython());
}

TEST(LexerTest, IPythonEscapeInsideABlock) {
  ExpectKinds("if a:\n    %time f()\n",
              {kIf, kName, kColon, kNewline, kIndent, kIpyEscape, kNewline, kDedent, kEndOfFile},
              IPython());
}

TEST(LexerTest, IPythonModeKeepsOperators) {
  ExpectKinds("x = a % b\ny = a != b\nz = {'a': 1}\n",
              {kName,   kEqual,  kName,     kPercent, kName,    kNewline, kName,
               kEqual,  kName,   kNotEqual, kName,    kNewline, kName,    kEqual,
               kLBrace, kString, kColon,    kNumber,  kRBrace,  kNewline, kEndOfFile},
              IPython());
  // Not after "=" at the start of a statement: an operator inside brackets.
  ExpectKinds("f(x=%s)\n",
              {kName, kLPar, kName, kEqual, kPercent, kName, kRPar, kNewline, kEndOfFile},
              IPython());
}

// IPython's cleanup before a cell runs: the first line's indentation leaves every line that
// starts with it, and pasted interpreter prompts are dropped.
TEST(LexerTest, IPythonRemovesTheFirstLinesIndentation) {
  ExpectKinds("  for x in y:\n    f(x)\n",
              {kFor, kName, kIn, kName, kColon, kNewline, kIndent, kName, kLPar, kName, kRPar,
               kNewline, kDedent, kEndOfFile},
              IPython());
  ExpectKinds("\n\n  x = 1\n", {kName, kEqual, kNumber, kNewline, kEndOfFile}, IPython());
  ExpectTexts("  %time f()\n", {"%time f()", "\n", ""}, IPython());
  // A line without that indentation is left as it is.
  ExpectKinds("    x = 1\n  y = 2\n",
              {kName, kEqual, kNumber, kNewline, kIndent, kName, kEqual, kNumber, kNewline, kDedent,
               kEndOfFile},
              IPython());
  // Not without IPython: a script's first line may not be indented.
  ExpectKinds("  x = 1\n", {kIndent, kName, kEqual, kNumber, kNewline, kDedent, kEndOfFile});
}

TEST(LexerTest, IPythonRemovesPastedPrompts) {
  ExpectTexts(">>> x = [1,\n...      2]\n", {"x", "=", "[", "1", ",", "2", "]", "\n", ""},
              IPython());
  // The second line decides when the first has none; a line without a prompt stays.
  ExpectTexts("# a session\n>>> 3 / 2\n1.5\n", {"3", "/", "2", "\n", "1.5", "\n", ""}, IPython());
  ExpectTexts("In [1]: y = 1\n   ...: z = y\n", {"y", "=", "1", "\n", "z", "=", "y", "\n", ""},
              IPython());
  ExpectTexts("[ins] In [12]: f()\n", {"f", "(", ")", "\n", ""}, IPython());
  // "..." alone on the first line is Python's Ellipsis, not a prompt.
  ExpectKinds("...\n", {kEllipsis, kNewline, kEndOfFile}, IPython());
}

TEST(LexerTest, EscapesAreErrorsWithoutIPythonMode) {
  ExpectError("!ls\n", "invalid syntax");
  ExpectError("?obj\n", "'?'");
  for (const Lexed& l : LexEveryLineEnding("%matplotlib inline\n")) {
    EXPECT_THAT(Kinds(l.result), testing::Not(testing::Contains(kIpyEscape)));
  }
}

TEST(StrCat, MixesStringsCharactersAndIntegers) {
  EXPECT_EQ(StrCat("a", std::string_view("b"), std::string("c"), 'd'), "abcd");
  EXPECT_EQ(StrCat(0, " ", 7, " ", -42), "0 7 -42");
  EXPECT_EQ(StrCat(INT32_MIN, "|", UINT32_MAX), "-2147483648|4294967295");
  EXPECT_EQ(StrCat(INT64_MIN, "|", UINT64_MAX), "-9223372036854775808|18446744073709551615");
  std::string out = "x=";
  StrAppend(&out, uint16_t{65535}, ',', int8_t{-128});
  EXPECT_EQ(out, "x=65535,-128");
}

// Every length up to past memcmp's, each with one byte changed at every position: word loads
// that overlap or leave a byte out would miss some of them.
TEST(SameBytes, FindsEveryDifferingByteAtEveryLength) {
  const std::string base = "abcdefghijklmnopqrstuvwxyz0123456789";
  for (size_t n = 0; n <= 24; ++n) {
    // Unaligned, and with bytes after the compared ones that differ.
    std::string a = StrCat("#", std::string_view(base).substr(0, n), "!");
    std::string b = StrCat("%", std::string_view(base).substr(0, n), "?");
    EXPECT_TRUE(SameBytes(a.data() + 1, b.data() + 1, n)) << n;
    for (size_t i = 0; i < n; ++i) {
      std::string c = b;
      c[1 + i] = 'A';
      EXPECT_FALSE(SameBytes(a.data() + 1, c.data() + 1, n)) << "length " << n << " at " << i;
      EXPECT_FALSE(
          StringViewEq()(std::string_view(a).substr(1, n), std::string_view(c).substr(1, n)));
    }
  }
  EXPECT_FALSE(StringViewEq()("abc", "abcd"));
}

}  // namespace
}  // namespace cellflow
