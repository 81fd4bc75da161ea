#!/usr/bin/env python3
"""Import findings over a notebook corpus: NB201-NB204 by module, the most frequent unresolved
modules, and the recall on code cells saved with a ModuleNotFoundError or ImportError output.

Usage: corpus_imports.py CELLFLOW_BIN [CORPUS_DIR] [--top N]
The corpus defaults to ../shared/corpus beside the checkout. Prints tables; exit 0."""

import argparse
import collections
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def saved_import_errors(path):
    """(cell number, ename, evalue) of every code cell saved with an import error output."""
    try:
        with open(path, encoding="utf-8-sig") as f:
            nb = json.load(f)
    except (OSError, ValueError):
        return []
    cells = nb.get("cells")
    if cells is None:
        cells = [c for ws in nb.get("worksheets", []) for c in ws.get("cells", [])]
    found = []
    for i, cell in enumerate(cells, 1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        for out in cell.get("outputs", []) or []:
            if not isinstance(out, dict):
                continue
            if out.get("output_type") in ("error", "pyerr") and out.get("ename") in (
                    "ModuleNotFoundError", "ImportError"):
                found.append((i, out.get("ename"), str(out.get("evalue", ""))))
                break
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cellflow")
    ap.add_argument("corpus", nargs="?",
                    default=os.path.join(HERE, "..", "..", "shared", "corpus"))
    ap.add_argument("--top", type=int, default=30)
    args = ap.parse_args()
    if not os.path.isdir(args.corpus):
        print(f"no corpus at {args.corpus}")
        return 0
    p = subprocess.run([os.path.abspath(args.cellflow), "check", "--format", "jsonl",
                        "--exit-zero", "--select", "NB2", "."],
                       cwd=args.corpus, capture_output=True, text=True)
    findings = [json.loads(line) for line in p.stdout.splitlines() if line.strip()]
    by_rule = collections.Counter(f["code"] for f in findings)
    print("findings:", ", ".join(f"{k} {v}" for k, v in sorted(by_rule.items())))

    unresolved = collections.Counter()
    where = collections.defaultdict(set)
    for f in findings:
        if f["code"] in ("NB201", "NB203", "NB202"):
            key = (f["code"], f["symbol"] or "?")
            unresolved[key] += 1
            where[key].add(f["path"].removeprefix("./").split("/")[0])
    print(f"\nmost frequent ({args.top}):")
    print(f"{'count':>5}  {'code':5}  {'module / name':32}  repositories")
    for (code, sym), n in unresolved.most_common(args.top):
        repos = sorted(where[(code, sym)])
        shown = ", ".join(repos[:3]) + (f" (+{len(repos) - 3})" if len(repos) > 3 else "")
        print(f"{n:5}  {code:5}  {sym:32}  {shown}")

    # Recall on saved import errors.
    per_cell = collections.defaultdict(list)
    for f in findings:
        per_cell[(f["path"].removeprefix("./"), f["cell"])].append(f)
    total = hit = 0
    misses = []
    for root, _, files in os.walk(args.corpus):
        for name in sorted(files):
            if not name.endswith(".ipynb"):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, args.corpus)
            for cell, ename, evalue in saved_import_errors(path):
                total += 1
                m = re.search(r"No module named '?([\w.]+)", evalue) or re.search(
                    r"cannot import name '?(\w+)", evalue)
                wanted = m.group(1) if m else None
                got = per_cell.get((rel, cell), [])
                if got and (wanted is None or any(
                        wanted == g["symbol"] or wanted.split(".")[0] == (g["symbol"] or "")
                        .split(".")[0] for g in got)):
                    hit += 1
                else:
                    misses.append((rel, cell, ename, evalue[:100],
                                   [(g["code"], g["symbol"]) for g in got]))
    print(f"\nrecall on saved ModuleNotFoundError/ImportError cells: {hit}/{total}")
    for rel, cell, ename, evalue, got in misses:
        print(f"  miss: {rel} cell {cell}: {ename}: {evalue}  cellflow: {got or 'nothing'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
