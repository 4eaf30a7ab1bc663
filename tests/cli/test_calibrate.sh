#!/usr/bin/env bash
# strife calibrate on the default scenario as a user meets it: the table,
# the posterior and the calibrated scenario it writes (which loads and
# carries the posterior medians with their sources), the same files on 1
# and 2 threads and after SIGKILL and a resume, the tolerance falling, and
# what it refuses.  The sampler itself is tested against known posteriors
# in unit/test_abc.c.
# Usage: test_calibrate.sh STRIFE_BINARY SOURCE_DIR
set -u
strife=$1
src=$2
. "$(dirname "$0")/lib.sh"
need_sqlite3 test_calibrate
cd "$src" || exit 1

# Small: a short run at a coarse scale, 12 particles, 3 generations.
small=(--set population.scale=10000 --set run.end=2022-02-15 --particles 12
  --generations 3 --quiet)
expect 0 "calibrate, 1 thread" -- "$strife" calibrate "${small[@]}" --threads 1 \
  --db "$work/a.db" --out "$work/a"
cp "$work/out" "$work/a.txt"
contains "$work/out" "ABC-SMC: 12 particles, 32 free parameters, 2 targets and 0 figures"
contains "$work/out" "posterior (generation 2, weighted)"
contains "$work/out" "isk_fighters_2022_02_01"
contains "$work/out" "written: $work/a/posterior.csv"
csv=$work/a/posterior.csv
cal=$work/a/afghanistan-2021.calibrated.json
[ -f "$csv" ] && [ -f "$cal" ] && ok || bad "posterior.csv or the calibrated scenario is missing"
# A header and 12 particles a generation.
[ "$(wc -l <"$csv")" = 37 ] && ok || bad "posterior.csv has $(wc -l <"$csv") lines, wanted 37"
head -1 "$csv" | grep -q '^generation,particle,arm,weight,distance,epsilon,population.max_jail_days,legitimacy.public_base,security.reach,isk.pool_rate,isk.pressure_ref,ct.kill_rate,money.hardship_elasticity,population.grievance,legitimacy.public_repression,taliban.cost_per_member,money.compliance,pakistan.strike_kill,legitimacy.public_hardship,legitimacy.relax,population.hardliner_share,isk.steepness,isk.prison_days,groups.ttp_attacks,isk.attack_rate,isk.prisoners,taliban.forces,ct.informants,ct.learning,money.leakage,legitimacy.hardliner_base,legitimacy.hardliner_shelter,legitimacy.hardliner,taliban.desertion,legitimacy.public,isk.broke_capacity,isk.attrition,isk.foreign_rate,attacks_2021_09_to_2023_04,isk_fighters_2022_02_01$' &&
  ok || bad "posterior.csv header: $(head -1 "$csv")"
# Weights sum to 1 in each generation; the tolerance falls; in generation
# 2 every distance is within its tolerance.
awk -F, 'NR > 1 { w[$1] += $4 } END { for (g in w) if (w[g] < 0.999999 || w[g] > 1.000001) exit 1 }' "$csv" &&
  ok || bad "weights do not sum to 1 in each generation"
e1=$(awk -F, '$1 == 1 { print $6; exit }' "$csv")
e2=$(awk -F, '$1 == 2 { print $6; exit }' "$csv")
awk -v a="$e1" -v b="$e2" 'BEGIN { exit !(b < a) }' && ok || bad "tolerance did not fall: $e1 then $e2"
awk -F, '$1 == 2 && $5 > $6 { exit 1 }' "$csv" && ok || bad "an accepted distance above its tolerance"
# The generations' mean distance falls: the fit improves on the prior.
d0=$(awk -F, '$1 == 0 { s += $5; n++ } END { print s / n }' "$csv")
d2=$(awk -F, '$1 == 2 { s += $5; n++ } END { print s / n }' "$csv")
awk -v a="$d0" -v b="$d2" 'BEGIN { exit !(b < a) }' && ok || bad "mean distance $d0 in generation 0, $d2 in generation 2"
# The calibrated scenario loads, and each free key holds its median, cited.
expect 0 "the calibrated scenario validates" -- "$strife" validate "$cal"
for key in isk.attack_rate isk.pool_rate isk.prisoners; do
  grep -q "\"$key\": \"calibrated by strife calibrate (ABC-SMC" "$cal" && ok || bad "$key is not cited as calibrated"
  med=$(grep "^$key " "$work/a.txt" | sed 's/.*\] *//' | awk '{ print $1 }')
  leaf=${key#*.}
  got=$(grep -m1 "\"$leaf\": " "$cal" | sed 's/.*: \([^,]*\),*/\1/')
  awk -v a="$med" -v b="$got" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-3 * (a < 0 ? -a : a) + 0.5 * (a > 100)) }' &&
    ok || bad "$key: the table's median $med, the calibrated file's $got"
done
# The calibrated scenario runs.
expect 0 "the calibrated scenario runs" -- "$strife" run "$cal" --set population.scale=10000 \
  --set run.end=2021-09-30 --quiet --out "$work/run"
# The database: every proposal's run, and the last generation.
[ "$(q "$work/a.db" "SELECT value FROM meta WHERE key = 'kind'")" = calibrate ] && ok || bad "meta kind"
[ "$(q "$work/a.db" "SELECT count(*) FROM posterior")" = 12 ] && ok || bad "posterior rows"
[ "$(q "$work/a.db" "SELECT count(*) FROM runs")" = "$(q "$work/a.db" "SELECT count(*) FROM arms")" ] && ok || bad "a run for every proposal"
[ "$(q "$work/a.db" "SELECT count(DISTINCT seed) FROM runs")" = "$(q "$work/a.db" "SELECT count(*) FROM runs")" ] &&
  ok || bad "proposals share seeds"
[ "$(q "$work/a.db" "SELECT count(*) FROM posterior p JOIN parameters k ON k.arm = p.arm AND k.key = 'isk.attack_rate'")" = 12 ] &&
  ok || bad "a posterior particle without its parameters"

# The same files on 2 threads, and when run again on the database.
expect 0 "calibrate, 2 threads" -- "$strife" calibrate "${small[@]}" --threads 2 \
  --db "$work/b.db" --out "$work/b"
cmp -s "$csv" "$work/b/posterior.csv" && ok || bad "1 and 2 threads give different posteriors"
cmp -s "$cal" "$work/b/afghanistan-2021.calibrated.json" && ok || bad "1 and 2 threads give different calibrated scenarios"
expect 0 "calibrate again" -- "$strife" calibrate "${small[@]}" --db "$work/a.db" --out "$work/c"
contains "$work/out" "0 runs now"
cmp -s "$csv" "$work/c/posterior.csv" && ok || bad "resumed posterior differs"

# SIGKILL in the middle, then the same command: the same posterior.
"$strife" calibrate "${small[@]}" --threads 2 --db "$work/k.db" --out "$work/k" >/dev/null 2>&1 &
pid=$!
for i in $(seq 1 600); do
  [ -e "$work/k.db" ] && [ "$(q "$work/k.db" "SELECT count(*) FROM runs" 2>/dev/null || echo 0)" -ge 14 ] && break
  sleep 0.1
done
kill -KILL $pid
wait $pid 2>/dev/null
[ ! -e "$work/k/posterior.csv" ] && ok || bad "a killed calibration left a posterior"
expect 0 "resume after SIGKILL" -- "$strife" calibrate "${small[@]}" --db "$work/k.db" --out "$work/k"
cmp -s "$csv" "$work/k/posterior.csv" && ok || bad "killed and resumed posterior differs"

# Refusals, with nothing made.
expect 2 "no free parameters" -- "$strife" calibrate --set 'calibration.free=[]' --db "$work/r.db" --out "$work/r"
contains "$work/err" "calibration.free"
contains "$work/err" "no free parameters"
printf '%s\n' '[{"outcome": "isk_strength", "value": 1, "scale": 1, "source": "test"}]' >"$work/t.json"
sed "s|\"outcome\": \"isk_fighters_2022_02_01\"|\"outcome\": \"isk_strength\"|" scenarios/afghanistan-2021.json >"$work/bad.json"
sed -i "s|\"../data/provinces.csv\"|\"$src/data/provinces.csv\"|" "$work/bad.json"
expect 2 "an unknown target" -- "$strife" calibrate "$work/bad.json" --db "$work/r.db" --out "$work/r"
line=$(grep -n '"isk_strength"' "$work/bad.json" | cut -d: -f1)
contains "$work/err" "$work/bad.json:$line:"
contains "$work/err" 'calibration.targets[1].outcome: unknown outcome "isk_strength"'
expect 2 "an epstein scenario" -- "$strife" calibrate scenarios/epstein-paper.json --db "$work/r.db" --out "$work/r"
expect 2 "a bad quantile" -- "$strife" calibrate --quantile 1 --db "$work/r.db" --out "$work/r"
contains "$work/err" "--quantile: expected a number in (0, 1)"
expect 2 "a budget below the particles" -- "$strife" calibrate --particles 50 --budget 10 --db "$work/r.db" --out "$work/r"
[ ! -e "$work/r.db" ] && [ ! -e "$work/r" ] && ok || bad "a refused calibration left files"
# Another calibration's database is refused.
expect 2 "other settings" -- "$strife" calibrate "${small[@]}" --quantile 0.3 --db "$work/a.db" --out "$work/d"
contains "$work/err" "its runs are not mixed"
# Fitted to the record as well: its figures inside the fit window, not
# those after it, nor gaps.
fig() { # quantity start end value-or-range
  printf '{"quantity": "%s", "start": "%s", "end": "%s", %s, "unit": "%s", "definition": "test", "source": "test", "confidence": "low"}' "$1" "$2" "$3" "$4" "$5"
}
one_figure() { # file, then as fig
  local f=$1
  shift
  { printf '{"about": "test", "records": [\n' && fig "$@" && printf '\n]}\n'; } >"$f"
}
{
  printf '{"about": "test", "records": [\n'
  fig attacks 2021-09-01 2021-09-30 '"value": 38' attacks
  printf ',\n'
  fig isk_fighters 2022-01-28 2022-01-28 '"low": 3000, "high": 4500' fighters
  printf ',\n'
  fig attacks 2023-06-01 2023-06-30 '"value": 2' attacks
  printf '\n]}\n'
} >"$work/rec.json"
expect 0 "calibrate with a record" -- "$strife" calibrate "${small[@]}" --record "$work/rec.json" \
  --db "$work/rec.db" --out "$work/rec"
contains "$work/out" "2 targets and 2 figures of the record"
contains "$work/out" "figure of the record (in the window)"
contains "$work/out" "attacks 2021-09-01..2021-09-30"
head -1 "$work/rec/posterior.csv" | grep -q ',isk_fighters_2022_02_01,attacks 2021-09-01..2021-09-30,isk_fighters 2022-01-28..2022-01-28$' &&
  ok || bad "posterior.csv header with the record: $(head -1 "$work/rec/posterior.csv")"
d0=$(awk -F, '$1 == 0 { s += $5; n++ } END { print s / n }' "$work/rec/posterior.csv")
d2=$(awk -F, '$1 == 2 { s += $5; n++ } END { print s / n }' "$work/rec/posterior.csv")
awk -v a="$d0" -v b="$d2" 'BEGIN { exit !(b < a) }' && ok || bad "with the record: mean distance $d0, then $d2"
# The record's figures change the distance: not the posterior without them.
cmp -s <(cut -d, -f5 "$csv") <(cut -d, -f5 "$work/rec/posterior.csv") &&
  bad "the record changed no distance" || ok
# Another record on the same database is other settings.
sed 's/"value": 38/"value": 40/' "$work/rec.json" >"$work/rec2.json"
expect 2 "another record" -- "$strife" calibrate "${small[@]}" --record "$work/rec2.json" \
  --db "$work/rec.db" --out "$work/rec2"
contains "$work/err" "its runs are not mixed"
expect 2 "a bad tolerance" -- "$strife" calibrate "${small[@]}" --record "$work/rec.json" --record-sd 0 \
  --db "$work/r.db" --out "$work/r"
contains "$work/err" "--record-sd"
one_figure "$work/late.json" attacks 2023-06-01 2023-06-30 '"value": 2' attacks
expect 2 "no figure in the window" -- "$strife" calibrate "${small[@]}" --record "$work/late.json" \
  --db "$work/r.db" --out "$work/r"
contains "$work/err" "no figure of the record can be fitted"
expect 2 "a missing record" -- "$strife" calibrate "${small[@]}" --record "$work/none.json" \
  --db "$work/r.db" --out "$work/r"
[ ! -e "$work/r.db" ] && [ ! -e "$work/r" ] && ok || bad "a refused calibration left files"
one_figure "$work/past.json" attacks 2022-06-01 2022-06-30 '"value": 20' attacks
expect 2 "a figure after the days run" -- "$strife" calibrate "${small[@]}" --record "$work/past.json" \
  --db "$work/p.db" --out "$work/p"
contains "$work/err" "its period must lie inside the days run"
expect 0 "help" -- "$strife" help calibrate
contains "$work/out" "usage: strife calibrate"

echo "test_calibrate: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
