#!/usr/bin/python3
"""Compares cellflow's NB1xx findings with pyflakes' undefined names on a corpus of notebooks.

Usage: /usr/bin/python3 bench/compare_pyflakes.py CELLFLOW_BINARY [CORPUS_DIR]

CORPUS_DIR defaults to ../shared/corpus relative to the repository. Every *.ipynb under it is
read with the json module (nbformat 4 "cells", nbformat 3 "worksheets[].cells"); its code cells
are joined in file order the way nbQA feeds a notebook to a linter: a newline between cells, IPython
lines commented out (%magic, !cmd, ?obj, obj?), "x = !cmd" / "x = %magic" right-hand sides replaced
by None, and whole cells that start with a cell magic other than %%time, %%timeit and %%capture
dropped. pyflakes (Checker on ast.parse) gives the "undefined name" messages (UndefinedName,
UndefinedLocal); notebooks whose joined code does not parse are skipped and counted.
"cellflow check --format json" runs on the same notebooks in batches of 100 and gives the NB101..NB106
findings. Names are compared per (notebook, name); the counts come first, then one line per
disagreement:  only-pyflakes|only-cellflow <TAB> notebook <TAB> name <TAB> code or message.
Needs pyflakes importable by this interpreter (Debian: apt-get install pyflakes3).
"""

import ast
import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict

import pyflakes.checker
import pyflakes.messages

from notebook_cells import code_cells

PYTHON_CELL_MAGICS = ("time", "timeit", "capture")
NB1_CODES = ("NB101", "NB102", "NB103", "NB104", "NB105", "NB106")
BATCH = 100

# "x = !cmd", "x, y = %magic args", "x += !cmd": keep the target, drop the IPython right-hand side.
ASSIGN_ESCAPE = re.compile(r"^(\s*[^=!%?#'\"]+?(?:[-+*/|&^%@]|//|\*\*|<<|>>)?=)\s*[!%].*$")
# "obj?", "obj.attr??", "obj.method?" (a dotted name, then one or two question marks).
HELP_SUFFIX = re.compile(r"^\s*[A-Za-z_][\w.]*(?:\(\))?\s*\?{1,2}\s*$")


def is_foreign_cell_magic(source):
    """True for a cell whose first non-blank line is a cell magic other than a Python one."""
    for line in source.splitlines():
        if not line.strip():
            continue
        if not line.lstrip().startswith("%%"):
            return False
        rest = line.lstrip()[2:]
        name = rest.split(None, 1)[0] if rest.strip() else ""
        return name not in PYTHON_CELL_MAGICS
    return False


def comment_out(line):
    """The line as a comment, indentation kept."""
    stripped = line.lstrip()
    return line[:len(line) - len(stripped)] + "# " + stripped


def python_of_cell(source):
    """The cell with its IPython syntax commented out (or None for a dropped cell)."""
    if is_foreign_cell_magic(source):
        return None
    out = []
    continuing = False  # inside a magic or shell line continued with a backslash
    for line in source.splitlines():
        stripped = line.lstrip()
        if continuing:
            out.append(comment_out(line))
            continuing = line.rstrip().endswith("\\")
            continue
        if stripped[:1] in ("%", "!", "?"):
            out.append(comment_out(line))
            continuing = line.rstrip().endswith("\\")
            continue
        if HELP_SUFFIX.match(line):
            out.append(comment_out(line))
            continue
        m = ASSIGN_ESCAPE.match(line)
        if m and not stripped.startswith(("#", "@")):
            out.append(m.group(1) + " None")
            continuing = line.rstrip().endswith("\\")
            continue
        out.append(line)
    return "\n".join(out)


def joined_code(path):
    """The notebook's code as nbQA would give it to a linter, or raises on an unreadable file."""
    with open(path, encoding="utf-8") as f:
        notebook = json.load(f)
    if not isinstance(notebook, dict):
        raise ValueError("not a notebook object")
    parts = []
    for source in code_cells(notebook):
        code = python_of_cell(source)
        if code is not None:
            parts.append(code)
    return "\n".join(parts) + "\n"


def pyflakes_undefined(code, filename):
    """{name: message} for pyflakes' undefined-name messages on the code (raises on bad syntax)."""
    tree = ast.parse(code, filename=filename)
    checker = pyflakes.checker.Checker(tree, filename=filename)
    kinds = [pyflakes.messages.UndefinedName]
    if hasattr(pyflakes.messages, "UndefinedLocal"):
        kinds.append(pyflakes.messages.UndefinedLocal)
    found = {}
    for msg in sorted(checker.messages, key=lambda m: (m.lineno, m.col)):
        if isinstance(msg, tuple(kinds)):
            name = msg.message_args[0]
            found.setdefault(name, msg.message % msg.message_args)
    return found


def cellflow_findings(binary, paths):
    """{path: {symbol: set(codes)}} for cellflow's NB101..NB106 findings, plus a count of bad runs."""
    found = defaultdict(lambda: defaultdict(set))
    failures = 0
    for i in range(0, len(paths), BATCH):
        batch = paths[i:i + BATCH]
        run = subprocess.run([binary, "check", "--format", "json", "--exit-zero", *batch],
                             capture_output=True, text=True)
        if run.returncode not in (0, 1):
            failures += 1
            sys.stderr.write(f"cellflow exited {run.returncode} on batch {i // BATCH}: "
                             f"{run.stderr.strip()[:300]}\n")
        for item in parse_json_output(run.stdout):
            if item.get("code") in NB1_CODES and item.get("symbol"):
                found[os.path.realpath(item["path"])][item["symbol"]].add(item["code"])
    return found, failures


def parse_json_output(text):
    """The findings of cellflow's json output: one array, or one object per line."""
    text = text.strip()
    if not text:
        return []
    try:
        data = json.loads(text)
        return data if isinstance(data, list) else [data]
    except json.JSONDecodeError:
        return [json.loads(line) for line in text.splitlines() if line.strip()]


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    binary = os.path.abspath(argv[1])
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    corpus = argv[2] if len(argv) == 3 else os.path.join(repo, "..", "shared", "corpus")
    corpus = os.path.realpath(corpus)
    if not os.path.isdir(corpus):
        print(f"compare_pyflakes: no corpus directory at {corpus}", file=sys.stderr)
        return 2

    notebooks = sorted(os.path.join(d, f) for d, _, files in os.walk(corpus)
                       for f in files if f.endswith(".ipynb"))
    pyflakes_names = {}
    unparsable, unreadable = [], []
    for path in notebooks:
        try:
            code = joined_code(path)
        except (OSError, ValueError, UnicodeDecodeError):
            unreadable.append(path)
            continue
        try:
            pyflakes_names[path] = pyflakes_undefined(code, path)
        except (SyntaxError, ValueError, RecursionError):
            unparsable.append(path)

    compared = sorted(pyflakes_names)
    cellflow, failures = cellflow_findings(binary, compared)

    both = 0
    only_pyflakes = []
    only_cellflow = []
    for path in compared:
        pf = pyflakes_names[path]
        cf = cellflow.get(os.path.realpath(path), {})
        rel = os.path.relpath(path, corpus)
        for name in sorted(set(pf) | set(cf)):
            if name in pf and name in cf:
                both += 1
            elif name in pf:
                only_pyflakes.append((rel, name, pf[name]))
            else:
                for code in sorted(cf[name]):
                    only_cellflow.append((rel, name, code))

    per_code = Counter(code for _, _, code in only_cellflow)
    print(f"notebooks found: {len(notebooks)}")
    print(f"notebooks compared: {len(compared)}")
    print(f"skipped, joined code does not parse: {len(unparsable)}")
    print(f"skipped, not readable as a notebook: {len(unreadable)}")
    if failures:
        print(f"cellflow batches that failed: {failures}")
    print(f"names both report: {both}")
    print(f"names only pyflakes reports: {len(only_pyflakes)}")
    print(f"names only cellflow reports: {len(only_cellflow)}")
    for code in NB1_CODES:
        print(f"  {code}: {per_code.get(code, 0)}")
    for rel, name, message in only_pyflakes:
        print(f"only-pyflakes\t{rel}\t{name}\t{message}")
    for rel, name, code in only_cellflow:
        print(f"only-cellflow\t{rel}\t{name}\t{code}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
