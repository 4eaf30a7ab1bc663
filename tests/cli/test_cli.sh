#!/usr/bin/env bash
# The strife command as a user meets it: exit statuses, messages, outputs,
# byte-identical reruns, thread-count independence, and Ctrl-C.
# Usage: test_cli.sh STRIFE_BINARY SOURCE_DIR
set -u
strife=$1
src=$2
. "$(dirname "$0")/lib.sh"

cd "$src" || exit 1
expect 0 "--version" -- "$strife" --version
contains "$work/out" "strife 0."
expect 2 "no arguments" -- "$strife"
expect 2 "unknown command" -- "$strife" frobnicate
contains "$work/err" "unknown command 'frobnicate'"
expect 0 "help" -- "$strife" help
expect 0 "help run" -- "$strife" help run
contains "$work/out" "--set KEY=VALUE"
expect 0 "help scenario" -- "$strife" help scenario
contains "$work/out" "variant.jail_countdown"
expect 0 "help models" -- "$strife" help models
contains "$work/out" "epstein: "
contains "$work/out" "writes: series.csv summary.json scenario.json"
contains "$work/out" "writes: national.csv provinces.csv events.csv summary.json scenario.json"
contains "$work/out" "isk_fighters_end"
expect 2 "help for nothing" -- "$strife" help nothing

# Bad input: exit 2 with the place named.
expect 2 "missing file" -- "$strife" run "$work/none.json" --out "$work/o"
contains "$work/err" "none.json: cannot open"
expect 2 "invalid scenario" -- "$strife" run tests/scenario/bad/10-width-negative.json --out "$work/o"
contains "$work/err" "10-width-negative.json:3:14: lattice.width: expected an integer in 1..65535, got -5"
expect 2 "validate invalid" -- "$strife" validate tests/scenario/bad/01-syntax-trailing-comma.json
contains "$work/err" "01-syntax-trailing-comma.json:2:27: lattice: malformed JSON"
expect 2 "bad --seed" -- "$strife" run --seed abc --out "$work/o"
contains "$work/err" "--seed: expected an integer"
expect 2 "bad --threads" -- "$strife" run --threads 0 --out "$work/o"
expect 2 "bad --ticks" -- "$strife" run --ticks -3 --out "$work/o"
expect 2 "unknown option" -- "$strife" run --colour red
expect 2 "bad --set" -- "$strife" run scenarios/epstein-netlogo.json --set citizens.density=2 --out "$work/o"
contains "$work/err" "--set: citizens.density: expected a number in [0, 1], got 2"
expect 2 "directory as scenario" -- "$strife" run scenarios --out "$work/o"
[ ! -e "$work/o" ] && ok || bad "a refused run left $work/o behind"
expect 0 "validate" -- "$strife" validate scenarios/epstein-mesa.json
contains "$work/out" "ok: scenario epstein-mesa"

# The default scenario is the Afghan model: its outputs, the same bytes
# again and on any thread count, the policy and the levers.
af=(--ticks 40 --set population.scale=10000)
expect 0 "default run" -- "$strife" run "${af[@]}" --out "$work/f"
contains "$work/out" "scenario afghanistan-2021"
contains "$work/out" "IS-K attacks"
for f in national.csv provinces.csv events.csv summary.json scenario.json; do
  [ -s "$work/f/$f" ] && ok || bad "default run lacks $f"
done
head -1 "$work/f/national.csv" | grep -q '^date,policy,isk_fighters,attacks,' && ok || bad "national header"
[ "$(wc -l <"$work/f/national.csv")" -eq 41 ] && ok || bad "national rows"
# 40 days from 1 September: September and part of October, 34 provinces.
[ "$(wc -l <"$work/f/provinces.csv")" -eq 69 ] && ok || bad "province rows"
head -1 "$work/f/events.csv" | grep -qx 'date,province,kind,target,fatalities,country,detail' && ok || bad "events header"
contains "$work/f/summary.json" '"model": "afghan"'
contains "$work/f/summary.json" '"agent_scale": 10000'
"$strife" run "${af[@]}" --out "$work/g" --threads 1 --quiet
"$strife" run "${af[@]}" --out "$work/h" --threads 2 --quiet
for f in national.csv provinces.csv events.csv scenario.json; do
  cmp -s "$work/f/$f" "$work/g/$f" && ok || bad "afghan rerun: $f differs"
  cmp -s "$work/g/$f" "$work/h/$f" && ok || bad "afghan 1 and 2 threads: $f differs"
done
expect 0 "policy and lever" -- "$strife" run "${af[@]}" --policy anti-terror-push --set us=intel-sharing --out "$work/i"
sed -n 2p "$work/i/national.csv" | grep -q '^2021-09-01,anti-terror-push,' && ok || bad "policy not in force"
contains "$work/i/scenario.json" '"us":"intel-sharing"'
expect 2 "bad policy" -- "$strife" run --policy appease --out "$work/o"
contains "$work/err" 'policy: expected one of status-quo|anti-terror-push|middle-road|radicalise, got the string "appease"'
expect 2 "bad lever" -- "$strife" run --set us=drones --out "$work/o"
contains "$work/err" '--set: foreign.us: expected one of none|humanitarian|intel-sharing|air-support'
expect 2 "bad date" -- "$strife" run --set run.end=2024-02-30 --out "$work/o"
contains "$work/err" '--set: run.end: expected a date "YYYY-MM-DD", got the string "2024-02-30"'
expect 2 "epstein key in afghan scenario" -- "$strife" run --set lattice.width=50 --out "$work/o"
contains "$work/err" "lattice.width: a key of the epstein model, and this scenario's model is afghan"

# An Epstein run: outputs, header, rows, summary, nothing temporary left.
expect 0 "epstein run" -- "$strife" run scenarios/epstein-netlogo.json --ticks 50 --out "$work/a"
contains "$work/out" "scenario epstein-netlogo"
head -1 "$work/a/series.csv" | grep -qx 'tick,quiet,active,jailed' && ok || bad "series header"
[ "$(wc -l <"$work/a/series.csv")" -eq 52 ] && ok || bad "series rows"
contains "$work/a/summary.json" '"status": "complete"'
contains "$work/a/summary.json" '"scenario_hash": "fnv1a64:'
contains "$work/a/summary.json" '"ticks_run": 50'
contains "$work/a/scenario.json" '"neighbourhood":"disk"'
[ -z "$(find "$work/a" -name '.*')" ] && ok || bad "temporary files left in $work/a"

# Same scenario and seed, same bytes; the parallel update whatever the
# thread count.
"$strife" run scenarios/epstein-netlogo.json --ticks 50 --out "$work/b" --quiet
cmp -s "$work/a/series.csv" "$work/b/series.csv" && ok || bad "rerun differs"
cmp -s "$work/a/scenario.json" "$work/b/scenario.json" && ok || bad "scenario.json differs"
"$strife" run scenarios/epstein-netlogo.json --seed 2 --ticks 50 --out "$work/c" --quiet
cmp -s "$work/a/series.csv" "$work/c/series.csv" && bad "seed 2 equals seed 1" || ok
par=(scenarios/epstein-mesa.json --set run.update=parallel --set lattice.width=90 --set lattice.height=70 --set regime.legitimacy=0.7 --ticks 60 --quiet)
for t in 1 2 3; do
  "$strife" run "${par[@]}" --threads $t --out "$work/p$t"
done
cmp -s "$work/p1/series.csv" "$work/p2/series.csv" && ok || bad "1 and 2 threads differ"
cmp -s "$work/p1/series.csv" "$work/p3/series.csv" && ok || bad "1 and 3 threads differ"

# A disk that fills: the run's files appear together or not at all.  A
# complete run, then one with a file-size limit its national.csv passes:
# exit 1, no temporary file, and the first run's files as they were (not
# new CSVs beside the old scenario.json).
expect 0 "a run that fits" -- "$strife" run --ticks 3 --set population.scale=10000 --seed 5 --out "$work/full" --quiet
(cd "$work/full" && sha256sum ./* >"$work/full.sha")
expect 1 "a disk that fills" -- bash -c "trap '' XFSZ; ulimit -f 32; exec \"\$0\" \"\$@\"" \
  "$strife" run --ticks 1000 --set population.scale=10000 --seed 6 --out "$work/full" --quiet
contains "$work/err" "national.csv: cannot write"
(cd "$work/full" && sha256sum -c --quiet "$work/full.sha") && ok || bad "a failed run changed the files of the last one"
[ -z "$(find "$work/full" -name '.*')" ] && ok || bad "temporary files left after a failed write"
# The last file of the set cannot go into place (a directory in its way):
# none of the others moves either.
mkdir "$work/full/scenario.json.d" && rm "$work/full/scenario.json" && mv "$work/full/scenario.json.d" "$work/full/scenario.json"
(cd "$work/full" && sha256sum ./*.csv ./summary.json >"$work/full.sha")
expect 1 "a directory in the way" -- "$strife" run --ticks 5 --set population.scale=10000 --seed 7 --out "$work/full" --quiet
contains "$work/err" "scenario.json: cannot replace: Is a directory"
(cd "$work/full" && sha256sum -c --quiet "$work/full.sha") && ok || bad "files moved into place beside one that could not"
[ -z "$(find "$work/full" -name '.*')" ] && ok || bad "temporary files left after a refused replace"

# An output path that is a file: other failure, exit 1.
: >"$work/file"
expect 1 "output into a file" -- "$strife" run --ticks 5 --out "$work/file/x"

# Ctrl-C (and SIGTERM, SIGHUP): stops between ticks, writes what it ran,
# exit 130.
# interrupt DIR SECONDS FILE HEADER_ROWS -- COMMAND...: runs COMMAND --out DIR
# in the background, sends $sig (SIGINT) after SECONDS, and checks the exit status,
# the summary, that FILE holds ticks_run rows besides its HEADER_ROWS, at
# least one, and that no temporary file is left.
interrupt() {
  local dir=$1 secs=$2 file=$3 extra=$4
  shift 5
  "$@" --out "$dir" --quiet &
  local pid=$!
  sleep "$secs"
  kill "-${sig:-INT}" $pid
  wait $pid
  local st=$?
  [ $st -eq 130 ] && ok || bad "$dir: interrupted run exit $st, wanted 130"
  contains "$dir/summary.json" '"status": "interrupted"'
  local rows=$(($(wc -l <"$dir/$file") - extra))
  grep -q "\"ticks_run\": $rows," "$dir/summary.json" && ok || bad "$dir: ticks_run does not match $rows rows"
  [ "$rows" -gt 0 ] && ok || bad "$dir: no tick written before Ctrl-C"
  [ -z "$(find "$dir" -name '.*')" ] && ok || bad "$dir: temporary files left after Ctrl-C"
}
# series.csv has a header and row 0; national.csv a header.  Four seconds
# leave a 2000 x 2000 lattice time for a tick under the sanitizers on a
# loaded machine.
interrupt "$work/int" 4 series.csv 2 -- "$strife" run scenarios/epstein-mesa.json \
  --set lattice.width=2000 --set lattice.height=2000 --set run.update=parallel --ticks 100000
interrupt "$work/aint" 12 national.csv 1 -- "$strife" run --set population.scale=10
for sig in TERM HUP; do
  interrupt "$work/$sig" 4 series.csv 2 -- "$strife" run scenarios/epstein-mesa.json \
    --set lattice.width=2000 --set lattice.height=2000 --set run.update=parallel --ticks 100000
done

echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
