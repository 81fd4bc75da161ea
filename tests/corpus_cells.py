#!/usr/bin/env python3
"""The cells cellflow reads from every notebook of the corpus, against Python's json module.

Usage: corpus_cells.py CELLFLOW_BIN [--batch N] [--corpus DIR]

Every .ipynb under SHARED/corpus (SHARED: $CELLFLOW_SHARED_DIR, default <repo>/../shared) is read
twice:

- cellflow: `CELLFLOW_BIN dump cells --json FILE...` in batches of N files (default 100). A batch
  that crashes is re-run one file at a time.
- Python: json.loads of the file's bytes. The cells are `cells` (nbformat 4) or every worksheet's
  `cells` (nbformat 2 and 3).

For each notebook both sides must agree on the number of cells and, per cell, on the type, the
source (`source`, else `input`; list items joined), the execution count (`execution_count`, else
nbformat 3's `prompt_number`) and the error: the `ename` of the first output whose output_type is
"error" or "pyerr". A notebook Python reads that cellflow rejects (NB002) is a difference, unless
its nbformat is below 2 or above 4; one Python cannot read that cellflow reads is one too.

The raw-line map is checked on its own: cellflow's `raw_lines` must have one entry per source line
(lines end at "\\n", "\\r\\n" or a lone "\\r"), and the raw line it names must hold the JSON-escaped
text of that source line from its first character to the end of the list item it starts in (at
most 30 characters, escaped with ensure_ascii True or False).

Prints the counts and every difference; the last line is `N passed, M failed` (notebooks).
Exit: 0 no difference; 1 differences; 2 bad usage; 77 skipped (no corpus).
"""

import argparse
import json
import os
import subprocess
import sys

SKIP = 77
PREFIX_CHARS = 30


def find_notebooks(corpus):
    notebooks = []
    for root, dirs, files in os.walk(corpus):
        dirs.sort()
        notebooks.extend(os.path.join(root, f) for f in sorted(files) if f.endswith(".ipynb"))
    return notebooks


def split_lines(text):
    """(start, end) of each line: "\\n", "\\r\\n" or a lone "\\r" ends one; no empty last line."""
    spans = []
    pos = 0
    n = len(text)
    while pos < n:
        e = pos
        while e < n and text[e] not in "\r\n":
            e += 1
        spans.append((pos, e))
        if e < n and text[e] == "\r" and e + 1 < n and text[e + 1] == "\n":
            e += 1
        pos = e + 1
    return spans


def line_starts(text):
    return [start for start, _ in split_lines(text)]


def python_cells(nb):
    """The expected cells, or a reason string when the document is no notebook."""
    if not isinstance(nb, dict):
        return "not an object"
    if "cells" in nb:
        cells = nb["cells"]
    else:
        cells = [c for ws in nb.get("worksheets", []) or [] for c in (ws.get("cells") or [])]
    out = []
    for cell in cells:
        if "source" in cell:
            items = cell["source"]
        else:
            items = cell.get("input", "")
        if isinstance(items, str):
            items = [items]
        if "execution_count" in cell:
            count = cell["execution_count"]
        else:
            count = cell.get("prompt_number")
        error = None
        for output in cell.get("outputs", []) or []:
            if not isinstance(output, dict):
                continue
            if output.get("output_type") in ("error", "pyerr") and isinstance(
                output.get("ename"), str
            ):
                error = output["ename"]
                break
        out.append(
            {
                "type": cell.get("cell_type"),
                "items": items,
                "source": "".join(items),
                "execution_count": count,
                "error": error,
            }
        )
    return out


def escapings(text):
    """The JSON spellings of text that a notebook writer may have used."""
    ascii_form = json.dumps(text, ensure_ascii=True)[1:-1]
    utf8_form = json.dumps(text, ensure_ascii=False)[1:-1]
    return {ascii_form, utf8_form}


def check_raw_lines(cell, got_raw_lines, raw_lines_text, where, problems):
    """Returns (lines checked, lines wrong)."""
    source = cell["source"]
    spans = split_lines(source)
    if len(got_raw_lines) != len(spans):
        problems.append(
            f"{where}: raw_lines has {len(got_raw_lines)} entries for {len(spans)} source lines"
        )
        return len(spans), len(spans)
    # Offsets of the item boundaries within the joined source.
    item_ends = []
    offset = 0
    for item in cell["items"]:
        offset += len(item)
        item_ends.append(offset)
    wrong = 0
    k_item = 0
    item_start = 0
    for k, (start, _) in enumerate(spans):
        while item_ends[k_item] <= start:
            item_start = item_ends[k_item]
            k_item += 1
        segment = source[start : min(item_ends[k_item], start + PREFIX_CHARS)]
        # Cutting at 30 code points never splits an escape: escaping works code point by code point.
        raw = got_raw_lines[k]
        if not 1 <= raw <= len(raw_lines_text):
            wrong += 1
            problems.append(f"{where} line {k + 1}: raw line {raw} is outside the file")
            continue
        text = raw_lines_text[raw - 1]
        if not any(form in text for form in escapings(segment)):
            wrong += 1
            problems.append(
                f"{where} line {k + 1}: raw line {raw} does not hold {json.dumps(segment)}"
                f" (item {k_item + 1}); it is {text[:80]!r}"
            )
    return len(spans), wrong


def run_cellflow(binary, files, timeout):
    """Output objects grouped by file, or None for a batch that did not finish normally."""
    try:
        proc = subprocess.run(
            [binary, "dump", "cells", "--json", *files], capture_output=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return None, "timed out"
    if proc.returncode not in (0, 1):
        return None, f"exit status {proc.returncode}: {proc.stderr.decode(errors='replace')[:200]}"
    by_file = {f: [] for f in files}
    for line in proc.stdout.decode("utf-8").splitlines():
        obj = json.loads(line)
        name = obj.get("file", obj.get("path"))
        by_file.setdefault(name, []).append(obj)
    return by_file, None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cellflow")
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--corpus", help="notebook directory (default SHARED/corpus)")
    args = parser.parse_args()

    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    shared = os.environ.get("CELLFLOW_SHARED_DIR") or os.path.join(repo, "..", "shared")
    corpus = args.corpus or os.path.join(shared, "corpus")
    if not os.path.isdir(corpus):
        print(f"SKIP: no corpus at {corpus}")
        return SKIP
    if not os.access(args.cellflow, os.X_OK):
        print(f"corpus_cells: {args.cellflow} is not an executable", file=sys.stderr)
        return 2

    notebooks = find_notebooks(corpus)
    counts = dict.fromkeys(
        [
            "notebooks",
            "python_unreadable",
            "unsupported_nbformat",
            "cells",
            "code_cells",
            "lines_checked",
            "lines_wrong",
            "nb002",
        ],
        0,
    )
    passed = failed = 0
    for b in range(0, len(notebooks), args.batch):
        batch = notebooks[b : b + args.batch]
        by_file, error = run_cellflow(args.cellflow, batch, timeout=600)
        if by_file is None:
            by_file = {}
            for f in batch:  # one at a time, to name the file that breaks cellflow
                one, one_error = run_cellflow(args.cellflow, [f], timeout=120)
                by_file[f] = one[f] if one else [{"crash": one_error}]
        for path in batch:
            counts["notebooks"] += 1
            rel = os.path.relpath(path, corpus)
            problems = []
            got = by_file.get(path, [])
            crash = [o for o in got if "crash" in o]
            nb002 = [o for o in got if o.get("code") == "NB002"]
            got_cells = [o for o in got if "cell" in o and "file" in o]
            counts["nb002"] += bool(nb002)
            with open(path, "rb") as f:
                data = f.read()
            try:
                nb = json.loads(data)
                expected = python_cells(nb)
            except (ValueError, UnicodeDecodeError, RecursionError, AttributeError, TypeError) as e:
                nb, expected = None, f"{type(e).__name__}: {e}"
            nbformat = nb.get("nbformat") if isinstance(nb, dict) else None

            if crash:
                problems.append(f"{rel}: cellflow failed: {crash[0]['crash']}")
            elif isinstance(expected, str):
                counts["python_unreadable"] += 1
                if not nb002:
                    problems.append(f"{rel}: Python cannot read it ({expected}); cellflow did")
            elif not isinstance(nbformat, int) or not 2 <= nbformat <= 4:
                counts["unsupported_nbformat"] += 1
                if not nb002:
                    problems.append(f"{rel}: nbformat {nbformat!r}; cellflow read it")
            elif nb002:
                problems.append(f"{rel}: cellflow rejects it: {nb002[0].get('message')}")
            elif len(got_cells) != len(expected):
                problems.append(f"{rel}: {len(got_cells)} cells, Python reads {len(expected)}")
            else:
                text = data.decode("utf-8-sig")
                raw_text = [text[s:e] for s, e in split_lines(text)]
                for i, (want, have) in enumerate(zip(expected, got_cells)):
                    where = f"{rel} cell {i + 1}"
                    counts["cells"] += 1
                    counts["code_cells"] += want["type"] == "code"
                    if have["cell"] != i + 1:
                        problems.append(f"{where}: numbered {have['cell']}")
                    for key in ("type", "source", "execution_count", "error"):
                        if have[key] != want[key]:
                            problems.append(
                                f"{where}: {key} {json.dumps(have[key])[:120]}, Python reads"
                                f" {json.dumps(want[key])[:120]}"
                            )
                    checked, wrong = check_raw_lines(
                        want, have["raw_lines"], raw_text, where, problems
                    )
                    counts["lines_checked"] += checked
                    counts["lines_wrong"] += wrong
            if problems:
                failed += 1
                for p in problems:
                    print(f"DIFF {p}")
            else:
                passed += 1

    print(
        f"corpus_cells: {counts['notebooks']} notebooks ({counts['python_unreadable']} that"
        f" Python cannot read, {counts['unsupported_nbformat']} of an unsupported nbformat,"
        f" {counts['nb002']} rejected by cellflow), {counts['cells']} cells compared"
        f" ({counts['code_cells']} code)"
    )
    print(
        f"corpus_cells: raw lines: {counts['lines_checked']} source lines checked,"
        f" {counts['lines_wrong']} wrong"
    )
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
