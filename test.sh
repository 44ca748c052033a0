#!/usr/bin/env bash
# Runs every test: the data tests on SQLite, then on a throw-away PostgreSQL; the browser tests once, on SQLite (no page
# depends on the engine); and checks formatting and code style (`dotnet format --verify-no-changes`).
# Installs what the tests need when it is missing (Debian's chromium and postgresql).
# TEST_FILTER=<dotnet test filter> runs only the matching tests (still on both providers).
# Ends with one line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"

log() { printf '== %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
[ -n "$(pg_bin)" ] && [ -x "$(pg_bin)/initdb" ] || missing+=(postgresql)
command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  as_root apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null || { echo "could not install ${missing[*]}" >&2; exit 1; }
fi

# The OpenAPI document's lint test runs Redocly CLI, pinned in tools/openapi-lint.
if [ ! -d tools/openapi-lint/node_modules ]; then
  log "installing tools/openapi-lint"
  npm ci --prefix tools/openapi-lint --no-audit --no-fund >/dev/null 2>&1 || { echo "could not install tools/openapi-lint" >&2; exit 1; }
fi

work=$(mktemp -d /tmp/keyaccounts-test.XXXXXX)
chmod 755 "$work"
PGBIN=$(pg_bin)
pgdata="$work/pg"
cleanup() {
  if [ -f "$pgdata/postmaster.pid" ]; then
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$PGBIN/pg_ctl" -D "$pgdata" -m immediate stop >/dev/null 2>&1
    else "$PGBIN/pg_ctl" -D "$pgdata" -m immediate stop >/dev/null 2>&1; fi
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

port=55432
while (echo >/dev/tcp/127.0.0.1/$port) 2>/dev/null; do port=$((port + 1)); done

log "starting PostgreSQL on 127.0.0.1:$port"
mkdir -p "$pgdata"
pg() { if [ "$(id -u)" = 0 ]; then chown -R postgres "$work/pg"; runuser -u postgres -- "$@"; else "$@"; fi; }
pg "$PGBIN/initdb" -D "$pgdata" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log" >&2; exit 1; }
pg "$PGBIN/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -o "-h 127.0.0.1 -p $port -k $pgdata -F -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >/dev/null \
  || { cat "$pgdata/server.log" >&2; exit 1; }
export KEYACCOUNTS_TEST_PG="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50"

log "building"
dotnet build KeyAccounts.slnx -c Release -nologo -v q 2>&1 | tail -n 3
if [ "${PIPESTATUS[0]}" != 0 ]; then echo "0 passed, 1 failed, 0 skipped"; exit 1; fi

passed=0; failed=0; skipped=0; crashed=0

log "checking formatting and code style"
if dotnet format KeyAccounts.slnx --verify-no-changes --no-restore -v q >"$work/format.log" 2>&1; then
  passed=$((passed + 1))
else
  head -n 40 "$work/format.log" >&2
  echo "   formatting: run 'dotnet format KeyAccounts.slnx'" >&2
  failed=$((failed + 1))
fi

run() { # provider project
  log "$2 on $1"
  local out="$work/$1-$(basename "$2").log"
  KEYACCOUNTS_TEST_PROVIDER=$1 dotnet test "$2" -c Release --no-build -nologo ${TEST_FILTER:+--filter "$TEST_FILTER"} >"$out" 2>&1
  local rc=$?
  grep -E "^\s*(Failed|Skipped) |\[FAIL\]|Error Message" -A4 "$out" | head -n 200 >&2
  local line
  line=$(grep -E "(Passed|Failed)!\s+- Failed:" "$out" | tail -n 1)
  if [ -z "$line" ] && [ -n "${TEST_FILTER:-}" ] && grep -q "No test matches" "$out"; then return; fi
  if [ -z "$line" ]; then
    tail -n 40 "$out" >&2
    crashed=$((crashed + 1)); return
  fi
  echo "   $line" >&2
  local f p s
  f=$(sed -E 's/.*Failed:\s*([0-9]+).*/\1/' <<<"$line")
  p=$(sed -E 's/.*Passed:\s*([0-9]+).*/\1/' <<<"$line")
  s=$(sed -E 's/.*Skipped:\s*([0-9]+).*/\1/' <<<"$line")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  if [ "$rc" != 0 ] && [ "$f" = 0 ]; then crashed=$((crashed + 1)); fi
}

for provider in Sqlite Postgres; do
  for project in tests/*/; do
    [ -f "$project"/*.csproj ] 2>/dev/null || ls "$project"*.csproj >/dev/null 2>&1 || continue
    [[ "$provider" == Postgres && "$project" == *BrowserTests* ]] && continue
    run "$provider" "$project"
  done
done

failed=$((failed + crashed))
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
