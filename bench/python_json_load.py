#!/usr/bin/env python3
"""Times Python's json module over every .ipynb of a corpus, for bench/read_vs_python.sh.

Usage: python_json_load.py CORPUS_DIR [ROUNDS]

Every file is read into memory first; then json.loads of all the bytes runs ROUNDS times (default
3) in this one thread and the fastest round counts. Time is CPU time of the process
(time.process_time), as Google Benchmark reports for cellflow. Prints one line:
`files=F bytes=B rounds=R best_seconds=S errors=E` (E: files json.loads refuses).
"""

import json
import os
import sys
import time


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    corpus = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) == 3 else 3
    paths = []
    for root, dirs, files in os.walk(corpus):
        dirs.sort()
        paths.extend(os.path.join(root, f) for f in sorted(files) if f.endswith(".ipynb"))
    blobs = []
    for path in paths:
        with open(path, "rb") as f:
            blobs.append(f.read())
    total = sum(len(b) for b in blobs)
    best = None
    errors = 0
    for _ in range(rounds):
        errors = 0
        start = time.process_time()
        for blob in blobs:
            try:
                json.loads(blob)
            except (ValueError, RecursionError):
                errors += 1
        elapsed = time.process_time() - start
        best = elapsed if best is None else min(best, elapsed)
    print(f"files={len(blobs)} bytes={total} rounds={rounds} best_seconds={best:.6f} errors={errors}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
