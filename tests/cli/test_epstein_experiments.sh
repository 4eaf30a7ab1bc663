#!/usr/bin/env bash
# Every experiment on an Epstein scenario, as on the Afghan one: compare
# (named arms, and a key varied alone), sweep, sensitivity and calibrate
# store their runs in a results database with the model's own tables and
# outcomes, print their tables, and resume.
# Usage: test_epstein_experiments.sh STRIFE_BINARY SOURCE_DIR
set -u
strife=$1
src=$2
. "$(dirname "$0")/lib.sh"
need_sqlite3 test_epstein_experiments
cd "$src" || exit 1
nl=scenarios/epstein-netlogo.json
short=(--set run.ticks=100 --quiet --threads 2)

# The sweep of the issue: legitimacy on a grid of 4, 5 runs a point.
expect 0 "sweep" -- "$strife" sweep $nl --param regime.legitimacy=0.6:0.9:4 --runs 5 \
  "${short[@]}" --db "$work/sweep.db"
contains "$work/out" "4 points x 5 runs"
contains "$work/out" "regime.legitimacy"
contains "$work/out" "active_mean"
[ "$(grep -c '^ \+[0-9]\+ ' "$work/out")" = 4 ] && ok || bad "the sweep's table lacks a row a point"
[ "$(q "$work/sweep.db" "SELECT count(*) FROM runs")" = 20 ] && ok || bad "sweep: runs rows"
[ "$(q "$work/sweep.db" "SELECT count(*) FROM series")" = $((20 * 101)) ] && ok || bad "sweep: series rows"
[ "$(q "$work/sweep.db" "SELECT count(*) FROM outcomes WHERE name = 'active_mean'")" = 20 ] && ok || bad "sweep: outcomes"
[ "$(q "$work/sweep.db" "SELECT group_concat(v) FROM (SELECT DISTINCT value AS v FROM parameters WHERE key = 'regime.legitimacy' ORDER BY CAST(value AS REAL))")" = "0.6,0.7,0.8,0.9" ] &&
  ok || bad "sweep: legitimacy values $(q "$work/sweep.db" "SELECT DISTINCT value FROM parameters WHERE key = 'regime.legitimacy'")"
# More activity as legitimacy falls (Epstein 2002): the first point's mean
# active count above the last's, in every run.
[ "$(q "$work/sweep.db" "SELECT count(*) FROM outcomes a JOIN outcomes b ON a.rep = b.rep AND a.name = b.name WHERE a.name = 'active_mean' AND a.arm = 0 AND b.arm = 3 AND a.value > b.value")" = 5 ] &&
  ok || bad "sweep: activity does not fall with legitimacy"
# A run in the database is the run strife run makes with its seed.
expect 0 "one run" -- "$strife" run $nl --set regime.legitimacy=0.7 --seed 3 --ticks 100 --out "$work/one" --quiet
want=$(tail -1 "$work/one/series.csv")
got=$(q "$work/sweep.db" "SELECT tick || ',' || quiet || ',' || active || ',' || jailed FROM series WHERE arm = 1 AND rep = 2 ORDER BY tick DESC LIMIT 1")
[ "$want" = "$got" ] && ok || bad "series.csv says $want, the database $got"
expect 0 "sweep again" -- "$strife" sweep $nl --param regime.legitimacy=0.6:0.9:4 --runs 5 \
  "${short[@]}" --db "$work/sweep.db"
contains "$work/out" "0 runs now, 20 found"

# compare: named arms, and a key varied alone.
expect 0 "compare arms" -- "$strife" compare $nl --arm low:regime.legitimacy=0.6 \
  --arm high:regime.legitimacy=0.9,cops.density=0.05 --runs 4 "${short[@]}" --db "$work/arms.db"
contains "$work/out" "2 arms x 4 runs"
contains "$work/out" "low - high"
contains "$work/out" "active_peak (neither)"
[ "$(q "$work/arms.db" "SELECT value FROM parameters WHERE arm = 1 AND key = 'cops.density'")" = 0.05 ] &&
  ok || bad "arm high lacks its cops.density"
[ "$(q "$work/arms.db" "SELECT value FROM meta WHERE key = 'arms'")" = "arms=low:regime.legitimacy=0.6; high:regime.legitimacy=0.9,cops.density=0.05" ] &&
  ok || bad "arms text: $(q "$work/arms.db" "SELECT value FROM meta WHERE key = 'arms'")"
expect 0 "compare vary" -- "$strife" compare $nl --vary regime.legitimacy=0.7,0.9 --runs 3 \
  "${short[@]}" --db "$work/vary.db"
contains "$work/out" "regime.legitimacy=0.7 - regime.legitimacy=0.9"
expect 2 "compare, a policy of a model without one" -- "$strife" compare $nl --policies status-quo \
  "${short[@]}" --db "$work/none.db"
contains "$work/err" "policy: a key of the afghan model, and this scenario's model is epstein"
expect 2 "compare, a malformed arm" -- "$strife" compare $nl --arm low --db "$work/none.db"
contains "$work/err" "--arm: expected NAME:KEY=VALUE"
echo '{}' >"$work/empty.json"
expect 2 "compare, an arm of another model" -- "$strife" compare "$work/empty.json" --arm a:model=epstein \
  --arm "b:model=afghan,data.provinces=$src/data/provinces.csv" --runs 1 --db "$work/none.db"
contains "$work/err" "arm 'b' runs the afghan model, the scenario the epstein model"
[ ! -e "$work/none.db" ] && ok || bad "a refused comparison left its database behind"

# sensitivity: Morris over legitimacy and the threshold.
expect 0 "sensitivity" -- "$strife" sensitivity $nl --method morris --samples 3 \
  --param regime.legitimacy=0.6:0.9 --param citizens.threshold=0.05:0.2 --outcome active_mean \
  "${short[@]}" --db "$work/sens.db"
contains "$work/out" "Morris elementary effects: 2 parameters, r = 3"
contains "$work/out" "active_mean"
[ "$(q "$work/sens.db" "SELECT count(*) FROM runs")" = 9 ] && ok || bad "sensitivity: runs rows"

# calibrate: legitimacy fitted to a mean active count.
cal=(--set 'calibration.free=[{"key": "regime.legitimacy", "prior": "uniform", "lo": 0.6, "hi": 0.95, "source": "a test"}]'
  --set 'calibration.targets=[{"outcome": "active_mean", "value": 40, "scale": 10, "source": "a test"}]')
expect 0 "calibrate" -- "$strife" calibrate $nl "${cal[@]}" --particles 6 --generations 2 \
  "${short[@]}" --db "$work/cal.db" --out "$work/cal"
contains "$work/out" "ABC-SMC: 6 particles, 1 free parameters, 1 targets"
[ "$(wc -l <"$work/cal/posterior.csv")" = 13 ] && ok || bad "posterior.csv lines"
expect 0 "the calibrated scenario" -- "$strife" validate "$work/cal/epstein-netlogo.calibrated.json"
expect 2 "calibrate without a calibration" -- "$strife" calibrate $nl "${short[@]}" --db "$work/none.db" --out "$work/nc"
contains "$work/err" "no free parameters"

echo "epstein experiments: $pass passed, $fail failed"
[ $fail -eq 0 ]
