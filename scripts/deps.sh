#!/usr/bin/env bash
# Installs the Debian packages strife needs to build, test and benchmark,
# and only those that are missing.  The single place where anything is
# installed: every other make target calls this first.
#
# Usage: scripts/deps.sh [build|test|all]   (default: test)
set -euo pipefail

level=${1:-test}
build_pkgs=(gcc make cmake pkg-config libjansson-dev libgsl-dev libsqlite3-dev
  libmicrohttpd-dev)
test_pkgs=(clang-format clang-tidy clang libclang-rt-14-dev libomp-14-dev sqlite3
  openmpi-bin libopenmpi-dev chromium curl)
case "$level" in
  build) want=("${build_pkgs[@]}") ;;
  test | all) want=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
  *)
    echo "deps.sh: unknown level '$level' (expected build, test or all)" >&2
    exit 2
    ;;
esac

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
# Node and npm build the report's browser libraries (web/); any node on
# the path will do (a machine may have another distribution's), else
# Debian's.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

# The browser libraries of web/package-lock.json, into web/node_modules,
# when they are not there or the lock file changed since.
web_modules() {
  local web
  web=$(cd "$(dirname "$0")/../web" && pwd)
  if [ ! -f "$web/node_modules/.package-lock.json" ] ||
    [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]; then
    echo "deps: npm ci in $web"
    (cd "$web" && npm ci --ignore-scripts --no-audit --no-fund >/dev/null)
  fi
}
if [ ${#missing[@]} -eq 0 ]; then
  web_modules
  exit 0
fi

echo "deps: installing ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "deps: missing packages: ${missing[*]}" >&2
  echo "deps: run as root: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
web_modules
