#!/usr/bin/env bash
# strife serve as a user meets it: the dashboard in headless chromium
# (web/test/dashboard.mjs: a comparison started, its progress and charts,
# the map by month, a second comparison cancelled, hostile requests
# refused with nothing changed); a Host that is not loopback refused; the
# rate limit; bad options; a server stopped by SIGTERM while a comparison
# runs, its finished runs kept.  A screenshot goes to
# build/screenshots/dashboard.png.
# Usage: test_serve.sh STRIFE_BINARY SOURCE_DIR
set -u
strife=$1
src=$2
. "$(dirname "$0")/lib.sh"
need_sqlite3 test_serve

# The served folder: a scenario, the provinces, the map.
root=$work/root
mkdir -p "$root/scenarios" "$root/data"
cp "$src/scenarios/afghanistan-2021.json" "$root/scenarios/"
cp "$src/data/provinces.csv" "$src/data/afghanistan_provinces.geojson" "$root/data/"

# serve URL_FILE ARGS...: starts a server on a free port; its pid in $pid,
# its address in $url.
serve() {
  "$strife" serve --port 0 --root "$root" "$@" >"$work/serve.out" 2>"$work/serve.err" &
  pid=$!
  for _ in $(seq 100); do
    url=$(sed -n 's|^strife serve: \(http://[^ ]*\) .*|\1|p' "$work/serve.out")
    [ -n "$url" ] && return 0
    sleep 0.1
  done
  bad "the server did not start: $(cat "$work/serve.err")"
  return 1
}
stop() {
  kill -TERM "$pid" 2>/dev/null
  wait "$pid"
}

if serve --rate 0 --threads 2; then
  mkdir -p "$src/build/screenshots"
  if (cd "$src" && node web/test/dashboard.mjs "$url" "$root" \
    "$src/build/screenshots/dashboard.png") >"$work/browser.out" 2>&1; then
    ok
  else
    bad "the dashboard in chromium: $(cat "$work/browser.out")"
  fi
  [ -s "$src/build/screenshots/dashboard.png" ] && ok || bad "no screenshot"
  # A page of another name (DNS rebinding) is refused.
  code=$(curl -s -o "$work/body" -w '%{http_code}' -H 'Host: attacker.example' "${url}api/state")
  [ "$code" = 403 ] && ok || bad "a foreign Host: $code"
  contains "$work/body" '"error"'
  # The job's database holds its runs, and says what made it.
  db=$root/jobs/job-0001.db
  [ "$(q "$db" 'SELECT count(*) FROM runs')" = 6 ] && ok || bad "job 1: $(q "$db" 'SELECT count(*) FROM runs') runs"
  q "$db" "SELECT value FROM meta WHERE key = 'command'" >"$work/cmd"
  contains "$work/cmd" "strife compare --policies status-quo,anti-terror-push --runs 3"
  # Two comparisons asked at once get databases of their own; a value
  # with a quote is quoted for the shell in the command kept.
  small='"scenario":"scenarios/afghanistan-2021.json","policies":["status-quo"],"runs":1,"scale":8000'
  curl -s -X POST -d "{$small,\"set\":{\"run.end\":\"2021-10-31\",\"description\":\"it's\"}}" \
    "${url}api/jobs" >"$work/a.json" &
  pa=$!
  curl -s -X POST -d "{$small,\"set\":{\"run.end\":\"2021-10-31\"}}" "${url}api/jobs" >"$work/b.json" &
  pb=$!
  wait $pa $pb
  a=$(sed -n 's/.*"db":"\([^"]*\)".*/\1/p' "$work/a.json")
  b=$(sed -n 's/.*"db":"\([^"]*\)".*/\1/p' "$work/b.json")
  [ -n "$a" ] && [ -n "$b" ] && [ "$a" != "$b" ] && ok || bad "two jobs at once: '$a' and '$b'"
  for _ in $(seq 100); do
    curl -s "${url}api/jobs" | grep -q '"state":"running"' || break
    sleep 0.2
  done
  q "$root/$a" "SELECT value FROM meta WHERE key = 'command'" >"$work/cmd"
  contains "$work/cmd" "--set 'description=\"it'\\''s\"'"
  # A link in the folder is not listed.
  ln -s "$root/$a" "$root/link.db"
  curl -s "${url}api/databases" >"$work/dbs"
  grep -q 'link.db' "$work/dbs" && bad "a link listed: $(cat "$work/dbs")" || ok
  contains "$work/dbs" "$a"
  stop
  [ $? -eq 0 ] && ok || bad "serve: exit status on SIGTERM"
fi

# The rate limit: a burst of 100, then 429 with a JSON error.
if serve --rate 1; then
  codes=$(for _ in $(seq 130); do curl -s -o /dev/null -w '%{http_code}\n' "${url}api/state"; done | sort | uniq -c)
  echo "$codes" | grep -q ' 429$' && ok || bad "no 429 over a burst: $codes"
  echo "$codes" | grep -q ' 200$' && ok || bad "no 200 at all: $codes"
  stop
fi

# Stopped while a comparison runs: the runs finished are kept.
if serve --rate 0; then
  curl -s -X POST -d '{"scenario":"scenarios/afghanistan-2021.json","policies":["status-quo"],"runs":200,"scale":8000}' \
    "${url}api/jobs" >"$work/job"
  contains "$work/job" '"state":"running"'
  sleep 1
  stop
  [ $? -eq 0 ] && ok || bad "serve: exit status on SIGTERM with a job"
  db=$(ls "$root"/jobs/*.db | tail -1)
  n=$(q "$db" 'SELECT count(*) FROM runs')
  [ "$n" -ge 1 ] && [ "$n" -lt 200 ] && ok || bad "stopped comparison: $n runs kept"
fi

# Bad options and a folder that is not there.
expect 2 "a bad port" -- "$strife" serve --port 70000
contains "$work/err" "--port"
expect 2 "a bad address" -- "$strife" serve --bind nowhere --port 0
contains "$work/err" "nowhere"
expect 2 "no folder" -- "$strife" serve --root "$work/none" --port 0
contains "$work/err" "$work/none"
expect 2 "no map" -- "$strife" serve --root "$root" --map "$work/none.geojson" --port 0
contains "$work/err" "none.geojson"

echo "serve: $pass passed, $fail failed"
[ $fail -eq 0 ]
