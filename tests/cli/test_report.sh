#!/usr/bin/env bash
# strife report as a user meets it: the report of a run, and of the
# databases of a comparison, a score, a sensitivity analysis and a
# calibration, each opened in headless chromium (web/test/report.mjs:
# every chart drew marks bound to data, a point per figure scored, a bar
# per index, a prior and posterior per free parameter, the parameters with
# their sources, the slider and the quantity change the map, nothing is
# fetched), written whole or not at all, and the sources it refuses.
# Screenshots go to build/screenshots/.
# Usage: test_report.sh STRIFE_BINARY SOURCE_DIR
set -u
strife=$1
src=$2
. "$(dirname "$0")/lib.sh"
cd "$src" || exit 1

expect 0 "a run" -- "$strife" run --set population.scale=2000 --set run.end=2022-08-31 \
  --quiet --out "$work/run"
expect 0 "its report" -- "$strife" report "$work/run" -o "$work/report.html"
contains "$work/out" "$work/report.html"
[ -s "$work/report.html" ] && ok || bad "no report written"
# Offline: no script or style is loaded from elsewhere.
grep -q '<script[^>]* src=' "$work/report.html" && bad "a script loaded from elsewhere" || ok
# The default name is SOURCE/report.html.
expect 0 "its report, default name" -- "$strife" report "$work/run"
[ -s "$work/run/report.html" ] && ok || bad "no SOURCE/report.html"

# Each chart as an SVG file, drawn by the browser from the report itself.
expect 0 "its charts as SVG" -- "$strife" report "$work/run" -o "$work/r2.html" --svg "$work/svg"
contains "$work/out" "$work/svg: 15 charts as SVG"
[ "$(ls "$work/svg" | wc -l)" = 15 ] && ok || bad "svg files: $(ls "$work/svg")"
head -c 200 "$work/svg/series-attacks.svg" >"$work/head"
contains "$work/head" '<svg xmlns="http://www.w3.org/2000/svg"'
[ "$(grep -o '<path' "$work/svg/map.svg" | wc -l)" -ge 34 ] && ok || bad "map.svg: too few shapes"
grep -q '</svg>' "$work/svg/series-attacks.svg" && ok || bad "series-attacks.svg not whole"
expect 2 "no browser" -- "$strife" report "$work/run" -o "$work/r3.html" --svg "$work/svg2" \
  --browser "$work/no-chromium"
contains "$work/err" "no-chromium: cannot run it"
[ ! -e "$work/svg2" ] && ok || bad "a failed --svg left its folder"

# In a real browser.
mkdir -p "$src/build/screenshots"
if node web/test/report.mjs "$work/report.html" "$src/build/screenshots/report.png" \
  >"$work/browser.out" 2>&1; then
  ok
else
  bad "the report in chromium: $(cat "$work/browser.out")"
fi
[ -s "$src/build/screenshots/report.png" ] && ok || bad "no screenshot"

# A comparison's database: bands per arm, the table, the differences.
expect 0 "a comparison" -- "$strife" compare --policies status-quo,anti-terror-push --runs 3 \
  --set population.scale=4000 --set run.end=2022-03-31 --quiet --db "$work/c.db"
expect 0 "its report" -- "$strife" report "$work/c.db" -o "$work/compare.html"
expect 0 "its report, default name" -- "$strife" report "$work/c.db"
[ -s "$work/c.db.html" ] && ok || bad "no SOURCE.html beside the database"
if node web/test/report.mjs "$work/compare.html" "$src/build/screenshots/compare.png" \
  >"$work/browser.out" 2>&1; then
  ok
else
  bad "the comparison's report in chromium: $(cat "$work/browser.out")"
fi
# What an experiment found: the record scored, the sensitivity indices,
# the prior and posterior; each drawn, bound to its rows.
report_of() { # NAME DB: its report, opened in chromium
  expect 0 "the report of $1" -- "$strife" report "$2" -o "$work/$1.html"
  if node web/test/report.mjs "$work/$1.html" "$src/build/screenshots/$1.png" \
    >"$work/browser.out" 2>&1; then
    ok
  else
    bad "the report of $1 in chromium: $(cat "$work/browser.out")"
  fi
}
expect 0 "a score" -- "$strife" score --runs 3 --set population.scale=4000 --quiet --db "$work/s.db"
report_of score "$work/s.db"
expect 0 "a sensitivity analysis" -- "$strife" sensitivity --method morris \
  --param isk.attack_rate=1e-4:2e-4 --param ct.intel_boost=1:2 --samples 3 --boot 100 \
  --outcome attacks --outcome isk_fighters_end --outcome ttp_attacks_in_pakistan \
  --set population.scale=4000 --set run.end=2021-12-31 --quiet --db "$work/m.db"
report_of sensitivity "$work/m.db"
expect 0 "a calibration" -- "$strife" calibrate --set population.scale=10000 \
  --set run.end=2022-02-15 --particles 12 --generations 3 --quiet --db "$work/k.db" \
  --out "$work/k"
report_of calibrate "$work/k.db"
expect 0 "a sweep" -- "$strife" sweep --param isk.attack_rate=1e-4:2e-4:2 --runs 2 \
  --set population.scale=8000 --set run.end=2021-12-31 --quiet --db "$work/w.db"
report_of sweep "$work/w.db"
# The scored figures are in the page.
grep -q 'id="strife-score"' "$work/score.html" && ok || bad "no score block"

printf 'not a database' >"$work/x.db"
expect 2 "a file that is not a database" -- "$strife" report "$work/x.db" -o "$work/none.html"
contains "$work/err" "$work/x.db"

# Refused: a directory without a run's outputs, a map that is not there;
# nothing is left behind.
mkdir -p "$work/empty"
expect 2 "not a run's outputs" -- "$strife" report "$work/empty" -o "$work/none.html"
contains "$work/err" "$work/empty/summary.json: cannot open"
[ ! -e "$work/none.html" ] && ok || bad "a refused report left a file"
expect 2 "a map that is not there" -- "$strife" report "$work/run" --map "$work/no.geojson" -o "$work/none.html"
contains "$work/err" "no.geojson"
expect 2 "a source that is not there" -- "$strife" report "$work/nothing" -o "$work/none.html"
contains "$work/err" "$work/nothing: neither a run's output directory nor a results database"
expect 2 "no source" -- "$strife" report
contains "$work/err" "SOURCE"
[ -z "$(ls "$work" | grep -i '\.tmp')" ] && ok || bad "a temporary file was left"

echo "report: $pass passed, $fail failed"
[ $fail -eq 0 ]
