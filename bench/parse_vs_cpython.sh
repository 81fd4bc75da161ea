#!/usr/bin/env bash
# Parse throughput of cellflow against CPython's ast.parse, on the same standard-library files in
# one run. Usage: parse_vs_cpython.sh PARSE_FILES_BIN|BUILD_DIR [ROUNDS]
#
# PARSE_FILES_BIN is the bench/parse_files executable (a build directory means
# BUILD_DIR/bench/parse_files). The files: every stdlib .py file (CELLFLOW_BENCH_STDLIB, default
# python3's sysconfig "stdlib" path) without site-packages, CPython's known-bad test inputs and
# anything ast.parse rejects. Both sides read every file into memory first, then decode and parse
# all of them in one thread, in CPU time of the process (a shared machine's load shows in wall time
# more than in CPU time). ROUNDS (default 3) alternating rounds per side; the fastest one counts
# (each cellflow round is itself the best of 3 passes: one pass takes a fraction of a second).
# Exit: 0, 1 a side failed, 2 bad usage.
set -euo pipefail

if (($# < 1 || $# > 2)); then
  echo "usage: $0 PARSE_FILES_BIN|BUILD_DIR [ROUNDS]" >&2
  exit 2
fi
bin=$1
[[ -d "$bin" ]] && bin=$bin/bench/parse_files
if [[ ! -x "$bin" ]]; then
  echo "$0: $bin is not an executable (build it: ninja -C build parse_files)" >&2
  exit 2
fi
rounds=${2:-3}
here=$(cd "$(dirname "$0")" && pwd)
stdlib=${CELLFLOW_BENCH_STDLIB:-$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')}

list=$(mktemp)
trap 'rm -f "$list"' EXIT
python3 "$here/cpython_parse.py" list "$stdlib" >"$list"

echo "parse_vs_cpython: $(wc -l <"$list") files under $stdlib, $(python3 --version), best of $rounds, CPU time"
# Fields of a "files=F bytes=B rounds=R best_seconds=S errors=E" line.
field() { sed -n "s/.*\\b$2=\\([^ ]*\\).*/\\1/p" <<<"$1"; }

# The rounds alternate between the two sides, so that a change in the machine's load during the
# run weighs on both; each side keeps its fastest round.
cellflow="" cpython=""
faster() {  # OLD_LINE NEW_LINE: the line with the smaller best_seconds
  if [[ -z "$1" ]] || awk -v a="$(field "$1" best_seconds)" -v b="$(field "$2" best_seconds)" \
      'BEGIN { exit !(b < a) }'; then
    echo "$2"
  else
    echo "$1"
  fi
}
for ((round = 0; round < rounds; ++round)); do
  cellflow=$(faster "$cellflow" "$("$bin" 3 <"$list")")
  cpython=$(faster "$cpython" "$(python3 "$here/cpython_parse.py" time 1 <"$list")")
done

report() {  # NAME LINE
  awk -v name="$1" -v f="$(field "$2" files)" -v b="$(field "$2" bytes)" \
      -v s="$(field "$2" best_seconds)" -v e="$(field "$2" errors)" 'BEGIN {
    printf "%-18s %8.1f MB/s  (%d files, %.1f MB in %.3f CPU s, %d errors)\n",
           name, b / s / 1e6, f, b / 1e6, s, e }'
}
report "cellflow:" "$cellflow"
report "CPython ast.parse:" "$cpython"
awk -v a="$(field "$cellflow" best_seconds)" -v b="$(field "$cpython" best_seconds)" \
  'BEGIN { printf "cellflow / CPython = %.1fx\n", b / a }'

if [[ "$(field "$cellflow" errors)" != 0 ]]; then
  echo "parse_vs_cpython: cellflow reported errors on files CPython accepts" >&2
  exit 1
fi
