#!/usr/bin/env python3
"""Recall on recorded NameErrors: of the code cells saved with a NameError output, how many get
their missing name reported by cellflow in that same cell.

Usage: bench/name_error_recall.py CELLFLOW_BINARY [CORPUS_DIR]

Runs `CELLFLOW_BINARY check --order executed --format jsonl --exit-zero CORPUS_DIR` (the order the
author ran the cells, as the saved outputs were produced), then reads every notebook under
CORPUS_DIR (default ../shared/corpus beside the repository) with the json module: a code cell
whose outputs hold an error with ename NameError and an evalue "name 'x' is not defined" counts
once; it is found when a finding of that cell names x. Prints the counts, then one line per
miss: notebook, cell (1-based), name, and the codes cellflow reported in that cell.
"""
import collections
import glob
import json
import os
import re
import subprocess
import sys


def cells_of(nb):
    if "cells" in nb:
        return nb["cells"]
    worksheets = nb.get("worksheets") or [{}]
    return worksheets[0].get("cells", [])


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    binary = os.path.abspath(sys.argv[1])
    here = os.path.dirname(os.path.abspath(__file__))
    corpus = sys.argv[2] if len(sys.argv) == 3 else os.path.join(here, "..", "..", "shared", "corpus")
    if not os.path.isdir(corpus):
        print(f"name_error_recall: no corpus at {corpus}")
        return 0
    out = subprocess.run([binary, "check", "--order", "executed", "--format", "jsonl",
                          "--exit-zero", "--no-progress", "."],
                         cwd=corpus, capture_output=True, text=True, check=True).stdout
    reported = collections.defaultdict(list)
    for line in out.splitlines():
        f = json.loads(line)
        reported[(os.path.normpath(f["path"]), f["cell"])].append((f["symbol"], f["code"]))
    total = found = 0
    misses = []
    for path in sorted(glob.glob(os.path.join(corpus, "**", "*.ipynb"), recursive=True)):
        rel = os.path.normpath(os.path.relpath(path, corpus))
        try:
            with open(path, encoding="utf-8") as fh:
                nb = json.load(fh)
        except (OSError, ValueError):
            continue
        for index, cell in enumerate(cells_of(nb), start=1):
            if cell.get("cell_type") != "code":
                continue
            for output in cell.get("outputs", []):
                if output.get("ename") != "NameError":
                    continue
                m = re.search(r"name '([^']+)' is not defined", output.get("evalue", ""))
                if not m:
                    continue
                total += 1
                here_reported = reported.get((rel, index), [])
                if any(symbol == m.group(1) for symbol, _ in here_reported):
                    found += 1
                else:
                    codes = ",".join(sorted({code for _, code in here_reported})) or "-"
                    misses.append(f"{rel}\tcell {index}\t{m.group(1)}\t{codes}")
    print(f"cells saved with a NameError: {total}")
    print(f"name reported in that cell: {found}")
    for miss in misses:
        print("miss\t" + miss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
