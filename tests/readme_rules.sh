#!/usr/bin/env bash
# The README's rule table must be what `cellflow rules --format markdown` prints.
# Usage: readme_rules.sh CELLFLOW_BINARY README
set -euo pipefail
expected=$("$1" rules --format markdown)
actual=$(sed -n '/<!-- rules:begin/,/<!-- rules:end -->/p' "$2" | sed '1d;$d')
if [[ "$expected" != "$actual" ]]; then
  echo "README.md's rule table differs from 'cellflow rules --format markdown':"
  diff <(echo "$expected") <(echo "$actual") || true
  exit 1
fi
echo "README rule table matches ($(echo "$expected" | wc -l) lines)"
