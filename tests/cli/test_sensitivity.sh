#!/usr/bin/env bash
# strife sensitivity as a user meets it: Morris and Sobol rankings where
# the answer is known (parameters that cannot matter get exactly zero),
# the design in the results database, resuming, 1 and 2 threads, and the
# input it refuses.
# Usage: test_sensitivity.sh STRIFE_BINARY SOURCE_DIR
set -u
strife=$1
src=$2
. "$(dirname "$0")/lib.sh"
need_sqlite3 test_sensitivity
cd "$src" || exit 1

# Runs that end in 2021 cannot feel 2023's aid, and under the status quo
# (no intelligence sharing) the intelligence boost does nothing: with
# every point on the same seed, both have no effect at all.
short=(--set population.scale=1000 --set run.end=2021-11-15 --quiet)
morris=(--method morris --param isk.attack_rate=1e-4:2e-4 --param money.aid_2023=1000:4000
  --param ct.intel_boost=1:2 --samples 4 --outcome attacks --outcome isk_fighters_end "${short[@]}")
expect 0 "morris, 1 thread" -- "$strife" sensitivity "${morris[@]}" --threads 1 --db "$work/m.db"
cp "$work/out" "$work/m.txt"
contains "$work/out" "Morris elementary effects: 3 parameters, r = 4 trajectories on 4 levels, 16 runs"
# attacks: isk.attack_rate first, with mu* > 0; the other two exactly 0.
first=$(grep -A2 '^attacks$' "$work/out" | tail -1)
echo "$first" | grep -q "isk.attack_rate" && ok || bad "attacks: isk.attack_rate is not ranked first: $first"
mu=$(echo "$first" | awk '{print $3}')
awk -v m="$mu" 'BEGIN { exit !(m > 0) }' && ok || bad "attacks: mu* of isk.attack_rate is $mu"
for p in money.aid_2023 ct.intel_boost; do
  line=$(grep -A4 '^attacks$' "$work/out" | grep " $p ")
  [ "$(echo "$line" | awk '{print $3, $4, $5, $6}')" = "0 [ 0, 0]" ] && ok || bad "attacks: $p is not exactly 0: $line"
done
# The design: 16 points, each a run on the same seed; attack rates on the
# 4-level grid of [1e-4, 2e-4].
[ "$(q "$work/m.db" "SELECT count(*) FROM runs")" = 16 ] && ok || bad "runs rows"
[ "$(q "$work/m.db" "SELECT count(DISTINCT seed) FROM runs")" = 1 ] && ok || bad "points run on different seeds"
[ "$(q "$work/m.db" "SELECT value FROM meta WHERE key = 'kind'")" = sensitivity ] && ok || bad "kind"
bad_levels=$(q "$work/m.db" "SELECT count(*) FROM parameters WHERE key = 'isk.attack_rate' AND
  abs(value * 30000 - round(value * 30000)) > 1e-6")
[ "$bad_levels" = 0 ] && ok || bad "$bad_levels attack rates off the grid"
# 2 threads: the same table; again: nothing to run.
expect 0 "morris, 2 threads" -- "$strife" sensitivity "${morris[@]}" --threads 2 --db "$work/m2.db"
cmp -s <(tail -n +2 "$work/out") <(tail -n +2 "$work/m.txt") && ok || bad "1 and 2 threads rank differently"
expect 0 "morris again" -- "$strife" sensitivity "${morris[@]}" --db "$work/m.db"
contains "$work/out" "0 runs now, 16 found"
cmp -s <(tail -n +2 "$work/out") <(tail -n +2 "$work/m.txt") && ok || bad "the resumed table differs"

# Sobol: with one parameter that matters, its first-order index is 1 and
# the other's total index 0, exactly.
expect 0 "sobol" -- "$strife" sensitivity --method sobol --param isk.attack_rate=1e-4:2e-4 \
  --param money.aid_2023=1000:4000 --samples 8 --outcome attacks "${short[@]}" --db "$work/s.db"
contains "$work/out" "Sobol indices: 2 parameters, N = 8, 32 runs"
line=$(grep " isk.attack_rate " "$work/out")
[ "$(echo "$line" | awk '{print $1, $3}')" = "1 1.000" ] && ok || bad "sobol: isk.attack_rate: $line"
line=$(grep " money.aid_2023 " "$work/out")
[ "$(echo "$line" | awk '{print $7, $8, $9}')" = "0.000 [ 0.000," ] && ok || bad "sobol: money.aid_2023: $line"

# Refused: another design on the same database; bad parameters, methods
# and outcomes, with no file left.
expect 2 "other design" -- "$strife" sensitivity --method morris --param isk.attack_rate=1e-4:3e-4 \
  --param money.aid_2023=1000:4000 --param ct.intel_boost=1:2 --samples 4 "${short[@]}" --db "$work/m.db"
contains "$work/err" "It has 'morris samples=4 levels=4"
expect 2 "unknown key" -- "$strife" sensitivity --method sobol --param isk.nothing=1:2 --db "$work/none.db"
contains "$work/err" "isk.nothing: --param: not a numeric scenario key"
expect 2 "not numeric" -- "$strife" sensitivity --method sobol --param policy=1:2 --db "$work/none.db"
contains "$work/err" "policy: --param: not a numeric scenario key"
expect 2 "empty range" -- "$strife" sensitivity --method sobol --param isk.attack_rate=2e-4:1e-4 --db "$work/none.db"
contains "$work/err" "isk.attack_rate: --param: expected LO < HI"
expect 2 "malformed range" -- "$strife" sensitivity --method sobol --param isk.attack_rate=1e-4 --db "$work/none.db"
contains "$work/err" "--param: expected KEY=LO:HI"
expect 2 "twice" -- "$strife" sensitivity --method sobol --param isk.attack_rate=0:0.1 --param isk.attack_rate=0:0.2 --db "$work/none.db"
contains "$work/err" "given twice"
expect 2 "bad method" -- "$strife" sensitivity --method fast --param isk.attack_rate=1e-4:2e-4 --db "$work/none.db"
contains "$work/err" "--method: expected sobol or morris"
expect 2 "unknown outcome" -- "$strife" sensitivity --method sobol --param isk.attack_rate=1e-4:2e-4 --outcome joy --db "$work/none.db"
contains "$work/err" "unknown outcome 'joy'"
expect 2 "odd levels" -- "$strife" sensitivity --method morris --param isk.attack_rate=1e-4:2e-4 --levels 3 --db "$work/none.db"
expect 2 "out of range" -- "$strife" sensitivity --method sobol --param isk.attack_rate=-1:2 --samples 2 "${short[@]}" --db "$work/none.db"
contains "$work/err" "isk.attack_rate: --param: -1:2 leaves the key's range [0, 1]"
[ ! -e "$work/none.db" ] && ok || bad "a refused analysis left its database behind"

# The record's distance as one more output: the attack rate moves it, a
# boost never taken does not.  September's and October's attacks of 2021
# are the figures in the window and the days run.
expect 0 "morris with a record" -- "$strife" sensitivity "${morris[@]}" --record data/observed --db "$work/rd.db"
contains "$work/out" "record_distance"
line=$(grep -A4 '^record_distance$' "$work/out" | grep " isk.attack_rate ")
mu=$(echo "$line" | awk '{print $3}')
awk -v m="$mu" 'BEGIN { exit !(m > 0) }' && ok || bad "record_distance: mu* of isk.attack_rate is $mu"
line=$(grep -A4 '^record_distance$' "$work/out" | grep " ct.intel_boost ")
[ "$(echo "$line" | awk '{print $3}')" = 0 ] && ok || bad "record_distance: ct.intel_boost is not 0: $line"
# The screen: every range of the scenario's calibration.screen.
n=$(grep -c '"key":' <(sed -n '/"screen"/,/^    \]/p' scenarios/afghanistan-2021.json))
expect 0 "a screen" -- "$strife" sensitivity --method morris --screen --samples 2 --outcome attacks \
  --set population.scale=10000 --set run.end=2021-09-30 --quiet --db "$work/screen.db"
contains "$work/out" "Morris elementary effects: $n parameters, r = 2 trajectories on 4 levels, $((2 * (n + 1))) runs"
contains "$work/out" "groups.shelter_feed"
expect 2 "a screen with --param" -- "$strife" sensitivity --method morris --screen --param isk.hide=0:1 --db "$work/none.db"
contains "$work/err" "--screen"
expect 2 "a Sobol screen" -- "$strife" sensitivity --method sobol --screen --db "$work/none.db"
contains "$work/err" "a screen is a Morris design"
expect 2 "no screen in the scenario" -- "$strife" sensitivity scenarios/epstein-paper.json --method morris --screen --db "$work/none.db"
contains "$work/err" "calibration.screen"
expect 2 "a bad record tolerance" -- "$strife" sensitivity "${morris[@]}" --record data/observed --record-sd 0 --db "$work/none.db"
[ ! -e "$work/none.db" ] && ok || bad "a refused screen left its database behind"

echo "sensitivity: $pass passed, $fail failed"
[ $fail -eq 0 ]
