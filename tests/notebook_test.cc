// Tests of NotebookReader: .ipynb (nbformat 2 to 4), percent scripts and plain scripts, the
// raw-line source map, and every class of malformed input with its message.
#include "driver/notebook.h"

#include <chrono>
#include <cstdint>
#include <iterator>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "lexer/str_util.h"

namespace cellflow {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// The source lines of a cell: split at "\n", "\r\n" or a lone "\r", no empty line after a final
// terminator.
std::vector<std::string_view> SourceLines(std::string_view s) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t e = s.find_first_of("\r\n", pos);
    if (e == std::string_view::npos) {
      lines.push_back(s.substr(pos));
      break;
    }
    lines.push_back(s.substr(pos, e - pos));
    pos = e + 1;
    if (s[e] == '\r' && pos < s.size() && s[pos] == '\n') ++pos;
  }
  return lines;
}

// 1-based line of `text` holding the first occurrence of `needle` ("\n" ends a line).
uint32_t LineOf(std::string_view text, std::string_view needle) {
  size_t at = text.find(needle);
  EXPECT_NE(at, std::string_view::npos) << needle;
  if (at == std::string_view::npos) return 0;
  uint32_t line = 1;
  for (size_t i = 0; i < at; ++i) line += text[i] == '\n';
  return line;
}

std::string Message(const absl::Status& status) { return std::string(status.message()); }

class NotebookTest : public ::testing::Test {
 protected:
  absl::StatusOr<Notebook> Read(std::string_view bytes, std::string path = "test.ipynb") {
    where_ = ReadErrorPosition{};
    return reader_.Read(std::move(path), bytes, &where_);
  }

  // Reads a notebook that must be valid and checks the invariants every notebook keeps.
  Notebook ReadOk(std::string_view bytes, std::string path = "test.ipynb") {
    absl::StatusOr<Notebook> nb = Read(bytes, std::move(path));
    EXPECT_TRUE(nb.ok()) << nb.status();
    if (!nb.ok()) return Notebook{};
    CheckInvariants(*nb);
    return *std::move(nb);
  }

  // The reason a notebook is refused (fails the test when it is read).
  std::string ReadError(std::string_view bytes, std::string path = "test.ipynb") {
    absl::StatusOr<Notebook> nb = Read(bytes, std::move(path));
    EXPECT_FALSE(nb.ok()) << "read " << (nb.ok() ? nb->cells.size() : 0) << " cells";
    return nb.ok() ? std::string() : Message(nb.status());
  }

  static void CheckInvariants(const Notebook& nb) {
    for (size_t i = 0; i < nb.cells.size(); ++i) {
      const Cell& cell = nb.cells[i];
      EXPECT_EQ(cell.index, i + 1);
      EXPECT_LE(cell.begin, cell.end);
      EXPECT_LE(cell.end, nb.buffer.size());
      ASSERT_LE(cell.raw_lines_begin, cell.raw_lines_end);
      ASSERT_LE(cell.raw_lines_end, nb.raw_lines.size());
      std::span<const uint32_t> raw_lines = nb.RawLines(cell);
      EXPECT_EQ(raw_lines.size(), SourceLines(nb.Source(cell)).size()) << "cell " << i + 1;
      for (size_t k = 0; k < raw_lines.size(); ++k) {
        EXPECT_GE(raw_lines[k], 1u);
        if (k > 0) {
          EXPECT_LE(raw_lines[k - 1], raw_lines[k]);
        }
      }
    }
  }

  NotebookReader reader_;
  ReadErrorPosition where_;
};

// A notebook with the given cells (JSON text of each) and top-level metadata.
std::string Nb4(std::string_view cells, std::string_view metadata = "{}") {
  return StrCat("{\"cells\": [", cells, "], \"metadata\": ", metadata,
                ", \"nbformat\": 4, \"nbformat_minor\": 5}");
}

std::string CodeCell(std::string_view source_json, std::string_view extra = "") {
  return StrCat("{\"cell_type\": \"code\", \"execution_count\": null, \"metadata\": {}, ", extra,
                "\"outputs\": [], \"source\": ", source_json, "}");
}

// ---------------------------------------------------------------------------------------------
// nbformat 4

constexpr std::string_view kPretty = R"json({
 "cells": [
  {
   "cell_type": "markdown",
   "metadata": {},
   "source": [
    "# Title\n",
    "\n",
    "Some text"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": 3,
   "metadata": {"tags": ["parameters", "skip"]},
   "outputs": [],
   "source": [
    "import os\n",
    "x = 1"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": null,
   "metadata": {},
   "outputs": [],
   "source": "y = x + 1\nprint(y)\n"
  },
  {
   "cell_type": "raw",
   "metadata": {},
   "source": []
  }
 ],
 "metadata": {
  "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
  "language_info": {"name": "python", "version": "3.11.0"}
 },
 "nbformat": 4,
 "nbformat_minor": 5
}
)json";

TEST_F(NotebookTest, Nbformat4PrettyPrinted) {
  Notebook nb = ReadOk(kPretty);
  EXPECT_EQ(nb.format, NotebookFormat::kIpynb);
  EXPECT_EQ(nb.nbformat, 4);
  EXPECT_EQ(nb.nbformat_minor, 5);
  EXPECT_EQ(nb.language, "python");
  EXPECT_TRUE(nb.IsPython());
  ASSERT_EQ(nb.cells.size(), 4u);

  const Cell& md = nb.cells[0];
  EXPECT_EQ(md.index, 1u);
  EXPECT_EQ(md.type, "markdown");
  EXPECT_FALSE(md.IsCode());
  EXPECT_EQ(nb.Source(md), "# Title\n\nSome text");
  EXPECT_THAT(nb.RawLines(md), ElementsAre(7, 8, 9));
  EXPECT_FALSE(md.execution_count.has_value());

  const Cell& code = nb.cells[1];
  EXPECT_EQ(code.index, 2u);
  EXPECT_TRUE(code.IsCode());
  EXPECT_EQ(nb.Source(code), "import os\nx = 1");
  EXPECT_THAT(nb.RawLines(code), ElementsAre(18, 19));
  EXPECT_EQ(code.execution_count, 3);
  EXPECT_THAT(code.tags, ElementsAre("parameters", "skip"));
  EXPECT_FALSE(code.has_outputs);
  EXPECT_FALSE(code.error_name.has_value());

  const Cell& str = nb.cells[2];
  EXPECT_EQ(nb.Source(str), "y = x + 1\nprint(y)\n");
  EXPECT_THAT(nb.RawLines(str), ElementsAre(27, 27));
  EXPECT_FALSE(str.execution_count.has_value());
  EXPECT_THAT(str.tags, IsEmpty());

  const Cell& raw = nb.cells[3];
  EXPECT_EQ(raw.type, "raw");
  EXPECT_EQ(nb.Source(raw), "");
  EXPECT_THAT(nb.RawLines(raw), IsEmpty());
}

// Colab's "Save a copy in GitHub" writes a notebook's JSON under the name given, often
// `app.py`: such a file is read as the notebook it is; a Python file that starts with a dict
// is still a script.
TEST_F(NotebookTest, NotebookJsonUnderAPyName) {
  Notebook nb = ReadOk(kPretty, "app.py");
  EXPECT_EQ(nb.format, NotebookFormat::kIpynb);
  ASSERT_EQ(nb.cells.size(), 4u);
  EXPECT_EQ(nb.Source(nb.cells[1]), "import os\nx = 1");
  EXPECT_TRUE(LooksLikeNotebookJson(kPretty));
  const std::string dict = "{\"cells\": [], \"name\": 1}\nprint(1)\n";
  EXPECT_FALSE(LooksLikeNotebookJson(dict));
  EXPECT_EQ(ReadOk(dict, "data.py").format, NotebookFormat::kScript);
  EXPECT_FALSE(LooksLikeNotebookJson("# \"nbformat\" \"cells\"\n"));
}

TEST_F(NotebookTest, SourceAsStringAndAsList) {
  Notebook nb = ReadOk(
      Nb4(StrCat(CodeCell(R"("a = 1\nb = 2")"), ", ", CodeCell(R"(["a = 1\n", "b = 2"])"), ", ",
                 CodeCell(R"("")"), ", ", CodeCell("[]"), ", ", CodeCell(R"(["", ""])"))));
  ASSERT_EQ(nb.cells.size(), 5u);
  EXPECT_EQ(nb.Source(nb.cells[0]), "a = 1\nb = 2");
  EXPECT_EQ(nb.Source(nb.cells[1]), "a = 1\nb = 2");
  for (int i = 2; i < 5; ++i) {
    EXPECT_EQ(nb.Source(nb.cells[i]), "") << i;
    EXPECT_THAT(nb.RawLines(nb.cells[i]), IsEmpty()) << i;
  }
}

TEST_F(NotebookTest, CellWithoutSourceIsEmpty) {
  Notebook nb = ReadOk(Nb4(R"({"cell_type": "code", "metadata": {}, "outputs": []})"));
  ASSERT_EQ(nb.cells.size(), 1u);
  EXPECT_EQ(nb.Source(nb.cells[0]), "");
  EXPECT_THAT(nb.RawLines(nb.cells[0]), IsEmpty());
}

// A cell with no source lines still has a place in the raw file: its "source" value.
TEST_F(NotebookTest, SourceLineOfAnEmptyCell) {
  Notebook nb = ReadOk(
      "{\n \"cells\": [\n  {\"cell_type\": \"code\", \"metadata\": {}, \"outputs\": [],\n"
      "   \"execution_count\": 4,\n   \"source\": []},\n"
      "  {\"cell_type\": \"code\", \"metadata\": {}, \"outputs\": [],\n"
      "   \"source\": [\n    \"x = 1\"\n   ]}\n ],\n"
      " \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5\n}\n");
  ASSERT_EQ(nb.cells.size(), 2u);
  EXPECT_TRUE(nb.RawLines(nb.cells[0]).empty());
  EXPECT_EQ(nb.cells[0].source_line, 5u);
  EXPECT_EQ(nb.cells[1].source_line, 7u);
  EXPECT_THAT(nb.RawLines(nb.cells[1]), ElementsAre(8));
}

TEST_F(NotebookTest, EmptyCellList) {
  Notebook nb = ReadOk(Nb4(""));
  EXPECT_THAT(nb.cells, IsEmpty());
  EXPECT_EQ(nb.nbformat, 4);
}

TEST_F(NotebookTest, FieldOrderDoesNotMatter) {
  Notebook nb = ReadOk(
      R"({"nbformat_minor": 2, "nbformat": 4, "metadata": {"language_info": {"name": "python"}},
          "cells": [{"source": "x", "outputs": [], "metadata": {}, "execution_count": 7,
                     "cell_type": "code"}]})");
  ASSERT_EQ(nb.cells.size(), 1u);
  EXPECT_EQ(nb.cells[0].type, "code");
  EXPECT_EQ(nb.cells[0].execution_count, 7);
  EXPECT_EQ(nb.Source(nb.cells[0]), "x");
  EXPECT_EQ(nb.nbformat_minor, 2);
}

TEST_F(NotebookTest, ExecutionCountNullAndInt) {
  Notebook nb = ReadOk(Nb4(StrCat(
      R"({"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": ""},)",
      R"({"cell_type": "code", "execution_count": 12, "metadata": {}, "outputs": [], "source": ""},)",
      R"({"cell_type": "code", "execution_count": 0, "metadata": {}, "outputs": [], "source": ""},)",
      R"({"cell_type": "code", "metadata": {}, "outputs": [], "source": ""})")));
  ASSERT_EQ(nb.cells.size(), 4u);
  EXPECT_FALSE(nb.cells[0].execution_count.has_value());
  EXPECT_EQ(nb.cells[1].execution_count, 12);
  EXPECT_EQ(nb.cells[2].execution_count, 0);
  EXPECT_FALSE(nb.cells[3].execution_count.has_value());
}

TEST_F(NotebookTest, Tags) {
  Notebook nb = ReadOk(Nb4(StrCat(
      R"({"cell_type": "code", "metadata": {"tags": ["a", "b c", "\u00e9", 3]}, "source": "x"},)",
      R"({"cell_type": "markdown", "metadata": {"collapsed": true, "tags": ["m"]}, "source": ""},)",
      R"({"cell_type": "code", "metadata": {"tags": []}, "outputs": [], "source": ""},)",
      R"({"cell_type": "code", "metadata": {"tags": "notalist"}, "outputs": [], "source": ""})")));
  ASSERT_EQ(nb.cells.size(), 4u);
  EXPECT_THAT(nb.cells[0].tags, ElementsAre("a", "b c", "\xC3\xA9"));
  EXPECT_THAT(nb.cells[1].tags, ElementsAre("m"));
  EXPECT_THAT(nb.cells[2].tags, IsEmpty());
  EXPECT_THAT(nb.cells[3].tags, IsEmpty());
}

TEST_F(NotebookTest, TagsBeforeOtherMetadata) {
  Notebook nb = ReadOk(Nb4(
      R"({"cell_type": "code", "metadata": {"tags": ["t"], "scrolled": true}, "source": "x"})"));
  ASSERT_EQ(nb.cells.size(), 1u);
  EXPECT_THAT(nb.cells[0].tags, ElementsAre("t"));
}

TEST_F(NotebookTest, KernelLanguage) {
  struct Case {
    std::string_view metadata;
    std::string_view language;
    bool python;
  };
  const Case cases[] = {
      {"{}", "", true},
      {R"({"kernelspec": {"language": "python", "name": "python3"}})", "python", true},
      {R"({"kernelspec": {"language": "Python"}})", "python", true},
      {R"({"language_info": {"name": "python", "version": "3.9"}})", "python", true},
      {R"({"kernelspec": {"display_name": "R", "language": "R", "name": "ir"},
           "language_info": {"name": "R"}})",
       "r", false},
      {R"({"language_info": {"name": "R"}})", "r", false},
      {R"({"kernelspec": {"language": "julia"}, "language_info": {"name": "python"}})", "julia",
       false},
      {R"({"kernelspec": {"name": "python3"}, "language_info": {"name": "python"}})", "python",
       true},
      {R"({"language": "python"})", "python", true},
      {R"({"kernelspec": "python3"})", "", true},
      // sparkmagic's kernels: PySpark is Python; Spark (Scala) and SparkR are not.
      {R"({"kernelspec": {"language": "", "name": "pysparkkernel"},
           "language_info": {"name": "pyspark", "mimetype": "text/x-python"}})",
       "pyspark", true},
      {R"({"kernelspec": {"language": "", "name": "sparkkernel"},
           "language_info": {"name": "scala"}})",
       "scala", false},
  };
  for (const Case& c : cases) {
    Notebook nb = ReadOk(Nb4(CodeCell(R"("x")"), c.metadata));
    EXPECT_EQ(nb.language, c.language) << c.metadata;
    EXPECT_EQ(nb.IsPython(), c.python) << c.metadata;
  }
}

// nbformat 3 notebooks often state their language only in their code cells; the metadata, in
// whatever place of the file, wins.
TEST_F(NotebookTest, Nbformat3CellLanguage) {
  auto v3 = [](std::string_view metadata, std::string_view language) {
    return StrCat(R"({"worksheets": [{"cells": [{"cell_type": "markdown", "source": "# t"},
                     {"cell_type": "code", "language": ")",
                  language, R"(", "input": "x = 1", "outputs": []}]}], "metadata": )", metadata,
                  R"(, "nbformat": 3, "nbformat_minor": 0})");
  };
  EXPECT_EQ(ReadOk(v3("{}", "python")).language, "python");
  EXPECT_EQ(ReadOk(v3("{}", "Julia")).language, "julia");
  EXPECT_EQ(ReadOk(v3(R"({"kernelspec": {"language": "python"}})", "julia")).language, "python");
  EXPECT_EQ(ReadOk(Nb4(CodeCell(R"("x")"))).language, "");
}

TEST_F(NotebookTest, RNotebookIsNotPython) {
  Notebook nb = ReadOk(Nb4(CodeCell(R"(["library(ggplot2)\n", "x <- 1"])"),
                           R"({"kernelspec": {"display_name": "R", "language": "R", "name": "ir"},
                               "language_info": {"codemirror_mode": "r", "name": "R"}})"));
  EXPECT_FALSE(nb.IsPython());
  EXPECT_EQ(nb.language, "r");
  ASSERT_EQ(nb.cells.size(), 1u);
  EXPECT_EQ(nb.Source(nb.cells[0]), "library(ggplot2)\nx <- 1");
}

TEST_F(NotebookTest, ErrorOutputs) {
  Notebook nb = ReadOk(Nb4(StrCat(
      R"({"cell_type": "code", "execution_count": 1, "metadata": {}, "source": "1/0",
          "outputs": [
           {"name": "stdout", "output_type": "stream", "text": ["hi\n"]},
           {"ename": "ZeroDivisionError", "evalue": "division by zero", "output_type": "error",
            "traceback": ["\u001b[0;31m---\u001b[0m", "ZeroDivisionError: division by zero"]},
           {"output_type": "error", "ename": "ValueError", "evalue": "second", "traceback": []}
          ]},)",
      // output_type after ename; an "ename" on a non-error output does not count.
      R"js({"cell_type": "code", "execution_count": 2, "metadata": {}, "source": "f()",
          "outputs": [
           {"output_type": "stream", "name": "stderr", "ename": "NotAnError", "text": "x"},
           {"traceback": [], "evalue": "name 'f' is not defined", "ename": "NameError",
            "output_type": "error"}
          ]},)js",
      R"({"cell_type": "code", "execution_count": 3, "metadata": {}, "source": "2",
          "outputs": [{"data": {"text/plain": ["2"]}, "execution_count": 3, "metadata": {},
                       "output_type": "execute_result"}]})")));
  ASSERT_EQ(nb.cells.size(), 3u);
  EXPECT_TRUE(nb.cells[0].has_outputs);
  EXPECT_EQ(nb.cells[0].error_name, "ZeroDivisionError");
  EXPECT_EQ(nb.cells[0].error_value, "division by zero");
  EXPECT_EQ(nb.cells[1].error_name, "NameError");
  EXPECT_EQ(nb.cells[1].error_value, "name 'f' is not defined");
  EXPECT_TRUE(nb.cells[2].has_outputs);
  EXPECT_FALSE(nb.cells[2].error_name.has_value());
  EXPECT_EQ(nb.cells[2].execution_count, 3);
}

TEST_F(NotebookTest, PayloadHeavyOutputsAreSkipped) {
  std::string image(4000, 'A');
  std::string cell = StrCat(
      R"({"cell_type": "code", "execution_count": 5, "metadata": {}, "source": ["plot()\n"],
          "outputs": [
           {"data": {"image/png": ")",
      image, R"(", "text/plain": ["<Figure>"],
                     "application/json": {"nested": [1, 2, {"source": "not me"}]}},
            "metadata": {"needs_background": "light"}, "output_type": "display_data"},
           {"data": {"text/html": ["<table>\n", "</table>"]}, "output_type": "execute_result",
            "execution_count": 99, "metadata": {}},
           {"output_type": "error", "ename": "KeyError", "evalue": "'k'", "traceback": []}
          ]})");
  Notebook nb = ReadOk(Nb4(cell));
  ASSERT_EQ(nb.cells.size(), 1u);
  EXPECT_EQ(nb.Source(nb.cells[0]), "plot()\n");
  EXPECT_EQ(nb.cells[0].execution_count, 5);  // not the output's 99
  EXPECT_TRUE(nb.cells[0].has_outputs);
  EXPECT_EQ(nb.cells[0].error_name, "KeyError");
  EXPECT_LT(nb.buffer.size(), 100u);  // no payload copied into the buffer
}

// ---------------------------------------------------------------------------------------------
// nbformat 3 and 2

constexpr std::string_view kNb3 = R"json({
 "metadata": {
  "name": "",
  "signature": "sha256:0"
 },
 "nbformat": 3,
 "nbformat_minor": 0,
 "worksheets": [
  {
   "cells": [
    {
     "cell_type": "heading",
     "level": 1,
     "metadata": {},
     "source": [
      "A title"
     ]
    },
    {
     "cell_type": "code",
     "collapsed": false,
     "input": [
      "import numpy as np\n",
      "1/0"
     ],
     "language": "python",
     "metadata": {},
     "outputs": [
      {
       "ename": "ZeroDivisionError",
       "evalue": "integer division or modulo by zero",
       "output_type": "pyerr",
       "traceback": ["..."]
      }
     ],
     "prompt_number": 4
    },
    {
     "cell_type": "markdown",
     "metadata": {},
     "source": "Some *text*"
    },
    {
     "cell_type": "code",
     "collapsed": false,
     "input": [],
     "language": "python",
     "metadata": {},
     "outputs": [],
     "prompt_number": null
    }
   ],
   "metadata": {}
  }
 ]
}
)json";

TEST_F(NotebookTest, Nbformat3) {
  Notebook nb = ReadOk(kNb3);
  EXPECT_EQ(nb.nbformat, 3);
  EXPECT_EQ(nb.nbformat_minor, 0);
  EXPECT_TRUE(nb.IsPython());
  ASSERT_EQ(nb.cells.size(), 4u);
  EXPECT_EQ(nb.cells[0].type, "heading");
  EXPECT_EQ(nb.Source(nb.cells[0]), "A title");
  EXPECT_THAT(nb.RawLines(nb.cells[0]), ElementsAre(LineOf(kNb3, "\"A title")));

  const Cell& code = nb.cells[1];
  EXPECT_EQ(code.index, 2u);
  EXPECT_EQ(code.type, "code");
  EXPECT_EQ(nb.Source(code), "import numpy as np\n1/0");
  EXPECT_THAT(nb.RawLines(code),
              ElementsAre(LineOf(kNb3, "\"import numpy"), LineOf(kNb3, "\"1/0")));
  EXPECT_EQ(code.execution_count, 4);
  EXPECT_TRUE(code.has_outputs);
  EXPECT_EQ(code.error_name, "ZeroDivisionError");
  EXPECT_EQ(code.error_value, "integer division or modulo by zero");

  EXPECT_EQ(nb.cells[2].type, "markdown");
  EXPECT_EQ(nb.Source(nb.cells[2]), "Some *text*");
  EXPECT_EQ(nb.Source(nb.cells[3]), "");
  EXPECT_FALSE(nb.cells[3].execution_count.has_value());
}

TEST_F(NotebookTest, Nbformat3SeveralWorksheetsNumberCellsAcrossThem) {
  Notebook nb = ReadOk(R"({"nbformat": 3, "nbformat_minor": 0, "metadata": {"name": "x"},
    "worksheets": [
      {"cells": [{"cell_type": "code", "input": "a = 1", "outputs": [], "prompt_number": 1}],
       "metadata": {}},
      {"metadata": {}, "cells": [{"cell_type": "code", "input": "b = a", "outputs": []},
                                 {"cell_type": "markdown", "source": "m"}]}
    ]})");
  ASSERT_EQ(nb.cells.size(), 3u);
  EXPECT_EQ(nb.Source(nb.cells[0]), "a = 1");
  EXPECT_EQ(nb.Source(nb.cells[1]), "b = a");
  EXPECT_EQ(nb.cells[2].index, 3u);
  EXPECT_EQ(nb.cells[2].type, "markdown");
}

TEST_F(NotebookTest, Nbformat3WithoutWorksheetsHasNoCells) {
  Notebook nb = ReadOk(R"({"nbformat": 3, "nbformat_minor": 0, "metadata": {}})");
  EXPECT_THAT(nb.cells, IsEmpty());
}

TEST_F(NotebookTest, Nbformat2) {
  constexpr std::string_view kNb2 = R"json({
 "metadata": {
  "name": "old"
 },
 "nbformat": 2,
 "worksheets": [
  {
   "cells": [
    {
     "cell_type": "code",
     "collapsed": false,
     "input": "x = 1\nprint x",
     "language": "python",
     "outputs": [
      {
       "output_type": "pyerr",
       "ename": "NameError",
       "evalue": "name 'y' is not defined",
       "traceback": []
      }
     ],
     "prompt_number": 1
    },
    {
     "cell_type": "markdown",
     "source": "notes"
    }
   ]
  }
 ]
}
)json";
  Notebook nb = ReadOk(kNb2);
  EXPECT_EQ(nb.nbformat, 2);
  ASSERT_EQ(nb.cells.size(), 2u);
  EXPECT_EQ(nb.Source(nb.cells[0]), "x = 1\nprint x");
  uint32_t line = LineOf(kNb2, "\"x = 1");
  EXPECT_THAT(nb.RawLines(nb.cells[0]), ElementsAre(line, line));
  EXPECT_EQ(nb.cells[0].execution_count, 1);
  EXPECT_EQ(nb.cells[0].error_name, "NameError");
  EXPECT_EQ(nb.cells[1].type, "markdown");
}

// ---------------------------------------------------------------------------------------------
// Raw-line map

TEST_F(NotebookTest, RawLinesOneLineNotebook) {
  std::string json =
      Nb4(StrCat(CodeCell(R"(["import os\n", "x = 1\n", "y = 2"])"), ",",
                 R"({"cell_type": "markdown", "metadata": {}, "source": "# a\n\nb"})", ",",
                 CodeCell(R"("z = 3\n")")));
  ASSERT_EQ(json.find('\n'), std::string::npos);
  Notebook nb = ReadOk(json);
  ASSERT_EQ(nb.cells.size(), 3u);
  EXPECT_THAT(nb.RawLines(nb.cells[0]), ElementsAre(1, 1, 1));
  EXPECT_THAT(nb.RawLines(nb.cells[1]), ElementsAre(1, 1, 1));
  EXPECT_THAT(nb.RawLines(nb.cells[2]), ElementsAre(1));
  EXPECT_EQ(nb.Source(nb.cells[1]), "# a\n\nb");
}

TEST_F(NotebookTest, RawLinesCrlfJson) {
  std::string json(kPretty);
  std::string crlf;
  for (char c : json) {
    if (c == '\n') crlf.push_back('\r');
    crlf.push_back(c);
  }
  Notebook nb = ReadOk(crlf);
  ASSERT_EQ(nb.cells.size(), 4u);
  EXPECT_THAT(nb.RawLines(nb.cells[0]), ElementsAre(7, 8, 9));
  EXPECT_THAT(nb.RawLines(nb.cells[1]), ElementsAre(18, 19));
  EXPECT_THAT(nb.RawLines(nb.cells[2]), ElementsAre(27, 27));
  EXPECT_EQ(nb.Source(nb.cells[1]), "import os\nx = 1");  // string contents are unchanged
}

TEST_F(NotebookTest, RawLinesWithEscapedCharacters) {
  constexpr std::string_view kJson = R"json({
 "cells": [
  {
   "cell_type": "code",
   "metadata": {},
   "source": [
    "print(\"a\\nb\")\n",
    "s = '\u00e9\ud83d\ude00 caf\u00e9'\n",
    "t = 'tab\there' \/ 2\n",
    "two\nlines in one item\n",
    "u = \"\\\"\"\n",
    "last"
   ]
  }
 ],
 "metadata": {},
 "nbformat": 4,
 "nbformat_minor": 4
}
)json";
  Notebook nb = ReadOk(kJson);
  ASSERT_EQ(nb.cells.size(), 1u);
  EXPECT_EQ(nb.Source(nb.cells[0]),
            "print(\"a\\nb\")\n"
            "s = '\xC3\xA9\xF0\x9F\x98\x80 caf\xC3\xA9'\n"
            "t = 'tab\there' / 2\n"
            "two\nlines in one item\n"
            "u = \"\\\"\"\n"
            "last");
  EXPECT_THAT(nb.RawLines(nb.cells[0]), ElementsAre(7, 8, 9, 10, 10, 11, 12));
}

TEST_F(NotebookTest, RawLinesForItemsWithoutNewline) {
  constexpr std::string_view kJson = R"json({
 "cells": [
  {
   "cell_type": "code",
   "metadata": {},
   "source": [
    "a = (1,\n",
    "2",
    ")\n",
    "b = 3",
    "",
    "c = 4\n",
    "\n",
    "d"
   ]
  }
 ],
 "metadata": {},
 "nbformat": 4,
 "nbformat_minor": 4
}
)json";
  Notebook nb = ReadOk(kJson);
  ASSERT_EQ(nb.cells.size(), 1u);
  EXPECT_EQ(nb.Source(nb.cells[0]), "a = (1,\n2)\nb = 3c = 4\n\nd");
  // Lines: "a = (1," (item 1), "2)" (item 2), "b = 3c = 4" (item 4), "" (item 7), "d" (item 8).
  EXPECT_THAT(nb.RawLines(nb.cells[0]), ElementsAre(7, 8, 10, 13, 14));
}

TEST_F(NotebookTest, RawLinesCarriageReturnsInSource) {
  constexpr std::string_view kJson = R"json({"nbformat": 4, "metadata": {}, "cells": [
{"cell_type": "code", "source": [
"a\r\n",
"b\r",
"\nc\r",
"d\r",
"\r\n",
"e"
]}]}
)json";
  Notebook nb = ReadOk(kJson);
  ASSERT_EQ(nb.cells.size(), 1u);
  EXPECT_EQ(nb.Source(nb.cells[0]), "a\r\nb\r\nc\rd\r\r\ne");
  // Lines: "a" (3), "b" (4; its "\r\n" is split over items 2 and 3), "c" (5), "d" (6),
  // "" (7: the "\r\n" item), "e" (8).
  EXPECT_THAT(nb.RawLines(nb.cells[0]), ElementsAre(3, 4, 5, 6, 7, 8));
}

TEST_F(NotebookTest, RawLinesStringSourceOnLaterLine) {
  constexpr std::string_view kJson =
      "{\"nbformat\": 4, \"metadata\": {}, \"cells\": [{\"cell_type\": \"code\",\n"
      "\"metadata\": {},\n"
      "\"source\":\n"
      "\n"
      "   \"x = 1\\ny = 2\\n\\nz\"}]}";
  Notebook nb = ReadOk(kJson);
  ASSERT_EQ(nb.cells.size(), 1u);
  EXPECT_THAT(nb.RawLines(nb.cells[0]), ElementsAre(5, 5, 5, 5));
}

// Random notebooks against a plain count: blanks of every kind between tokens ("\n", "\r\n", a
// lone "\r", long runs), source items of every length with escapes anywhere, and long output
// payloads, so that strings and line ends fall on every side of 32- and 64-byte boundaries.
TEST_F(NotebookTest, RawLinesMatchAPlainCount) {
  std::mt19937 rng(20240611);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  auto blanks = [&] {
    static constexpr std::string_view kBlanks[] = {" ", "\n", "\r\n", "\r", "\t", "  "};
    std::string out;
    size_t n = pick(10) == 0 ? 50 + pick(300) : pick(4);
    for (size_t i = 0; i < n; ++i) out += kBlanks[pick(std::size(kBlanks))];
    return out;
  };
  // A random source item: its text and its JSON spelling.
  auto item = [&](std::string* json) {
    static constexpr std::string_view kPieces[] = {
        "x", "abc ", "\n", "\r", "\r\n", "\"", "\\", "\t", "\xC3\xA9", "\xF0\x9F\x98\x80", "/"};
    std::string text;
    size_t n = pick(8) == 0 ? pick(200) : pick(40);
    for (size_t i = 0; i < n; ++i) text += kPieces[pick(std::size(kPieces))];
    if (pick(2) == 0) text += "\n";
    json->push_back('"');
    for (size_t i = 0; i < text.size(); ++i) {
      char c = text[i];
      if (c == '\n') {
        *json += "\\n";
      } else if (c == '\r') {
        *json += pick(4) == 0 ? "\\u000d" : "\\r";
      } else if (c == '\t') {
        *json += "\\t";
      } else if (c == '"' || c == '\\') {
        *json += '\\';
        *json += c;
      } else if (c == '/' && pick(2) == 0) {
        *json += "\\/";
      } else if (c == '\xC3' && pick(2) == 0) {
        *json += "\\u00e9";
        ++i;
      } else if (c == '\xF0' && pick(2) == 0) {
        *json += "\\ud83d\\ude00";
        i += 3;
      } else {
        *json += c;
      }
    }
    json->push_back('"');
    return text;
  };
  // 1-based line of json[offset]: "\n", "\r\n" and a lone "\r" end lines.
  auto line_of = [](std::string_view json, size_t offset) {
    uint32_t line = 1;
    for (size_t i = 0; i < offset; ++i) {
      line += json[i] == '\n' || (json[i] == '\r' && json[i + 1] != '\n');
    }
    return line;
  };
  for (int round = 0; round < 60; ++round) {
    struct Expected {
      std::string source;
      std::vector<size_t> item_ends;     // in source
      std::vector<size_t> item_offsets;  // of each item's quote in the JSON
    };
    std::vector<Expected> cells(1 + pick(6));
    std::string json = StrCat("{", blanks(), "\"cells\":", blanks(), "[");
    for (size_t c = 0; c < cells.size(); ++c) {
      if (c > 0) json += StrCat(",", blanks());
      json += StrCat(blanks(), "{\"cell_type\":", blanks(), "\"code\",", blanks());
      if (pick(2) == 0) {
        std::string payload(pick(3) == 0 ? 5000 + pick(20000) : pick(300), 'A');
        for (size_t i = 0; i < payload.size(); i += 1 + pick(100)) payload[i] = '+';
        json += StrCat("\"outputs\": [{\"data\": {\"image/png\": \"", payload, "\"}", blanks(),
                       "}],", blanks());
      }
      json += StrCat("\"source\":", blanks());
      bool list = pick(4) != 0;
      size_t items = list ? pick(12) : 1;
      if (list) json += StrCat("[", blanks());
      for (size_t k = 0; k < items; ++k) {
        if (k > 0) json += StrCat(blanks(), ",", blanks());
        cells[c].item_offsets.push_back(json.size());
        cells[c].source += item(&json);
        cells[c].item_ends.push_back(cells[c].source.size());
      }
      if (list) json += StrCat(blanks(), "]");
      json += StrCat(blanks(), "}");
    }
    json += StrCat("],", blanks(), "\"metadata\": {}, \"nbformat\": 4}", blanks());

    // Read in place (with padding after the bytes) and from a copy.
    std::string padded = StrCat(json, std::string(NotebookReader::kReadPadding, '\r'));
    for (bool in_place : {false, true}) {
      absl::StatusOr<Notebook> nb =
          in_place ? reader_.Read("t.ipynb", std::string_view(padded).substr(0, json.size()),
                                  nullptr, NotebookReader::kReadPadding)
                   : Read(json);
      ASSERT_TRUE(nb.ok()) << nb.status() << "\n" << json;
      CheckInvariants(*nb);
      ASSERT_EQ(nb->cells.size(), cells.size());
      for (size_t c = 0; c < cells.size(); ++c) {
        const Expected& want = cells[c];
        ASSERT_EQ(nb->Source(nb->cells[c]), want.source) << "round " << round << " cell " << c;
        std::vector<uint32_t> lines;
        for (std::string_view line : SourceLines(want.source)) {
          size_t start = static_cast<size_t>(line.data() - want.source.data());
          size_t k = 0;
          while (want.item_ends[k] <= start) ++k;
          lines.push_back(line_of(json, want.item_offsets[k]));
        }
        EXPECT_THAT(nb->RawLines(nb->cells[c]), ElementsAreArray(lines))
            << "round " << round << " cell " << c;
      }
    }
  }
}

TEST_F(NotebookTest, Utf8BomAccepted) {
  std::string json = StrCat("\xEF\xBB\xBF", kPretty);
  Notebook nb = ReadOk(json);
  ASSERT_EQ(nb.cells.size(), 4u);
  EXPECT_THAT(nb.RawLines(nb.cells[1]), ElementsAre(18, 19));
  EXPECT_EQ(nb.Source(nb.cells[1]), "import os\nx = 1");
}

TEST_F(NotebookTest, FormatByContentForOtherExtensions) {
  Notebook nb = ReadOk(kPretty, "notebook.json");
  EXPECT_EQ(nb.format, NotebookFormat::kIpynb);
  EXPECT_EQ(nb.cells.size(), 4u);
  Notebook script = ReadOk("x = 1\n", "script.txt");
  EXPECT_EQ(script.format, NotebookFormat::kScript);
}

// ---------------------------------------------------------------------------------------------
// Malformed input

TEST_F(NotebookTest, EmptyFile) {
  EXPECT_THAT(ReadError(""), HasSubstr("empty file"));
  EXPECT_THAT(ReadError("\xEF\xBB\xBF"), HasSubstr("empty file"));
}

TEST_F(NotebookTest, WhitespaceOnly) {
  EXPECT_THAT(ReadError("  \n\t\r\n  "), HasSubstr("only blanks"));
}

TEST_F(NotebookTest, NotJson) {
  EXPECT_THAT(ReadError("hello"), HasSubstr("invalid JSON: unexpected character 'h'"));
  EXPECT_EQ(where_.line, 1u);
  EXPECT_EQ(where_.column, 1u);
  EXPECT_EQ(where_.offset, 0u);
  EXPECT_THAT(ReadError("\n\n  hello world\n"), HasSubstr("(line 3, column 3, byte 4)"));
  EXPECT_EQ(where_.line, 3u);
}

TEST_F(NotebookTest, HtmlPage) {
  std::string message = ReadError(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>GitHub</title></head>\n"
      "<body>{\"cells\": []}</body>\n</html>\n");
  EXPECT_THAT(message, HasSubstr("an HTML page?"));
  EXPECT_THAT(message, HasSubstr("line 1"));
  EXPECT_EQ(where_.line, 1u);
}

TEST_F(NotebookTest, MergeConflictInSourceList) {
  constexpr std::string_view kJson = R"json({
 "cells": [
  {
   "cell_type": "code",
   "execution_count": 1,
   "metadata": {},
   "outputs": [],
   "source": [
<<<<<<< HEAD
    "x = 1\n"
=======
    "x = 2\n"
>>>>>>> feature
   ]
  }
 ],
 "metadata": {},
 "nbformat": 4,
 "nbformat_minor": 5
}
)json";
  std::string message = ReadError(kJson);
  EXPECT_THAT(message, HasSubstr("merge conflict marker"));
  EXPECT_THAT(message, HasSubstr("line 9,"));
  EXPECT_EQ(where_.line, 9u);
  EXPECT_EQ(where_.column, 1u);
}

TEST_F(NotebookTest, MergeConflictBetweenFields) {
  constexpr std::string_view kJson = R"json({
 "cells": [
  {
   "cell_type": "code",
<<<<<<< HEAD
   "execution_count": 3,
=======
   "execution_count": 5,
>>>>>>> theirs
   "metadata": {},
   "outputs": [],
   "source": "x = 1"
  }
 ],
 "metadata": {},
 "nbformat": 4,
 "nbformat_minor": 5
}
)json";
  std::string message = ReadError(kJson);
  EXPECT_THAT(message, HasSubstr("invalid JSON"));
  EXPECT_EQ(where_.line, 5u);
}

TEST_F(NotebookTest, MergeConflictBetweenCells) {
  constexpr std::string_view kJson = R"json({
 "cells": [
  {"cell_type": "code", "metadata": {}, "outputs": [], "source": "a = 1"},
<<<<<<< HEAD
  {"cell_type": "code", "metadata": {}, "outputs": [], "source": "b = 1"}
=======
  {"cell_type": "code", "metadata": {}, "outputs": [], "source": "b = 2"}
>>>>>>> theirs
 ],
 "metadata": {},
 "nbformat": 4,
 "nbformat_minor": 5
}
)json";
  std::string message = ReadError(kJson);
  EXPECT_THAT(message, HasSubstr("merge conflict marker"));
  EXPECT_EQ(where_.line, 4u);
}

// A conflict inside an output, whose payload the reader skips, is still invalid JSON.
// DISABLED: reader bug, values inside skipped parts (outputs, metadata) are never validated.
TEST_F(NotebookTest, MergeConflictInsideSkippedOutput) {
  constexpr std::string_view kJson = R"json({
 "cells": [
  {
   "cell_type": "code",
   "execution_count": 1,
   "metadata": {},
   "outputs": [
    {
     "data": {
      "text/plain": [
<<<<<<< HEAD
       "1"
=======
       "2"
>>>>>>> theirs
      ]
     },
     "output_type": "execute_result"
    }
   ],
   "source": "x"
  }
 ],
 "metadata": {},
 "nbformat": 4,
 "nbformat_minor": 5
}
)json";
  std::string message = ReadError(kJson);
  EXPECT_THAT(message, HasSubstr("merge conflict marker"));
  EXPECT_EQ(where_.line, 11u);
}

// DISABLED: reader bug, invalid JSON inside skipped values (bad literal, missing comma) is read.
TEST_F(NotebookTest, InvalidJsonInSkippedValues) {
  EXPECT_THAT(ReadError(Nb4(CodeCell(R"("x")"), R"({"a": bogus})")), HasSubstr("invalid JSON"));
  EXPECT_THAT(ReadError(Nb4(R"({"cell_type": "code", "metadata": {"k": tru}, "source": "x"})")),
              HasSubstr("invalid JSON"));
  EXPECT_THAT(ReadError(Nb4(R"({"cell_type": "code", "source": "x", "outputs": [
      {"output_type": "display_data", "data": {"text/plain": ["a" "b"]}}]})")),
              HasSubstr("invalid JSON"));
}

// A notebook cut in half while downloading, at a point inside a string.
TEST_F(NotebookTest, TruncatedInsideString) {
  std::string json(kPretty);
  size_t cut = json.find("import os") + 3;
  std::string half = json.substr(0, cut);
  std::string message = ReadError(half);
  EXPECT_THAT(message, HasSubstr("truncated"));
  EXPECT_THAT(message, HasSubstr("line 18,"));
  EXPECT_EQ(where_.line, 18u);
  EXPECT_EQ(where_.offset, half.size());
}

// Cut after a closing brace: the last structural character is '}'.
TEST_F(NotebookTest, TruncatedAfterClosingBrace) {
  std::string json(kPretty);
  std::string cut = json.substr(0, json.find("  },\n  {\n   \"cell_type\": \"code\"") + 3);
  std::string message = ReadError(cut);
  EXPECT_THAT(message, HasSubstr("truncated"));
  EXPECT_EQ(where_.line, 11u);
}

// Cut in half at an arbitrary point (here the end of a line after a comma).
// DISABLED: reader bug, a cut whose last structural character is not '}' or inside a string reads
// as "JSON but not a notebook: the document is an object, not an object", without a line. So does
// an unbalanced deep nest of objects.
TEST_F(NotebookTest, TruncatedInHalf) {
  std::string json(kPretty);
  std::string half = json.substr(0, json.find("\"outputs\": [],\n   \"source\": [") + 15);
  ASSERT_EQ(half.back(), '\n');
  std::string message = ReadError(half);
  EXPECT_THAT(message, HasSubstr("truncated"));
  EXPECT_EQ(where_.line, 17u);  // the file ends at the start of line 17

  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
  EXPECT_THAT(ReadError(objects), HasSubstr("truncated"));
}

// Every proper prefix of a notebook is invalid JSON and must say so with "truncated".
// DISABLED: reader bug, most prefixes get "the document is an object, not an object" (see above).
TEST_F(NotebookTest, EveryPrefixIsTruncated) {
  std::string json(kPretty);
  size_t end = json.rfind('}');
  int wrong = 0;
  for (size_t n = 1; n <= end; ++n) {
    absl::StatusOr<Notebook> nb = Read(std::string_view(json).substr(0, n));
    if (nb.ok() || Message(nb.status()).find("truncated") == std::string::npos) {
      if (++wrong <= 5) {
        ADD_FAILURE() << "prefix of " << n
                      << " bytes: " << (nb.ok() ? "read" : Message(nb.status()));
      }
    }
  }
  EXPECT_EQ(wrong, 0);
}

// Data after the notebook's closing brace.
// DISABLED: reader bug, reads as "the document is an object, not an object" without a line (the
// same misread of simdjson's error as the truncation bug above).
TEST_F(NotebookTest, TrailingGarbage) {
  std::string json = Nb4(CodeCell(R"("x")"));
  std::string message = ReadError(StrCat(json, "\nxyz\n"));
  EXPECT_THAT(message, HasSubstr("unexpected data after the end of the JSON document"));
  EXPECT_EQ(where_.line, 2u);
  EXPECT_THAT(ReadError(StrCat(json, ",")), HasSubstr("after the end of the JSON document"));
  EXPECT_THAT(ReadError(StrCat(json, "]")), HasSubstr("after the end of the JSON document"));
  EXPECT_THAT(ReadError(StrCat(json, " 1")), HasSubstr("after the end of the JSON document"));
  EXPECT_THAT(ReadError(StrCat(json, std::string_view("\0", 1))),
              HasSubstr("after the end of the JSON document"));
}

// Whatever the message, data after the notebook is never read as a notebook.
TEST_F(NotebookTest, TrailingGarbageIsRefused) {
  std::string json = Nb4(CodeCell(R"("x")"));
  for (std::string_view tail : {"\nxyz\n", ",", "]", " 1", "\n<<<<<<< HEAD\n"}) {
    EXPECT_FALSE(Read(StrCat(json, tail)).ok()) << tail;
  }
  EXPECT_FALSE(Read(StrCat(json, std::string_view("\0", 1))).ok());
}

// DISABLED: reader bug, a second object or an extra '}' after the notebook is accepted.
TEST_F(NotebookTest, TrailingGarbageEndingInBrace) {
  std::string json = Nb4(CodeCell(R"("x")"));
  EXPECT_THAT(ReadError(StrCat(json, "}")), HasSubstr("after the end of the JSON document"));
  EXPECT_THAT(ReadError(StrCat(json, "\n{}\n")), HasSubstr("after the end of the JSON document"));
  EXPECT_THAT(ReadError(StrCat(json, json)), HasSubstr("after the end of the JSON document"));
}

TEST_F(NotebookTest, TopLevelNotAnObject) {
  EXPECT_THAT(ReadError("[1, 2, 3]"), HasSubstr("JSON but not a notebook: the document is a list"));
  EXPECT_THAT(ReadError("42"), HasSubstr("JSON but not a notebook: the document is a number"));
  EXPECT_THAT(ReadError("\"cells\""), HasSubstr("the document is a string"));
  EXPECT_THAT(ReadError("null"), HasSubstr("the document is null"));
  EXPECT_THAT(ReadError("[]"), HasSubstr("the document is a list"));
}

TEST_F(NotebookTest, ObjectWithoutCellsOrNbformat) {
  EXPECT_THAT(ReadError(R"({"name": "package", "version": "1.0"})"),
              HasSubstr("JSON but not a notebook: no 'nbformat' and no 'cells'"));
  EXPECT_THAT(ReadError("{}"), HasSubstr("no 'nbformat' and no 'cells'"));
  EXPECT_THAT(ReadError(R"({"cells": []})"), HasSubstr("no 'nbformat' field"));
  EXPECT_THAT(ReadError(R"({"nbformat": 4, "metadata": {}})"),
              HasSubstr("nbformat 4 without a 'cells' list"));
  EXPECT_THAT(ReadError(R"({"nbformat": "4", "cells": []})"),
              HasSubstr("'nbformat' is not an integer"));
}

TEST_F(NotebookTest, UnsupportedNbformat) {
  EXPECT_THAT(ReadError(R"({"nbformat": 5, "nbformat_minor": 0, "metadata": {}, "cells": []})"),
              HasSubstr("unsupported nbformat 5"));
  EXPECT_THAT(ReadError(R"({"nbformat": 1, "metadata": {}, "worksheets": []})"),
              HasSubstr("unsupported nbformat 1"));
  EXPECT_THAT(ReadError(R"({"nbformat": 0, "cells": []})"), HasSubstr("unsupported nbformat 0"));
}

TEST_F(NotebookTest, SourceOfWrongType) {
  EXPECT_THAT(ReadError(Nb4(CodeCell("42"))),
              HasSubstr("cell 1: 'source' must be a string or a list of strings, not a number"));
  EXPECT_THAT(ReadError(Nb4(StrCat(CodeCell(R"("ok")"), ",", CodeCell(R"({"a": "b"})")))),
              HasSubstr("cell 2: 'source' must be a string or a list of strings, not an object"));
  EXPECT_THAT(ReadError(Nb4(CodeCell(R"(["a\n", 7, "b"])"))),
              HasSubstr("cell 1: 'source' item 2 is a number, not a string"));
  EXPECT_THAT(ReadError(Nb4(CodeCell(R"(["a\n", null])"))),
              HasSubstr("'source' item 2 is null, not a string"));
  EXPECT_THAT(ReadError(Nb4(CodeCell("true"))), HasSubstr("not a boolean"));
  EXPECT_THAT(ReadError(R"({"nbformat": 3, "worksheets": [{"cells": [
                 {"cell_type": "code", "input": 3}]}]})"),
              HasSubstr("cell 1: 'input' must be a string or a list of strings, not a number"));
}

TEST_F(NotebookTest, CellWithoutCellType) {
  EXPECT_THAT(ReadError(Nb4(R"({"metadata": {}, "source": "x"})")),
              HasSubstr("cell 1 has no 'cell_type'"));
  EXPECT_THAT(ReadError(Nb4(R"({"cell_type": 3, "source": "x"})")),
              HasSubstr("cell 1: 'cell_type' is not a string"));
  EXPECT_THAT(ReadError(Nb4(R"("just a string")")), HasSubstr("cell 1 is not an object"));
}

TEST_F(NotebookTest, CellsNotAList) {
  EXPECT_THAT(ReadError(R"({"nbformat": 4, "metadata": {}, "cells": {"a": 1}})"),
              HasSubstr("'cells' is not a list"));
  EXPECT_THAT(ReadError(R"({"nbformat": 4, "cells": "x"})"), HasSubstr("'cells' is not a list"));
  EXPECT_THAT(ReadError(R"({"nbformat": 3, "worksheets": {}})"),
              HasSubstr("'worksheets' is not a list"));
  EXPECT_THAT(ReadError(R"({"nbformat": 3, "worksheets": [3]})"),
              HasSubstr("a worksheet is not an object"));
  EXPECT_THAT(ReadError(Nb4(R"({"cell_type": "code", "outputs": {}, "source": "x"})")),
              HasSubstr("'outputs' is not a list"));
}

// A count that is not an integer is schema-invalid, but Jupyter still opens the notebook: the
// cell is read with no count, and the rest of the notebook is analyzed.
TEST_F(NotebookTest, ExecutionCountOfWrongTypeIsUnknown) {
  for (std::string_view count : {R"("3")", "1.5", R"("&nbsp;")", "[1]", "{}"}) {
    Notebook nb = ReadOk(Nb4(
        StrCat(R"({"cell_type": "code", "execution_count": )", count, R"(, "source": "x = 1"}, )",
               R"({"cell_type": "code", "execution_count": 2, "source": "x"})")));
    ASSERT_EQ(nb.cells.size(), 2u) << count;
    EXPECT_FALSE(nb.cells[0].execution_count.has_value()) << count;
    EXPECT_EQ(nb.cells[1].execution_count, 2) << count;
    EXPECT_EQ(nb.Source(nb.cells[0]), "x = 1") << count;
  }
  Notebook v3 = ReadOk(R"({"nbformat": 3, "worksheets": [{"cells": [
                 {"cell_type": "code", "input": "y = 2", "prompt_number": "&nbsp;"}]}]})");
  ASSERT_EQ(v3.cells.size(), 1u);
  EXPECT_FALSE(v3.cells[0].execution_count.has_value());
  // The JSON itself must still be valid.
  EXPECT_THAT(ReadError(Nb4(R"({"cell_type": "code", "execution_count": [1,], "source": ""})")),
              HasSubstr("JSON"));
}

TEST_F(NotebookTest, InvalidUtf8) {
  std::string json =
      StrCat("{\"nbformat\": 4, \"metadata\": {},\n\"cells\": [", CodeCell("\"caf\xE9\""), "]}");
  std::string message = ReadError(json);
  EXPECT_THAT(message, HasSubstr("invalid UTF-8 (byte 0xe9)"));
  EXPECT_EQ(where_.line, 2u);
  EXPECT_EQ(where_.offset, json.find('\xE9'));
  // Overlong encoding, lone continuation byte, truncated sequence at the end of a string.
  EXPECT_THAT(ReadError(Nb4(CodeCell("\"\xC0\xAF\""))), HasSubstr("invalid UTF-8 (byte 0xc0)"));
  EXPECT_THAT(ReadError(Nb4(CodeCell("\"\x80\""))), HasSubstr("invalid UTF-8 (byte 0x80)"));
  EXPECT_THAT(ReadError(Nb4(CodeCell("\"\xE2\x82\""))), HasSubstr("invalid UTF-8"));
}

TEST_F(NotebookTest, NulBytes) {
  std::string inside = Nb4(CodeCell(std::string("\"a\0b\"", 5)));
  std::string message = ReadError(inside);
  EXPECT_THAT(message, HasSubstr("control character inside a string"));
  EXPECT_EQ(where_.offset, inside.find('\0'));

  std::string all_nul(64, '\0');
  EXPECT_THAT(ReadError(all_nul), HasSubstr("invalid JSON: unexpected character '\\x00'"));
}

TEST_F(NotebookTest, DeepNestingInCellMetadata) {
  constexpr int kDepth = 100000;
  std::string deep = StrCat(std::string(kDepth, '['), std::string(kDepth, ']'));
  for (std::string_view key : {"\"other\"", "\"tags\""}) {
    std::string json = Nb4(StrCat(R"({"cell_type": "code", "metadata": {)", key, ": ", deep,
                                  R"(}, "outputs": [], "source": "x = 1"})"));
    absl::StatusOr<Notebook> nb = Read(json);
    if (nb.ok()) {
      ASSERT_EQ(nb->cells.size(), 1u);
      EXPECT_EQ(nb->Source(nb->cells[0]), "x = 1");
    } else {
      EXPECT_FALSE(Message(nb.status()).empty());
    }
  }
  std::string objects;
  for (int i = 0; i < kDepth; ++i) objects += "{\"a\":";
  objects += "1";
  objects += std::string(kDepth, '}');
  std::string json = Nb4(CodeCell(R"("y")", StrCat(R"("x": )", objects, ", ")));
  absl::StatusOr<Notebook> nb = Read(json);
  if (nb.ok()) {
    EXPECT_EQ(nb->Source(nb->cells[0]), "y");
  }
}

TEST_F(NotebookTest, DeepNestingInOutputs) {
  constexpr int kDepth = 100000;
  std::string deep = StrCat(std::string(kDepth, '['), std::string(kDepth, ']'));
  absl::StatusOr<Notebook> nb = Read(Nb4(StrCat(
      R"({"cell_type": "code", "source": "z", "outputs": [{"output_type": "error", "ename": )",
      deep, R"(, "data": )", deep, "}]}")));
  if (nb.ok()) {
    ASSERT_EQ(nb->cells.size(), 1u);
    EXPECT_FALSE(nb->cells[0].error_name.has_value());
  }
}

TEST_F(NotebookTest, DeepNestingAtTopLevel) {
  constexpr int kDepth = 100000;
  std::string deep = StrCat(std::string(kDepth, '['), std::string(kDepth, ']'));
  EXPECT_THAT(ReadError(deep), HasSubstr("not a notebook"));
  // Unbalanced: only opening brackets (an error, no crash; the message is checked below).
  EXPECT_FALSE(ReadError(std::string(kDepth, '[')).empty());
  std::string objects;
  for (int i = 0; i < kDepth; ++i) objects += "{\"a\":";
  EXPECT_FALSE(ReadError(objects).empty());
  EXPECT_FALSE(ReadError(StrCat(objects, "1", std::string(kDepth, '}'))).empty());
}

TEST_F(NotebookTest, FiftyMegabyteCodeCell) {
  constexpr size_t kLine = 64;
  constexpr size_t kLines = (50u << 20) / kLine;
  std::string line = StrCat("x = ", std::string(kLine - 5, '1'), "\\n");  // 64 source bytes
  std::string source;
  source.reserve(kLines * (kLine + 1) + 16);
  source += '"';
  for (size_t i = 0; i < kLines; ++i) source += line;
  source += '"';
  std::string json = Nb4(StrCat(CodeCell(source), ",", CodeCell(R"(["after"])")));
  Notebook nb = ReadOk(json);
  ASSERT_EQ(nb.cells.size(), 2u);
  EXPECT_EQ(nb.Source(nb.cells[0]).size(), kLines * kLine);
  EXPECT_EQ(nb.RawLines(nb.cells[0]).size(), kLines);
  EXPECT_EQ(nb.Source(nb.cells[1]), "after");
}

TEST_F(NotebookTest, TwentyMegabyteImageIsSkippedQuickly) {
  std::string image(20u << 20, 'Q');
  for (size_t i = 76; i < image.size(); i += 77) image[i] = '+';
  std::string json = Nb4(StrCat(
      R"js({"cell_type": "code", "execution_count": 1, "metadata": {}, "source": "plot()",
          "outputs": [{"data": {"image/png": ")js",
      image, R"js(", "text/plain": ["<Figure>"]}, "metadata": {},
                       "output_type": "display_data"}]},)js",
      CodeCell(R"js("next()")js")));
  auto start = std::chrono::steady_clock::now();
  Notebook nb = ReadOk(json);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(nb.cells.size(), 2u);
  EXPECT_TRUE(nb.cells[0].has_outputs);
  EXPECT_EQ(nb.Source(nb.cells[0]), "plot()");
  EXPECT_EQ(nb.Source(nb.cells[1]), "next()");
  EXPECT_LT(nb.buffer.size(), 64u);
  EXPECT_LT(seconds, 5.0);  // tens of milliseconds in a release build
}

// Two "source" keys: Python's json keeps the last; the raw-line map must match that source.
// DISABLED: reader bug, raw_lines keeps the lines of both values (3 entries for 2 lines).
TEST_F(NotebookTest, DuplicateSourceKeyKeepsTheLast) {
  Notebook nb = ReadOk(Nb4(R"({"cell_type": "code", "source": "a\n", "source": ["b\n", "c\n"]})"));
  ASSERT_EQ(nb.cells.size(), 1u);
  EXPECT_EQ(nb.Source(nb.cells[0]), "b\nc\n");
  EXPECT_THAT(nb.RawLines(nb.cells[0]), ElementsAre(1, 1));
}

TEST_F(NotebookTest, ReaderIsReusableAfterErrors) {
  EXPECT_FALSE(Read("{\"nbformat\": 4, \"cells\": [").ok());
  EXPECT_FALSE(Read("hello").ok());
  Notebook nb = ReadOk(kPretty);
  EXPECT_EQ(nb.cells.size(), 4u);
  EXPECT_FALSE(Read(std::string(1000, '[')).ok());
  Notebook again = ReadOk(kNb3);
  EXPECT_EQ(again.cells.size(), 4u);
}

// ---------------------------------------------------------------------------------------------
// Percent scripts and plain scripts

TEST_F(NotebookTest, PercentScriptMarkers) {
  constexpr std::string_view kPy =
      "# %%\n"             // 1
      "import os\n"        // 2
      "x = 1\n"            // 3
      "\n"                 // 4
      "\n"                 // 5
      "#%%\n"              // 6
      "\n"                 // 7
      "y = x  # %% no\n"   // 8
      "   \n"              // 9
      "# %% [markdown]\n"  // 10
      "# # Heading\n"      // 11
      "# text\n"           // 12
      "#no space\n"        // 13
      "\n"                 // 14
      "# %%\n"             // 15
      "z = 3";             // 16
  Notebook nb = ReadOk(kPy, "nb.py");
  EXPECT_EQ(nb.format, NotebookFormat::kPercentScript);
  EXPECT_EQ(nb.nbformat, 0);
  ASSERT_EQ(nb.cells.size(), 4u);
  EXPECT_EQ(nb.cells[0].type, "code");
  EXPECT_EQ(nb.Source(nb.cells[0]), "import os\nx = 1");
  EXPECT_THAT(nb.RawLines(nb.cells[0]), ElementsAre(2, 3));
  EXPECT_EQ(nb.Source(nb.cells[1]), "\ny = x  # %% no");
  EXPECT_THAT(nb.RawLines(nb.cells[1]), ElementsAre(7, 8));
  EXPECT_EQ(nb.cells[2].type, "markdown");
  EXPECT_EQ(nb.Source(nb.cells[2]), "# Heading\ntext\nno space");
  EXPECT_THAT(nb.RawLines(nb.cells[2]), ElementsAre(11, 12, 13));
  EXPECT_EQ(nb.Source(nb.cells[3]), "z = 3");
  EXPECT_THAT(nb.RawLines(nb.cells[3]), ElementsAre(16));
  for (int i = 0; i < 4; ++i) EXPECT_EQ(nb.cells[i].index, static_cast<uint32_t>(i + 1));
  EXPECT_FALSE(nb.cells[0].execution_count.has_value());
}

// A jupytext percent script (its header says so) has the notebook's magics commented out:
// "# %load_ext x", "# files = !ls", and a cell in another language after
// `# %% magic_args="..." language="R"`. Without the header, comments stay comments.
TEST_F(NotebookTest, JupytextCommentedMagics) {
  constexpr std::string_view kBody =
      "# %%\n"                                       // 10 (with the header)
      "# %load_ext rpy2.ipython\n"                   // 11
      "# compute = the mean\n"                       // 12
      "\n"                                           // 13
      "# %% magic_args=\"-o rdf\" language=\"R\"\n"  // 14
      "# rdf <- data.frame(a=1)\n"                   // 15
      "\n"                                           // 16
      "# %%\n"                                       // 17
      "# files = !ls\n"                              // 18
      "print(rdf, files)\n";                         // 19
  const std::string header =
      "# ---\n# jupyter:\n#   jupytext:\n#     formats: ipynb,py:percent\n#   kernelspec:\n"
      "#     language: python\n#     name: python3\n# ---\n\n";
  Notebook nb = ReadOk(header + std::string(kBody), "nb.py");
  ASSERT_EQ(nb.cells.size(), 3u);
  EXPECT_EQ(nb.Source(nb.cells[0]), "%load_ext rpy2.ipython\n# compute = the mean");
  EXPECT_THAT(nb.RawLines(nb.cells[0]), ElementsAre(11, 12));
  EXPECT_EQ(nb.Source(nb.cells[1]), "%%R -o rdf\nrdf <- data.frame(a=1)");
  EXPECT_THAT(nb.RawLines(nb.cells[1]), ElementsAre(14, 15));
  EXPECT_EQ(nb.Source(nb.cells[2]), "files = !ls\nprint(rdf, files)");
  EXPECT_THAT(nb.RawLines(nb.cells[2]), ElementsAre(18, 19));

  Notebook plain = ReadOk(kBody, "plain.py");
  ASSERT_EQ(plain.cells.size(), 3u);
  EXPECT_EQ(plain.Source(plain.cells[0]), "# %load_ext rpy2.ipython\n# compute = the mean");
  EXPECT_EQ(plain.Source(plain.cells[2]), "# files = !ls\nprint(rdf, files)");
}

// Databricks' and Fabric's Python-source exports: cells between their separators, magic
// cells ("# MAGIC %md ...") without the comment, Fabric's metadata blocks left out.
TEST_F(NotebookTest, DatabricksAndFabricSourceExports) {
  constexpr std::string_view kDatabricks =
      "# Databricks notebook source\n"         // 1
      "# MAGIC %run \"./config\"\n"            // 2
      "\n"                                     // 3
      "# COMMAND ----------\n"                 // 4
      "\n"                                     // 5
      "# MAGIC %md\n"                          // 6
      "# MAGIC ## Load\n"                      // 7
      "\n"                                     // 8
      "# COMMAND ----------\n"                 // 9
      "df = spark.read.json(path)  # MAGIC\n"  // 10
      "display(df)\n";                         // 11
  Notebook nb = ReadOk(kDatabricks, "ingest.py");
  EXPECT_EQ(nb.format, NotebookFormat::kPercentScript);
  EXPECT_TRUE(nb.databricks);
  ASSERT_EQ(nb.cells.size(), 3u);
  EXPECT_EQ(nb.Source(nb.cells[0]), "%run \"./config\"");
  EXPECT_THAT(nb.RawLines(nb.cells[0]), ElementsAre(2));
  EXPECT_EQ(nb.Source(nb.cells[1]), "%md\n## Load");
  EXPECT_THAT(nb.RawLines(nb.cells[1]), ElementsAre(6, 7));
  EXPECT_EQ(nb.cells[2].type, "code");
  EXPECT_EQ(nb.Source(nb.cells[2]), "df = spark.read.json(path)  # MAGIC\ndisplay(df)");
  EXPECT_THAT(nb.RawLines(nb.cells[2]), ElementsAre(10, 11));

  constexpr std::string_view kFabric =
      "# Fabric notebook source\n"            // 1
      "\n"                                    // 2
      "# METADATA ********************\n"     // 3
      "\n"                                    // 4
      "# META {\"kernel_info\": {}}\n"        // 5
      "\n"                                    // 6
      "# MARKDOWN ********************\n"     // 7
      "\n"                                    // 8
      "# # Orders\n"                          // 9
      "\n"                                    // 10
      "# CELL ********************\n"         // 11
      "\n"                                    // 12
      "df = spark.read.table('orders')\n"     // 13
      "\n"                                    // 14
      "# METADATA ********************\n"     // 15
      "\n"                                    // 16
      "# META {\"language\": \"python\"}\n";  // 17
  Notebook fabric = ReadOk(kFabric, "notebook-content.py");
  EXPECT_FALSE(fabric.databricks);
  EXPECT_TRUE(fabric.spark_kernel);
  ASSERT_EQ(fabric.cells.size(), 2u);
  EXPECT_EQ(fabric.cells[0].type, "markdown");
  EXPECT_EQ(fabric.Source(fabric.cells[0]), "# Orders");
  EXPECT_THAT(fabric.RawLines(fabric.cells[0]), ElementsAre(9));
  EXPECT_EQ(fabric.Source(fabric.cells[1]), "df = spark.read.table('orders')");
  EXPECT_THAT(fabric.RawLines(fabric.cells[1]), ElementsAre(13));
}

TEST_F(NotebookTest, PercentScriptEmptyCells) {
  Notebook nb = ReadOk("# %%\n# %%\n\n\n# %% [markdown]\n", "nb.py");
  ASSERT_EQ(nb.cells.size(), 3u);
  for (const Cell& cell : nb.cells) {
    EXPECT_EQ(nb.Source(cell), "");
    EXPECT_THAT(nb.RawLines(cell), IsEmpty());
  }
  EXPECT_EQ(nb.cells[2].type, "markdown");
}

TEST_F(NotebookTest, PercentScriptTitlesAndTags) {
  constexpr std::string_view kPy =
      "# %% Load the data\n"
      "a = 1\n"
      "# %% Setup tags=[\"a\", \"b\"]\n"
      "b = 2\n"
      "# %% tags=['only']\n"
      "c = 3\n"
      "# %% Notes [markdown]\n"
      "# hi\n"
      "# %% [markdown] tags=[\"m\"]\n"
      "# there\n"
      "# %% [raw]\n"
      "# raw text\n";
  Notebook nb = ReadOk(kPy, "nb.py");
  ASSERT_EQ(nb.cells.size(), 6u);
  EXPECT_EQ(nb.cells[0].title, "Load the data");
  EXPECT_THAT(nb.cells[0].tags, IsEmpty());
  EXPECT_EQ(nb.cells[1].title, "Setup");
  EXPECT_THAT(nb.cells[1].tags, ElementsAre("a", "b"));
  EXPECT_EQ(nb.Source(nb.cells[1]), "b = 2");
  EXPECT_THAT(nb.RawLines(nb.cells[1]), ElementsAre(4));
  EXPECT_EQ(nb.cells[2].title, "");
  EXPECT_THAT(nb.cells[2].tags, ElementsAre("only"));
  EXPECT_EQ(nb.cells[3].type, "markdown");
  EXPECT_EQ(nb.cells[3].title, "Notes");
  EXPECT_EQ(nb.Source(nb.cells[3]), "hi");
  EXPECT_EQ(nb.cells[4].type, "markdown");
  EXPECT_THAT(nb.cells[4].tags, ElementsAre("m"));
  EXPECT_EQ(nb.Source(nb.cells[4]), "there");
  EXPECT_EQ(nb.cells[5].type, "raw");
  EXPECT_EQ(nb.Source(nb.cells[5]), "raw text");
  EXPECT_THAT(nb.RawLines(nb.cells[5]), ElementsAre(12));
}

// A markdown cell whose last line is a bare "#": the source ends in "\n" (1 line), yet raw_lines
// has 2 entries. Found by fuzz_notebook.
// DISABLED: reader bug, the emptied last comment line is joined with a '\n' but still counted.
TEST_F(NotebookTest, PercentMarkdownEndingInBareHash) {
  Notebook nb = ReadOk("# %% [markdown]\n# text\n#\n", "nb.py");
  ASSERT_EQ(nb.cells.size(), 1u);
  EXPECT_EQ(nb.RawLines(nb.cells[0]).size(), SourceLines(nb.Source(nb.cells[0])).size());
  // Only a bare "#": source "" (0 lines), raw_lines {2}.
  Notebook bare = ReadOk("# %% [markdown]\n#\n", "nb.py");
  ASSERT_EQ(bare.cells.size(), 1u);
  EXPECT_EQ(bare.RawLines(bare.cells[0]).size(), SourceLines(bare.Source(bare.cells[0])).size());
}

TEST_F(NotebookTest, PercentScriptJupytextHeader) {
  constexpr std::string_view kPy =
      "# ---\n"
      "# jupyter:\n"
      "#   jupytext:\n"
      "#     text_representation:\n"
      "#       format_name: percent\n"
      "#   kernelspec:\n"
      "#     name: python3\n"
      "# ---\n"
      "\n"
      "# %%\n"
      "print(1)\n";
  Notebook nb = ReadOk(kPy, "nb.py");
  EXPECT_EQ(nb.format, NotebookFormat::kPercentScript);
  ASSERT_EQ(nb.cells.size(), 1u);
  EXPECT_EQ(nb.Source(nb.cells[0]), "print(1)");
  EXPECT_THAT(nb.RawLines(nb.cells[0]), ElementsAre(11));
}

TEST_F(NotebookTest, PercentScriptTextBeforeFirstMarker) {
  constexpr std::string_view kPy =
      "\"\"\"Module docstring.\"\"\"\n"
      "import os\n"
      "\n"
      "# %%\n"
      "x = os.sep\n";
  Notebook nb = ReadOk(kPy, "nb.py");
  ASSERT_EQ(nb.cells.size(), 2u);
  EXPECT_EQ(nb.cells[0].type, "code");
  EXPECT_EQ(nb.Source(nb.cells[0]), "\"\"\"Module docstring.\"\"\"\nimport os");
  EXPECT_THAT(nb.RawLines(nb.cells[0]), ElementsAre(1, 2));
  EXPECT_EQ(nb.Source(nb.cells[1]), "x = os.sep");
  EXPECT_THAT(nb.RawLines(nb.cells[1]), ElementsAre(5));
}

TEST_F(NotebookTest, PercentScriptCrlf) {
  Notebook nb = ReadOk("# %%\r\na = 1\r\nb = 2\r\n\r\n# %%\r\nc = 3\r\n", "nb.py");
  ASSERT_EQ(nb.cells.size(), 2u);
  EXPECT_EQ(nb.Source(nb.cells[0]), "a = 1\r\nb = 2");
  EXPECT_THAT(nb.RawLines(nb.cells[0]), ElementsAre(2, 3));
  EXPECT_EQ(nb.Source(nb.cells[1]), "c = 3");
  EXPECT_THAT(nb.RawLines(nb.cells[1]), ElementsAre(6));
}

TEST_F(NotebookTest, PlainScriptIsOneCell) {
  constexpr std::string_view kPy = "import os\n\ndef f():\n    return os.sep\n";
  Notebook nb = ReadOk(kPy, "mod.py");
  EXPECT_EQ(nb.format, NotebookFormat::kScript);
  ASSERT_EQ(nb.cells.size(), 1u);
  EXPECT_EQ(nb.cells[0].type, "code");
  EXPECT_EQ(nb.Source(nb.cells[0]), kPy);
  EXPECT_THAT(nb.RawLines(nb.cells[0]), ElementsAre(1, 2, 3, 4));

  Notebook empty = ReadOk("", "empty.py");
  ASSERT_EQ(empty.cells.size(), 1u);
  EXPECT_EQ(empty.Source(empty.cells[0]), "");
  EXPECT_THAT(empty.RawLines(empty.cells[0]), IsEmpty());

  Notebook no_newline = ReadOk("a\r\nb\rc", "m.py");
  EXPECT_THAT(no_newline.RawLines(no_newline.cells[0]), ElementsAre(1, 2, 3));
}

TEST_F(NotebookTest, ScriptWithLatin1Cookie) {
  Notebook nb = ReadOk("# -*- coding: latin-1 -*-\ns = 'caf\xE9'\n", "old.py");
  EXPECT_EQ(nb.format, NotebookFormat::kScript);
  ASSERT_EQ(nb.cells.size(), 1u);
  EXPECT_EQ(nb.Source(nb.cells[0]), "# -*- coding: latin-1 -*-\ns = 'caf\xC3\xA9'\n");
  EXPECT_THAT(nb.RawLines(nb.cells[0]), ElementsAre(1, 2));
  EXPECT_THAT(nb.decode_problems, IsEmpty());
}

TEST_F(NotebookTest, PercentScriptWithLatin1Cookie) {
  Notebook nb = ReadOk("# -*- coding: latin-1 -*-\n# %%\ns = '\xE9'\n", "old.py");
  EXPECT_EQ(nb.format, NotebookFormat::kPercentScript);
  ASSERT_EQ(nb.cells.size(), 2u);
  EXPECT_EQ(nb.Source(nb.cells[1]), "s = '\xC3\xA9'");
  EXPECT_THAT(nb.RawLines(nb.cells[1]), ElementsAre(3));
}

TEST_F(NotebookTest, IsPercentScript) {
  EXPECT_TRUE(IsPercentScript("# %%\nx = 1\n"));
  EXPECT_TRUE(IsPercentScript("x = 1\n#%%\n"));
  EXPECT_TRUE(IsPercentScript("x = 1\r\n# %% [markdown]\r\n"));
  EXPECT_FALSE(IsPercentScript("# %%%\nx = 1\n"));
  EXPECT_FALSE(IsPercentScript("x = 1\n#%%% not a cell\n"));
  EXPECT_FALSE(IsPercentScript("x = 1  # %%\n"));
  EXPECT_FALSE(IsPercentScript("print('# %%')\n"));
  EXPECT_FALSE(IsPercentScript(""));
  Notebook nb = ReadOk("# %%%\nx = 1\n", "c.py");
  EXPECT_EQ(nb.format, NotebookFormat::kScript);
  EXPECT_EQ(nb.cells.size(), 1u);
}

}  // namespace
}  // namespace cellflow
