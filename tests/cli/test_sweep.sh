#!/usr/bin/env bash
# strife sweep as a user meets it: the grid and the Latin hypercube as
# designed, the same seeds at every point, the table, resuming, and the
# input it refuses.
# Usage: test_sweep.sh STRIFE_BINARY SOURCE_DIR
set -u
strife=$1
src=$2
. "$(dirname "$0")/lib.sh"
need_sqlite3 test_sweep
cd "$src" || exit 1
short=(--set population.scale=1000 --set run.end=2021-10-20 --quiet)

# A 3 x 2 grid, 3 runs a point.
grid=(--param isk.attack_rate=1e-4:2e-4:3 --param isk.pool_rate=2e-5:8e-5:2 --runs 3 "${short[@]}")
expect 0 "grid" -- "$strife" sweep "${grid[@]}" --db "$work/g.db"
cp "$work/out" "$work/g.txt"
contains "$work/out" "6 points x 3 runs"
[ "$(grep -c '^ \+[0-9]\+ ' "$work/out")" = 6 ] && ok || bad "the table lacks a row a point"
[ "$(q "$work/g.db" "SELECT count(*) FROM runs")" = 18 ] && ok || bad "runs rows"
[ "$(q "$work/g.db" "SELECT group_concat(v) FROM (SELECT DISTINCT CAST(value AS REAL) * 1e5 AS v FROM parameters WHERE key = 'isk.attack_rate' ORDER BY v)")" = "10.0,15.0,20.0" ] &&
  ok || bad "attack rates are not the grid: $(q "$work/g.db" "SELECT DISTINCT value FROM parameters WHERE key = 'isk.attack_rate'")"
[ "$(q "$work/g.db" "SELECT count(DISTINCT arm || ' ' || seed) FROM runs")" = 18 ] &&
  [ "$(q "$work/g.db" "SELECT count(DISTINCT seed) FROM runs")" = 3 ] && ok || bad "seeds are not shared between points"
[ "$(q "$work/g.db" "SELECT value FROM meta WHERE key = 'kind'")" = sweep ] && ok || bad "kind"
expect 0 "grid again" -- "$strife" sweep "${grid[@]}" --db "$work/g.db"
contains "$work/out" "0 runs now, 18 found"
cmp -s <(tail -n +2 "$work/out") <(tail -n +2 "$work/g.txt") && ok || bad "the resumed table differs"

# A Latin hypercube of 5 points: one in each fifth of each range.
expect 0 "latin hypercube" -- "$strife" sweep --param isk.attack_rate=1e-4:2e-4 \
  --param money.leakage=0:0.5 --samples 5 --runs 1 --outcome attacks "${short[@]}" --db "$work/l.db"
contains "$work/out" "5 points x 1 runs"
for p in "isk.attack_rate 1e-4 2e-5" "money.leakage 0 0.1"; do
  set -- $p
  n=$(q "$work/l.db" "SELECT count(DISTINCT CAST((value - $2) / $3 AS INTEGER)) FROM parameters WHERE key = '$1'")
  [ "$n" = 5 ] && ok || bad "$1: $n of 5 slices hold a point"
done

# Refused, with no file left.
expect 2 "grid without steps" -- "$strife" sweep --param isk.attack_rate=1e-4:2e-4 --db "$work/none.db"
contains "$work/err" "isk.attack_rate: --param: a grid needs KEY=LO:HI:STEPS"
expect 2 "one step" -- "$strife" sweep --param isk.attack_rate=1e-4:2e-4:1 --db "$work/none.db"
expect 2 "malformed" -- "$strife" sweep --param isk.attack_rate=1e-4:2e-4:x --db "$work/none.db"
contains "$work/err" "--param: expected KEY=LO:HI[:STEPS]"
expect 2 "unknown outcome" -- "$strife" sweep --param isk.attack_rate=1e-4:2e-4:2 --outcome joy --db "$work/none.db"
contains "$work/err" "unknown outcome 'joy'"
expect 2 "too many points" -- "$strife" sweep --param isk.attack_rate=0:0.1:1000 --param isk.pool_rate=0:0.1:1000 --db "$work/none.db"
contains "$work/err" "more than 100000 points"
expect 2 "another design" -- "$strife" sweep --param isk.attack_rate=1e-4:2e-4:4 \
  --param isk.pool_rate=2e-5:8e-5:2 --runs 3 "${short[@]}" --db "$work/g.db"
[ ! -e "$work/none.db" ] && ok || bad "a refused sweep left its database behind"

echo "sweep: $pass passed, $fail failed"
[ $fail -eq 0 ]
