"""The code cells of a notebook parsed with Python's json module, shared by the benchmark
scripts (extract_cells.py, nbqa_convert.py, compare_pyflakes.py), and the command line of the
two that write one .py file per cell or notebook."""
import os
import sys


def code_cells(notebook):
    """Yields the source text of each code cell, in file order (nbformat 3 and 4; list sources
    joined; items that are not strings skipped)."""
    cells = notebook.get("cells")
    if cells is None:  # nbformat 3
        cells = [c for ws in notebook.get("worksheets") or [] if isinstance(ws, dict)
                 for c in ws.get("cells") or []]
    if not isinstance(cells, list):
        return
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", cell.get("input", ""))
        if isinstance(source, list):
            source = "".join(s for s in source if isinstance(s, str))
        if isinstance(source, str):
            yield source


def corpus_and_output(argv, tool, usage):
    """`tool CORPUS OUT_DIR`: the two directories, with OUT_DIR made and its .py files removed;
    None (after saying why on stderr) for a wrong command line or a missing corpus."""
    if len(argv) != 3:
        print(usage, file=sys.stderr)
        return None
    corpus, out = argv[1], argv[2]
    if not os.path.isdir(corpus):
        print(f"{tool}: no corpus directory at {corpus}", file=sys.stderr)
        return None
    os.makedirs(out, exist_ok=True)
    for name in os.listdir(out):
        if name.endswith(".py"):
            os.remove(os.path.join(out, name))
    return corpus, out
