#!/usr/bin/env bash
# Lengths of the C functions of src/ and cli/, from the first line of each
# definition to its closing brace, longest first; exits 1 if any is longer
# than the limit (default 80 lines).  Relies on clang-format's layout (make
# format-check): a definition starts at column 0 with its return type and
# name, and its closing brace is alone at column 0.
# Usage: scripts/function-lengths.sh [--max N] [--top N] [DIR...]
set -euo pipefail
max=80
top=0
dirs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --max) max=$2; shift 2 ;;
    --top) top=$2; shift 2 ;;
    *) dirs+=("$1"); shift ;;
  esac
done
cd "$(dirname "$0")/.."
[ ${#dirs[@]} -gt 0 ] || dirs=(src cli)
files=$(find "${dirs[@]}" -name '*.c' -o -name '*.h' | LC_ALL=C sort)
# file:line name length, one definition a line.
lengths=$(awk '
  FNR == 1 { start = 0; body = 0 }
  /^[A-Za-z_]/ && !body && /\(/ && !/;[ \t]*$/ && !/^(typedef|enum|union)/ {
    start = FNR
    name = $0
    sub(/[ \t]*\(.*/, "", name)
    sub(/.*[ \t*]/, "", name)
  }
  start && !body && /\{[ \t]*$/ { body = 1 }
  start && !body && /;[ \t]*$/ { start = 0 }
  body && /^}[ \t]*$/ {
    printf "%s:%d %s %d\n", FILENAME, start, name, FNR - start + 1
    start = 0
    body = 0
  }
' $files | sort -k3,3nr)
if [ "$top" -gt 0 ]; then
  echo "$lengths" | head -n "$top"
fi
over=$(echo "$lengths" | awk -v m="$max" '$3 > m')
if [ -n "$over" ]; then
  echo "functions over $max lines:" >&2
  echo "$over" >&2
  exit 1
fi
echo "function lengths: $(echo "$lengths" | wc -l) functions, none over $max lines"
