#!/usr/bin/env bash
# Every output of the shipped scenarios, byte for byte: the SHA-256 of each
# file a run or an experiment writes, against tests/golden/outputs.sha256.
# What measures the machine or the implementation rather than the model
# is set to 0 (wall_seconds, and bytes_per_agent: the memory the code
# takes), and the source tree's absolute path is replaced by @SRC@ before
# hashing; nothing else is touched.  A change
# that means to change results regenerates the reference with
#   tests/cli/test_golden.sh STRIFE_BINARY SOURCE_DIR --update
# and says why in its commit.
# Usage: test_golden.sh STRIFE_BINARY SOURCE_DIR [--update]
set -u
strife=$1
src=$2
update=${3:-}
. "$(dirname "$0")/lib.sh"
need_sqlite3 test_golden
cd "$src" || exit 1
root=$(pwd -P)
ref=$root/tests/golden/outputs.sha256
out=$work/golden
mkdir -p "$out"

# normalise FILE: the wall clock and the source tree's place removed.
normalise() {
  sed -e 's/"wall_seconds": [-0-9.eE+]*/"wall_seconds": 0/' \
    -e 's/"bytes_per_agent": [-0-9.eE+]*/"bytes_per_agent": 0/' \
    -e "s#$root#@SRC@#g" "$1"
}
# keep NAME FILE: the normalised file under its name in the set hashed.
keep() { normalise "$2" >"$out/$1"; }
# run NAME ARGS...: strife run ARGS into a directory, every file kept.
run() {
  local name=$1
  shift
  if ! "$strife" run "$@" --out "$work/$name" --quiet 2>"$work/err"; then
    bad "$name: strife run $*: $(head -c 300 "$work/err")"
    return
  fi
  local f
  for f in "$work/$name"/*; do keep "$name/$(basename "$f")" "$f"; done
}
mkdir -p "$out/afghan" "$out/db"

# The default scenario at a coarse scale, to its end.
run afghan --set population.scale=1000
# Each Epstein preset as shipped, and the Mesa one on the parallel update.
for p in scenarios/epstein-*.json; do
  n=$(basename "$p" .json)
  mkdir -p "$out/$n"
  run "$n" "$p"
done
mkdir -p "$out/epstein-mesa-parallel"
run epstein-mesa-parallel scenarios/epstein-mesa.json --set run.update=parallel --threads 2

# Small experiments, each database dumped as text.
short=(--set population.scale=1000 --set run.end=2021-10-31 --seed 7 --threads 2 --quiet)
experiment() {
  local name=$1
  shift
  if ! "$strife" "$@" --db "$work/$name.db" >"$work/$name.txt" 2>"$work/err"; then
    bad "$name: strife $*: $(head -c 300 "$work/err")"
    return
  fi
  dump "$work/$name.db" >"$work/$name.dump"
  keep "db/$name.dump" "$work/$name.dump"
}
experiment compare compare --policies status-quo,anti-terror-push --vary us=none,intel-sharing \
  --runs 2 "${short[@]}"
experiment sweep sweep --param isk.attack_rate=1e-4:2e-4:2 --param money.leakage=0:0.2:2 \
  --runs 2 "${short[@]}"
experiment sensitivity sensitivity --method morris --samples 2 --param isk.attack_rate=1e-4:2e-4 \
  --param isk.pool_rate=2e-5:8e-5 "${short[@]}"
experiment calibrate calibrate --particles 4 --generations 2 --out "$work/cal" "${short[@]}" \
  --set run.end=2022-02-15
[ -f "$work/cal/posterior.csv" ] && keep db/posterior.csv "$work/cal/posterior.csv"

(cd "$out" && find . -type f | LC_ALL=C sort | xargs sha256sum) >"$work/got.sha256"
if [ "$update" = --update ]; then
  cp "$work/got.sha256" "$ref"
  echo "golden: wrote $(wc -l <"$ref") hashes to $ref"
  exit 0
fi
if [ ! -f "$ref" ]; then
  bad "no reference $ref (run with --update)"
elif cmp -s "$ref" "$work/got.sha256"; then
  ok
else
  bad "outputs differ from $ref:"
  diff "$ref" "$work/got.sha256" >&2
fi
echo "golden: $pass passed, $fail failed"
[ $fail -eq 0 ]
