#!/usr/bin/env python3
"""What import resolution adds to an end-to-end `cellflow check -j1` over a notebook corpus.

Usage: bench/import_overhead.py [BUILD_DIR] [ROUNDS] [CORPUS]

Runs `cellflow check -j1 --format jsonl --exit-zero .` in CORPUS (default ../shared/corpus, or
$CELLFLOW_CORPUS) with and without --no-imports, alternating, ROUNDS times each (default 15),
output to /dev/null. Prints the median wall and CPU time (user + system, of the child) of each
mode and the overhead: (with - without) / without. A missing corpus exits 0 with the reason.
"""
import os
import resource
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
    median = {m: (statistics.median(w for w, _ in r), statistics.median(c for _, c in r))
              for m, r in modes.items()}
    print(f"corpus {os.path.abspath(corpus)}, {rounds} rounds, medians")
    for mode, (wall, cpu) in median.items():
        print(f"  {mode:<14} wall {wall:.3f} s  cpu {cpu:.3f} s")
    (w1, c1), (w0, c0) = median["with imports"], median["--no-imports"]
    print(f"import resolution adds {100 * (w1 - w0) / w0:.1f}% wall, "
          f"{100 * (c1 - c0) / c0:.1f}% cpu (target: at most 10%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
