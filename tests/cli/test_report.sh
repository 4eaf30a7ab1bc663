#!/usr/bin/env bash
# strife report as a user meets it: the report of a run, opened in headless
# chromium (web/test/report.mjs: every chart drew marks bound to data, the
# slider and the quantity change the map, nothing is fetched), written
# whole or not at all, and the sources it refuses.  A screenshot goes to
# build/screenshots/report.png.
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
