#!/usr/bin/env bash
# Compares `cellflow dump names --json` with the CPython 3.11 names oracle over the standard library
# and the oracle's own examples. Usage: oracle_names.sh PATH_TO_CELLFLOW
# Exit: compare.py's status (0 no difference), 2 bad usage, 77 skipped (no oracles or no Python 3.11).
set -uo pipefail

if (($# != 1)) || [[ ! -x "$1" ]]; then
  echo "usage: $0 PATH_TO_CELLFLOW (an executable)" >&2
  exit 2
fi
# compare.py splits the command with shlex, so the path is quoted for it.
tool=$(printf '%q' "$1")

shared=${CELLFLOW_SHARED_DIR:-$(dirname "$0")/../../shared}
compare=$shared/oracles/compare.py
if [[ ! -f "$compare" ]]; then
  echo "SKIP: oracles not found at $shared/oracles (set CELLFLOW_SHARED_DIR to the shared dir)"
  exit 77
fi
if ! command -v python3 >/dev/null 2>&1 ||
   ! python3 -c 'import sys; sys.exit(sys.version_info[:2]!=(3,11))' 2>/dev/null; then
  echo "SKIP: the oracles need python3 at version 3.11"
  exit 77
fi

stdlib=$(python3 -c 'import sysconfig;print(sysconfig.get_paths()["stdlib"])') || exit 2

status=0
echo "== names: $stdlib"
python3 "$compare" --kind names --jobs 2 --exclude '*/site-packages/*' \
  --tool "$tool dump names --json" "$stdlib" || status=$?
echo "== names: $shared/oracles/examples/py"
python3 "$compare" --kind names --tool "$tool dump names --json" \
  "$shared/oracles/examples/py" || { rc=$?; ((status)) || status=$rc; }
exit "$status"
