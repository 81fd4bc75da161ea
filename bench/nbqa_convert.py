#!/usr/bin/env python3
"""Turns notebooks into plain .py files the way nbQA hands a notebook to a linter.

Usage: nbqa_convert.py CORPUS_DIR OUT_DIR

Every *.ipynb under CORPUS_DIR, in sorted path order, becomes OUT_DIR/NNNNN.py (NNNNN its
number in that order); OUT_DIR/index.tsv maps each number to the notebook's path and size.
Existing *.py files in OUT_DIR are removed first. Standard library only.

What nbQA does (nbqa/save_code_source.py, nbqa/handle_magics.py), and what this does alike:
- code cells in file order (nbformat 4 "cells", nbformat 3 "worksheets"), each after a comment
  line naming it; empty cells and cells made only of %, ! and ? lines are left out;
- a cell that starts with a cell magic is left out unless the magic runs Python (%%time,
  %%timeit, %%capture, %%python, %%python3, %%pypy): then the header becomes a comment and the
  body is kept;
- a cell that parses as Python is kept as it is. Otherwise its IPython lines are replaced:
  `%magic args`, `!cmd`, `?obj`, `obj?` by a placeholder statement with the original as a comment;
  `x = !cmd` and `x = %magic` keep the target and get a placeholder value; a line magic whose
  argument is Python with a call in it (`%time fit(x)`) keeps that code, so its names are read;
  continuation lines of a replaced line become comments. Line numbers within a cell are kept;
- a cell that still does not parse is replaced by one placeholder, as nbQA does unless told
  --dont-skip-bad-cells, so one broken cell does not stop the linter reading the rest.
nbQA finds the magics with IPython's own transformer; this uses line patterns, which agree on the
forms notebooks use. "Parses" means this interpreter's ast.parse, so run it with the Python the
linter uses.

Prints one summary line (key=value pairs). Exit 0, 1 when no notebook was converted, 2 on bad
usage.
"""

import ast
import json
import os
import re
import sys

from notebook_cells import code_cells, corpus_and_output

# Cell magics whose body is Python, as nbQA's MAGIC set.
PYTHON_CELL_MAGICS = frozenset(("time", "timeit", "capture", "pypy", "python", "python3"))
PLACEHOLDER = "None"

LINE_BREAK = re.compile(r"\r\n|\r|\n")
# `files = !ls`, `a, b = %who_ls`: a target made of names, dots, commas, subscripts and stars.
ASSIGN_ESCAPE = re.compile(r"^(\s*[\w.,\[\]()* \t]+?\s*=)\s*(!|%{1,2})(?!=)")
# `obj?`, `obj.attr??`, `%magic?`, `np.sum()?`: an object then one or two question marks.
HELP_SUFFIX = re.compile(r"^\s*%{0,2}[A-Za-z_][\w.]*(\(\))?(\[[^\]]*\])?\?{1,2}\s*$")
LINE_MAGIC = re.compile(r"^%(\w+)")


def parses(code):
    """True when ast.parse accepts the code."""
    try:
        ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def has_call(code):
    """True when the code parses and contains a call (nbQA's test for `%time f(x)`)."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return any(isinstance(node, ast.Call) for node in ast.walk(tree))


def as_comment(text):
    """Text fit to follow a `#` on one line."""
    return text.strip().replace("\x00", " ")[:80]


def is_escape_line(stripped):
    """True for a line that IPython would not hand to Python as it is."""
    return stripped[:1] in ("%", "!", "?") or HELP_SUFFIX.match(stripped) is not None


def replace_line(line, stats):
    """The Python that stands for one IPython line, or None for an ordinary line."""
    stripped = line.lstrip()
    indent = line[:len(line) - len(stripped)]
    if not stripped or stripped.startswith("#"):
        return None
    assign = ASSIGN_ESCAPE.match(line)
    if assign:
        stats["escapes"] += 1
        rest = line[assign.end(1):]
        return f"{assign.group(1)} {PLACEHOLDER}  # {as_comment(rest)}"
    if not is_escape_line(stripped):
        return None
    stats["escapes"] += 1
    magic = LINE_MAGIC.match(stripped)
    if magic and not stripped.startswith("%%"):
        argument = stripped[magic.end():].strip().rstrip("\\").strip()
        if argument and has_call(argument):
            return f"{indent}{argument}  # %{magic.group(1)}"
    return f"{indent}{PLACEHOLDER}  # {as_comment(stripped)}"


def convert_lines(source, stats):
    """The cell with its IPython lines replaced; the line count stays the same."""
    out = []
    continued = False  # the previous line was replaced and ends with a backslash
    for line in LINE_BREAK.split(source):
        if continued:
            out.append(f"# {as_comment(line)}")
            continued = line.rstrip().endswith("\\")
            continue
        replacement = replace_line(line, stats)
        if replacement is None:
            out.append(line)
            continue
        out.append(replacement)
        continued = line.rstrip().endswith("\\")
    return "\n".join(out)


def cell_magic_name(source):
    """The name of the cell magic the cell starts with, or None."""
    for line in LINE_BREAK.split(source):
        stripped = line.strip()
        if not stripped:
            continue
        if not line.startswith("%%"):
            return None
        return stripped[2:].split(None, 1)[0] if stripped[2:].strip() else ""
    return None


def only_escapes(source):
    """True for a cell whose every non-blank line starts with %, ! or ?."""
    return all(line.startswith(("%", "!", "?"))
               for line in LINE_BREAK.split(source) if line.strip())


def convert_cell(source, stats):
    """The Python that stands for one code cell, or None when the cell is left out."""
    if not source.strip() or only_escapes(source):
        stats["cells_dropped"] += 1
        return None
    magic = cell_magic_name(source)
    if magic is not None:
        if magic not in PYTHON_CELL_MAGICS:
            stats["cells_dropped"] += 1
            return None
        lines = LINE_BREAK.split(source)
        first = next(i for i, line in enumerate(lines) if line.strip())
        lines[first] = f"# {as_comment(lines[first])}"
        stats["escapes"] += 1
        source = "\n".join(lines)
    if parses(source):
        return source
    converted = convert_lines(source, stats)
    if parses(converted):
        return converted
    stats["cells_masked"] += 1
    return f"{PLACEHOLDER}  # this cell does not parse"


def convert_notebook(path, stats):
    """The .py text for one notebook; raises OSError or ValueError when it cannot be read."""
    with open(path, encoding="utf-8") as f:
        notebook = json.load(f)
    if not isinstance(notebook, dict):
        raise ValueError("not a notebook object")
    parts = []
    for number, source in enumerate(code_cells(notebook), start=1):
        stats["cells"] += 1
        code = convert_cell(source, stats)
        if code is None:
            continue
        parts.append(f"# code cell {number}\n{code.rstrip()}\n")
    return "\n\n".join(parts)


def main(argv):
    dirs = corpus_and_output(argv, "nbqa_convert", __doc__.strip().splitlines()[2])
    if dirs is None:
        return 2
    corpus, out = dirs

    notebooks = sorted(os.path.join(d, f) for d, _, files in os.walk(corpus)
                       for f in files if f.endswith(".ipynb"))
    stats = dict(cells=0, cells_dropped=0, cells_masked=0, escapes=0)
    written = unreadable = ipynb_bytes = py_bytes = 0
    with open(os.path.join(out, "index.tsv"), "w", encoding="utf-8") as index:
        for number, path in enumerate(notebooks, start=1):
            size = os.path.getsize(path)
            ipynb_bytes += size
            try:
                text = convert_notebook(path, stats)
            except (OSError, ValueError) as e:  # json.JSONDecodeError is a ValueError
                unreadable += 1
                print(f"nbqa_convert: {path}: {e}", file=sys.stderr)
                continue
            # Lone surrogates (from JSON \ud800 escapes) cannot be UTF-8; a linter reads "?".
            data = text.encode("utf-8", errors="replace")
            with open(os.path.join(out, f"{number:05d}.py"), "wb") as f:
                f.write(data)
            written += 1
            py_bytes += len(data)
            index.write(f"{number:05d}\t{size}\t{os.path.relpath(path, corpus)}\n")
    print(f"notebooks={len(notebooks)} written={written} unreadable={unreadable} "
          f"ipynb_bytes={ipynb_bytes} py_bytes={py_bytes} "
          + " ".join(f"{k}={v}" for k, v in stats.items()))
    return 0 if written else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
