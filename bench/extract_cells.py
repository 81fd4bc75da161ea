#!/usr/bin/env python3
"""Writes the code cells of a tree of notebooks as .py files, one per cell, for the benchmark.

Usage: extract_cells.py CORPUS_DIR OUT_DIR

Every *.ipynb under CORPUS_DIR (nbformat 4 "cells", or nbformat 3 "worksheets") is read with the
json module; each non-empty code cell becomes OUT_DIR/NNNNN_CCCC.py (notebook number in path
order, cell number in the notebook), UTF-8, its list source joined. Cells that start with a cell
magic (%%bash, %%sql, ...) hold no Python and are skipped, except %%time, %%timeit and %%capture,
whose body is Python. Line magics and shell escapes stay: the benchmark parses in IPython mode.
Existing *.py files in OUT_DIR are removed first. Prints a summary; exit 0, or 2 on bad usage.
"""

import json
import os
import sys

from notebook_cells import code_cells, corpus_and_output

PYTHON_CELL_MAGICS = ("time", "timeit", "capture")


def is_foreign_cell_magic(source):
    """True for a cell whose first non-blank line is a cell magic other than a Python one."""
    for line in source.splitlines():
        if not line.strip():
            continue
        if not line.startswith("%%"):
            return False
        name = line[2:].split(None, 1)[0] if line[2:].strip() else ""
        return name not in PYTHON_CELL_MAGICS
    return False


def main(argv):
    dirs = corpus_and_output(argv, "extract_cells", __doc__.strip().splitlines()[2])
    if dirs is None:
        return 2
    corpus, out = dirs

    notebooks = []
    for root, dirs, files in os.walk(corpus):
        dirs.sort()
        notebooks.extend(os.path.join(root, f) for f in sorted(files) if f.endswith(".ipynb"))

    written = skipped_magic = unreadable = total_bytes = 0
    for nb_index, path in enumerate(notebooks):
        try:
            with open(path, encoding="utf-8") as f:
                notebook = json.load(f)
        except (OSError, ValueError) as e:
            print(f"extract_cells: skipping {path}: {e}", file=sys.stderr)
            unreadable += 1
            continue
        for cell_index, source in enumerate(code_cells(notebook)):
            if not source.strip():
                continue
            if is_foreign_cell_magic(source):
                skipped_magic += 1
                continue
            data = source.encode("utf-8", "surrogatepass")
            with open(os.path.join(out, f"{nb_index:05d}_{cell_index:04d}.py"), "wb") as f:
                f.write(data)
            written += 1
            total_bytes += len(data)

    print(f"extract_cells: {len(notebooks)} notebooks, {written} cells ({total_bytes} bytes) "
          f"written to {out}; {skipped_magic} cell-magic cells skipped, "
          f"{unreadable} notebooks unreadable")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
