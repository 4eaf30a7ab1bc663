#!/usr/bin/env bash
# Faults and hostile input around the runs: results databases that are
# not strife's, damaged, of another seed or in use; outputs that cannot be
# written, checked before any run; temporary files of killed processes;
# exit statuses; arms that would run other than they say; a run of no
# ticks; a lattice larger than the memory.  Each check names the case it
# reproduces (docs/testing.md).
# Usage: test_faults.sh STRIFE_BINARY SOURCE_DIR
set -u
strife=$1
src=$2
. "$(dirname "$0")/lib.sh"
need_sqlite3 test_faults
cd "$src" || exit 1

small=(--set population.scale=1000 --set run.end=2021-10-15 --quiet)
pair=(--policies status-quo,anti-terror-push)
# As another user, for the cases that need a permission to be missing
# (root passes every permission check).
if [ "$(id -u)" = 0 ]; then
  as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
  chmod 755 "$work"
else
  as_user() { "$@"; }
fi
# Skipped, said so, where the other user cannot reach the binary or the
# sources (a checkout under /root).
user_ok=1
if ! as_user "$strife" validate scenarios/afghanistan-2021.json >/dev/null 2>&1; then
  user_ok=0
  echo "test_faults: strife cannot run as another user here: the permission checks are skipped" >&2
fi

# --- 2: resuming with another --seed is refused, naming the seed.
expect 0 "a comparison" -- "$strife" compare "${pair[@]}" --runs 2 "${small[@]}" --seed 1 --db "$work/s.db"
expect 2 "resumed with another seed" -- "$strife" compare "${pair[@]}" --runs 3 "${small[@]}" --seed 100 --db "$work/s.db"
contains "$work/err" "made with another seed"
contains "$work/err" "It has '1', this command '100'"
[ "$(q "$work/s.db" "SELECT count(*) FROM runs")" = 4 ] && ok || bad "runs of another seed were added"

# --- 3: a SQLite file that is not strife's is refused before anything is
# written (the file stays byte for byte as it was).
for t in "notes(x)" "runs(x)" "meta(key, value)"; do
  rm -f "$work/f.db"
  sqlite3 "$work/f.db" "CREATE TABLE $t"
  cp "$work/f.db" "$work/f0.db"
  expect 2 "a foreign database ($t)" -- "$strife" compare "${pair[@]}" --runs 1 "${small[@]}" --db "$work/f.db"
  contains "$work/err" "not a results database of strife's"
  cmp -s "$work/f.db" "$work/f0.db" && ok || bad "a foreign database ($t) was changed"
  [ ! -e "$work/f.db-wal" ] && ok || bad "a foreign database ($t) was switched to WAL"
done
echo "plain text" >"$work/text.db"
expect 2 "not a SQLite file" -- "$strife" compare "${pair[@]}" --runs 1 "${small[@]}" --db "$work/text.db"
contains "$work/err" "text.db: not a SQLite database"

# Objects strife does not make: a view, a trigger in strife's own tables.
rm -f "$work/v.db"
sqlite3 "$work/v.db" "CREATE VIEW v AS SELECT 1"
cp "$work/v.db" "$work/v0.db"
expect 2 "a database holding only a view" -- "$strife" compare "${pair[@]}" --runs 1 "${small[@]}" --db "$work/v.db"
contains "$work/err" "it has a view 'v', which strife does not make"
cmp -s "$work/v.db" "$work/v0.db" && ok || bad "a database holding a view was changed"
cp "$work/s.db" "$work/trig.db"
q "$work/trig.db" "CREATE TRIGGER t AFTER INSERT ON runs BEGIN DELETE FROM outcomes; END"
expect 2 "a trigger in a strife database" -- "$strife" compare "${pair[@]}" --runs 3 "${small[@]}" --seed 1 --db "$work/trig.db"
contains "$work/err" "it has a trigger 't', which strife does not make"
# Another schema version; another model's database of strife's.
cp "$work/s.db" "$work/sv.db"
q "$work/sv.db" "UPDATE meta SET value = '2' WHERE key = 'schema_version'"
expect 2 "another schema version" -- "$strife" compare "${pair[@]}" --runs 2 "${small[@]}" --seed 1 --db "$work/sv.db"
contains "$work/err" "made with another schema_version"
expect 0 "an Epstein comparison" -- "$strife" compare scenarios/epstein-mesa.json --vary lattice.width=20,21 \
  --set run.ticks=2 --runs 1 --quiet --db "$work/ep.db"
expect 2 "an Epstein database for an Afghan comparison" -- "$strife" compare "${pair[@]}" --runs 1 "${small[@]}" --db "$work/ep.db"
contains "$work/err" "made with another"
# Not a file: a directory (bad input, as a FIFO), or SQLite's name for a
# database in memory, whose runs would be lost at exit.
mkdir "$work/dir.db"
expect 2 "a directory as the database" -- "$strife" compare "${pair[@]}" --runs 1 "${small[@]}" --db "$work/dir.db"
contains "$work/err" "is a directory, not a regular file"
expect 2 ":memory: as the database" -- "$strife" compare "${pair[@]}" --runs 1 "${small[@]}" --db :memory:
contains "$work/err" "expected the path of a file"
[ ! -e :memory: ] && ok || bad "a file named :memory: was made"

# --- 4: a damaged database is refused on open, in SQLite's words.
expect 0 "a database to damage" -- "$strife" compare "${pair[@]}" --runs 6 "${small[@]}" --db "$work/c.db"
size=$(stat -c %s "$work/c.db")
for at in 8192 $((size / 2)); do
  cp "$work/c.db" "$work/d.db"
  head -c 4096 /dev/urandom | dd of="$work/d.db" bs=1 seek="$at" conv=notrunc 2>/dev/null
  cp "$work/d.db" "$work/d0.db"
  expect 2 "a damaged database (4 KB at $at)" -- "$strife" compare "${pair[@]}" --runs 6 "${small[@]}" --db "$work/d.db"
  contains "$work/err" "the database is damaged (SQLite: "
  cmp -s "$work/d.db" "$work/d0.db" && ok || bad "a damaged database was written into"
done

# A file cut short within a page would read as a database with a value
# changed.
cp "$work/c.db" "$work/t.db"
truncate -s -1 "$work/t.db"
expect 2 "a database cut short by a byte" -- "$strife" compare "${pair[@]}" --runs 6 "${small[@]}" --db "$work/t.db"
contains "$work/err" "is not a whole number of 4096-byte pages"
# The journal a killed strife left beside another database, copied beside
# this one: refused, and not played into the file.
"$strife" compare "${pair[@]}" --runs 40 --set population.scale=1000 --set run.end=2021-12-15 \
  --quiet --db "$work/k.db" >/dev/null 2>&1 &
killme=$!
for _ in $(seq 200); do [ -s "$work/k.db-wal" ] && break; sleep 0.05; done
sleep 0.5
kill -9 "$killme"
wait "$killme" 2>/dev/null
cp "$work/c.db" "$work/j.db"
cp "$work/k.db-wal" "$work/j.db-wal"
cp "$work/j.db" "$work/j0.db"
expect 2 "another database's journal beside it" -- "$strife" compare "${pair[@]}" --runs 6 "${small[@]}" --db "$work/j.db"
cmp -s "$work/j.db" "$work/j0.db" && ok || bad "another database's journal was played into the file"

# --- 15: a stored run with missing outcome rows is not counted as done.
cp "$work/c.db" "$work/m.db"
q "$work/m.db" "DELETE FROM outcomes WHERE arm = 1 AND rep = 2 AND name = 'attacks'"
expect 2 "a run with a missing outcome row" -- "$strife" compare "${pair[@]}" --runs 6 "${small[@]}" --db "$work/m.db"
contains "$work/err" "run 2 of arm 1 has 30 of its 31 outcome rows"

# --- 5: a second process on the same database is refused at once, with
# the first one's process id; the first finishes whole.
"$strife" compare "${pair[@]}" --runs 12 "${small[@]}" --db "$work/l.db" >/dev/null 2>&1 &
first=$!
for _ in $(seq 100); do [ -s "$work/l.db" ] && break; sleep 0.05; done
expect 2 "a second process" -- "$strife" compare "${pair[@]}" --runs 12 "${small[@]}" --db "$work/l.db"
contains "$work/err" "in use by process $first"
wait "$first" && ok || bad "the first process failed"
[ "$(q "$work/l.db" "SELECT count(*) FROM runs")" = 24 ] && ok || bad "the first process's runs are not all there"

# --- 15: a read-only database, or one in a read-only directory, is said
# to be so.
if [ "$user_ok" = 1 ]; then
  cp "$work/c.db" "$work/ro.db"
  chmod 444 "$work/ro.db"
  expect 1 "a read-only database" -- as_user "$strife" compare "${pair[@]}" --runs 6 "${small[@]}" --db "$work/ro.db"
  contains "$work/err" "ro.db: cannot write into it: Permission denied"
  mkdir "$work/rodir"
  cp "$work/c.db" "$work/rodir/c.db"
  chmod 666 "$work/rodir/c.db"
  chmod 555 "$work/rodir"
  expect 1 "a database in a read-only directory" -- as_user "$strife" compare "${pair[@]}" --runs 6 "${small[@]}" --db "$work/rodir/c.db"
  contains "$work/err" "cannot write into its directory"
  mkdir "$work/rodir2"
  cp "$work/c.db" "$work/rodir2/c.db"
  chmod 666 "$work/rodir2/c.db"
  chmod 555 "$work/rodir2"
  ln -s "$work/rodir2/c.db" "$work/link.db"
  expect 1 "a link to a database in a read-only directory" -- as_user "$strife" compare "${pair[@]}" --runs 6 "${small[@]}" --db "$work/link.db"
  contains "$work/err" "cannot write into its directory $work/rodir2"
fi
mkfifo "$work/fifo.db"
expect 2 "a FIFO as the database" -- timeout 10 "$strife" compare "${pair[@]}" --runs 1 "${small[@]}" --db "$work/fifo.db"
contains "$work/err" "is a FIFO, not a regular file"

# --- 9: an I/O failure is exit status 1 in every command; a scenario that
# cannot be read is bad input, 2, in every command.
expect 1 "run: an output directory that cannot be made" -- "$strife" run "${small[@]}" --out /proc/strife-x
expect 1 "compare: a database that cannot be made" -- "$strife" compare "${pair[@]}" --runs 1 "${small[@]}" --db /proc/strife-x.db
expect 1 "calibrate: an output directory that cannot be made" -- "$strife" calibrate \
  --set population.scale=10000 --set run.end=2022-02-15 --particles 4 --generations 1 --quiet \
  --db "$work/cal.db" --out /proc/strife-nope
expect 2 "run: no such scenario" -- "$strife" run "$work/none.json" --quiet --out "$work/o"
expect 2 "compare: no such scenario" -- "$strife" compare "$work/none.json" "${pair[@]}" --runs 1 --db "$work/n.db"

# --- 8: outputs are made and tried before any run: nothing simulated,
# no database made.
[ ! -e "$work/cal.db" ] && ok || bad "calibrate ran before it found its output directory unwritable"
if [ "$user_ok" = 1 ]; then
  mkdir "$work/ro-out"
  chmod 555 "$work/ro-out"
  expect 1 "run: an output directory that cannot be written" -- as_user "$strife" run "${small[@]}" --out "$work/ro-out"
  contains "$work/err" "ro-out: cannot write into: Permission denied"
  expect 1 "calibrate: an output directory that cannot be written" -- as_user "$strife" calibrate \
    --set population.scale=10000 --set run.end=2022-02-15 --particles 4 --generations 1 --quiet \
    --db "$work/cal2.db" --out "$work/ro-out"
  [ ! -e "$work/cal2.db" ] && ok || bad "calibrate made its database before trying its output directory"
fi

# --- 1: calibrate refuses a target the runs cannot compute, up front.
expect 2 "calibrate: a target past the run's end" -- timeout 60 "$strife" calibrate \
  --set population.scale=10000 --set run.end=2021-12-31 --particles 4 --generations 1 --quiet \
  --db "$work/cal3.db" --out "$work/cal3"
contains "$work/err" "calibration.targets[1].outcome: outcome \"isk_fighters_2022_02_01\" has no value in a run of this scenario"
contains "$work/err" "the run covers 2021-09-01 to 2021-12-31"

# --- 7: temporary files of a process that is gone are removed by the
# next run into the directory; those of a live process are left.
mkdir -p "$work/o7"
dead=$(bash -c 'echo $$')
touch "$work/o7/.national.csv.$dead.tmp" "$work/o7/.summary.json.$$.tmp" "$work/o7/.notes.tmp"
expect 0 "a run beside stale temporary files" -- "$strife" run "${small[@]}" --out "$work/o7"
[ ! -e "$work/o7/.national.csv.$dead.tmp" ] && ok || bad "a dead process's temporary file was left"
[ -e "$work/o7/.summary.json.$$.tmp" ] && ok || bad "a live process's temporary file was removed"
[ -e "$work/o7/.notes.tmp" ] && ok || bad "a file not named as strife's temporary files was removed"
touch "$work/o7/.notes.txt.$dead.tmp"
expect 0 "a run beside another program's temporary file" -- "$strife" run "${small[@]}" --out "$work/o7"
[ -e "$work/o7/.notes.txt.$dead.tmp" ] && ok || bad "a temporary file not of a .csv or .json was removed"

# --- 7: a second signal ends an experiment at once (the first lets the
# runs in flight finish); the database keeps every run committed.
"$strife" compare "${pair[@]}" --runs 2 --set population.scale=10 --quiet --db "$work/sig.db" >/dev/null 2>&1 &
sigpid=$!
sleep 2
kill -TERM "$sigpid"
sleep 0.5
kill -TERM "$sigpid"
for _ in $(seq 100); do kill -0 "$sigpid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$sigpid" 2>/dev/null; then
  bad "a second SIGTERM did not end the experiment within 10 s"
  kill -9 "$sigpid"
fi
wait "$sigpid"
st=$?
[ "$st" = 143 ] && ok || bad "a second SIGTERM: exit $st, wanted 143 (killed by SIGTERM)"
[ "$(q "$work/sig.db" "PRAGMA quick_check")" = ok ] && ok || bad "the database is damaged after a second SIGTERM"

# --- 10: a run of no ticks of the Afghan model is refused.
expect 2 "--ticks 0" -- "$strife" run --ticks 0 --quiet --out "$work/t0"
contains "$work/err" "run.ticks: expected at least 1"
[ ! -e "$work/t0" ] && ok || bad "--ticks 0 made an output directory"
expect 0 "--ticks 0 of the Epstein model (the state after placement)" -- \
  "$strife" run scenarios/epstein-mesa.json --ticks 0 --quiet --out "$work/e0"

# --- 11: arms that would run other than they say.
expect 2 "--vary over the policies' key" -- "$strife" compare --policies status-quo,middle-road \
  --vary policy=middle-road --runs 1 "${small[@]}" --db "$work/a1.db"
contains "$work/err" "arm 'status-quo policy=middle-road' sets policy twice"
expect 2 "a duplicate arm" -- "$strife" compare --policies status-quo,status-quo --runs 1 "${small[@]}" --db "$work/a2.db"
contains "$work/err" "arms 'status-quo' and 'status-quo' have one name"
expect 2 "two arms of one scenario" -- "$strife" compare --arm a:us=intel-sharing \
  --arm b:foreign.us=intel-sharing --runs 1 "${small[@]}" --db "$work/a3.db"
contains "$work/err" "arms 'a' and 'b' run the same scenario"
expect 2 "an arm that sets a key twice" -- "$strife" compare --arm a:us=intel-sharing,foreign.us=none \
  --runs 1 "${small[@]}" --db "$work/a4.db"
contains "$work/err" "arm 'a' sets foreign.us twice"
expect 2 "an arm that sets the seed" -- "$strife" compare --arm a:run.seed=5 --arm b:us=intel-sharing \
  --runs 1 "${small[@]}" --db "$work/a5.db"
contains "$work/err" "arm 'a' sets run.seed, which an experiment ignores"
expect 2 "a sweep whose integer points round together" -- "$strife" sweep scenarios/epstein-mesa.json \
  --param lattice.width=20:22:5 --set run.ticks=2 --runs 1 --quiet --db "$work/a6.db"
contains "$work/err" "points 'point 1' and 'point 2' run the same scenario"
for cmd in "sweep --param run.seed=1:9:3" "sensitivity --method morris --param run.seed=1:9"; do
  # shellcheck disable=SC2086
  expect 2 "$cmd" -- "$strife" $cmd scenarios/epstein-mesa.json --set run.ticks=2 --quiet --db "$work/a7.db"
  contains "$work/err" "run.seed is not a parameter"
done
for f in a1 a2 a3 a4 a5 a6 a7; do
  [ ! -e "$work/$f.db" ] && ok || bad "a refused experiment left $f.db"
done

# --- 14: a lattice larger than the memory is refused before it is drawn,
# with the figure.  (AddressSanitizer cannot start under ulimit -v: its
# shadow memory is reserved up front.)
if [ "${STRIFE_TEST_SCALE:-}" != sanitizer ]; then
  expect 2 "a lattice larger than the memory" -- bash -c 'ulimit -v 400000; exec "$0" "$@"' \
    "$strife" run scenarios/epstein-paper.json --set lattice.width=20000 --set lattice.height=20000 \
    --quiet --out "$work/big"
  contains "$work/err" "needs about 7.2 GiB, more than the 0.4 GiB of memory this process may have"
  # In an experiment, before any arm runs, naming the arm; no database.
  expect 2 "an arm larger than the memory" -- bash -c 'ulimit -v 400000; exec "$0" "$@"' \
    "$strife" compare scenarios/epstein-paper.json --arm small:lattice.width=40 \
    --arm big:lattice.width=20000,lattice.height=20000 --runs 1 --quiet --db "$work/big.db"
  contains "$work/err" "arm 'big': the epstein model's state for this scenario needs about 7.2 GiB"
  [ ! -e "$work/big.db" ] && ok || bad "a refused experiment left big.db"
fi

echo "test_faults: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
