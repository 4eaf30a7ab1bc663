#!/usr/bin/env bash
# scripts/function-lengths.sh, on files made to be just under and just over
# its limit: it passes the one and fails the other, naming the function.
# Usage: test_function_lengths.sh STRIFE_BINARY SOURCE_DIR
set -u
src=$2
. "$(dirname "$0")/lib.sh"
script=$src/scripts/function-lengths.sh
# fn NAME LINES: a C function of LINES lines, signature to closing brace.
fn() {
  printf 'static int %s(int a,\n    int b) {\n' "$1"
  local i
  for ((i = 0; i < $2 - 3; i++)); do printf '  a += b;\n'; done
  printf '}\n\nstatic const int table[] = {\n  1,\n};\n'
}
mkdir -p "$work/ok" "$work/long"
fn fits 80 >"$work/ok/a.c"
fn too_long 81 >"$work/long/b.c"
fn fits 12 >>"$work/long/b.c"
expect 0 "80 lines" -- "$script" --max 80 "$work/ok"
contains "$work/out" "1 functions, none over 80 lines"
expect 1 "81 lines" -- "$script" --max 80 "$work/long"
contains "$work/err" "b.c:1 too_long 81"
grep -q "fits" "$work/err" && bad "a short function reported" || ok
echo "function lengths: $pass passed, $fail failed"
[ $fail -eq 0 ]
