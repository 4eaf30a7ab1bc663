#!/usr/bin/env bash
# strife compare as a user meets it: the table, paired seeds, the results
# database, the same database on 1 and 2 threads, resuming after SIGKILL,
# Ctrl-C, and the databases and arguments it refuses.
# Usage: test_compare.sh STRIFE_BINARY SOURCE_DIR
set -u
strife=$1
src=$2
. "$(dirname "$0")/lib.sh"
need_sqlite3 test_compare
cd "$src" || exit 1

# A small comparison, on 1 thread and on 2.
small=(--policies status-quo,anti-terror-push --runs 3 --set population.scale=1000
  --set run.end=2021-11-30 --seed 40 --quiet)
expect 0 "compare, 1 thread" -- "$strife" compare "${small[@]}" --threads 1 --db "$work/a.db"
cp "$work/out" "$work/a.txt"
contains "$work/out" "2 arms x 3 runs"
contains "$work/out" "status-quo - anti-terror-push"
contains "$work/out" "isk_fighters_end (less is better)"
contains "$work/out" "P(first better)"
expect 0 "compare, 2 threads" -- "$strife" compare "${small[@]}" --threads 2 --db "$work/b.db"
[ "$(dump "$work/a.db")" = "$(dump "$work/b.db")" ] && ok || bad "1 and 2 threads give different databases"
# The tables differ only in the database's name, on the first line.
cmp -s <(tail -n +2 "$work/out") <(tail -n +2 "$work/a.txt") && ok || bad "1 and 2 threads print different tables"
# Every table has its rows: 3 runs x 2 arms, 91 days, 3 months x 34.
[ "$(q "$work/a.db" "SELECT count(*) FROM runs")" = 6 ] && ok || bad "runs rows"
[ "$(q "$work/a.db" "SELECT count(*) FROM national")" = 546 ] && ok || bad "national rows"
[ "$(q "$work/a.db" "SELECT count(*) FROM provinces")" = 612 ] && ok || bad "provinces rows"
[ "$(q "$work/a.db" "SELECT count(*) FROM outcomes")" = "$((6 * 31))" ] && ok || bad "outcomes rows"
[ "$(q "$work/a.db" "SELECT source FROM parameters WHERE arm = 0 AND key = 'population.scale'")" = "set on the command line (--set)" ] &&
  ok || bad "a value set on the command line keeps the file's source"
[ "$(q "$work/a.db" "SELECT count(*) FROM parameters WHERE source IS NULL AND key NOT IN ('name', 'description', 'model')")" = 0 ] && ok || bad "a parameter without its source"
# Common random numbers: run i of both arms has seed 40 + i.
[ "$(q "$work/a.db" "SELECT group_concat(seed) FROM (SELECT seed FROM runs ORDER BY arm, rep)")" = "40,41,42,40,41,42" ] &&
  ok || bad "seeds are not paired: $(q "$work/a.db" "SELECT arm, rep, seed FROM runs")"
# A run in the database is the run strife run makes with its seed.
expect 0 "the same run alone" -- "$strife" run --policy anti-terror-push --seed 41 \
  --set population.scale=1000 --set run.end=2021-11-30 --out "$work/one" --quiet
want=$(grep '"attacks":' "$work/one/summary.json" | tr -dc 0-9)
got=$(q "$work/a.db" "SELECT CAST(value AS INTEGER) FROM outcomes WHERE arm = 1 AND rep = 1 AND name = 'attacks'")
[ "$want" = "$got" ] && ok || bad "attacks: strife run says $want, the database $got"
want=$(tail -1 "$work/one/national.csv" | cut -d, -f3)
got=$(q "$work/a.db" "SELECT printf('%.0f', isk_fighters) FROM national WHERE arm = 1 AND rep = 1 ORDER BY date DESC LIMIT 1")
[ "$want" = "$got" ] && ok || bad "last day's IS-K fighters: national.csv $want, the database $got"

# Run again: nothing to do, the same table.
expect 0 "compare again" -- "$strife" compare "${small[@]}" --threads 1 --db "$work/a.db"
contains "$work/out" "0 runs now, 6 found"

# Refused: another set of arms, another scenario, not a database, bad
# arguments; a refused comparison leaves no file.
expect 2 "other arms" -- "$strife" compare --policies status-quo,middle-road --runs 3 \
  --set population.scale=1000 --set run.end=2021-11-30 --seed 40 --db "$work/a.db"
contains "$work/err" "made with another arms"
contains "$work/err" "It has 'policies=status-quo,anti-terror-push'"
expect 2 "other scenario" -- "$strife" compare "${small[@]}" --set isk.attack_rate=0.001 --db "$work/a.db"
contains "$work/err" "made with another scenario_hash"
echo "not a database" >"$work/text.db"
expect 2 "not a database" -- "$strife" compare "${small[@]}" --db "$work/text.db"
contains "$work/err" "text.db: not a SQLite database"
expect 2 "bad policy" -- "$strife" compare --policies status-quo,nope --db "$work/none.db"
contains "$work/err" "policy: expected one of status-quo|anti-terror-push|middle-road|radicalise"
expect 2 "bad lever value" -- "$strife" compare --policies status-quo --vary us=none,drones --db "$work/none.db"
contains "$work/err" "drones"
[ ! -e "$work/none.db" ] && ok || bad "a refused comparison left its database behind"
expect 2 "no policies" -- "$strife" compare --runs 3 --db "$work/none.db"
contains "$work/err" "compare needs --policies"
expect 2 "runs 0" -- "$strife" compare --policies status-quo --runs 0 --db "$work/none.db"
contains "$work/err" "--runs: expected an integer in 1..1000000"
expect 2 "bad --vary" -- "$strife" compare --policies status-quo --vary us --db "$work/none.db"
contains "$work/err" "--vary: expected KEY=V1,V2,..."
expect 2 "epstein scenario" -- "$strife" compare scenarios/epstein-mesa.json --policies status-quo --db "$work/none.db"
[ ! -e "$work/none.db" ] && ok || bad "a refused comparison left its database behind"

# --vary crosses a lever with the policies.
expect 0 "vary" -- "$strife" compare --policies status-quo --vary us=none,intel-sharing --runs 2 \
  --set population.scale=1000 --set run.end=2021-10-15 --quiet --db "$work/v.db"
contains "$work/out" "status-quo us=none - status-quo us=intel-sharing"
[ "$(q "$work/v.db" "SELECT value FROM parameters WHERE arm = 1 AND key = 'foreign.us'")" = '"intel-sharing"' ] &&
  ok || bad "arm 1 does not have us=intel-sharing"

# Nothing lost: SIGKILL in the middle, then the same command again, gives
# the database an uninterrupted comparison gives; so does Ctrl-C, which
# keeps the runs in flight and exits 130.
long=(--policies status-quo,radicalise --runs 8 --set population.scale=1000
  --set run.end=2022-03-31 --quiet --threads 2)
expect 0 "reference" -- "$strife" compare "${long[@]}" --db "$work/ref.db"
total=16
# Starts the comparison, waits for 'n' runs in the database, sends 'sig'.
stop_after() {
  local db=$1 n=$2 sig=$3
  "$strife" compare "${long[@]}" --db "$db" >"$work/stop.out" 2>&1 &
  local pid=$! i
  for i in $(seq 1 600); do
    [ -e "$db" ] && [ "$(q "$db" "SELECT count(*) FROM runs" 2>/dev/null || echo 0)" -ge "$n" ] && break
    sleep 0.1
  done
  kill "-$sig" $pid
  wait $pid 2>/dev/null
  stopped=$?
  have=$(q "$db" "SELECT count(*) FROM runs")
}
stop_after "$work/kill.db" 2 KILL
[ "$have" -gt 0 ] && [ "$have" -lt $total ] && ok || bad "SIGKILL: $have of $total runs stored, wanted some but not all"
# Every stored run is whole.
[ "$(q "$work/kill.db" "SELECT count(*) FROM runs r WHERE (SELECT count(*) FROM national n WHERE n.arm = r.arm AND n.rep = r.rep) != r.days")" = 0 ] &&
  ok || bad "SIGKILL left a run without its days"
expect 0 "resume after SIGKILL" -- "$strife" compare "${long[@]}" --db "$work/kill.db"
contains "$work/out" "found in $work/kill.db"
[ "$(dump "$work/kill.db")" = "$(dump "$work/ref.db")" ] && ok || bad "killed and resumed database differs from the uninterrupted one"
stop_after "$work/int.db" 2 INT
[ "$stopped" -eq 130 ] && ok || bad "Ctrl-C: exit $stopped, wanted 130"
contains "$work/stop.out" "INTERRUPTED"
[ "$have" -gt 0 ] && [ "$have" -lt $total ] && ok || bad "Ctrl-C: $have of $total runs stored, wanted some but not all"
expect 0 "resume after Ctrl-C" -- "$strife" compare "${long[@]}" --db "$work/int.db"
[ "$(dump "$work/int.db")" = "$(dump "$work/ref.db")" ] && ok || bad "interrupted and resumed database differs from the uninterrupted one"

# A posterior sample: each run draws a row, the same in every arm.  A
# sample of one row is the same as setting its values.
printf 'generation,weight,isk.attack_rate,isk.prisoners,note\n0,1,0.0009,500,x\n1,1,0.0003,2500,y\n' >"$work/one.csv"
expect 0 "compare over a one-row posterior" -- "$strife" compare "${small[@]}" --posterior "$work/one.csv" --db "$work/po.db"
contains "$work/out" "each run's 2 parameters drawn from the posterior sample"
expect 0 "compare with its values set" -- "$strife" compare "${small[@]}" --set isk.attack_rate=0.0003 \
  --set isk.prisoners=2500 --db "$work/ps.db"
[ "$(q "$work/po.db" "SELECT group_concat(value) FROM (SELECT value FROM outcomes ORDER BY arm, rep, name)")" = \
  "$(q "$work/ps.db" "SELECT group_concat(value) FROM (SELECT value FROM outcomes ORDER BY arm, rep, name)")" ] &&
  ok || bad "a one-row posterior runs other than its values set"
# What an arm or --set sets wins over the draw.
expect 0 "--set over the posterior" -- "$strife" compare "${small[@]}" --posterior "$work/one.csv" \
  --set isk.attack_rate=0 --db "$work/pz.db"
[ "$(q "$work/pz.db" "SELECT sum(value) FROM outcomes WHERE name = 'attacks'")" = 0.0 ] &&
  ok || bad "--set isk.attack_rate=0 did not win over the posterior"
# Several rows: the same on 1 and 2 threads; the pairs say what they hinge
# on; another sample on the same database is refused.
printf 'isk.attack_rate,isk.pool_rate\n0.0001,1e-5\n0.0004,0.0002\n0.0002,5e-5\n' >"$work/many.csv"
expect 0 "posterior, 1 thread" -- "$strife" compare "${small[@]}" --runs 6 --posterior "$work/many.csv" --threads 1 --db "$work/pm1.db"
contains "$work/out" "isk_fighters_end (less is better)"
grep -q "hinges on isk\.\|no parameter moves it" "$work/out" && ok || bad "no hinge line"
expect 0 "posterior, 2 threads" -- "$strife" compare "${small[@]}" --runs 6 --posterior "$work/many.csv" --threads 2 --db "$work/pm2.db"
[ "$(dump "$work/pm1.db")" = "$(dump "$work/pm2.db")" ] && ok || bad "a posterior's runs differ on 1 and 2 threads"
expect 2 "another posterior" -- "$strife" compare "${small[@]}" --runs 6 --posterior "$work/one.csv" --db "$work/pm1.db"
contains "$work/err" "not mixed"
printf 'isk.attack_rate\n2\n' >"$work/out.csv"
expect 2 "a value outside its key's range" -- "$strife" compare "${small[@]}" --posterior "$work/out.csv" --db "$work/pr.db"
contains "$work/err" "$work/out.csv:2:1: --posterior: isk.attack_rate = 2 is outside the key's range"
expect 2 "a missing posterior" -- "$strife" compare "${small[@]}" --posterior "$work/none.csv" --db "$work/pr.db"
[ ! -e "$work/pr.db" ] && ok || bad "a refused posterior left a database"
expect 2 "calibrate takes no posterior" -- "$strife" calibrate --posterior "$work/one.csv" --db "$work/pr.db" --out "$work/pr"
contains "$work/err" "--posterior"
# --assumptions: the screen's other values drawn too; the one-row sample
# stays its row; the pairs may hinge on an assumption; without a
# posterior it is refused, and the database is another comparison.
expect 0 "compare over a posterior and the assumptions" -- "$strife" compare "${small[@]}" --runs 6 \
  --posterior "$work/many.csv" --assumptions --db "$work/pa.db"
grep -q "each run's 2 parameters drawn from the posterior sample and [0-9]* assumptions uniformly" "$work/out" &&
  ok || bad "no line on the assumptions drawn"
grep -q "hinges on \|no parameter moves it" "$work/out" && ok || bad "no hinge line with the assumptions"
[ "$(q "$work/pa.db" "SELECT count(DISTINCT value) FROM outcomes WHERE name = 'isk_fighters_end'")" -gt 6 ] &&
  ok || bad "the assumptions' draws do not vary the runs"
expect 2 "--assumptions without a posterior" -- "$strife" compare "${small[@]}" --assumptions --db "$work/pn.db"
contains "$work/err" "--assumptions: expected --posterior FILE beside it"
expect 2 "the same database without the assumptions" -- "$strife" compare "${small[@]}" --runs 6 \
  --posterior "$work/many.csv" --db "$work/pa.db"
contains "$work/err" "not mixed"

echo "compare: $pass passed, $fail failed"
[ $fail -eq 0 ]
