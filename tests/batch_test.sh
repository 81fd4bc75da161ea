#!/usr/bin/env bash
# One broken notebook in a batch: `cellflow dump cells --json good.ipynb bad.ipynb good2.ipynb`
# must print the cells of both good files, exactly one NB002 object for the truncated bad.ipynb,
# and exit with status 1. Usage: batch_test.sh CELLFLOW_BIN
set -euo pipefail

if (($# != 1)); then
  echo "usage: $0 CELLFLOW_BIN" >&2
  exit 2
fi
cellflow=$1
command -v python3 >/dev/null || { echo "SKIP: python3 not found"; exit 77; }

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

cat >"$dir/good.ipynb" <<'EOF'
{
 "cells": [
  {
   "cell_type": "markdown",
   "metadata": {},
   "source": ["# Good\n", "notebook"]
  },
  {
   "cell_type": "code",
   "execution_count": 1,
   "metadata": {},
   "outputs": [
    {"ename": "NameError", "evalue": "name 'y' is not defined", "output_type": "error",
     "traceback": []}
   ],
   "source": [
    "x = 1\n",
    "print(y)"
   ]
  }
 ],
 "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
 "nbformat": 4,
 "nbformat_minor": 5
}
EOF

cat >"$dir/good2.ipynb" <<'EOF'
{
 "metadata": {"name": ""},
 "nbformat": 3,
 "nbformat_minor": 0,
 "worksheets": [
  {
   "cells": [
    {"cell_type": "code", "input": ["import os\n", "os.sep"], "language": "python",
     "metadata": {}, "outputs": [], "prompt_number": 7}
   ],
   "metadata": {}
  }
 ]
}
EOF

# bad.ipynb: the first half of good.ipynb, as left by an interrupted download.
python3 - "$dir" <<'EOF'
import sys
d = sys.argv[1]
data = open(f"{d}/good.ipynb", "rb").read()
open(f"{d}/bad.ipynb", "wb").write(data[: len(data) // 2])
EOF

status=0
"$cellflow" dump cells --json "$dir/good.ipynb" "$dir/bad.ipynb" "$dir/good2.ipynb" \
  >"$dir/out.jsonl" 2>"$dir/err.txt" || status=$?

if [[ $status -ne 1 ]]; then
  echo "FAIL: exit status $status, expected 1" >&2
  cat "$dir/err.txt" >&2
  exit 1
fi

python3 - "$dir" <<'EOF'
import json
import sys

d = sys.argv[1]
lines = open(f"{d}/out.jsonl", encoding="utf-8").read().splitlines()
objects = [json.loads(line) for line in lines]
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)


cells = {}
for o in objects:
    if "cell" in o and o.get("cell") is not None and "file" in o:
        cells.setdefault(o["file"], []).append(o)
diagnostics = [o for o in objects if o.get("code") == "NB002"]

good, bad, good2 = (f"{d}/{n}.ipynb" for n in ("good", "bad", "good2"))
check(
    [(c["cell"], c["type"], c["source"], c["execution_count"], c["error"], c["raw_lines"])
     for c in cells.get(good, [])]
    == [(1, "markdown", "# Good\nnotebook", None, None, [6, 6]),
        (2, "code", "x = 1\nprint(y)", 1, "NameError", [17, 18])],
    f"cells of good.ipynb: {cells.get(good)}")
check(
    [(c["cell"], c["type"], c["source"], c["execution_count"], c["error"], c["raw_lines"])
     for c in cells.get(good2, [])]
    == [(1, "code", "import os\nos.sep", 7, None, [8, 8])],
    f"cells of good2.ipynb: {cells.get(good2)}")
check(bad not in cells, "bad.ipynb printed cells")
check(len(diagnostics) == 1, f"{len(diagnostics)} NB002 objects, expected 1")
if diagnostics:
    nb002 = diagnostics[0]
    check(nb002.get("path") == bad, f"NB002 for {nb002.get('path')}")
    check(nb002.get("rule") == "invalid-notebook", f"rule {nb002.get('rule')}")
    check("truncated" in nb002.get("message", ""), f"message {nb002.get('message')!r}")
    check(isinstance(nb002.get("line"), int), f"line {nb002.get('line')!r}")
# Order: good's cells, then the diagnostic, then good2's cells.
order = [o.get("file", o.get("path")) for o in objects]
check(order == [good, good, bad, good2], f"output order {order}")

for f in failures:
    print("FAIL:", f)
print(f"batch_test: {len(objects)} objects, {len(failures)} failures")
sys.exit(1 if failures else 0)
EOF
