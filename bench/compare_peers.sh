#!/usr/bin/env bash
# Time cellflow against pyflakes and ruff (WebAssembly build) on the same notebooks, in one run.
# Usage: compare_peers.sh BUILD_DIR [ROUNDS]
#
# cellflow: `BUILD_DIR/cellflow check -j 1 --format jsonl --exit-zero CORPUS`, the whole process
# (reading the .ipynb files included), wall and CPU time; `-j 2` too, and the -j2/-j1 speed-up.
# `-j` is passed only when `cellflow check --help` lists it; without it cellflow runs as it is.
# The peers read Python, not notebooks: bench/nbqa_convert.py turns each notebook into one .py
# file as nbQA does for its tools (code cells joined, IPython lines replaced by placeholders,
# non-Python cell magics dropped) under BUILD_DIR/peers/converted, once per round, timed.
# pyflakes: `pyflakes3 DIR` over the converted files, the whole process, wall and CPU time. The
# conversion is not counted in its row: both peers get their best case, code already converted,
# so cellflow's ratios to them are lower bounds; the conversion has its own row, and
# "pyflakes + conversion" adds the two, which is what running pyflakes through nbQA costs at least.
# ruff-wasm: @astral-sh/ruff-wasm-nodejs ($RUFF_WASM_VERSION, default 0.17.4; npm installs it into
# BUILD_DIR/peers on first use), driven by bench/ruff_wasm_check.mjs with rules F821, F401,
# F811, F405: the files are read first, then checked in $RUFF_PASSES passes (default 5) in one
# process. Its first pass includes V8 compiling the WebAssembly as it runs; its best pass is the
# warm, best case. Both are shown; neither counts process start or file reading.
# Rounds (default 3) run every tool once each, the tools in a rotated order each round, so that
# noise from other work on the machine falls on all of them; each figure is the best (least)
# over the rounds, wall and CPU time taken apart; every round's times are printed too.
# Throughput is notebook bytes (the .ipynb files' sizes, outputs and all) per wall second.
# Targets: cellflow -j1 at least 5x ruff-wasm and 20x pyflakes, -j2 at least 1.8x -j1.
# The corpus: $CELLFLOW_CORPUS, else $CELLFLOW_SHARED_DIR/corpus, else <repo>/../shared/corpus.
# Needs: pyflakes3 (apt-get install pyflakes3), node and npm (apt-get install nodejs npm), and
# network access to the npm registry the first time.
# Exit: 0 (also when the corpus is missing: nothing to compare), 1 a tool failed, 2 bad usage or
# a missing tool.
set -euo pipefail

if (($# < 1 || $# > 2)); then
  echo "usage: $0 BUILD_DIR [ROUNDS]" >&2
  exit 2
fi
build=$(cd "$1" 2>/dev/null && pwd) || {
  echo "$0: no build directory at $1" >&2
  exit 2
}
rounds=${2:-3}
if ! [[ "$rounds" =~ ^[1-9][0-9]*$ ]]; then
  echo "$0: ROUNDS must be a positive integer, not '$rounds'" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
shared=${CELLFLOW_SHARED_DIR:-$here/../../shared}
corpus=${CELLFLOW_CORPUS:-$shared/corpus}
if [[ ! -d "$corpus" ]]; then
  echo "compare_peers: no corpus at $corpus, nothing to compare"
  exit 0
fi
corpus=$(cd "$corpus" && pwd)

cellflow=$build/cellflow
if [[ ! -x "$cellflow" ]]; then
  echo "$0: $cellflow is not an executable (build it: cmake --build $build)" >&2
  exit 2
fi
# pyflakes3 is Debian's; its module is importable by /usr/bin/python3 only, so the converter runs
# under that interpreter too, and "the cell parses" means the same to both.
python=${PEERS_PYTHON:-/usr/bin/python3}
missing=()
command -v pyflakes3 >/dev/null || missing+=("pyflakes3 (apt-get install pyflakes3)")
[[ -x "$python" ]] || missing+=("$python (apt-get install python3)")
command -v node >/dev/null || missing+=("node (apt-get install nodejs)")
command -v npm >/dev/null || missing+=("npm (apt-get install npm)")
if ((${#missing[@]})); then
  for tool in "${missing[@]}"; do echo "$0: missing $tool" >&2; done
  exit 2
fi

peers=$build/peers
converted=$peers/converted
ruff_version=${RUFF_WASM_VERSION:-0.17.4}
ruff_passes=${RUFF_PASSES:-5}
ruff_package=$peers/node_modules/@astral-sh/ruff-wasm-nodejs
mkdir -p "$peers"
installed=$(node -p "require('$ruff_package/package.json').version" 2>/dev/null || true)
if [[ "$installed" != "$ruff_version" ]]; then
  echo "compare_peers: installing @astral-sh/ruff-wasm-nodejs@$ruff_version into $peers"
  if ! npm install --prefix "$peers" --no-audit --no-fund --no-save --loglevel=error \
    "@astral-sh/ruff-wasm-nodejs@$ruff_version" >&2; then
    echo "$0: npm could not install @astral-sh/ruff-wasm-nodejs@$ruff_version" \
      "(is the npm registry reachable?)" >&2
    exit 2
  fi
fi

# `-j` may or may not exist yet; a word "-j" in the option list of the help says it does.
jobs=()
if "$cellflow" check --help 2>&1 | grep -Eq '(^|[[:space:],])-j([[:space:],]|$)'; then
  jobs=(1 2)
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
times=$scratch/times.tsv  # round, tool, wall, user, sys
: >"$times"

# Runs a command, stdout to $scratch/TOOL.out and stderr to $scratch/TOOL.err, and appends its
# wall, user and system seconds to $times. Returns the command's exit status.
timed() {
  local round=$1 tool=$2 status=0 TIMEFORMAT='%3R %3U %3S'
  shift 2
  { time "$@" >"$scratch/$tool.out" 2>"$scratch/$tool.err"; } 2>"$scratch/time" || status=$?
  printf '%s\t%s\t%s\n' "$round" "$tool" "$(tr ' ' '\t' <"$scratch/time")" >>"$times"
  return "$status"
}

# Fails the run with the tool's own error output.
failed() {
  echo "compare_peers: $1 failed (exit $2):" >&2
  head -c 2000 "$scratch/$1.err" >&2
  exit 1
}

run_tool() {
  local round=$1 tool=$2 status=0
  case $tool in
    cellflow-j*)
      local flag=()
      [[ "$tool" == cellflow-j- ]] || flag=(-j "${tool#cellflow-j}")
      timed "$round" "$tool" "$cellflow" check "${flag[@]}" --format jsonl --exit-zero "$corpus" \
        || failed "$tool" $?
      ;;
    pyflakes)
      # Exit 1 means findings; anything else is a failure.
      timed "$round" pyflakes pyflakes3 "$converted" || status=$?
      ((status <= 1)) || failed pyflakes "$status"
      ;;
    ruff-wasm)
      timed "$round" ruff-wasm node "$here/ruff_wasm_check.mjs" "$peers/node_modules" \
        "$converted" "$ruff_passes" || failed ruff-wasm $?
      cp "$scratch/ruff-wasm.out" "$scratch/ruff-wasm.$round.json"
      ;;
  esac
}

tools=()
if ((${#jobs[@]})); then
  for j in "${jobs[@]}"; do tools+=("cellflow-j$j"); done
else
  tools+=(cellflow-j-)  # no -j option: cellflow's own default
fi
tools+=(pyflakes ruff-wasm)

echo "compare_peers: $rounds round(s) over $corpus ..."
for ((round = 1; round <= rounds; round++)); do
  # The peers need the converted files, so conversion leads each round; the tools then start at
  # a different place in their list each round.
  timed "$round" convert "$python" "$here/nbqa_convert.py" "$corpus" "$converted" \
    || failed convert $?
  cp "$scratch/convert.out" "$scratch/convert.txt"
  n=${#tools[@]}
  for ((i = 0; i < n; i++)); do
    run_tool "$round" "${tools[(i + round - 1) % n]}"
  done
done

"$python" - "$scratch" "$(pyflakes3 --version)" "$(node --version)" <<'EOF'
import collections
import glob
import json
import os
import re
import statistics
import sys

scratch, pyflakes_version, node_version = sys.argv[1:]
times = collections.defaultdict(list)  # tool -> [(wall, cpu)]
for line in open(os.path.join(scratch, "times.tsv")):
    _, tool, wall, user, system = line.split("\t")
    times[tool].append((float(wall), float(user) + float(system)))
convert = dict(kv.split("=") for kv in open(os.path.join(scratch, "convert.txt")).read().split())
notebooks, nb_bytes = int(convert["notebooks"]), int(convert["ipynb_bytes"])
ruff_runs = [json.load(open(p)) for p in sorted(glob.glob(os.path.join(scratch, "ruff-wasm.*.json")))]
rounds = len(times["convert"])

rows = {}  # label -> (wall, cpu), best over the rounds
per_round = {}  # label -> [wall per round]


def add(label, runs):
    rows[label] = (min(w for w, _ in runs), min(c for _, c in runs))
    per_round[label] = [w for w, _ in runs]


cellflow_tools = sorted(t for t in times if t.startswith("cellflow-j"))
cellflow_label = {}
for tool in cellflow_tools:
    label = "cellflow check" + ("" if tool == "cellflow-j-" else " -" + tool[len("cellflow-"):])
    cellflow_label[tool] = label
    add(label, times[tool])
add("ruff-wasm, first pass", [(r["passes"][0]["wall_s"], r["passes"][0]["cpu_s"]) for r in ruff_runs])
add("ruff-wasm, best pass", [(min(p["wall_s"] for p in r["passes"]),
                              min(p["cpu_s"] for p in r["passes"])) for r in ruff_runs])
add("pyflakes", times["pyflakes"])
add("nbqa_convert.py", times["convert"])
rows["pyflakes + conversion"] = tuple(a + b for a, b in zip(rows["pyflakes"], rows["nbqa_convert.py"]))

mb = nb_bytes / 1e6
print(f"\ncompare_peers: {notebooks:,} notebooks, {mb:.1f} MB of .ipynb; best of {rounds} round{'s' if rounds > 1 else ''},"
      f" wall and CPU time taken apart; MB/s and notebooks/s from wall time")
print(f"converted: {convert['written']} .py files, {int(convert['py_bytes']) / 1e6:.1f} MB of code;"
      f" of {convert['cells']} code cells {convert['cells_dropped']} left out (empty, only magics,"
      f" non-Python cell magic), {convert['cells_masked']} masked (do not parse);"
      f" {convert['escapes']} IPython lines replaced")
print(f"peers: pyflakes {pyflakes_version.split()[0]}; ruff-wasm {ruff_runs[0]['version']} on node"
      f" {node_version}, {len(ruff_runs[0]['passes'])} pass(es) per round")
print()
print(f"{'tool':<30} {'wall s':>7} {'CPU s':>7} {'MB/s':>8} {'notebooks/s':>12}")
for label, (wall, cpu) in rows.items():
    print(f"{label:<30} {wall:7.3f} {cpu:7.3f} {mb / wall:8.1f} {notebooks / wall:12.0f}")

print("\nrounds (wall s):")
for label, walls in per_round.items():
    print(f"  {label:<28} " + "  ".join(f"{w:.3f}" for w in walls)
          + f"   median {statistics.median(walls):.3f}")
print(f"  {'ruff-wasm passes, round 1':<28} "
      + "  ".join(f"{p['wall_s']:.3f}" for p in ruff_runs[0]["passes"]))


def ratio_line(name, target, peer_label):
    """cellflow -j1 (or cellflow's default) against a peer, in wall and CPU time."""
    base = rows[cellflow_label.get("cellflow-j1") or cellflow_label["cellflow-j-"]]
    peer = rows[peer_label]
    wall, cpu = peer[0] / base[0], peer[1] / base[1]
    verdict = ""
    if target is not None:
        # On a busy machine wall time also counts waiting for a core; CPU time does not.
        met = [kind for kind, r in (("wall", wall), ("CPU", cpu)) if r >= target]
        verdict = f"  target {target}x: " + (" and ".join(met) + " meet it" if met else "BELOW")
    print(f"cellflow / {name:<24} {wall:6.1f}x wall {cpu:6.1f}x CPU{verdict}")


print()
ratio_line("ruff-wasm (best pass)", 5, "ruff-wasm, best pass")
ratio_line("ruff-wasm (first pass)", None, "ruff-wasm, first pass")
ratio_line("pyflakes", 20, "pyflakes")
ratio_line("pyflakes + conversion", None, "pyflakes + conversion")
if "cellflow-j2" in cellflow_label:
    one, two = rows[cellflow_label["cellflow-j1"]], rows[cellflow_label["cellflow-j2"]]
    speedup = one[0] / two[0]
    print(f"cellflow -j2 / -j1: {speedup:.2f}x wall"
          f"  {'meets' if speedup >= 1.8 else 'BELOW'} target 1.8x")
else:
    print("cellflow -j2 / -j1: not measured, `cellflow check` has no -j option")

# What each found, for a sanity check that all three did the work (not a comparison of quality:
# the rules differ).
print("\nfindings:")
tool = cellflow_tools[0]  # every -j gives the same output
codes = collections.Counter()
for line in open(os.path.join(scratch, tool + ".out")):
    if line.strip():
        codes[json.loads(line)["code"]] += 1
print(f"  {cellflow_label[tool]:<28} {sum(codes.values()):6} "
      + ", ".join(f"{c} {n}" for c, n in sorted(codes.items())))
ruff = ruff_runs[0]["findings"]
print(f"  {'ruff-wasm':<28} {sum(ruff.values()):6} "
      + ", ".join(f"{c} {n}" for c, n in sorted(ruff.items())))
# First match wins: F403's message also says "undefined names".
kinds = [("F401", "imported but unused"), ("F403", "unable to detect undefined names"),
         ("F405", "may be undefined, or defined from star"), ("F811", "redefinition of unused"),
         ("F821", "undefined name"), ("F841", "assigned to but never used")]
pyflakes = collections.Counter()
for line in open(os.path.join(scratch, "pyflakes.out")):
    code = next((c for c, text in kinds if text in line), "other")
    pyflakes[code] += 1
# pyflakes writes syntax errors ("path:line:col: message", then the line and a caret) and
# undecodable files to stderr; none are expected, the converter masks cells that do not parse.
pyflakes["syntax/decode error"] = sum(
    1 for line in open(os.path.join(scratch, "pyflakes.err"))
    if re.match(r"\S+\.py:\d+:\d+: ", line) or "problem decoding source" in line)
print(f"  {'pyflakes':<28} {sum(pyflakes.values()):6} "
      + ", ".join(f"{c} {n}" for c, n in sorted(pyflakes.items()) if n)
      + " (ruff's codes for pyflakes' messages)")
EOF
