#!/usr/bin/env python3
"""CPython's side of bench/parse_vs_cpython.sh.

Usage:
  cpython_parse.py list STDLIB_DIR   print the benchmark's files, one per line
  cpython_parse.py time [ROUNDS]     time ast.parse over the files listed on stdin

`list`: every *.py under STDLIB_DIR in path order, without site-packages and without CPython's
own known-bad test inputs (paths containing badsyntax, bad_coding, tokenizedata or
lib2to3/tests/data: the same filter as bench/parse_bench.cc), and without any other file
ast.parse rejects, so both parsers get inputs CPython accepts.

`time`: reads every file into memory first, then each round runs ast.parse on the bytes of every
file (decoding included, as cellflow's parse_files does), single process. Prints
  files=F bytes=B rounds=R best_seconds=S errors=E
with S the fastest round in CPU seconds of the process (time.process_time), as parse_files.
"""

import ast
import os
import sys
import time

KNOWN_BAD = ("badsyntax", "bad_coding", "tokenizedata", "lib2to3/tests/data")


def list_files(root):
    for dirpath, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "site-packages")
        for name in sorted(files):
            path = os.path.join(dirpath, name)
            if not name.endswith(".py") or any(bad in path for bad in KNOWN_BAD):
                continue
            try:
                with open(path, "rb") as f:
                    ast.parse(f.read(), path)
            except (SyntaxError, ValueError, OSError) as e:
                print(f"cpython_parse: leaving out {path}: {type(e).__name__}", file=sys.stderr)
                continue
            print(path)
    return 0


def time_files(rounds):
    sources = []
    for line in sys.stdin:
        path = line.rstrip("\n")
        if path:
            with open(path, "rb") as f:
                sources.append((path, f.read()))
    total = sum(len(data) for _, data in sources)
    best = float("inf")
    errors = 0
    for _ in range(rounds):
        errors = 0
        start = time.process_time()
        for path, data in sources:
            try:
                ast.parse(data, path)
            except (SyntaxError, ValueError):
                errors += 1
        best = min(best, time.process_time() - start)
    print(f"files={len(sources)} bytes={total} rounds={rounds} best_seconds={best:.6f} "
          f"errors={errors}")
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == "list":
        return list_files(argv[2])
    if len(argv) in (2, 3) and argv[1] == "time":
        rounds = int(argv[2]) if len(argv) == 3 else 3
        if rounds > 0:
            return time_files(rounds)
    print("\n".join(__doc__.strip().splitlines()[2:5]), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
