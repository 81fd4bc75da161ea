#!/usr/bin/env python3
"""What import resolution adds to an end-to-end `cellflow check -j1` over a notebook corpus.

Usage: bench/import_overhead.py [BUILD_DIR] [ROUNDS] [CORPUS]

Runs `cellflow check -j1 --format jsonl --exit-zero .` in CORPUS (default ../shared/corpus, or
$CELLFLOW_CORPUS) with and without --no-imports, alternating, ROUNDS times each (default 15),
output to /dev/null. Prints the median and the best wall and CPU time (user + system, of the
child) of each mode and the overhead, (with - without) / without, of both: on a busy machine the
best times are the steadier figure. A missing corpus exits 0 with the reason.

With valgrind installed, it also counts the instructions of one run of each mode under
callgrind (about 10 s each): a figure the machine's load does not move, though the time an
instruction takes differs between the two (import resolution runs code and reads tables that
each notebook touches once). CELLFLOW_NO_CALLGRIND=1 skips the count.
"""
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time


def run_once(binary, corpus, extra):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([binary, "check", "-j1", "--format", "jsonl", "--exit-zero", *extra, "."],
                   cwd=corpus, stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def instructions(binary, corpus, extra):
    """Instructions one run executes, counted by callgrind; None if it cannot be run."""
    try:
        done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                               binary, "check", "-j1", "--format", "jsonl", "--exit-zero",
                               *extra, "."],
                              cwd=corpus, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True, check=False)
    except OSError:
        return None
    match = re.search(r"Collected\s*:\s*(\d+)", done.stderr)
    return int(match.group(1)) if done.returncode == 0 and match else None


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "build")
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    corpus = (sys.argv[3] if len(sys.argv) > 3 else
              os.environ.get("CELLFLOW_CORPUS", os.path.join(here, "..", "..", "shared", "corpus")))
    if not os.path.isdir(corpus):
        print(f"import_overhead: skipped, no corpus at {corpus}")
        return 0
    binary = os.path.abspath(os.path.join(build, "cellflow"))
    modes = {"with imports": [], "--no-imports": []}
    run_once(binary, corpus, [])  # warm the page cache
    for _ in range(rounds):
        modes["with imports"].append(run_once(binary, corpus, []))
        modes["--no-imports"].append(run_once(binary, corpus, ["--no-imports"]))
    print(f"corpus {os.path.abspath(corpus)}, {rounds} rounds")
    for name, pick in (("median", statistics.median), ("best", min)):
        (w1, c1), (w0, c0) = [(pick(w for w, _ in modes[m]), pick(c for _, c in modes[m]))
                              for m in ("with imports", "--no-imports")]
        print(f"  {name:<6} with imports wall {w1:.3f} s cpu {c1:.3f} s; --no-imports wall "
              f"{w0:.3f} s cpu {c0:.3f} s; import resolution adds {100 * (w1 - w0) / w0:.1f}% "
              f"wall, {100 * (c1 - c0) / c0:.1f}% cpu")
    if os.environ.get("CELLFLOW_NO_CALLGRIND") != "1" and shutil.which("valgrind"):
        i1 = instructions(binary, corpus, [])
        i0 = instructions(binary, corpus, ["--no-imports"])
        if i1 and i0:
            print(f"  instructions (callgrind) with imports {i1 / 1e6:,.1f} M; --no-imports "
                  f"{i0 / 1e6:,.1f} M; import resolution adds {100 * (i1 - i0) / i0:.1f}%")
    print("  target: at most 10%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
