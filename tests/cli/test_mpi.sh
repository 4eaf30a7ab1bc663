#!/usr/bin/env bash
# Experiments over MPI ranks (built with -DSTRIFE_MPI=ON): mpirun -np 2
# and -np 3 write the database one process writes, byte for byte in every
# table, and print the same table; a calibration gives the same posterior;
# bad input is reported once, by rank 0.
# Usage: test_mpi.sh STRIFE_BINARY SOURCE_DIR MPIEXEC
set -u
strife=$1
src=$2
mpiexec=$3
. "$(dirname "$0")/lib.sh"
need_sqlite3 test_mpi
# Open MPI refuses root unless told, and a container may have fewer cores
# than ranks.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_MCA_btl_vader_single_copy_mechanism=none
mpi() {
  local np=$1
  shift
  "$mpiexec" -np "$np" "$@"
}
cd "$src" || exit 1

args=(compare --policies status-quo,radicalise --runs 5 --set population.scale=1000
  --set run.end=2021-12-31 --seed 7 --quiet)
expect 0 "one process" -- "$strife" "${args[@]}" --threads 2 --db "$work/one.db"
tail -n +2 "$work/out" >"$work/one.txt"
for np in 2 3; do
  expect 0 "mpirun -np $np" -- mpi $np "$strife" "${args[@]}" --db "$work/np$np.db"
  [ "$(grep -c '^strife .* compare:' "$work/out")" = 1 ] && ok || bad "-np $np: the table printed $(grep -c '^strife .* compare:' "$work/out") times"
  cmp -s <(tail -n +2 "$work/out") "$work/one.txt" && ok || bad "-np $np prints another table"
  [ "$(dump "$work/np$np.db")" = "$(dump "$work/one.db")" ] && ok || bad "-np $np writes another database"
done
[ "$(q "$work/np3.db" "SELECT count(*) FROM runs")" = 10 ] && ok || bad "-np 3: runs rows"

# Resuming under MPI what one process began.
expect 0 "one process, part" -- "$strife" "${args[@]}" --threads 1 --db "$work/part.db"
q "$work/part.db" "DELETE FROM runs WHERE rep >= 3; DELETE FROM outcomes WHERE rep >= 3;
  DELETE FROM national WHERE rep >= 3; DELETE FROM provinces WHERE rep >= 3; DELETE FROM events WHERE rep >= 3;"
expect 0 "mpirun resumes" -- mpi 2 "$strife" "${args[@]}" --db "$work/part.db"
contains "$work/out" "4 runs now, 6 found"

# A calibration: the same posterior and calibrated scenario.
cal=(calibrate --set population.scale=10000 --set run.end=2022-02-15 --particles 8
  --generations 2 --quiet)
expect 0 "calibrate, one process" -- "$strife" "${cal[@]}" --db "$work/c1.db" --out "$work/c1"
expect 0 "calibrate, mpirun -np 3" -- mpi 3 "$strife" "${cal[@]}" --db "$work/c3.db" --out "$work/c3"
cmp -s "$work/c1/posterior.csv" "$work/c3/posterior.csv" && ok || bad "-np 3 calibrates another posterior"
cmp -s "$work/c1/afghanistan-2021.calibrated.json" "$work/c3/afghanistan-2021.calibrated.json" &&
  ok || bad "-np 3 writes another calibrated scenario"
[ "$(dump "$work/c3.db")" = "$(dump "$work/c1.db")" ] && ok || bad "-np 3 calibration database differs"

# Over the posterior, and fitted to the record: the same as one process.
expect 0 "posterior, one process" -- "$strife" "${args[@]}" --posterior scenarios/afghanistan-2021.posterior.csv \
  --threads 2 --db "$work/p1.db"
tail -n +2 "$work/out" >"$work/p1.txt"
expect 0 "posterior, mpirun -np 2" -- mpi 2 "$strife" "${args[@]}" --posterior scenarios/afghanistan-2021.posterior.csv \
  --db "$work/p2.db"
cmp -s <(tail -n +2 "$work/out") "$work/p1.txt" && ok || bad "-np 2 over the posterior prints another table"
[ "$(dump "$work/p2.db")" = "$(dump "$work/p1.db")" ] && ok || bad "-np 2 over the posterior writes another database"
# With the assumptions drawn too.
expect 0 "assumptions, one process" -- "$strife" "${args[@]}" --posterior scenarios/afghanistan-2021.posterior.csv \
  --assumptions --threads 2 --db "$work/a1.db"
tail -n +2 "$work/out" >"$work/a1.txt"
expect 0 "assumptions, mpirun -np 2" -- mpi 2 "$strife" "${args[@]}" --posterior scenarios/afghanistan-2021.posterior.csv \
  --assumptions --db "$work/a2.db"
cmp -s <(tail -n +2 "$work/out") "$work/a1.txt" && ok || bad "-np 2 with the assumptions prints another table"
[ "$(dump "$work/a2.db")" = "$(dump "$work/a1.db")" ] && ok || bad "-np 2 with the assumptions writes another database"
cat >"$work/rec.json" <<'EOF'
{"about": "test", "records": [
{"quantity": "attacks", "start": "2021-09-01", "end": "2021-09-30", "value": 38, "unit": "attacks", "definition": "test", "source": "test", "confidence": "low"},
{"quantity": "isk_fighters", "start": "2022-01-28", "end": "2022-01-28", "low": 3000, "high": 4500, "unit": "fighters", "definition": "test", "source": "test", "confidence": "low"}
]}
EOF
expect 0 "record, one process" -- "$strife" "${cal[@]}" --record "$work/rec.json" --db "$work/r1.db" --out "$work/r1"
expect 0 "record, mpirun -np 2" -- mpi 2 "$strife" "${cal[@]}" --record "$work/rec.json" --db "$work/r2.db" --out "$work/r2"
cmp -s "$work/r1/posterior.csv" "$work/r2/posterior.csv" && ok || bad "-np 2 fits the record to another posterior"

# Bad input: refused once, with no database.
expect 2 "bad policy under mpirun" -- mpi 2 "$strife" compare --policies status-quo,nonsense --runs 2 --db "$work/bad.db"
[ "$(grep -c "nonsense" "$work/err")" = 1 ] && ok || bad "the error was printed $(grep -c nonsense "$work/err") times"
[ ! -e "$work/bad.db" ] && ok || bad "a refused comparison left a database"

echo "test_mpi: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
