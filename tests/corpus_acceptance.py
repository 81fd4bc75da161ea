#!/usr/bin/env python3
"""Which notebook cells cellflow accepts, against CPython 3.11's ast.parse.

Usage: corpus_acceptance.py CELLFLOW_BIN [--keep DIR] [--batch N]

Every code cell of every notebook under SHARED/corpus (SHARED: $CELLFLOW_SHARED_DIR, default
<repo>/../shared) is written as a UTF-8 .py file (into a temporary directory, or DIR with --keep),
then judged twice:

- cellflow: `CELLFLOW_BIN dump names --json --ipython FILE...` in batches; a file is rejected iff
  it gets a `"syntax_error": true` line. A call that fails is re-run one file at a time; a file that
  still fails is a tool failure.
- CPython: ast.parse of the same bytes. A cell CPython rejects but accepts once its IPython escapes
  are neutralised is an "IPython cell": at the start of a logical line, a line whose first
  non-blank character is %, ! or ? (or /, , or ;, IPython's autocall), or whose code ends with IPython's help syntax (`obj?`,
  `a.b??`; not `x = ?`, which IPython rejects too), becomes `pass` (indentation kept);
  the right-hand side of `x = !cmd` / `x = %magic` becomes `None`. Lines a trailing backslash
  joins to an escape become empty. A cell of a single line that starts with the name of one of
  IPython's line magics or aliases followed by arguments (`pip install x`, `ls data`) is an
  automagic call, also an IPython cell: IPython applies automagic to single-line cells only.
  So is a cell CPython accepts once IPython's cleanup has run first (see ipython_cleanup: the
  first line's indentation removed from every line, pasted `>>> ` or `In [1]: ` prompts removed).

Cells that start with a cell magic other than %%time, %%timeit and %%capture (%%bash, %%sql,
%%writefile, ...) hold no Python; they are counted, not compared.

A cell fails when cellflow rejects it while CPython accepts it (as is or as an IPython cell), or
when cellflow accepts it while CPython rejects it for a reason other than IPython syntax. Each
failure is listed with the notebook path (relative to the corpus), the cell index (0-based, among
all cells of the notebook) and the first error line of cellflow (`dump ast --ipython`) or of
CPython. The last line is `N passed, M failed`.

Exit: 0 no failure; 1 failures; 2 bad usage; 77 skipped (no corpus, or python3 is not 3.11).
"""

import argparse
import ast
import json
import os
import re
import subprocess
import sys
import tempfile
import warnings

SKIP = 77


def find_notebooks(corpus):
    notebooks = []
    for root, dirs, files in os.walk(corpus):
        dirs.sort()
        notebooks.extend(os.path.join(root, f) for f in sorted(files) if f.endswith(".ipynb"))
    return notebooks


def code_cells(notebook):
    """Yields (index among all cells, source) for every code cell of a parsed notebook."""
    cells = notebook.get("cells")
    if cells is None:  # nbformat 3
        cells = [c for ws in notebook.get("worksheets", []) for c in ws.get("cells", [])]
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", cell.get("input", ""))
        if isinstance(source, list):
            source = "".join(source)
        if isinstance(source, str):
            yield index, source


# Physical lines with their terminators; only \n, \r\n and \r end a line (as in CPython's
# tokenizer; str.splitlines would also split at \f, \v, \x1c-\x1e, U+0085, U+2028, U+2029).
_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_NOT_ASSIGN_BEFORE = set("=<>!:+-*/%&|^@~")
# IPython 8's help-end target (IPython/core/inputtransformer2.py): `obj?`, `a.b??`, `np.*load*?`,
# `x[0]?`, `%magic?`. A line ending with `?` after anything else (`x = ?`) is a SyntaxError in
# IPython too.
_HELP_END_RE = re.compile(r"%{0,2}(?!\d)[\w*]+(?:\.(?!\d)[\w*]+|\[-?[0-9]+\])*\?\??\Z")

# Cell magics whose body is Python.
PYTHON_CELL_MAGICS = ("time", "timeit", "capture")

# IPython 8's default line magics and, on Linux, aliases: with automagic on (the default), a
# single-line cell "NAME args" runs %NAME.
AUTOMAGICS = frozenset("""
    alias alias_magic autoawait autocall automagic autosave bookmark cat cd clear colors conda
    config connect_info cp debug dhist dirs doctest_mode ed edit env gui hist history
    killbgscripts ldir less lf lk ll load load_ext loadpy logoff logon logstart logstate logstop
    ls lsmagic lx macro magic mamba man matplotlib micromamba mkdir more mv notebook page pastebin
    pdb pdef pdoc pfile pinfo pinfo2 pip popd pprint precision prun psearch psource pushd pwd
    pycat pylab qtconsole quickref recall rehashx reload_ext rep rerun reset reset_selective rm
    rmdir run save sc set_env store sx system tb time timeit unalias unload_ext who who_ls whos
    xdel xmode""".split())
_AUTOMAGIC_RE = re.compile(r"[ \t]*([A-Za-z_]\w*)(?:[ \t]+(.*))?\Z", re.S)


def is_foreign_cell_magic(source):
    """True for a cell that starts with a cell magic whose body is not Python."""
    for line in source.splitlines():
        if not line.strip():
            continue
        line = line.lstrip()
        if not line.startswith("%%"):
            return False
        words = line[2:].split(None, 1)
        return not words or words[0] not in PYTHON_CELL_MAGICS
    return False


def is_automagic_cell(source):
    """True for a single-line cell `NAME args` that IPython runs as the line magic %NAME.

    As InteractiveShell.transform_cell: leading blank lines are dropped, and the cell must then
    be one line by str.splitlines ("pip install x" and "pip install x\n", not "pip install x\n\n").
    """
    lines = source.splitlines()
    while lines and not lines[0].strip():
        lines.pop(0)
    if len(lines) != 1:
        return False
    m = _AUTOMAGIC_RE.match(lines[0])
    if m is None or m.group(1) not in AUTOMAGICS:
        return False
    rest = m.group(2) or ""
    # IPython's AssignmentChecker: "ls = 5" and "ls, x = ..." are Python.
    return not (rest[:1] in ("=", ",") and not rest.startswith("=="))


def neutralise_ipython(text):
    """Returns `text` with IPython escapes replaced by Python of the same line structure.

    Tracks brackets, strings, comments and backslash continuations (Python 3.11 lexical rules,
    where an f-string never contains its own quote), so only escapes at the start of a logical
    line, or right after a top-level `=`, are touched.
    """
    out = []
    depth = 0
    quote = None  # the open string's closing quote ("'", '"', "'''" or '"""'), or None
    continued = False  # the previous line ended with a backslash outside strings
    escape_continues = False  # the previous line was an escape ending with a backslash
    for line in _LINE_RE.findall(text):
        body = line.rstrip("\r\n")
        eol = line[len(body):]
        if escape_continues:
            escape_continues = body.endswith("\\")
            out.append(eol)
            continue
        at_start = depth == 0 and quote is None and not continued
        stripped = body.lstrip(" \t\f")
        indent = body[: len(body) - len(stripped)]
        if at_start and stripped[:1] in ("%", "!", "?", "/", ",", ";"):
            out.append(indent + "pass" + eol)
            escape_continues = body.endswith("\\")
            continue

        continued = False
        last_code = None  # index of the last character outside strings and comments
        i = 0
        n = len(body)
        replaced = None
        while i < n:
            c = body[i]
            if quote is not None:
                if c == "\\":
                    i += 2
                    continue
                if body.startswith(quote, i):
                    i += len(quote)
                    quote = None
                    last_code = i - 1
                    continue
                i += 1
                continue
            if c == "#":
                break
            if c in "\"'":  # any prefix (r, b, f, ...) lexes the same for this purpose
                quote = c * 3 if body.startswith(c * 3, i) else c
                i += len(quote)
                continue
            if c in "([{":
                depth += 1
            elif c in ")]}":
                depth = max(0, depth - 1)
            elif c == "\\" and i == n - 1:
                continued = True
                break
            elif (c == "=" and at_start and depth == 0 and
                  (i == 0 or body[i - 1] not in _NOT_ASSIGN_BEFORE) and
                  (i + 1 == n or body[i + 1] != "=")):
                rest = body[i + 1:].lstrip(" \t\f")
                if rest[:1] in ("!", "%"):
                    replaced = body[: i + 1] + " None" + eol
                    escape_continues = body.endswith("\\")
                    break
            if not c.isspace():
                last_code = i
            i += 1

        if replaced is not None:
            out.append(replaced)
            continued = False
            continue
        if quote is not None and len(quote) == 1 and not body.endswith("\\"):
            quote = None  # unterminated single-quoted string: CPython rejects it anyway
        if (at_start and depth == 0 and quote is None and not continued and
                last_code is not None and _HELP_END_RE.search(body[: last_code + 1])):
            out.append(indent + "pass" + eol)
            continue
        out.append(line)
    return "".join(out)


# IPython's cleanup of a cell before anything else (inputtransformer2's cleanup_transforms).
_CLASSIC_FIRST_PROMPT = re.compile(r"^>>>( |$)")
_CLASSIC_PROMPT = re.compile(r"^(>>>|\.\.\.)( |$)")
_IPYTHON_PROMPT = re.compile(r"^((\[nav\] |\[ins\] | )?In \[\d+\]: |\s*\.{3,}: ?)")


def ipython_cleanup(text):
    """`text` as IPython runs it: its leading blank lines dropped, the first line's indentation
    removed from every line that starts with it, then, when the first line has an initial prompt
    or the second line any prompt, one prompt removed from the start of every line: ">>> " or
    "... " first, then "In [n]: " or "...: "."""
    lines = text.splitlines(keepends=True)
    while lines and lines[0].isspace():
        lines.pop(0)
    if not lines:
        return text
    indent = re.match(r"[ \t]*", lines[0]).group(0)
    if indent:
        lines = [line[len(indent):] if line.startswith(indent) else line for line in lines]
    for first, prompt in ((_CLASSIC_FIRST_PROMPT, _CLASSIC_PROMPT),
                          (_IPYTHON_PROMPT, _IPYTHON_PROMPT)):
        if first.match(lines[0]) or (len(lines) > 1 and prompt.match(lines[1])):
            lines = [prompt.sub("", line, count=1) for line in lines]
    return "".join(lines)


def cpython_accepts(data):
    """(accepted, first line of the error) for ast.parse of bytes or str."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(data)
        return True, ""
    except SyntaxError as e:
        return False, f"{type(e).__name__}: {e.msg} (line {e.lineno})"
    except (ValueError, MemoryError, RecursionError) as e:
        return False, f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"


def run_cellflow(binary, files):
    """Returns (set of rejected files, list of files cellflow failed on)."""
    cmd = [binary, "dump", "names", "--json", "--ipython"]
    try:
        proc = subprocess.run(cmd + files, capture_output=True, timeout=600)
    except subprocess.TimeoutExpired:
        proc = None
    if proc is None or proc.returncode != 0:
        if len(files) == 1:
            return set(), files
        return run_cellflow_one_by_one(binary, files)
    rejected = set()
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            if len(files) == 1:
                return set(), files
            return run_cellflow_one_by_one(binary, files)
        if isinstance(record, dict) and record.get("syntax_error") is True:
            rejected.add(record.get("file"))
    return rejected, []


def run_cellflow_one_by_one(binary, files):
    rejected, failed = set(), []
    for f in files:
        r, fl = run_cellflow(binary, [f])
        rejected |= r
        failed += fl
    return rejected, failed


def cellflow_error(binary, path):
    """First `: error:` line of `cellflow dump ast --ipython`, without the file name."""
    proc = subprocess.run([binary, "dump", "ast", "--ipython", path], capture_output=True,
                          timeout=60)
    for stream in (proc.stdout, proc.stderr):
        for line in stream.decode("utf-8", "replace").splitlines():
            if ": error:" in line:
                return line[len(path) + 1:] if line.startswith(path + ":") else line
    return f"(no error line; exit {proc.returncode})"


def first_line(text):
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:100]
    return ""


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cellflow")
    parser.add_argument("--keep", metavar="DIR", help="write the cells to DIR and keep them")
    parser.add_argument("--batch", type=int, default=400)
    args = parser.parse_args(argv[1:])

    if sys.version_info[:2] != (3, 11):
        print(f"SKIP: needs python3 at version 3.11, found {sys.version.split()[0]}")
        return SKIP
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    shared = os.environ.get("CELLFLOW_SHARED_DIR") or os.path.join(repo, "..", "shared")
    corpus = os.path.join(shared, "corpus")
    notebooks = find_notebooks(corpus) if os.path.isdir(corpus) else []
    if not notebooks:
        print(f"SKIP: no notebooks under {corpus} (set CELLFLOW_SHARED_DIR to the shared dir)")
        return SKIP
    if not (os.path.isfile(args.cellflow) and os.access(args.cellflow, os.X_OK)):
        print(f"corpus_acceptance: {args.cellflow} is not an executable", file=sys.stderr)
        return 2

    tmp = None
    if args.keep:
        workdir = args.keep
        os.makedirs(workdir, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="cellflow-corpus-")
        workdir = tmp.name

    # Write the cells and judge them with CPython.
    cells = []  # dicts: notebook, index, path, source, cpython, ipython, automagic, cpython_error
    unreadable = []
    cell_magic_cells = 0
    for nb_number, nb_path in enumerate(notebooks):
        try:
            with open(nb_path, encoding="utf-8") as f:
                notebook = json.load(f)
        except (OSError, ValueError) as e:
            unreadable.append(f"{os.path.relpath(nb_path, corpus)}: {e}")
            continue
        for index, source in code_cells(notebook):
            if is_foreign_cell_magic(source):
                cell_magic_cells += 1
                continue
            path = os.path.join(workdir, f"{nb_number:05d}_{index:04d}.py")
            data = source.encode("utf-8", "surrogatepass")
            with open(path, "wb") as f:
                f.write(data)
            accepted, error = cpython_accepts(data)
            automagic = not accepted and is_automagic_cell(source)
            is_ipython = automagic or (
                not accepted and
                (cpython_accepts(neutralise_ipython(source))[0] or
                 cpython_accepts(neutralise_ipython(ipython_cleanup(source)))[0]))
            cells.append({
                "notebook": os.path.relpath(nb_path, corpus),
                "index": index,
                "path": path,
                "source": source,
                "cpython": accepted or is_ipython,
                "ipython": is_ipython,
                "automagic": automagic,
                "cpython_error": error,
            })

    # Judge them with cellflow.
    rejected, failed = set(), []
    paths = [c["path"] for c in cells]
    for start in range(0, len(paths), args.batch):
        r, fl = run_cellflow(args.cellflow, paths[start:start + args.batch])
        rejected |= r
        failed += fl
    failed_set = set(failed)

    both_accept = both_reject = ipython_cells = ipython_accepted = 0
    only_rejects, only_accepts, tool_failures = [], [], []
    for c in cells:
        if c["path"] in failed_set:
            tool_failures.append(c)
            continue
        cellflow_ok = c["path"] not in rejected
        if c["ipython"]:
            ipython_cells += 1
            ipython_accepted += cellflow_ok
        if cellflow_ok and c["cpython"]:
            both_accept += not c["ipython"]
        elif not cellflow_ok and not c["cpython"]:
            both_reject += 1
        elif not cellflow_ok:
            only_rejects.append(c)
        else:
            only_accepts.append(c)

    failures = len(only_rejects) + len(only_accepts) + len(tool_failures)
    print(f"corpus_acceptance: {len(notebooks)} notebooks, {len(cells) + cell_magic_cells} code "
          f"cells; CPython {sys.version.split()[0]} ast.parse vs {args.cellflow} --ipython")
    print(f"  cell-magic cells:      {cell_magic_cells} (not Python, not compared)")
    print(f"  cells compared:        {len(cells)}")
    print(f"  both accept:           {both_accept} (not counting IPython cells)")
    print(f"  both reject:           {both_reject}")
    print(f"  IPython cells:         {ipython_cells} (cellflow accepts {ipython_accepted})")
    print(f"  cellflow-only rejects: {len(only_rejects)}")
    print(f"  cellflow-only accepts: {len(only_accepts)}")
    if tool_failures:
        print(f"  cellflow failures:     {len(tool_failures)}")
    for line in unreadable:
        print(f"  unreadable notebook: {line}")

    def where(c):
        kept = f" [{c['path']}]" if args.keep else ""
        return f"{c['notebook']} cell {c['index']}{kept}"

    if only_rejects:
        print("cellflow rejects, CPython accepts (IPython cells: after neutralising escapes):")
        for c in only_rejects:
            tag = ""
            if c["ipython"]:
                tag = " (IPython cell, automagic)" if c["automagic"] else " (IPython cell)"
            print(f"  {where(c)}{tag}: {cellflow_error(args.cellflow, c['path'])}"
                  f" | {first_line(c['source'])}")
    if only_accepts:
        print("cellflow accepts, CPython rejects (not because of IPython syntax):")
        for c in only_accepts:
            print(f"  {where(c)}: CPython: {c['cpython_error']} | {first_line(c['source'])}")
    if tool_failures:
        print("cellflow exited non-zero or printed a malformed line:")
        for c in tool_failures:
            print(f"  {where(c)}: first line: {first_line(c['source'])}")

    print(f"{len(cells) - failures} passed, {failures} failed")
    if tmp is not None:
        tmp.cleanup()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
