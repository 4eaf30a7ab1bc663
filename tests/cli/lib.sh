# What the command-line tests share: a scratch directory removed at exit,
# counters, and checks that say what failed.  Sourced by test_cli.sh and
# test_compare.sh after they set 'strife' and 'src'.
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
