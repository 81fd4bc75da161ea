#!/usr/bin/env bash
# Notebook reading throughput of cellflow against Python's json module, on the same .ipynb files
# in one run. Usage: read_vs_python.sh BUILD_DIR [ROUNDS]
#
# cellflow: BM_ReadNotebooks of BUILD_DIR/bench/cellflow_notebook_bench (NotebookReader::Read of
# every file, in memory, one thread; best of ROUNDS repetitions). Python: json.loads of the same
# bytes, in memory, one thread, best of ROUNDS rounds (bench/python_json_load.py). Both in CPU
# time. The corpus: $CELLFLOW_CORPUS, else $CELLFLOW_SHARED_DIR/corpus, else <repo>/../shared/corpus.
# Target: cellflow at least 4x Python.
# Exit: 0 (also when the corpus is missing: nothing to compare), 1 a side failed, 2 bad usage.
set -euo pipefail

if (($# < 1 || $# > 2)); then
  echo "usage: $0 BUILD_DIR [ROUNDS]" >&2
  exit 2
fi
bin=$1/bench/cellflow_notebook_bench
if [[ ! -x "$bin" ]]; then
  echo "$0: $bin is not an executable (build it: ninja -C $1 cellflow_notebook_bench)" >&2
  exit 2
fi
rounds=${2:-3}
here=$(cd "$(dirname "$0")" && pwd)
shared=${CELLFLOW_SHARED_DIR:-$here/../../shared}
corpus=${CELLFLOW_CORPUS:-$shared/corpus}
if [[ ! -d "$corpus" ]]; then
  echo "read_vs_python: no corpus at $corpus, nothing to compare"
  exit 0
fi

out=$(mktemp)
trap 'rm -f "$out"' EXIT
CELLFLOW_CORPUS=$corpus "$bin" --benchmark_filter='^BM_ReadNotebooks$' \
  --benchmark_repetitions="$rounds" --benchmark_format=json >"$out"
python=$(python3 "$here/python_json_load.py" "$corpus" "$rounds")

python3 - "$out" "$python" "$(python3 --version)" <<'EOF'
import json
import sys

runs = [b for b in json.load(open(sys.argv[1]))["benchmarks"]
        if b.get("run_type") == "iteration" and b["name"].startswith("BM_ReadNotebooks")]
if not runs or any(b.get("error_occurred") for b in runs):
    print("read_vs_python: the cellflow benchmark did not run:",
          runs[0].get("error_message") if runs else "no result", file=sys.stderr)
    sys.exit(1)
best = max(runs, key=lambda b: b["bytes_per_second"])
fields = dict(kv.split("=") for kv in sys.argv[2].split())
py_bytes, py_seconds = int(fields["bytes"]), float(fields["best_seconds"])
cf = best["bytes_per_second"] / 1e6
py = py_bytes / py_seconds / 1e6
print(f"read_vs_python: {int(best['files'])} notebooks, {best['MB']:.1f} MB, best of {len(runs)}")
print(f"cellflow NotebookReader: {cf:8.1f} MB/s  ({int(best['cells'])} cells,"
      f" {int(best['errors'])} errors)")
print(f"{sys.argv[3]} json.loads: {py:8.1f} MB/s  ({fields['files']} files,"
      f" {fields['errors']} errors)")
ratio = cf / py
print(f"cellflow / Python = {ratio:.1f}x (target: 4x){'' if ratio >= 4 else '  BELOW TARGET'}")
sys.exit(1 if int(best["errors"]) != 0 else 0)
EOF
