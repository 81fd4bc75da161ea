#!/usr/bin/env python3
"""SARIF over the whole of ../shared/corpus: the oracle's checker accepts it, every result's
region line in the raw file holds the reported source line, and -j1 and -j2 give the same bytes.
Exits 77 (skipped) when the corpus or the checker is missing.
Usage: corpus_sarif.py CELLFLOW_BIN"""

import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    if len(sys.argv) != 2:
        print(__doc__.splitlines()[-1], file=sys.stderr)
        return 2
    cellflow = os.path.abspath(sys.argv[1])
    shared = os.environ.get("CELLFLOW_SHARED_DIR", os.path.join(HERE, "..", "..", "shared"))
    corpus = os.path.join(shared, "corpus")
    checker = os.path.join(shared, "oracles", "sarif_check.py")
    if not os.path.isdir(corpus) or not os.path.isfile(checker):
        print(f"SKIP: no corpus or sarif_check.py under {shared}")
        return 77

    outputs = []
    for jobs in ("1", "2"):
        p = subprocess.run([cellflow, "check", "-j", jobs, "--format", "sarif", "--exit-zero", "."],
                           cwd=corpus, capture_output=True)
        if p.returncode != 0:
            print(f"FAIL: cellflow exited {p.returncode}: {p.stderr.decode()[:2000]}")
            return 1
        outputs.append(p.stdout)
    failures = []
    if outputs[0] != outputs[1]:
        failures.append("-j1 and -j2 SARIF differ")

    with tempfile.NamedTemporaryFile(suffix=".sarif", delete=False) as f:
        f.write(outputs[0])
        sarif_path = f.name
    try:
        p = subprocess.run([sys.executable, checker, sarif_path, "--repo-root", corpus],
                           capture_output=True, text=True)
        verdict = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else p.stderr
        print(verdict)
        if p.returncode not in (0, 3):
            failures.append(f"sarif_check exit {p.returncode}:\n{p.stdout[-3000:]}")
    finally:
        os.unlink(sarif_path)

    run = json.loads(outputs[0])["runs"][0]
    notebooks = {}
    checked = 0
    for r in run["results"]:
        if r["ruleId"] == "NB002":
            continue
        loc = r["locations"][0]["physicalLocation"]
        path = os.path.join(corpus, loc["artifactLocation"]["uri"].replace("%20", " "))
        path = re.sub(r"%([0-9A-F]{2})", lambda m: chr(int(m.group(1), 16)), path)
        if path not in notebooks:
            with open(path, "rb") as f:
                raw = f.read().decode("utf-8-sig")
            nb = json.loads(raw)
            cells = nb.get("cells")
            if cells is None:  # nbformat 3
                cells = [c for ws in nb.get("worksheets", []) for c in ws.get("cells", [])]
            notebooks[path] = (raw.splitlines(), cells)
        raw_lines, cells = notebooks[path]
        props = r["properties"]
        cell = cells[props["cell"] - 1]
        source = cell.get("source", cell.get("input", ""))
        if isinstance(source, list):
            source = "".join(source)
        text = re.split(r"\r\n|\r|\n", source)[props["line"] - 1]
        line = loc["region"]["startLine"]
        raw = raw_lines[line - 1] if 1 <= line <= len(raw_lines) else ""
        # A cell without source lines: the line of its "source" (nbformat 3: "input") value.
        found = text == "" and re.search(r'"(source|input)"\s*:', raw) is not None
        for m in re.finditer(r'"((?:[^"\\]|\\.)*)"', raw):
            value = json.loads('"' + m.group(1) + '"')
            # nbformat 3 list items may lack their newline: one source line then spans items.
            first = re.split(r"\r\n|\r|\n", value)[0]
            if text in re.split(r"\r\n|\r|\n", value) or (first and text.startswith(first)):
                found = True
                break
        if not found:
            failures.append(f"{path}: line {line} does not hold {text!r}")
        checked += 1
    print(f"corpus_sarif: {len(run['results'])} results, {checked} region lines checked, "
          f"{len(failures)} failures")
    for f in failures[:50]:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
