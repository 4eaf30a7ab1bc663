#!/usr/bin/env bash
# strife record as a user meets it: the shipped record listed, a fault
# located at its file, line, column and key, the quantities, and the input
# it refuses.
# Usage: test_record_cli.sh STRIFE_BINARY SOURCE_DIR
set -u
strife=$1
src=$2
. "$(dirname "$0")/lib.sh"
cd "$src" || exit 1

# Every shipped file checks, each with its count of records.
for f in data/observed/*.json; do
  expect 0 "record $f" -- "$strife" record "$f"
  contains "$work/out" "$f: ok:"
done
expect 0 "record of every file at once" -- "$strife" record data/observed/*.json
expect 0 "quantities" -- "$strife" record --quantities
contains "$work/out" "isk_fighters"
contains "$work/out" "pakistan_strikes"

# A fault: the file, line, column, key and what was expected; exit 2.
sed 's/"quantity": "attacks"/"quantity": "attack"/' tests/corpus/record/good.json >"$work/bad.json"
expect 2 "an unknown quantity" -- "$strife" record "$work/bad.json"
contains "$work/err" "$work/bad.json:5:19: records[0].quantity: unknown quantity \"attack\""
# A good file after a bad one is still listed, and the status is 2.
expect 2 "a bad file among good ones" -- "$strife" record "$work/bad.json" tests/corpus/record/good.json
contains "$work/out" "good.json: ok: 3 records"
expect 2 "a file that is not there" -- "$strife" record "$work/none.json"
contains "$work/err" "none.json"
expect 2 "no file" -- "$strife" record
contains "$work/err" "record needs a FILE"
expect 2 "an unknown option" -- "$strife" record --frobnicate
expect 0 "help" -- "$strife" record --help
contains "$work/out" "usage: strife record"

echo "record: $pass passed, $fail failed"
[ $fail -eq 0 ]
