# What the command-line tests share: a scratch directory removed at exit,
# counters, and checks that say what failed.  Sourced by test_cli.sh and
# the other tests after they set 'strife' and 'src'.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() {
  fail=$((fail + 1))
  echo "FAIL: $*" >&2
}
# expect STATUS DESCRIPTION -- COMMAND...: runs COMMAND, its output in
# $work/out and $work/err, and checks its exit status.
expect() {
  local want=$1 what=$2
  shift 3
  "$@" >"$work/out" 2>"$work/err"
  local got=$?
  if [ "$got" -eq "$want" ]; then ok; else bad "$what: exit $got, wanted $want ($(head -c 300 "$work/err"))"; fi
}
# contains FILE TEXT
contains() {
  if grep -qF -- "$2" "$1"; then ok; else bad "$1 lacks '$2': $(head -c 300 "$1")"; fi
}
# For the tests that read a results database: the sqlite3 command, and
# q DB SQL to print a query's rows.
need_sqlite3() {
  if ! command -v sqlite3 >/dev/null; then
    echo "$1: the sqlite3 command is missing (scripts/deps.sh test installs it)" >&2
    exit 1
  fi
}
q() { sqlite3 "$1" "$2"; }
# dump DB: everything a results database holds, in a fixed order (the
# command line aside), to compare two databases.
dump() {
  sqlite3 "$1" "SELECT key, value FROM meta WHERE key != 'command' ORDER BY key;
    SELECT * FROM arms ORDER BY arm; SELECT * FROM parameters ORDER BY arm, key;
    SELECT * FROM runs ORDER BY arm, rep; SELECT * FROM outcomes ORDER BY arm, rep, name;
    SELECT * FROM national ORDER BY arm, rep, date;
    SELECT * FROM provinces ORDER BY arm, rep, month, iso;
    SELECT * FROM events ORDER BY arm, rep, seq;
    SELECT * FROM posterior ORDER BY generation, particle;"
}
