#!/usr/bin/env bash
# Hostile input to the scenario loader that needs the file system or the
# terminal: a FIFO, a device, a directory or an unreadable file as the
# scenario or as its province table are refused at once (exit 2) with what
# they are; strings with control characters are refused rather than printed;
# a byte-order mark, dotted member names and integers written as reals are
# refused with their place; and a scenario equal to another but for -0 is
# the same scenario to a results database.  tests/scenario/bad/ holds the
# cases that need only a file.
# Usage: test_hostile_input.sh STRIFE_BINARY SOURCE_DIR
set -u
strife=$1
src=$2
. "$(dirname "$0")/lib.sh"
cd "$src" || exit 1
# Anything that used to hang is given this long before it counts as hung.
wait_s=20
esc=$(printf '\033')

# A FIFO as the scenario, and as the province table (from the file and
# from --set): refused without waiting for a writer.
mkfifo "$work/fifo.json" "$work/table.csv"
expect 2 "a FIFO as the scenario" -- timeout $wait_s "$strife" run "$work/fifo.json" --out "$work/o"
contains "$work/err" "fifo.json: is a FIFO, not a regular file"
printf '{\n  "model": "afghan",\n  "data": {"provinces": "table.csv"}\n}\n' >"$work/afghan.json"
expect 2 "a FIFO as the province table" -- timeout $wait_s "$strife" validate "$work/afghan.json"
contains "$work/err" "afghan.json:3:25: data.provinces: province table $work/table.csv: is a FIFO, not a regular file"
expect 2 "a FIFO as the province table, with --set" -- timeout $wait_s "$strife" run \
  --set "data.provinces=$work/table.csv" --out "$work/o"
contains "$work/err" "--set: data.provinces: province table $work/table.csv: is a FIFO, not a regular file"
[ ! -e "$work/o" ] && ok || bad "a refused run left $work/o behind"

# A device and a directory: what they are, not their size or a guess.
expect 2 "/dev/zero as the scenario" -- timeout $wait_s "$strife" validate /dev/zero
contains "$work/err" "strife: /dev/zero: is a character device, not a regular file"
expect 2 "/dev/zero as the province table" -- timeout $wait_s "$strife" validate scenarios/afghanistan-2021.json --set data.provinces=/dev/zero
contains "$work/err" "--set: data.provinces: province table /dev/zero: is a character device, not a regular file"
expect 2 "a directory as the scenario" -- "$strife" validate scenarios
contains "$work/err" "strife: scenarios: is a directory, not a regular file"

# A file that opens but cannot be read: the reason the system gives.
expect 2 "a file that cannot be read" -- "$strife" validate /proc/self/mem
contains "$work/err" "strife: /proc/self/mem: cannot read: Input/output error"

# An unreadable file, as a user who may not read it (root reads anything).
echo '{}' >"$work/secret.json"
cp data/provinces.csv "$work/secret.csv"
printf '{"model": "afghan", "data": {"provinces": "secret.csv"}}\n' >"$work/afghan-secret.json"
chmod 000 "$work/secret.json" "$work/secret.csv"
chmod 755 "$work"
as_user=()
if [ "$(id -u)" -eq 0 ]; then
  if command -v setpriv >/dev/null; then
    as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  else
    as_user=(none)
  fi
fi
# The other user must be able to run strife (not so in a checkout under
# /root, say).
if [ "${as_user[*]-}" != none ] && ! "${as_user[@]}" "$strife" --version >/dev/null 2>&1; then
  as_user=(none)
fi
if [ "${as_user[*]-}" = none ]; then
  echo "test_hostile_input: no other user to run strife as: the unreadable-file checks are skipped" >&2
else
  expect 2 "an unreadable scenario" -- "${as_user[@]}" "$strife" validate "$work/secret.json"
  contains "$work/err" "secret.json: cannot open: Permission denied"
  expect 2 "an unreadable province table" -- "${as_user[@]}" "$strife" validate "$work/afghan-secret.json"
  contains "$work/err" "afghan-secret.json:1:43: data.provinces: province table $work/secret.csv: cannot open: Permission denied"
fi

# Control characters reach the terminal from no string of a scenario: a
# name is refused, and a name taken from the file's name is made visible.
expect 2 "a name with an escape sequence" -- "$strife" run tests/scenario/bad/61-name-control.json --out "$work/o"
contains "$work/err" "61-name-control.json:2:11: name: expected a string without control characters, found U+001B at character 4"
! cat "$work/out" "$work/err" | grep -q "$esc" && ok || bad "an escape character printed to the terminal"
echo '{}' >"$work/red${esc}[31m.json"
expect 0 "a file name with an escape sequence" -- "$strife" validate "$work/red${esc}[31m.json"
contains "$work/out" "ok: scenario red?[31m, model epstein"
! grep -q "scenario red$esc" "$work/out" && ok || bad "a name with an escape character printed"
expect 2 "a policy with an escape sequence, with --set" -- "$strife" validate scenarios/afghanistan-2021.json --set 'policy="\u001b[2J"'
contains "$work/err" "--set: policy: expected a string without control characters, found U+001B at character 1"

# A byte-order mark, a dotted name and an integer written as a real, in
# a file; dotted keys stay the way to name a key with --set.
printf '\357\273\277{}\n' >"$work/bom.json"
expect 2 "a byte-order mark" -- "$strife" validate "$work/bom.json"
contains "$work/err" "bom.json:1:1: starts with a UTF-8 byte-order mark (EF BB BF); save the file without it"
printf '{"lattice.width": 50, "lattice": {"width": 40}}\n' >"$work/dotted.json"
expect 2 "a dotted name in a file" -- "$strife" validate "$work/dotted.json"
contains "$work/err" 'dotted.json:1:2: lattice.width: expected a nested key, not a dotted name (dotted names are for --set): write "lattice": {"width": 50}'
expect 0 "a dotted key with --set" -- "$strife" validate scenarios/epstein-netlogo.json --set lattice.width=50
printf '{"lattice": {"width": 4e1}}\n' >"$work/real.json"
expect 2 "an integer written as a real" -- "$strife" validate "$work/real.json"
contains "$work/err" "real.json:1:23: lattice.width: expected an integer in 1..65535, got 4e1, which is written as a real number"

# -0 is 0: a results database made with one takes the other.
printf '{"citizens": {"threshold": -0.0}}\n' >"$work/minus.json"
printf '{"citizens": {"threshold": 0}}\n' >"$work/zero.json"
cmp_args=(--vary regime.legitimacy=0.7,0.9 --runs 1 --set run.ticks=5 --quiet --db "$work/zero.db")
expect 0 "compare, -0" -- "$strife" compare "$work/minus.json" "${cmp_args[@]}"
expect 0 "compare, 0, on the same database" -- "$strife" compare "$work/zero.json" "${cmp_args[@]}"

echo "hostile input: $pass passed, $fail failed"
[ $fail -eq 0 ]
